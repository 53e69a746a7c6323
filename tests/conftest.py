"""Shared fixtures. An autouse guard makes every network connection fail: mcred is offline."""

from __future__ import annotations

import json
import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcred.keys.ed25519 import SigningKey

TESTS = Path(__file__).parent
VECTORS = TESTS / "vectors" / "w3c-vc-di-eddsa" / "TestVectors"
ASSETS = TESTS / "assets"

#: a fixed clock for validity checks
NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)
#: a fixed seed: Ed25519 is deterministic, so signed fixtures are byte-stable
TEST_SEED = bytes(range(32))
CREATED = "2026-11-01T09:00:00Z"


class NetworkAccessError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any attempt to open a network connection (AF_UNIX stays allowed for pytest itself)."""

    def guarded_connect(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkAccessError(f"mcred tried to connect to {address!r}")
        return original_connect(self, address, *args, **kwargs)

    def guarded_create_connection(address, *args, **kwargs):
        raise NetworkAccessError(f"mcred tried to connect to {address!r}")

    original_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_create_connection)


@pytest.fixture
def test_key() -> SigningKey:
    return SigningKey.from_seed(TEST_SEED)


@pytest.fixture
def vector_key() -> SigningKey:
    from mcred.keys.ed25519 import load_signing_key

    return load_signing_key(VECTORS / "keyPair.json")


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def alumni(test_key) -> dict:
    """The W3C vectors' unsigned VC 2.0 credential, issued by the test key."""
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = test_key.did
    return doc


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path

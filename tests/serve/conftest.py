"""Fixtures of the VC API tests: the app through an ASGI test client, a signed credential, the issuer's lists.

The suite's guard (tests/conftest.py) makes every network connection fail; here it lets through the
loopback interface only, which the real-server tests listen on, and nothing else.
"""

from __future__ import annotations

import copy
import ipaddress
import socket

import pytest

from tests.conftest import TEST_SEED, NetworkAccessError

CREDENTIAL_ID = "urn:uuid:6a0b1b0e-1111-4222-8333-444455556666"


def _loopback(host) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Connections to 127.0.0.1 (and ::1) only: the real server listens there; anything else fails."""
    original_connect = socket.socket.connect
    original_getaddrinfo = socket.getaddrinfo
    original_create_connection = socket.create_connection

    def guarded_connect(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise NetworkAccessError(f"a test tried to connect to {address!r}")
        return original_connect(self, address, *args, **kwargs)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise NetworkAccessError(f"a test tried to resolve {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    def guarded_create_connection(address, *args, **kwargs):
        if not _loopback(address[0]):
            raise NetworkAccessError(f"a test tried to connect to {address!r}")
        return original_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture
def key():
    from mcred.keys.ed25519 import SigningKey

    return SigningKey.from_seed(TEST_SEED)


def unsigned(key, **changes) -> dict:
    """A small VC 2.0 credential issued by ``key``'s DID."""
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": CREDENTIAL_ID,
                  "type": ["VerifiableCredential"], "issuer": key.did, "validFrom": "2026-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:learner"}}
    return {**credential, **changes}


@pytest.fixture
def make_client(key):
    """A test client over an app made with the config's fields given (the key by default)."""
    from starlette.testclient import TestClient

    from mcred.serve.app import create_app
    from mcred.serve.config import ServeConfig

    def make(**fields):
        return TestClient(create_app(ServeConfig(**{"key": key, **fields})))

    return make


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def signed(client, key) -> dict:
    response = client.post("/credentials/issue", json={"credential": unsigned(key)})
    assert response.status_code == 201, response.text
    return copy.deepcopy(response.json()["verifiableCredential"])


@pytest.fixture
def lists(tmp_path, key):
    """A revocation list and a suspension list of the issuer ``key``."""
    from mcred.issue.status_lists import init_status_list

    revocation, suspension = tmp_path / "revocation.json", tmp_path / "suspension.json"
    init_status_list(revocation, key, "https://its.example/status/1")
    init_status_list(suspension, key, "https://its.example/status/2", purpose="suspension")
    return revocation, suspension

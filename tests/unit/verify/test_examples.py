"""The signed examples are exactly what mcred signs today, and they verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcred.keys.ed25519 import load_signing_key
from mcred.proofs.signing import sign_credential
from mcred.verify.runner import verify_file
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
CREATED = "2026-06-30T10:00:00Z"


@pytest.mark.parametrize("suite, name", [
    ("eddsa-rdfc-2022", "elm-microcredential.signed.json"),
    ("eddsa-jcs-2022", "elm-microcredential.jcs.signed.json"),
])
def test_signed_example_has_not_drifted(suite, name):
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    unsigned = json.loads((EXAMPLES / "elm-microcredential.json").read_text(encoding="utf-8"))
    expected = sign_credential(unsigned, key, suite=suite, created=CREATED)
    committed = (EXAMPLES / name).read_text(encoding="utf-8")
    assert committed == json.dumps(expected, indent=2, ensure_ascii=False) + "\n", (
        f"examples/{name} drifted: run `make examples`")
    assert verify_file(EXAMPLES / name, now=NOW).verified


def test_test_key_is_the_published_one():
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    public = json.loads((ROOT / "keys" / "TEST-ONLY-issuer.public.json").read_text())
    assert public["did"] == key.did and "TEST ONLY" in public["WARNING"]

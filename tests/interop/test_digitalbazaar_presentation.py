"""Presentations across implementations: Digital Bazaar's ``vc.verify()`` (AuthenticationProofPurpose: challenge,
domain, the key under ``authentication``; every credential inside) accepts what ``mcred present`` makes, and
``mcred verify`` accepts what ``vc.signPresentation()`` makes; a wrong challenge is refused by both.

Needs Node.js and `npm ci --prefix interop` (missing prerequisites FAIL, see test_digitalbazaar.py).
"""

from __future__ import annotations

import json

import pytest

from mcred.issue.presentation import make_presentation
from mcred.keys.ed25519 import SigningKey, load_signing_key
from mcred.proofs.signing import sign_credential
from mcred.report import Status, VerifyOptions
from mcred.verify.presentation import verify_presentation
from tests.conftest import CREATED, NOW, VECTORS, load_json, write_json
from tests.interop.test_digitalbazaar import KEY_PAIR, NOW_ARG, find_node, node_run

pytestmark = pytest.mark.interop

HOLDER = SigningKey.from_seed(bytes(range(1, 33)))
CHALLENGE, DOMAIN = "c0ffee-nonce", "verifier.example"


@pytest.fixture(scope="module")
def node() -> str:
    return find_node()


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """A credential issued by the W3C vector key about the holder."""
    issuer = load_signing_key(KEY_PAIR)
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = issuer.did
    doc["credentialSubject"]["id"] = HOLDER.did
    return write_json(tmp_path_factory.mktemp("held") / "cred.json", sign_credential(doc, issuer, created=CREATED))


def db_verify(node, path, challenge=CHALLENGE):
    done = node_run(node, "presentation.mjs", "verify", "--challenge", challenge, "--domain", DOMAIN, "--now",
                    NOW_ARG, path)
    return done.returncode, json.loads(done.stdout.splitlines()[-1]) if done.stdout.strip() else done.stderr


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_digital_bazaar_verifies_mcreds_presentation(node, held, tmp_path, suite):
    vp = make_presentation([load_json(held)], HOLDER, challenge=CHALLENGE, domain=DOMAIN, suite=suite,
                           created=CREATED)
    path = write_json(tmp_path / "vp.json", vp)
    assert db_verify(node, path) == (0, {"verified": True, "errors": []})
    code, line = db_verify(node, path, challenge="another-nonce")
    assert code == 1 and not line["verified"] and "challenge" in " ".join(line["errors"])


def test_mcred_verifies_digital_bazaars_presentation(node, held, tmp_path):
    out = tmp_path / "db-vp.json"
    done = node_run(node, "presentation.mjs", "sign", "--key", KEY_PAIR, "--challenge", CHALLENGE, "--domain",
                    DOMAIN, "--created", CREATED, "--out", out, held)
    assert done.returncode == 0, done.stderr
    vp = load_json(out)
    assert vp["proof"]["proofPurpose"] == "authentication"
    report = verify_presentation(vp, challenge=CHALLENGE, domain=DOMAIN, options=VerifyOptions(now=NOW))
    assert not report.failures and report.credentials[0].verified
    # Digital Bazaar's holder is the vector key, the credential's subject is HOLDER: a warning, as it should be
    assert [c.code for c in report.holder_checks if c.status == Status.WARNING] == ["HOLDER_BINDING_MISMATCH"]
    wrong = verify_presentation(vp, challenge="another-nonce", domain=DOMAIN, options=VerifyOptions(now=NOW))
    assert [c.code for c in wrong.failures] == ["PRESENTATION_CHALLENGE_MISMATCH"]

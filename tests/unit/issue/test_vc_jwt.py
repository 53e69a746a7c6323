"""Issuing a vc+jwt: what mcred signs, mcred verifies; what it would not verify is refused before it is written."""

from __future__ import annotations

import pytest

from mcred.errors import SigningError
from mcred.issue.vc_jwt import sign_vc_jwt
from mcred.keys.ed25519 import SigningKey
from mcred.report import VerifyOptions
from mcred.verify.jwt import parse_jwt
from mcred.verify.runner import verify_file
from tests.conftest import NOW

KEY = SigningKey.from_seed(bytes(range(32)))


def credential(**extra) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential", "ExampleAlumniCredential"], "issuer": KEY.did,
            "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner",
                                                                       "alumniOf": "Example University"}, **extra}


def test_a_vc_jwt_mcred_signs_verifies(tmp_path):
    text = sign_vc_jwt(credential(), KEY, now=NOW)
    jwt = parse_jwt(text)
    assert jwt.header == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": KEY.verification_method}
    assert jwt.payload == credential()
    path = tmp_path / "alumni.jwt"
    path.write_text(text)
    report = verify_file(path, options=VerifyOptions(now=NOW))
    assert report.outcome == "verified" and report.issuer == KEY.did


def test_the_issuer_is_set_from_the_key_only_when_asked():
    with pytest.raises(SigningError) as refused:
        sign_vc_jwt(credential(issuer="https://other.example"), KEY, now=NOW)
    assert refused.value.code == "ISSUER_NOT_SIGNER"
    text = sign_vc_jwt(credential(issuer={"id": "https://other.example", "name": "X"}), KEY, issuer_from_key=True,
                       now=NOW)
    assert parse_jwt(text).payload["issuer"] == {"id": KEY.did, "name": "X"}


@pytest.mark.parametrize("extra,code", [({"nickname": "undefined"}, "JSONLD_UNDEFINED_TERM"),
                                        ({"vc": {}}, "JWT_VC_CLAIM_FORBIDDEN"),
                                        ({"validUntil": "2026-02-01T00:00:00Z"}, "VALIDITY_EXPIRED"),
                                        # the VC Data Model 2.0 rules (mcred.vcdm), as verify's vcdm2 check has them
                                        ({"evidence": {"id": "urn:uuid:1"}}, "VCDM2_TYPE_MISSING"),
                                        ({"credentialSubject": {}}, "VCDM2_SUBJECT_EMPTY")])
def test_what_mcred_verify_would_fail_is_refused_with_its_reason(extra, code):
    document = credential(**extra)
    document["@context"] = document["@context"][:1] if "nickname" in extra else document["@context"]
    with pytest.raises(SigningError) as refused:
        sign_vc_jwt(document, KEY, now=NOW)
    assert refused.value.code == code


def test_mcred_sign_jwt_writes_the_compact_jwt(tmp_path, runner):
    import json

    from mcred.cli.app import app

    (tmp_path / "in.json").write_text(json.dumps(credential()))
    (tmp_path / "key.hex").write_text(bytes(range(32)).hex())
    out = tmp_path / "out.jwt"
    result = runner.invoke(app, ["sign", str(tmp_path / "in.json"), "--key", str(tmp_path / "key.hex"),
                                 "--out", str(out), "--jwt"])
    assert result.exit_code == 0, result.output
    assert "vc+jwt" in result.stderr
    verified = runner.invoke(app, ["verify", str(out), "--now", "2026-11-23T12:00:00Z"])
    assert verified.exit_code == 0, verified.output

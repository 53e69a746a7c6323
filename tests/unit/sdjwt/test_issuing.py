"""Issuing SD-JWT VCs: each result is decoded here by hand (base64url, JSON, the ES256 signature checked with
cryptography against the x5c leaf), never with mcred's own reader, so the test does not trust what it tests."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcred.elm.outcomes import load_outcomes
from mcred.errors import InputError, SigningError
from mcred.issue.sd_jwt_vc import VCT, issue_sd_jwt_vc
from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.jose import public_jwk
from mcred.messages import _CATALOGUE
from mcred.sdjwt.disclosures import decode_disclosure, disclosure_digest, encode_disclosure

from .certs import NOW, ca, certificate

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-10-01T09:00:00Z"  # after every example's award date
PERSONAL = {"given_name", "family_name", "birthdate", "tax_id_code", "email"}


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def issuer():
    """A P-256 key, its end-entity certificate, and the CA that issued it."""
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    leaf = certificate(key._key, ca_key, subject="Fondazione ITS Academy Esempio", issuer="Test CA",
                       start=NOW, days=365 * 3)
    return key, leaf, ca_key, ca_cert


def _issue(name: str, issuer, **options):
    key, leaf, _, ca_cert = issuer
    outcomes = load_outcomes(EXAMPLES / name, now=ISSUED)
    return issue_sd_jwt_vc(outcomes, outcomes.learners[0], key, [ca_cert, leaf], issued=ISSUED, **options)


def _decode(text: str):
    """Split, decode and check the issuer's signature by hand: (header, payload, disclosures, leaf)."""
    assert text.endswith("~")
    jwt, *disclosures = text[:-1].split("~")
    header_b64, payload_b64, signature_b64 = jwt.split(".")
    header, payload = json.loads(_b64(header_b64)), json.loads(_b64(payload_b64))
    leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    signature = _b64(signature_b64)
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    leaf.public_key().verify(der, f"{header_b64}.{payload_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    return header, payload, disclosures, leaf


def _all_sd(node) -> list[str]:
    if isinstance(node, dict):
        return list(node.get("_sd", [])) + [d for value in node.values() for d in _all_sd(value)]
    if isinstance(node, list):
        return [d for item in node for d in _all_sd(item)]
    return []


@pytest.mark.parametrize("example", ["its-python-data.yaml", "its-sql-databases.yaml", "unito-short-course.yaml"])
def test_examples_issue_a_signed_sd_jwt_vc(issuer, example):
    header, payload, disclosures, leaf = _decode(_issue(example, issuer).text)
    assert header["alg"] == "ES256" and header["typ"] == "dc+sd-jwt"
    assert leaf == issuer[1]
    assert len(header["x5c"]) == 1  # the self-signed CA is the verifier's anchor, not sent
    assert payload["vct"] == VCT and payload["_sd_alg"] == "sha-256"
    assert payload["iat"] == 1790845200 and payload["nbf"] <= payload["iat"]
    # every disclosure hashes into an _sd array, once; the rest of the digests are decoys
    digests = _all_sd(payload)
    mine = [disclosure_digest(d) for d in disclosures]
    assert set(mine) <= set(digests) and len(set(mine)) == len(mine) == len(disclosures)
    assert len(digests) > len(mine)
    names = {decode_disclosure(d)[1] for d in disclosures}
    assert names <= PERSONAL | {"value"} and {"given_name", "family_name", "value"} <= names


def test_the_award_is_always_disclosed_and_the_person_never(issuer):
    issued = _issue("its-python-data.yaml", issuer)
    _, payload, disclosures, _ = _decode(issued.text)
    subject = payload["credentialSubject"]
    assert not PERSONAL & set(subject) and "value" not in subject["result"][0]
    achievement = subject["achievement"]
    assert achievement["name"] == "Analisi dati con Python"  # the outcome file's first language
    assert achievement["ECTS"] == 2 and achievement["eqfLevel"] == 5
    assert len(achievement["learningOutcomes"]) == 2 and achievement["volumeOfLearning"] == "PT50H"
    assert achievement["awardingBody"]["name"] == "Fondazione ITS Academy Esempio Digitale"
    assert achievement["qualityAssurance"] and achievement["resultDescription"][0]["name"]
    assert payload["issuer"]["address"]["addressCountryCode"] == "IT"
    values = {decode_disclosure(d)[1]: decode_disclosure(d)[2] for d in disclosures}
    assert values == {"given_name": "Giulia", "family_name": "Rossi", "birthdate": "2000-04-12",
                      "tax_id_code": "RSSGLI00D52L219I", "email": "giulia.rossi@example.org", "value": "28/30"}
    assert "exp" not in payload and "cnf" not in payload and "kid" not in _decode(issued.text)[0]


def test_dates_come_from_the_award(issuer):
    _, payload, _, _ = _decode(_issue("unito-short-course.yaml", issuer).text)
    assert payload["nbf"] == 1789862400  # 2026-09-20, the award date
    assert payload["exp"] == 2114380799  # 2036-12-31T23:59:59Z, credential.valid_until
    assert payload["validFrom"] == "2026-09-20T00:00:00Z" and payload["validUntil"] == "2036-12-31T23:59:59Z"


def test_holder_key_is_bound_as_cnf(issuer):
    holder = ec.generate_private_key(ec.SECP256R1()).public_key()
    _, payload, _, _ = _decode(_issue("its-python-data.yaml", issuer, holder=public_jwk(holder)).text)
    jwk = payload["cnf"]["jwk"]
    assert jwk["kty"] == "EC" and jwk["crv"] == "P-256" and "d" not in jwk
    assert int.from_bytes(_b64(jwk["x"]), "big") == holder.public_numbers().x


def test_it_wallet_profile_adds_its_claims(issuer):
    header, payload, _, _ = _decode(_issue("unito-short-course.yaml", issuer, profile="it-wallet").text)
    assert header["kid"] and payload["issuing_country"] == "IT"
    assert payload["issuing_authority"] == "University of Esempio"  # the file's first language
    assert payload["iss"].startswith("https://") and "exp" in payload


def test_it_wallet_profile_refuses_a_credential_without_exp(issuer):
    with pytest.raises(SigningError) as caught:
        _issue("its-python-data.yaml", issuer, profile="it-wallet")
    assert caught.value.code == "SDJWT_PROFILE_CLAIM_MISSING" and caught.value.path == "$.credential.valid_until"


def test_a_certificate_for_another_key_is_refused(issuer):
    _, _, ca_key, ca_cert = issuer
    other = EcSigningKey.generate("P-256")
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml", now=ISSUED)
    with pytest.raises(SigningError) as caught:
        issue_sd_jwt_vc(outcomes, outcomes.learners[0], other, [issuer[1], ca_cert], issued=ISSUED)
    assert caught.value.code == "SDJWT_CERT_KEY_MISMATCH"


@pytest.mark.parametrize(("options", "code"), [
    ({"ca": True}, "SDJWT_SIGNING_CERT_CA"),
    ({"digital_signature": False}, "SDJWT_SIGNING_CERT_USAGE"),
    ({"start": NOW - timedelta(days=800)}, "SDJWT_CERT_NOT_VALID"),  # expired before the issuing time
])
def test_a_certificate_unfit_for_signing_is_refused(issuer, options, code):
    _, _, ca_key, ca_cert = issuer
    key = EcSigningKey.generate("P-256")
    cert = certificate(key._key, ca_key, subject="Issuer", issuer="Test CA", **options)
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml", now=ISSUED)
    with pytest.raises(SigningError) as caught:
        issue_sd_jwt_vc(outcomes, outcomes.learners[0], key, [cert, ca_cert], issued=ISSUED)
    assert caught.value.code == code


def test_a_key_that_is_not_p256_is_refused(issuer):
    key = EcSigningKey.generate("P-384")
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml", now=ISSUED)
    with pytest.raises(SigningError) as caught:
        issue_sd_jwt_vc(outcomes, outcomes.learners[0], key, [issuer[1]], issued=ISSUED)
    assert caught.value.code == "SDJWT_KEY_NOT_P256"


def test_disclosure_interface_matches_rfc_9901():
    # RFC 9901 section 5.1 (and ietf-sd-jwt-vc examples/01): this disclosure and its digest
    encoded = "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd"
    assert decode_disclosure(encoded) == ["2GLC42sKQveCfGfryNRN9w", "given_name", "John"]
    assert disclosure_digest(encoded) == "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"
    assert encode_disclosure("2GLC42sKQveCfGfryNRN9w", "given_name", "John") == encoded
    assert disclosure_digest(encoded) == base64.urlsafe_b64encode(
        hashlib.sha256(encoded.encode()).digest()).rstrip(b"=").decode()


def test_every_issuing_code_has_italian_and_is_documented():
    codes = {"SDJWT_CERT_UNREADABLE", "SDJWT_CERT_KEY_MISMATCH", "SDJWT_SIGNING_CERT_CA", "SDJWT_SIGNING_CERT_USAGE",
             "SDJWT_CERT_NOT_VALID", "SDJWT_KEY_NOT_P256", "SDJWT_PROFILE_CLAIM_MISSING", "SDJWT_HOLDER_KEY_INVALID"}
    assert codes - set(_CATALOGUE) == set()
    table = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in codes if f"`{code}`" not in table} == set()


def test_an_unreadable_certificate_file_is_refused(tmp_path):
    from mcred.sdjwt.issuing import load_certificate_chain

    path = tmp_path / "chain.pem"
    path.write_bytes(b"not a certificate")
    with pytest.raises(InputError) as caught:
        load_certificate_chain(path)
    assert caught.value.code == "SDJWT_CERT_UNREADABLE"


def test_a_pkcs12_chain_is_read(tmp_path, issuer):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from mcred.sdjwt.issuing import load_certificate_chain

    key, leaf, _, ca_cert = issuer
    path = tmp_path / "issuer.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"issuer", key._key, leaf, [ca_cert],
                                                           BestAvailableEncryption(b"secret")))
    assert load_certificate_chain(path, b"secret") == [leaf, ca_cert]
    with pytest.raises(InputError) as caught:
        load_certificate_chain(path, b"wrong")
    assert caught.value.code == "SDJWT_CERT_UNREADABLE"


def test_it_wallet_profile_refuses_an_issuer_without_https_homepage(issuer, tmp_path):
    import yaml

    data = yaml.safe_load((EXAMPLES / "unito-short-course.yaml").read_text(encoding="utf-8"))
    del data["issuer"]["homepage"]
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    key, leaf, _, ca_cert = issuer
    outcomes = load_outcomes(path, now=ISSUED)
    with pytest.raises(SigningError) as caught:
        issue_sd_jwt_vc(outcomes, outcomes.learners[0], key, [leaf, ca_cert], issued=ISSUED, profile="it-wallet")
    assert caught.value.code == "SDJWT_PROFILE_CLAIM_MISSING" and caught.value.path == "$.issuer.homepage"


def test_a_changed_disclosure_no_longer_matches_a_digest(issuer):
    # what a holder would try: another name, the signature untouched; no digest in the payload covers it
    _, payload, disclosures, _ = _decode(_issue("its-python-data.yaml", issuer).text)
    salt = decode_disclosure(disclosures[0])[0]
    forged = encode_disclosure(salt, "given_name", "Mallory")
    assert disclosure_digest(forged) not in _all_sd(payload)

"""Seals mcred makes verify in mcred, have EDC's header, and every tampering fails for its own reason."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from mcred._schema import schema_errors
from mcred.errors import SigningError
from mcred.issue.seal import SealKey, seal_credential
from mcred.report import Status, VerifyOptions
from mcred.seals.anchors import X509Anchor
from mcred.seals.jades import b64url, make_seal, sign_bytes
from mcred.verify.runner import verify_credential
from mcred.verify.trust import TrustList
from tests.conftest import ASSETS, NOW, load_json
from tests.pki import header_of, resign, seal_pki

EXAMPLES = ASSETS.parent.parent / "examples"
WHEN = "2026-07-01T09:00:00Z"


@pytest.fixture(scope="module")
def pki():
    return seal_pki()


@pytest.fixture(scope="module")
def trust(pki) -> TrustList:
    return TrustList((), anchors=(X509Anchor.from_certificate(pki.root.cert, "mcred TEST Root CA"),))


@pytest.fixture(scope="module")
def unsigned() -> dict:
    return load_json(EXAMPLES / "elm-microcredential.json")


@pytest.fixture(scope="module")
def sealed(pki, unsigned) -> dict:
    return seal_credential(unsigned, SealKey(pki.seal.key, (pki.seal.cert, pki.ca.cert)), when=WHEN)


def check(document, trust=None, strict=False):
    return verify_credential(document, options=VerifyOptions(now=NOW, trust=trust, strict=strict))


def first_failure(report) -> str:
    return report.failures[0].code


def codes(report, status: Status) -> list[str]:
    return [c.code for c in report.checks if c.status == status]


# -- round trips ------------------------------------------------------------------------------


def test_a_sealed_credential_verifies_and_is_trusted_through_its_anchor(sealed, trust):
    report = check(sealed, trust)
    assert report.outcome == "verified", [(c.code, c.message) for c in report.checks if c.status != Status.PASSED]
    assert report.seal["trusted"] and report.seal["level"] == "B-B" and report.seal["alg"] == "RS256"
    assert report.seal["chain"] == ["mcred TEST SEAL", "mcred TEST Seal CA", "mcred TEST Root CA"]
    assert report.to_dict()["issuer_name"] == "Fondazione ITS Academy Esempio Digitale"
    assert schema_errors(report.to_dict("it"), "mcred-report-1.schema.json") == []
    assert {"SKIPPED_SEALED", "SKIPPED_NO_TIMESTAMPS", "SKIPPED_NO_REVOCATION_DATA"} <= set(
        codes(report, Status.SKIPPED))


def test_without_a_trust_anchor_it_is_valid_but_not_trusted(sealed):
    report = check(sealed)
    assert report.outcome == "verified-with-warnings"
    assert codes(report, Status.WARNING) == ["JADES_CHAIN_UNTRUSTED"]


def test_the_protected_header_has_the_ec_samples_parameters_less_the_time_stamp(sealed):
    ec = header_of(load_json(ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"))
    ours = header_of(sealed)
    assert list(ours) == [name for name in ec if name != "adoTst"]
    assert ours["crit"] == ["b64", "sigT"] and ours["b64"] is False and ours["sigT"] == WHEN
    assert (ours["typ"], ours["cty"]) == (ec["typ"], ec["cty"])
    assert json.loads(sealed["payload"]) == load_json(EXAMPLES / "elm-microcredential.json")


def test_a_credential_with_an_ed25519_proof_keeps_it_and_both_verify(pki, trust):
    signed = load_json(EXAMPLES / "elm-microcredential.signed.json")
    sealed = seal_credential(signed, SealKey(pki.seal.key, (pki.seal.cert, pki.ca.cert)), when=WHEN)
    report = check(sealed, trust)
    assert not report.failures
    passed = codes(report, Status.PASSED)
    assert {"PROOF_OK", "ISSUER_OK", "JADES_SIGNATURE_OK", "JADES_ISSUER_SEALED"} <= set(passed)


@pytest.mark.parametrize("which,alg", [("seal", "PS256"), ("seal", "RS512"), ("ec_seal", "ES256"),
                                       ("ec384_seal", "ES384")])
def test_other_algorithms_round_trip(pki, unsigned, trust, which, alg):
    cert = getattr(pki, which)
    sealed = seal_credential(unsigned, SealKey(cert.key, (cert.cert, pki.ca.cert)), alg=alg, when=WHEN)
    assert header_of(sealed)["alg"] == alg
    assert check(sealed, trust).outcome == "verified"


def test_the_seal_key_hides_its_key(pki):
    assert "hidden" in repr(SealKey(pki.seal.key, (pki.seal.cert,))) and "PRIVATE" not in repr(pki.seal.key)


# -- what mcred refuses to seal ---------------------------------------------------------------


def test_sealing_refuses_an_expired_certificate_another_organisation_and_a_broken_proof(pki, unsigned):
    with pytest.raises(SigningError) as expired:
        seal_credential(unsigned, SealKey(pki.expired.key, (pki.expired.cert,)), when=WHEN)
    assert expired.value.code == "SEAL_CERT_NOT_VALID"
    with pytest.raises(SigningError) as other:
        seal_credential(unsigned, SealKey(pki.other_org.key, (pki.other_org.cert,)), when=WHEN)
    assert other.value.code == "SEAL_ISSUER_MISMATCH"
    signed = load_json(EXAMPLES / "elm-microcredential.signed.json")
    signed["credentialSubject"]["givenName"] = {"it": "Mallory"}
    with pytest.raises(SigningError) as broken:
        seal_credential(signed, SealKey(pki.seal.key, (pki.seal.cert,)), when=WHEN)
    assert broken.value.code == "SEAL_PROOF_INVALID"
    with pytest.raises(SigningError) as usage:
        seal_credential(unsigned, SealKey(pki.no_usage.key, (pki.no_usage.cert,)), when=WHEN)
    assert usage.value.code == "SEAL_CERT_USAGE"


# -- tampering: each fails for its own reason -------------------------------------------------


def test_a_changed_payload(sealed):
    payload = sealed["payload"].replace("Giulia", "Mallory")
    assert payload != sealed["payload"]
    assert first_failure(check({**sealed, "payload": payload})) == "JADES_SIGNATURE_INVALID"


def test_a_swapped_certificate(pki, sealed):
    # someone seals a changed credential with their own key and shows the ITS Academy's certificate
    payload = sealed["payload"].replace("Giulia", "Mallory")
    forged = resign(sealed, pki.other_org.key, payload=payload)
    assert first_failure(check(forged)) == "JADES_CERT_NOT_SIGNER"


def test_a_wrong_x5t(pki, sealed):
    header = header_of(sealed)
    header["x5t#S256"] = b64url(hashlib.sha256(pki.other_org.cert.public_bytes(serialization.Encoding.DER)).digest())
    assert first_failure(check(resign(sealed, pki.seal.key, header=header))) == "JADES_X5T_MISMATCH"


def test_a_wrong_kid(pki, sealed):
    from mcred.seals._asn1 import issuer_serial

    header = header_of(sealed)
    other = pki.other_org.cert
    header["kid"] = base64.b64encode(issuer_serial(other.issuer.public_bytes(), other.serial_number)).decode()
    assert first_failure(check(resign(sealed, pki.seal.key, header=header))) == "JADES_KID_MISMATCH"


def test_an_unknown_crit_entry(pki, sealed):
    header = header_of(sealed)
    header["sigPl"] = {"addressCountry": "IT"}
    header["crit"] = [*header["crit"], "sigPl"]
    report = check(resign(sealed, pki.seal.key, header=header))
    assert first_failure(report) == "JADES_CRIT_UNKNOWN" and report.failures[0].params["name"] == "sigPl"


@pytest.mark.parametrize("crit", [[], ["sigT"], ["b64", "b64"], ["b64", "sigT", "alg"], ["b64", "sigT", "adoTst"]])
def test_a_malformed_crit(pki, sealed, crit):
    header = header_of(sealed)
    header["crit"] = crit
    assert first_failure(check(resign(sealed, pki.seal.key, header=header))) == "JADES_CRIT_INVALID"


def test_alg_none(sealed):
    header = {**header_of(sealed), "alg": "none"}
    report = check(resign(sealed, None, header=header, signature=b""))
    assert first_failure(report) == "JADES_ALG_REFUSED"


def test_alg_hs256_with_the_certificate_as_the_secret(pki, sealed):
    # the classic confusion: an HMAC keyed with the public key, which anybody has
    header = {**header_of(sealed), "alg": "HS256"}
    protected = b64url(json.dumps(header).encode())
    secret = pki.seal.cert.public_bytes(serialization.Encoding.PEM)
    mac = hmac.new(secret, protected.encode() + b"." + sealed["payload"].encode(), "sha256").digest()
    forged = {"payload": sealed["payload"], "signatures": [{"protected": protected, "signature": b64url(mac)}]}
    assert first_failure(check(forged)) == "JADES_ALG_REFUSED"


def test_an_algorithm_mcred_does_not_verify_and_one_that_does_not_fit_the_key(pki, sealed):
    header = {**header_of(sealed), "alg": "EdDSA"}
    assert first_failure(check(resign(sealed, None, header=header, signature=b"x"))) == "JADES_ALG_UNSUPPORTED"
    header = {**header_of(sealed), "alg": "ES256"}
    assert first_failure(check(resign(sealed, None, header=header, signature=b"x" * 64))) == "JADES_ALG_KEY_MISMATCH"


def test_a_certificate_from_another_chain_claiming_the_trusted_root(pki, unsigned, trust):
    forged = seal_credential(unsigned, SealKey(pki.forged_seal.key, (pki.forged_seal.cert, pki.forged_ca.cert)),
                             when=WHEN)
    report = check(forged, trust)
    assert first_failure(report) == "JADES_CHAIN_BROKEN"
    assert "JADES_SIGNATURE_OK" in codes(report, Status.PASSED)  # the seal is a real seal, by a false CA


def test_a_certificate_from_an_unrelated_chain_is_valid_but_not_trusted(pki, unsigned, trust):
    sealed = seal_credential(unsigned, SealKey(pki.foreign_seal.key, (pki.foreign_seal.cert,)), when=WHEN)
    assert codes(check(sealed, trust), Status.WARNING) == ["JADES_CHAIN_UNTRUSTED"]
    assert first_failure(check(sealed, trust, strict=True)) == "JADES_CHAIN_UNTRUSTED"


def test_sealed_by_another_organisation_than_the_issuer(pki, unsigned):
    payload = json.dumps(unsigned).encode()
    sealed = make_seal(payload, lambda data: sign_bytes(pki.other_org.key, "RS256", data), "RS256",
                       [pki.other_org.cert, pki.ca.cert], WHEN)
    assert first_failure(check(sealed)) == "JADES_ISSUER_NOT_SEALER"


def test_a_certificate_expired_when_sealed_or_not_yet_valid(pki, unsigned):
    payload = json.dumps(unsigned).encode()
    sealed = make_seal(payload, lambda data: sign_bytes(pki.expired.key, "RS256", data), "RS256",
                       [pki.expired.cert], WHEN)
    assert first_failure(check(sealed)) == "JADES_CERT_EXPIRED"
    early = make_seal(payload, lambda data: sign_bytes(pki.seal.key, "RS256", data), "RS256",
                      [pki.seal.cert], "2025-06-01T00:00:00Z")
    assert first_failure(check(early)) == "JADES_CERT_NOT_YET_VALID"
    later = make_seal(payload, lambda data: sign_bytes(pki.seal.key, "RS256", data), "RS256",
                      [pki.seal.cert], "2027-06-01T00:00:00Z")
    assert first_failure(check(later)) == "JADES_SIGT_FUTURE"


def test_a_certificate_not_allowed_to_seal(pki, unsigned):
    sealed = make_seal(json.dumps(unsigned).encode(), lambda data: sign_bytes(pki.no_usage.key, "RS256", data),
                       "RS256", [pki.no_usage.cert], WHEN)
    assert first_failure(check(sealed)) == "JADES_CERT_USAGE"


def test_an_ecdsa_signature_of_the_wrong_length(pki, unsigned):
    sealed = seal_credential(unsigned, SealKey(pki.ec_seal.key, (pki.ec_seal.cert,)), when=WHEN)
    entry = {**sealed["signatures"][0], "signature": sealed["signatures"][0]["signature"][:-4]}
    assert first_failure(check({**sealed, "signatures": [entry]})) == "JADES_SIGNATURE_INVALID"


@pytest.mark.parametrize("mutate,code", [
    (lambda s: {**s, "signatures": [{**s["signatures"][0], "protected": "not base64!"}]}, "JADES_MALFORMED"),
    (lambda s: {**s, "signatures": [s["signatures"][0], s["signatures"][0]]}, "JADES_UNSUPPORTED"),
    (lambda s: {**s, "signatures": []}, "JADES_MALFORMED"),
    (lambda s: {**s, "payload": 42}, "JADES_MALFORMED"),
    (lambda s: {**s, "signatures": [{**s["signatures"][0], "header": {"etsiU": [{"a": 1}, "eyJiIjoxfQ"]}}]},
     "JADES_MALFORMED"),
    (lambda s: {**s, "signatures": [{**s["signatures"][0], "header": {"alg": "RS256"}}]}, "JADES_MALFORMED"),
])
def test_malformed_seals(sealed, mutate, code):
    assert first_failure(check(mutate(sealed))) == code


def test_a_duplicated_header_parameter_is_refused(pki, sealed):
    text = json.dumps(header_of(sealed), separators=(",", ":"))[:-1] + ',"alg":"RS256"}'
    protected = b64url(text.encode())
    signature = sign_bytes(pki.seal.key, "RS256", protected.encode() + b"." + sealed["payload"].encode())
    forged = {**sealed, "signatures": [{**sealed["signatures"][0], "protected": protected,
                                        "signature": b64url(signature)}]}
    assert first_failure(check(forged)) == "JADES_MALFORMED"


def test_sigd_detached_content_is_not_supported(pki, sealed):
    header = {**header_of(sealed), "sigD": {"mId": "http://uri.etsi.org/19182/ObjectIdByURI", "pars": ["a"]}}
    assert first_failure(check(resign(sealed, pki.seal.key, header=header))) == "JADES_UNSUPPORTED"


def test_a_payload_that_is_not_a_credential_is_unusable(pki, sealed):
    report = check(resign(sealed, pki.seal.key, payload="[1, 2]"))
    assert report.outcome == "unusable" and report.exit_code == 3
    assert "JADES_PAYLOAD_NOT_CREDENTIAL" in codes(report, Status.FAILED)


def test_base64_payload_with_b64_true_is_read_too(pki, unsigned, trust):
    sealed = seal_credential(unsigned, SealKey(pki.seal.key, (pki.seal.cert, pki.ca.cert)), when=WHEN)
    header = {k: v for k, v in header_of(sealed).items() if k != "b64"}
    header["crit"] = ["sigT"]
    payload = b64url(sealed["payload"].encode())
    assert check(resign(sealed, pki.seal.key, header=header, payload=payload), trust).outcome == "verified"


def test_iat_is_read_as_the_signing_time(pki, sealed):
    header = {k: v for k, v in header_of(sealed).items() if k != "sigT"}
    header["iat"] = int(datetime(2026, 7, 1, 9, tzinfo=timezone.utc).timestamp())
    header["crit"] = ["b64"]
    report = check(resign(sealed, pki.seal.key, header=header))
    assert report.seal["signing_time"] == WHEN and not report.failures


# -- revocation data carried in the seal ------------------------------------------------------


def _with_crl(sealed: dict, pki, revoked_at: datetime | None, signer=None) -> dict:
    """The seal with a CRL of its CA in etsiU rVals (unsigned: no re-signing needed)."""
    builder = (x509.CertificateRevocationListBuilder().issuer_name(pki.ca.cert.subject)
               .last_update(datetime(2026, 8, 1, tzinfo=timezone.utc))
               .next_update(datetime(2026, 9, 1, tzinfo=timezone.utc)))
    if revoked_at is not None:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(pki.seal.cert.serial_number)
            .revocation_date(revoked_at).build())
    crl = builder.sign(signer or pki.ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    component = {"rVals": {"crlVals": [{"val": base64.b64encode(crl).decode()}]}}
    entry = {**sealed["signatures"][0], "header": {"etsiU": [b64url(json.dumps(component).encode())]}}
    return {**sealed, "signatures": [entry]}


def test_revocation_from_a_crl_in_rvals(pki, sealed):
    good = check(_with_crl(sealed, pki, None))
    assert "JADES_REVOCATION_GOOD" in codes(good, Status.PASSED)
    before = check(_with_crl(sealed, pki, datetime(2026, 6, 1, tzinfo=timezone.utc)))
    assert first_failure(before) == "JADES_REVOKED"
    after = check(_with_crl(sealed, pki, datetime(2026, 7, 15, tzinfo=timezone.utc)))
    assert "JADES_REVOKED_AFTER" in codes(after, Status.WARNING) and not after.failures


def test_a_crl_in_the_cas_name_but_not_signed_by_it_is_ignored(pki, sealed):
    forged = _with_crl(sealed, pki, datetime(2026, 6, 1, tzinfo=timezone.utc), signer=pki.foreign_root.key)
    report = check(forged)
    assert "SKIPPED_NO_REVOCATION_DATA" in codes(report, Status.SKIPPED) and not report.failures


def _ocsp_response(pki, status, signer_cert, signer_key) -> bytes:
    from cryptography.x509 import ocsp

    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=pki.seal.cert, issuer=pki.ca.cert, algorithm=hashes.SHA256(), cert_status=status,
        this_update=datetime(2026, 8, 1, tzinfo=timezone.utc), next_update=datetime(2026, 9, 1, tzinfo=timezone.utc),
        revocation_time=datetime(2026, 6, 1, tzinfo=timezone.utc) if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=None)
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
    # no certificates in the response, so that its signature is its last bytes
    return builder.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _ocsp_responder(pki, key):
    """A certificate the seal CA issued for OCSP signing, for ``key``."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from tests.pki import _name

    cert = (x509.CertificateBuilder().subject_name(_name("mcred TEST OCSP responder"))
            .issuer_name(pki.ca.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(datetime(2026, 1, 1, tzinfo=timezone.utc))
            .not_valid_after(datetime(2028, 1, 1, tzinfo=timezone.utc))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
            .sign(pki.ca.key, hashes.SHA256()))
    return cert


def test_ocsp_responses_signed_by_the_ca_or_its_rsa_or_ec_responder_are_read(pki):
    """RFC 6960: the CA itself, or a responder it certified (RSA: PKCS#1 v1.5, EC: ECDSA), signs the response."""
    from cryptography.x509 import ocsp

    from mcred.seals.x509 import _ocsp_status
    from tests.pki import ec_key, rsa_key

    good = _ocsp_response(pki, ocsp.OCSPCertStatus.GOOD, pki.ca.cert, pki.ca.key)
    assert _ocsp_status(pki.seal.cert, pki.ca.cert, good, []).status == "good"
    revoked = _ocsp_response(pki, ocsp.OCSPCertStatus.REVOKED, pki.ca.cert, pki.ca.key)
    assert _ocsp_status(pki.seal.cert, pki.ca.cert, revoked, []).status == "revoked"
    for make_key in (rsa_key, ec_key):
        key = make_key()
        responder = _ocsp_responder(pki, key)
        signed = _ocsp_response(pki, ocsp.OCSPCertStatus.GOOD, responder, key)
        assert _ocsp_status(pki.seal.cert, pki.ca.cert, signed, [responder]).status == "good"
        # negative: the same response with its signature's last byte changed is not used
        tampered = signed[:-1] + bytes([signed[-1] ^ 1])
        assert _ocsp_status(pki.seal.cert, pki.ca.cert, tampered, [responder]) is None
    assert _ocsp_status(pki.seal.cert, pki.ca.cert, good[:-1] + bytes([good[-1] ^ 1]), []) is None


# -- a seal certificate must be an end-entity certificate fit for seals (issue 13) ---------------------


def _sealed_with(pki, unsigned, **cert):
    from tests.pki import ec_key, make_seal_cert

    issued = make_seal_cert(pki.ca, key=ec_key(), **cert)
    payload = json.dumps(unsigned).encode()
    return make_seal(payload, lambda data: sign_bytes(issued.key, "ES256", data), "ES256",
                     [issued.cert, pki.ca.cert], WHEN), issued


def test_a_ca_certificate_cannot_seal(pki, unsigned, trust):
    sealed, issued = _sealed_with(pki, unsigned, ca_flag=True)
    report = check(sealed, trust)
    assert "JADES_CERT_CA" in [c.code for c in report.failures] and not report.verified
    with pytest.raises(SigningError, match="CA certificate"):
        seal_credential(unsigned, SealKey(issued.key, (issued.cert, pki.ca.cert)), when=WHEN)


@pytest.mark.parametrize("usages", [
    [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING],
    [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH],
    [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH],
])
def test_a_certificate_whose_extended_key_usage_is_not_for_documents_cannot_seal(pki, unsigned, trust, usages):
    sealed, issued = _sealed_with(pki, unsigned, extended_usage=usages)
    report = check(sealed, trust)
    [failure] = [c for c in report.failures if c.code == "JADES_CERT_EKU"]
    assert usages[0]._name in failure.message and not report.verified
    with pytest.raises(SigningError, match="extended key usage"):
        seal_credential(unsigned, SealKey(issued.key, (issued.cert, pki.ca.cert)), when=WHEN)


@pytest.mark.parametrize("usages", [
    [x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")],                       # id-kp-documentSigning (RFC 9336)
    [x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH],
    [x509.oid.ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE],
])
def test_an_extended_key_usage_that_allows_documents_may_seal(pki, unsigned, trust, usages):
    sealed, _ = _sealed_with(pki, unsigned, extended_usage=usages)
    assert check(sealed, trust).verified


def test_a_payload_with_a_key_given_twice_is_refused(pki, unsigned, trust):
    """JSON readers disagree on which of two values counts: what the seal vouches for would depend on the reader."""
    from mcred.seals.jades import sealed_payload

    text = json.dumps(unsigned)
    payload = text.replace('"issued":', '"expirationDate": "2020-01-01T00:00:00Z", "issued":', 1)
    payload = payload[:-1] + ', "expirationDate": "2099-01-01T00:00:00Z"}'
    sealed = make_seal(payload.encode(), lambda data: sign_bytes(pki.seal.key, "RS256", data), "RS256",
                       [pki.seal.cert, pki.ca.cert], WHEN)
    report = check(sealed, trust)
    [failure] = report.failures
    assert (failure.code, report.exit_code) == ("JADES_PAYLOAD_DUPLICATE_KEY", 3)
    assert "'expirationDate'" in failure.message
    assert sealed_payload(sealed) is None  # nothing to show either

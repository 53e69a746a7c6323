"""mcred verify X.sd-jwt: an SD-JWT VC signed by an x5c leaf, its chain, disclosures, dates and key binding.

Each tampering a holder (or anyone) could try fails with its own code; the credentials are made by
tests/sdjwt_make.py over a throw-away P-256 PKI.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

import mcred
from mcred.messages import _CATALOGUE
from mcred.report import Status, VerifyOptions
from mcred.seals.anchors import X509Anchor
from mcred.verify.runner import verify_file
from mcred.verify.trust import TrustList
from tests.sdjwt_make import IAT, NOW, ec_pki, issue, present, sign_jwt

ASSETS = Path(__file__).parents[2] / "assets" / "sd-jwt-vc"
NONCE, AUD = "n-0S6_WzA2Mj", "https://verifier.example"


def _trust() -> TrustList:
    return TrustList((), anchors=(X509Anchor.from_certificate(ec_pki().root.cert, "EC root"),))


def _verify(tmp_path, text: str, *, name: str = "x.sd-jwt", trust: bool = True, **options):
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return verify_file(path, options=VerifyOptions(now=NOW, trust=_trust() if trust else None, **options))


def _failed(report) -> list[str]:
    return [c.code for c in report.checks if c.status == Status.FAILED]


def test_an_issued_credential_verifies(tmp_path):
    text, _ = issue()
    report = _verify(tmp_path, text)
    assert report.outcome == "verified", [c.to_dict() for c in report.checks]
    assert report.issuer == "https://its.example/issuer"
    assert report.facts.claims["given_name"] == "Maria" and report.facts.withheld == 1  # the decoy
    codes = [c.code for c in report.checks]
    assert codes == ["SDJWT_READ", "SDJWT_FORMAT_OK", "SDJWT_CERT_VALID", "SDJWT_SIGNATURE_OK",
                     "SDJWT_CHAIN_TRUSTED", "SDJWT_DISCLOSURES_OK", "SDJWT_TYPE_OK", "SDJWT_DATES_OK"]


def test_content_detection_under_another_name(tmp_path):
    text, _ = issue()
    assert _verify(tmp_path, text, name="credential.txt").outcome == "verified"


def test_withheld_claims_are_counted(tmp_path):
    text, disclosures = issue()
    jwt = text.split("~")[0]
    report = _verify(tmp_path, jwt + "~" + disclosures[0] + "~")
    assert report.verified and report.facts.withheld == 3
    assert "family_name" not in report.facts.claims and report.facts.claims["given_name"] == "Maria"


def test_a_presentation_with_key_binding_verifies(tmp_path):
    text, disclosures = issue()
    report = _verify(tmp_path, present(text, disclosures[:1]), nonce=NONCE, audience=AUD)
    assert report.outcome == "verified" and report.checks[-1].code == "SDJWT_KB_OK"


def test_key_binding_without_nonce_or_aud_is_a_warning(tmp_path):
    text, _ = issue()
    report = _verify(tmp_path, present(text))
    assert report.outcome == "verified-with-warnings" and report.checks[-1].code == "SDJWT_KB_UNCHECKED"


def test_the_legacy_typ_is_a_warning(tmp_path):
    text, _ = issue(header={"typ": "vc+sd-jwt"})
    report = _verify(tmp_path, text)
    assert report.outcome == "verified-with-warnings"
    assert "SDJWT_TYP_LEGACY" in [c.code for c in report.warnings]


def test_without_anchors_the_issuer_is_not_checked(tmp_path):
    text, _ = issue()
    report = _verify(tmp_path, text, trust=False)
    assert report.outcome == "verified-with-warnings"
    assert [c.code for c in report.warnings] == ["SDJWT_CHAIN_NOT_CHECKED"]


# -- tampering ------------------------------------------------------------------------------------


def test_a_changed_disclosure(tmp_path):
    from mcred.sdjwt.disclosures import encode_disclosure

    text, disclosures = issue()
    jwt = text.split("~")[0]
    forged = encode_disclosure("salt-grade-0123456789", "grade", "30/30 e lode")
    report = _verify(tmp_path, jwt + "~" + "~".join([*disclosures[:2], forged]) + "~")
    assert _failed(report) == ["SDJWT_DISCLOSURE_UNREFERENCED"]


def test_an_added_disclosure(tmp_path):
    from mcred.sdjwt.disclosures import encode_disclosure

    text, _ = issue()
    report = _verify(tmp_path, text + encode_disclosure("s", "honours", True) + "~")
    assert _failed(report) == ["SDJWT_DISCLOSURE_UNREFERENCED"]


def test_a_repeated_disclosure(tmp_path):
    text, disclosures = issue()
    assert _failed(_verify(tmp_path, text + disclosures[0] + "~")) == ["SDJWT_DISCLOSURE_REPEATED"]


def test_a_dropped_disclosure_after_key_binding(tmp_path):
    # without key binding, leaving a disclosure out is what selective disclosure is; after the holder signed
    # the presentation, dropping one breaks sd_hash
    text, disclosures = issue()
    presentation = present(text, disclosures)
    jwt, *rest = presentation.split("~")
    dropped = "~".join([jwt, *rest[1:]])
    assert _failed(_verify(tmp_path, dropped, nonce=NONCE, audience=AUD)) == ["SDJWT_KB_SD_HASH_MISMATCH"]


def test_a_digest_removed_without_the_issuer(tmp_path):
    text, _ = issue()
    jwt, rest = text.split("~", 1)
    head, body, signature = jwt.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["_sd"] = payload["_sd"][1:]
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    report = _verify(tmp_path, f"{head}.{body}.{signature}~{rest}")
    assert "SDJWT_SIGNATURE_INVALID" in _failed(report)


def test_a_digest_signed_twice(tmp_path):
    text, _ = issue(payload_edit=lambda p: p["_sd"].append(p["_sd"][0]))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_DIGEST_REPEATED"]


def test_the_signature(tmp_path):
    text, _ = issue()
    jwt, rest = text.split("~", 1)
    head, body, signature = jwt.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert _failed(_verify(tmp_path, f"{head}.{body}.{flipped}~{rest}")) == ["SDJWT_SIGNATURE_INVALID"]


def test_a_payload_changed_after_signing(tmp_path):
    text, _ = issue()
    other, _ = issue(plain={"title": "Quantum computing"})
    jwt, rest = text.split("~", 1)
    body = other.split("~")[0].split(".")[1]
    head, _, signature = jwt.split(".")
    assert _failed(_verify(tmp_path, f"{head}.{body}.{signature}~{rest}")) == ["SDJWT_SIGNATURE_INVALID"]


def _unsigned(header: dict, payload: dict) -> str:
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}."


def test_alg_none(tmp_path):
    text = _unsigned({"alg": "none", "typ": "dc+sd-jwt"}, {"vct": "urn:x", "iat": IAT}) + "x~"
    report = _verify(tmp_path, text.replace(".x~", ".~"))
    assert _failed(report) == ["SDJWT_ALG_NONE"]


def test_alg_other_than_es256(tmp_path):
    text = _unsigned({"alg": "HS256", "typ": "dc+sd-jwt"}, {"vct": "urn:x"}) + "~"
    assert _failed(_verify(tmp_path, text.replace(".~", ".c2ln~"))) == ["SDJWT_ALG_UNSUPPORTED"]


def test_a_wrong_typ(tmp_path):
    text, _ = issue(header={"typ": "JWT"})
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_TYP_INVALID"]


def test_no_vct(tmp_path):
    text, _ = issue(payload_edit=lambda p: p.pop("vct"))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_VCT_MISSING"]


def test_a_chain_that_does_not_reach_the_anchor(tmp_path):
    pki = ec_pki()
    text, _ = issue(signer=pki.foreign, chain=[pki.foreign])
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_CHAIN_UNTRUSTED"]


def test_a_ca_leaf(tmp_path):
    pki = ec_pki()
    text, _ = issue(signer=pki.ca_leaf)
    assert "SDJWT_CERT_CA" in _failed(_verify(tmp_path, text))


def test_a_leaf_not_allowed_to_sign(tmp_path):
    pki = ec_pki()
    text, _ = issue(signer=pki.no_usage)
    assert "SDJWT_CERT_USAGE" in _failed(_verify(tmp_path, text))


def test_an_expired_certificate(tmp_path):
    pki = ec_pki()
    text, _ = issue(signer=pki.expired)
    failed = _failed(_verify(tmp_path, text))
    assert failed[0] == "SDJWT_CERT_EXPIRED" and "SDJWT_CHAIN_INVALID" in failed


def test_a_leaf_not_signing_the_jwt(tmp_path):
    # the x5c names the trusted issuer, but another key signed: the signature does not match the leaf
    pki = ec_pki()
    text, _ = issue(signer=pki.foreign, chain=[pki.issuer, pki.ca])
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_SIGNATURE_INVALID"]


def test_no_x5c(tmp_path):
    text, _ = issue(chain=[])
    text = _strip_x5c(text)
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_X5C_MISSING"]


def _strip_x5c(text: str) -> str:
    jwt, rest = text.split("~", 1)
    head, body, _ = jwt.split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    header.pop("x5c")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return sign_jwt(header, payload, ec_pki().issuer.key) + "~" + rest


def test_the_ietf_examples_have_no_x5c(tmp_path):
    text = (ASSETS / "01" / "sd_jwt_presentation.txt").read_text(encoding="ascii")
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_X5C_MISSING"]


def test_expired_and_not_yet_valid(tmp_path):
    text, _ = issue(payload_edit=lambda p: p.update(exp=IAT + 10))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_EXPIRED"]
    text, _ = issue(payload_edit=lambda p: p.update(nbf=IAT + 30 * 86400))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_NOT_YET_VALID"]
    text, _ = issue(payload_edit=lambda p: p.update(exp="tomorrow"))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_DATE_INVALID"]


def test_iat_in_the_future(tmp_path):
    text, _ = issue(payload_edit=lambda p: p.update(iat=IAT + 7 * 86400))
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_IAT_FUTURE"]


# -- key binding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"nonce": "another"}, "SDJWT_KB_NONCE_MISMATCH"),
    ({"aud": "https://elsewhere.example"}, "SDJWT_KB_AUD_MISMATCH"),
    ({"sd_hash_of": "something else~"}, "SDJWT_KB_SD_HASH_MISMATCH"),
    ({"iat": IAT}, "SDJWT_KB_IAT_STALE"),
    ({"typ": "JWT"}, "SDJWT_KB_TYP"),
])
def test_a_wrong_kb_jwt(tmp_path, kwargs, code):
    text, _ = issue()
    assert _failed(_verify(tmp_path, present(text, **kwargs), nonce=NONCE, audience=AUD)) == [code]


def test_a_kb_jwt_by_another_key(tmp_path):
    text, _ = issue()
    assert _failed(_verify(tmp_path, present(text, key=ec_pki().issuer.key), nonce=NONCE, audience=AUD)) == \
        ["SDJWT_KB_SIGNATURE_INVALID"]


def test_key_binding_asked_for_but_absent(tmp_path):
    text, _ = issue()
    assert _failed(_verify(tmp_path, text, nonce=NONCE, audience=AUD)) == ["SDJWT_KB_MISSING"]


def test_a_kb_jwt_without_a_holder_key(tmp_path):
    text, _ = issue(holder=False)
    assert _failed(_verify(tmp_path, present(text), nonce=NONCE, audience=AUD)) == ["SDJWT_KB_NO_CNF"]


TSL_URI = "https://its.example/status/tsl/1"


def _with_status(idx=3, uri=TSL_URI):
    text, _ = issue(payload_edit=lambda p: p.update(status={"status_list": {"idx": idx, "uri": uri}}))
    return text


def _token_list(tmp_path, statuses: dict, *, key=None, sub=TSL_URI, name="list.jwt", iat=IAT):
    """A Status List Token file (1024 2-bit statuses), signed by the issuer's x5c key unless ``key``."""
    from mcred.status_tokens import empty_list, encode_status_list, set_status
    from mcred.verify.status_copies import load_status_lists

    data = empty_list(1024, 2)
    for index, value in statuses.items():
        set_status(data, index, 2, value)
    jwt = sign_jwt({"typ": "statuslist+jwt"}, {"sub": sub, "iat": iat, "status_list": encode_status_list(data, 2)},
                   key or ec_pki().issuer.key)
    (tmp_path / name).write_text(jwt + "\n", encoding="ascii")
    return load_status_lists([tmp_path / name])


def _status(report):
    return [(c.status, c.code) for c in report.checks if c.check == "status"]


def test_a_status_without_a_copy_of_its_list_is_a_warning(tmp_path):
    report = _verify(tmp_path, _with_status())
    assert [c.code for c in report.warnings] == ["SDJWT_STATUS_UNCHECKED"]
    assert "--status-list" in report.warnings[0].hint and report.exit_code == 0


@pytest.mark.parametrize(("value", "expected"), [(0, (Status.PASSED, "SDJWT_STATUS_VALID")),
                                                 (1, (Status.FAILED, "SDJWT_STATUS_REVOKED")),
                                                 (2, (Status.FAILED, "SDJWT_STATUS_SUSPENDED")),
                                                 (3, (Status.WARNING, "SDJWT_STATUS_OTHER"))])
def test_the_status_is_read_from_the_issuers_list(tmp_path, value, expected):
    lists = _token_list(tmp_path, {3: value})
    report = _verify(tmp_path, _with_status(3), status_lists=lists)
    assert _status(report) == [expected]
    assert report.exit_code == (1 if expected[0] == Status.FAILED else 0)


def test_a_list_signed_by_another_key_neither_revokes_nor_clears(tmp_path):
    lists = _token_list(tmp_path, {3: 1}, key=ec_pki().foreign.key)
    report = _verify(tmp_path, _with_status(3), status_lists=lists)
    assert _status(report) == [(Status.WARNING, "TSL_SIGNATURE_INVALID")]
    assert report.exit_code == 0 and report.warnings[0].path.endswith("list.jwt")


def test_a_list_for_another_uri_does_not_answer(tmp_path):
    lists = _token_list(tmp_path, {3: 1}, sub="https://its.example/status/tsl/other")
    assert _status(_verify(tmp_path, _with_status(3), status_lists=lists)) == [
        (Status.WARNING, "SDJWT_STATUS_UNCHECKED")]


def test_the_newest_verified_copy_answers(tmp_path):
    from mcred.verify.status_copies import load_status_lists

    _token_list(tmp_path, {3: 2}, name="old.jwt", iat=IAT - 100)
    _token_list(tmp_path, {}, name="new.jwt", iat=IAT)
    lists = load_status_lists([tmp_path / "old.jwt", tmp_path / "new.jwt"])
    assert _status(_verify(tmp_path, _with_status(3), status_lists=lists)) == [(Status.PASSED, "SDJWT_STATUS_VALID")]


def test_an_expired_copy_is_a_warning_with_its_code(tmp_path):
    from mcred.status_tokens import empty_list, encode_status_list
    from mcred.verify.status_copies import load_status_lists

    claims = {"sub": TSL_URI, "iat": IAT - 100, "exp": IAT - 50,
              "status_list": encode_status_list(empty_list(1024, 2), 2)}
    (tmp_path / "l.jwt").write_text(sign_jwt({"typ": "statuslist+jwt"}, claims, ec_pki().issuer.key))
    report = _verify(tmp_path, _with_status(3), status_lists=load_status_lists([tmp_path / "l.jwt"]))
    assert _status(report) == [(Status.WARNING, "TSL_EXPIRED")]


@pytest.mark.parametrize(("status", "code_path"), [
    ({"status_list": {"idx": "3", "uri": TSL_URI}}, "$.payload.status.status_list.idx"),
    ({"status_list": {"idx": 3}}, "$.payload.status.status_list.uri"),
    ({"other": {}}, "$.payload.status")])
def test_a_malformed_status_claim_fails(tmp_path, status, code_path):
    text, _ = issue(payload_edit=lambda p: p.update(status=status))
    report = _verify(tmp_path, text)
    assert [(c.code, c.path) for c in report.checks if c.check == "status"] == [("SDJWT_STATUS_INVALID", code_path)]


def test_the_status_claim_cannot_be_withheld(tmp_path):
    # a holder who could hide the status would hide a revocation: a disclosed "status" is refused
    text, _ = issue(hidden={"status": {"status_list": {"idx": 3, "uri": TSL_URI}}})
    report = _verify(tmp_path, text)
    assert [(c.code, c.path) for c in report.checks if c.status == Status.FAILED] == [
        ("SDJWT_CLAIM_NOT_DISCLOSABLE", "$.disclosures[0]")]


def test_unreadable_input_is_unusable(tmp_path):
    report = _verify(tmp_path, "abc~")
    assert report.exit_code == 3 and report.checks[-1].code == "SDJWT_MALFORMED"


def test_x5c_garbage(tmp_path):
    text, _ = issue(header={"x5c": ["bm90IGEgY2VydA=="]})
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_X5C_INVALID"]


# -- codes ----------------------------------------------------------------------------------------


def _codes() -> set[str]:
    source = (Path(mcred.__file__).parent / "verify" / "sdjwt.py").read_text(encoding="utf-8")
    return set(re.findall(r'"(SDJWT_[A-Z_]+)"', source))


def test_every_code_has_an_italian_message_and_a_row_in_the_manual():
    from mcred.verify import sdjwt

    assert set(sdjwt.MESSAGES) == set(sdjwt.MESSAGES_IT)
    assert _codes() - set(_CATALOGUE) == set()
    library = "".join(p.read_text(encoding="utf-8") for p in (Path(mcred.__file__).parent / "sdjwt").glob("*.py"))
    from mcred.sdjwt import issuing  # issuing's own codes (a certificate refused before signing) are its own

    assert set(re.findall(r'"(SDJWT_[A-Z_]+)"', library)) - set(sdjwt.MESSAGES) - set(issuing.MESSAGES_IT) == set()
    assert set(sdjwt.MESSAGES) & set(issuing.MESSAGES_IT) == set()  # one meaning per code
    table = (Path(mcred.__file__).parent.parent / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in sdjwt.MESSAGES if f"`{code}`" not in table} == set()


def test_the_italian_messages_take_their_parameters(tmp_path):
    text, disclosures = issue()
    reports = [_verify(tmp_path, present(text, disclosures[:1]), nonce=NONCE, audience=AUD),
               _verify(tmp_path, text, nonce="x"), _verify(tmp_path, "abc~"),
               _verify(tmp_path, issue(signer=ec_pki().expired)[0])]
    for report in reports:
        for check in report.checks:
            message, _ = check.text("it")
            assert "{" not in message, message



def test_the_json_reports_validate_against_the_report_schema(tmp_path):
    from mcred._schema import schema_errors

    text, _ = issue()
    for report in (_verify(tmp_path, present(text), nonce=NONCE, audience=AUD), _verify(tmp_path, "abc~"),
                   _verify(tmp_path, present(text, nonce="x"), nonce=NONCE, audience=AUD)):
        for lang in ("en", "it"):
            assert schema_errors(report.to_dict(lang), "mcred-report-1.schema.json") == []


def test_a_status_pointed_elsewhere_after_signing_is_not_read(tmp_path):
    # the holder moves the credential's status to an index that is still valid: the signature fails, and
    # the changed status claim is not read (it would answer for another credential)
    lists = _token_list(tmp_path, {3: 1})
    jwt, rest = _with_status(3).split("~", 1)
    head, _, signature = jwt.split(".")
    body = _with_status(4).split("~")[0].split(".")[1]
    report = _verify(tmp_path, f"{head}.{body}.{signature}~{rest}", status_lists=lists)
    assert _failed(report) == ["SDJWT_SIGNATURE_INVALID"] and _status(report) == []


# -- what a verifier remembers of an issuer's chain (mcred.verify.sdjwt._chain) --------------------------------
# It may answer only for the same certificates, the same anchors and a time inside every certificate's validity:
# each test first has the chain remembered as trusted, then changes one of the three.

def _remembered(tmp_path):
    import mcred.verify.sdjwt as sdjwt

    sdjwt._TRUSTED_CHAINS.clear()
    text, _ = issue()
    assert _verify(tmp_path, text).outcome == "verified"
    assert len(sdjwt._TRUSTED_CHAINS) == 1
    return text


def test_a_remembered_chain_is_not_trusted_after_its_certificates_expire(tmp_path):
    from datetime import timedelta

    from tests.pki import END

    text = _remembered(tmp_path)
    late = issue(payload_edit=lambda p: p.update(iat=int((END + timedelta(days=1)).timestamp()), exp=None))[0]
    report = verify_file(_write(tmp_path, late), options=VerifyOptions(now=END + timedelta(days=2), trust=_trust()))
    assert "SDJWT_CHAIN_INVALID" in _failed(report) and "SDJWT_CERT_EXPIRED" in _failed(report)
    assert _verify(tmp_path, text).outcome == "verified"  # still trusted inside the validity


def test_a_remembered_chain_does_not_answer_for_other_anchors(tmp_path):
    text = _remembered(tmp_path)
    other = TrustList((), anchors=(X509Anchor.from_certificate(ec_pki().foreign_root.cert, "elsewhere"),))
    report = verify_file(_write(tmp_path, text), options=VerifyOptions(now=NOW, trust=other))
    assert _failed(report) == ["SDJWT_CHAIN_UNTRUSTED"]


def test_a_remembered_chain_through_an_anchors_certificate_needs_that_certificate(tmp_path):
    # the x5c stops below the root: the path reached it only because the trust file held the root itself
    text = _remembered(tmp_path)
    digest_only = TrustList((), anchors=(X509Anchor("EC root", _trust().anchors[0].sha256),))
    report = verify_file(_write(tmp_path, text), options=VerifyOptions(now=NOW, trust=digest_only))
    assert _failed(report) == ["SDJWT_CHAIN_UNTRUSTED"]


def test_an_untrusted_chain_is_not_remembered(tmp_path):
    import mcred.verify.sdjwt as sdjwt

    sdjwt._TRUSTED_CHAINS.clear()
    pki = ec_pki()
    text, _ = issue(signer=pki.foreign, chain=[pki.foreign])
    assert _failed(_verify(tmp_path, text)) == ["SDJWT_CHAIN_UNTRUSTED"]
    assert sdjwt._TRUSTED_CHAINS == {}


def test_another_leaf_is_read_anew(tmp_path):
    # the same chain above, another issuer certificate: its own key checks the signature (a holder cannot
    # ride on an issuer whose certificates were read before)
    _remembered(tmp_path)
    pki = ec_pki()
    forged = issue(signer=pki.issuer, chain=[pki.no_usage, pki.ca])[0]
    failed = _failed(verify_file(_write(tmp_path, forged), options=VerifyOptions(now=NOW, trust=_trust())))
    assert "SDJWT_SIGNATURE_INVALID" in failed and "SDJWT_CERT_USAGE" in failed


def _write(tmp_path, text: str, name: str = "again.sd-jwt"):
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return path

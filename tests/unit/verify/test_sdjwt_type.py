"""mcred verify X.sd-jwt: the claims against the type metadata of ``vct``, and ``--profile it-wallet``.

The type metadata documents here are written by each test (a small type of its own, ``urn:test:…``) or are
the bundled DC4EU ones; digests for ``vct#integrity`` are computed here with hashlib, not with mcred.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from mcred.errors import InputError
from mcred.report import Status, VerifyOptions
from mcred.sdjwt.disclosures import disclosure_digest, encode_disclosure
from mcred.sdjwt.type_metadata import load_type_metadata
from mcred.verify.runner import verify_file
from tests.sdjwt_make import IAT, NOW, issue

TYPE = "urn:test:education:1"


def _metadata(tmp_path, claims: list, *, vct: str = TYPE, name: str | None = None, **more) -> bytes:
    raw = json.dumps({"vct": vct, "name": "a test type", "claims": claims, **more}).encode()
    (tmp_path / (name or f"{vct.replace(':', '_')}.json")).write_bytes(raw)
    return raw


def _verify(tmp_path, text: str, *, metadata: bool = True, profile: str = "haip"):
    path = tmp_path / "x.sd-jwt"
    path.write_text(text, encoding="ascii")
    files = sorted(tmp_path.glob("*.json")) if metadata else []
    store = load_type_metadata(files) if files else None
    return verify_file(path, options=VerifyOptions(now=NOW, type_metadata=store, profile=profile))


def _type(report) -> list[tuple[Status, str]]:
    return [(c.status, c.code) for c in report.checks if c.check == "type"]


def _profile(report) -> list[tuple[Status, str]]:
    return [(c.status, c.code) for c in report.checks if c.check == "profile"]


def _of_type(vct: str = TYPE, **edits):
    return lambda payload: payload.update(vct=vct, **edits)


def _italian_is_complete(report) -> None:
    for check in report.checks:
        message, _ = check.text("it")
        assert "{" not in message and check.code not in message, message


# --- the bundled DC4EU types --------------------------------------------------------------------------


def test_a_micro_credential_following_dc4eus_type_passes(tmp_path):
    text, _ = issue(plain={"credentialSubject": {"achievement": {"name": "Data analysis", "ECTS": 3}},
                           "issuer": {"name": "ITS"}, "validFrom": "2026-05-01T00:00:00Z"})
    report = _verify(tmp_path, text, metadata=False)
    check = next(c for c in report.checks if c.check == "type")
    assert (check.status, check.code) == (Status.PASSED, "SDJWT_TYPE_OK")
    assert check.params["rules"] == 16 and check.params["source"] == "bundled vctm_microcredential.json"
    assert report.outcome == "verified-with-warnings"  # only the chain: no trust file here
    _italian_is_complete(report)


def test_a_claim_dc4eu_marks_sd_never_that_came_from_a_disclosure_fails(tmp_path):
    text, _ = issue(hidden={"validFrom": "2026-05-01T00:00:00Z", "given_name": "Maria"})
    report = _verify(tmp_path, text, metadata=False)
    assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_SD_NEVER")]
    check = next(c for c in report.checks if c.check == "type")
    assert check.path == "$.payload.validFrom" and report.exit_code == 1
    _italian_is_complete(report)


def test_an_unknown_vct_is_a_warning_not_a_failure(tmp_path):
    text, _ = issue(payload_edit=_of_type("urn:nobody:knows:1"))
    report = _verify(tmp_path, text, metadata=False)
    assert _type(report) == [(Status.WARNING, "SDJWT_VCT_UNKNOWN")]
    assert report.exit_code == 0
    check = next(c for c in report.checks if c.check == "type")
    assert "urn:nobody:knows:1" in check.message and "--type-metadata" in check.hint
    _italian_is_complete(report)


def test_a_changed_bundled_document_is_refused_by_name(tmp_path, monkeypatch):
    from importlib import resources

    from mcred.sdjwt import type_metadata

    copy = tmp_path / "vctm"
    copy.mkdir()
    for item in (resources.files("mcred.sdjwt") / "vctm").iterdir():
        if item.name.endswith(".json"):
            (copy / item.name).write_bytes(item.read_bytes())
    (copy / "vctm_elm.json").write_bytes((copy / "vctm_elm.json").read_bytes() + b"\n")
    monkeypatch.setattr(type_metadata, "_bundled_dir", lambda: copy)
    type_metadata.bundled_types.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            type_metadata.bundled_types()
        assert caught.value.code == "TYPE_METADATA_DIGEST_MISMATCH" and "vctm_elm.json" in caught.value.message
    finally:
        type_metadata.bundled_types.cache_clear()


# --- sd and mandatory over a type of the test's own ---------------------------------------------------


def test_a_claim_marked_sd_always_in_the_clear_fails(tmp_path):
    _metadata(tmp_path, [{"path": ["title"], "sd": "always"}, {"path": ["given_name"], "sd": "always"}])
    text, _ = issue(payload_edit=_of_type())
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_SD_ALWAYS")]  # title; given_name is a disclosure
    assert next(c for c in report.checks if c.check == "type").params["claim"] == "title"
    _italian_is_complete(report)


def test_a_mandatory_claim_missing_fails_when_no_withheld_digest_could_be_it(tmp_path):
    _metadata(tmp_path, [{"path": ["degree"], "mandatory": True}, {"path": ["given_name"], "mandatory": True}])
    text, _ = issue(payload_edit=_of_type(), decoys=0)  # every digest has its disclosure
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_MANDATORY_MISSING")]
    assert next(c for c in report.checks if c.check == "type").path == "$.payload.degree"
    _italian_is_complete(report)


def test_a_mandatory_claim_the_holder_withheld_is_not_taken_for_missing(tmp_path):
    # the draft: a verifier must not read an undisclosed claim as one the issuer left out
    _metadata(tmp_path, [{"path": ["degree"], "mandatory": True}])
    text, disclosures = issue(payload_edit=_of_type(), decoys=0)
    presented = text.split("~")[0] + "~" + disclosures[0] + "~"  # two of three disclosures withheld
    assert _type(_verify(tmp_path, presented)) == [(Status.PASSED, "SDJWT_TYPE_OK")]


def _with_array(tmp_path, *, disclose: bool):
    """nationalities: [<a disclosed element "DE">, "IT"], the first element's disclosure presented or not."""
    element = encode_disclosure("salt-array-0123456789", None, "DE")
    text, _ = issue(payload_edit=_of_type(nationalities=[{"...": disclosure_digest(element)}, "IT"]))
    return text + (element + "~" if disclose else "")


def test_an_array_element_marked_sd_never_that_is_a_disclosure_fails_disclosed_or_not(tmp_path):
    _metadata(tmp_path, [{"path": ["nationalities", None], "sd": "never"}])
    for disclose in (True, False):  # an undisclosed element was still issued as a disclosure
        report = _verify(tmp_path, _with_array(tmp_path, disclose=disclose))
        assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_SD_NEVER")]
        assert next(c for c in report.checks if c.check == "type").params["claim"] == "nationalities[*]"


def test_an_array_index_counts_the_elements_as_issued(tmp_path):
    # index 1 is "IT" (in the clear) whether or not element 0 was disclosed
    _metadata(tmp_path, [{"path": ["nationalities", 1], "sd": "never"},
                         {"path": ["nationalities", 0], "sd": "always"}])
    for disclose in (True, False):
        assert _type(_verify(tmp_path, _with_array(tmp_path, disclose=disclose))) == [
            (Status.PASSED, "SDJWT_TYPE_OK")]
    _metadata(tmp_path, [{"path": ["nationalities", 1], "sd": "always"}])
    assert _type(_verify(tmp_path, _with_array(tmp_path, disclose=False))) == [
        (Status.FAILED, "SDJWT_TYPE_SD_ALWAYS")]


def test_a_path_through_a_value_of_the_wrong_kind_fails(tmp_path):
    _metadata(tmp_path, [{"path": ["title", "en"]}])  # title is a string
    text, _ = issue(payload_edit=_of_type())
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_PATH_INVALID")]
    _italian_is_complete(report)


def test_the_users_type_metadata_comes_before_the_bundled_one(tmp_path):
    _metadata(tmp_path, [{"path": ["title"], "sd": "always"}], vct="urn:eudi:micro_credential:1")
    text, _ = issue()
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.FAILED, "SDJWT_TYPE_SD_ALWAYS")]


# --- vct#integrity ------------------------------------------------------------------------------------


def _sri(raw: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(raw).digest()).decode()


def test_a_matching_vct_integrity_is_checked_and_a_wrong_one_leaves_the_type_unchecked(tmp_path):
    raw = _metadata(tmp_path, [{"path": ["title"], "sd": "never"}])
    text, _ = issue(payload_edit=_of_type(**{"vct#integrity": _sri(raw)}))
    assert _type(_verify(tmp_path, text)) == [(Status.PASSED, "SDJWT_TYPE_OK")]
    text, _ = issue(payload_edit=_of_type(**{"vct#integrity": _sri(raw + b" ")}))
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.WARNING, "SDJWT_VCT_INTEGRITY_MISMATCH")]
    assert _sri(raw) in next(c for c in report.checks if c.check == "type").message
    _italian_is_complete(report)


def test_of_several_documents_for_a_vct_the_one_vct_integrity_names_is_used(tmp_path):
    _metadata(tmp_path, [{"path": ["title"], "sd": "always"}], name="a.json")
    raw = _metadata(tmp_path, [{"path": ["title"], "sd": "never"}], name="b.json")
    text, _ = issue(payload_edit=_of_type(**{"vct#integrity": _sri(raw)}))
    assert _type(_verify(tmp_path, text)) == [(Status.PASSED, "SDJWT_TYPE_OK")]


def test_the_bundled_micro_credential_matches_its_sri(tmp_path):
    from importlib import resources

    raw = (resources.files("mcred.sdjwt") / "vctm" / "vctm_microcredential.json").read_bytes()
    text, _ = issue(payload_edit=lambda p: p.update(**{"vct#integrity": _sri(raw)}))
    assert _type(_verify(tmp_path, text, metadata=False)) == [(Status.PASSED, "SDJWT_TYPE_OK")]


def test_a_bare_hex_vct_integrity_that_matches_is_read_with_a_warning(tmp_path):
    raw = _metadata(tmp_path, [{"path": ["title"], "sd": "never"}])
    text, _ = issue(payload_edit=_of_type(**{"vct#integrity": hashlib.sha256(raw).hexdigest()}))
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.WARNING, "SDJWT_VCT_INTEGRITY_HEX"), (Status.PASSED, "SDJWT_TYPE_OK")]
    _italian_is_complete(report)


@pytest.mark.parametrize("value", ["md5-AAAA", "sha256-not base64!", 42])
def test_a_vct_integrity_that_is_not_sri_fails(tmp_path, value):
    _metadata(tmp_path, [])
    text, _ = issue(payload_edit=_of_type(**{"vct#integrity": value}))
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.FAILED, "SDJWT_VCT_INTEGRITY_INVALID")]
    _italian_is_complete(report)


# --- extends -------------------------------------------------------------------------------------------


def test_a_type_inherits_the_rules_of_the_type_it_extends(tmp_path):
    base = _metadata(tmp_path, [{"path": ["degree"], "mandatory": True}], vct="urn:test:base:1")
    _metadata(tmp_path, [{"path": ["title"], "sd": "never"}], extends="urn:test:base:1",
              **{"extends#integrity": _sri(base)})
    text, _ = issue(payload_edit=_of_type(), decoys=0)
    assert _type(_verify(tmp_path, text)) == [(Status.FAILED, "SDJWT_TYPE_MANDATORY_MISSING")]


def test_a_type_extending_an_unknown_one_is_left_unchecked(tmp_path):
    _metadata(tmp_path, [{"path": ["title"], "sd": "never"}], extends="urn:test:elsewhere:1")
    text, _ = issue(payload_edit=_of_type())
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.WARNING, "SDJWT_TYPE_EXTENDS_UNKNOWN")] and report.exit_code == 0
    _italian_is_complete(report)


def test_an_extends_integrity_that_does_not_match_leaves_the_type_unchecked(tmp_path):
    base = _metadata(tmp_path, [], vct="urn:test:base:1")
    _metadata(tmp_path, [], extends="urn:test:base:1", **{"extends#integrity": _sri(base + b" ")})
    text, _ = issue(payload_edit=_of_type())
    assert _type(_verify(tmp_path, text)) == [(Status.WARNING, "SDJWT_TYPE_EXTENDS_UNKNOWN")]


def test_a_child_that_loosens_sd_never_or_an_extends_loop_is_invalid_metadata(tmp_path):
    _metadata(tmp_path, [{"path": ["title"], "sd": "never"}], vct="urn:test:base:1", extends=None)
    _metadata(tmp_path, [{"path": ["title"], "sd": "allowed"}], extends="urn:test:base:1")
    text, _ = issue(payload_edit=_of_type())
    report = _verify(tmp_path, text)
    assert _type(report) == [(Status.WARNING, "SDJWT_TYPE_METADATA_INVALID")]
    _italian_is_complete(report)
    _metadata(tmp_path, [], vct="urn:test:base:1", extends=TYPE)
    _metadata(tmp_path, [], extends="urn:test:base:1")
    assert _type(_verify(tmp_path, text)) == [(Status.WARNING, "SDJWT_TYPE_METADATA_INVALID")]


@pytest.mark.parametrize("document, where", [
    (b"[]", "$"), (b'{"claims": []}', "$.vct"), (b'{"vct": "urn:x", "claims": [{"path": []}]}', "$.claims[0].path"),
    (b'{"vct": "urn:x", "claims": [{"path": ["a"], "sd": "sometimes"}]}', "$.claims[0].sd"),
    (b'{"vct": "urn:x", "claims": [{"path": ["a", -1]}]}', "$.claims[0].path"),
    (b'{"vct": "urn:x", "claims": [{"path": ["a"], "mandatory": "yes"}]}', "$.claims[0].mandatory"),
])
def test_a_file_that_is_not_type_metadata_is_refused_naming_the_field(tmp_path, document, where):
    (tmp_path / "bad.json").write_bytes(document)
    with pytest.raises(InputError) as caught:
        load_type_metadata([tmp_path / "bad.json"])
    assert caught.value.code == "SDJWT_TYPE_METADATA_UNREADABLE" and caught.value.path == where
    assert caught.value.file == str(tmp_path / "bad.json")


# --- --profile it-wallet -------------------------------------------------------------------------------


IT_WALLET = {"issuing_authority": "Università di Esempio", "issuing_country": "IT"}


def test_an_it_wallet_credential_passes_the_profile(tmp_path):
    text, _ = issue(payload_edit=lambda p: p.update(IT_WALLET), header={"kid": "k1"})
    report = _verify(tmp_path, text, metadata=False, profile="it-wallet")
    assert _profile(report) == [(Status.PASSED, "SDJWT_IT_WALLET_OK")]
    _italian_is_complete(report)
    assert _profile(_verify(tmp_path, text, metadata=False)) == []  # haip, the default: no profile check


@pytest.mark.parametrize("edit, header, code", [
    (lambda p: p.pop("exp"), {"kid": "k1"}, "SDJWT_IT_WALLET_EXP_MISSING"),
    (lambda p: None, {}, "SDJWT_IT_WALLET_KID_MISSING"),
    (lambda p: p.pop("issuing_authority"), {"kid": "k1"}, "SDJWT_IT_WALLET_AUTHORITY_MISSING"),
    (lambda p: p.pop("issuing_country"), {"kid": "k1"}, "SDJWT_IT_WALLET_COUNTRY_INVALID"),
    (lambda p: p.update(issuing_country="ITA"), {"kid": "k1"}, "SDJWT_IT_WALLET_COUNTRY_INVALID"),
    (lambda p: p.update(iss="http://its.example/issuer"), {"kid": "k1"}, "SDJWT_IT_WALLET_ISS_NOT_HTTPS"),
    (lambda p: p.update(iss="did:web:its.example"), {"kid": "k1"}, "SDJWT_IT_WALLET_ISS_NOT_HTTPS"),
])
def test_each_missing_it_wallet_item_fails_with_its_code(tmp_path, edit, header, code):
    def payload(p):
        p.update(IT_WALLET)
        edit(p)

    text, _ = issue(payload_edit=payload, header=header)
    report = _verify(tmp_path, text, metadata=False, profile="it-wallet")
    assert _profile(report) == [(Status.FAILED, code)] and report.exit_code == 1
    _italian_is_complete(report)


def test_an_issuing_country_given_as_a_disclosure_is_not_in_the_clear(tmp_path):
    text, _ = issue(payload_edit=lambda p: p.update(issuing_authority="Università di Esempio"),
                    hidden={"issuing_country": "IT", "given_name": "Maria"}, header={"kid": "k1"})
    report = _verify(tmp_path, text, metadata=False, profile="it-wallet")
    assert _profile(report) == [(Status.FAILED, "SDJWT_IT_WALLET_COUNTRY_INVALID")]


def test_the_bundled_documents_are_the_ones_their_provenance_names():
    from importlib import resources

    folder = resources.files("mcred.sdjwt") / "vctm"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    for vct, entry in index.items():
        raw = (folder / entry["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], entry["file"]
        assert json.loads(raw)["vct"] == vct
        assert f"| `{vct}` | {entry['file']} |" in provenance and entry["sha256"] in provenance
        assert f"| `{vct}` | `{_sri(raw)}` |" in provenance  # the SRI table an issuer copies from


# --- the bundled ARF 1.8 PID type: nested and array disclosures, as a PID issuer makes them -------------------


def _pid(*, family_name_in_clear: bool = False, expiry_disclosed: bool = False) -> str:
    """A PID after DC4EU's ARF 1.8 example type: every personal claim a disclosure (place_of_birth's and
    nationalities' parts too), date_of_expiry in the clear, as the type says."""
    def disclose(name, value):
        encoded = encode_disclosure(f"salt-{name}-0123456789", name, value)
        return encoded, disclosure_digest(encoded)

    out: list[str] = []
    locality, locality_digest = disclose("locality", "Roma")
    element = encode_disclosure("salt-nat-0123456789", None, "IT")
    nationalities, nationalities_digest = disclose("nationalities", [{"...": disclosure_digest(element)}])
    place, place_digest = disclose("place_of_birth", {"_sd": [locality_digest]})
    out += [locality, element, nationalities, place]
    top = [nationalities_digest, place_digest]
    claims = {"given_name": "Maria", "birthdate": "2001-02-03", "issuing_authority": "IT-MI",
              "issuing_country": "IT", **({} if family_name_in_clear else {"family_name": "Rossi"})}
    if expiry_disclosed:
        claims["date_of_expiry"] = "2031-01-01"
    for name, value in claims.items():
        encoded, digest = disclose(name, value)
        out.append(encoded)
        top.append(digest)
    plain = {"family_name": "Rossi"} if family_name_in_clear else {}
    if not expiry_disclosed:
        plain["date_of_expiry"] = "2031-01-01"

    def payload(p):
        p.clear()
        p.update({"_sd": sorted(top), "_sd_alg": "sha-256", "iss": "https://pid.example", "iat": IAT,
                  "vct": "urn:eudi:pid:arf-1.8:1", **plain})

    text, _ = issue(payload_edit=payload, hidden={}, holder=False)
    return text + "".join(d + "~" for d in out)


def test_a_pid_made_as_dc4eus_arf_type_says_passes_it(tmp_path):
    report = _verify(tmp_path, _pid(), metadata=False)
    assert _type(report) == [(Status.PASSED, "SDJWT_TYPE_OK")], [c.to_dict() for c in report.checks]
    assert next(c for c in report.checks if c.check == "type").params["source"] == "bundled vctm_pid_arf_1_8.json"


def test_a_pid_breaking_the_arf_type_fails_with_each_rule(tmp_path):
    assert _type(_verify(tmp_path, _pid(family_name_in_clear=True), metadata=False)) == [
        (Status.FAILED, "SDJWT_TYPE_SD_ALWAYS")]
    assert _type(_verify(tmp_path, _pid(expiry_disclosed=True), metadata=False)) == [
        (Status.FAILED, "SDJWT_TYPE_SD_NEVER")]


def test_a_pid_presented_without_a_mandatory_claim_is_not_called_incomplete(tmp_path):
    text = _pid()
    jwt, *disclosures = text.split("~")[:-1]
    kept = [d for d in disclosures if "family_name" not in base64.urlsafe_b64decode(d + "==").decode()]
    assert len(kept) == len(disclosures) - 1
    assert _type(_verify(tmp_path, jwt + "~" + "".join(d + "~" for d in kept), metadata=False)) == [
        (Status.PASSED, "SDJWT_TYPE_OK")]

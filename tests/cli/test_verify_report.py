"""The verification report, case by case, in English and Italian: schema, problem code, exit code."""

from __future__ import annotations

import json

import pytest

from mcred._schema import schema_errors
from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import add_proof
from mcred.proofs.signing import sign_credential
from tests.conftest import CREATED, write_json

OTHER_KEY = SigningKey.from_seed(bytes(range(1, 33)))
NOW = ["--now", "2026-11-23T12:00:00Z"]


def _valid(doc, key):
    return sign_credential(doc, key, created=CREATED)


def _tampered(doc, key):
    signed = _valid(doc, key)
    signed["credentialSubject"]["alumniOf"] = "Forged University"
    return signed


def _wrong_key(doc, key):
    signed = _valid(doc, key)
    signed["proof"]["verificationMethod"] = OTHER_KEY.verification_method
    return signed


def _expired(doc, key):
    return _valid({**doc, "validUntil": "2026-01-01T00:00:00Z"}, key)


def _not_yet_valid(doc, key):
    return _valid({**doc, "validFrom": "2027-01-01T00:00:00Z"}, key)


def _unknown_context(doc, key):
    signed = _valid(doc, key)
    signed["@context"].append("https://contexts.example/v9")
    return signed


def _undefined_term(doc, key):
    """A VC 1.1 credential (no @vocab) with a term injected after signing."""
    doc = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
           "type": ["VerifiableCredential"], "issuer": key.did, "issuanceDate": "2026-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:learner"}}
    signed = _valid(doc, key)
    signed["credentialSubject"]["grade"] = "A+"
    return signed


def _wrong_issuer(doc, key):
    return add_proof({**doc, "issuer": OTHER_KEY.did}, key, created=CREATED)


CASES = {
    # name: (make, exit code, expected code among failures or None)
    "valid": (_valid, 0, None),
    "tampered-claim": (_tampered, 1, "PROOF_SIGNATURE_INVALID"),
    "wrong-key": (_wrong_key, 1, "PROOF_SIGNATURE_INVALID"),
    "issuer-not-signer": (_wrong_issuer, 1, "ISSUER_NOT_SIGNER"),
    "expired": (_expired, 1, "VALIDITY_EXPIRED"),
    "not-yet-valid": (_not_yet_valid, 1, "VALIDITY_NOT_YET_VALID"),
    "unknown-context": (_unknown_context, 3, "CONTEXT_UNKNOWN"),
    "undefined-term": (_undefined_term, 1, "JSONLD_UNDEFINED_TERM"),
}


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_report_case(runner, tmp_path, alumni, test_key, case, lang):
    make, exit_code, code = CASES[case]
    path = write_json(tmp_path / f"{case}.json", make(alumni, test_key))
    result = runner.invoke(app, ["verify", str(path), "--format", "json", "--lang", lang, *NOW])
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert schema_errors(report, "mcred-report-1.schema.json") == []
    failed = [c["code"] for c in report["checks"] if c["status"] == "failed"]
    assert (code in failed) if code else failed == []


def test_malformed_json_in_both_languages(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    for lang, word in (("en", "malformed JSON"), ("it", "JSON non valido")):
        result = runner.invoke(app, ["verify", str(path), "--format", "json", "--lang", lang])
        assert result.exit_code == 3
        report = json.loads(result.stdout.splitlines()[0])
        assert schema_errors(report, "mcred-report-1.schema.json") == []
        assert report["checks"][0]["code"] == "JSON_MALFORMED" and word in report["checks"][0]["message"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_message_has_an_italian_text(alumni, test_key, case):
    """Each result (passed ones too) has an Italian message that differs from the English one."""
    from mcred.verify.runner import verify_credential

    report = verify_credential(CASES[case][0](alumni, test_key))
    for check in report.checks:
        english, _ = check.text("en")
        italian, _ = check.text("it")
        assert italian != english, (check.code, english)


def test_language_from_the_environment(runner, tmp_path, alumni, test_key):
    path = write_json(tmp_path / "c.json", _tampered(alumni, test_key))
    italian = runner.invoke(app, ["verify", str(path), *NOW], env={"MCRED_LANG": "it_IT.UTF-8"})
    english = runner.invoke(app, ["verify", str(path), *NOW], env={"MCRED_LANG": "", "LC_ALL": "",
                                                                   "LC_MESSAGES": "", "LANG": "C.UTF-8"})
    assert "NON VALIDA" in italian.stdout and "la firma non corrisponde" in italian.stdout
    assert "NOT VALID" in english.stdout and "the signature does not match" in english.stdout


def test_text_report_of_several_files_ends_with_a_summary(runner, tmp_path, alumni, test_key):
    write_json(tmp_path / "good.json", _valid(alumni, test_key))
    write_json(tmp_path / "bad.json", _tampered(alumni, test_key))
    result = runner.invoke(app, ["verify", str(tmp_path), "--lang", "en", *NOW])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert "2 files: 1 not valid, 1 verified" in lines[-2]
    assert "PROOF_SIGNATURE_INVALID 1" in lines[-1]


def test_jobs_give_the_same_summary(runner, tmp_path, alumni, test_key):
    for index in range(6):
        doc = dict(alumni, id=f"urn:uuid:00000000-0000-4000-8000-00000000000{index}")
        write_json(tmp_path / f"c{index}.json", _tampered(doc, test_key) if index % 3 == 0 else _valid(doc, test_key))
    one = runner.invoke(app, ["verify", str(tmp_path), "--format", "json", *NOW])
    two = runner.invoke(app, ["verify", str(tmp_path), "--format", "json", "--jobs", "2", *NOW])
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout.splitlines()[-1]) == json.loads(two.stdout.splitlines()[-1])
    assert sorted(one.stdout.splitlines()[:-1]) == sorted(two.stdout.splitlines()[:-1])


def test_an_empty_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["verify", str(tmp_path)])
    assert result.exit_code == 2 and "no .json, .jwt or .sd-jwt files" in result.stderr


# --- trust and status: the cases that need a trust file or a status list --------------------------

LIST_ID = "urn:uuid:7d1f2c3a-0000-4000-8000-0000000000aa"


@pytest.fixture
def lists(tmp_path, test_key):
    """A revocation list and a suspension list, each with one index handed out."""
    from mcred.issue.status_lists import allocate_index, init_status_list

    made = {}
    for purpose in ("revocation", "suspension"):
        path = tmp_path / f"{purpose}.json"
        init_status_list(path, test_key, f"{LIST_ID}-{purpose}", purpose=purpose)
        made[purpose] = (path, allocate_index(path, issuer=test_key.did))
    return made


def _with_status(doc, key, list_id, index, purpose):
    from mcred.issue.status_lists import bitstring_entry

    return _valid({**doc, "credentialStatus": bitstring_entry(list_id, index, purpose)}, key)


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("case, exit_code, code, status", [
    ("revoked", 1, "STATUS_REVOKED", "failed"),
    ("suspended", 1, "STATUS_SUSPENDED", "failed"),
    ("active", 0, "STATUS_ACTIVE", "passed"),
    ("list-tampered", 0, "STATUS_LIST_INVALID", "warning"),
    ("untrusted-issuer", 0, "TRUST_UNKNOWN_ISSUER", "warning"),
    ("untrusted-issuer-strict", 1, "TRUST_UNKNOWN_ISSUER", "warning"),
    ("trusted-issuer", 0, "TRUST_TRUSTED", "passed"),
])
def test_trust_and_status_cases(runner, tmp_path, alumni, test_key, lists, case, exit_code, code, status, lang):
    from mcred.issue.status_lists import update_status_list

    purpose = "suspension" if case == "suspended" else "revocation"
    list_path, (list_id, index, _) = lists[purpose]
    credential = write_json(tmp_path / "c.json", _with_status(alumni, test_key, list_id, index, purpose))
    if case in ("revoked", "suspended"):
        update_status_list(list_path, test_key, [index], "revoke" if purpose == "revocation" else "suspend")
    if case == "list-tampered":
        document = json.loads(list_path.read_text())
        document["validFrom"] = "2020-01-01T00:00:00Z"
        list_path.write_text(json.dumps(document))
    args = ["verify", str(credential), "--format", "json", "--lang", lang, "--status-list", str(list_path), *NOW]
    if case.startswith(("untrusted", "trusted")):
        trust = tmp_path / "trust.yaml"
        issuer = test_key.did if case == "trusted-issuer" else OTHER_KEY.did
        trust.write_text(f"mcred: trust/1\nissuers:\n  - id: {issuer}\n    legal_name: {{it: Ente, en: Body}}\n"
                         "    country: ITA\n")
        args += ["--trust", str(trust)] + (["--strict"] if case.endswith("strict") else [])
    result = runner.invoke(app, args)
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert schema_errors(report, "mcred-report-1.schema.json") == []
    found = {(c["code"], c["status"]) for c in report["checks"]}
    assert (code, status) in found, report["checks"]
    if case == "trusted-issuer":
        assert report["issuer_name"] == ("Ente" if lang == "it" else "Body")
    if lang == "it":
        message = next(c["message"] for c in report["checks"] if c["code"] == code)
        english = json.loads(runner.invoke(app, [*args[:5], "en", *args[6:]]).stdout.splitlines()[0])
        assert message != next(c["message"] for c in english["checks"] if c["code"] == code)


@pytest.mark.parametrize("created, exit_code, code", [
    ("2026-06-30T12:00:00Z", 0, "TRUST_TRUSTED"),                 # inside the old key's interval
    ("2026-07-02T12:00:00Z", 1, "TRUST_KEY_OUTSIDE_INTERVAL"),    # after it was retired
])
def test_a_rotated_key(runner, tmp_path, alumni, test_key, created, exit_code, code):
    """The issuer moved from test_key to OTHER_KEY on 1 July 2026; old credentials still verify."""
    trust = tmp_path / "trust.yaml"
    trust.write_text(f"""mcred: trust/1
issuers:
  - id: {test_key.did}
    legal_name: {{it: Fondazione Esempio, en: Esempio Foundation}}
    country: ITA
    keys:
      - verification_method: {test_key.verification_method}
        valid_until: 2026-06-30T23:59:59Z
      - verification_method: {OTHER_KEY.verification_method}
        valid_from: 2026-07-01T00:00:00Z
""")
    signed = sign_credential(alumni, test_key, created=created)
    path = write_json(tmp_path / "c.json", signed)
    result = runner.invoke(app, ["verify", str(path), "--trust", str(trust), "--format", "json", *NOW])
    assert result.exit_code == exit_code, result.output
    checks = json.loads(result.stdout.splitlines()[0])["checks"]
    issuer = [(c["code"], c["status"]) for c in checks if c["check"] == "issuer"]
    assert issuer[0] == ("ISSUER_OK", "passed")
    assert issuer[1][0] == code


# --- the heading people read: what was checked, never a plain VERIFIED with something left unchecked --------


def _trust_file(tmp_path, did):
    trust = tmp_path / "trust.yaml"
    trust.write_text(f"mcred: trust/1\nissuers:\n  - id: {did}\n    legal_name: {{it: Ente, en: Body}}\n"
                     "    country: ITA\n")
    return trust


@pytest.mark.parametrize("lang, words", [
    ("en", ("SIGNATURE VALID, ISSUER NOT CHECKED (no --trust)", "VERIFIED  ",
            "SIGNATURE VALID, ISSUER NOT IN YOUR TRUST LIST", "VERIFIED, REVOCATION NOT CHECKED",
            "SIGNATURE VALID, ISSUER AND REVOCATION NOT CHECKED")),
    ("it", ("FIRMA VALIDA, EMITTENTE NON VERIFICATO (manca --trust)", "VERIFICATA  ",
            "FIRMA VALIDA, EMITTENTE NON PRESENTE NEL VOSTRO ELENCO DI FIDUCIA", "VERIFICATA, REVOCA NON CONTROLLATA",
            "FIRMA VALIDA, EMITTENTE E REVOCA NON VERIFICATI")),
])
def test_the_heading_says_what_was_left_unchecked(runner, tmp_path, alumni, test_key, lang, words):
    """Negative: a valid signature with no trust list, an issuer not in the trust list given, or a status entry
    whose list was not given are each said in words; only a trusted issuer with nothing unchecked reads VERIFIED.
    The exit code and the JSON outcome (the machines' contract) stay those of a verified credential."""
    no_trust, trusted, unlisted, revocation, neither = words
    credential = write_json(tmp_path / "c.json", _valid(alumni, test_key))
    with_status = write_json(tmp_path / "s.json", _with_status(alumni, test_key, LIST_ID, 3, "revocation"))
    (tmp_path / "mine").mkdir()
    mine, theirs = _trust_file(tmp_path / "mine", test_key.did), _trust_file(tmp_path, OTHER_KEY.did)

    def heading(*args):
        result = runner.invoke(app, ["verify", *map(str, args), "--lang", lang, *NOW], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[0]

    assert heading(credential).startswith(no_trust)
    assert heading(credential, "--trust", mine).startswith(trusted)
    assert heading(credential, "--trust", theirs).startswith(unlisted)
    assert heading(with_status, "--trust", mine).startswith(revocation)
    assert "--status-list" in heading(with_status, "--trust", mine)
    both = heading(with_status)
    assert both.startswith(neither) and "--status-list" in both and "--trust" in both
    lines = runner.invoke(app, ["verify", str(credential), "--format", "json", *NOW]).stdout.splitlines()
    report = json.loads(lines[0])  # the report, then the summary line
    assert report["outcome"] == "verified"

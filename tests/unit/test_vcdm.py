"""VC Data Model 2.0 rules (mcred.vcdm) over the W3C vc-data-model-2.0-test-suite's 95 inputs.

Each ``-ok`` input is signed by ``mcred sign`` and verifies; each ``-fail`` input is refused by ``mcred sign``
(exit 3) with the code the table below gives for its reason, and, signed anyway (the rules bypassed), fails
``mcred verify``. The codes are derived from each file's name, which says the rule it breaks (expected.json
gives the suite's generic reason: "an issuer must refuse this input").
"""

from __future__ import annotations

import json

import pytest

from mcred.cli.app import app
from mcred.errors import InputError
from mcred.keys.ed25519 import save_signing_key
from mcred.proofs.data_integrity import add_proof
from mcred.proofs.signing import sign_credential
from mcred.report import VerifyOptions
from mcred.vcdm import applies, check_vcdm2
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, CREATED, NOW

SUITE = ASSETS / "realworld" / "w3c-vcdm2-suite"
ROOT = ASSETS.parents[1]
EXPECTED = {name.split("/", 1)[1]: entry for name, entry in
            json.loads((ASSETS / "realworld" / "expected.json").read_text(encoding="utf-8")).items()
            if name.startswith("w3c-vcdm2-suite/")}
# the suite fills these in before it posts the input; so does this test
PAST, FUTURE = "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"

#: -fail input -> the code `mcred sign` refuses it with (the file's name says which rule it breaks)
REFUSED = {
    "credential-context-combo3-fail.json": "CONTEXT_UNKNOWN",  # "https ://not-a-url/...": named, unknown
    "credential-context-combo4-fail.json": "VCDM2_CONTEXT_INVALID",
    "credential-evidence-missing-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-id-multi-fail.json": "VCDM2_ID_INVALID",
    "credential-id-nonidentifier-fail.json": "VCDM2_ID_INVALID",
    "credential-id-not-url-fail.json": "VCDM2_ID_NOT_URL",
    "credential-id-subject-multi-fail.json": "VCDM2_ID_INVALID",
    "credential-issuer-no-url-fail.json": "VCDM2_ID_NOT_URL",
    "credential-issuer-null-fail.json": "VCDM2_ISSUER_INVALID",
    "credential-issuer-object-id-no-url-fail.json": "VCDM2_ID_NOT_URL",
    "credential-issuer-object-id-null-fail.json": "VCDM2_ID_INVALID",
    "credential-missing-base-context-fail-or-inject.json": "VCDM2_BASE_CONTEXT",
    "credential-missing-required-type-fail.json": "VCDM2_CREDENTIAL_TYPE",
    "credential-no-context-fail-or-inject.json": "CONTEXT_MISSING",
    "credential-no-issuer-fail.json": "VCDM2_SUBJECT_EMPTY",  # the issuer is added by the issuer; {} subject is not
    "credential-no-subject-fail.json": "VCDM2_SUBJECT_MISSING",
    "credential-no-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-proof-missing-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-redef-type-fail.json": "JSONLD_INVALID",  # a protected term redefined: JSON-LD refuses it
    "credential-redef-type2-fail.json": "JSONLD_INVALID",
    "credential-refresh-no-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-schema-no-id-fail.json": "VCDM2_ID_MISSING",
    "credential-schema-no-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-schema-non-url-id-fail.json": "VCDM2_ID_NOT_URL",
    "credential-status-missing-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-status-multiple-id-fail.json": "VCDM2_ID_INVALID",
    "credential-status-nonurl-id-fail.json": "VCDM2_ID_NOT_URL",
    "credential-status-type-nonurl-fail.json": "VCDM2_TYPE_INVALID",
    "credential-subject-multiple-empty-fail.json": "VCDM2_SUBJECT_EMPTY",
    "credential-subject-no-claims-fail.json": "VCDM2_SUBJECT_EMPTY",
    "credential-termsofuse-missing-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-termsofuse-no-type-fail.json": "VCDM2_TYPE_MISSING",
    "credential-type-mapped-nonurl-fail.json": "JSONLD_INVALID",  # a term mapped to "https ://...": not an IRI
    "credential-type-unmapped-fail.json": "JSONLD_INVALID",  # @vocab null: the type has no IRI
    "credential-validUntil-validFrom-fail.json": "VALIDITY_PERIOD_INVERTED",
    "credential-validfrom-invalid-fail.json": "VCDM2_DATE_INVALID",
    "credential-validuntil-invalid-fail.json": "VCDM2_DATE_INVALID",
    "names-and-descriptions__credential-description-extra-prop-en-fail.json": "VCDM2_VALUE_OBJECT_INVALID",
    "names-and-descriptions__credential-name-extra-prop-en-fail.json": "VCDM2_VALUE_OBJECT_INVALID",
    "names-and-descriptions__issuer-description-extra-prop-en-fail.json": "VCDM2_VALUE_OBJECT_INVALID",
    "names-and-descriptions__issuer-name-extra-prop-en-fail.json": "VCDM2_VALUE_OBJECT_INVALID",
}
#: -ok inputs that sign but do not verify, and why: the input carries a proof someone else made (no
#: verificationMethod, terms its context does not define); mcred keeps it (a proof set) and verify refuses it
SIGNED_NOT_VERIFIED = {"credential-proof-ok.json"}


def load(name: str) -> dict:
    text = (SUITE / name).read_text(encoding="utf-8")
    if "-fail" in name:
        text = text.replace("FUTURE DATE", FUTURE).replace("PAST DATE", PAST)
    else:
        text = text.replace("PAST DATE", PAST).replace("FUTURE DATE", FUTURE)
    return json.loads(text)


def when(document: dict):
    """A moment inside the credential's validity period (NOW when it states none)."""
    from mcred.dates import parse_datetime

    start = document.get("validFrom")
    return parse_datetime(start) if isinstance(start, str) and parse_datetime(start) else NOW


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def test_the_table_covers_every_input():
    names = {p.name for p in SUITE.glob("*.json")}
    assert len(names) == 95 and names == set(EXPECTED)
    assert set(REFUSED) == {n for n in names if EXPECTED[n]["expected"].startswith("sign-refuse")}


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not EXPECTED[n]["expected"].startswith("sign-refuse")))
def test_ok_input_signs_and_verifies(runner, tmp_path, key_file, name):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(load(name)), encoding="utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["sign", str(source), "--key", str(key_file), "--out", str(out),
                                 "--issuer-from-key", "--created", CREATED])
    assert result.exit_code == 0, result.output
    signed = json.loads(out.read_text(encoding="utf-8"))
    report = verify_credential(signed, options=VerifyOptions(now=when(signed)))
    codes = {c.check: c.code for c in report.checks}
    if name in SIGNED_NOT_VERIFIED:
        assert len(signed["proof"]) == 2 and not report.verified
        failed = [(c.code, c.path) for c in report.checks if c.status.value == "failed"]
        assert failed and all(path.startswith("$.proof") for _, path in failed), failed  # only the proofs
    else:
        assert report.verified, [(c.check, c.code, c.path) for c in report.checks]
        assert codes["vcdm2"] == "VCDM2_OK"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_fail_input_is_refused_by_sign_with_its_code(runner, tmp_path, key_file, test_key, name):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(load(name)), encoding="utf-8")
    result = runner.invoke(app, ["sign", str(source), "--key", str(key_file), "--out", str(tmp_path / "o.json"),
                                 "--issuer-from-key"])
    assert result.exit_code == 3, result.output
    assert not (tmp_path / "o.json").exists()
    with pytest.raises(InputError) as refused:  # the code the command's refusal carries
        sign_credential(load(name), test_key, issuer_from_key=True)
    assert refused.value.code == REFUSED[name]


def sign_anyway(document: dict, key) -> dict | InputError:
    """Sign without the data model's rules (as another issuer might): RDFC, else JCS (which signs relative IRIs);
    the refusal when no suite can sign it (JSON-LD itself refuses the document)."""
    document = dict(document)
    if isinstance(document.get("issuer"), dict) and document["issuer"].get("id", ...) is ...:
        document["issuer"] = {**document["issuer"], "id": key.did}
    elif "issuer" not in document:
        document["issuer"] = key.did
    refusal = None
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        try:
            return add_proof(document, key, suite=suite, created=CREATED)
        except InputError as exc:
            refusal = refusal or exc
    return refusal


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_fail_input_signed_anyway_fails_verify(test_key, name):
    signed = sign_anyway(load(name), test_key)
    if isinstance(signed, InputError):  # nothing any suite can sign: JSON-LD refuses it (no context, bad IRIs)
        assert signed.code in {"CONTEXT_MISSING", "CONTEXT_UNKNOWN", "JSONLD_INVALID"}, signed.code
        return
    report = verify_credential(signed, options=VerifyOptions(now=NOW))
    assert not report.verified
    failed = {c.code for c in report.checks if c.status.value == "failed"}
    assert failed & {REFUSED[name], "GRAPH_NO_CREDENTIAL", "ISSUER_MISSING", "VALIDITY_DATE_INVALID",
                     "JSONLD_RELATIVE_ID", "JSONLD_UNDEFINED_TERM", "JSONLD_INVALID"}, failed


# --- what is signed is what is checked ---------------------------------------------------------------------

def base(test_key) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "id": "urn:uuid:0c5b2a3e-7f51-4e4f-9a0b-3f1a2b4c5d6e", "issuer": test_key.did,
            "credentialSubject": {"id": "did:example:learner"}}


@pytest.mark.parametrize("rewrite", ["full IRI", "included"])
def test_a_holder_cannot_pass_a_rule_by_moving_a_json_key(test_key, rewrite):
    """Signed anyway with an untyped evidence, the credential is rewritten without touching its signature: the
    evidence under its full IRI, or said in @included about the same credential. The proof still verifies; the
    rule, read from the signed graph, still fails."""
    unsigned = {**base(test_key), "evidence": {"id": "urn:uuid:5d1f3c4b-0f0e-4d7e-8f0a-1b2c3d4e5f60"}}
    signed = add_proof(unsigned, test_key, created=CREATED)
    evidence = signed.pop("evidence")
    if rewrite == "full IRI":
        signed["https://www.w3.org/2018/credentials#evidence"] = evidence
    else:
        signed["@included"] = [{"id": signed["id"], "type": signed["type"], "evidence": evidence}]
    report = verify_credential(signed, options=VerifyOptions(now=NOW))
    results = {c.check: (c.status.value, c.code) for c in report.checks}
    assert results["proof"] == ("passed", "PROOF_OK")
    assert results["vcdm2"] == ("failed", "VCDM2_TYPE_MISSING")
    assert not report.verified and report.exit_code == 1


def test_a_related_resource_needs_an_id_and_a_digest(test_key):
    document = {**base(test_key), "relatedResource": [{"id": "https://example.org/a.json"},
                                                      {"digestSRI": "sha384-abc"}]}
    assert sorted((p.code, p.path) for p in check_vcdm2(document)) == [
        ("VCDM2_ID_MISSING", "$.relatedResource[1]"),
        ("VCDM2_RELATED_RESOURCE_DIGEST", "$.relatedResource[0]")]
    document["relatedResource"] = [{"id": "https://example.org/a.json", "digestSRI": "sha384-abc"}]
    assert check_vcdm2(document) == []


def test_a_vc11_credential_keeps_its_rules(test_key):
    document = {**base(test_key), "@context": ["https://www.w3.org/2018/credentials/v1"], "credentialSubject": {}}
    assert not applies(document) and check_vcdm2(document) == []


def test_every_code_has_an_italian_message_and_is_documented():
    import re

    from mcred.messages import _CATALOGUE

    source = (ROOT / "mcred" / "vcdm.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(VCDM2_[A-Z_]+)"', source))
    assert len(codes) >= 14
    assert codes - set(_CATALOGUE) == set()
    table = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in codes - {"VCDM2_OK"} if f"`{code}`" not in table} == set()


def test_lint_lists_the_rules_a_credential_breaks(runner):
    result = runner.invoke(app, ["lint", str(SUITE / "credential-evidence-missing-type-fail.json"),
                                 str(SUITE / "credential-ok.json")])
    assert result.exit_code == 1
    assert "VCDM2_TYPE_MISSING" in result.output and "$.evidence" in result.output
    assert "clean  " in result.output  # credential-ok.json


def test_every_problem_reads_in_italian_with_its_values():
    from mcred.messages import translate

    problems = [p for name in REFUSED for p in check_vcdm2(load(name)) if p.code.startswith("VCDM2_")]
    problems += check_vcdm2({**base(type("K", (), {"did": "did:example:i"})), "relatedResource": [{}]})
    assert len({p.code for p in problems}) >= 12
    for problem in problems:
        italian, hint = translate(problem.code, problem.message, problem.hint, problem.params, "it")
        assert italian != problem.message and "{" not in italian.replace("{\"@value\"", ""), problem
        assert hint and hint != problem.hint, problem

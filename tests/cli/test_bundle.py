"""Bundles: `mcred issue --formats`, `mcred verify` and `show` of a bundle, `mcred bundle`, `mcred convert`.

Each refusal is asserted by its code (and, for facts, by the fact named and both values). The disagreeing
rendition is an honest one: issued and signed by the same key from an outcome file whose workload differs
(75 hours, so 3 ECTS instead of 2), never a hand-edited file.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mcred._schema import schema_errors
from mcred.bundle.compare import differences, withheld
from mcred.bundle.manifest import Rendition, manifest_bytes, read_manifest, sign_manifest
from mcred.bundle.readers import edc_facts, sd_jwt_vc_facts
from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey, load_signing_key, save_signing_key
from mcred.verify.runner import verify_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
KEYS = ROOT / "keys"
KEY = KEYS / "TEST-ONLY-issuer.pem"
EC_KEY = KEYS / "TEST-ONLY-p256-issuer.pem"
CHAIN = KEYS / "TEST-ONLY-p256-issuer.chain.pem"
ISSUED = "2026-07-01T09:00:00Z"
KEYS_ARGS = ["--key", str(KEY), "--ec-key", str(EC_KEY), "--cert", str(CHAIN)]


def _codes(result) -> list[str]:
    report = json.loads(result.stdout.splitlines()[0])
    return [c["code"] for c in report["checks"] if c["status"] == "failed"]


def _failed(result) -> list[dict]:
    report = json.loads(result.stdout.splitlines()[0])
    return [c for c in report["checks"] if c["status"] == "failed"]


def verify_json(runner, *args):
    return runner.invoke(app, ["verify", "--format", "json", "--lang", "en", *map(str, args)])


@pytest.fixture
def bundle(runner, tmp_path) -> Path:
    out = tmp_path / "b"
    result = runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,sd-jwt-vc", *KEYS_ARGS,
                                 "--out-dir", str(out), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def three_credits(runner, tmp_path) -> Path:
    """The same learner's award, from an outcome file that says 75 hours (3 ECTS), signed by the same key."""
    outcomes = tmp_path / "three.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "hours: 50" in text
    outcomes.write_text(text.replace("hours: 50", "hours: 75"), encoding="utf-8")
    out = tmp_path / "three"
    result = runner.invoke(app, ["issue", str(outcomes), "--formats", "edc", "--key", str(KEY),
                                 "--out-dir", str(out), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    return out / "rossi-giulia.edc.json"


def test_issue_formats_writes_each_rendition_and_a_manifest_that_verifies(runner, bundle):
    assert sorted(p.name for p in bundle.iterdir()) == [".rossi-giulia.bundle-row",  # the issuer's row record
                                                         "rossi-giulia.bundle.json", "rossi-giulia.edc.json",
                                                         "rossi-giulia.sd-jwt"]
    manifest = read_manifest(bundle / "rossi-giulia.bundle.json")
    assert [r.format for r in manifest.renditions] == ["edc", "sd-jwt-vc"]
    assert manifest.facts.credits_ects == "2" and manifest.facts.eqf_level == 5
    assert manifest.issuer == load_signing_key(KEY).did
    result = verify_json(runner, bundle)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert [c["code"] for c in report["checks"] if c["check"] == "facts"] == ["BUNDLE_FACTS_SAME"] * 2
    assert len(report["components"]) == 2  # each rendition's own full report
    assert schema_errors(report, "mcred-report-1.schema.json") == []


def test_the_manifest_lists_the_sha256_of_each_file_as_written(bundle):
    import hashlib

    for rendition in read_manifest(bundle / "rossi-giulia.bundle.json").renditions:
        assert rendition.sha256 == hashlib.sha256((bundle / rendition.file).read_bytes()).hexdigest()


def test_a_rendition_replaced_by_one_with_other_credits_is_a_digest_mismatch_and_names_credits(runner, bundle,
                                                                                                 three_credits):
    (bundle / "rossi-giulia.edc.json").write_bytes(three_credits.read_bytes())
    assert verify_file(bundle / "rossi-giulia.edc.json").verified  # correctly signed, by the same key
    result = verify_json(runner, bundle)
    assert result.exit_code == 1
    failed = _failed(result)
    assert [c["code"] for c in failed] == ["BUNDLE_DIGEST_MISMATCH", "BUNDLE_FACTS_DIFFER"]
    assert schema_errors(json.loads(result.stdout.splitlines()[0]), "mcred-report-1.schema.json") == []
    assert "credits_ects 3, the manifest 2" in failed[1]["message"]


def test_a_manifest_that_lists_a_rendition_stating_other_credits_fails_the_facts_only(runner, bundle, three_credits):
    """The issuer's own manifest, correctly signed with the rendition's true digest, and still not the same award."""
    import hashlib

    path = bundle / "rossi-giulia.bundle.json"
    manifest = read_manifest(path)
    (bundle / "three.edc.json").write_bytes(three_credits.read_bytes())
    data = three_credits.read_bytes()
    renditions = [Rendition("edc", "three.edc.json", hashlib.sha256(data).hexdigest(), manifest.issuer),
                  *manifest.renditions[1:]]
    signed = sign_manifest(manifest.facts, renditions, load_signing_key(KEY), issued=ISSUED)
    path.write_bytes(manifest_bytes(signed))
    result = verify_json(runner, path)
    assert result.exit_code == 1
    failed = _failed(result)
    assert [(c["code"], c["check"], c["path"]) for c in failed] == [("BUNDLE_FACTS_DIFFER", "facts", "$.renditions[0]")]
    assert "credits_ects 3, the manifest 2" in failed[0]["message"]


def test_a_changed_byte_is_a_digest_mismatch(runner, bundle):
    path = bundle / "rossi-giulia.edc.json"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n", 1))  # the same credential, other bytes
    result = verify_json(runner, bundle)
    assert result.exit_code == 1 and _codes(result) == ["BUNDLE_DIGEST_MISMATCH"]


def test_a_removed_rendition_is_reported_missing(runner, bundle):
    (bundle / "rossi-giulia.sd-jwt").unlink()
    result = verify_json(runner, bundle / "rossi-giulia.bundle.json")
    assert result.exit_code == 1
    failed = _failed(result)
    assert [c["code"] for c in failed] == ["BUNDLE_RENDITION_MISSING"]
    assert "rossi-giulia.sd-jwt" in failed[0]["message"]


def test_a_changed_manifest_is_a_signature_failure_and_nothing_else_is_believed(runner, bundle):
    path = bundle / "rossi-giulia.bundle.json"
    document = json.loads(path.read_text())
    document["facts"]["credits_ects"] = "3"
    path.write_text(json.dumps(document))
    result = verify_json(runner, path)
    assert result.exit_code == 1 and _codes(result) == ["BUNDLE_SIGNATURE_INVALID"]
    report = json.loads(result.stdout.splitlines()[0])
    assert report["checks"][-1]["check"] == "proof" and schema_errors(report, "mcred-report-1.schema.json") == []


def test_a_manifest_signed_by_another_issuer_is_an_issuer_mismatch(runner, bundle, tmp_path):
    path = bundle / "rossi-giulia.bundle.json"
    manifest = read_manifest(path)
    other = SigningKey.generate()
    renditions = [Rendition(r.format, r.file, r.sha256, other.did if r.format == "edc" else r.signer)
                  for r in manifest.renditions]
    path.write_bytes(manifest_bytes(sign_manifest(manifest.facts, renditions, other, issued=ISSUED)))
    result = verify_json(runner, path)
    assert result.exit_code == 1 and _codes(result) == ["BUNDLE_ISSUER_MISMATCH"]


def test_an_sd_jwt_vc_of_another_certificate_key_is_an_issuer_mismatch(runner, bundle):
    path = bundle / "rossi-giulia.bundle.json"
    manifest = read_manifest(path)
    renditions = [Rendition(r.format, r.file, r.sha256, "urn:ietf:params:oauth:jwk-thumbprint:sha-256:other"
                            if r.format == "sd-jwt-vc" else r.signer) for r in manifest.renditions]
    path.write_bytes(manifest_bytes(sign_manifest(manifest.facts, renditions, load_signing_key(KEY), issued=ISSUED)))
    result = verify_json(runner, path)
    assert result.exit_code == 1 and _codes(result) == ["BUNDLE_ISSUER_MISMATCH"]


def test_a_bundle_failure_is_explained_in_italian(runner, bundle):
    (bundle / "rossi-giulia.sd-jwt").unlink()
    result = runner.invoke(app, ["verify", "--format", "json", "--lang", "it", str(bundle)])
    failed = [c for c in json.loads(result.stdout.splitlines()[0])["checks"] if c["status"] == "failed"]
    assert failed[0]["message"] == "rossi-giulia.sd-jwt (sd-jwt-vc), elencato nel manifesto, non c'è"


def test_show_of_a_bundle_shows_the_award_once_and_each_format_with_its_verdict(runner, bundle):
    result = runner.invoke(app, ["show", "--lang", "en", str(bundle / "rossi-giulia.bundle.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("title: Analisi dati con Python") == 1
    assert "edc" in result.stdout and "sd-jwt-vc" in result.stdout and "credits (ECTS): 2" in result.stdout
    (bundle / "rossi-giulia.sd-jwt").unlink()
    result = runner.invoke(app, ["show", "--lang", "en", str(bundle / "rossi-giulia.bundle.json")])
    assert result.exit_code == 1 and "missing (BUNDLE_RENDITION_MISSING)" in result.stdout
    result = runner.invoke(app, ["show", "--lang", "it", str(bundle / "rossi-giulia.bundle.json")])
    assert "Bundle NON valido" in result.stdout and "crediti (ECTS): 2" in result.stdout


def test_mcred_bundle_binds_renditions_issued_earlier(runner, bundle):
    out = bundle / "again.bundle.json"
    result = runner.invoke(app, ["bundle", str(bundle / "rossi-giulia.edc.json"), str(bundle / "rossi-giulia.sd-jwt"),
                                 "--key", str(KEY), "--ec-key", str(EC_KEY), "--out", str(out), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    assert read_manifest(out).facts == read_manifest(bundle / "rossi-giulia.bundle.json").facts
    assert verify_json(runner, out).exit_code == 0


def test_mcred_bundle_refuses_renditions_that_state_other_credits(runner, bundle, three_credits):
    (bundle / "three.edc.json").write_bytes(three_credits.read_bytes())
    out = bundle / "mixed.bundle.json"
    result = runner.invoke(app, ["bundle", str(bundle / "rossi-giulia.sd-jwt"), str(bundle / "three.edc.json"),
                                 "--key", str(KEY), "--ec-key", str(EC_KEY), "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "three.edc.json (edc) states credits_ects 3, rossi-giulia.sd-jwt (sd-jwt-vc) 2" in result.output


def test_mcred_bundle_refuses_another_issuers_rendition(runner, bundle, tmp_path):
    other = tmp_path / "other.pem"
    save_signing_key(SigningKey.generate(), other)
    out = bundle / "x.bundle.json"
    result = runner.invoke(app, ["bundle", str(bundle / "rossi-giulia.edc.json"), "--key", str(other),
                                 "--out", str(out)])
    assert result.exit_code == 1 and "BUNDLE_ISSUER_MISMATCH" not in result.output  # said in words:
    assert "is signed by did:key:" in result.output and not out.exists()


def test_mcred_bundle_needs_the_issuers_p256_key_for_an_sd_jwt_vc(runner, bundle):
    out = bundle / "x.bundle.json"
    result = runner.invoke(app, ["bundle", str(bundle / "rossi-giulia.sd-jwt"), "--key", str(KEY), "--out", str(out)])
    assert result.exit_code == 2 and "--ec-key" in result.output and not out.exists()


def test_a_holder_reordering_json_keys_changes_no_fact(bundle, tmp_path):
    def reordered(value):
        if isinstance(value, dict):
            return {k: reordered(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reordered(v) for v in value]
        return value

    original = bundle / "rossi-giulia.edc.json"
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(reordered(json.loads(original.read_text()))), encoding="utf-8")
    assert moved.read_bytes() != original.read_bytes()
    report = verify_file(moved)
    assert report.verified
    assert edc_facts(report) == edc_facts(verify_file(original))


def test_withheld_personal_claims_are_not_a_difference_but_are_named(bundle, tmp_path):
    text = (bundle / "rossi-giulia.sd-jwt").read_text().strip()
    jwt, *disclosures = text[:-1].split("~")

    def name(disclosure: str):
        return json.loads(base64.urlsafe_b64decode(disclosure + "=" * (-len(disclosure) % 4)))[1]

    kept = [d for d in disclosures if name(d) not in ("given_name", "tax_id_code")]
    shown = tmp_path / "shown.sd-jwt"
    shown.write_text("~".join([jwt, *kept]) + "~\n")
    full, partial = sd_jwt_vc_facts(verify_file(bundle / "rossi-giulia.sd-jwt")), sd_jwt_vc_facts(verify_file(shown))
    assert differences(full, partial) == []
    assert withheld(full, partial) == ["given_name", "national_id"]


def test_a_stated_learner_fact_that_differs_is_a_difference(bundle):
    from dataclasses import replace

    facts = sd_jwt_vc_facts(verify_file(bundle / "rossi-giulia.sd-jwt"))
    other = replace(facts, learner=tuple(sorted({**dict(facts.learner), "family_name": "Bianchi"}.items())))
    assert [(d.fact, d.expected, d.found) for d in differences(facts, other)] == [
        ("learner.family_name", "Rossi", "Bianchi")]


def test_an_unknown_format_and_a_format_not_installed_are_refused_by_name(runner, tmp_path, monkeypatch):
    from mcred.bundle import formats

    result = runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,pdf", *KEYS_ARGS,
                                 "--out-dir", str(tmp_path / "x")])
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output
    missing = formats.Format("later", ".later.json", "did", None, None, modules=("mcred.issue.not_yet_here",))
    monkeypatch.setitem(formats.FORMATS, "later", missing)
    with pytest.raises(formats.FormatNotAvailable) as caught:
        formats.parse_formats("edc,later")
    assert caught.value.code == "BUNDLE_FORMAT_NOT_AVAILABLE" and "'later' is not available" in caught.value.message
    assert not (tmp_path / "x").exists()


def test_sd_jwt_vc_in_a_bundle_needs_its_key_and_chain(runner, tmp_path):
    result = runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,sd-jwt-vc", "--key", str(KEY),
                                 "--out-dir", str(tmp_path / "x"), "--issued", ISSUED])
    assert result.exit_code == 2 and "needs a P-256 key (--ec-key)" in result.output
    assert not (tmp_path / "x").exists()


def test_convert_re_issues_an_edc_credential_as_an_sd_jwt_vc_stating_the_same_award(runner, bundle, tmp_path):
    out = tmp_path / "converted.sd-jwt"
    result = runner.invoke(app, ["convert", str(bundle / "rossi-giulia.edc.json"), "--to", "sd-jwt-vc", *KEYS_ARGS,
                                 "--outcomes", str(EXAMPLE), "--out", str(out), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    report = verify_file(out)
    assert report.verified
    assert sd_jwt_vc_facts(report) == edc_facts(verify_file(bundle / "rossi-giulia.edc.json"))


def test_convert_refuses_a_key_that_is_not_the_issuers(runner, bundle, tmp_path):
    other = tmp_path / "other.pem"
    save_signing_key(SigningKey.generate(), other)
    out = tmp_path / "converted.json"
    result = runner.invoke(app, ["convert", str(bundle / "rossi-giulia.edc.json"), "--to", "edc", "--key", str(other),
                                 "--outcomes", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 1 and "only a credential's issuer may convert it" in result.output
    assert not out.exists()


def test_convert_refuses_an_outcome_file_without_the_credentials_award(runner, bundle, tmp_path):
    out = tmp_path / "converted.json"
    other = ROOT / "examples" / "its-sql-databases.yaml"
    result = runner.invoke(app, ["convert", str(bundle / "rossi-giulia.edc.json"), "--to", "edc", "--key", str(KEY),
                                 "--outcomes", str(other), "--out", str(out)])
    assert result.exit_code == 1 and "no learner of the outcome file has the award" in result.output
    assert "title" in result.output and not out.exists()


def test_every_bundle_code_has_an_italian_message_and_a_row_in_docs_bundle_md():
    import re

    import mcred.bundle.convert  # noqa: F401  (each module registers its Italian templates)
    import mcred.bundle.issuing  # noqa: F401
    import mcred.bundle.verify  # noqa: F401
    from mcred.messages import _CATALOGUE

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "mcred" / "bundle").glob("*.py"))
    codes = set(re.findall(r'"((?:BUNDLE|CONVERT)_[A-Z_]+)"', source)) - {"BUNDLE_REFUSED", "CONVERT_REFUSED"}
    assert codes - set(_CATALOGUE) == set()
    page = (ROOT / "docs" / "bundle.md").read_text(encoding="utf-8")
    assert {code for code in codes if f"`{code}`" not in page} == set()


@pytest.fixture(scope="module")
def seal_files(tmp_path_factory):
    from tests.pki import seal_pki, write_chain, write_pem_key

    pki = seal_pki()
    folder = tmp_path_factory.mktemp("seal")
    write_pem_key(folder / "seal.pem", pki.ec_seal)
    write_chain(folder / "chain.pem", pki.ec_seal, pki.ca)
    return ["--seal-key", str(folder / "seal.pem"), "--seal-chain", str(folder / "chain.pem")]


def test_a_bundle_with_a_jades_sealed_rendition_verifies(runner, tmp_path, seal_files):
    out = tmp_path / "b"
    result = runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,jades,sd-jwt-vc", *KEYS_ARGS, *seal_files,
                                 "--out-dir", str(out), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    assert [r.format for r in read_manifest(out / "rossi-giulia.bundle.json").renditions] == [
        "edc", "jades", "sd-jwt-vc"]
    result = verify_json(runner, out)
    assert result.exit_code == 0, result.output


def test_a_sealed_credential_of_another_did_is_an_issuer_mismatch(runner, tmp_path, seal_files):
    """The seal is the listed one, but what it seals was signed by another key than the manifest's issuer."""
    import hashlib

    from mcred.bundle.formats import FORMATS, Signers
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.seal import load_seal_key

    out = tmp_path / "b"
    assert runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,jades", "--key", str(KEY), *seal_files,
                               "--out-dir", str(out), "--issued", ISSUED]).exit_code == 0
    seal = load_seal_key(key=Path(seal_files[1]), chain=Path(seal_files[3]))
    outcomes = load_outcomes(EXAMPLE, now=ISSUED, learners_issued=True)
    data = FORMATS["jades"].issue(outcomes, outcomes.learners[0], Signers(SigningKey.generate(), seal_key=seal), ISSUED)
    (out / "rossi-giulia.jades.json").write_bytes(data)
    path = out / "rossi-giulia.bundle.json"
    manifest = read_manifest(path)
    renditions = [Rendition(r.format, r.file, hashlib.sha256(data).hexdigest() if r.format == "jades" else r.sha256,
                            r.signer) for r in manifest.renditions]
    path.write_bytes(manifest_bytes(sign_manifest(manifest.facts, renditions, load_signing_key(KEY), issued=ISSUED)))
    result = verify_json(runner, path)
    assert result.exit_code == 1 and _codes(result) == ["BUNDLE_ISSUER_MISMATCH"]
    assert "the sealed credential's proof" in _failed(result)[0]["message"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_roster_gets_a_bundle_per_learner(runner, tmp_path, seal_files, jobs):
    """With --jobs 2 the keys (Ed25519, P-256, the seal's) cross into the worker processes."""
    out = tmp_path / "b"
    result = runner.invoke(app, ["issue", str(EXAMPLE), "--formats", "edc,sd-jwt-vc,jades", *KEYS_ARGS, *seal_files,
                                 "--learners", str(ROOT / "examples" / "roster.csv"), "--out-dir", str(out),
                                 "--issued", ISSUED, "--jobs", jobs])
    assert result.exit_code == 0, result.output
    manifests = sorted(out.glob("*.bundle.json"))
    rows = len((ROOT / "examples" / "roster.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert len(manifests) == rows and len(list(out.iterdir())) == 5 * rows  # 3 renditions, manifest, row record
    assert f"{rows} bundle(s) issued (edc, sd-jwt-vc, jades), 0 failed" in result.stderr
    result = runner.invoke(app, ["verify", "--format", "json", str(out)])
    assert result.exit_code == 0
    *reports, summary = [json.loads(line) for line in result.stdout.splitlines()]
    assert [report["outcome"] for report in reports] == ["verified"] * rows
    assert summary["files"] == rows and summary["exit_code"] == 0


def test_a_disagreement_is_explained_in_italian(runner, bundle, three_credits):
    (bundle / "rossi-giulia.edc.json").write_bytes(three_credits.read_bytes())
    result = runner.invoke(app, ["verify", "--format", "json", "--lang", "it", str(bundle)])
    failed = [c for c in json.loads(result.stdout.splitlines()[0])["checks"] if c["status"] == "failed"]
    assert failed[1]["message"] == "rossi-giulia.edc.json (edc) attesta credits_ects 3, il manifesto 2"


def test_a_folder_with_bundles_names_the_files_no_bundle_lists(runner, bundle, three_credits):
    (bundle / "stray.json").write_bytes(three_credits.read_bytes())
    result = runner.invoke(app, ["verify", str(bundle)])
    assert result.exit_code == 0
    assert "stray.json is in no bundle" in result.stderr and "rossi-giulia.edc.json is in no" not in result.stderr
    result = runner.invoke(app, ["verify", str(bundle / "rossi-giulia.bundle.json")])
    assert "in no bundle" not in result.stderr  # a manifest given alone: its folder is not searched


def test_a_manifest_naming_a_file_outside_its_folder_is_malformed_and_unusable(runner, bundle):
    path = bundle / "rossi-giulia.bundle.json"
    document = json.loads(path.read_text())
    document["renditions"][0]["file"] = "../elsewhere.json"
    path.write_text(json.dumps(document))
    result = verify_json(runner, path)
    assert result.exit_code == 3
    failed = _failed(result)
    assert [(c["code"], c["path"]) for c in failed] == [("BUNDLE_MALFORMED", "$.renditions[0].file")]


def test_a_manifest_listing_a_format_mcred_does_not_know_fails_that_rendition(runner, bundle):
    path = bundle / "rossi-giulia.bundle.json"
    manifest = read_manifest(path)
    renditions = [Rendition("pdf" if r.format == "edc" else r.format, r.file, r.sha256, r.signer)
                  for r in manifest.renditions]
    path.write_bytes(manifest_bytes(sign_manifest(manifest.facts, renditions, load_signing_key(KEY), issued=ISSUED)))
    result = verify_json(runner, path)
    assert result.exit_code == 1
    assert [(c["code"], c["path"]) for c in _failed(result)] == [("BUNDLE_FORMAT_UNKNOWN", "$.renditions[0]")]


def test_with_trust_in_the_issuer_and_its_ca_a_bundle_is_verified_without_a_caveat(runner, bundle, tmp_path):
    trust = tmp_path / "trust.yaml"
    did = load_signing_key(KEY).did
    assert runner.invoke(app, ["trust", "add", "-f", str(trust), "--issuer", did, "--name-it", "ITS",
                               "--name-en", "ITS", "--country", "ITA"]).exit_code == 0
    assert runner.invoke(app, ["trust", "add-anchor", "--file", str(trust), str(KEYS / "TEST-ONLY-root-ca.pem"),
                               "--name", "TEST root"]).exit_code == 0
    before = runner.invoke(app, ["verify", "--lang", "en", str(bundle)])
    assert before.exit_code == 0 and "ISSUER NOT CHECKED" in before.stdout.splitlines()[0]
    after = runner.invoke(app, ["verify", "--lang", "en", "--trust", str(trust), str(bundle)])
    assert after.exit_code == 0 and after.stdout.splitlines()[0].startswith("VERIFIED")


def test_convert_refuses_a_credential_that_states_the_award_of_several_learners(runner, tmp_path):
    """An SD-JWT VC without its personal disclosures names no learner: two with the same award cannot be told apart."""
    from mcred.elm.outcomes import load_yaml

    data, _ = load_yaml(EXAMPLE)
    twin = {k: v for k, v in data["learners"][0].items() if k != "codice_fiscale"}
    data["learners"] = [data["learners"][0], {**twin, "given_name": "Anna", "email": "anna@example.org"}]
    outcomes = tmp_path / "two.json"
    outcomes.write_text(json.dumps(data), encoding="utf-8")
    issued = runner.invoke(app, ["issue", str(outcomes), "--format", "sd-jwt-vc", "--learner", "1", "--key",
                                 str(EC_KEY), "--cert", str(CHAIN), "--out", str(tmp_path / "full.sd-jwt"),
                                 "--issued", ISSUED])
    assert issued.exit_code == 0, issued.output
    jwt, *disclosures = (tmp_path / "full.sd-jwt").read_text().strip()[:-1].split("~")

    def name(disclosure: str):
        return json.loads(base64.urlsafe_b64decode(disclosure + "=" * (-len(disclosure) % 4)))[1]

    personal = ("given_name", "family_name", "birthdate", "tax_id_code", "email")
    shown = tmp_path / "shown.sd-jwt"
    shown.write_text("~".join([jwt, *[d for d in disclosures if name(d) not in personal]]) + "~\n")
    result = runner.invoke(app, ["convert", str(shown), "--to", "edc", "--key", str(KEY), "--ec-key", str(EC_KEY),
                                 "--outcomes", str(outcomes), "--out", str(tmp_path / "x.json"), "--issued", ISSUED])
    assert result.exit_code == 1 and "2 learners of the outcome file have the award" in result.output


def test_a_manifest_with_its_keys_reordered_is_the_same_manifest(runner, bundle):
    """JCS signs the manifest's values: a holder's reindented or reordered copy still verifies."""
    path = bundle / "rossi-giulia.bundle.json"
    document = json.loads(path.read_text())
    path.write_text(json.dumps(dict(reversed(list(document.items()))), indent=4))
    assert verify_json(runner, path).exit_code == 0


def test_the_options_of_one_credential_are_refused_for_bundles(runner, bundle):
    result = runner.invoke(app, ["verify", "--nonce", "n", str(bundle)])
    assert result.exit_code == 2 and "not for bundles" in result.output


@pytest.mark.parametrize("example", ["its-python-data.yaml", "its-sql-databases.yaml", "unito-short-course.yaml"])
def test_every_example_in_all_four_formats_is_one_award(runner, tmp_path, example):
    """edc, vc2 (ELM 3.2 on VC 2.0), sd-jwt-vc and ob3 of one award: each verifies, and all state the same facts."""
    out = tmp_path / "b"
    result = runner.invoke(app, ["issue", str(ROOT / "examples" / example), "--formats", "edc,vc2,sd-jwt-vc,ob3",
                                 *KEYS_ARGS, "--out-dir", str(out), "--issued", "2026-10-01T09:00:00Z"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["verify", "--format", "json", "--now", "2026-10-02T00:00:00Z", str(out)])
    assert result.exit_code == 0, result.output
    *reports, summary = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary["exit_code"] == 0 and reports
    for report in reports:
        assert [c["code"] for c in report["checks"] if c["check"] == "facts"] == ["BUNDLE_FACTS_SAME"] * 4
        assert schema_errors(report, "mcred-report-1.schema.json") == []


# -- re-runs: an interrupted --formats run is resumed (mcred.bundle.issuing.issue_bundle) ------------------------

def _issue_roster_bundles(runner, out_dir, *extra):
    return runner.invoke(app, ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--formats", "edc,sd-jwt-vc",
                               "--key", str(ROOT / "keys" / "TEST-ONLY-issuer.pem"),
                               "--ec-key", str(ROOT / "keys" / "TEST-ONLY-p256-issuer.pem"),
                               "--cert", str(ROOT / "keys" / "TEST-ONLY-p256-issuer.chain.pem"),
                               "--learners", str(ROOT / "examples" / "roster.csv"), "--out-dir", str(out_dir),
                               "--issued", "2026-07-01T09:00:00Z", *extra])


def test_a_rerun_keeps_the_bundles_issued_and_finishes_the_others(runner, tmp_path):
    out = tmp_path / "B"
    assert _issue_roster_bundles(runner, out).exit_code == 0
    manifests = sorted(out.glob("*.bundle.json"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # a run stopped in three places: one row bound but not moved, one not bound, one finished
    stopped, unbound = manifests[0], manifests[1]
    staging = out / f".{stopped.name.removesuffix('.bundle.json')}.bundle-staging"
    staging.mkdir()
    for path in sorted(out.glob(stopped.name.removesuffix(".bundle.json") + ".*")):
        path.rename(staging / path.name)
    unbound_stem = unbound.name.removesuffix(".bundle.json")
    unbound_staging = out / f".{unbound_stem}.bundle-staging"
    unbound_staging.mkdir()
    for path in sorted(out.glob(unbound_stem + ".*")):
        if path.name != unbound.name:
            path.rename(unbound_staging / path.name)
    unbound.unlink()
    result = _issue_roster_bundles(runner, out)
    assert result.exit_code == 0, result.output
    assert "1 bundle(s) issued" in result.output and "1 kept" in result.output and "1 completed" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(after) == set(before)  # no staging folder left, every file in place
    kept = manifests[2].name
    assert after[kept] == before[kept] and after[stopped.name] == before[stopped.name]  # moved, not re-signed
    assert after[unbound.name] != before[unbound.name]  # bound again, freshly
    verify = runner.invoke(app, ["verify", str(out), "--now", "2026-07-02T00:00:00Z"])
    assert verify.exit_code == 0, verify.output


def test_a_bundle_of_another_learner_under_the_same_name_is_not_kept(runner, tmp_path):
    import json

    out = tmp_path / "B"
    assert _issue_roster_bundles(runner, out).exit_code == 0
    manifest = sorted(out.glob("*.bundle.json"))[0]
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["facts"]["learner"]["given_name"] = "Somebody Else"
    manifest.write_text(json.dumps(document), encoding="utf-8")
    result = _issue_roster_bundles(runner, out)
    assert result.exit_code == 1 and "is the bundle of another learner (given_name differ" in result.output
    assert json.loads(manifest.read_text(encoding="utf-8"))["facts"]["learner"]["given_name"] == "Somebody Else"


def test_a_bundle_issued_from_another_version_of_its_row_is_not_kept(runner, tmp_path):
    """A corrected grade is not in the award's facts, but it is in the renditions: the row's record notices it."""
    roster = tmp_path / "roster.csv"
    roster.write_text((ROOT / "examples" / "roster.csv").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "B"
    args = ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--formats", "edc,sd-jwt-vc",
            "--key", str(ROOT / "keys" / "TEST-ONLY-issuer.pem"),
            "--ec-key", str(ROOT / "keys" / "TEST-ONLY-p256-issuer.pem"),
            "--cert", str(ROOT / "keys" / "TEST-ONLY-p256-issuer.chain.pem"),
            "--learners", str(roster), "--out-dir", str(out), "--issued", "2026-07-01T09:00:00Z"]
    assert runner.invoke(app, args).exit_code == 0
    records = sorted(out.glob(".*.bundle-row"))
    assert len(records) == 3 and all(p.stat().st_mode & 0o777 == 0o600 for p in records)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert runner.invoke(app, args).exit_code == 0  # unchanged: every row kept
    text = roster.read_text(encoding="utf-8")
    assert "27/30" in text
    roster.write_text(text.replace("27/30", "28/30", 1), encoding="utf-8")
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "was issued from another version of this row (the row's values changed" \
        in again.output and "2 kept" in again.output, again.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing rewritten

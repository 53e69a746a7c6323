"""`mcred verify X.sd-jwt --profile it-wallet --type-metadata …` on what `mcred issue --format sd-jwt-vc` writes:
issued with the it-wallet profile it passes both the profile and DC4EU's bundled type metadata; issued with haip
it fails the profile, each missing item with its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from mcred.cli.app import app
from mcred.keys.ecdsa import EcSigningKey, save_any_signing_key
from tests.unit.sdjwt.certs import NOW, ca, certificate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ISSUED = "2026-10-01T09:00:00Z"  # after the example's award date (2026-09-20), inside the certificate's year
CHECKED = ["--now", "2026-10-02T00:00:00Z"]


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """unito-short-course.yaml (exp, an https homepage) issued with each profile, and its-python-data.yaml
    (no valid_until: no exp) with haip."""
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("sdjwt-profile")
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    leaf = certificate(key._key, ca_key, subject="Issuer", issuer="Test CA", start=NOW)
    save_any_signing_key(key, folder / "issuer.pem")
    (folder / "chain.pem").write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, ca_cert)))
    runner = CliRunner()
    made = {}
    for name, example, profile in (("it-wallet", "unito-short-course.yaml", "it-wallet"),
                                   ("haip", "unito-short-course.yaml", "haip"),
                                   ("no-exp", "its-python-data.yaml", "haip")):
        out = folder / f"{name}.sd-jwt"
        result = runner.invoke(app, ["issue", str(EXAMPLES / example), "--format", "sd-jwt-vc", "--issued", ISSUED,
                                     "--key", str(folder / "issuer.pem"), "--cert", str(folder / "chain.pem"),
                                     "--profile", profile, "--out", str(out)])
        assert result.exit_code == 0, result.output
        made[name] = out
    return made


def _report(runner, path, *args) -> tuple[int, dict]:
    result = runner.invoke(app, ["verify", str(path), "--format", "json", *CHECKED, *args])
    return result.exit_code, json.loads(result.output.splitlines()[0])


def _codes(report, check: str) -> list[tuple[str, str]]:
    return [(c["status"], c["code"]) for c in report["checks"] if c["check"] == check]


def test_issued_with_it_wallet_it_passes_the_profile_and_dc4eus_type(runner, issued):
    code, report = _report(runner, issued["it-wallet"], "--profile", "it-wallet")
    assert code == 0, report
    assert _codes(report, "profile") == [("passed", "SDJWT_IT_WALLET_OK")]
    assert _codes(report, "type") == [("passed", "SDJWT_TYPE_OK")]
    assert report["outcome"] == "verified-with-warnings"  # the chain only: no trust file given
    assert [c["code"] for c in report["checks"] if c["status"] == "warning"] == ["SDJWT_CHAIN_NOT_CHECKED"]


def test_issued_with_haip_it_fails_the_it_wallet_profile_with_each_missing_item(runner, issued):
    code, report = _report(runner, issued["haip"], "--profile", "it-wallet")
    assert code == 1
    assert _codes(report, "profile") == [("failed", "SDJWT_IT_WALLET_KID_MISSING"),
                                         ("failed", "SDJWT_IT_WALLET_AUTHORITY_MISSING"),
                                         ("failed", "SDJWT_IT_WALLET_COUNTRY_INVALID")]
    code, report = _report(runner, issued["no-exp"], "--profile", "it-wallet")
    assert code == 1 and ("failed", "SDJWT_IT_WALLET_EXP_MISSING") in _codes(report, "profile")
    code, report = _report(runner, issued["haip"])  # haip, the default
    assert code == 0 and _codes(report, "profile") == [] and _codes(report, "type") == [("passed", "SDJWT_TYPE_OK")]


def test_the_profile_check_speaks_italian(runner, issued):
    result = runner.invoke(app, ["verify", str(issued["haip"]), *CHECKED, "--profile", "it-wallet", "--lang", "it"])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "il profilo it-wallet richiede kid nell'intestazione" in text


def test_type_metadata_given_by_the_user_is_used_and_a_bad_file_exits_3(runner, issued, tmp_path):
    strict = {"vct": "urn:eudi:micro_credential:1", "claims": [
        {"path": ["credentialSubject", "result", 0, "value"], "sd": "never"}]}  # DC4EU's rule, as an index
    (tmp_path / "strict.json").write_text(json.dumps(strict))
    code, report = _report(runner, issued["haip"], "--type-metadata", str(tmp_path))
    assert code == 1 and _codes(report, "type") == [("failed", "SDJWT_TYPE_SD_NEVER")]
    (tmp_path / "strict.json").write_text('{"vct": 1}')
    result = runner.invoke(app, ["verify", str(issued["haip"]), *CHECKED, "--type-metadata",
                                 str(tmp_path / "strict.json")])
    assert result.exit_code == 3 and "strict.json" in result.output and "not SD-JWT VC type metadata" in result.output


def test_expect_digest_names_the_issuer_signed_jwt(runner, issued):
    import hashlib

    jwt = issued["haip"].read_text().split("~")[0]
    header, payload, _ = jwt.split(".")
    digest = hashlib.sha256(f"{header}.{payload}".encode()).hexdigest()
    code, report = _report(runner, issued["haip"], "--expect-digest", f"sha256:{digest}")
    assert code == 0 and report["checks"][-1]["code"] == "DIGEST_OK"
    code, report = _report(runner, issued["haip"], "--expect-digest", "0" * 64)
    assert code == 1 and report["checks"][-1]["code"] == "DIGEST_MISMATCH"

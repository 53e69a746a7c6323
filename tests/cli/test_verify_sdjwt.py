"""`mcred verify X.sd-jwt` from the command line: trust anchors from `mcred trust add-anchor`, --nonce/--aud,
exit codes, JSON reports, folders."""

from __future__ import annotations

import json

from mcred.cli.app import app
from tests.sdjwt_make import ec_pki, issue, present

NOW = ["--now", "2026-06-02T00:00:00Z"]
KB = ["--nonce", "n-0S6_WzA2Mj", "--aud", "https://verifier.example"]


def _trust(runner, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(ec_pki().root.pem)
    path = tmp_path / "trust.yaml"
    assert runner.invoke(app, ["trust", "add-anchor", "--file", str(path), str(root)]).exit_code == 0
    return path


def test_a_presentation_verifies_for_its_nonce_and_audience(runner, tmp_path):
    text, disclosures = issue()
    path = tmp_path / "p.sd-jwt"
    path.write_text(present(text, disclosures[:1]), encoding="ascii")
    trust = _trust(runner, tmp_path)
    result = runner.invoke(app, ["verify", str(path), "--trust", str(trust), "--format", "json", *NOW, *KB])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.splitlines()[0])
    assert report["outcome"] == "verified"
    assert [c["code"] for c in report["checks"]][-1] == "SDJWT_KB_OK"
    wrong = runner.invoke(app, ["verify", str(path), "--trust", str(trust), *NOW, "--nonce", "other", "--aud",
                                "https://verifier.example", "--lang", "it"])
    assert wrong.exit_code == 1 and "SDJWT_KB_NONCE_MISMATCH" in wrong.output


def test_an_untrusted_chain_fails_and_a_folder_is_read(runner, tmp_path):
    pki = ec_pki()
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "foreign.sd-jwt").write_text(issue(signer=pki.foreign, chain=[pki.foreign])[0])
    (tmp_path / "creds" / "good.sd-jwt").write_text(issue()[0])
    trust = _trust(runner, tmp_path)
    result = runner.invoke(app, ["verify", str(tmp_path / "creds"), "--trust", str(trust), "--format", "json", *NOW])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]
    outcomes = {line["file"].rsplit("/", 1)[-1]: line["outcome"] for line in lines if "file" in line}
    assert outcomes == {"foreign.sd-jwt": "invalid", "good.sd-jwt": "verified"}


def test_unreadable_is_exit_3(runner, tmp_path):
    path = tmp_path / "bad.sd-jwt"
    path.write_text("nothing~here")
    result = runner.invoke(app, ["verify", str(path), *NOW])
    assert result.exit_code == 3 and "SDJWT_MALFORMED" in result.output


def _holder_pem(tmp_path):
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / "holder.pem"
    path.write_bytes(ec_pki().holder.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return path


def test_present_then_verify(runner, tmp_path):
    issued = tmp_path / "x.sd-jwt"
    issued.write_text(issue()[0])
    out = tmp_path / "p.sd-jwt"
    made = runner.invoke(app, ["present", str(issued), "--disclose", "given_name", "--holder-key",
                               str(_holder_pem(tmp_path)), *KB, "--out", str(out)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["verify", str(out), "--format", "json", *KB])
    report = json.loads(result.output.splitlines()[0])
    assert result.exit_code == 0 and report["outcome"] == "verified-with-warnings"  # no --trust: chain unchecked
    disclosures = next(c for c in report["checks"] if c["check"] == "disclosures")
    assert "(given_name)" in disclosures["message"] and "3 digest(s)" in disclosures["message"]


def test_present_refuses_an_unknown_claim_and_a_missing_nonce(runner, tmp_path):
    issued = tmp_path / "x.sd-jwt"
    issued.write_text(issue()[0])
    holder = str(_holder_pem(tmp_path))
    unknown = runner.invoke(app, ["present", str(issued), "--disclose", "shoe_size", "--holder-key", holder, *KB,
                                  "--out", str(tmp_path / "p.sd-jwt")])
    assert unknown.exit_code == 3 and "shoe_size" in unknown.output
    no_nonce = runner.invoke(app, ["present", str(issued), "--holder-key", holder, "--out", str(tmp_path / "q")])
    assert no_nonce.exit_code == 2


def test_show_lists_the_disclosed_claims_and_the_withheld_count(runner, tmp_path):
    text, disclosures = issue()
    path = tmp_path / "p.sd-jwt"
    path.write_text(text.split("~")[0] + "~" + disclosures[0] + "~")
    trust = _trust(runner, tmp_path)
    result = runner.invoke(app, ["show", str(path), "--trust", str(trust), "--lang", "en", *NOW])
    assert result.exit_code == 0, result.output
    assert "given_name" in result.output and "Maria" in result.output and "Rossi" not in result.output
    assert "3 digest(s) without a disclosure" in result.output
    tampered = tmp_path / "t.sd-jwt"
    tampered.write_text(text + disclosures[0] + "~")
    assert runner.invoke(app, ["show", str(tampered), *NOW]).exit_code == 1
    page = runner.invoke(app, ["render", str(path), "--out", str(tmp_path / "page.html"), *NOW])
    assert page.exit_code == 0 and "Maria" in (tmp_path / "page.html").read_text()  # tests/cli/test_render_sd_jwt.py

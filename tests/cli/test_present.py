"""``mcred present`` and ``mcred verify VP.json``: the commands over mcred.issue.presentation and
mcred.verify.presentation, their output (text and JSON, English and Italian) and exit codes."""

from __future__ import annotations

import json

import pytest

from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.signing import sign_credential
from tests.conftest import CREATED, VECTORS, load_json, write_json

ISSUER = SigningKey.from_seed(bytes(range(32)))
HOLDER_SEED = bytes(range(1, 33))
HOLDER = SigningKey.from_seed(HOLDER_SEED)
NOW = ["--now", "2026-11-23T12:00:00Z"]


@pytest.fixture
def files(tmp_path):
    """A credential about the holder, one about someone else, and the holder's key file (a hex seed)."""
    def signed(name, subject):
        doc = load_json(VECTORS / "unsigned.json")
        doc["issuer"] = ISSUER.did
        doc["credentialSubject"]["id"] = subject
        return write_json(tmp_path / name, sign_credential(doc, ISSUER, created=CREATED))

    key = tmp_path / "holder.key"
    key.write_text(HOLDER_SEED.hex(), encoding="utf-8")
    return {"mine": signed("mine.json", HOLDER.did), "theirs": signed("theirs.json", "did:example:someone-else"),
            "key": key, "vp": tmp_path / "vp.json"}


def present(runner, files, *credentials, extra=()):
    args = ["present", *map(str, credentials or [files["mine"]]), "--key", str(files["key"]), "--challenge", "c-1",
            "--domain", "verifier.example", "--out", str(files["vp"]), "--created", CREATED, *extra]
    return runner.invoke(app, args)


def verify(runner, files, *extra):
    return runner.invoke(app, ["verify", str(files["vp"]), *NOW, *extra])


def test_present_then_verify(runner, files):
    done = present(runner, files)
    assert done.exit_code == 0, done.output
    vp = json.loads(files["vp"].read_text(encoding="utf-8"))
    assert vp["holder"] == HOLDER.did and vp["proof"]["proofPurpose"] == "authentication"
    done = verify(runner, files, "--challenge", "c-1", "--domain", "verifier.example")
    assert done.exit_code == 0, done.output
    assert "VERIFIED (presentation)" in done.output and "PRESENTATION" not in done.output


def test_present_does_not_overwrite_without_force(runner, files):
    assert present(runner, files).exit_code == 0
    before = files["vp"].read_bytes()
    again = present(runner, files)
    assert again.exit_code == 2 and files["vp"].read_bytes() == before
    assert present(runner, files, extra=["--force"]).exit_code == 0


def test_present_refuses_what_is_not_a_signed_credential(runner, files, tmp_path):
    unsigned = write_json(tmp_path / "unsigned.json", load_json(VECTORS / "unsigned.json"))
    done = present(runner, files, unsigned)
    assert done.exit_code == 3 and "has no proof" in done.output
    assert not files["vp"].exists()


def test_present_notes_a_credential_about_someone_else(runner, files):
    done = present(runner, files, files["theirs"])
    assert done.exit_code == 0 and "not the holder" in done.output


@pytest.mark.parametrize(("extra", "code"), [
    (["--challenge", "other", "--domain", "verifier.example"], "PRESENTATION_CHALLENGE_MISMATCH"),
    (["--challenge", "c-1", "--domain", "attacker.example"], "PRESENTATION_DOMAIN_MISMATCH"),
])
def test_a_wrong_challenge_or_domain_exits_1(runner, files, extra, code):
    present(runner, files)
    done = verify(runner, files, *extra, "--format", "json")
    assert done.exit_code == 1
    report = json.loads(done.output.splitlines()[0])
    assert report["kind"] == "presentation" and report["outcome"] == "invalid"
    assert [c["code"] for c in report["checks"] if c["status"] == "failed"] == [code]
    summary = json.loads(done.output.splitlines()[-1])
    assert summary["problems"] == {code: 1}


def test_a_tampered_credential_inside_exits_1(runner, files):
    present(runner, files)
    vp = json.loads(files["vp"].read_text(encoding="utf-8"))
    vp["verifiableCredential"][0]["credentialSubject"]["alumniOf"] = "Another University"
    write_json(files["vp"], vp)
    done = verify(runner, files, "--challenge", "c-1", "--domain", "verifier.example", "--format", "json")
    assert done.exit_code == 1
    report = json.loads(done.output.splitlines()[0])
    assert "PROOF_SIGNATURE_INVALID" in [c["code"] for c in report["checks"]]  # the holder's signature
    assert report["credentials"][0]["outcome"] == "invalid"  # and the issuer's


def test_holder_binding_required(runner, files):
    present(runner, files, files["theirs"])
    asked = ["--challenge", "c-1", "--domain", "verifier.example"]
    assert verify(runner, files, *asked).exit_code == 0
    done = verify(runner, files, *asked, "--holder-binding", "required")
    assert done.exit_code == 1 and "HOLDER_BINDING_MISMATCH" in done.output


def test_the_report_in_italian(runner, files):
    present(runner, files)
    done = verify(runner, files, "--challenge", "sbagliata", "--domain", "verifier.example", "--lang", "it")
    assert done.exit_code == 1
    assert "NON VALIDA (presentazione)" in done.output and "titolare" in done.output
    assert "PRESENTATION_CHALLENGE_MISMATCH" in done.output


def test_a_presentation_among_credentials_in_one_run(runner, files):
    present(runner, files)
    done = runner.invoke(app, ["verify", str(files["mine"]), str(files["vp"]), *NOW, "--challenge", "c-1",
                               "--domain", "verifier.example", "--format", "json"])
    assert done.exit_code == 0, done.output
    kinds = [json.loads(line).get("kind") for line in done.output.splitlines()[:2]]
    assert kinds == [None, "presentation"]


def test_presentations_in_a_process_pool(runner, files, tmp_path):
    # --jobs 2: the workers get the challenge, domain and holder binding too
    present(runner, files)
    second = tmp_path / "vp2.json"
    second.write_bytes(files["vp"].read_bytes())
    done = runner.invoke(app, ["verify", str(files["vp"]), str(second), *NOW, "--jobs", "2", "--challenge", "c-1",
                               "--domain", "verifier.example", "--holder-binding", "required", "--format", "json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output.splitlines()[-1])
    assert summary["outcomes"] == {"verified": 2}
    wrong = runner.invoke(app, ["verify", str(files["vp"]), str(second), *NOW, "--jobs", "2", "--challenge", "x",
                                "--domain", "verifier.example", "--format", "json"])
    assert wrong.exit_code == 1
    assert json.loads(wrong.output.splitlines()[-1])["problems"] == {"PRESENTATION_CHALLENGE_MISMATCH": 2}

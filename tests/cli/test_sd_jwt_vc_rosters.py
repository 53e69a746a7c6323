"""`mcred issue --format sd-jwt-vc --out-dir`: a roster of SD-JWT VCs with the ELM rosters' manifest and re-runs,
and `mcred status revoke|show` of a Token Status List by learner, row, id or SD-JWT VC file.

The list is signed at the wall-clock time (`mcred status` has no --now), so the credentials are issued "now"
too, with a certificate valid around it; `mcred verify` runs at the wall clock as well.
"""

from __future__ import annotations

import base64
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization

from mcred.cli.app import app
from mcred.errors import InputError, UsageError
from mcred.issue.status_targets import resolve_targets
from mcred.issue.token_status_lists import read_own_token
from mcred.keys.ecdsa import EcSigningKey, load_any_signing_key, save_any_signing_key
from mcred.keys.ed25519 import load_signing_key
from tests.unit.sdjwt.certs import ca, certificate

ROOT = Path(__file__).resolve().parents[2]
OUTCOMES = ROOT / "examples" / "its-python-data.yaml"
URI = "https://its.example/status/tsl/1"
COLUMNS = ["given_name", "family_name", "date_of_birth", "codice_fiscale", "award_date", "grade"]
GIULIA, MARCO, SARA = "RSSGLI00D52L219I", "BNCMRC99A15F205E", "VRDSRA01P43H501S"
LEARNERS = [("Giulia", "Rossi", "2000-04-12", GIULIA, "2026-06-30", "28/30"),
            ("Marco", "Bianchi", "1999-01-15", MARCO, "2026-06-30", "27/30"),
            ("Sara", "Verdi", "2001-09-03", SARA, "2026-06-30", "30/30")]


def mcred(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@pytest.fixture
def pki(runner, tmp_path):
    """issuer.pem and chain.pem (its certificate, then the CA's), trust.yaml anchoring the CA, and the issuing time."""
    now = datetime.now(UTC).replace(microsecond=0)
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    leaf = certificate(key._key, ca_key, subject="Issuer", issuer="Test CA", start=now - timedelta(days=1))
    save_any_signing_key(key, tmp_path / "issuer.pem")
    (tmp_path / "chain.pem").write_bytes(_pem(leaf, ca_cert))
    (tmp_path / "ca.pem").write_bytes(_pem(ca_cert))
    assert mcred(runner, "trust", "add-anchor", "--file", tmp_path / "trust.yaml", tmp_path / "ca.pem").exit_code == 0
    return tmp_path, now.isoformat().replace("+00:00", "Z")


def token_list(runner, folder: Path, key_file: Path, name: str = "list.jwt") -> Path:
    path = folder / name
    result = mcred(runner, "status", "init", path, "--format", "token-status-list", "--key", key_file, "--uri", URI,
                   "--size", 1024, "--bits", 2)
    assert result.exit_code == 0, result.output
    return path


def write_roster(path: Path, learners) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(learners)
    return path


def issue(runner, folder: Path, when: str, roster: Path | None, *extra):
    learners = ["--learners", roster] if roster is not None else []
    return mcred(runner, "issue", OUTCOMES, "--format", "sd-jwt-vc", "--key", folder / "issuer.pem", "--cert",
                 folder / "chain.pem", *learners, "--out-dir", folder / "out", "--issued", when, *extra)


def read_list(path: Path, key) -> SimpleNamespace:
    """A Token Status List as `mcred status` hands it to resolve_targets: its uri (as id) and size."""
    token = read_own_token(path, key)
    return SimpleNamespace(id=token.uri, size=token.size)


def payload(path: Path) -> dict:
    return json.loads(base64.urlsafe_b64decode(path.read_text().split(".")[1] + "=="))


def rows_of(folder: Path) -> dict[int, dict]:
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    return {row["row"]: row for row in manifest["rows"]}


def status_of(runner, folder: Path, credential: Path) -> tuple[int, list]:
    """(exit code, [(status, code)] of the status check) of `mcred verify X --status-list L`."""
    result = mcred(runner, "verify", credential, "--status-list", folder / "list.jwt", "--trust", folder / "trust.yaml",
                   "--format", "json")
    checks = json.loads(result.stdout.splitlines()[0])["checks"]
    return result.exit_code, [(c["status"], c["code"]) for c in checks if c["check"] == "status"]


@pytest.fixture
def batch(runner, pki):
    """Three SD-JWT VCs issued from a roster with a Token Status List: (folder, issuing time, roster, manifest rows)."""
    folder, when = pki
    token_list(runner, folder, folder / "issuer.pem")
    roster = write_roster(folder / "roster.csv", LEARNERS)
    result = issue(runner, folder, when, roster, "--status-list", folder / "list.jwt")
    assert result.exit_code == 0, result.output
    assert "3 issued (new)" in result.output
    return folder, when, roster, rows_of(folder)


def test_a_roster_issues_sd_jwt_vcs_that_verify_and_the_manifest_records_them(runner, batch):
    folder, _, _, rows = batch
    result = mcred(runner, "verify", folder / "out", "--trust", folder / "trust.yaml", "--status-list",
                   folder / "list.jwt", "--format", "json")
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines() if '"file"' in line]
    assert sorted(Path(r["file"]).name for r in reports) == sorted(row["file"] for row in rows.values())
    assert {r["outcome"] for r in reports} == {"verified"}
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    assert manifest["issuer"].startswith("urn:ietf:params:oauth:jwk-thumbprint:sha-256:")
    for number, (given, family, *_) in zip((2, 3, 4), LEARNERS, strict=True):
        row, credential = rows[number], folder / "out" / rows[number]["file"]
        claims = payload(credential)
        assert row["status"] == "issued" and row["suite"] == "sd-jwt-vc/ES256"
        assert row["file"].endswith(".sd-jwt") and row["file"].startswith(f"{family.lower()}-{given.lower()}-")
        assert row["credential_id"] == claims["jti"] and claims["jti"].startswith("urn:uuid:")
        assert (row["status_list"], row["status_index"]) == (URI, claims["status"]["status_list"]["idx"])
        assert claims["status"]["status_list"]["uri"] == URI
        assert row["learner"]["codice_fiscale"] == LEARNERS[number - 2][3] and len(row["learner_sha256"]) == 64
        assert row["outcomes_sha256"] == manifest["outcomes_sha256"] and len(row["sha256"]) == 64


def test_a_rerun_keeps_every_credential_and_allocates_nothing(runner, batch):
    folder, when, roster, rows = batch
    before = {p.name: p.read_bytes() for p in (folder / "out").glob("*.sd-jwt")}
    allocated = json.loads((folder / "list.jwt.alloc").read_text())["allocated"]
    result = issue(runner, folder, when, roster)  # the manifest records the status list
    assert result.exit_code == 0, result.output
    assert "0 issued (new), 3 already issued (unchanged)" in result.output
    assert {p.name: p.read_bytes() for p in (folder / "out").glob("*.sd-jwt")} == before
    assert {n: (r["credential_id"], r["status_index"]) for n, r in rows_of(folder).items()} == \
        {n: (r["credential_id"], r["status_index"]) for n, r in rows.items()}
    assert json.loads((folder / "list.jwt.alloc").read_text())["allocated"] == allocated


def test_a_changed_row_is_refused_then_reissued_and_the_old_one_revoked(runner, batch):
    folder, when, roster, rows = batch
    roster.write_text(roster.read_text().replace("27/30", "29/30"))
    manifest = (folder / "out" / "manifest.json").read_bytes()
    result = issue(runner, folder, when, roster)
    assert result.exit_code == 1 and "row 3 (Bianchi Marco): grade 27/30 → 29/30" in result.output, result.output
    assert (folder / "out" / "manifest.json").read_bytes() == manifest  # nothing was written
    result = issue(runner, folder, when, roster, "--reissue")
    assert result.exit_code == 0, result.output
    new = rows_of(folder)[3]
    assert new["status"] == "reissued" and new["supersedes"] == rows[3]["credential_id"]
    assert payload(folder / "out" / new["file"])["credentialSubject"]["result"][0]  # a new file beside the old one
    assert status_of(runner, folder, folder / "out" / rows[3]["file"]) == (1, [("failed", "SDJWT_STATUS_REVOKED")])
    assert status_of(runner, folder, folder / "out" / new["file"]) == (0, [("passed", "SDJWT_STATUS_VALID")])


def test_a_changed_row_carries_the_code_roster_changed(runner, batch):
    from mcred.elm.outcomes import load_outcomes, read_roster
    from mcred.issue.issuing import issue_roster
    from mcred.issue.reruns import RerunRefused
    from mcred.issue.roster_formats import SdJwtVcRoster
    from mcred.sdjwt.issuing import load_certificate_chain

    folder, when, roster, _ = batch
    roster.write_text(roster.read_text().replace("27/30", "29/30"))
    key = load_any_signing_key(folder / "issuer.pem")
    kind = SdJwtVcRoster(key, load_certificate_chain(folder / "chain.pem"))
    rows = [(r.row, r.learner, r.problems) for r in read_roster(roster)]
    with pytest.raises(RerunRefused) as refused:
        issue_roster(load_outcomes(OUTCOMES), rows, key, folder / "out", issued=when, kind=kind)
    assert refused.value.code == "ROSTER_CHANGED"


def test_a_run_stopped_before_a_file_was_written_is_resumed_with_a_new_index(runner, batch):
    folder, when, roster, rows = batch
    manifest_path = folder / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["rows"][1]["status"] = "pending"  # as a run killed before row 3's file was written leaves it
    manifest_path.write_text(json.dumps(manifest))
    (folder / "out" / rows[3]["file"]).unlink()
    result = issue(runner, folder, when, roster)
    assert result.exit_code == 0, result.output
    assert "1 issued (new), 2 already issued (unchanged)" in result.output
    again = rows_of(folder)[3]
    claims = payload(folder / "out" / again["file"])
    assert claims["jti"] == again["credential_id"] != rows[3]["credential_id"]
    # the index of the void record is spent, never handed out again
    assert again["status_index"] == claims["status"]["status_list"]["idx"] != rows[3]["status_index"]
    assert json.loads((folder / "list.jwt.alloc").read_text())["allocated"] == 4


@pytest.mark.parametrize("how", ["learner", "row", "id", "file"])
def test_revoke_one_learner_and_the_others_stay_valid(runner, batch, how):
    folder, _, _, rows = batch
    marco = rows[3]
    target = {"learner": ["--learner", MARCO], "row": ["--row", 3], "id": [marco["credential_id"]],
              "file": [folder / "out" / marco["file"]]}[how]
    manifest = [] if how == "file" else ["--manifest", folder / "out" / "manifest.json"]
    result = mcred(runner, "status", "revoke", folder / "list.jwt", *target, *manifest, "--key", folder / "issuer.pem")
    assert result.exit_code == 0, result.output
    assert f"revoked {marco['status_index']}" in result.output
    token = read_own_token(folder / "list.jwt", load_any_signing_key(folder / "issuer.pem"))
    assert [token.status(rows[n]["status_index"]) for n in (2, 3, 4)] == [0, 1, 0]
    assert status_of(runner, folder, folder / "out" / marco["file"]) == (1, [("failed", "SDJWT_STATUS_REVOKED")])
    for other in (2, 4):
        valid = (0, [("passed", "SDJWT_STATUS_VALID")])
        assert status_of(runner, folder, folder / "out" / rows[other]["file"]) == valid


def test_suspend_and_reinstate_by_file(runner, batch):
    folder, _, _, rows = batch
    credential = folder / "out" / rows[2]["file"]
    for action, expected in (("suspend", (1, [("failed", "SDJWT_STATUS_SUSPENDED")])),
                             ("reinstate", (0, [("passed", "SDJWT_STATUS_VALID")]))):
        result = mcred(runner, "status", action, folder / "list.jwt", credential, "--key", folder / "issuer.pem")
        assert result.exit_code == 0, result.output
        assert status_of(runner, folder, credential) == expected


def test_status_show_names_the_learner_of_a_revoked_index(runner, batch):
    folder, _, _, rows = batch
    manifest = folder / "out" / "manifest.json"
    assert mcred(runner, "status", "revoke", folder / "list.jwt", "--row", 4, "--manifest", manifest, "--key",
                 folder / "issuer.pem").exit_code == 0
    key = ["--key", folder / "issuer.pem"]  # the list has no x5c: its signature is checked with the key
    result = mcred(runner, "status", "show", folder / "list.jwt", "--manifest", manifest, "--list", *key)
    assert result.exit_code == 0, result.output
    assert f"{rows[4]['status_index']} revoked  row 4  Verdi Sara  {rows[4]['file']}" in result.output
    shown = json.loads(mcred(runner, "status", "show", folder / "list.jwt", "--manifest", manifest,
                             "--format", "json", *key).stdout)
    assert shown["credentials"] == [{"index": rows[4]["status_index"], "row": 4, "learner": "Verdi Sara",
                                     "file": rows[4]["file"], "credential_id": rows[4]["credential_id"],
                                     "superseded_by": None}]


def _foreign_credential(runner, folder: Path, when: str) -> Path:
    """An SD-JWT VC of another key, with a Token Status List entry under the same uri: not this issuer's."""
    other = folder / "other"
    other.mkdir()
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    start = datetime.now(UTC) - timedelta(days=1)
    save_any_signing_key(key, other / "issuer.pem")
    (other / "chain.pem").write_bytes(_pem(certificate(key._key, ca_key, subject="Other", issuer="Test CA",
                                                       start=start), ca_cert))
    token_list(runner, other, other / "issuer.pem")
    out = other / "x.sd-jwt"
    result = mcred(runner, "issue", OUTCOMES, "--format", "sd-jwt-vc", "--key", other / "issuer.pem", "--cert",
                   other / "chain.pem", "--status-list", other / "list.jwt", "--out", out, "--issued", when)
    assert result.exit_code == 0, result.output
    assert payload(out)["status"]["status_list"]["uri"] == URI
    return out


def _edited(folder: Path, rows: dict) -> Path:
    """Row 2's credential with its payload's status index changed to row 3's, its signature left as it was."""
    text = (folder / "out" / rows[2]["file"]).read_text()
    header, body, rest = text.split(".", 2)
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["status"]["status_list"]["idx"] = rows[3]["status_index"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    path = folder / "edited.sd-jwt"
    path.write_text(f"{header}.{forged}.{rest}")
    return path


@pytest.mark.parametrize("make", ["foreign", "edited"])
def test_a_file_another_key_signed_or_an_edited_one_is_refused(runner, batch, make):
    folder, when, _, rows = batch
    path = _foreign_credential(runner, folder, when) if make == "foreign" else _edited(folder, rows)
    before = (folder / "list.jwt").read_bytes()
    result = mcred(runner, "status", "revoke", folder / "list.jwt", path, "--key", folder / "issuer.pem")
    assert result.exit_code == 3 and "not an SD-JWT VC signed by this list's key" in result.output, result.output
    assert (folder / "list.jwt").read_bytes() == before
    key = load_any_signing_key(folder / "issuer.pem")
    with pytest.raises(InputError) as refused:
        resolve_targets(folder / "list.jwt", [str(path)], status_list=read_list(folder / "list.jwt", key),
                        issuer_key=key)
    assert refused.value.code == "STATUS_TARGET_NOT_ISSUERS"


def test_a_file_without_a_status_entry_names_nothing(runner, pki):
    folder, when = pki
    token_list(runner, folder, folder / "issuer.pem")
    roster = write_roster(folder / "roster.csv", LEARNERS[:1])
    assert issue(runner, folder, when, roster).exit_code == 0  # issued without a status list
    credential = folder / "out" / rows_of(folder)[2]["file"]
    assert "status" not in payload(credential)
    result = mcred(runner, "status", "revoke", folder / "list.jwt", credential, "--key", folder / "issuer.pem")
    assert result.exit_code == 2 and "can never be revoked" in result.output
    key = load_any_signing_key(folder / "issuer.pem")
    with pytest.raises(UsageError) as refused:
        resolve_targets(folder / "list.jwt", [str(credential)], status_list=read_list(folder / "list.jwt", key),
                        issuer_key=key)
    assert refused.value.code == "STATUS_TARGET_NO_ENTRY"


def test_a_file_of_another_list_is_not_found_in_this_one(runner, batch):
    folder, _, _, rows = batch
    path = folder / "second.jwt"
    assert mcred(runner, "status", "init", path, "--format", "token-status-list", "--key", folder / "issuer.pem",
                 "--uri", "https://its.example/status/tsl/2", "--size", 1024).exit_code == 0
    key = load_any_signing_key(folder / "issuer.pem")
    with pytest.raises(UsageError) as refused:
        resolve_targets(path, [str(folder / "out" / rows[2]["file"])], status_list=read_list(path, key),
                        issuer_key=key)
    assert refused.value.code == "STATUS_TARGET_NOT_FOUND" and URI in refused.value.message


def test_fifty_rows_get_distinct_indexes_neither_in_row_order_nor_consecutive(runner, pki):
    folder, when = pki
    token_list(runner, folder, folder / "issuer.pem")
    learners = [(f"Nome{n}", "Rossi", f"2000-01-{1 + n % 28:02d}", "", "2026-06-30", "28/30") for n in range(50)]
    roster = write_roster(folder / "roster.csv", learners)
    result = issue(runner, folder, when, roster, "--status-list", folder / "list.jwt", "--jobs", 2)
    assert result.exit_code == 0, result.output
    rows = rows_of(folder)
    indexes = [rows[n]["status_index"] for n in sorted(rows)]
    assert [payload(folder / "out" / rows[n]["file"])["status"]["status_list"]["idx"] for n in sorted(rows)] == indexes
    assert len(set(indexes)) == 50
    assert indexes != sorted(indexes) and indexes != sorted(indexes, reverse=True)
    ordered = sorted(indexes)
    assert ordered != list(range(ordered[0], ordered[0] + 50))
    assert len({rows[n]["credential_id"] for n in rows}) == 50


def test_the_outcome_files_own_learners_without_a_roster(runner, pki):
    folder, when = pki
    result = issue(runner, folder, when, None)
    assert result.exit_code == 0, result.output
    (row,) = rows_of(folder).values()
    assert row["learner"]["codice_fiscale"] == GIULIA and row["file"].endswith(".sd-jwt")


def test_a_holder_key_or_a_bitstring_list_is_refused_for_a_roster(runner, pki):
    folder, when = pki
    roster = write_roster(folder / "roster.csv", LEARNERS)
    result = issue(runner, folder, when, roster, "--holder-key", folder / "issuer.pem")
    assert result.exit_code == 2 and "--holder-key binds one credential to one wallet's key" in result.output
    (folder / "w3c.json").write_text("{}")
    result = issue(runner, folder, when, roster, "--status-list", folder / "w3c.json")
    assert result.exit_code == 2 and "is not a Token Status List" in result.output
    assert not (folder / "out").exists()


def test_the_two_kinds_of_list_are_not_mixed_up(runner, batch):
    """An ELM roster with a Token Status List, an SD-JWT VC revoked in a Bitstring list: each refused, named."""
    folder, when, roster, rows = batch
    assert mcred(runner, "keygen", "--type", "ed25519", "--out", folder / "ed25519.pem").exit_code == 0
    result = mcred(runner, "issue", OUTCOMES, "--key", folder / "ed25519.pem", "--learners", roster, "--out-dir",
                   folder / "elm", "--status-list", folder / "list.jwt", "--issued", when)
    assert result.exit_code == 2 and "is a Token Status List, which holds SD-JWT VCs' statuses" in result.output
    assert not (folder / "elm").exists()
    assert mcred(runner, "status", "init", folder / "w3c.json", "--key", folder / "ed25519.pem", "--id",
                 "https://its.example/status/1").exit_code == 0
    with pytest.raises(UsageError) as refused:
        resolve_targets(folder / "w3c.json", [str(folder / "out" / rows[2]["file"])],
                        issuer=load_signing_key(folder / "ed25519.pem").did)
    assert refused.value.code == "STATUS_TARGET_NOT_FOUND" and "Token Status List" in refused.value.message


def test_the_profile_is_recorded_and_another_one_is_a_changed_row(runner, pki):
    folder, when = pki
    unito = ROOT / "examples" / "unito-short-course.yaml"
    command = ["issue", unito, "--format", "sd-jwt-vc", "--key", folder / "issuer.pem", "--cert", folder / "chain.pem",
               "--out-dir", folder / "out", "--issued", when]
    result = mcred(runner, *command, "--profile", "it-wallet")
    assert result.exit_code == 0, result.output
    (row,) = rows_of(folder).values()
    assert row["suite"] == "sd-jwt-vc/ES256/it-wallet"
    assert payload(folder / "out" / row["file"])["issuing_country"] == "IT"
    result = mcred(runner, *command)  # --profile haip, the default
    assert result.exit_code == 1 and "suite sd-jwt-vc/ES256/it-wallet → sd-jwt-vc/ES256" in result.output

"""The roster manifest: what each credential was signed from, read back strictly, a killed run's records settled."""

from __future__ import annotations

import json

import pytest

from mcred.errors import InputError
from mcred.issue.manifest import (
    MANIFEST,
    Manifest,
    RowResult,
    learner_digest,
    normalised_learner,
    read_manifest,
    write_manifest,
)
from mcred.issue.reruns import reissued_id, settle_pending


def test_normalised_values_ignore_spacing_and_unicode_form():
    typed = {"given_name": "  Nicolo\u0300 ", "family_name": "De  Luca", "grade": "28/30", "email": ""}
    saved_again = {"family_name": "De Luca", "given_name": "Nicol\u00f2", "grade": "28/30"}
    assert normalised_learner(typed) == normalised_learner(saved_again)
    assert learner_digest(normalised_learner(typed)) == learner_digest(normalised_learner(saved_again))
    assert learner_digest(normalised_learner({**saved_again, "grade": "30/30"})) != learner_digest(
        normalised_learner(saved_again))


def test_a_manifest_written_is_read_back(tmp_path):
    record = RowResult(2, "issued", "rossi-giulia-1a2b3c4d.json", "urn:uuid:1", learner={"given_name": "Giulia"},
                       learner_sha256="a" * 64, outcomes_sha256="b" * 64, suite="eddsa-rdfc-2022", status_index=7,
                       status_list="urn:example:list")
    write_manifest(tmp_path, Manifest("mcred-manifest/2", {"issuer": "did:key:z6Mk"}, [record]))
    manifest = read_manifest(tmp_path / MANIFEST)
    assert manifest.rows == [record] and manifest.sources == {"issuer": "did:key:z6Mk"}
    assert json.loads((tmp_path / MANIFEST).read_text())["counts"] == {"issued": 1, "already-issued": 0,
                                                                       "reissued": 0, "failed": 0}


@pytest.mark.parametrize("document, where", [
    ({"format": "mcred-manifest/9", "rows": []}, "$.format"),
    ({"format": "mcred-manifest/2", "rows": {}}, "$.rows"),
    ({"format": "mcred-manifest/2", "rows": [{"row": "2", "status": "issued"}]}, "$.rows[0].row"),
    ({"format": "mcred-manifest/2", "rows": [{"row": 2}]}, "$.rows[0]"),
    ({"format": "mcred-manifest/2", "rows": [{"row": 2, "status": "issued", "file": "../key.pem"}]},
     "$.rows[0].file"),
    ({"format": "mcred-manifest/2", "rows": [{"row": 2, "status": "issued", "learner": {"grade": 30}}]},
     "$.rows[0].learner"),
    ({"format": "mcred-manifest/2", "superseded": [{"row": 2, "status": "issued", "revoked": "yes"}]},
     "$.superseded[0].revoked"),
])
def test_a_manifest_mcred_did_not_write_is_refused_with_where(tmp_path, document, where):
    path = tmp_path / MANIFEST
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as refused:
        read_manifest(path)
    assert refused.value.code == "MANIFEST_INVALID" and refused.value.path == where


def test_a_manifest_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / MANIFEST
    path.write_bytes(b"\xff{")
    with pytest.raises(InputError) as refused:
        read_manifest(path)
    assert refused.value.code == "MANIFEST_INVALID" and "not JSON" in refused.value.message


def test_a_killed_runs_pending_records_are_settled(tmp_path):
    (tmp_path / "written.json").write_text("{}")
    old = RowResult(3, "issued", "old.json", "urn:uuid:old", superseded_by=reissued_id("urn:uuid:old"))
    manifest = Manifest("mcred-manifest/2", {}, [
        RowResult(2, "pending", "written.json", "urn:uuid:2"),
        RowResult(3, "pending", "never.json", reissued_id("urn:uuid:old"), supersedes="urn:uuid:old"),
    ], superseded=[old])
    settle_pending(manifest, tmp_path)
    assert [(r.row, r.status) for r in manifest.rows] == [(2, "issued")]
    # the reissue never written is void: the credential it was to replace stands again
    assert manifest.superseded == [] and manifest.earlier == [old] and old.superseded_by is None


def test_a_reissued_id_is_new_and_the_same_when_a_killed_run_is_resumed():
    assert reissued_id("urn:uuid:old") == reissued_id("urn:uuid:old") != "urn:uuid:old"
    assert reissued_id("urn:uuid:old") != reissued_id(reissued_id("urn:uuid:old"))

"""10,000 credentials in one `mcred verify --jobs 2` run: 10 tampered and 10 revoked are counted right.

eddsa-jcs-2022 credentials keep the run to about a minute (an RDF batch is measured by
benchmarks/batch.py instead). Slow: marked `slow`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mcred.issue.status_lists import allocate_indexes, bitstring_entry, init_status_list, update_status_list
from mcred.proofs.data_integrity import JCS
from mcred.proofs.signing import sign_credential

COUNT = 10_000
TAMPERED = set(range(5, COUNT, COUNT // 10))          # 10 credentials
REVOKED = set(range(17, COUNT, COUNT // 10))          # 10 others


@pytest.mark.slow
def test_ten_thousand_credentials(tmp_path, test_key, alumni):
    status_list = tmp_path / "revocations.json"
    init_status_list(status_list, test_key, "urn:uuid:2b7f6a4e-0000-4000-8000-000000000001")
    allocations = allocate_indexes(status_list, COUNT, issuer=test_key.did)
    folder = tmp_path / "credentials"
    folder.mkdir()
    base = dict(alumni)
    base["@context"] = list(alumni["@context"])
    for number, allocation in enumerate(allocations):
        document = dict(base, id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}")
        document["credentialStatus"] = bitstring_entry(allocation.list_id, allocation.index, "revocation")
        signed = sign_credential(document, test_key, suite=JCS, created="2026-11-01T09:00:00Z")
        if number in TAMPERED:
            signed["credentialSubject"]["alumniOf"] = "Forged"
        (folder / f"c{number:05d}.json").write_text(json.dumps(signed), encoding="utf-8")
    update_status_list(status_list, test_key, [allocations[n].index for n in REVOKED], "revoke")

    result = subprocess.run([sys.executable, "-m", "mcred.cli.app", "verify", str(folder), "--jobs", "2",
                             "--status-list", str(status_list), "--format", "json",
                             "--now", "2026-11-23T12:00:00Z"], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == COUNT + 1
    summary = json.loads(lines[-1])
    assert summary["files"] == COUNT
    assert summary["outcomes"] == {"verified": COUNT - 20, "invalid": 20}
    assert summary["problems"] == {"PROOF_SIGNATURE_INVALID": 10, "STATUS_REVOKED": 10}
    invalid = {json.loads(line)["file"].rsplit("/", 1)[-1] for line in lines[:-1]
               if json.loads(line)["outcome"] == "invalid"}
    assert invalid == {f"c{n:05d}.json" for n in TAMPERED | REVOKED}

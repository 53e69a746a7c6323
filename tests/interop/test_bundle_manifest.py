"""Interop: a bundle's manifest (eddsa-jcs-2022, no @context) verifies with Digital Bazaar's jsonld-signatures
(`interop/bundle-manifest.mjs`), and a changed value fails there too. Its renditions' own interop is the formats'
(tests/interop/test_digitalbazaar.py, test_sd_jwt_vc.py).

Needs Node.js and `npm ci --prefix interop`; missing prerequisites FAIL the tests (never skipped).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mcred.cli.app import app
from tests.interop.test_digitalbazaar import find_node

pytestmark = pytest.mark.interop

REPO = Path(__file__).resolve().parents[2]
KEYS = REPO / "keys"


def run_node(node: str, *files: Path) -> list[dict]:
    done = subprocess.run([node, str(REPO / "interop" / "bundle-manifest.mjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_digital_bazaar_verifies_a_manifest_and_refuses_a_changed_one(runner, tmp_path):
    node = find_node()
    out = tmp_path / "b"
    result = runner.invoke(app, ["issue", str(REPO / "examples" / "its-python-data.yaml"), "--formats",
                                 "edc,sd-jwt-vc", "--key", str(KEYS / "TEST-ONLY-issuer.pem"), "--ec-key",
                                 str(KEYS / "TEST-ONLY-p256-issuer.pem"), "--cert",
                                 str(KEYS / "TEST-ONLY-p256-issuer.chain.pem"), "--out-dir", str(out),
                                 "--issued", "2026-07-01T09:00:00Z"])
    assert result.exit_code == 0, result.output
    manifest = out / "rossi-giulia.bundle.json"
    changed = tmp_path / "changed.bundle.json"
    document = json.loads(manifest.read_text())
    document["facts"]["credits_ects"] = "3"
    changed.write_text(json.dumps(document))
    reordered = tmp_path / "reordered.bundle.json"  # JCS signs values: another key order is the same manifest
    reordered.write_text(json.dumps(dict(reversed(list(json.loads(manifest.read_text()).items())))))
    verdicts = {Path(r["file"]).name: r["verified"] for r in run_node(node, manifest, changed, reordered)}
    assert verdicts == {"rossi-giulia.bundle.json": True, "changed.bundle.json": False,
                        "reordered.bundle.json": True}

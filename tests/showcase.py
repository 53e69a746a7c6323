"""Credentials to look at: the examples issued for one learner, a stack of them, and QR decoding.

Shared by the tests of `mcred show` / `mcred render` (unit, CLI and browser tests).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import credential_bytes, issue_credential
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.signing import sign_credential
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PATHWAY = EXAMPLES / "stack" / "pathway-its-to-university.yaml"
COURSES = ("its-python-data", "its-sql-databases", "unito-short-course")
ISSUED = "2026-09-30T10:00:00Z"
NOW_ARG = ["--now", "2026-11-23T12:00:00Z"]
#: the example credentials as they are in the repository
SIGNED_EXAMPLES = (EXAMPLES / "elm-microcredential.signed.json", EXAMPLES / "elm-microcredential.jcs.signed.json")


def issue_examples(folder: Path, key: SigningKey) -> list[Path]:
    """The three example outcome files issued to their first learner (Giulia Rossi), one file each."""
    paths = []
    for course in COURSES:
        outcomes = load_outcomes(EXAMPLES / f"{course}.yaml")
        path = folder / f"{course}.json"
        path.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], key, issued=ISSUED)))
        paths.append(path)
    return paths


def stack_of(paths: list[Path], key: SigningKey, out: Path) -> Path:
    """The signed stack of the components at ``paths`` for the example pathway (as `mcred stack` makes it)."""
    from mcred.report import VerifyOptions
    from mcred.stack.stacking import build_stack_credential, load_components, load_pathway, plan_stack

    pathway = load_pathway(PATHWAY)
    plan = plan_stack(load_components(paths, VerifyOptions(now=NOW)), pathway)
    assert plan.ok, plan.to_dict()
    unsigned = build_stack_credential(plan, issuer=pathway.data["issuer"], issuer_did=key.did, issued=ISSUED,
                                      title=dict(pathway.data["title"]), pathway=pathway)
    out.write_text(json.dumps(sign_credential(unsigned, key, created=ISSUED), indent=2, ensure_ascii=False))
    return out


def resigned(path: Path, key: SigningKey, change) -> dict:
    """The credential at ``path``, changed by ``change(document)`` and signed again by ``key``."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document = {k: v for k, v in document.items() if k != "proof"}
    document["issuer"]["id"] = key.did
    change(document)
    return sign_credential(copy.deepcopy(document), key, created=ISSUED)


def claim(document: dict) -> dict:
    return document["credentialSubject"]["hasClaim"][0]


def decode_qr_matrix(matrix, scale: int = 4, border: int = 4) -> list[str]:
    """Decode a QR code given as its module matrix (rows of 0/1) with zxing-cpp, a real decoder."""
    import zxingcpp

    size = len(matrix) + 2 * border
    width = size * scale
    pixels = bytearray(b"\xff" * width * width)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = ((y + border) * scale + dy) * width + (x + border) * scale
                    pixels[start:start + scale] = b"\x00" * scale
    image = memoryview(bytes(pixels)).cast("B", (width, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


# --- what a credential's view shows (mcred.present.view) -------------------------------------------------

def rows(view) -> dict[str, str]:
    return {row.label: row.value for section in view.sections for row in section.rows}


def notes(view) -> dict[str, str | None]:
    return {row.label: row.note for section in view.sections for row in section.rows}

"""Every problem code the proof modules raise has an Italian message and a row in docs/verify.md."""

from __future__ import annotations

import re
from pathlib import Path

import mcred
from mcred.messages import _CATALOGUE
from mcred.proofs import data_integrity  # noqa: F401  (it registers its Italian templates)

ROOT = Path(mcred.__file__).parent


def raised_codes() -> set[str]:
    source = "".join((ROOT / "proofs" / name).read_text(encoding="utf-8")
                     for name in ("data_integrity.py",))
    return set(re.findall(r'ProofError\(\s*"([A-Z_]+)"', source))


def test_every_proof_code_has_an_italian_message():
    assert raised_codes() - set(_CATALOGUE) == set()


def test_every_proof_code_is_documented():
    table = (ROOT.parent / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in raised_codes() if f"`{code}`" not in table} == set()


def test_the_signing_codes_have_an_italian_message():
    import mcred.keys.ecdsa  # noqa: F401

    assert {"SUITE_KEY_MISMATCH", "KEY_FILE_WRONG_TYPE"} - set(_CATALOGUE) == set()

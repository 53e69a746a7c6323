"""Every problem code of the service has an Italian message and a row in docs/verify.md; the CLI's start-up does
not import the server."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import mcred
from mcred.messages import _CATALOGUE
from mcred.serve import problems  # noqa: F401  (it registers its Italian templates)

ROOT = Path(mcred.__file__).parent


def serve_codes() -> set[str]:
    source = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "serve").glob("*.py"))
    return set(re.findall(r'"(SERVE_[A-Z_]+)"', source))


def test_there_are_codes_to_check():
    assert {"SERVE_UNAUTHORIZED", "SERVE_BODY_TOO_LARGE", "SERVE_STATUS_UNKNOWN_CREDENTIAL"} <= serve_codes()


def test_every_serve_code_has_an_italian_message():
    assert serve_codes() - set(_CATALOGUE) == set()


def test_every_serve_code_is_documented():
    table = (ROOT.parent / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in serve_codes() if f"`{code}`" not in table} == set()


def test_help_and_verify_do_not_import_the_server():
    example = ROOT.parent / "examples" / "elm-microcredential.signed.json"
    program = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mcred.cli.app import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        f"assert CliRunner().invoke(app, ['verify', {str(example)!r}]).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn') "
        "or m.startswith('mcred.serve')))\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_serve_says_how_to_install_the_extra_when_it_is_missing(monkeypatch):
    from typer.testing import CliRunner

    from mcred.cli.app import app

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "mcred[serve]" in result.output

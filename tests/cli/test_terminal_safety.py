"""Nothing a credential says can drive the terminal: control sequences and BiDi controls are shown, inert.

A forged title "\\x1b[2J\\x1b[32m✔ VERIFIED" used to repaint `mcred show`; a U+202E reversed what followed.
Each command that quotes a credential (show, verify, stack --plan, lint, errors) is run on such text, and its
output must hold no raw control character (CliRunner is not a terminal, so rich adds none of its own).
"""

from __future__ import annotations

import json
import re

import pytest

from mcred._text import deep_safe, json_safe, terminal_safe
from mcred.cli.app import app
from mcred.proofs.signing import sign_credential
from tests.conftest import load_json, write_json
from tests.showcase import EXAMPLES, ISSUED, NOW_ARG

EVIL = "\x1b[2J\x1b[32m\u2714 VERIFIED\x1b[0m\r\u202eevil\u202c\x9b31m\u2066x\u2069"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_terminal_safe_shows_each_control_as_an_escape():
    assert terminal_safe(EVIL) == ("\\x1b[2J\\x1b[32m\u2714 VERIFIED\\x1b[0m\\x0d\\u202eevil\\u202c\\x9b31m"
                                   "\\u2066x\\u2069")
    assert terminal_safe("Giulia Rossi — à\tb\nc") == "Giulia Rossi — à\tb\nc"  # nothing else changes
    assert json.loads(json_safe(json.dumps(EVIL, ensure_ascii=False))) == EVIL   # JSON escapes, same string
    assert not RAW.search(json_safe(json.dumps(EVIL, ensure_ascii=False)))
    assert deep_safe({"a": [EVIL, ("x\x1b",)], "b": 1}) == {"a": [terminal_safe(EVIL), ("x\\x1b",)], "b": 1}


@pytest.fixture
def evil(tmp_path, test_key):
    document = load_json(EXAMPLES / "elm-microcredential.json")
    document.pop("proof", None)
    claim = document["credentialSubject"]["hasClaim"][0]
    claim["title"]["en"] = EVIL
    document["credentialSubject"]["givenName"] = {"it": EVIL}
    return write_json(tmp_path / "evil.json", sign_credential(document, test_key, issuer_from_key=True,
                                                              created=ISSUED))


def _clean(output: str) -> str:
    assert not RAW.search(output), repr(RAW.search(output).group())
    return output


def test_show_prints_what_the_credential_says_inert(runner, evil):
    result = runner.invoke(app, ["show", str(evil), *NOW_ARG])
    assert result.exit_code == 0, result.output
    assert "\\x1b[32m\u2714 VERIFIED\\x1b[0m\\x0d\\u202eevil" in _clean(result.output)


def test_render_shows_them_inert_on_the_page_too(runner, evil, tmp_path):
    """A page may be written to a terminal (--out -), and an override would reorder the printed text."""
    out = tmp_path / "page.html"
    assert runner.invoke(app, ["render", str(evil), "--out", str(out), *NOW_ARG]).exit_code == 0
    assert "\\u202eevil" in _clean(out.read_text(encoding="utf-8"))


def test_verify_text_and_json_name_a_file_inert(runner, evil, tmp_path):
    named = tmp_path / f"{EVIL.replace('/', '')}.json"
    named.write_bytes(evil.read_bytes())
    for args in ([], ["--format", "json"]):
        result = runner.invoke(app, ["verify", str(named), *NOW_ARG, *args])
        assert result.exit_code == 0, result.output
        _clean(result.output)
    report = json.loads(runner.invoke(app, ["verify", str(named), "--format", "json", *NOW_ARG]).stdout.splitlines()[0])
    assert report["file"] == str(named)  # JSON escapes: the data is intact


def test_errors_name_a_file_inert(runner, tmp_path):
    result = runner.invoke(app, ["verify", str(tmp_path / f"{EVIL.replace('/', '')}.json")])
    assert result.exit_code == 3
    _clean(result.output)


def test_stack_plan_quotes_component_titles_inert(runner, evil, tmp_path, test_key):
    from tests.showcase import issue_examples

    paths = issue_examples(tmp_path, test_key)
    for extra in ([], ["--format", "json"]):
        result = runner.invoke(app, ["stack", str(paths[0]), str(evil), "--plan", "--title", "en=x", *NOW_ARG,
                                     *extra])
        _clean(result.output)
        assert "VERIFIED" in result.output


def test_lint_quotes_values_inert(runner, tmp_path):
    document = load_json(EXAMPLES / "elm-microcredential.json")
    document["credentialSubject"]["nationalID"]["notation"] = EVIL
    path = write_json(tmp_path / "lint.json", document)
    for extra in ([], ["--format", "json"]):
        result = runner.invoke(app, ["lint", str(path), *extra])
        assert result.exit_code == 1 and "CODICE_FISCALE_INVALID" in result.output
        _clean(result.output)

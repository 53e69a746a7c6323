"""Re-make the README's screenshots of `mcred render` and `mcred show` (needs Chromium).

    .venv/bin/python docs/screenshots.py

Writes docs/render-example.png (the signed example, in Italian), docs/render-stack.png (the
three examples issued to Giulia Rossi, stacked for the example pathway, in English),
docs/show-example.svg and docs/show-stack.svg (the terminal view, by rich's SVG export). Everything
is signed by keys/TEST-ONLY-issuer.pem at fixed times and checked at a fixed time, so the
pictures change only when the pages do. The example is checked without a trust list (its ribbon says
the issuer was not checked), the stack with one that lists the TEST-ONLY key (its ribbon is green).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mcred.elm.outcomes import load_outcomes  # noqa: E402
from mcred.issue.issuing import credential_bytes, issue_credential  # noqa: E402
from mcred.keys.ed25519 import load_signing_key  # noqa: E402
from mcred.present.browser import browser_command, require_browser  # noqa: E402
from mcred.present.page import render_page  # noqa: E402
from mcred.present.view import credential_view  # noqa: E402
from mcred.proofs.signing import sign_credential  # noqa: E402
from mcred.report import VerifyOptions  # noqa: E402
from mcred.stack.stacking import build_stack_credential, load_components, load_pathway, plan_stack  # noqa: E402
from mcred.verify.batch import load_options  # noqa: E402
from mcred.verify.runner import verify_credential  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
ISSUED = "2026-10-01T09:00:00Z"
DOCS = ROOT / "docs"


def stack_file(folder: Path) -> Path:
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    paths = []
    for course in ("its-python-data", "its-sql-databases", "unito-short-course"):
        outcomes = load_outcomes(ROOT / "examples" / f"{course}.yaml")
        path = folder / f"{course}.json"
        path.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], key, issued=ISSUED)))
        paths.append(path)
    pathway = load_pathway(ROOT / "examples" / "stack" / "pathway-its-to-university.yaml")
    plan = plan_stack(load_components(paths, VerifyOptions(now=NOW)), pathway)
    unsigned = build_stack_credential(plan, issuer=pathway.data["issuer"], issuer_did=key.did, issued=ISSUED,
                                      title=dict(pathway.data["title"]), pathway=pathway)
    out = folder / "stack.json"
    out.write_text(json.dumps(sign_credential(unsigned, key, created=ISSUED), indent=2, ensure_ascii=False))
    return out


def trust_file(folder: Path) -> Path:
    """A trust list that names the TEST-ONLY key's holder as the example university."""
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    path = folder / "trusted.yaml"
    path.write_text(f"mcred: trust/1\nissuers:\n  - id: {key.did}\n    legal_name: {{it: Università degli Studi "
                    "di Esempio, en: University of Esempio}\n    country: ITA\n", encoding="utf-8")
    return path


def view_of(path: Path, shown_as: str, lang: str, trust: Path | None = None):
    document = json.loads(path.read_text(encoding="utf-8"))
    options = load_options(str(trust), (), False, NOW) if trust else None
    report = verify_credential(document, now=NOW, file=shown_as, options=options)
    return credential_view(document, report, lang=lang, checked_at=NOW)


def screenshot(view, png: Path, browser: str, folder: Path) -> None:
    page = folder / f"{png.stem}.html"
    page.write_text(render_page(view), encoding="utf-8")
    command = [*browser_command(browser, folder / "profile"), "--hide-scrollbars", "--window-size=794,1123",
               f"--screenshot={png}", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def terminal(view, svg: Path, title: str) -> None:
    from rich.console import Console

    from mcred.present.render import print_credential

    console = Console(record=True, width=108, highlight=False, emoji=False, file=io.StringIO())
    print_credential(view, console)
    svg.write_text(console.export_svg(title=title), encoding="utf-8")


def main() -> None:
    browser = require_browser()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        example = ROOT / "examples" / "elm-microcredential.signed.json"
        stack = stack_file(folder)
        example_it = view_of(example, "examples/elm-microcredential.signed.json", "it")
        stack_en = view_of(stack, "stack.json", "en", trust_file(folder))
        screenshot(example_it, DOCS / "render-example.png", browser, folder)
        screenshot(stack_en, DOCS / "render-stack.png", browser, folder)
        terminal(view_of(example, "examples/elm-microcredential.signed.json", "en"), DOCS / "show-example.svg",
                 "mcred show examples/elm-microcredential.signed.json --lang en")
        terminal(stack_en, DOCS / "show-stack.svg", "mcred show stack.json --trust trusted.yaml --lang en")
    for name in ("render-example.png", "render-stack.png", "show-example.svg", "show-stack.svg"):
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()

"""What importing mcred pulls in (heavy or networked libraries only where needed); its imports form no cycle."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_json_ld_support_comes_without_pyld_s_network_loaders():
    modules = _modules_after("import mcred.jsonld.process")
    assert "pyld.jsonld" in modules
    assert not {"asyncio", "aiohttp", "requests", "urllib.request", "pyld.documentloader.aiohttp"} & modules


def test_pyld_s_default_loader_is_a_refusal():
    result = subprocess.run([sys.executable, "-c", "from mcred.jsonld._pyld import jsonld\n"
                             "jsonld.expand({'@context': 'https://example.org/ctx', 'p': 1})"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "mcred does not load documents from the network (https://example.org/ctx)" in result.stderr


def test_an_ordinary_pyld_import_is_used_as_it_is():
    # a program that imported pyld itself keeps the real package, loaders and all
    modules = _modules_after("import pyld\nimport mcred.jsonld.process\nimport pyld as p\n"
                             "assert hasattr(p, 'ContextResolver')")
    assert "pyld.documentloader.aiohttp" in modules


def test_help_and_a_one_file_verify_do_not_import_what_they_do_not_use():
    help_modules = _modules_after("import mcred.cli.app")
    assert not {"pyld", "jsonschema", "cryptography", "rich.progress", "segno"} & help_modules


# --- the architecture: no cycle, layers (docs/architecture.md; the layers are checked by lint-imports) ------


def import_cycles(package: str) -> list[list[str]]:
    """The groups of modules of ``package`` that import each other, directly or not (imports inside functions
    count: they run, and a cycle through them is a cycle), each sorted; none in a package whose imports form
    a tree."""
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle_among_mcred_s_modules():
    assert import_cycles("mcred") == []


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def later():\n    from cyclic import high\n    return high\n")
    (package / "high.py").write_text("from cyclic.low import later\n")
    (package / "apart.py").write_text("import json\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic") == [["cyclic.high", "cyclic.low"]]


def test_every_import_the_library_manual_shows_works():
    """docs/library.md's examples name modules and functions: each exists where the manual says."""
    import importlib
    import re
    from pathlib import Path

    manual = (Path(__file__).resolve().parents[2] / "docs" / "library.md").read_text(encoding="utf-8")
    imports = re.findall(r"^from (mcred[\w.]*) import ([\w, ]+)$", manual, re.M)
    assert len(imports) >= 10, "the manual's examples changed shape: update this test"
    missing = [f"{module}.{name}" for module, names in imports for name in map(str.strip, names.split(","))
               if not hasattr(importlib.import_module(module), name)]
    assert missing == []

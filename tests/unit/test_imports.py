"""What importing mcred pulls in: heavy or networked libraries only where they are needed."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_json_ld_support_comes_without_pyld_s_network_loaders():
    modules = _modules_after("import mcred._jsonld")
    assert "pyld.jsonld" in modules
    assert not {"asyncio", "aiohttp", "requests", "urllib.request", "pyld.documentloader.aiohttp"} & modules


def test_pyld_s_default_loader_is_a_refusal():
    result = subprocess.run([sys.executable, "-c", "from mcred._pyld import jsonld\n"
                             "jsonld.expand({'@context': 'https://example.org/ctx', 'p': 1})"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "mcred does not load documents from the network (https://example.org/ctx)" in result.stderr


def test_an_ordinary_pyld_import_is_used_as_it_is():
    # a program that imported pyld itself keeps the real package, loaders and all
    modules = _modules_after("import pyld\nimport mcred._jsonld\nimport pyld as p\n"
                             "assert hasattr(p, 'ContextResolver')")
    assert "pyld.documentloader.aiohttp" in modules


def test_help_and_a_one_file_verify_do_not_import_what_they_do_not_use():
    help_modules = _modules_after("import mcred.cli")
    assert not {"pyld", "jsonschema", "cryptography", "rich.progress", "segno"} & help_modules

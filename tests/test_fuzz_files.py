"""Property-based robustness of the files an issuer writes: outcome files, rosters, pathways and trust files.

Each mutated file must be read, or refused with an mcred error (exit 2 or 3) that names it: never another
exception (exit 4, an internal error), never a hang (an alarm guards each read: not a timing assertion).
The same files go through `mcred lint`, which must exit 0, 1 or 3. Slow: marked `slow`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mcred.cli.app import app
from mcred.elm.outcomes import load_outcomes, read_roster
from mcred.errors import McredError
from mcred.stack.stacking import load_pathway
from mcred.verify.trust import load_trust_list
from tests.conftest import ASSETS
from tests.test_fuzz import hang_guard

ROOT = Path(__file__).resolve().parent.parent

#: kind -> (the reader a command uses, the seed files, the file name a mutation is written to)
KINDS = {
    "outcomes": (load_outcomes, [ROOT / "examples" / "its-python-data.yaml",
                                 ROOT / "examples" / "unito-short-course.yaml"], "course.yaml"),
    "roster": (read_roster, [ROOT / "examples" / "roster.csv"], "roster.csv"),
    "pathway": (load_pathway, [ROOT / "examples" / "stack" / "pathway-its-to-university.yaml"], "pathway.yaml"),
    "trust": (load_trust_list, [ASSETS / "trust" / "its-rotated.yaml"], "trust.yaml"),
}

#: texts that have broken YAML and CSV readers elsewhere: an alias bomb, deep nesting, a huge integer,
#: Python tags, a NUL, a long cell, a lone surrogate's bytes, Windows-1252 bytes
HOSTILE = [
    b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    b'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
    b'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n'
    b'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n',
    b"[" * 50_000 + b"]" * 50_000,
    b"mcred: outcomes/1\nects: " + b"9" * 5000 + b"\n",
    b'{"mcred": "trust/1", "issuers": [], "n": ' + b"9" * 5000 + b"}",
    b"!!python/object/apply:os.system ['echo owned']\n",
    b"given_name,family_name\n\x00\x00,\x00\n",
    b"given_name,family_name\n" + b"x" * 200_000 + b",y\n",
    b"given_name;family_name;data_nascita\nNiccol\xf2;D'Amico;01/02/2000\n",
    b"\xed\xa0\x80\xff\xfe",
    b"",
]


def read(kind: str, data: bytes, folder: Path) -> None:
    """Read ``data`` as a file of ``kind``: fine, or an mcred error naming the file (exit 2 or 3)."""
    reader, _, name = KINDS[kind]
    path = folder / name
    path.write_bytes(data)
    with hang_guard():
        try:
            reader(path)
        except McredError as error:
            assert error.exit_code in (2, 3), (kind, error.exit_code, error.diagnostics())
            assert error.file and Path(error.file).name == name, error.diagnostics()


def lint(data: bytes, name: str, folder: Path) -> None:
    path = folder / name
    path.write_bytes(data)
    with hang_guard():
        result = CliRunner().invoke(app, ["lint", str(path)])
    assert result.exit_code in (0, 1, 3), (name, result.exit_code, result.output)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_seed_files_are_read(kind, tmp_path):
    reader, seeds, _ = KINDS[kind]
    for seed in seeds:
        reader(seed)  # the mutations start from files that are good


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_texts_are_refused_or_read(kind, index, tmp_path):
    read(kind, HOSTILE[index], tmp_path)


@pytest.mark.slow
@settings(max_examples=800, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(KINDS)), st.integers(min_value=0, max_value=10**6), st.integers(min_value=0),
       st.sampled_from(["truncate", "flip", "insert", "duplicate"]), st.binary(min_size=1, max_size=12))
def test_mutated_bytes_never_crash(tmp_path_factory, kind, which, position, how, noise):
    seeds = KINDS[kind][1]
    data = seeds[which % len(seeds)].read_bytes()
    position %= len(data)
    if how == "truncate":
        data = data[:position]
    elif how == "flip":
        data = data[:position] + noise + data[position + len(noise):]
    elif how == "insert":
        data = data[:position] + noise + data[position:]
    else:  # a line given twice: duplicate keys, repeated rows
        start = data.rfind(b"\n", 0, position) + 1
        end = data.find(b"\n", position)
        line = data[start:end if end >= 0 else len(data)]
        data = data[:start] + line + b"\n" + data[start:]
    read(kind, data, tmp_path_factory.mktemp("fuzz"))


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                         st.sampled_from(["2026-02-30", "30/02/2026", "ITA", "IT", "did:key:z6Mk", "urn:x",
                                          "P60M", "-1", "1e400", "27/30 e lode", "\u202e", "x" * 5000]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=10)


def _places(node, path=()):
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, (dict, list)):
            yield from _places(value, (*path, key))


@pytest.mark.slow
@settings(max_examples=800, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(st.sampled_from(["outcomes", "pathway", "trust"]), st.data(), st.booleans())
def test_mutated_documents_never_crash(tmp_path_factory, kind, data, as_json):
    seeds = KINDS[kind][1]
    document = yaml.safe_load(data.draw(st.sampled_from(seeds)).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        places = list(_places(document))
        _, target = places[data.draw(st.integers(min_value=0, max_value=len(places) - 1))]
        if isinstance(target, dict) and target:
            key = data.draw(st.sampled_from(sorted(target, key=str)))
            if data.draw(st.booleans()):
                del target[key]
            else:
                target[key] = data.draw(yaml_values)
        elif isinstance(target, list) and target:
            target[data.draw(st.integers(min_value=0, max_value=len(target) - 1))] = data.draw(yaml_values)
    text = json.dumps(document, default=str) if as_json else yaml.safe_dump(document, allow_unicode=True)
    read(kind, text.encode("utf-8", "surrogatepass"), tmp_path_factory.mktemp("fuzz"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["course.yaml", "roster.csv", "pathway.yaml", "trust.yaml", "c.json"])
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_lint_of_hostile_files_never_crashes(name, index, tmp_path):
    lint(HOSTILE[index], name, tmp_path)

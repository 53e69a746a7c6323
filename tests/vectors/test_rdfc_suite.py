"""The official W3C RDFC-1.0 test suite, run against mcred.jsonld.rdfc.

The suite lives in tests/vectors/rdf-canon (see tests/vectors/PROVENANCE.md);
its manifest says which tests are evaluation tests (input N-Quads, expected
canonical N-Quads), map tests (expected issued identifiers map) and negative
tests (a poison graph that must be refused), and which hash algorithm each
one uses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mcred.jsonld.rdfc import DEFAULT_MAX_WORK, PoisonGraphError, canonicalize, parse_nquads

SUITE = Path(__file__).parent / "rdf-canon"
ENTRIES = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]


def _entries(kind: str) -> list[dict]:
    return [entry for entry in ENTRIES if entry["type"] == f"rdfc:{kind}"]


def _readable_id(entry: dict) -> str:
    """Turn entry #test060c, "n-quads escaping", into test060-n-quads-escaping."""
    number = re.match(r"#(test\d+)", entry["id"]).group(1)
    name = entry["name"].replace(" (map test)", "").replace(" (negative test)", "")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{number}-{slug}"


def _params(kind: str, complexity: str | None = None) -> list:
    return [
        pytest.param(entry, id=_readable_id(entry))
        for entry in _entries(kind)
        if complexity is None or entry.get("computationalComplexity") == complexity
    ]


def _read(relative: str) -> str:
    # Bytes, then decode: no newline translation, so comparisons are exact.
    return (SUITE / relative).read_bytes().decode("utf-8")


def _hash_algorithm(entry: dict) -> str:
    return entry.get("hashAlgorithm", "SHA256")


def test_manifest_has_the_whole_suite() -> None:
    # Guards against a truncated copy of the suite silently passing.
    assert len(_entries("RDFC10EvalTest")) == 64
    assert len(_entries("RDFC10MapTest")) == 21
    assert len(_entries("RDFC10NegativeEvalTest")) == 1
    assert {_hash_algorithm(entry) for entry in ENTRIES} == {"SHA256", "SHA384"}


@pytest.mark.parametrize("entry", _params("RDFC10EvalTest"))
def test_eval(entry: dict) -> None:
    quads = parse_nquads(_read(entry["action"]))
    result = canonicalize(quads, hash_algorithm=_hash_algorithm(entry))
    expected = (SUITE / entry["result"]).read_bytes()
    assert result.nquads.encode("utf-8") == expected


@pytest.mark.parametrize("entry", _params("RDFC10MapTest"))
def test_map(entry: dict) -> None:
    quads = parse_nquads(_read(entry["action"]))
    result = canonicalize(quads, hash_algorithm=_hash_algorithm(entry))
    assert result.issued == json.loads(_read(entry["result"]))


@pytest.mark.parametrize("entry", _params("RDFC10EvalTest"))
def test_canonical_output_is_a_fixed_point(entry: dict) -> None:
    # Parsing the expected output and canonicalizing it again changes
    # nothing: the serializer and the parser agree on every escape.
    expected = _read(entry["result"])
    result = canonicalize(parse_nquads(expected), hash_algorithm=_hash_algorithm(entry))
    assert result.nquads == expected


@pytest.mark.parametrize("entry", _params("RDFC10EvalTest", complexity="high"))
def test_heaviest_tests_pass_with_a_fifth_of_the_default_budget(entry: dict) -> None:
    # The default work limit is not tuned to the edge of what the suite
    # needs: the "evil" graphs pass with five times less.
    quads = parse_nquads(_read(entry["action"]))
    result = canonicalize(quads, max_work=DEFAULT_MAX_WORK // 5)
    assert result.nquads.encode("utf-8") == (SUITE / entry["result"]).read_bytes()


@pytest.mark.parametrize("entry", _params("RDFC10NegativeEvalTest"))
def test_negative_poison_graph_is_refused(entry: dict) -> None:
    quads = parse_nquads(_read(entry["action"]))
    with pytest.raises(PoisonGraphError, match="refused the input as a possible poison graph"):
        canonicalize(quads)


@pytest.mark.parametrize("entry", _params("RDFC10NegativeEvalTest"))
def test_negative_refusal_stops_at_the_budget(entry: dict) -> None:
    # No timing assertions: instead check that the work done before the
    # refusal is just past the default budget, and the same on every run.
    # The last charge is at most one unit for the call plus one per related
    # blank node mention (18 in this 10-clique), hence the overshoot bound.
    quads = parse_nquads(_read(entry["action"]))
    errors = []
    for _ in range(2):
        with pytest.raises(PoisonGraphError) as info:
            canonicalize(quads)
        errors.append(info.value)
    first, second = errors
    assert first.max_work == DEFAULT_MAX_WORK
    assert DEFAULT_MAX_WORK < first.work <= DEFAULT_MAX_WORK + 19
    assert (first.work, first.blank_nodes, first.shared_blank_nodes) == (
        second.work,
        second.blank_nodes,
        second.shared_blank_nodes,
    )
    assert (first.blank_nodes, first.shared_blank_nodes) == (10, 10)
    assert f"work limit of {DEFAULT_MAX_WORK} units was exceeded" in str(first)
    assert "10 blank nodes" in str(first)

"""The fast JSON-LD path (mcred.jsonld.expansion, mcred.jsonld.rdf) against pyld, the reference it replaces.

The fast path must give exactly pyld's expanded form and the same RDF dataset,
or decline (Unsupported) so that pyld does the work; it must never accept what
pyld refuses or drops. Checked on every JSON-LD document in the repository, on
credentials mcred issues, signs and stacks, and on thousands of generated
variations of them.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcred.errors import InputError
from mcred.jsonld import expansion as _expansion
from mcred.jsonld import process as _jsonld
from mcred.jsonld import rdf as _rdf
from mcred.jsonld.rdfc import CanonicalizationError, canonicalize, canonicalize_serialized
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import JCS, RDFC
from mcred.proofs.signing import sign_credential
from tests.conftest import ASSETS, CREATED, TEST_SEED, VECTORS

ROOT = Path(__file__).resolve().parents[3]
KEY = SigningKey.from_seed(TEST_SEED)


def _json_ld_files() -> list[Path]:
    found = []
    for folder in (ROOT / "examples", ASSETS, VECTORS):
        for path in sorted(folder.rglob("*.json*")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(document, dict) and "@context" in document:
                found.append(path)
    return found


FILES = _json_ld_files()


def _reference_expansion(document):
    """pyld's expansion and the terms it dropped, or the error it raised."""
    dropped: list = []
    try:
        return _jsonld._expand_with_pyld(document, dropped, None), dropped
    except InputError as error:
        return error, dropped


def _canonical(quads) -> str | None:
    try:
        return canonicalize(quads).nquads
    except CanonicalizationError as error:  # a poison graph, or a literal no canonical form has (both paths alike)
        return _refusal(error)


def _refusal(error: CanonicalizationError) -> str:
    """The reason, not which value it met first: the two paths list the same quads in different orders, so of
    two bad language tags each may name the other (found by hypothesis: '@id' and '@context' as tags)."""
    return "refused: " + re.sub(r"'[^']*'", "'…'", str(error))


def _graph_summary(expanded) -> tuple:
    """What mcred.graph.nodes reads from an expansion: the credential (or why none), every node's types and values."""
    from mcred.graph.nodes import Graph, GraphError, Literal, sort_key

    graph = Graph(expanded)
    try:
        credential = sort_key(graph.credential)
    except GraphError as error:
        credential = error.code

    def value(item):
        return item if isinstance(item, Literal) else sort_key(item) if not isinstance(item, tuple) else (
            tuple(value(i) for i in item))

    nodes = tuple((sort_key(node), tuple(node.types),
                   tuple((prop, tuple(value(v) for v in node.values(prop))) for prop in node.properties()))
                  for node in graph.nodes())
    return credential, nodes


def assert_same_as_pyld(document) -> bool:
    """Compare both paths on one document; True when the fast path took it (False: it declined)."""
    expected, dropped = _reference_expansion(document)
    try:
        expanded = _expansion.expand(copy.deepcopy(document))
    except _expansion.Unsupported:
        return False
    assert not isinstance(expected, Exception), f"pyld refused what the fast path accepted: {expected}"
    assert dropped == [], f"pyld dropped {dropped} where the fast path kept everything"
    assert expanded == expected
    # the graph made from the fast path's notes (no walk) is the one a walk of pyld's expansion gives
    assert _graph_summary(expanded) == _graph_summary(expected)
    try:
        quads = _rdf.expanded_to_quads(expanded)
    except _rdf.Unsupported:
        return False
    try:
        expected_quads = _jsonld._quads_with_pyld(expected, None)
    except InputError as error:
        pytest.fail(f"pyld could not convert what the fast path converted: {error}")
    assert len(quads) == len(set(quads))
    assert _canonical(quads) == _canonical(expected_quads)
    # and the N-Quads lines canonical_nquads uses, serialized without Term objects
    try:
        lines, has_blank_nodes = _rdf.expanded_to_lines(expanded)
    except CanonicalizationError as error:  # a term no N-Quads line can carry: refused either way
        assert _canonical(expected_quads) == _refusal(error)
        return True
    assert has_blank_nodes == any(term.kind == "bnode" for quad in quads for term in quad if term)
    try:
        from_lines = canonicalize_serialized(lines, has_blank_nodes).nquads
    except CanonicalizationError as error:
        from_lines = f"refused: {error}"
    assert from_lines == _canonical(expected_quads)
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_json_ld_file_in_the_repository(path):
    assert_same_as_pyld(json.loads(path.read_text(encoding="utf-8")))


def _elm_sample() -> dict:
    document = json.loads((ASSETS / "elm" / "mcred-microcredential-sample.json").read_text())
    document["@context"].append("https://w3id.org/security/data-integrity/v2")
    document["issuer"]["id"] = KEY.did
    return document


SIGNED = {suite: sign_credential(_elm_sample(), KEY, suite=suite, created=CREATED) for suite in (RDFC, JCS)}
BASES = [
    SIGNED[RDFC],
    json.loads((ROOT / "examples" / "elm-microcredential.signed.json").read_text()),
    json.loads((VECTORS / "eddsa-rdfc-2022" / "employ" / "signedDataInt.json")
               .read_text()),
]


@pytest.mark.parametrize("document", BASES[:2], ids=["elm-sample-signed", "elm-example-signed"])
def test_the_fast_path_takes_the_credentials_mcred_signs(document):
    # the speed-up is real only if the everyday credential never falls back to pyld
    assert assert_same_as_pyld(document)
    assert assert_same_as_pyld({k: v for k, v in document.items() if k != "proof"})


def test_issued_and_stacked_credentials(tmp_path):
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import issue_credential

    for name in ("its-python-data.yaml", "its-sql-databases.yaml", "unito-short-course.yaml"):
        outcomes = load_outcomes(ROOT / "examples" / name)
        credential = issue_credential(outcomes, outcomes.learners[0], KEY, issued="2026-07-01T09:00:00Z")
        assert assert_same_as_pyld(credential), name


# --- generated variations -------------------------------------------------------------------

_TERMS = ["id", "type", "@id", "@type", "@value", "@language", "@list", "@set", "@graph", "@context",
          "@index", "@reverse", "@nest", "@included", "@direction", "@vocab", "@foo", "name", "description",
          "title", "prefLabel", "proof", "credentialSubject", "issuer", "hasPart", "undefinedTerm", "_:b0",
          "https://example.org/p", "ex:p", "cred:x", "elm:title", "validFrom", "issued", "Qualification",
          "VerifiableCredential", "DataIntegrityProof", "created", "proofValue", "jsonSchema"]
_STRINGS = ["_:b0", "_:b1", "urn:x", "relative/iri", "@id", "@type", "@graph", "@json", "@vocab",
            "https://example.org/a", "did:key:z6Mk", "\x00\x0b\x0c", "2026-01-01T00:00:00Z", "P60M", "it",
            "en-GB", "EN", "not a tag!", "Qualification", "VerifiableCredential", "DataIntegrityProof",
            "Person", "xsd:string", "http://www.w3.org/2001/XMLSchema#integer", "ex:t", "elm:Agent"]
_CONTEXTS = [None, "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2",
             "https://w3id.org/security/data-integrity/v2", "http://data.europa.eu/snb/model/context/edc-ap",
             "https://w3id.org/citizenship/v4rc1", {"@vocab": "https://example.org/vocab#"},
             {"ex": "https://example.org/ns#"}, {"@version": 1.1, "title": {"@id": "https://example.org/t"}},
             {"t": {"@id": "https://example.org/t", "@type": "@id"}},
             {"l": {"@id": "https://example.org/l", "@container": "@list"}},
             {"g": {"@id": "https://example.org/g", "@container": "@graph"}},
             {"m": {"@id": "https://example.org/m", "@container": "@language"}},
             {"name": {"@id": "https://example.org/name", "@language": "fr"}},
             {"@language": "de"}, {"Person": {"@id": "https://example.org/Person",
                                              "@context": {"@vocab": "https://example.org/person#"}}},
             {"s": {"@id": "https://example.org/s", "@context": {"n": "https://example.org/n"}}},
             {"p": {"@id": "https://example.org/p", "@type": "@vocab"}},
             {"d": {"@id": "https://example.org/d", "@type": "http://www.w3.org/2001/XMLSchema#date"}},
             {"x": {"@id": "https://example.org/x", "@reverse": "https://example.org/y"}},
             {"@protected": True, "id": "@id"}, {"type": "@type"}, {"undefinedTerm": None}]

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=False), st.text(max_size=12), st.sampled_from(_STRINGS))
contexts = st.one_of(st.sampled_from(_CONTEXTS), st.lists(st.sampled_from(_CONTEXTS), min_size=1, max_size=3))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_TERMS), inner, max_size=4),
        st.dictionaries(st.sampled_from(["it", "en", "EN-gb", "@none", "x-bad tag"]), inner, max_size=2),
        st.dictionaries(st.sampled_from(["it", "en", "EN-gb", "@none"]),
                        st.one_of(st.text(max_size=5), st.lists(st.text(max_size=5), max_size=2)), max_size=2),
        st.fixed_dictionaries({"@context": contexts}, optional={"type": inner, "name": inner, "id": inner}),
    ),
    max_leaves=10,
)


def _places(node, path=()):
    yield node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, (dict, list)) and key != "@context":  # contexts change only by the "context" edit
            yield from _places(value, path)


@st.composite
def variations(draw):
    document = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = list(_places(document))
        target = places[draw(st.integers(min_value=0, max_value=len(places) - 1))]
        # mostly edits that keep the document usable, so that the fast path has to answer, not decline
        action = draw(st.sampled_from(["replace", "replace", "delete", "insert", "insert", "context"]))
        editable = sorted(key for key in target if key != "@context") if isinstance(target, dict) else []
        if editable:
            key = draw(st.sampled_from(editable))
            if action == "delete":
                del target[key]
            elif action == "replace":
                target[key] = _fresh(draw(values))
            elif action == "context":  # an embedded context, after the one in force there (if any)
                added = _fresh(draw(contexts))
                target["@context"] = [target["@context"], added] if "@context" in target else added
            else:
                target[draw(st.sampled_from(sorted(target) + _TERMS))] = _fresh(draw(values))
        elif isinstance(target, list) and target:
            index = draw(st.integers(min_value=0, max_value=len(target) - 1))
            if action == "delete":
                del target[index]
            else:
                target[index] = _fresh(draw(values))
    return document


def _fresh(value):
    # the sampled contexts are shared objects; a later mutation must not change them for the next example
    return copy.deepcopy(value)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_generated_variations_agree_with_pyld(document):
    assert_same_as_pyld(document)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_many_generated_variations_agree_with_pyld(document):
    assert_same_as_pyld(document)


# --- the cache --------------------------------------------------------------------------------

def test_contexts_that_differ_in_content_are_not_confused():
    # same shape, same position, different content: a cache keyed on anything but content would mix them up
    first = {"@context": {"@vocab": "https://a.example/"}, "@id": "urn:x", "p": "v"}
    second = {"@context": {"@vocab": "https://b.example/"}, "@id": "urn:x", "p": "v"}
    assert _expansion.expand(first)[0] == {"@id": "urn:x", "https://a.example/p": [{"@value": "v"}]}
    assert _expansion.expand(second)[0] == {"@id": "urn:x", "https://b.example/p": [{"@value": "v"}]}


def test_the_context_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(_expansion, "_CONTEXT_LIMIT", 10)
    monkeypatch.setattr(_expansion, "_INITIAL", None)
    for index in range(40):
        _expansion.expand({"@context": {"@vocab": f"https://v{index}.example/"}, "@id": "urn:x", "p": 1})
        assert _expansion._CONTEXTS_MADE <= 11
    assert len(_expansion._initial().derived) <= 11


def test_the_iri_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(_expansion, "_MEMO_LIMIT", 5)
    monkeypatch.setattr(_expansion, "_INITIAL", None)
    document = {"@context": {"@vocab": "https://v.example/"}, "@id": "urn:x",
                **{f"p{index}": index for index in range(20)}}
    expanded = _expansion.expand(document)[0]
    assert len(expanded) == 21
    context = next(iter(_expansion._initial().derived.values()))
    assert len(context.vocab_memo) <= 5


def test_the_type_memo_is_bounded_and_keyed_on_the_type_value(monkeypatch):
    monkeypatch.setattr(_expansion, "_MEMO_LIMIT", 3)
    monkeypatch.setattr(_expansion, "_INITIAL", None)
    scoped = {"@vocab": "https://v.example/",
              "A": {"@id": "https://v.example/A", "@context": {"p": "https://a.example/p"}},
              "B": {"@id": "https://v.example/B", "@context": {"p": "https://b.example/p"}}}
    for types in (["A"], "B", "A", ["B", "A"], "C", ["C"], [True], [1], "D", ["E"]):
        document = {"@context": scoped, "@id": "urn:x", "@type": types, "p": "v"}
        assert_same_as_pyld(document)
    context = next(iter(_expansion._initial().derived.values()))
    assert len(context.typed_memo) <= 3
    # a type-scoped context applies per value: the memo must not hand B's context to A
    assert "https://a.example/p" in _expansion.expand({"@context": scoped, "@type": "A", "p": "v"})[0]
    assert "https://b.example/p" in _expansion.expand({"@context": scoped, "@type": ["B"], "p": "v"})[0]


def test_a_type_that_cannot_be_a_memo_key_gets_pyld_s_answer():
    document = {"@context": {"@vocab": "https://v.example/"}, "@id": "urn:x", "@type": ["A", {"x": 1}], "p": 1}
    with pytest.raises(_expansion.Unsupported):
        _expansion.expand(document)


@pytest.mark.parametrize("document, reason", [
    ({"@context": {"@vocab": "https://v.example/"}, "@id": "urn:x", "@reverse": {"p": {"@id": "urn:y"}}},
     "@reverse"),
    ({"@context": {"x": {"@id": "https://e.example/x", "@type": "@json"}}, "x": {"a": 1}}, "@json"),
    ({"@context": "https://www.w3.org/ns/credentials/v2", "undefinedTerm": 1}, "dropped key"),
    ({"@context": {"@vocab": "https://v.example/"}, "@id": 5}, "@id not a string"),
])
def test_the_fast_path_declines_what_it_leaves_to_pyld(document, reason):
    with pytest.raises(_expansion.Unsupported, match=reason):
        _expansion.expand(document)


def test_declined_documents_get_pyld_s_answer():
    # through the public entry point an undefined term is still refused with its path (by pyld's safe mode)
    from mcred.errors import UnsafeJsonLdError

    with pytest.raises(UnsafeJsonLdError) as caught:
        _jsonld.expand_safely({"@context": "https://www.w3.org/ns/credentials/v2", "undefinedTerm": 1})
    assert caught.value.code == "JSONLD_UNDEFINED_TERM"
    assert caught.value.path == "$.undefinedTerm"


def test_rdf_fast_path_declines_json_literals_and_relative_iris():
    with pytest.raises(_rdf.Unsupported, match="@json"):
        _rdf.expanded_to_quads([{"@id": "urn:x", "https://e.example/p": [{"@value": {"a": 1}, "@type": "@json"}]}])
    with pytest.raises(_rdf.Unsupported, match="IRI"):
        _rdf.expanded_to_quads([{"@id": "relative", "https://e.example/p": [{"@value": "v"}]}])


# --- the safe-mode signal ---------------------------------------------------------------------

def assert_clean_means_safe(document) -> None:
    """When the fast path calls its result clean, the safe-mode walk must find nothing in it."""
    try:
        expanded, clean = _expansion.expand_checked(copy.deepcopy(document))
    except _expansion.Unsupported:
        return
    if clean:
        assert _jsonld._unsafe_iris(expanded) == []


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_clean_expansions_have_nothing_for_safe_mode_to_refuse(document):
    assert_clean_means_safe(document)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_many_clean_expansions_have_nothing_for_safe_mode_to_refuse(document):
    assert_clean_means_safe(document)


VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.mark.parametrize("document, code", [
    ({"@context": VC2, "id": "relative/id", "type": "VerifiableCredential"}, "JSONLD_RELATIVE_ID"),
    ({"@context": VC2, "id": "urn:x", "type": ["VerifiableCredential", "NoSuchType"]}, "JSONLD_RELATIVE_TYPE"),
    ({"@context": VC2, "id": "urn:x", "type": "VerifiableCredential", "issuer": "relative-issuer"},
     "JSONLD_RELATIVE_ID"),
    ({"@context": [VC2, {"x": {"@id": "https://e.example/x", "@type": "@vocab"}}], "id": "urn:x", "x": "rel"},
     "JSONLD_RELATIVE_ID"),
    ({"@context": VC2, "id": "urn:x", "name": {"@value": "v", "@type": "https://e.example/a<b"}},
     "JSONLD_RELATIVE_TYPE"),
    ({"@context": [VC2, {"m": {"@id": "https://e.example/m", "@container": "@language"}}], "id": "urn:x",
      "m": {"not a tag": "v"}}, "JSONLD_BAD_LANGUAGE"),
    ({"@context": [VC2, {"n": {"@id": "https://e.example/n", "@language": "bad tag"}}], "id": "urn:x", "n": "v"},
     "JSONLD_BAD_LANGUAGE"),
    ({"@context": [VC2, {"p": "https://e.example/a<b"}], "id": "urn:x", "p": "v"}, "JSONLD_RELATIVE_PROPERTY"),
    ({"@context": VC2, "id": "urn:x", "name": {"@value": "v", "@language": "a_b"}}, "JSONLD_BAD_LANGUAGE"),
])
def test_what_safe_mode_refuses_is_never_called_clean(document, code):
    expanded, clean = _expansion.expand_checked(document)  # the fast path takes these documents...
    assert not clean                                         # ...but does not vouch for them
    from mcred.errors import UnsafeJsonLdError

    with pytest.raises(UnsafeJsonLdError) as caught:
        _jsonld.expand_safely(document)
    assert caught.value.code == code


def test_the_clean_signal_is_kept_per_thread():
    # one thread's fresh start must not wipe what another thread's expansion found
    import sys
    from concurrent.futures import ThreadPoolExecutor

    unsafe = {"@context": VC2, "id": "relative/id", "type": "VerifiableCredential"}
    safe = {"@context": VC2, "id": "urn:x", "type": "VerifiableCredential", "name": "n" * 50}

    def run(document):
        return [_expansion.expand_checked(document)[1] for _ in range(300)]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that a shared flag would be caught
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(run, [unsafe, safe, unsafe, safe]))
    finally:
        sys.setswitchinterval(interval)
    assert results[0] == results[2] == [False] * 300
    assert results[1] == results[3] == [True] * 300


def test_a_null_type_beside_its_alias_is_refused_not_turned_into_none():
    # found by the fuzz test: "type" and "@type": null in one node; the fast path declines it, and
    # pyld's expansion keeps the null as None in @type (JSON-LD 1.1: an "invalid type value")
    document = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
                "credentialSubject": {"id": "did:example:learner", "@type": None, "type": "Person"}}
    with pytest.raises(_expansion.Unsupported):
        _expansion.expand_checked(document)
    with pytest.raises(InputError) as refused:
        _jsonld.expand_safely(document, file="c.json")
    assert refused.value.code == "JSONLD_INVALID" and "invalid type value" in str(refused.value)
    assert refused.value.file == "c.json" and refused.value.exit_code == 3

"""Unit tests for mcred.jsonld.rdfc: N-Quads parsing and serialization, RDFC-1.0
behaviour the official suite does not pin down, and the poison-graph guard.
"""

from __future__ import annotations

import random

import pytest

from mcred.jsonld.rdfc import (
    DEFAULT_MAX_WORK,
    MAX_RECURSION_DEPTH,
    Canonical,
    CanonicalizationError,
    PoisonGraphError,
    Quad,
    Term,
    canonical_nquads,
    canonicalize,
    parse_nquads,
    serialize_quad,
    serialize_term,
)

EX = "http://example.com/#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(value: str) -> Term:
    return Term("iri", value)


def bnode(label: str) -> Term:
    return Term("bnode", label)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> Term:
    return Term("literal", value, datatype, language)


def clique(size: int) -> list[Quad]:
    """Every blank node linked to every one, itself included (like test074)."""
    p = iri("http://example.com/p")
    return [Quad(bnode(f"e{i}"), p, bnode(f"e{j}"), None) for i in range(size) for j in range(size)]


def identical_list(length: int) -> list[Quad]:
    """An rdf:List of identical values: its middle nodes share first-degree hashes."""
    quads = [Quad(iri(f"{EX}s"), iri(f"{EX}list"), bnode("l0"), None)]
    for i in range(length):
        rest = bnode(f"l{i + 1}") if i < length - 1 else iri(f"{RDF}nil")
        quads.append(Quad(bnode(f"l{i}"), iri(f"{RDF}first"), literal("x"), None))
        quads.append(Quad(bnode(f"l{i}"), iri(f"{RDF}rest"), rest, None))
    return quads


# --------------------------------------------------------------------------
# Serialization and escaping
# --------------------------------------------------------------------------

# Canonical N-Quads escapes: ECHAR for these seven, \u00XX (uppercase hex)
# for the other C0 controls and DEL, nothing else.
CANONICAL_ESCAPES = [
    ("\b", "\\b"),
    ("\t", "\\t"),
    ("\n", "\\n"),
    ("\f", "\\f"),
    ("\r", "\\r"),
    ('"', '\\"'),
    ("\\", "\\\\"),
    ("\x00", "\\u0000"),
    ("\x01", "\\u0001"),
    ("\x0b", "\\u000B"),
    ("\x0e", "\\u000E"),
    ("\x1f", "\\u001F"),
    ("\x7f", "\\u007F"),
    ("'", "'"),
    ("\x80", "\x80"),
    ("\xa0", "\xa0"),
    ("\u2028", "\u2028"),
    ("\U0001f303", "\U0001f303"),
]


@pytest.mark.parametrize(
    ("char", "escaped"), CANONICAL_ESCAPES, ids=[f"U+{ord(c):04X}" for c, _ in CANONICAL_ESCAPES]
)
def test_literal_escaping_is_canonical(char: str, escaped: str) -> None:
    assert serialize_term(literal(f"a{char}b")) == f'"a{escaped}b"'


def test_every_control_character_round_trips() -> None:
    value = "".join(chr(code) for code in [*range(0x20), 0x7F]) + "\"'\\ é ∞ \U0001f303"
    quad = Quad(iri(f"{EX}s"), iri(f"{EX}p"), literal(value), None)
    line = serialize_quad(quad)
    assert line.count("\n") == 1 and line.endswith(" .\n")  # no raw newline leaks out
    assert parse_nquads(line) == [quad]


def test_parser_decodes_every_echar_and_uchar() -> None:
    text = r'<urn:ex:s> <urn:ex:p> "\t\b\n\r\f\"\'\\\u0041\u00e9\U0001F303\u007f" .'
    (quad,) = parse_nquads(text)
    assert quad.object == literal("\t\b\n\r\f\"'\\Aé\U0001f303\x7f")


def test_parser_decodes_uchar_in_iris() -> None:
    (quad,) = parse_nquads("<urn:ex:\\u0065x> <urn:ex:p> <urn:ex:\\U0001F303> <urn:ex:\\u221e> .")
    assert quad == Quad(
        iri("urn:ex:ex"), iri("urn:ex:p"), iri("urn:ex:\U0001f303"), iri("urn:ex:∞")
    )


def test_literal_forms() -> None:
    assert serialize_term(literal("x")) == '"x"'
    assert serialize_term(literal("x", f"{XSD}string")) == '"x"'
    assert serialize_term(literal("1", f"{XSD}integer")) == f'"1"^^<{XSD}integer>'
    assert serialize_term(literal("chat", language="fr")) == '"chat"@fr'
    assert serialize_term(literal("chat", f"{RDF}langString", "fr-BE")) == '"chat"@fr-BE'


def test_parser_reads_datatypes_languages_graphs_and_comments() -> None:
    text = (
        "# a comment line\n"
        "\n"
        '_:b0 <urn:ex:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> _:g . # trailing\n'
        '<urn:ex:s>\t<urn:ex:p>\t"x"@en-GB\t<urn:ex:g>\t.\r\n'
        '<urn:ex:s> <urn:ex:p> "y"^^<http://www.w3.org/2001/XMLSchema#string>.'
    )
    assert parse_nquads(text) == [
        Quad(bnode("b0"), iri("urn:ex:p"), literal("1", f"{XSD}integer"), bnode("g")),
        Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal("x", language="en-GB"), iri("urn:ex:g")),
        Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal("y"), None),
    ]


def test_serialize_quad_default_and_named_graph() -> None:
    s, p, o = iri("urn:ex:s"), iri("urn:ex:p"), bnode("b0")
    assert serialize_quad(Quad(s, p, o, None)) == "<urn:ex:s> <urn:ex:p> _:b0 .\n"
    assert serialize_quad(Quad(s, p, o, bnode("g"))) == "<urn:ex:s> <urn:ex:p> _:b0 _:g .\n"


@pytest.mark.parametrize(
    ("term", "reason"),
    [
        (iri("urn:ex:a b"), "not an absolute IRI"),
        (iri("urn:ex:a>"), "not an absolute IRI"),
        (iri("relative/path"), "not an absolute IRI"),
        (iri(""), "not an absolute IRI"),
        (bnode("a b"), "not a valid blank node label"),
        (bnode(""), "not a valid blank node label"),
        (literal("x", language="en US"), "not a valid language tag"),
        (literal("x", f"{XSD}integer", "en"), "a language tag implies rdf:langString"),
        (literal("x", f"{RDF}langString"), "rdf:langString without a language"),
        (literal("x", "not an iri"), "not an absolute IRI"),
        (literal("\ud800"), "lone surrogate"),
        (Term("uri", "urn:ex:a"), "unknown term kind"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_unserializable_terms_are_refused(term: Term, reason: str) -> None:
    with pytest.raises(CanonicalizationError, match=reason):
        serialize_term(term)


@pytest.mark.parametrize(
    ("quad", "reason"),
    [
        (Quad(literal("s"), iri("urn:ex:p"), iri("urn:ex:o"), None), "literal cannot be a subject"),
        (Quad(iri("urn:ex:s"), bnode("p"), iri("urn:ex:o"), None), "predicate must be an IRI"),
        (Quad(iri("urn:ex:s"), iri("urn:ex:p"), iri("urn:ex:o"), literal("g")), "graph name"),
        (("urn:ex:s", "urn:ex:p", "urn:ex:o", None), "'urn:ex:s' is not a Term"),
        ((iri("urn:ex:s"), iri("urn:ex:p")), "not a quad of Term values"),
    ],
    ids=["literal-subject", "bnode-predicate", "literal-graph", "strings", "too-short"],
)
def test_malformed_quads_are_refused(quad: Quad, reason: str) -> None:
    with pytest.raises(CanonicalizationError, match=reason):
        canonicalize([quad])


# --------------------------------------------------------------------------
# Parse errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("<urn:ex:s> <urn:ex:p> <urn:ex:o>", "expected '.'"),
        ("<urn:ex:s> <urn:ex:p> .", "needs 3 or 4 terms"),
        ("<urn:ex:s> <urn:ex:p> <urn:ex:o> <urn:ex:g> <urn:ex:h> .", "expected '.'"),
        ("<relative> <urn:ex:p> <urn:ex:o> .", "not an absolute IRI"),
        ("<urn:ex:a b> <urn:ex:p> <urn:ex:o> .", "expected a term"),
        ("<urn:ex:\\u0020> <urn:ex:p> <urn:ex:o> .", "not an absolute IRI"),
        ('"s" <urn:ex:p> <urn:ex:o> .', "subject cannot be a literal"),
        ("<urn:ex:s> _:p <urn:ex:o> .", "predicate must be an IRI"),
        ('<urn:ex:s> <urn:ex:p> <urn:ex:o> "g" .', "graph name cannot be a literal"),
        ('<urn:ex:s> <urn:ex:p> "unterminated .', "expected a term"),
        ('<urn:ex:s> <urn:ex:p> "bad \\x escape" .', "expected a term"),
        ('<urn:ex:s> <urn:ex:p> "\\uD800" .', "not a Unicode scalar value"),
        ('<urn:ex:s> <urn:ex:p> "\\U00110000" .', "not a Unicode scalar value"),
        ('<urn:ex:s> <urn:ex:p> "x"@ .', "expected '.'"),
        ("<urn:ex:s> <urn:ex:p> _:b. x", "expected '.'"),
    ],
    ids=[
        "no-dot",
        "two-terms",
        "five-terms",
        "relative-iri",
        "space-in-iri",
        "uchar-space-in-iri",
        "literal-subject",
        "bnode-predicate",
        "literal-graph",
        "unterminated-string",
        "bad-escape",
        "surrogate-uchar",
        "uchar-beyond-unicode",
        "empty-language",
        "junk-after-dot",
    ],
)
def test_parse_errors_name_the_line(line: str, reason: str) -> None:
    text = "<urn:ex:s> <urn:ex:p> <urn:ex:o> .\n# comment\n" + line + "\n"
    with pytest.raises(CanonicalizationError, match=reason) as info:
        parse_nquads(text)
    assert str(info.value).startswith("N-Quads line 3: ")


def test_parse_error_line_numbers_count_crlf_once() -> None:
    with pytest.raises(CanonicalizationError, match="^N-Quads line 2: "):
        parse_nquads("<urn:ex:s> <urn:ex:p> <urn:ex:o> .\r\n<urn:ex:s> .\r\n")


# --------------------------------------------------------------------------
# Canonicalization
# --------------------------------------------------------------------------


def test_graph_without_blank_nodes_is_sorted_in_code_point_order() -> None:
    quads = [
        Quad(iri("urn:ex:é"), iri("urn:ex:p"), literal("1"), None),
        Quad(iri("urn:ex:b"), iri("urn:ex:p"), literal("2"), iri("urn:ex:g")),
        Quad(iri("urn:ex:B"), iri("urn:ex:p"), literal("3"), None),
        Quad(iri("urn:ex:a"), iri("urn:ex:q"), literal("4"), None),
        Quad(iri("urn:ex:a"), iri("urn:ex:p"), literal("5"), None),
    ]
    result = canonicalize(quads)
    assert result == Canonical(
        '<urn:ex:B> <urn:ex:p> "3" .\n'
        '<urn:ex:a> <urn:ex:p> "5" .\n'
        '<urn:ex:a> <urn:ex:q> "4" .\n'
        '<urn:ex:b> <urn:ex:p> "2" <urn:ex:g> .\n'
        '<urn:ex:é> <urn:ex:p> "1" .\n',
        {},
    )
    assert canonical_nquads(reversed(quads)) == result.nquads


def test_empty_dataset() -> None:
    assert canonicalize([]) == Canonical("", {})


def test_duplicate_quads_are_removed() -> None:
    s, p = iri("urn:ex:s"), iri("urn:ex:p")
    quads = [
        Quad(s, p, literal("x"), None),
        Quad(s, p, literal("x", f"{XSD}string"), None),  # the same literal
        Quad(s, p, bnode("b"), None),
        Quad(s, p, bnode("b"), None),
        Quad(bnode("b"), p, literal("y"), None),
        Quad(bnode("b"), p, literal("y"), None),
    ]
    result = canonicalize(quads)
    assert result.nquads == (
        "".join(
            [
                '<urn:ex:s> <urn:ex:p> "x" .\n',
                "<urn:ex:s> <urn:ex:p> _:c14n0 .\n",
                '_:c14n0 <urn:ex:p> "y" .\n',
            ]
        )
    )
    assert result.issued == {"b": "c14n0"}


def test_duplicate_quads_do_not_change_blank_node_labels() -> None:
    # If duplicates were kept, _:a would hash differently from _:b.
    p = iri("urn:ex:p")
    quads = [Quad(bnode("a"), p, literal("v"), None), Quad(bnode("b"), p, literal("w"), None)]
    plain = canonicalize(quads)
    assert canonicalize(quads + quads[:1] * 3) == plain


def test_spec_example_shared_hashes() -> None:
    # RDFC-1.0 4.4.2, example "Shared hashes": e0 and e1 share a first-degree
    # hash and are told apart by Hash N-Degree Quads.
    text = (
        f"<{EX}p> <{EX}q> _:e0 .\n"
        f"<{EX}p> <{EX}q> _:e1 .\n"
        f"_:e0 <{EX}p> _:e2 .\n"
        f"_:e1 <{EX}p> _:e3 .\n"
        f"_:e2 <{EX}r> _:e3 .\n"
    )
    result = canonicalize(parse_nquads(text))
    assert result.issued == {"e2": "c14n0", "e3": "c14n1", "e1": "c14n2", "e0": "c14n3"}
    assert result.nquads == (
        f"<{EX}p> <{EX}q> _:c14n2 .\n"
        f"<{EX}p> <{EX}q> _:c14n3 .\n"
        f"_:c14n0 <{EX}r> _:c14n1 .\n"
        f"_:c14n2 <{EX}p> _:c14n1 .\n"
        f"_:c14n3 <{EX}p> _:c14n0 .\n"
    )


def relabel(quad: Quad, labels: dict[str, str]) -> Quad:
    """Rename the blank nodes of a quad."""
    return Quad(
        *(
            bnode(labels[term.value]) if term is not None and term.kind == "bnode" else term
            for term in quad
        )
    )


def test_result_does_not_depend_on_labels_or_order() -> None:
    # A graph with shared first-degree hashes, an automorphism and a blank
    # node graph name; any relabelling and reordering gives the same output.
    p, q = iri("urn:ex:p"), iri("urn:ex:q")
    base = [
        Quad(bnode("a"), p, bnode("b"), bnode("g")),
        Quad(bnode("b"), p, bnode("c"), bnode("g")),
        Quad(bnode("c"), p, bnode("a"), bnode("g")),
        Quad(bnode("x"), p, bnode("y"), None),
        Quad(bnode("y"), p, bnode("x"), None),
        Quad(bnode("g"), q, literal("graph"), None),
    ]
    expected = canonicalize(base).nquads
    rng = random.Random(1234)
    labels = ["a", "b", "c", "g", "x", "y"]
    for _ in range(20):
        new_labels = rng.sample([f"n{i}" for i in range(50)], len(labels))
        renamed = dict(zip(labels, new_labels, strict=True))
        shuffled = [relabel(quad, renamed) for quad in base]
        rng.shuffle(shuffled)
        assert canonicalize(shuffled).nquads == expected


def test_blank_node_graph_names_are_relabelled() -> None:
    quads = [Quad(iri("urn:ex:s"), iri("urn:ex:p"), iri("urn:ex:o"), bnode("graph"))]
    result = canonicalize(quads)
    assert result == Canonical("<urn:ex:s> <urn:ex:p> <urn:ex:o> _:c14n0 .\n", {"graph": "c14n0"})


def test_sha384_changes_labels_when_hash_order_decides_them() -> None:
    # The suite's diamond (test020 / test075): which of e0 and e1 gets
    # c14n0 depends on the order of their first-degree hashes.
    test, v = "http://example.org/vocab#test", "http://example.org/vocab#"
    quads = [
        Quad(iri(test), iri(f"{v}A"), bnode("e0"), None),
        Quad(iri(test), iri(f"{v}B"), bnode("e1"), None),
        Quad(bnode("e0"), iri(f"{v}next"), bnode("e2"), None),
        Quad(bnode("e1"), iri(f"{v}next"), bnode("e2"), None),
    ]
    sha256 = canonicalize(quads)
    sha384 = canonicalize(quads, hash_algorithm="sha384")
    assert sha256.issued == {"e1": "c14n0", "e2": "c14n1", "e0": "c14n2"}
    assert sha384.issued == {"e0": "c14n0", "e2": "c14n1", "e1": "c14n2"}
    assert sha256.nquads != sha384.nquads
    assert canonicalize(quads, hash_algorithm="SHA-384") == sha384


def test_hash_algorithm_does_not_matter_without_blank_nodes() -> None:
    quads = [Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal("o"), None)]
    assert canonicalize(quads, hash_algorithm="sha384") == canonicalize(quads)


def test_unsupported_hash_algorithm() -> None:
    with pytest.raises(CanonicalizationError, match="unsupported hash algorithm 'md5'"):
        canonicalize([], hash_algorithm="md5")


@pytest.mark.parametrize("max_work", [-1, 1.5, "10", True])
def test_max_work_must_be_a_non_negative_integer(max_work: object) -> None:
    with pytest.raises(ValueError, match="max_work must be a non-negative integer"):
        canonicalize([], max_work=max_work)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Poison graphs
# --------------------------------------------------------------------------


def test_unique_first_degree_hashes_cost_no_work() -> None:
    # No blank node shares a first-degree hash, so Hash N-Degree Quads never
    # runs and even a zero budget is enough.
    quads = [
        Quad(iri("urn:ex:s"), iri(f"urn:ex:p{i}"), bnode(f"b{i}"), None) for i in range(20)
    ] + [Quad(bnode(f"b{i}"), iri("urn:ex:v"), literal(str(i)), None) for i in range(20)]
    assert len(canonicalize(quads, max_work=0).issued) == 20


def test_six_clique_is_refused_with_a_small_budget() -> None:
    with pytest.raises(PoisonGraphError, match="work limit of 1000 units was exceeded") as info:
        canonicalize(clique(6), max_work=1000)
    error = info.value
    assert error.max_work == 1000
    assert 1000 < error.work <= 1000 + 11  # the last charge is at most 1 + 10 mentions
    assert (error.blank_nodes, error.shared_blank_nodes) == (6, 6)
    assert "6 blank nodes, 6 of them sharing a first-degree hash" in str(error)
    assert "possible poison graph" in str(error)


def test_six_clique_is_accepted_with_a_large_budget() -> None:
    result = canonicalize(clique(6), max_work=200_000)
    assert sorted(result.issued.values()) == [f"c14n{i}" for i in range(6)]
    assert result.nquads.count("\n") == 36


def test_default_budget_refuses_a_six_clique() -> None:
    # A 6-clique needs about 77,000 units, more than the default allows.
    with pytest.raises(PoisonGraphError) as info:
        canonicalize(clique(6))
    assert info.value.max_work == DEFAULT_MAX_WORK


def test_default_budget_accepts_a_list_of_fifty_identical_values() -> None:
    result = canonicalize(identical_list(50))
    assert len(result.issued) == 50


def test_recursion_depth_is_bounded_whatever_the_budget() -> None:
    # The middle nodes of a long identical list share first-degree hashes,
    # and Hash N-Degree Quads follows the whole chain recursively.
    with pytest.raises(PoisonGraphError, match=f"deeper than {MAX_RECURSION_DEPTH} levels"):
        canonicalize(identical_list(MAX_RECURSION_DEPTH + 50), max_work=10**9)

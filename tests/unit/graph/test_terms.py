"""vocab/terms.json: mcred's names for IRIs, derived from the bundled contexts, and a node written under them."""

from __future__ import annotations

import json
from pathlib import Path

from mcred.graph import terms as _terms
from mcred.graph.tree import write_tree

ROOT = Path(__file__).resolve().parents[3]


def test_the_table_is_what_the_bundled_contexts_give():
    """If this fails, a context changed: run `python -m mcred.graph.terms --write` and review the difference."""
    recorded = json.loads((ROOT / "vocab" / "terms.json").read_text(encoding="utf-8"))
    assert recorded == _terms.table_document()


def test_the_names_readers_use_are_the_terms_of_elm_and_vc():
    names = json.loads((ROOT / "vocab" / "terms.json").read_text(encoding="utf-8"))["terms"]
    expected = {  # from the contexts themselves (contexts/credentials-v1.jsonld, contexts/edc-ap-context.jsonld)
        "https://www.w3.org/2018/credentials#expirationDate": "expirationDate",
        "https://www.w3.org/2018/credentials#credentialSubject": "credentialSubject",
        "http://data.europa.eu/snb/model/elm/hasClaim": "hasClaim",
        "http://data.europa.eu/snb/model/elm/EQFLevel": "eqfLevel",
        "http://purl.org/dc/terms/title": "title",
        "http://www.w3.org/ns/adms#identifier": "identifier",
        "https://www.w3.org/ns/credentials/status#statusListIndex": "statusListIndex",
    }
    assert {iri: names.get(iri) for iri in expected} == expected


def test_a_node_is_written_once_per_occurrence_and_a_cycle_by_its_id():
    from mcred.graph.nodes import read_graph

    a, b = "urn:x:a", "urn:x:b"
    knows = "http://xmlns.com/foaf/0.1/knows"
    vc = "https://www.w3.org/2018/credentials#VerifiableCredential"
    graph = read_graph([{"@id": a, "@type": [vc], knows: [{"@id": b, knows: [{"@id": a}]}]}])
    tree = write_tree(graph.credential)
    assert tree == {"id": a, "type": ["VerifiableCredential"], knows: {"id": b, knows: {"id": a}}}

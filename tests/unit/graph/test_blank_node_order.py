"""The order of blank-node values (mcred.graph.nodes.sort_key): by content, from the graph alone, and finite
for blank nodes that reach each other. A clique of ten blank nodes (the shape of RDFC-1.0 test 074) once
made reading a property recurse until Python's stack ran out: verify crashed with a RecursionError."""

from __future__ import annotations

from mcred.verify.runner import verify_credential

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
PROOF = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-01T00:00:00Z",
         "verificationMethod": "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
                               "#z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd",
         "proofPurpose": "assertionMethod", "proofValue": "z" + "1" * 64}


def _credential(subject) -> dict:
    return {"@context": CONTEXT, "type": ["VerifiableCredential"], "issuer": "did:example:i",
            "credentialSubject": subject, "proof": PROOF}


def test_a_blank_node_clique_is_read_to_a_verdict():
    clique = [{"@id": f"_:n{i}", "knows": [{"@id": f"_:n{j}"} for j in range(10)]} for i in range(10)]
    report = verify_credential(_credential({"id": "did:example:s", "knows": clique}))
    codes = [check.code for check in report.checks]
    assert "VCDM2_OK" in codes  # the data-model rules read the whole graph, sorting the blank nodes
    assert not report.verified and "JSONLD_TOO_COMPLEX" in codes  # refused by RDFC-1.0's work limit, as before


def _order(first: dict, second: dict) -> list[str]:
    from mcred.graph.nodes import Graph
    from mcred.jsonld.expansion import expand

    document = _credential({"id": "did:example:s", "knows": [first, second]})
    graph = Graph(expand(document))
    subject = next(node for node in graph.nodes() if node.iri == "did:example:s")
    values = subject.values("https://www.w3.org/ns/credentials/examples#knows")
    return [node.values("https://schema.org/name")[0].lexical for node in values]


def test_blank_nodes_are_ordered_by_content_not_by_their_place_in_the_json():
    a = {"name": "A", "knows": {"name": "deep 1"}}
    b = {"name": "B", "knows": {"name": "deep 2"}}
    assert _order(a, b) == _order(b, a)

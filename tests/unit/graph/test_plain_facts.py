"""Plain documents: a credential's issuer, validity, status and parts read from its own object are its graph's.

`mcred.graph.facts.plain_facts` reads an eddsa-jcs-2022 credential's root facts without expanding the whole
document, when its canonical JSON shows that nothing else in it can say anything about them. Whenever it
answers, the answer must be the whole graph's: checked here on every JSON-LD file of the repository, on
credentials issued and stacked, on each graph-preserving rewrite of them (tests/rewrites.py), and on
generated variations; and each way a document can say more than its own object shows must make it decline.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings

from mcred.elm.builder import elm_status
from mcred.errors import InputError
from mcred.graph.facts import VALIDITY, plain_facts, read_facts
from mcred.graph.nodes import GraphError, Literal, MultipleValues, read_graph, sort_key
from mcred.issue.status_lists import bitstring_entry
from mcred.jsonld.process import expand_leniently
from mcred.limits import LimitExceeded, check_limits
from mcred.proofs.data_integrity import JCS
from mcred.proofs.signing import sign_credential
from mcred.verify.status import status_refs
from tests import rewrites
from tests.conftest import VECTORS, load_json
from tests.showcase import EXAMPLES, ISSUED, issue_examples, stack_of
from tests.unit.jsonld.test_expansion_fast_path import FILES, variations


def _summary(facts) -> tuple:
    """What the verifier reads from a credential's facts: id, types, issuer, dates, status entries, parts."""
    def read(fn):
        try:
            value = fn()
        except MultipleValues as exc:
            return ("MULTIPLE", exc.params["property"])
        return value

    def value(item):
        return item if isinstance(item, Literal) or item is None else sort_key(item)

    return (facts.id, tuple(facts.node.types), read(lambda: facts.issuer),
            tuple(read(lambda iri=iri: value(facts.date(iri))) for _, iri, _ in VALIDITY),
            tuple(status_refs(facts)), read(facts.has_parts))


def assert_plain_is_whole(document) -> bool:
    """When plain_facts answers for a document, its answer is the whole graph's; True when it answered."""
    try:
        inspection = check_limits(document)
    except LimitExceeded:
        return False
    plain = plain_facts(document, inspection)
    if plain is None:
        return False
    try:
        whole = read_facts(read_graph(expand_leniently(copy.deepcopy(document))))
    except InputError:
        # not JSON-LD somewhere else than the credential's own facts: those are read all the same (as an
        # eddsa-jcs-2022 credential always was), and the rest of the graph is refused when it is asked for
        with pytest.raises(GraphError):
            plain.tree  # noqa: B018
        return True
    except GraphError as error:
        pytest.fail(f"plain_facts answered for a document whose graph holds no single credential: {error}")
    assert _summary(plain) == _summary(whole)
    assert plain.tree == whole.tree
    return True


@pytest.fixture(scope="module")
def key():
    from mcred.keys.ed25519 import SigningKey

    return SigningKey.from_seed(bytes(range(32)))


@pytest.fixture(scope="module")
def credentials(tmp_path_factory, key) -> dict[str, dict]:
    """mcred's own credentials signed with eddsa-jcs-2022: ELM (with and without status), VC 2.0, a stack."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import issue_credential

    folder = tmp_path_factory.mktemp("plain")
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml")
    alumni = {**load_json(VECTORS / "unsigned.json"), "issuer": key.did}
    unsigned = {
        "elm": issue_credential(outcomes, outcomes.learners[0], key, issued=ISSUED),
        "elm with status": issue_credential(outcomes, outcomes.learners[0], key, issued=ISSUED,
                                            status=("https://its.example/status/1", 7)),
        "vc2": alumni,
        "vc2 with status": {**alumni, "credentialStatus": bitstring_entry("https://its.example/status/1", 7,
                                                                          "revocation")},
        "stack": load_json(stack_of(issue_examples(folder, key), key, folder / "stack.json")),
    }
    return {name: sign_credential({k: v for k, v in doc.items() if k != "proof"}, key, suite=JCS, created=ISSUED)
            for name, doc in unsigned.items()}


def test_mcreds_own_credentials_are_plain_and_read_alike(credentials):
    for name, document in credentials.items():
        assert assert_plain_is_whole(document), name
    assert elm_status("x", 1)  # the ELM status is a value object ("@value", "@type"): still plain, above


def test_every_rewrite_is_read_alike_or_declined(credentials):
    targets = [((), "issuer"), ((), "validFrom"), ((), "expirationDate"), ((), "credentialStatus"),
               ((), "credentialSubject"), ((), "id"), (("credentialSubject",), "hasClaim"),
               (("credentialSubject", "hasClaim", 0), "hasPart"), (("credentialStatus",), "statusListIndex")]
    answered = declined = 0
    for document in credentials.values():
        for _, variant in rewrites.variants(document, targets):
            if assert_plain_is_whole(variant):
                answered += 1
            else:
                declined += 1
    assert declined and answered  # array rewrites stay plain; the others are not (so the whole graph is read)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_json_ld_file(path):
    assert_plain_is_whole(load_json(path))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_generated_variations(document):
    assert_plain_is_whole(document)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(variations())
def test_many_generated_variations(document):
    assert_plain_is_whole(document)


def _decline(document) -> bool:
    return plain_facts(document, check_limits(document)) is None


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: d.update({"@included": [{"id": d["id"], "type": d["type"],
                                                    "expirationDate": "2020-01-01T00:00:00Z"}]}), id="included"),
    pytest.param(lambda d: d["credentialSubject"].update({"@reverse": {rewrites.VC_SUBJECT: {
        "id": d["id"], "type": d["type"], "expirationDate": "2020-01-01T00:00:00Z"}}}), id="reverse"),
    pytest.param(lambda d: d.update({"https://www.w3.org/2018/credentials#expirationDate": {
        "@value": "2020-01-01T00:00:00Z", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}}), id="iri key"),
    pytest.param(lambda d: d.update({"cred:expirationDate": "2020-01-01T00:00:00Z"}), id="compact key"),
    pytest.param(lambda d: d.update({"@context": [*d["@context"], {"bis": "cred:expirationDate"}]}),
                 id="inline context"),
    pytest.param(lambda d: d["credentialSubject"].update({"seeAlso": {"id": d["id"], "issued": "x"}}),
                 id="root id twice"),
    pytest.param(lambda d: (d.update(id="http://data.europa.eu/snb/model/elm/credential-1"),
                            d["credentialSubject"].update({"seeAlso": {"id": "elm:credential-1",
                                                                       "issued": "2020-01-01T00:00:00Z"}})),
                 id="the credential's id as a compact IRI elsewhere"),
    pytest.param(lambda d: d.update(id="elm:credential-1"), id="a compact IRI as the credential's id"),
    pytest.param(lambda d: d["credentialSubject"].update({"seeAlso": {"type": "VerifiableCredential"}}),
                 id="another credential"),
    pytest.param(lambda d: d["credentialSubject"].update({"@id": d["credentialSubject"].pop("id")}),
                 id="@id key"),
    pytest.param(lambda d: d.update({"@graph": []}), id="@graph"),
])
def test_what_says_more_than_the_object_shows_is_declined(credentials, change):
    document = copy.deepcopy(credentials["elm"])
    assert not _decline(document)
    change(document)
    assert _decline(document)


def test_a_status_entry_described_twice_is_declined(credentials):
    document = copy.deepcopy(credentials["vc2 with status"])
    assert not _decline(document)
    document["credentialSubject"]["seeAlso"] = {"id": document["credentialStatus"]["id"], "statusPurpose": "x"}
    assert _decline(document)


def test_the_bundled_contexts_alias_no_keyword_but_id_and_type():
    """What plain_facts relies on: no bundled context (at any depth) defines a term that is another keyword,
    a reverse property, or an id, type or index map; their graph containers are proof and
    verifiableCredential only."""
    from mcred.jsonld import contexts as bundled

    found = []

    def scan(context, where):
        if isinstance(context, list):
            for item in context:
                scan(item, where)
            return
        if not isinstance(context, dict):
            return
        for term, definition in context.items():
            if term.startswith("@"):
                continue
            iri = definition if isinstance(definition, str) else (definition or {}).get("@id")
            if isinstance(iri, str) and iri.startswith("@") and (term, iri) not in (("id", "@id"), ("type", "@type")):
                found.append((where, term, iri))
            if isinstance(definition, dict):
                container = definition.get("@container")
                containers = container if isinstance(container, list) else [container]
                if "@reverse" in definition or {"@id", "@type", "@index", "@nest"} & set(filter(None, containers)):
                    found.append((where, term, definition))
                if "@graph" in containers and term not in ("proof", "verifiableCredential"):
                    found.append((where, term, definition))
                if "@context" in definition:
                    scan(definition["@context"], f"{where}>{term}")

    from mcred.graph.facts import NOT_PLAIN_CONTEXTS

    for url in bundled.context_index():
        scan(bundled.context_document(url).get("@context"), url)
    # the exceptions are exactly the contexts found, and those that import one of them by URL
    offenders = {where.split(">")[0] for where, *_ in found}
    importers = {url for url in bundled.context_index()
                 if offenders & set(_imports(bundled.context_document(url).get("@context")))}
    assert offenders | importers == NOT_PLAIN_CONTEXTS


def _imports(context) -> list[str]:
    if isinstance(context, str):
        return [context]
    if isinstance(context, list):
        return [url for item in context for url in _imports(item)]
    return []


def test_a_document_citing_a_context_with_a_keyword_alias_is_not_read_plainly():
    """ODRL (imported by the VC 1.1 examples context) aliases ``uid`` to ``@id``: the credential's id may not
    be the JSON's ``id`` key, so its facts come from the whole graph."""
    document = {"@context": ["https://www.w3.org/2018/credentials/v1",
                             "https://www.w3.org/2018/credentials/examples/v1"],
                "type": ["VerifiableCredential"], "issuer": "did:example:1",
                "issuanceDate": "2024-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:2"}}
    assert _decline(document)
    assert not _decline({**document, "@context": ["https://www.w3.org/2018/credentials/v1"]})

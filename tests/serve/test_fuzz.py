"""A property-based fuzz of the API against its OpenAPI document: bodies drawn from each endpoint's request
schema (members of every JSON type where the schema leaves them open, the signed credential with one member
replaced, arbitrary JSON, arbitrary bytes) never get a 5xx, and every answer is one the document lists.

Schemathesis would do this from the document too; hypothesis, which the tests already use, does it
with a few dozen lines and without the extra dependencies.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcred.serve.openapi import openapi_document

DOCUMENT = openapi_document()
SCHEMAS = DOCUMENT["components"]["schemas"]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

json_leaves = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2", "https://evil.example/context", 7, {"@vocab": "x:"}]
credential_like = st.fixed_dictionaries({
    "@context": st.lists(st.sampled_from(CONTEXTS), min_size=1, max_size=3),
    "type": st.sampled_from([["VerifiableCredential"], "VerifiableCredential", ["VerifiablePresentation"], []]),
}, optional={"issuer": st.sampled_from(["did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd", "x", 3]),
             "credentialSubject": json_values, "validFrom": st.text(max_size=25), "id": st.text(max_size=20),
             "proof": json_values})


def from_schema(schema: dict) -> st.SearchStrategy:
    """Values a JSON schema of the document allows (and, where it leaves an object open, credential-like ones)."""
    if "$ref" in schema:
        return from_schema(SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        required = {name: from_schema(sub) for name, sub in schema["properties"].items()
                    if name in schema.get("required", ())}
        optional = {name: from_schema(sub) for name, sub in schema["properties"].items() if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "object":
        return credential_like | st.dictionaries(st.text(max_size=12), json_values, max_size=4)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), min_size=schema.get("minItems", 0), max_size=4)
    if kind == "string":
        return st.text(max_size=40)
    if kind == "boolean":
        return st.booleans()
    return json_values


def _request_schema(path: str) -> dict:
    return DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def _check(response, path: str, body=None) -> None:
    allowed = {int(code) for code in DOCUMENT["paths"][path]["post"]["responses"]}
    assert response.status_code < 500, (path, response.status_code, response.text[:500])
    assert response.status_code in allowed, (path, response.status_code, response.text[:500])
    answer = response.json()
    if response.status_code >= 400 and "code" in answer:
        assert answer["code"] and answer["detail"]


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    from starlette.testclient import TestClient

    from mcred.issue.status_lists import init_status_list
    from mcred.keys.ed25519 import SigningKey
    from mcred.serve.app import create_app
    from mcred.serve.config import ServeConfig
    from tests.conftest import TEST_SEED

    key = SigningKey.from_seed(TEST_SEED)
    folder = tmp_path_factory.mktemp("lists")
    init_status_list(folder / "revocation.json", key, "https://its.example/status/1")
    return TestClient(create_app(ServeConfig(key=key, status_lists=(folder / "revocation.json",),
                                             max_body_bytes=64 * 1024)))


@pytest.mark.parametrize("path", ["/credentials/issue", "/credentials/verify", "/presentations/verify",
                                  "/credentials/status"])
def test_bodies_from_the_schema_get_no_5xx(fuzz_client, path):
    @SETTINGS
    @given(body=from_schema(_request_schema(path)))
    def run(body):
        _check(fuzz_client.post(path, json=body), path, body)

    run()


def test_a_signed_credential_with_one_member_replaced_gets_no_5xx(fuzz_client):
    issuer = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"  # TEST_SEED's
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1",
                  "type": ["VerifiableCredential"], "issuer": issuer,
                  "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner"}}
    signed = fuzz_client.post("/credentials/issue", json={"credential": credential}).json()["verifiableCredential"]

    @SETTINGS
    @given(member=st.sampled_from(sorted(signed) + ["proof.proofValue", "proof.created", "proof.cryptosuite"]),
           value=json_values)
    def run(member, value):
        changed = json.loads(json.dumps(signed))
        where, _, inner = member.partition(".")
        if inner:
            changed[where][inner] = value
        else:
            changed[where] = value
        response = fuzz_client.post("/credentials/verify", json={"verifiableCredential": changed})
        _check(response, "/credentials/verify")

    run()


def test_arbitrary_bytes_get_no_5xx(fuzz_client):
    @SETTINGS
    @given(path=st.sampled_from(sorted(p for p in DOCUMENT["paths"] if "post" in DOCUMENT["paths"][p])),
           data=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
    def run(path, data):
        _check(fuzz_client.post(path, content=data), path)

    run()

"""Inputs over the documented limits are refused before any JSON-LD processing, quickly."""

from __future__ import annotations

from collections import Counter
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcred import limits
from mcred.errors import InputError
from mcred.limits import MAX_QUADRATIC_WEIGHT, MAX_VALUES, LimitExceeded, check_limits
from mcred.proofs.signing import sign_credential
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, NOW, load_json


def credential(subject):
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential"], "issuer": "did:example:i",
            "credentialSubject": subject}


def test_the_elm_example_is_far_below_every_limit():
    check_limits(load_json(ASSETS / "elm" / "mcred-microcredential-sample.json"))


def test_one_huge_array_is_refused():
    """40,000 strings under one property would cost pyld minutes of de-duplication."""
    doc = credential({"id": "did:example:1", "alumniOf": [f"school {i}" for i in range(40_000)]})
    report = verify_credential(doc, now=NOW)
    assert [(c.check, c.code) for c in report.checks if c.status == Status.FAILED] == [
        ("json", "JSON_TOO_COMPLEX")]
    assert report.exit_code == 3


def test_values_spread_over_objects_with_one_id_count_together():
    """JSON-LD merges objects with the same id, so their values weigh as one property."""
    objects = [{"id": "did:example:same", "alumniOf": [f"s{i}-{j}" for j in range(40)]}
               for i in range(40)]
    with pytest.raises(LimitExceeded) as caught:
        check_limits(credential({"id": "did:example:1", "knows": objects}))
    assert caught.value.code == "JSON_TOO_COMPLEX"
    # the same values under distinct ids are fine
    for index, item in enumerate(objects):
        item["id"] = f"did:example:{index}"
    check_limits(credential({"id": "did:example:1", "knows": objects}))


def test_just_under_the_weight_limit_is_accepted():
    side = int(MAX_QUADRATIC_WEIGHT ** 0.5) - 10
    check_limits(credential({"alumniOf": list(range(side))}))
    with pytest.raises(LimitExceeded):
        check_limits(credential({"alumniOf": list(range(side + 20))}))


def test_too_many_values():
    many = [{"a": 1, "b": 2, "c": 3} for _ in range(MAX_VALUES // 4 + 1)]
    with pytest.raises(LimitExceeded) as caught:
        check_limits({"list": [many[i:i + 100] for i in range(0, len(many), 100)]})
    assert "JSON values" in caught.value.message


def test_signing_applies_the_same_limits(test_key):
    doc = credential({"id": "did:example:1", "alumniOf": [str(i) for i in range(5_000)]})
    doc["issuer"] = test_key.did
    with pytest.raises(InputError) as caught:
        sign_credential(doc, test_key)
    assert caught.value.code == "JSON_TOO_COMPLEX"


def test_dict_and_list_subclasses_are_walked_too():
    from collections import OrderedDict

    from mcred.limits import LimitExceeded, check_limits

    deep: object = "leaf"
    for _ in range(70):
        deep = OrderedDict(x=[deep])
    try:
        check_limits(deep)
    except LimitExceeded as exc:
        assert exc.code == "JSON_TOO_DEEP"
    else:
        raise AssertionError("a document built from dict subclasses escaped the depth limit")


def reference_weight(document) -> int:
    """The quadratic weight worked out the plain way: every node (objects merged by id) and its properties."""
    nodes: dict = {}
    weight = 0

    def walk(item) -> None:
        nonlocal weight
        if isinstance(item, dict):
            node = item.get("id") if item.get("id") is not None else item.get("@id")
            counts = nodes.setdefault(node if isinstance(node, str) else ("anonymous", len(nodes)), Counter())
            for key, value in item.items():
                counts[key] += len(value) if isinstance(value, list) else 1
                for child in (value if isinstance(value, list) else [value]):
                    walk(child)
        elif isinstance(item, list):  # an array that is not a property's value
            weight += len(item) ** 2
            for child in item:
                walk(child)

    walk(document)
    return weight + sum(count * count for counts in nodes.values() for count in counts.values())


ids = st.sampled_from(["x", "y", "z"])
leaves = st.one_of(st.integers(0, 9), st.sampled_from(["s", "t"]))
objects = st.recursive(
    st.dictionaries(st.sampled_from(["a", "b"]), st.one_of(leaves, st.lists(leaves, max_size=6)), max_size=2),
    lambda inner: st.builds(lambda body, node: {**body, "id": node} if node else body,
                            st.dictionaries(st.sampled_from(["a", "b", "c"]),
                                            st.one_of(inner, st.lists(inner, max_size=4)), max_size=3),
                            st.one_of(st.none(), ids)),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(objects, st.integers(5, 120))
def test_the_weight_decision_is_the_exact_one(document, limit):
    """Merging is worked out exactly only when it could cross the limit: the answer must never differ."""
    expected = reference_weight(document)
    with mock.patch.object(limits, "MAX_QUADRATIC_WEIGHT", limit):
        if expected > limit:
            with pytest.raises(LimitExceeded) as caught:
                check_limits(document)
            assert f"weight {expected} " in caught.value.message
        else:
            check_limits(document)


def test_the_reference_weight_counts_merged_objects_together():
    one = {"id": "x", "a": [1, 2]}
    # k has 2 values; node x has id twice and a four times
    assert reference_weight({"k": [one, dict(one)]}) == 2 ** 2 + 2 ** 2 + 4 ** 2
    # two nodes, x and y, each with one id and two a
    assert reference_weight({"k": [one, {**one, "id": "y"}]}) == 2 ** 2 + 2 * (1 + 2 ** 2)

"""Property-based robustness: thousands of mutated credentials, never a crash, never a hang.

Every mutated input must get a report whose exit code is 0, 1 or 3 (never 4,
an internal error), within a generous per-input guard (an alarm, not a timing
assertion). Slow: marked `slow`.
"""

from __future__ import annotations

import copy
import json
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import JCS, RDFC
from mcred.proofs.signing import sign_credential
from mcred.verify.runner import verify_credential, verify_file
from tests.conftest import ASSETS, CREATED, NOW, TEST_SEED, load_json

KEY = SigningKey.from_seed(TEST_SEED)


def _elm():
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    doc["issuer"]["id"] = KEY.did
    return doc


SIGNED = {suite: sign_credential(_elm(), KEY, suite=suite, created=CREATED) for suite in (RDFC, JCS)}

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**60), max_value=2**60),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                         st.sampled_from(["_:b0", "_:b1", "urn:x", "relative/iri", "@id", "@type", "@graph",
                                          "https://evil.example/ctx", "did:key:z6Mk", "\x00\x0b\x0c",
                                          "2026-01-01T00:00:00Z", "P60M", "zzzz"]))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["id", "type", "@id", "@type", "@context", "@value", "@language", "@graph", "@list", "name",
         "proof", "issuer", "credentialSubject", "x", "title"]), inner, max_size=4)), max_leaves=12)


def _containers(node, path=()):
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, (dict, list)):
            yield from _containers(value, (*path, key))


@st.composite
def mutated(draw):
    doc = copy.deepcopy(SIGNED[draw(st.sampled_from([RDFC, JCS]))])
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = list(_containers(doc))
        _, target = places[draw(st.integers(min_value=0, max_value=len(places) - 1))]
        action = draw(st.sampled_from(["replace", "delete", "insert"]))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            if action == "delete":
                del target[key]
            elif action == "replace":
                target[key] = draw(json_values)
            else:
                target[draw(st.sampled_from(["@context", "@id", "@type", "id", "type", "extra", "@graph",
                                             "@reverse", "@included", "@nest"]))] = draw(json_values)
        elif isinstance(target, list) and target:
            index = draw(st.integers(min_value=0, max_value=len(target) - 1))
            if action == "delete":
                del target[index]
            else:
                target[index] = draw(json_values)
    return doc


@contextmanager
def hang_guard(seconds: int = 20):
    """Fail the example (not time it) if one verification runs away."""

    def alarm(signum, frame):
        raise AssertionError(f"verification did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.slow
@settings(max_examples=2500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_credentials_never_crash(document):
    with hang_guard():
        report = verify_credential(document, now=NOW)
    assert report.exit_code in (0, 1, 3), report.to_dict()
    assert all(check.code for check in report.checks)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from([RDFC, JCS]), st.integers(min_value=0, max_value=30000),
       st.sampled_from(["truncate", "flip", "insert"]), st.binary(min_size=1, max_size=8))
def test_mutated_bytes_never_crash(tmp_path_factory, suite, position, how, noise):
    data = json.dumps(SIGNED[suite], indent=2).encode()
    position %= len(data)
    if how == "truncate":
        data = data[:position]
    elif how == "flip":
        data = data[:position] + noise + data[position + len(noise):]
    else:
        data = data[:position] + noise + data[position:]
    path = tmp_path_factory.mktemp("fuzz") / "c.json"
    path.write_bytes(data)
    with hang_guard():
        report = verify_file(path, now=NOW)
    assert report.exit_code in (0, 1, 3), report.to_dict()

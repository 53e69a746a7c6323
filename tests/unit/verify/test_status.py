"""Status lists: the bitstring, allocation that never repeats, atomic updates, and the status check."""

from __future__ import annotations

import base64
import copy
import gzip
import json
import os
import string
import threading
from pathlib import Path

import pytest

from mcred.elm.builder import elm_status
from mcred.errors import InputError, OutputExistsError, SigningError, UsageError
from mcred.issue import status_lists as sl
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.signing import sign_credential
from mcred.report import Status
from mcred.verify import status as st
from mcred.verify import status_copies as sc
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, CREATED, NOW, TEST_SEED, load_json, write_json

OTHER_KEY = SigningKey.from_seed(bytes(range(1, 33)))
LIST_ID = "https://its.example/status/1"
SUSPEND_ID = "urn:uuid:2f1c8c3e-6a57-4b8e-9a43-0c9f51d0c7a1"
CHANGED = "2026-11-10T08:00:00Z"


def refs(document):
    """The status entries of a credential, read from its graph (a bare {"credentialStatus": ...} is given the
    VC 2.0 context and type)."""
    from mcred.graph.facts import read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_leniently

    if "@context" not in document:
        document = {"@context": [st.VC2_CONTEXT], "type": ["VerifiableCredential"], **document}
    return st.status_refs(read_facts(read_graph(expand_leniently(document))))


def check(document, issuer, lists):
    """check_status, each result's Italian template checked on the spot (so that every test checks its own
    codes' translations, whichever process of the test run it runs in)."""
    results = st.check_status(refs(document), issuer, lists)
    for result in results:
        assert_translated(result)
    return results


def assert_translated(result) -> None:
    """The result's Italian and English templates are filled by its params; the Italian is a translation."""
    for template in (st.MESSAGES_IT[result.code][0], st.MESSAGES_EN[result.code][0]):
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert fields <= set(result.params), (result.code, fields - set(result.params))
    italian, hint_it = st.MESSAGES_IT[result.code]
    assert italian.format(**result.params) != result.message  # it is a translation, not a copy
    if result.status in (Status.FAILED, Status.WARNING) and result.code != "STATUS_UNSUPPORTED":
        assert hint_it and result.hint, result.code


def only(results):
    assert len(results) == 1, results
    return results[0]


def entry(list_id=LIST_ID, index=0, purpose="revocation"):
    return sl.bitstring_entry(list_id, index, purpose)


# --- the bitstring ---------------------------------------------------------------------------


def test_the_specification_example_is_16_kb_of_zeros():
    """Example 3 of the W3C Recommendation: 131,072 entries, none set (decoded independently below)."""
    example = load_json(ASSETS / "status" / "w3c-example-3.json")
    encoded = example["credentialSubject"]["encodedList"]
    body = encoded[1:]
    expected = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert expected == bytes(16384)
    assert st.decode_bitstring(encoded) == expected
    parsed = st.parse_status_list(example)
    assert (parsed.size, parsed.purposes, list(st.set_indexes(parsed.bits))) == (131_072, ("revocation",), [])


def test_index_0_is_the_left_most_bit_of_the_first_byte():
    bits = bytearray(16384)
    for index in (0, 7, 8, 131_071):
        st.set_bit(bits, index, True)
    expected = bytearray(16384)
    expected[0], expected[1], expected[-1] = 0b1000_0001, 0b1000_0000, 0b0000_0001  # written by hand
    assert bits == expected
    decoded = st.decode_bitstring(st.encode_bitstring(bytes(bits)))
    assert decoded == expected
    assert [i for i in (0, 1, 6, 7, 8, 9, 131_070, 131_071) if st.bit_is_set(decoded, i)] == [0, 7, 8, 131_071]
    assert list(st.set_indexes(decoded)) == [0, 7, 8, 131_071]


def test_encoding_is_multibase_base64url_without_padding_and_deterministic():
    bits = bytearray(16384)
    st.set_bit(bits, 12345, True)
    encoded = st.encode_bitstring(bytes(bits))
    assert encoded.startswith("uH4sI") and "=" not in encoded and not set(encoded[1:]) - set(
        string.ascii_letters + string.digits + "-_")
    assert encoded == st.encode_bitstring(bytes(bits))
    assert gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))) == bits


def test_statuslist2021_encoded_lists_have_no_multibase_prefix():
    example = load_json(ASSETS / "status" / "w3c-example-3.json")["credentialSubject"]["encodedList"]
    assert st.decode_bitstring(example[1:], multibase=False) == bytes(16384)


@pytest.mark.parametrize(("encoded", "reason"), [
    ("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "multibase prefix 'u'"),
    ("uH4sIAAAAAAAAA+3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "not base64url"),
    ("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA==", "not base64url"),
    ("u" + base64.urlsafe_b64encode(b"plain bytes, no gzip").decode().rstrip("="), "not GZIP"),
    # mtime=0: the same bytes, so the same test ids, in every process that collects them (pytest-xdist)
    ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(16384), mtime=0)[:-6]).decode().rstrip("="), "truncated"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(16384), mtime=0) + b"x").decode().rstrip("="),
     "after the GZIP"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(9 * 1024 * 1024), mtime=0)).decode().rstrip("="),
     "larger than"),
    ("", "non-empty"),
])
def test_malformed_encoded_lists_are_refused(encoded, reason):
    with pytest.raises(ValueError, match=reason):
        st.decode_bitstring(encoded)


# --- allocation order -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 8, 1000, 1032])
def test_the_allocation_order_is_a_permutation_with_an_inverse(size):
    key = bytes(range(32))
    order = [sl.shuffled_index(key, n, size) for n in range(size)]
    assert sorted(order) == list(range(size))
    assert [sl.unshuffled_position(key, index, size) for index in order] == list(range(size))


def test_the_allocation_order_looks_random_and_depends_on_the_key():
    first = [sl.shuffled_index(bytes(32), n, 131_072) for n in range(50)]
    other = [sl.shuffled_index(bytes([1]) * 32, n, 131_072) for n in range(50)]
    assert first != other
    assert first != sorted(first)
    assert max(first) > 65_536  # not the first few indexes, which would tell the issuing order


# --- init ------------------------------------------------------------------------------------


@pytest.fixture
def new_list(tmp_path, test_key):
    path = tmp_path / "revocation.json"
    sl.init_status_list(path, test_key, LIST_ID, now=CREATED)
    return path


def test_init_makes_a_signed_empty_list_and_a_private_sidecar(new_list, test_key):
    document = load_json(new_list)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == test_key.did and document["validFrom"] == CREATED
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert verify_credential(document, now=NOW).verified
    parsed = st.parse_status_list(document)
    assert parsed.size == 131_072 and not any(parsed.bits)
    sidecar = load_json(sl.alloc_path(new_list))
    assert sidecar["allocated"] == 0 and sidecar["list"] == LIST_ID and sidecar["size"] == 131_072
    assert sl.alloc_path(new_list).stat().st_mode & 0o777 == 0o600


def test_init_never_overwrites_a_list(new_list, test_key):
    before = new_list.read_bytes()
    with pytest.raises(OutputExistsError, match="already exists"):
        sl.init_status_list(new_list, test_key, LIST_ID)
    assert new_list.read_bytes() == before


@pytest.mark.parametrize(("list_id", "size", "purpose", "message"), [
    ("https://its.example/status/1#list", 131_072, "revocation", "without a fragment"),
    ("status/1", 131_072, "revocation", "not an absolute URL"),
    (LIST_ID, 131_071, "revocation", "multiple of 8"),
    (LIST_ID, 8, "revocation", "131072"),
    (LIST_ID, 131_072, "message", "choose revocation or suspension"),
])
def test_init_refuses_bad_arguments(tmp_path, test_key, list_id, size, purpose, message):
    with pytest.raises(UsageError, match=message):
        sl.init_status_list(tmp_path / "l.json", test_key, list_id, size=size, purpose=purpose)
    assert not (tmp_path / "l.json").exists()


def test_an_interrupted_init_is_finished_but_a_used_sidecar_is_kept(tmp_path, test_key, monkeypatch):
    path = tmp_path / "l.json"
    real_link = os.link
    calls = []

    def crash_on_second_link(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == 2:  # the sidecar is written, the list is not: the process "dies"
            raise OSError("simulated crash")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", crash_on_second_link)
    with pytest.raises(OSError, match="simulated crash"):
        sl.init_status_list(path, test_key, LIST_ID)
    monkeypatch.setattr(os, "link", real_link)
    assert sl.alloc_path(path).exists() and not path.exists()
    sl.init_status_list(path, test_key, LIST_ID)  # nothing was handed out: init may finish
    assert path.exists()
    path.unlink()  # a list lost after indexes were handed out: its sidecar must not be reset
    sl.alloc_path(path).write_text(json.dumps({**load_json(sl.alloc_path(path)), "allocated": 3}))
    with pytest.raises(OutputExistsError, match="indexes already handed out"):
        sl.init_status_list(path, test_key, LIST_ID)


# --- allocation -------------------------------------------------------------------------------


def test_an_index_is_never_handed_out_twice_even_across_crashes(new_list, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # durability is not what is tested here: speed
    seen = [sl.allocate_index(new_list) for _ in range(600)]
    real_replace = os.replace

    def crash(*args, **kwargs):
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)  # the sidecar's update dies halfway
    with pytest.raises(OSError, match="simulated crash"):
        sl.allocate_index(new_list)
    monkeypatch.setattr(os, "replace", real_replace)
    assert load_json(sl.alloc_path(new_list))["allocated"] == 600  # the old record is intact
    assert not list(new_list.parent.glob(".*.tmp"))
    seen += [sl.allocate_index(new_list) for _ in range(200)]
    seen += sl.allocate_indexes(new_list, 200)
    indexes = [allocation.index for allocation in seen]
    assert len(indexes) == 1000 == len(set(indexes))
    assert all(0 <= i < 131_072 for i in indexes)
    assert {(a.list_id, a.purpose) for a in seen} == {(LIST_ID, "revocation")}
    assert load_json(sl.alloc_path(new_list))["allocated"] == 1000


def test_concurrent_allocations_do_not_collide(new_list, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    found: list[int] = []

    def worker():
        found.extend(sl.allocate_index(new_list).index for _ in range(25))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 100 == len(set(found))


def test_allocation_needs_the_sidecar_of_this_list(new_list, tmp_path, test_key):
    copy_path = tmp_path / "published-copy.json"
    copy_path.write_bytes(new_list.read_bytes())
    with pytest.raises(InputError, match="is missing") as info:
        sl.allocate_index(copy_path)
    assert info.value.code == "STATUS_ALLOC_MISSING"
    other = tmp_path / "other.json"
    sl.init_status_list(other, test_key, "urn:uuid:00000000-0000-4000-8000-000000000000")
    sl.alloc_path(copy_path).write_bytes(sl.alloc_path(other).read_bytes())
    with pytest.raises(InputError, match="belongs to another list") as info:
        sl.allocate_index(copy_path)
    assert info.value.code == "STATUS_ALLOC_INVALID"


def test_allocating_for_another_issuer_is_refused(new_list, test_key):
    assert sl.allocate_index(new_list, issuer=test_key.did).list_id == LIST_ID
    with pytest.raises(InputError, match="is not the issuer of the credentials") as info:
        sl.allocate_index(new_list, issuer=OTHER_KEY.did)
    assert info.value.code == "STATUS_LIST_FOREIGN"
    assert load_json(sl.alloc_path(new_list))["allocated"] == 1  # nothing handed out


def test_a_full_list_is_refused(new_list):
    side = sl.alloc_path(new_list)
    side.write_text(json.dumps({**load_json(side), "allocated": 131_071}))
    sl.allocate_index(new_list)
    with pytest.raises(InputError, match="the status list is full") as info:
        sl.allocate_index(new_list)
    assert info.value.code == "STATUS_LIST_FULL"


# --- revoke, suspend, reinstate ----------------------------------------------------------------


@pytest.fixture
def suspension_list(tmp_path, test_key):
    path = tmp_path / "suspension.json"
    sl.init_status_list(path, test_key, SUSPEND_ID, purpose="suspension", now=CREATED)
    return path


def set_bits(path):
    return list(st.set_indexes(st.parse_status_list(load_json(path)).bits))


def test_revoke_sets_bits_and_re_signs(new_list, test_key):
    a, b, c = (sl.allocate_index(new_list).index for _ in range(3))
    result = sl.update_status_list(new_list, test_key, [a, b], "revoke", now=CHANGED)
    assert sorted(result.changed) == sorted([a, b]) and result.unchanged == []
    document = load_json(new_list)
    assert document["validFrom"] == CHANGED == document["proof"]["created"]
    assert verify_credential(document, now=NOW).verified
    assert set_bits(new_list) == sorted([a, b]) and c not in set_bits(new_list)
    before = new_list.read_bytes()
    again = sl.update_status_list(new_list, test_key, [a], "revoke", now="2026-11-11T00:00:00Z")
    assert again.changed == [] and again.unchanged == [a]
    assert new_list.read_bytes() == before  # nothing changed, nothing rewritten


def test_suspend_and_reinstate_round_trip(suspension_list, test_key):
    index = sl.allocate_index(suspension_list).index
    sl.update_status_list(suspension_list, test_key, [index], "suspend", now=CHANGED)
    assert set_bits(suspension_list) == [index]
    sl.update_status_list(suspension_list, test_key, [index], "reinstate", now="2026-11-12T00:00:00Z")
    assert set_bits(suspension_list) == []
    assert load_json(suspension_list)["validFrom"] == "2026-11-12T00:00:00Z"
    assert verify_credential(load_json(suspension_list), now=NOW).verified


@pytest.mark.parametrize(("fixture", "action", "message", "hint"), [
    ("new_list", "suspend", "cannot suspend in a revocation list", "needs a suspension list"),
    ("new_list", "reinstate", "cannot reinstate in a revocation list", "revocation is final"),
    ("suspension_list", "revoke", "cannot revoke in a suspension list", "needs a revocation list"),
])
def test_an_action_the_purpose_does_not_allow_is_refused(request, test_key, fixture, action, message, hint):
    path = request.getfixturevalue(fixture)
    index = sl.allocate_index(path).index
    before = path.read_bytes()
    with pytest.raises(UsageError, match=message) as info:
        sl.update_status_list(path, test_key, [index], action)
    assert hint in info.value.hint
    assert path.read_bytes() == before


def test_only_the_lists_issuer_can_change_it(new_list):
    index = sl.allocate_index(new_list).index
    with pytest.raises(SigningError, match="is not the list's issuer"):
        sl.update_status_list(new_list, OTHER_KEY, [index], "revoke")


def test_a_tampered_list_is_not_re_signed(new_list, test_key):
    index = sl.allocate_index(new_list).index
    document = load_json(new_list)
    document["credentialSubject"]["statusPurpose"] = "suspension"
    write_json(new_list, document)
    with pytest.raises(InputError, match="does not verify") as info:
        sl.update_status_list(new_list, test_key, [index], "suspend")
    assert info.value.code == "STATUS_LIST_INVALID"


def test_indexes_outside_the_list_or_never_handed_out_are_refused(new_list, test_key):
    with pytest.raises(UsageError, match="outside the list"):
        sl.update_status_list(new_list, test_key, [131_072], "revoke")
    key = bytes.fromhex(load_json(sl.alloc_path(new_list))["shuffle_key"])
    never = sl.shuffled_index(key, 5, 131_072)  # the 6th index, and only 1 is handed out
    sl.allocate_index(new_list)
    with pytest.raises(UsageError, match=f"index {never} was never handed out"):
        sl.update_status_list(new_list, test_key, [never], "revoke")


def test_a_crash_while_replacing_the_list_leaves_the_old_list_intact(new_list, test_key, monkeypatch):
    index = sl.allocate_index(new_list).index
    before = new_list.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        sl.update_status_list(new_list, test_key, [index], "revoke", now=CHANGED)
    monkeypatch.undo()
    assert new_list.read_bytes() == before
    assert verify_credential(load_json(new_list), now=NOW).verified
    assert not list(new_list.parent.glob(".*.tmp"))
    sl.update_status_list(new_list, test_key, [index], "revoke", now=CHANGED)  # and it can be done again
    assert set_bits(new_list) == [index]


# --- checking a credential's status --------------------------------------------------------------


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    """A revocation list with index 7 revoked, a suspension list with 9 suspended, both by the test key;
    plus a list of another issuer, a tampered copy and an 8-entry list (ids distinct)."""
    key = SigningKey.from_seed(TEST_SEED)
    folder = tmp_path_factory.mktemp("lists")
    revocation, suspension, foreign = folder / "r.json", folder / "s.json", folder / "f.json"
    sl.init_status_list(revocation, key, LIST_ID, now=CREATED)
    sl.init_status_list(suspension, key, SUSPEND_ID, purpose="suspension", now=CREATED)
    sl.init_status_list(foreign, OTHER_KEY, "https://other.example/status/1", now=CREATED)
    _force_bits(revocation, key, [7], "revoke")
    _force_bits(suspension, key, [9], "suspend")
    _force_bits(foreign, OTHER_KEY, [7], "revoke")
    tampered = load_json(revocation)
    tampered["id"] = "https://its.example/status/tampered"
    tampered["credentialSubject"]["encodedList"] = st.encode_bitstring(bytes(16384))  # "un-revoke" 7
    write_json(folder / "t.json", tampered)
    small = {k: v for k, v in load_json(revocation).items() if k != "proof"}
    small["id"] = "https://its.example/status/small"
    small["credentialSubject"] = {**small["credentialSubject"], "id": "https://its.example/status/small#list",
                                  "encodedList": st.encode_bitstring(b"\x80")}  # 8 entries
    small = sign_credential(small, key, created=CREATED)
    write_json(folder / "small.json", small)
    paths = [revocation, suspension, foreign, folder / "t.json", folder / "small.json"]
    return sc.load_status_lists(paths, now=NOW)


def _force_bits(path, key, indexes, action):
    """Set bits without going through allocation (the check does not care how an index was chosen)."""
    side = sl.alloc_path(path)
    side.write_text(json.dumps({**load_json(side), "allocated": 131_072}))  # every index counts as handed out
    sl.update_status_list(path, key, indexes, action, now=CHANGED)


@pytest.fixture
def credential(alumni):
    return copy.deepcopy(alumni)


def test_no_credential_status_passes(credential, test_key, lists):
    result = only(check(credential, test_key.did, lists))
    assert (result.status, result.code) == (Status.PASSED, "STATUS_NONE")
    assert result.message == "the credential carries no status information"


def test_a_status_with_no_list_given_is_a_warning(credential, test_key):
    credential["credentialStatus"] = entry(index=3)
    result = only(check(credential, test_key.did, None))
    assert (result.status, result.code) == (Status.WARNING, "STATUS_NOT_CHECKED")
    assert f"no local copy of {LIST_ID} was given" in result.message
    assert result.path == "$.credentialStatus"


def test_a_status_whose_list_was_not_among_those_given_is_a_warning(credential, test_key, lists):
    credential["credentialStatus"] = entry("https://its.example/status/99", 3)
    result = only(check(credential, test_key.did, lists))
    assert result.code == "STATUS_NOT_CHECKED" and "https://its.example/status/99" in result.message


def test_active_revoked_and_suspended(credential, test_key, lists):
    credential["credentialStatus"] = [entry(index=3), entry(SUSPEND_ID, 3, "suspension")]
    active = check(credential, test_key.did, lists)
    assert [(r.status, r.code) for r in active] == [(Status.PASSED, "STATUS_ACTIVE")] * 2
    assert "revocation bit 3" in active[0].message and f"list of {CHANGED}" in active[0].message
    credential["credentialStatus"] = [entry(index=7), entry(SUSPEND_ID, 9, "suspension")]
    revoked, suspended = check(credential, test_key.did, lists)
    assert (revoked.status, revoked.code, revoked.path) == (Status.FAILED, "STATUS_REVOKED", "$.credentialStatus[0]")
    assert revoked.message.startswith(f"revoked: bit 7 of {LIST_ID} is set")
    assert (suspended.status, suspended.code, suspended.path) == (Status.FAILED, "STATUS_SUSPENDED",
                                                                  "$.credentialStatus[1]")
    assert suspended.message.startswith(f"suspended: bit 9 of {SUSPEND_ID} is set")


def test_the_elm_literal_and_a_plain_string_read_like_entries(credential, test_key, lists):
    credential["credentialStatus"] = elm_status(LIST_ID, 7)
    assert credential["credentialStatus"] == {"@value": f"{LIST_ID}#7",
                                              "@type": "http://www.w3.org/2001/XMLSchema#anyURI"}
    assert only(check(credential, test_key.did, lists)).code == "STATUS_REVOKED"
    credential["credentialStatus"] = f"{SUSPEND_ID}#8"
    result = only(check(credential, test_key.did, lists))
    assert result.code == "STATUS_ACTIVE" and "suspension bit 8" in result.message


def test_a_tampered_list_means_could_not_check_never_revoked(credential, test_key, lists):
    assert not lists.get("https://its.example/status/tampered").trusted
    for index in (7, 8):
        credential["credentialStatus"] = entry("https://its.example/status/tampered", index)
        result = only(check(credential, test_key.did, lists))
        assert (result.status, result.code) == (Status.WARNING, "STATUS_LIST_INVALID")
        assert "could not check: the local copy of https://its.example/status/tampered does not verify" \
            in result.message
        assert "signature does not match" in result.message


def test_a_list_too_short_for_herd_privacy_is_not_used(credential, test_key, lists):
    credential["credentialStatus"] = entry("https://its.example/status/small", 0)
    result, marked = check(credential, test_key.did, lists)
    assert result.code == "STATUS_LIST_INVALID" and "at least 131072" in result.message
    # its bit 0 is set, and it verifies as the issuer's: never relied on for "active", its mark refuses
    assert (marked.status, marked.code) == (Status.FAILED, "STATUS_SET_IN_SIGNED_LIST")
    assert "small.json" in marked.message and "bit 0" in marked.message


def test_a_list_of_another_issuer_is_not_used(credential, test_key, lists):
    credential["credentialStatus"] = entry("https://other.example/status/1", 7)
    result, marked = check(credential, test_key.did, lists)
    assert (result.status, result.code) == (Status.WARNING, "STATUS_LIST_FOREIGN")
    assert f"was issued by {OTHER_KEY.did}, not by the credential's issuer {test_key.did}" in result.message
    # fail safe: another signer's list can never make it "active", and its mark is not ignored
    assert (marked.status, marked.code) == (Status.FAILED, "STATUS_SET_IN_SIGNED_LIST")
    assert OTHER_KEY.did in marked.message
    credential["credentialStatus"] = entry("https://other.example/status/1", 3)  # clear there: could not check
    assert [r.code for r in check(credential, test_key.did, lists)] == ["STATUS_LIST_FOREIGN"]


def test_a_mark_in_a_copy_that_does_not_verify_is_only_a_warning(tmp_path, credential, test_key):
    """A tampered copy decides nothing, either way: its set bit is said, as a warning."""
    revocation = tmp_path / "r.json"
    sl.init_status_list(revocation, test_key, "https://its.example/status/edited", now=CREATED)
    _force_bits(revocation, test_key, [7], "revoke")
    edited = load_json(revocation)
    edited["validFrom"] = "2026-11-11T00:00:00Z"  # after signing: the proof fails
    copies = sc.load_status_lists([write_json(tmp_path / "edited.json", edited)], now=NOW)
    credential["credentialStatus"] = entry("https://its.example/status/edited", 7)
    result, mark = check(credential, test_key.did, copies)
    assert result.code == "STATUS_LIST_INVALID"
    assert (mark.status, mark.code) == (Status.WARNING, "STATUS_SET_IN_UNUSED_LIST")


def test_an_index_outside_the_list_is_a_warning(credential, test_key, lists):
    credential["credentialStatus"] = entry(index=131_072)
    result = only(check(credential, test_key.did, lists))
    assert (result.status, result.code) == (Status.WARNING, "STATUS_INDEX_INVALID")
    assert "index 131072 is outside" in result.message and "131072 entries" in result.message
    credential["credentialStatus"] = f"{LIST_ID}#{'9' * 40}"
    assert only(check(credential, test_key.did, lists)).code == "STATUS_INDEX_INVALID"


def test_an_entry_about_another_purpose_than_the_lists_is_a_warning(credential, test_key, lists):
    credential["credentialStatus"] = entry(index=7, purpose="suspension")
    result = only(check(credential, test_key.did, lists))
    assert (result.status, result.code) == (Status.WARNING, "STATUS_PURPOSE_MISMATCH")
    assert "the entry is about suspension" in result.message and "revocation list" in result.message


@pytest.mark.parametrize(("status", "reason"), [
    (42, "of type xsd:anyURI"),
    ({"@value": f"{LIST_ID}#7", "@type": "http://www.w3.org/2001/XMLSchema#string"}, "of type xsd:anyURI"),
    ({"@value": LIST_ID, "@type": "http://www.w3.org/2001/XMLSchema#anyURI"}, "<status list id>#<index>"),
    (f"{LIST_ID}#seven", "<status list id>#<index>"),
    ({"id": f"{LIST_ID}#7", "statusListIndex": "7"}, "has no type"),
    ({**sl.bitstring_entry(LIST_ID, 7, "revocation"), "statusListIndex": 7.5}, "written as a string"),
    ({**sl.bitstring_entry(LIST_ID, 7, "revocation"), "statusListIndex": -7}, "non-negative"),
    ({**sl.bitstring_entry(LIST_ID, 7, "revocation"), "statusListIndex": "-7"}, "written as a string"),
    ({**sl.bitstring_entry(LIST_ID, 7, "revocation"), "statusListCredential": None}, "must name the status list"),
    ({**sl.bitstring_entry(LIST_ID, 7, "revocation"), "statusPurpose": ["revocation", "suspension"]},
     "statusPurpose has 2 values"),
])
def test_a_malformed_entry_fails(credential, test_key, lists, status, reason):
    credential["credentialStatus"] = status
    result = only(check(credential, test_key.did, lists))
    assert (result.status, result.code, result.path) == (Status.FAILED, "STATUS_ENTRY_MALFORMED",
                                                         "$.credentialStatus")
    assert reason in result.message


@pytest.mark.parametrize(("change", "field"), [
    ({"type": "RevocationList2020Status"}, "type"),
    ({"statusPurpose": "message"}, "statusPurpose"),
    ({"statusSize": 2}, "statusSize"),
])
def test_kinds_of_status_mcred_does_not_check_are_warnings(credential, test_key, lists, change, field):
    credential["credentialStatus"] = {**entry(index=7), **change}
    result = only(check(credential, test_key.did, lists))
    assert (result.status, result.code) == (Status.WARNING, "STATUS_UNSUPPORTED")
    assert result.message.startswith(f"could not check: {field} ")


def test_statuslist2021_lists_and_entries_are_read(tmp_path, test_key):
    bits = bytearray(16384)
    st.set_bit(bits, 5, True)
    encoded = st.encode_bitstring(bytes(bits))[1:]  # StatusList2021: no multibase prefix
    sl2021 = sign_credential({
        "@context": ["https://www.w3.org/2018/credentials/v1", st.SL2021_CONTEXT,
                     "https://w3id.org/security/data-integrity/v2"],
        "id": "https://its.example/sl2021/1", "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": test_key.did, "issuanceDate": CREATED,
        "credentialSubject": {"id": "https://its.example/sl2021/1#list", "type": "StatusList2021",
                              "statusPurpose": "revocation", "encodedList": encoded}}, test_key, created=CREATED)
    lists = sc.load_status_lists([write_json(tmp_path / "sl.json", sl2021)], now=NOW)
    assert lists.get("https://its.example/sl2021/1").trusted
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1", st.SL2021_CONTEXT],
                  "type": "VerifiableCredential",
                  "credentialStatus": {"id": "https://its.example/sl2021/1#5", "type": "StatusList2021Entry",
                                       "statusPurpose": "revocation", "statusListIndex": "5",
                                       "statusListCredential": "https://its.example/sl2021/1"}}
    assert only(check(credential, test_key.did, lists)).code == "STATUS_REVOKED"


def test_of_two_copies_of_a_list_the_genuine_one_is_used(tmp_path, test_key, new_list):
    index = sl.allocate_index(new_list).index
    sl.update_status_list(new_list, test_key, [index], "revoke", now=CHANGED)
    tampered = load_json(new_list)
    tampered["credentialSubject"]["encodedList"] = st.encode_bitstring(bytes(16384))
    for order in ([write_json(tmp_path / "t.json", tampered), new_list], [new_list, tmp_path / "t.json"]):
        lists = sc.load_status_lists(order, now=NOW)
        assert len(lists) == 1 and lists.get(LIST_ID).trusted
        assert only(check({"credentialStatus": entry(index=index)}, test_key.did, lists)).code == "STATUS_REVOKED"


def test_a_file_that_is_not_a_status_list_is_unusable(tmp_path, alumni):
    with pytest.raises(InputError, match="not a BitstringStatusListCredential") as info:
        sc.load_status_list(write_json(tmp_path / "c.json", alumni))
    assert info.value.code == "STATUS_LIST_MALFORMED"
    with pytest.raises(InputError, match="cannot read the file"):
        sc.load_status_list(tmp_path / "missing.json")


# --- broken --status-list files, lists under another id, numeric indexes (issue 16) ----------------------


@pytest.fixture
def broken_and_good(tmp_path, test_key, alumni):
    """The good revocation list (bit 7 set) beside a credential that is not a list but claims the id of the
    list https://its.example/status/broken, and a file that is not JSON at all."""
    good = tmp_path / "good.json"
    sl.init_status_list(good, test_key, LIST_ID, now=CREATED)
    _force_bits(good, test_key, [7], "revoke")
    not_a_list = write_json(tmp_path / "not-a-list.json", {**alumni, "id": "https://its.example/status/broken"})
    return good, not_a_list


def test_a_broken_status_list_file_is_a_warning_for_its_credentials_only(tmp_path, test_key, broken_and_good):
    good, not_a_list = broken_and_good
    lists = sc.load_status_lists([not_a_list, good], now=NOW)  # no exception: nothing else stops
    assert [u.claimed_id for u in lists.unreadable] == ["https://its.example/status/broken"]
    broken = only(check({"credentialStatus": entry("https://its.example/status/broken", 7)}, test_key.did, lists))
    assert (broken.status, broken.code) == (Status.WARNING, "STATUS_LIST_UNREADABLE")
    assert "not-a-list.json" in broken.message and "STATUS_LIST_MALFORMED" in broken.message
    # the credentials of the good list are checked as usual: the broken file cannot hide a revocation
    assert only(check({"credentialStatus": entry(index=7)}, test_key.did, lists)).code == "STATUS_REVOKED"


def test_a_file_that_is_not_json_or_is_missing_is_a_warning_too(tmp_path, test_key, broken_and_good):
    good, _ = broken_and_good
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"id": "https://its.example/status/2", ')  # cut short: which list it is, is unknown
    for bad in (garbage, tmp_path / "missing.json"):
        lists = sc.load_status_lists([bad, good], now=NOW)
        result = only(check({"credentialStatus": entry("https://its.example/status/2", 3)}, test_key.did, lists))
        assert (result.status, result.code) == (Status.WARNING, "STATUS_LIST_UNREADABLE")
        assert bad.name in result.message
        assert only(check({"credentialStatus": entry(index=7)}, test_key.did, lists)).code == "STATUS_REVOKED"


def test_a_list_signed_under_another_id_is_never_used_silently(tmp_path, test_key):
    """The credential names https://its.example/status/1; only the issuer's list https://moved.example/status/1
    (the same name, another id) was given. It is read in its place with the same rules, and a warning names both
    ids; one signed by anyone else still decides nothing."""
    moved = _list_copy(tmp_path, "moved.json", SigningKey.from_seed(TEST_SEED), issuer=test_key.did, revoked=[7],
                       when=CHANGED, list_id="https://moved.example/status/1")
    lists = sc.load_status_lists([moved], now=NOW)
    revoked, note = check({"credentialStatus": entry(index=7)}, test_key.did, lists)
    assert (revoked.status, revoked.code) == (Status.FAILED, "STATUS_REVOKED")
    assert (note.status, note.code) == (Status.WARNING, "STATUS_LIST_ID_MISMATCH")
    assert "https://moved.example/status/1" in note.message and "moved.json" in note.message
    active, _ = check({"credentialStatus": entry(index=3)}, test_key.did, lists)
    assert active.code == "STATUS_ACTIVE"
    # another issuer's list of that name, with the bit clear: not used, so it cannot hide the revocation
    forged = _list_copy(tmp_path, "forged.json", OTHER_KEY, issuer=OTHER_KEY.did, revoked=[],
                        when=CHANGED, list_id="https://forged.example/status/1")
    alone = sc.load_status_lists([forged], now=NOW)
    assert [r.code for r in check({"credentialStatus": entry(index=7)}, test_key.did, alone)] == [
        "STATUS_LIST_FOREIGN", "STATUS_LIST_ID_MISMATCH"]
    # the exact list, when given, is the one used; nothing is said about the other
    exact = _list_copy(tmp_path, "exact.json", SigningKey.from_seed(TEST_SEED), issuer=test_key.did, revoked=[],
                       when=CHANGED)
    both = sc.load_status_lists([moved, exact], now=NOW)
    assert [r.code for r in check({"credentialStatus": entry(index=7)}, test_key.did, both)] == ["STATUS_ACTIVE"]


def test_a_numeric_index_is_read_with_a_warning(credential, test_key, lists):
    credential["credentialStatus"] = {**entry(index=7), "statusListIndex": 7}
    revoked, note = check(credential, test_key.did, lists)
    assert (revoked.status, revoked.code) == (Status.FAILED, "STATUS_REVOKED")
    assert (note.status, note.code, note.path) == (Status.WARNING, "STATUS_INDEX_NOT_STRING", "$.credentialStatus")
    credential["credentialStatus"] = {**entry(index=3), "statusListIndex": 3}
    assert [r.code for r in check(credential, test_key.did, lists)] == ["STATUS_ACTIVE", "STATUS_INDEX_NOT_STRING"]


def test_a_holder_cannot_rewrite_the_index_as_a_number(test_key, alumni):
    """"7" and 7 are different values in the signed graph: rewriting one as the other breaks the proof."""
    signed = sign_credential({**alumni, "credentialStatus": entry(index=7)}, test_key, created=CREATED)
    forged = copy.deepcopy(signed)
    forged["credentialStatus"]["statusListIndex"] = 7
    report = verify_credential(forged, now=NOW)
    assert not report.verified
    assert "PROOF_SIGNATURE_INVALID" in [c.code for c in report.checks]


def test_status_entries_in_an_array_of_both_kinds_and_the_status_v1_context(test_key, lists):
    """VC 1.1 with the Bitstring Status List context (status/v1), and an array of entries: each is checked."""
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/status/v1"],
                  "type": ["VerifiableCredential"],
                  "credentialStatus": [entry(index=7), entry(SUSPEND_ID, 9, "suspension"), entry(index=3)]}
    results = check(credential, test_key.did, lists)
    # the signed graph's values have no order (RDF): one result per entry, each at its own path
    assert sorted(r.code for r in results) == ["STATUS_ACTIVE", "STATUS_REVOKED", "STATUS_SUSPENDED"]
    assert sorted(r.path for r in results) == [f"$.credentialStatus[{i}]" for i in range(3)]


# --- ELM credentials ----------------------------------------------------------------------------


def test_an_elm_credential_with_a_status_conforms_verifies_and_can_be_revoked(tmp_path, test_key):
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import issue_credential
    from tests.shacl import shacl_report, shacl_violations

    list_path = tmp_path / "elm-list.json"
    sl.init_status_list(list_path, test_key, "https://its.example/status/elm", now=CREATED)
    list_id, index, purpose = sl.allocate_index(list_path)
    outcomes = load_outcomes(Path(__file__).resolve().parents[3] / "examples" / "its-python-data.yaml")
    plain = issue_credential(outcomes, outcomes.learners[0], test_key, issued=CREATED)
    unsigned = {k: v for k, v in plain.items() if k != "proof"}
    unsigned["credentialStatus"] = elm_status(list_id, index)
    credential = sign_credential(unsigned, test_key, created=CREATED)
    conforms, _ = shacl_report(credential)
    assert conforms, "\n".join(shacl_violations(credential))
    assert verify_credential(credential, now=NOW).verified
    lists = sc.load_status_lists([list_path], now=NOW)
    assert only(check(credential, test_key.did, lists)).code == "STATUS_ACTIVE"
    sl.update_status_list(list_path, test_key, [index], "revoke", now=CHANGED)
    lists = sc.load_status_lists([list_path], now=NOW)
    result = only(check(credential, test_key.did, lists))
    assert (result.code, result.path) == ("STATUS_REVOKED", "$.credentialStatus")
    forged = copy.deepcopy(credential)  # pointing the literal elsewhere breaks the signature
    forged["credentialStatus"]["@value"] = f"{list_id}#{index + 1}"
    assert not verify_credential(forged, now=NOW).verified


def test_a_plain_string_status_in_an_elm_credential_does_not_conform():
    """Why ELM credentials carry the typed literal: the shapes want an xsd:anyURI literal, not an IRI."""
    from tests.shacl import shacl_violations

    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["credentialStatus"] = f"{LIST_ID}#7"  # credentials/v1 makes this an IRI, not a literal
    assert any("credentialStatus" in line for line in shacl_violations(doc))
    doc["credentialStatus"] = elm_status(LIST_ID, 7)
    assert not any("credentialStatus" in line for line in shacl_violations(doc))


# --- messages ---------------------------------------------------------------------------------

#: one credentialStatus per code, against the module's lists (issuer: the test key)
ONE_PER_CODE = {
    "STATUS_NONE": None,
    "STATUS_NOT_CHECKED": entry("https://its.example/status/99", 3),
    "STATUS_ACTIVE": entry(index=3),
    "STATUS_REVOKED": entry(index=7),
    "STATUS_SUSPENDED": entry(SUSPEND_ID, 9, "suspension"),
    "STATUS_LIST_INVALID": entry("https://its.example/status/tampered", 7),
    "STATUS_LIST_FOREIGN": entry("https://other.example/status/1", 7),
    "STATUS_PURPOSE_MISMATCH": entry(index=7, purpose="suspension"),
    "STATUS_INDEX_INVALID": entry(index=131_072),
    "STATUS_ENTRY_MALFORMED": f"{LIST_ID}#seven",
    "STATUS_UNSUPPORTED": {**entry(index=7), "statusPurpose": "message"},
}


#: codes made by the tests above, with lists of their own (issue 16)
OWN_LISTS = {"STATUS_LIST_UNREADABLE", "STATUS_LIST_ID_MISMATCH", "STATUS_INDEX_NOT_STRING",
             "STATUS_SET_IN_UNUSED_LIST", "STATUS_SET_IN_SIGNED_LIST"}


def test_every_code_has_an_italian_template_filled_by_the_params_given(test_key, lists):
    assert set(ONE_PER_CODE) | OWN_LISTS == set(st.MESSAGES_EN) == set(st.MESSAGES_IT)
    for code, status in ONE_PER_CODE.items():
        credential = {} if status is None else {"credentialStatus": status}
        result = st.check_status(refs(credential), test_key.did, lists)[0]  # a second one: see OWN_LISTS
        assert result.code == code
        assert_translated(result)
    # the OWN_LISTS codes are made by the tests above, each through check(), which checks their templates


def test_the_italian_text_reads_naturally(test_key, lists):
    revoked = only(st.check_status(refs({"credentialStatus": entry(index=7)}), test_key.did, lists))
    assert st.MESSAGES_IT["STATUS_REVOKED"][0].format(**revoked.params) == (
        f"revocata: il bit 7 di {LIST_ID} è impostato (elenco del {CHANGED})")
    tampered = only(st.check_status(refs({"credentialStatus": ONE_PER_CODE["STATUS_LIST_INVALID"]}), test_key.did,
                                    lists))
    italian = st.MESSAGES_IT["STATUS_LIST_INVALID"][0].format(**tampered.params)
    assert italian.startswith("impossibile controllare: la copia locale di https://its.example/status/tampered "
                              "non supera la verifica (")
    assert "firma" in italian  # the list's own problem, in Italian too


# --- several copies of one list: whose counts (issue 13) ------------------------------------------------


def _list_copy(folder: Path, name: str, key: SigningKey, *, issuer: str, revoked: list[int], when: str,
               purpose: str = "revocation", list_id: str = LIST_ID) -> Path:
    """A copy of the list ``list_id`` with those bits set, dated ``when``, naming ``issuer``, signed by ``key``."""
    bits = bytearray(16384)
    for index in revoked:
        st.set_bit(bits, index, True)
    document = {"@context": [st.VC2_CONTEXT], "id": list_id,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer,
                "validFrom": when, "credentialSubject": {"id": f"{list_id}#list", "type": "BitstringStatusList",
                                                         "statusPurpose": purpose,
                                                         "encodedList": st.encode_bitstring(bytes(bits))}}
    from mcred.proofs.data_integrity import (
        add_proof,  # sign_credential would refuse an issuer that is not the key's DID
    )

    return write_json(folder / name, add_proof(document, key, created=when))


def test_a_newer_list_from_anyone_else_never_hides_a_revocation(tmp_path, test_key):
    """The attacker signs a newer copy of the issuer's list, with the bit cleared: whatever the order the copies
    are given in, the issuer's own copy decides, and the credential is revoked."""
    genuine = _list_copy(tmp_path, "genuine.json", test_key, issuer=test_key.did, revoked=[7], when=CHANGED)
    attacker = _list_copy(tmp_path, "attacker.json", OTHER_KEY, issuer=OTHER_KEY.did, revoked=[],
                          when="2026-11-20T00:00:00Z")
    for order in ([genuine, attacker], [attacker, genuine]):
        lists = sc.load_status_lists(order, now=NOW)
        assert all(copy.trusted for copy in lists.copies(LIST_ID))  # each verifies, as its own signer's
        assert only(check({"credentialStatus": entry(index=7)}, test_key.did, lists)).code == "STATUS_REVOKED"
    alone = sc.load_status_lists([attacker], now=NOW)
    result = only(check({"credentialStatus": entry(index=7)}, test_key.did, alone))
    assert (result.status, result.code) == (Status.WARNING, "STATUS_LIST_FOREIGN")


def test_a_list_that_claims_the_issuer_but_is_signed_by_another_key_is_not_used(tmp_path, test_key):
    forged = _list_copy(tmp_path, "forged.json", OTHER_KEY, issuer=test_key.did, revoked=[],
                        when="2026-11-20T00:00:00Z")
    genuine = _list_copy(tmp_path, "genuine.json", test_key, issuer=test_key.did, revoked=[7], when=CHANGED)
    lists = sc.load_status_lists([forged, genuine], now=NOW)
    assert [c.trusted for c in lists.copies(LIST_ID)] == [False, True]
    assert only(check({"credentialStatus": entry(index=7)}, test_key.did, lists)).code == "STATUS_REVOKED"


def test_a_revocation_is_final_in_the_issuers_own_copies(tmp_path, test_key):
    """An older copy with the bit set and a newer one without (a revocation cannot be undone): revoked."""
    older = _list_copy(tmp_path, "older.json", test_key, issuer=test_key.did, revoked=[7], when=CHANGED)
    newer = _list_copy(tmp_path, "newer.json", test_key, issuer=test_key.did, revoked=[],
                       when="2026-11-20T00:00:00Z")
    lists = sc.load_status_lists([newer, older], now=NOW)
    result = only(check({"credentialStatus": entry(index=7)}, test_key.did, lists))
    assert result.code == "STATUS_REVOKED" and CHANGED in result.message


def test_a_suspension_lifted_in_a_newer_copy_is_lifted(tmp_path, test_key):
    older = _list_copy(tmp_path, "older.json", test_key, issuer=test_key.did, revoked=[9], when=CHANGED,
                       purpose="suspension", list_id=SUSPEND_ID)
    newer = _list_copy(tmp_path, "newer.json", test_key, issuer=test_key.did, revoked=[],
                       when="2026-11-20T00:00:00Z", purpose="suspension", list_id=SUSPEND_ID)
    status = {"credentialStatus": entry(SUSPEND_ID, 9, "suspension")}
    assert only(check(status, test_key.did, sc.load_status_lists([older, newer], now=NOW))).code == "STATUS_ACTIVE"
    assert only(check(status, test_key.did, sc.load_status_lists([older], now=NOW))).code == "STATUS_SUSPENDED"


def test_a_list_signed_with_a_key_the_trust_file_gives_the_issuer_counts(tmp_path, test_key):
    """The issuer signed its list with a newer key, which the trust file binds to it."""
    from mcred.verify.trust import load_trust_list

    rotated = _list_copy(tmp_path, "rotated.json", OTHER_KEY, issuer=test_key.did, revoked=[7], when=CHANGED)
    trust = tmp_path / "trust.yaml"
    trust.write_text(f"mcred: trust/1\nissuers:\n  - id: {test_key.did}\n    legal_name: {{en: Issuer}}\n"
                     f"    country: ITA\n    keys:\n      - verification_method: {OTHER_KEY.verification_method}\n",
                     encoding="utf-8")
    without = sc.load_status_lists([rotated], now=NOW)
    assert [r.code for r in check({"credentialStatus": entry(index=7)}, test_key.did, without)] == [
        "STATUS_LIST_INVALID", "STATUS_SET_IN_UNUSED_LIST"]  # its issuer does not control its key: unverified
    with_trust = sc.load_status_lists([rotated], now=NOW, trust=load_trust_list(trust))
    assert only(check({"credentialStatus": entry(index=7)}, test_key.did, with_trust)).code == "STATUS_REVOKED"

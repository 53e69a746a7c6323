"""Trust lists: strict loading (every problem with its path), atomic saving, pure edits, and what
`evaluate_trust` says about known, unknown, wrong and rotated keys, in English and Italian."""

from __future__ import annotations

import dataclasses
import json
import os
import string

import pytest
import yaml

from mcred.errors import InputError, OutputExistsError, UsageError
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import add_proof, verify_proof
from mcred.report import Status
from mcred.verify import trust as t
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, NOW, TEST_SEED

TRUST = ASSETS / "trust"
KEY_A = SigningKey.from_seed(TEST_SEED)       # the ITS's first key (the conftest test key)
KEY_B = SigningKey.from_seed(bytes(32))       # its key from 2026-07-01
KEY_C = SigningKey.from_seed(bytes([7] * 32))  # the university's key (a URN issuer)
STRANGER = SigningKey.from_seed(bytes([9] * 32))
UNI = "urn:mcred:test:universita-di-esempio"


@pytest.fixture
def rotated() -> t.TrustList:
    return t.load_trust_list(TRUST / "its-rotated.yaml")


def signed(document: dict, key: SigningKey, created: str, issuer: str | None = None) -> dict:
    doc = dict(document)
    doc["issuer"] = issuer or key.did
    return add_proof(doc, key, created=created)


def proofs(document: dict) -> list:
    count = len(document["proof"]) if isinstance(document["proof"], list) else 1
    return [verify_proof(document, index) for index in range(count)]


def evaluate(document: dict, trust: t.TrustList | None) -> list:
    return t.evaluate_trust(document["issuer"], proofs(document), trust)


def codes(results) -> list[tuple[str, str]]:
    return [(r.status.value, r.code) for r in results]


def write_yaml(tmp_path, data, name: str = "trust.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def issuer_entry(**changes) -> dict:
    entry = {"id": KEY_A.did, "legal_name": {"it": "Fondazione ITS", "en": "ITS Academy"},
             "country": "ITA"}
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not ...}


def trust_data(*issuers) -> dict:
    return {"mcred": "trust/1", "issuers": list(issuers)}


# -- loading ----------------------------------------------------------------------------------


def test_the_example_file_loads_with_normalised_keys(rotated):
    its, uni = rotated.issuers
    assert its.id == KEY_A.did and uni.id == UNI
    assert its.name("it") == "Fondazione ITS Academy Piemonte Dati"
    assert its.accreditation.startswith("Regione Piemonte")
    # the bare did:key of the file is held as did:key:X#X
    assert [k.verification_method for k in its.keys] == [KEY_A.verification_method,
                                                         KEY_B.verification_method]
    assert its.keys[0].valid_until == "2026-06-30T23:59:59Z"  # an unquoted YAML date stays a string
    assert rotated.file == str(TRUST / "its-rotated.yaml")


def test_a_did_key_issuer_without_keys_has_its_own_key_at_any_time(tmp_path):
    trust = t.load_trust_list(write_yaml(tmp_path, trust_data(issuer_entry())))
    (key,) = trust.issuers[0].effective_keys
    assert key.verification_method == KEY_A.verification_method and not key.has_interval


def test_an_empty_list_is_a_valid_trust_file(tmp_path):
    assert t.load_trust_list(write_yaml(tmp_path, trust_data())).issuers == ()


INVALID = [
    (trust_data() | {"extra": 1}, "$.extra", "unknown field"),
    ({"mcred": "trust/2", "issuers": []}, "$.mcred", "reads 'trust/1'"),
    ({"issuers": []}, "$.mcred", "is required"),
    ({"mcred": "trust/1", "issuers": {}}, "$.issuers", "must be a list"),
    (["not", "a", "mapping"], "$", "must be a mapping"),
    (trust_data("did:key:x"), "$.issuers[0]", "an issuer must be a mapping"),
    (trust_data(issuer_entry(website="https://x.example")), "$.issuers[0].website", "unknown field"),
    (trust_data(issuer_entry(legal_name=...)), "$.issuers[0].legal_name", "is required"),
    (trust_data(issuer_entry(id="did:key:z6MkNOTAKEY")), "$.issuers[0].id", "is not a valid did:key"),
    (trust_data(issuer_entry(id="did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc")),
     "$.issuers[0].id", "is not a did:key mcred resolves"),
    (trust_data(issuer_entry(id=KEY_A.verification_method)), "$.issuers[0].id", "is not a DID"),
    (trust_data(issuer_entry(id="did:Web:example.org")), "$.issuers[0].id", "is not a DID"),
    (trust_data(issuer_entry(id="ITS Academy")), "$.issuers[0].id", "neither a DID nor an absolute URI"),
    (trust_data(issuer_entry(id=42)), "$.issuers[0].id", "must be a string"),
    (trust_data(issuer_entry(id="urn:mcred:test:its")), "$.issuers[0].keys",
     "is not a did:key, so its keys must be listed"),
    (trust_data(issuer_entry(id="did:web:its.example")), "$.issuers[0].keys",
     "is not a did:key, so its keys must be listed"),
    (trust_data(issuer_entry(legal_name={"Italian": "ITS"})), "$.issuers[0].legal_name.Italian",
     "not a language code"),
    (trust_data(issuer_entry(legal_name={"it": " "})), "$.issuers[0].legal_name.it", "non-empty string"),
    (trust_data(issuer_entry(legal_name="ITS Academy")), "$.issuers[0].legal_name",
     "must map at least one language code"),
    (trust_data(issuer_entry(country="IT")), "$.issuers[0].country", "ISO 3166-1 alpha-3"),
    (trust_data(issuer_entry(accreditation="")), "$.issuers[0].accreditation", "non-empty string"),
    (trust_data(issuer_entry(accreditation=None)), "$.issuers[0].accreditation", "is empty"),
    (trust_data(issuer_entry(keys=[])), "$.issuers[0].keys", "must list at least one key"),
    (trust_data(issuer_entry(keys=["did:key:x"])), "$.issuers[0].keys[0]", "a key must be a mapping"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did, "revoked": True}])),
     "$.issuers[0].keys[0].revoked", "unknown field"),
    (trust_data(issuer_entry(keys=[{"valid_from": "2026-01-01T00:00:00Z"}])),
     "$.issuers[0].keys[0].verification_method", "is required"),
    (trust_data(issuer_entry(keys=[{"verification_method": "did:web:its.example#key-1"}])),
     "$.issuers[0].keys[0].verification_method", "mcred resolves did:key only, not did:web"),
    (trust_data(issuer_entry(keys=[{"verification_method": f"{KEY_A.did}#{KEY_B.public_key.multibase}"}])),
     "$.issuers[0].keys[0].verification_method", "the fragment does not match"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did, "valid_until": None}])),
     "$.issuers[0].keys[0].valid_until", "is empty: give a value or leave the field out"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did,
                                    "valid_until": "2026-13-01T00:00:00Z"}])),
     "$.issuers[0].keys[0].valid_until", "'2026-13-01T00:00:00Z' is not a date-time"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did, "valid_from": "2026-01-01"}])),
     "$.issuers[0].keys[0].valid_from", "not a date-time with a time zone"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did,
                                    "valid_from": "2026-01-01T00:00:00"}])),
     "$.issuers[0].keys[0].valid_from", "not a date-time with a time zone"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did,
                                    "valid_from": "2026-07-01T00:00:00Z",
                                    "valid_until": "2026-06-30T23:59:59Z"}])),
     "$.issuers[0].keys[0].valid_until", "is before valid_from 2026-07-01T00:00:00Z"),
    (trust_data(issuer_entry(keys=[{"verification_method": KEY_A.did},
                                   {"verification_method": KEY_A.verification_method}])),
     "$.issuers[0].keys[1].verification_method", "is listed twice"),
    (trust_data(issuer_entry(), issuer_entry(legal_name={"en": "Impostor"})),
     "$.issuers[1].id", f"{KEY_A.did} already belongs to the issuer {KEY_A.did}"),
    (trust_data(issuer_entry(), issuer_entry(id="urn:x:other",
                                             keys=[{"verification_method": KEY_A.did}])),
     "$.issuers[1].keys[0].verification_method", f"already belongs to the issuer {KEY_A.did}"),
]


@pytest.mark.parametrize(("data", "path", "fragment"), INVALID, ids=[case[1] + ":" + case[2][:24]
                                                                     for case in INVALID])
def test_every_problem_is_refused_with_its_path(tmp_path, data, path, fragment):
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(write_yaml(tmp_path, data))
    error = info.value
    assert (error.code, error.exit_code) == ("TRUST_FILE_INVALID", 3)
    assert isinstance(error, InputError)
    assert [p for p, _, _ in error.problems] == [path], error.problems
    assert error.path == path
    assert fragment in error.message
    assert str(tmp_path / "trust.yaml") in error.diagnostics()


def test_every_problem_of_a_file_is_reported_at_once_with_its_line():
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(TRUST / "invalid" / "many-problems.yaml")
    found = [(path, line) for path, _, line in info.value.problems]
    assert found == [
        ("$.issuers[0].website", 7),
        ("$.issuers[0].keys[0].verification_method", 9),
        ("$.issuers[0].keys[0].valid_until", 10),
        ("$.issuers[0].keys[1].valid_until", 13),
        # (that did:web lists no keys is reported once its entry is otherwise sound)
        ("$.issuers[1].legal_name", 15),
        ("$.issuers[1].country", 16),
    ]
    message = info.value.message
    assert message.startswith("6 problems:")
    assert "line 13, $.issuers[0].keys[1].valid_until: 2026-01-01T00:00:00Z is before valid_from" in message
    assert info.value.path is None  # several places: each is in the message


def test_an_empty_field_is_refused_because_it_would_widen_trust():
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(TRUST / "invalid" / "empty-valid-until.yaml")
    assert info.value.problems == [("$.issuers[0].keys[0].valid_until",
                                    "is empty: give a value or leave the field out", 9)]


def test_one_key_cannot_belong_to_two_issuers():
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(TRUST / "invalid" / "key-of-two-issuers.yaml")
    assert info.value.path == "$.issuers[1].keys[0].verification_method"
    assert "already belongs to the issuer urn:mcred:test:its" in info.value.message


@pytest.mark.parametrize(("text", "fragment", "line"), [
    ("mcred: trust/1\nmcred: trust/1\nissuers: []\n", "the field 'mcred' is given twice", 2),
    ("mcred: trust/1\nissuers:\n  - &its {id: x}\n  - *its\n", "anchors and aliases are not allowed", 4),
    ("mcred: trust/1\nissuers: [\n", "not valid YAML", None),
    ("mcred: trust/1\n---\nissuers: []\n", "not valid YAML", None),
    ("", "a trust file must be a mapping", None),
])
def test_yaml_that_is_not_plain_data_is_refused(tmp_path, text, fragment, line):
    path = tmp_path / "trust.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(path)
    assert fragment in info.value.message
    if line is not None:
        assert info.value.problems[0][2] == line


@pytest.mark.parametrize(("text", "fragment"), [
    ('{"mcred": "trust/1", "issuers": [], "issuers": []}', "the field 'issuers' is given twice"),
    ('{"mcred": "trust/1", ', "malformed JSON"),
])
def test_json_files_are_read_as_json_and_strictly(tmp_path, text, fragment):
    path = tmp_path / "trust.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(t.TrustFileError) as info:
        t.load_trust_list(path)
    assert fragment in info.value.message


def test_unreadable_and_oversized_files(tmp_path):
    with pytest.raises(InputError) as info:
        t.load_trust_list(tmp_path / "missing.yaml")
    assert (info.value.code, info.value.exit_code) == ("FILE_UNREADABLE", 3)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (3 * 1024 * 1024))
    with pytest.raises(InputError) as info:
        t.load_trust_list(big)
    assert info.value.code == "FILE_TOO_LARGE"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("mcred: trust/1\n# Università\n".encode("latin-1"))
    with pytest.raises(t.TrustFileError, match="not UTF-8"):
        t.load_trust_list(latin1)


def test_values_are_checked_when_built_in_code_too():
    with pytest.raises(t.TrustValueError) as info:
        t.TrustedKey(KEY_A.did, valid_until="tomorrow")
    assert isinstance(info.value, ValueError) and isinstance(info.value, UsageError)
    assert info.value.path == "valid_until"
    with pytest.raises(t.TrustValueError, match="its keys must be listed"):
        t.TrustedIssuer("https://its.example/", {"en": "ITS"}, "ITA")


# -- saving -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["copy.yaml", "copy.json"])
def test_save_and_load_round_trip(rotated, tmp_path, name):
    t.save_trust_list(rotated, tmp_path / name)
    again = t.load_trust_list(tmp_path / name)
    assert again == rotated
    text = (tmp_path / name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        assert json.loads(text)["mcred"] == "trust/1"
    else:
        assert text.startswith("# mcred trust list")
        assert "Università degli Studi di Esempio" in text  # not \u escapes


def test_save_replaces_atomically_and_leaves_no_temporary_file(rotated, tmp_path, monkeypatch):
    path = tmp_path / "trust.yaml"
    t.save_trust_list(rotated, path)
    before = path.read_bytes()
    smaller = t.remove_issuer(rotated, UNI)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        t.save_trust_list(smaller, path)
    assert path.read_bytes() == before  # the old list is intact, never half written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trust.yaml"]
    monkeypatch.undo()
    t.save_trust_list(smaller, path)
    assert t.load_trust_list(path) == smaller
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trust.yaml"]


def test_save_without_force_refuses_to_overwrite(rotated, tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        t.save_trust_list(rotated, path, force=False)
    assert path.read_text(encoding="utf-8") == "keep me"


# -- pure edits -------------------------------------------------------------------------------


def its(**changes) -> t.TrustedIssuer:
    fields = {"id": KEY_A.did, "legal_name": {"it": "Fondazione ITS", "en": "ITS Academy"},
              "country": "ITA"} | changes
    return t.TrustedIssuer(**fields)


def test_add_and_remove_an_issuer_without_touching_the_original():
    empty = t.TrustList()
    one = t.add_issuer(empty, its())
    assert empty.issuers == () and [i.id for i in one.issuers] == [KEY_A.did]
    assert t.remove_issuer(one, KEY_A.did) == empty


def test_adding_a_listed_issuer_again_is_refused():
    one = t.add_issuer(t.TrustList(), its())
    with pytest.raises(t.TrustEditError) as info:
        t.add_issuer(one, its(legal_name={"en": "Again"}))
    assert (info.value.code, info.value.exit_code) == ("TRUST_DUPLICATE", 2)
    assert "is already listed" in info.value.message


def test_adding_an_issuer_whose_key_belongs_to_another_is_refused():
    one = t.add_issuer(t.TrustList(), its())
    with pytest.raises(t.TrustEditError) as info:
        t.add_issuer(one, its(id=UNI, keys=(t.TrustedKey(KEY_A.did),)))
    assert info.value.code == "TRUST_DUPLICATE"
    assert f"{KEY_A.did} already belongs to the issuer {KEY_A.did}" in info.value.message


def test_adding_a_key_never_takes_trust_away():
    one = t.add_issuer(t.TrustList(), its())  # no keys: its own key at any time
    two = t.add_key(one, KEY_A.did, t.TrustedKey(KEY_B.did, valid_from="2026-07-01T00:00:00Z"))
    keys = two.get(KEY_A.did).keys
    assert [(k.verification_method, k.valid_from) for k in keys] == [
        (KEY_A.verification_method, None), (KEY_B.verification_method, "2026-07-01T00:00:00Z")]


def test_adding_the_issuers_own_key_with_an_interval_narrows_it():
    one = t.add_issuer(t.TrustList(), its())
    narrowed = t.add_key(one, KEY_A.did, t.TrustedKey(KEY_A.did, valid_until="2026-06-30T23:59:59Z"))
    assert narrowed.get(KEY_A.did).keys == (t.TrustedKey(KEY_A.verification_method,
                                                          valid_until="2026-06-30T23:59:59Z"),)


def test_adding_a_key_twice_or_a_key_of_another_issuer_is_refused(rotated):
    with pytest.raises(t.TrustEditError) as info:
        t.add_key(rotated, KEY_A.did, t.TrustedKey(KEY_B.verification_method))
    assert info.value.code == "TRUST_DUPLICATE"
    assert "is already a key of" in info.value.message
    with pytest.raises(t.TrustEditError) as info:
        t.add_key(rotated, UNI, t.TrustedKey(KEY_B.did))
    assert f"{KEY_B.did} already belongs to the issuer {KEY_A.did}" in info.value.message


def test_removing_a_key(rotated):
    fewer = t.remove_key(rotated, KEY_A.did, KEY_A.did)  # a bare did:key names the same key
    assert [k.verification_method for k in fewer.get(KEY_A.did).keys] == [KEY_B.verification_method]
    assert len(rotated.get(KEY_A.did).keys) == 2


def test_removing_the_last_key_is_refused_because_it_would_widen_trust(rotated):
    with pytest.raises(t.TrustEditError) as info:
        t.remove_key(rotated, UNI, KEY_C.verification_method)
    assert info.value.code == "TRUST_LAST_KEY"
    assert "is the last key listed" in info.value.message
    assert "remove the issuer instead" in info.value.hint


@pytest.mark.parametrize("edit", [
    lambda trust: t.remove_issuer(trust, "urn:nobody"),
    lambda trust: t.remove_key(trust, "urn:nobody", KEY_C.did),
    lambda trust: t.remove_key(trust, UNI, STRANGER.did),
    lambda trust: t.add_key(trust, "urn:nobody", t.TrustedKey(STRANGER.did)),
])
def test_editing_what_is_not_listed_is_refused(rotated, edit):
    with pytest.raises(t.TrustEditError) as info:
        edit(rotated)
    assert (info.value.code, info.value.exit_code) == ("TRUST_NOT_LISTED", 2)
    assert "not listed" in info.value.message or "is not a listed key" in info.value.message


# -- evaluate_trust ---------------------------------------------------------------------------


def test_nothing_to_say_without_a_trust_list_an_issuer_or_a_proof(alumni, rotated):
    doc = signed(alumni, KEY_A, "2026-03-01T10:00:00Z")
    assert t.evaluate_trust(doc["issuer"], proofs(doc), None) == []
    assert t.evaluate_trust(None, proofs(doc), rotated) == []
    assert t.evaluate_trust(doc["issuer"], [], rotated) == []


def test_a_listed_issuer_signing_with_its_own_did_key_is_trusted(alumni, tmp_path):
    trust = t.load_trust_list(write_yaml(tmp_path, trust_data(issuer_entry(
        accreditation="Regione Piemonte n. 1"))))
    (result,) = evaluate(signed(alumni, KEY_A, "2026-03-01T10:00:00Z"), trust)
    assert (result.check, result.status, result.code) == ("issuer", Status.PASSED, "TRUST_TRUSTED")
    assert result.message == "trusted issuer: ITS Academy (ITA)"
    assert result.path == "$.issuer"
    assert result.params == {"issuer": KEY_A.did, "name": "ITS Academy", "name_it": "Fondazione ITS",
                             "country": "ITA", "file": str(tmp_path / "trust.yaml")}


def test_an_unknown_issuer_is_a_warning_not_a_forgery(alumni, rotated):
    (result,) = evaluate(signed(alumni, STRANGER, "2026-03-01T10:00:00Z"), rotated)
    assert (result.status, result.code) == (Status.WARNING, "TRUST_UNKNOWN_ISSUER")
    assert f"the issuer {STRANGER.did} is not in your trust list (" in result.message
    assert "the signature is valid, but who signed it is not known to you" in result.message
    assert "its-rotated.yaml" in result.message
    assert "mcred trust add" in result.hint
    assert result.path == "$.issuer"


def test_a_key_the_list_does_not_give_for_the_issuer_fails(alumni, tmp_path):
    # the list narrows the did:key issuer A to key B only
    trust = t.load_trust_list(write_yaml(tmp_path, trust_data(issuer_entry(
        keys=[{"verification_method": KEY_B.did}]))))
    (result,) = evaluate(signed(alumni, KEY_A, "2026-03-01T10:00:00Z"), trust)
    assert (result.status, result.code) == (Status.FAILED, "TRUST_KEY_UNKNOWN")
    assert f"{KEY_A.verification_method} is not one of the keys the trust list" in result.message
    assert result.path == "$.proof.verificationMethod"
    assert "may be forged" in result.hint


def test_a_urn_issuer_is_bound_to_its_listed_key_and_trusted(alumni, rotated):
    doc = signed(alumni, KEY_C, "2026-03-01T10:00:00Z", issuer=UNI)
    (result,) = evaluate(doc, rotated)
    assert (result.status, result.code) == (Status.PASSED, "TRUST_TRUSTED")
    assert result.message == "trusted issuer: Università degli Studi di Esempio (ITA)"
    assert t.bound_by_trust(UNI, KEY_C.verification_method, rotated)
    assert t.bound_by_trust(UNI, KEY_C.did, rotated)  # either form of the did:key


def test_a_urn_issuer_signed_by_another_key_is_not_bound(alumni, rotated):
    doc = signed(alumni, STRANGER, "2026-03-01T10:00:00Z", issuer=UNI)
    assert not t.bound_by_trust(UNI, STRANGER.verification_method, rotated)
    assert not t.bound_by_trust(UNI, "did:web:evil.example#key-1", rotated)
    assert not t.bound_by_trust(UNI, KEY_C.verification_method, None)
    assert not t.bound_by_trust("urn:nobody", KEY_C.verification_method, rotated)
    (result,) = evaluate(doc, rotated)
    assert (result.status, result.code) == (Status.FAILED, "TRUST_KEY_UNKNOWN")


@pytest.mark.parametrize(("key", "created"), [
    (KEY_A, "2026-03-01T10:00:00Z"),           # the old key, in its time
    (KEY_A, "2026-06-30T23:59:59Z"),           # its last second
    (KEY_A, "2026-07-01T01:00:00+02:00"),      # 23:00 UTC on 30 June
    (KEY_B, "2026-07-01T00:00:00Z"),           # the new key, from its first second
    (KEY_B, "2027-01-15T09:30:00Z"),
])
def test_rotated_keys_inside_their_intervals_are_trusted(alumni, rotated, key, created):
    # issuer = the signing did:key, as `mcred issue` writes it; B is found as a key of A's entry
    (result,) = evaluate(signed(alumni, key, created), rotated)
    assert (result.status, result.code) == (Status.PASSED, "TRUST_TRUSTED")
    assert result.params["name"] == "ITS Academy Piemonte Data Foundation"
    assert t.bound_by_trust(key.did, key.verification_method, rotated)


@pytest.mark.parametrize(("key", "created", "interval"), [
    (KEY_A, "2026-09-01T10:00:00Z", "(2025-01-01T00:00:00Z to 2026-06-30T23:59:59Z)"),  # after retirement
    (KEY_A, "2026-07-01T00:00:00Z", "(2025-01-01T00:00:00Z to 2026-06-30T23:59:59Z)"),
    (KEY_A, "2024-12-31T23:59:59Z", "(2025-01-01T00:00:00Z to 2026-06-30T23:59:59Z)"),
    (KEY_B, "2026-06-30T23:59:59Z", "(2026-07-01T00:00:00Z to …)"),                        # before its use
])
def test_a_key_used_outside_its_interval_fails(alumni, rotated, key, created, interval):
    (result,) = evaluate(signed(alumni, key, created), rotated)
    assert (result.status, result.code) == (Status.FAILED, "TRUST_KEY_OUTSIDE_INTERVAL")
    assert f"signed with {key.verification_method} on {created}, outside the key's validity " \
           f"{interval}" in result.message
    assert result.path == "$.proof.created"
    assert "retired or stolen" in result.hint


def test_a_proof_with_no_usable_time_fails_when_the_key_has_an_interval(alumni, rotated):
    doc = signed(alumni, KEY_A, "2026-03-01T10:00:00Z")
    for created in (None, "20260-03-01T10:00:00Z"):  # absent, or a dateTime mcred cannot compare
        timeless = dataclasses.replace(proofs(doc)[0], created=created)
        (result,) = t.evaluate_trust(doc["issuer"], [timeless], rotated)
        assert (result.status, result.code) == (Status.FAILED, "TRUST_KEY_TIME_UNKNOWN")
        assert "does not say when it was made" in result.message
        assert "only from 2025-01-01T00:00:00Z to 2026-06-30T23:59:59Z" in result.message
        assert result.path == "$.proof"


def test_a_proof_with_no_time_is_fine_when_the_key_has_no_interval(alumni, rotated):
    doc = signed(alumni, KEY_C, "2026-03-01T10:00:00Z", issuer=UNI)
    timeless = dataclasses.replace(proofs(doc)[0], created=None)
    assert codes(t.evaluate_trust(UNI, [timeless], rotated)) == [("passed", "TRUST_TRUSTED")]


def test_every_proof_of_a_proof_set_is_judged(alumni, rotated):
    doc = signed(alumni, KEY_A, "2026-03-01T10:00:00Z")
    doc = add_proof(doc, STRANGER, created="2026-03-01T10:00:00Z")
    (result,) = evaluate(doc, rotated)
    assert (result.status, result.code) == (Status.FAILED, "TRUST_KEY_UNKNOWN")
    assert result.path == "$.proof[1].verificationMethod"
    assert STRANGER.verification_method in result.message


def test_used_after_verify_credential_as_the_issuer_check_will(alumni, rotated):
    report = verify_credential(signed(alumni, KEY_A, "2026-09-01T10:00:00Z"), now=NOW)
    assert report.verified  # the signature and dates are fine; only trust can object
    results = t.evaluate_trust(report.issuer, report.proofs, rotated)
    assert codes(results) == [("failed", "TRUST_KEY_OUTSIDE_INTERVAL")]


# -- names ------------------------------------------------------------------------------------


def test_the_name_shown_comes_from_the_trust_file_not_from_the_credential(alumni, rotated):
    doc = signed(alumni, KEY_B, "2026-09-01T10:00:00Z")
    doc["issuer"] = {"id": KEY_B.did, "name": "Università Bocconi"}  # a claim, not signed here
    assert t.issuer_name(doc["issuer"]["id"], rotated, "it") == "Fondazione ITS Academy Piemonte Dati"
    assert t.issuer_name(KEY_B.did, rotated, "en") == "ITS Academy Piemonte Data Foundation"
    assert t.issuer_name(KEY_B.did, rotated, "it-IT") == "Fondazione ITS Academy Piemonte Dati"
    assert t.issuer_name(KEY_B.did, rotated, "de") == "ITS Academy Piemonte Data Foundation"
    assert t.issuer_name(UNI, rotated, "en") == "Università degli Studi di Esempio"  # the only one
    assert t.issuer_name(STRANGER.did, rotated, "it") is None
    assert t.issuer_name(KEY_B.did, None, "it") is None


# -- messages ---------------------------------------------------------------------------------


def every_result(alumni, rotated, tmp_path) -> list:
    narrowed = t.load_trust_list(write_yaml(tmp_path, trust_data(issuer_entry(
        keys=[{"verification_method": KEY_B.did}]))))
    timeless = dataclasses.replace(proofs(signed(alumni, KEY_A, "2026-03-01T10:00:00Z"))[0], created=None)
    return [
        *evaluate(signed(alumni, KEY_A, "2026-03-01T10:00:00Z"), rotated),
        *evaluate(signed(alumni, STRANGER, "2026-03-01T10:00:00Z"), rotated),
        *evaluate(signed(alumni, KEY_A, "2026-03-01T10:00:00Z"), narrowed),
        *evaluate(signed(alumni, KEY_A, "2026-09-01T10:00:00Z"), rotated),
        *t.evaluate_trust(KEY_A.did, [timeless], rotated),
    ]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_english_and_italian_messages_whose_placeholders_are_in_the_params(
        alumni, rotated, tmp_path):
    results = every_result(alumni, rotated, tmp_path)
    assert {r.code for r in results} == set(t.MESSAGES) == set(t.MESSAGES_IT)
    for result in results:
        for catalogue in (t.MESSAGES, t.MESSAGES_IT):
            template, hint = catalogue[result.code]
            assert placeholders(template) | placeholders(hint or "") <= set(result.params), result.code
            template.format(**result.params), (hint or "").format(**result.params)
        # the English message is its template, filled in
        assert result.message == t.MESSAGES[result.code][0].format(**result.params)
        assert json.dumps(result.params)  # plain data, fit for the JSON report


def test_the_italian_messages_read_as_italian(alumni, rotated, tmp_path):
    italian = {r.code: (t.MESSAGES_IT[r.code][0].format(**r.params),
                        (t.MESSAGES_IT[r.code][1] or "").format(**r.params))
               for r in every_result(alumni, rotated, tmp_path)}
    assert italian["TRUST_TRUSTED"][0] == "emittente attendibile: Fondazione ITS Academy Piemonte Dati (ITA)"
    unknown, hint = italian["TRUST_UNKNOWN_ISSUER"]
    assert "non è nel vostro elenco di emittenti attendibili (" in unknown
    assert "la firma è valida, ma chi l'ha apposta non vi è noto" in unknown
    assert "mcred trust add" in hint
    assert "fuori dal periodo di validità della chiave (dal 2025-01-01T00:00:00Z al " \
           "2026-06-30T23:59:59Z)" in italian["TRUST_KEY_OUTSIDE_INTERVAL"][0]
    assert "non è tra quelle" in italian["TRUST_KEY_UNKNOWN"][0]
    assert "non indica quando è stata creata" in italian["TRUST_KEY_TIME_UNKNOWN"][0]

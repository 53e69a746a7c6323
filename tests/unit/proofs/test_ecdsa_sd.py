"""ecdsa-sd-2023: what a holder could try without the issuer's key fails, each with its own code.

The W3C vector's derived document (employ) and base document are the starting points; a tamper changes the
document or one component of the proofValue and never re-signs with the issuer's key.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcred.cli.app import app
from mcred.messages import _CATALOGUE
from mcred.proofs import ecdsa_sd as sd
from mcred.proofs.data_integrity import ProofError, verify_proof
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests import sd_proofs
from tests.conftest import NOW, TEST_SEED, load_json

SD = Path(__file__).parents[2] / "vectors" / "w3c-vc-di-ecdsa-sd" / "TestVectors" / "ecdsa-sd-2023"
DERIVED = load_json(SD / "employ" / "derivedRevealDocument.json")
BASE = load_json(SD / "employ" / "addSignedSDBase.json")
DOCS = Path(__file__).parents[3] / "docs" / "verify.md"


def code_of(document) -> str:
    with pytest.raises(ProofError) as caught:
        verify_proof(document, 0)
    return caught.value.code


def changed(document, edit) -> dict:
    document = copy.deepcopy(document)
    edit(document)
    return document


def test_the_untouched_proofs_verify():
    assert verify_proof(DERIVED, 0).warnings == ()
    assert verify_proof(BASE, 0).warnings[0][0] == "PROOF_SD_BASE_NOT_DERIVED"


# --- the derived proof: the document ---------------------------------------------------------------------


def test_a_changed_disclosed_value_fails_its_statement_signature():
    forged = changed(DERIVED, lambda d: d["credentialSubject"].update(birthCountry="Jamaica"))
    with pytest.raises(ProofError) as caught:
        verify_proof(forged, 0)
    assert caught.value.code == "PROOF_SD_QUAD_SIGNATURE_INVALID"
    assert "Jamaica" in caught.value.params["quad"]


def test_a_changed_mandatory_value_fails_the_base_signature():
    forged = changed(DERIVED, lambda d: d["issuer"].update(image="data:image/png;base64,AAAA"))
    assert code_of(forged) == "PROOF_SIGNATURE_INVALID"


def test_a_dropped_statement_is_a_signature_count_mismatch():
    forged = changed(DERIVED, lambda d: d["credentialSubject"].pop("birthCountry"))
    assert code_of(forged) == "PROOF_SD_SIGNATURE_COUNT"


def test_an_added_statement_is_a_signature_count_mismatch():
    forged = changed(DERIVED, lambda d: d.update(name="A credential the issuer never named"))
    assert code_of(forged) == "PROOF_SD_SIGNATURE_COUNT"


def test_a_changed_proof_option_fails_the_base_signature():
    forged = changed(DERIVED, lambda d: d["proof"].update(created="2024-01-01T00:00:00Z"))
    assert code_of(forged) == "PROOF_SIGNATURE_INVALID"


def test_a_previous_proof_is_refused():
    forged = changed(DERIVED, lambda d: d["proof"].update(previousProof="urn:uuid:other"))
    assert code_of(forged) == "PROOF_MALFORMED"


# --- the derived proof: its components ------------------------------------------------------------------


def test_reordered_signatures_fail():
    signatures = sd_proofs.components(DERIVED).signatures
    assert code_of(sd_proofs.with_derived(DERIVED, signatures=signatures[1:] + signatures[:1])) == \
        "PROOF_SD_QUAD_SIGNATURE_INVALID"


def test_a_dropped_signature_is_a_count_mismatch():
    signatures = sd_proofs.components(DERIVED).signatures
    assert code_of(sd_proofs.with_derived(DERIVED, signatures=signatures[:-1])) == "PROOF_SD_SIGNATURE_COUNT"


def test_swapped_labels_fail_the_base_signature():
    labels = sd_proofs.components(DERIVED).label_map
    swapped = {"c14n0": labels["c14n1"], "c14n1": labels["c14n0"]}
    assert code_of(sd_proofs.with_derived(DERIVED, label_map=swapped)) == "PROOF_SIGNATURE_INVALID"


@pytest.mark.parametrize("edit", ["extra", "missing", "twice"])
def test_a_label_map_that_does_not_fit_the_blank_nodes(edit):
    labels = dict(sd_proofs.components(DERIVED).label_map)
    if edit == "extra":
        labels["c14n2"] = labels["c14n0"][:-1] + "A"
    elif edit == "missing":
        del labels["c14n1"]
    else:
        labels["c14n1"] = labels["c14n0"]
    assert code_of(sd_proofs.with_derived(DERIVED, label_map=labels)) == "PROOF_SD_LABEL_MAP_MISMATCH"


@pytest.mark.parametrize("indexes", [[0, 4, 5, 10], [0, 4, 5, -1], [0, 4, 4, 7]])
def test_mandatory_indexes_outside_the_statements_or_repeated(indexes):
    assert code_of(sd_proofs.with_derived(DERIVED, mandatory=indexes)) == "PROOF_SD_MANDATORY_INDEXES"


def test_a_moved_mandatory_index_fails():
    # statement 6 claimed mandatory instead of 7: the mandatory hash changes
    assert code_of(sd_proofs.with_derived(DERIVED, mandatory=[0, 4, 5, 6])) == "PROOF_SIGNATURE_INVALID"


def test_statement_signatures_of_the_holders_own_key_fail_the_base_signature():
    """The holder signs every statement with a key of their own: the issuer's base signature binds its key."""
    parsed = sd_proofs.components(DERIVED)
    own = sd_proofs.p256_key(424242)
    document = {k: v for k, v in DERIVED.items() if k != "proof"}
    nquads = sd.relabel(sd.canonical_statements(document), parsed.label_map)
    _, others = sd.split_mandatory(nquads, parsed.mandatory, "$")
    forged = sd_proofs.with_derived(DERIVED, public_key=sd_proofs.multikey_bytes(own),
                                    signatures=[sd_proofs.sign(own, q.encode()) for q in others])
    assert code_of(forged) == "PROOF_SIGNATURE_INVALID"


# --- the proofValue's form ------------------------------------------------------------------------------


def with_value(document, value):
    return changed(document, lambda d: d["proof"].update(proofValue=value))


def raw(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_proof_value_must_be_base64url_multibase():
    assert code_of(with_value(DERIVED, "z" + DERIVED["proof"]["proofValue"][1:])) == "PROOF_VALUE_ENCODING"
    assert code_of(with_value(DERIVED, "u+/=")) == "PROOF_VALUE_ENCODING"
    assert code_of(changed(DERIVED, lambda d: d["proof"].pop("proofValue"))) == "PROOF_VALUE_MISSING"


def test_a_wrong_header():
    data = base64.urlsafe_b64decode(DERIVED["proof"]["proofValue"][1:] + "==")
    assert code_of(with_value(DERIVED, raw(b"\xd9\x5d\x02" + data[3:]))) == "PROOF_SD_HEADER"


def test_not_cbor_or_with_bytes_after_it():
    assert code_of(with_value(DERIVED, raw(sd.DERIVED_HEADER + b"\x85\x58"))) == "PROOF_SD_CBOR"
    data = base64.urlsafe_b64decode(DERIVED["proof"]["proofValue"][1:] + "==")
    assert code_of(with_value(DERIVED, raw(data + b"\x00"))) == "PROOF_SD_CBOR"


@pytest.mark.parametrize("items", [
    [b"x" * 64, b"y" * 35, [], {}],                           # four components
    {"baseSignature": b"x" * 64},                             # a map
    [b"x" * 63, b"y" * 35, [], {}, []],                       # a short base signature
    [b"x" * 64, b"y" * 34, [], {}, []],                       # a short key
    [b"x" * 64, b"y" * 35, [b"z" * 65], {}, []],              # a long statement signature
    [b"x" * 64, b"y" * 35, [], {"c14n0": b"l" * 32}, []],     # a label map keyed by text
    [b"x" * 64, b"y" * 35, [], {0: b"l" * 31}, []],           # a short label
    [b"x" * 64, b"y" * 35, [], {}, [True]],                   # a boolean index
])
def test_components_of_the_wrong_shape(items):
    assert code_of(with_value(DERIVED, sd_proofs.encode(sd.DERIVED_HEADER, items))) == "PROOF_SD_SHAPE"


def test_an_ephemeral_key_that_is_not_a_point_of_p256():
    assert code_of(sd_proofs.with_derived(DERIVED, public_key=b"\x80\x24\x02" + b"\xff" * 32)) == "PROOF_SD_SHAPE"


def test_a_base_proof_of_the_wrong_shape():
    items = [b"x" * 64, b"y" * 35, b"short hmac key", [], []]
    assert code_of(with_value(BASE, sd_proofs.encode(sd.BASE_HEADER, items))) == "PROOF_SD_SHAPE"


def test_an_issuer_key_that_is_not_p256():
    from mcred.keys.ed25519 import SigningKey

    key = SigningKey.from_seed(TEST_SEED)
    forged = changed(DERIVED, lambda d: d["proof"].update(verificationMethod=key.verification_method))
    assert code_of(forged) == "PROOF_SD_KEY_TYPE"


# --- the base proof -------------------------------------------------------------------------------------


def test_a_changed_value_in_a_base_proof_matches_no_signature():
    forged = changed(BASE, lambda d: d["credentialSubject"].update(birthCountry="Jamaica"))
    assert code_of(forged) == "PROOF_SD_SIGNATURE_UNMATCHED"


def test_a_changed_mandatory_value_in_a_base_proof_fails_the_base_signature():
    forged = changed(BASE, lambda d: d["issuer"].update(image="data:image/png;base64,AAAA"))
    assert code_of(forged) == "PROOF_SIGNATURE_INVALID"


def test_reordered_signatures_of_a_base_proof_match_no_statement():
    parsed = sd_proofs.components(BASE)
    value = sd_proofs.encode(sd.BASE_HEADER, [parsed.base_signature, parsed.public_key, parsed.hmac_key,
                                              parsed.signatures[::-1], ["/issuer"]])
    assert code_of(with_value(BASE, value)) == "PROOF_SD_SIGNATURE_UNMATCHED"


def test_another_hmac_key_relabels_and_fails():
    parsed = sd_proofs.components(BASE)
    value = sd_proofs.encode(sd.BASE_HEADER, [parsed.base_signature, parsed.public_key, b"\x01" * 32,
                                              parsed.signatures, []])
    assert code_of(with_value(BASE, value)) in ("PROOF_SD_SIGNATURE_UNMATCHED", "PROOF_SIGNATURE_INVALID")


# --- relabelling touches blank nodes only ----------------------------------------------------------------


def test_relabelling_leaves_literals_that_look_like_labels_alone():
    nquads = ['_:c14n0 <https://example.org/p> "_:c14n0 is not a node" .\n']
    assert sd.relabel(nquads, {"c14n0": "uABC"}) == ['_:uABC <https://example.org/p> "_:c14n0 is not a node" .\n']


# --- a whole verification, with the issuer as the signer -------------------------------------------------


def own_credential(issuer_key) -> dict:
    document = {k: v for k, v in DERIVED.items() if k != "proof"}
    return {**document, "issuer": {**document["issuer"], "id": sd_proofs.did_of(issuer_key)}}


@pytest.mark.parametrize("derived", [True, False])
def test_proofs_made_here_verify(derived):
    key = sd_proofs.p256_key(1234)
    signed = sd_proofs.add_sd_proof(own_credential(key), key, derived=derived,
                                    mandatory=lambda quad: "credentials#issuer" in quad)
    report = verify_credential(signed, now=NOW)
    assert not report.failures, report.to_dict()
    proof_results = [(c.status, c.code) for c in report.checks if c.check == "proof"]
    expected = [(Status.PASSED, "PROOF_OK")]
    if not derived:
        expected.append((Status.WARNING, "PROOF_SD_BASE_NOT_DERIVED"))
    assert proof_results == expected
    assert [c.code for c in report.checks if c.check == "issuer"][0] == "ISSUER_OK"


def test_the_command_line_warns_that_a_base_proof_must_be_derived(tmp_path):
    from typer.testing import CliRunner

    key = sd_proofs.p256_key(1234)
    path = tmp_path / "base.json"
    path.write_text(json.dumps(sd_proofs.add_sd_proof(own_credential(key), key, derived=False)))
    result = CliRunner().invoke(app, ["verify", str(path), "--now", "2026-11-23T12:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "PROOF_SD_BASE_NOT_DERIVED" in result.output
    strict = CliRunner().invoke(app, ["verify", str(path), "--now", "2026-11-23T12:00:00Z", "--strict"])
    assert strict.exit_code == 1
    italian = CliRunner().invoke(app, ["verify", str(path), "--now", "2026-11-23T12:00:00Z", "--lang", "it"])
    assert "prova base" in italian.output


# --- every code: Italian and documented -----------------------------------------------------------------

CODES = ["PROOF_SD_HEADER", "PROOF_SD_CBOR", "PROOF_SD_SHAPE", "PROOF_SD_KEY_TYPE", "PROOF_SD_LABEL_MAP_MISMATCH",
         "PROOF_SD_MANDATORY_INDEXES", "PROOF_SD_SIGNATURE_COUNT", "PROOF_SD_QUAD_SIGNATURE_INVALID",
         "PROOF_SD_SIGNATURE_UNMATCHED", "PROOF_SD_BASE_NOT_DERIVED"]


def test_every_code_is_in_the_source_in_italian_and_in_the_manual():
    from mcred.proofs import ecdsa_sd_derive

    source = Path(sd.__file__).read_text(encoding="utf-8")
    manual = DOCS.read_text(encoding="utf-8")
    assert set(CODES) == set(re.findall(r'"(PROOF_SD_[A-Z_]+)"', source))
    derive_codes = set(re.findall(r'"(DERIVE_[A-Z_]+)"', Path(ecdsa_sd_derive.__file__).read_text(encoding="utf-8")))
    assert derive_codes == {"DERIVE_NOT_BASE", "DERIVE_POINTER_INVALID", "DERIVE_FAILED"}
    for code in [*CODES, *sorted(derive_codes)]:
        assert code in _CATALOGUE, code
        assert f"`{code}`" in manual, code


# --- hostile proofValues: a ProofError, never a crash -----------------------------------------------------

_PIECES = [bytes.fromhex(x) for x in (
    "d81c82",    # shareable: a value that may refer to itself
    "d81d00",    # a shared reference
    "c1fb41d0",  # an epoch date
    "d9010283",  # a set
    "c249",      # a bignum
    "d9d9f7",    # self-described CBOR
    "9f", "bf",  # indefinite array, map
    "5bffffffffffffffff",  # a byte string longer than the input
    "85", "58", "40",
)]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.sampled_from([sd.BASE_HEADER, sd.DERIVED_HEADER]),
       st.lists(st.one_of(st.sampled_from(_PIECES), st.binary(max_size=6)), max_size=8))
def test_hostile_proof_values_are_refused_by_name(header, pieces):
    try:
        sd.parse_proof_value(raw(header + b"".join(pieces)), "$.proof.proofValue")
    except ProofError as exc:
        assert exc.code in {"PROOF_SD_CBOR", "PROOF_SD_SHAPE"}


# --- another implementation's derived proof: 1EdTech's Open Badges 3.0 validator fixture -------------------

OB30 = Path(__file__).parents[2] / "assets" / "realworld" / "1edtech-validator" / "ob30__sd__derivedcredential.json"


def resolve_from_the_issuers_document(vm_id):
    """The issuer's controller document, as a user would give it: it lists the P-256 Multikey the method names."""
    from mcred.keys.did_key import VerificationMethod
    from mcred.keys.multikey import public_key_from_multibase

    controller, _, fragment = vm_id.partition("#")
    assert controller == "https://1edtech.edu/issuers/565049"
    return VerificationMethod(vm_id, controller, public_key_from_multibase(fragment))


def test_an_open_badge_derived_by_another_implementation_verifies_and_its_tampers_fail():
    badge = load_json(OB30)
    proof = sd.verify_sd_proof(badge, 0, "$.proof[0]", resolve=resolve_from_the_issuers_document)
    assert proof.controller == "https://1edtech.edu/issuers/565049"
    for edit in (lambda d: d["credentialSubject"]["achievement"].update(name="Leadership"),
                 lambda d: d["issuer"].update(name="Another Corp")):
        with pytest.raises(ProofError) as caught:
            sd.verify_sd_proof(changed(badge, edit), 0, "$.proof[0]", resolve=resolve_from_the_issuers_document)
        assert caught.value.code in ("PROOF_SIGNATURE_INVALID", "PROOF_SD_QUAD_SIGNATURE_INVALID")


def test_the_open_badge_verifies_with_its_issuers_controller_document_given_and_not_without():
    """End to end: the key comes from a controller document the user gives (--did-documents), checked like
    any other (listed under assertionMethod, controlled by the document's id); without it, the report says
    which document to give."""
    from mcred.keys.documents import documents_from
    from mcred.report import VerifyOptions
    from mcred.verify.runner import verify_credential

    badge = load_json(OB30)
    vm_id = badge["proof"]["verificationMethod"] if isinstance(badge["proof"], dict) else badge["proof"][0][
        "verificationMethod"]
    issuer = vm_id.partition("#")[0]
    document = {"id": issuer, "verificationMethod": [{"id": vm_id, "type": "Multikey", "controller": issuer,
                                                      "publicKeyMultibase": vm_id.partition("#")[2]}],
                "assertionMethod": [vm_id]}
    given = VerifyOptions(documents=documents_from([(document, "issuer.json")]))
    proofs = [c for c in verify_credential(badge, options=given).checks if c.check == "proof"]
    assert [c.status.value for c in proofs] == ["passed"] and proofs[0].code == "PROOF_OK"
    missing = [c.code for c in verify_credential(badge, options=VerifyOptions()).checks if c.check == "proof"]
    assert missing == ["KEY_DOCUMENT_MISSING"]
    only_authentication = {**document, "assertionMethod": [], "authentication": [vm_id]}
    refused = verify_credential(badge, options=VerifyOptions(documents=documents_from([(only_authentication, "x")])))
    assert [c.code for c in refused.checks if c.check == "proof"] == ["KEY_METHOD_NOT_AUTHORISED"]

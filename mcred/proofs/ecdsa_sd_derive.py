"""Deriving an ``ecdsa-sd-2023`` proof from a base proof: what a holder does before showing a credential.

W3C Data Integrity ECDSA Cryptosuites v1.0, 3.5.4 createDisclosureData, with the selective-disclosure
primitives it uses (skolemisation, JSON pointer selection, canonicalise-and-group). Deriving signs nothing:
it picks, from the base proof, the statement signatures of what is disclosed, and gives the verifier the
label map and the mandatory indexes of the disclosed document. mcred verifies what it derived before
returning it, so a document this code would read differently from the issuer (see ``_skolemize``) fails
here, by name, instead of reaching a verifier.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass

from mcred.errors import InputError
from mcred.proofs import ecdsa_sd as sd
from mcred.proofs.data_integrity import ProofError, proofs_of

_SKOLEM = "urn:bnid:"


class DeriveError(InputError):
    """A base proof that cannot be derived as asked (a pointer that selects nothing, not a base proof...)."""


def derive_proof(document: dict, selective_pointers: list[str], *, file: str | None = None) -> dict:
    """The document disclosing only its mandatory statements and those ``selective_pointers`` select
    (JSON pointers, RFC 6901), with a derived ``ecdsa-sd-2023`` proof; the base proof is verified first."""
    proofs = proofs_of(document)
    if len(proofs) != 1 or not isinstance(proofs[0], dict) or proofs[0].get("cryptosuite") != sd.SUITE:
        raise DeriveError("derive needs a document with one ecdsa-sd-2023 base proof", file=file, path="$.proof",
                          code="DERIVE_NOT_BASE", hint="give the credential exactly as the issuer sent it")
    base_proof = proofs[0]
    # the holder checks what they hold first: a base proof that does not verify is not derived
    from mcred.proofs.data_integrity import verify_proof

    verify_proof(document, 0, file=file)
    parsed = sd.parse_proof_value(base_proof.get("proofValue"), "$.proof.proofValue")
    if not parsed.base:
        raise DeriveError("the proof is derived already; only a base proof can be derived", file=file,
                          path="$.proof.proofValue", code="DERIVE_NOT_BASE",
                          hint="derive again from the base credential the issuer sent")
    mandatory_pointers = parsed.mandatory_pointers
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    combined_pointers = mandatory_pointers + list(selective_pointers)

    groups = _canonicalize_and_group(unsecured, parsed.hmac_key, {
        "mandatory": mandatory_pointers, "selective": list(selective_pointers), "combined": combined_pointers},
        file)
    combined = sorted(groups.matching["combined"])
    mandatory = sorted(groups.matching["mandatory"])
    non_mandatory = [i for i in range(len(groups.nquads)) if i not in groups.matching["mandatory"]]
    selective = groups.matching["selective"]
    # the base signatures are in the order of the non-mandatory statements: keep those disclosed
    signatures = [signature for i, signature in zip(non_mandatory, parsed.signatures, strict=True)
                  if i in selective]
    mandatory_indexes = [combined.index(i) for i in mandatory]

    reveal = select_json_ld(combined_pointers, unsecured)
    if reveal is None:
        raise DeriveError("nothing to disclose: no mandatory pointer and no pointer given", file=file,
                          code="DERIVE_POINTER_INVALID", path="$",
                          hint="name what to disclose with --disclose /credentialSubject/...")
    # the verifier's label map: the reveal document's canonical labels -> the issuer's HMAC labels
    canonical_ids = _canonical_ids(groups.selection_quads["combined"])
    label_map = {c14n: groups.label_map[label] for label, c14n in canonical_ids.items()}
    value = _encode_derived(parsed.base_signature, parsed.public_key, signatures, label_map, mandatory_indexes)
    derived = {**reveal, "proof": {**base_proof, "proofValue": value}}
    try:
        verify_proof(derived, 0, file=file)
    except ProofError as exc:  # a form this code does not read as the issuer did (see _skolemize)
        raise DeriveError(f"the derived proof does not verify ({exc.code}: {exc.message}); mcred cannot derive "
                          "from this document", file=file, code="DERIVE_FAILED", path="$.proof",
                          hint="derive it with another selective-disclosure wallet") from None
    return derived


# --------------------------------------------------------------------------
# JSON pointer selection (the selective-disclosure primitives' selectJsonLd)
# --------------------------------------------------------------------------


class _Sparse(dict):
    """An array being selected: index -> value, made dense (in index order) at the end."""


def parse_pointer(pointer: str) -> list[str | int]:
    """RFC 6901: '/a/0/b~1c' -> ['a', 0, 'b/c']; array indexes as integers."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise DeriveError(f"{pointer!r} is not a JSON pointer (RFC 6901)", code="DERIVE_POINTER_INVALID",
                          hint="a pointer starts with / and names keys and array indexes, e.g. /credentialSubject/name",
                          params={"pointer": pointer})
    paths: list[str | int] = []
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        paths.append(int(part) if part.isdigit() else part)
    return paths


def select_json_ld(pointers: list[str], document: dict) -> dict | None:
    """The part of ``document`` the pointers select, with the id (unless a blank node) and type of every object
    on the way, and the document's ``@context``; None for no pointers."""
    if not pointers:
        return None
    selection = _initial_selection(document)
    if "@context" in document:
        selection["@context"] = copy.deepcopy(document["@context"])
    for pointer in pointers:
        paths = parse_pointer(pointer)
        if not paths:
            return copy.deepcopy(document)
        _select_paths(document, pointer, paths, selection)
    return _dense(selection)


def _select_paths(document: dict, pointer: str, paths: list, selection: dict) -> None:
    value = document
    selected_parent = selected = selection
    for path in paths:
        selected_parent = selected
        if isinstance(value, list) and isinstance(path, int) and path < len(value):
            value = value[path]
        elif isinstance(value, dict) and str(path) in value:
            value = value[str(path)]
        else:
            raise DeriveError(f"JSON pointer {pointer!r} does not match the document",
                              code="DERIVE_POINTER_INVALID", params={"pointer": pointer},
                              hint="point at a key or array index the credential has (RFC 6901; ~1 for /)")
        key = path if isinstance(selected_parent, (_Sparse, list)) else str(path)
        selected = _get(selected_parent, key)
        if selected is None:
            selected = _Sparse() if isinstance(value, list) else _initial_selection(value)
            _set(selected_parent, key, selected)
    if not isinstance(value, (dict, list)):
        final = value
    elif isinstance(value, list):
        final = copy.deepcopy(value)
    else:
        final = {**selected, **copy.deepcopy(value)}
    _set(selected_parent, key, final)


def _get(parent, key):
    """What the selection holds at ``key`` so far: a dict's or sparse array's entry, or an element of an array
    copied whole by an earlier pointer (a type, say)."""
    if isinstance(parent, list):
        return parent[key] if isinstance(key, int) and key < len(parent) else None
    return parent.get(key)


def _set(parent, key, value) -> None:
    if isinstance(parent, list):
        if isinstance(key, int) and key < len(parent):
            parent[key] = value
        return  # an element the copy has already (the document's own array, copied whole)
    parent[key] = value


def _initial_selection(value) -> dict:
    selection = {}
    if isinstance(value, dict):
        node_id = value.get("id")
        if isinstance(node_id, str) and not node_id.startswith("_:"):
            selection["id"] = node_id
        if "type" in value:
            selection["type"] = copy.deepcopy(value["type"])
    return selection


def _dense(value):
    if isinstance(value, _Sparse):
        return [_dense(value[i]) for i in sorted(value)]
    if isinstance(value, dict):
        return {k: _dense(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dense(v) for v in value]
    return value


# --------------------------------------------------------------------------
# canonicalise and group (the primitives' canonicalizeAndGroup)
# --------------------------------------------------------------------------


@dataclass
class _Groups:
    nquads: list[str]                       # the whole document's statements, HMAC-relabelled, sorted
    label_map: dict[str, str]               # deskolemised blank-node label -> HMAC label
    matching: dict[str, set[int]]           # group -> indexes of ``nquads`` its pointers select
    selection_quads: dict[str, list]        # group -> its selection's deskolemised quads


def _canonicalize_and_group(document: dict, hmac_key: bytes, groups: dict[str, list[str]],
                            file: str | None) -> _Groups:
    from mcred.jsonld.rdfc import canonicalize

    skolemized = _skolemize(document)
    quads = _deskolemized_quads(skolemized, file)
    canonical = canonicalize(quads)
    hmac_labels = sd.hmac_label_map(hmac_key, canonical.nquads.splitlines(keepends=True))
    label_map = {label: hmac_labels[c14n] for label, c14n in canonical.issued.items()}
    nquads = sd.relabel(canonical.nquads.splitlines(keepends=True), hmac_labels)
    position = {quad: i for i, quad in enumerate(nquads)}
    matching, selection_quads = {}, {}
    for name, pointers in groups.items():
        selection = select_json_ld(pointers, skolemized)
        selected = _deskolemized_quads(selection, file) if selection is not None else []
        selection_quads[name] = selected
        lines = {_serialize_relabelled(quad, label_map) for quad in selected}
        matching[name] = {position[line] for line in lines if line in position}
    return _Groups(nquads, label_map, matching, selection_quads)


def _skolemize(document):
    """The document with an id on every JSON object that describes a node, ``urn:bnid:...`` for a blank one.

    This works on the compact form, as the primitives' pointers do: an object is taken to describe a node
    unless it is a value, list or set object, or the context. A term whose values are JSON literals or maps
    (``@json``, ``@language``/``@index`` containers) would be misread; the derived proof's own verification
    then fails (DERIVE_FAILED) rather than a wrong proof being made.
    """
    counter = itertools.count()

    def walk(value):
        if isinstance(value, list):
            return [walk(item) for item in value]
        if not isinstance(value, dict):
            return value
        if any(k in value for k in ("@value", "@list", "@set")):
            return {k: (v if k == "@context" else walk(v)) for k, v in value.items()}
        out = {k: (v if k == "@context" else walk(v)) for k, v in value.items()}
        node_id = out.get("id", out.get("@id"))
        if node_id is None:
            out["id"] = f"{_SKOLEM}sk{next(counter)}"
        elif isinstance(node_id, str) and node_id.startswith("_:"):
            out["id" if "id" in out else "@id"] = _SKOLEM + node_id[2:]
        return out

    return walk(document)


def _deskolemized_quads(document: dict, file: str | None) -> list:
    """The document's RDF quads, every ``urn:bnid:X`` IRI turned back into the blank node ``_:X``."""
    from mcred.jsonld.process import to_quads
    from mcred.jsonld.rdfc import Term

    def back(term):
        if term is not None and term.kind == "iri" and term.value.startswith(_SKOLEM):
            return Term("bnode", term.value[len(_SKOLEM):])
        return term

    return [type(quad)(*(back(term) for term in quad)) for quad in to_quads(document, file=file)]


def _serialize_relabelled(quad, label_map: dict[str, str]) -> str:
    from mcred.jsonld.rdfc import Term, serialize_quad

    def rename(term):
        if term is not None and term.kind == "bnode":
            return Term("bnode", label_map.get(term.value, term.value))
        return term

    return serialize_quad(type(quad)(*(rename(term) for term in quad)))


def _canonical_ids(quads: list) -> dict[str, str]:
    from mcred.jsonld.rdfc import canonicalize

    return canonicalize(quads).issued


def _encode_derived(base_signature: bytes, public_key: bytes, signatures: list[bytes], label_map: dict[str, str],
                    mandatory: list[int]) -> str:
    """Spec 3.5.7 serializeDerivedProofValue, with 3.5.5 compressLabelMap."""
    import base64

    import cbor2

    compressed = {int(k.removeprefix("c14n")): base64.urlsafe_b64decode(v[1:] + "=" * (-len(v[1:]) % 4))
                  for k, v in label_map.items()}
    data = sd.DERIVED_HEADER + cbor2.dumps([base_signature, public_key, signatures, compressed, mandatory])
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

"""``ecdsa-sd-2023``: ECDSA selective-disclosure proofs (W3C Data Integrity ECDSA Cryptosuites v1.0, 3.4-3.6).

An issuer signs a *base proof* and gives it to the holder; the holder *derives* from it a proof that
discloses only some statements, and shows that one. mcred verifies both:

* a **derived** proof (header ``0xd9 0x5d 0x01``): the disclosed document is canonicalised with RDFC-1.0,
  its blank nodes are renamed with the proof's label map (the issuer's HMAC-based ``_:u...`` labels), the
  N-Quads are split into mandatory ones (``mandatoryIndexes``) and the others; the issuer's key signs
  ``SHA-256(proof configuration) || ephemeral public key || SHA-256(mandatory N-Quads)`` (the base
  signature), and the ephemeral key signs each other N-Quad on its own (spec 3.6.2, 3.5.8-3.5.9);
* a **base** proof (header ``0xd9 0x5d 0x00``), for its holder: the labels are computed with the HMAC key the
  proof carries, every N-Quad is checked the same way, and the result carries the warning
  ``PROOF_SD_BASE_NOT_DERIVED``: a base proof holds the HMAC key and every statement, so it must be derived
  before it is shown to anyone.

For a base proof mcred does not re-run the issuer's JSON-pointer selection to learn which N-Quads were
mandatory. It does not need to: the ephemeral signatures are in the order of the non-mandatory N-Quads, and a
signature verifies only the one N-Quad it was made for, so walking the N-Quads in order, each one the next
signature verifies is non-mandatory and the others are mandatory. The verdict is then the same as for a
derived proof: every N-Quad is covered, either by its own signature or by the base signature, and the base
signature binds the ephemeral key. What is signed is what is checked.

Everything is read from the proof and the document; nothing is fetched. ECDSA and HMAC are `cryptography`'s.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from mcred.errors import InputError
from mcred.keys import multibase
from mcred.keys.did_key import ResolutionError, VerificationMethod, resolve_verification_method
from mcred.proofs.data_integrity import (
    SUITE_VERIFIERS,
    ProofError,
    VerifiedProof,
    _config_nquads,
    _proof_terms_error,
    _remembered,
    _unsecured,
    proofs_of,
    with_proof_context,
)

SUITE = "ecdsa-sd-2023"

#: the CBOR tags (0xd9 = a tag with a two-byte number) that start a base and a derived proofValue (spec 3.5.2, 3.5.7)
BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"

#: a P-256 public key as multikey bytes: the multicodec p256-pub (0x1200, varint 0x80 0x24) + a compressed point
_P256_MULTIKEY_LENGTH = 35
_SIGNATURE_LENGTH = 64  # P-256 ECDSA, IEEE P1363 r || s
_HMAC_KEY_LENGTH = 32

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class _SdProof:
    """A parsed proofValue: ``hmac_key`` is set for a base proof, ``label_map`` and ``mandatory`` for a derived one."""

    base: bool
    base_signature: bytes
    public_key: bytes
    signatures: list[bytes]
    hmac_key: bytes | None = None
    label_map: dict[str, str] | None = None
    mandatory: list[int] | None = None
    mandatory_pointers: list[str] | None = None  # a base proof's: what the holder must always disclose


def verify_sd_proof(document: dict, index: int, path: str, *, file: str | None = None,
                    expanded: list | None = None,
                    resolve: Callable[[str], VerificationMethod] = resolve_verification_method) -> VerifiedProof:
    """Verify the ``ecdsa-sd-2023`` proof at ``index`` (a base or a derived one); raise ProofError if it fails.

    The generic checks (purpose, dates) are done by the caller, mcred.proofs.data_integrity.verify_proof,
    which also hands over how it resolves verification methods (``resolve``), so that every suite finds the
    issuer's key the same way.
    """
    proof = proofs_of(document)[index]
    parsed = parse_proof_value(proof.get("proofValue"), f"{path}.proofValue")
    vm_id = proof.get("verificationMethod")
    try:
        method = resolve(vm_id)
    except ResolutionError as exc:
        raise ProofError("PROOF_KEY_UNRESOLVABLE", str(exc), path=f"{path}.verificationMethod",
                         method=vm_id) from None
    _require_p256(method.public_key, f"{path}.verificationMethod", "the issuer's key")
    ephemeral = _ephemeral_key(parsed.public_key, f"{path}.proofValue")

    if "previousProof" in proof:
        # deriving keeps one proof, so a chain could not be checked by whoever receives the derived one
        raise ProofError("PROOF_MALFORMED", "an ecdsa-sd-2023 proof cannot chain to previousProof",
                         path=f"{path}.previousProof", field="previousProof")
    unsecured, config_nquads = unsecured_and_config(document, proof, path, file=file)
    proof_hash = hashlib.sha256(config_nquads).digest()
    canonical = canonical_statements(unsecured, file=file,
                                     expanded=expanded if "@context" not in proof else None)

    if parsed.base:
        labels = hmac_label_map(parsed.hmac_key, canonical)
        nquads = relabel(canonical, labels)
        mandatory, non_mandatory = _split_by_signatures(nquads, parsed.signatures, ephemeral)
        if len(non_mandatory) != len(parsed.signatures):
            raise ProofError("PROOF_SD_SIGNATURE_UNMATCHED",
                             f"only {len(non_mandatory)} of the base proof's {len(parsed.signatures)} statement "
                             "signatures match statements of the document, in order: it was changed after signing",
                             path=f"{path}.proofValue", matched=len(non_mandatory), total=len(parsed.signatures))
    else:
        nquads = relabel(canonical, _checked_label_map(parsed.label_map, canonical, path))
        mandatory, non_mandatory = split_mandatory(nquads, parsed.mandatory, f"{path}.proofValue")
        if len(parsed.signatures) != len(non_mandatory):
            raise ProofError("PROOF_SD_SIGNATURE_COUNT",
                             f"the proof has {len(parsed.signatures)} statement signatures for "
                             f"{len(non_mandatory)} disclosed non-mandatory statements",
                             path=f"{path}.proofValue", signatures=len(parsed.signatures),
                             statements=len(non_mandatory))
    mandatory_hash = hashlib.sha256("".join(mandatory).encode("utf-8")).digest()
    # the base signature first: it is what binds the ephemeral key that signs the other statements
    if not method.public_key.verify(parsed.base_signature, proof_hash + parsed.public_key + mandatory_hash):
        raise ProofError("PROOF_SIGNATURE_INVALID",
                         "the base signature does not match the proof and the mandatory statements: "
                         "they were changed after signing, or another key signed",
                         path=f"{path}.proofValue")
    if not parsed.base:
        for number, (quad, signature) in enumerate(zip(non_mandatory, parsed.signatures, strict=True)):
            if not ephemeral.verify(signature, quad.encode("utf-8")):
                raise ProofError("PROOF_SD_QUAD_SIGNATURE_INVALID",
                                 f"the signature of disclosed statement {number + 1} does not match it: "
                                 f"{quad.strip()}", path=f"{path}.proofValue", quad=quad.strip(),
                                 number=number + 1)
    warnings = ()
    if parsed.base:
        warnings = (("PROOF_SD_BASE_NOT_DERIVED",
                     "this ecdsa-sd-2023 proof is a base proof, for its holder: it holds the issuer's HMAC key "
                     "and every statement; derive a proof disclosing what is needed before showing it to anyone",
                     "derive it (`mcred derive BASE.json --disclose POINTER --out SHOWN.json`) and show that; "
                     "never send a base proof to a verifier"),)
    return VerifiedProof(index=index, suite=SUITE, verification_method=method.id,
                         controller=method.controller, public_key=method.public_key,
                         created=proof.get("created"), warnings=warnings)


SUITE_VERIFIERS[SUITE] = verify_sd_proof


# --------------------------------------------------------------------------
# proofValue (spec 3.5.3 parseBaseProofValue, 3.5.8 parseDerivedProofValue)
# --------------------------------------------------------------------------


def parse_proof_value(value: object, path: str) -> _SdProof:
    """The components of a base or derived proofValue; ProofError names what is wrong."""
    if value is None:
        raise ProofError("PROOF_VALUE_MISSING", "the proof has no proofValue", path=path.rsplit(".", 1)[0])
    if not isinstance(value, str) or not value.startswith("u") or not _BASE64URL.fullmatch(value[1:]):
        raise ProofError("PROOF_VALUE_ENCODING", "an ecdsa-sd-2023 proofValue must be multibase base64url "
                         "('u' then base64url without padding)", path=path, detail="not base64url multibase")
    try:
        data = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
    except ValueError as exc:
        raise ProofError("PROOF_VALUE_ENCODING", f"proofValue is not base64url: {exc}", path=path,
                         detail=str(exc)) from None
    header = data[:3]
    if header not in (BASE_HEADER, DERIVED_HEADER):
        raise ProofError("PROOF_SD_HEADER", f"the proofValue starts with 0x{header.hex()}, not an ecdsa-sd-2023 "
                         "header (0xd95d00 for a base proof, 0xd95d01 for a derived one)", path=path,
                         header=header.hex())
    items = _cbor(data[3:], path)
    base = header == BASE_HEADER
    if not isinstance(items, list) or len(items) != 5:
        raise _shape(path, "an array of 5 components")
    if base:
        base_signature, public_key, hmac_key, signatures, pointers = items
        if not (isinstance(hmac_key, bytes) and len(hmac_key) == _HMAC_KEY_LENGTH):
            raise _shape(path, f"an HMAC key of {_HMAC_KEY_LENGTH} bytes")
        if not (isinstance(pointers, list) and all(isinstance(p, str) for p in pointers)):
            raise _shape(path, "mandatory pointers as an array of strings")
    else:
        base_signature, public_key, signatures, compressed, mandatory = items
        label_map = _decompress_label_map(compressed, path)
        if not (isinstance(mandatory, list)
                and all(isinstance(i, int) and not isinstance(i, bool) for i in mandatory)):
            raise _shape(path, "mandatory indexes as an array of integers")
    if not (isinstance(base_signature, bytes) and len(base_signature) == _SIGNATURE_LENGTH):
        raise _shape(path, f"a base signature of {_SIGNATURE_LENGTH} bytes")
    if not (isinstance(public_key, bytes) and len(public_key) == _P256_MULTIKEY_LENGTH):
        raise _shape(path, f"a P-256 multikey public key of {_P256_MULTIKEY_LENGTH} bytes")
    if not (isinstance(signatures, list)
            and all(isinstance(s, bytes) and len(s) == _SIGNATURE_LENGTH for s in signatures)):
        raise _shape(path, f"statement signatures as an array of {_SIGNATURE_LENGTH}-byte strings")
    if base:
        return _SdProof(True, base_signature, public_key, signatures, hmac_key=hmac_key, mandatory_pointers=pointers)
    return _SdProof(False, base_signature, public_key, signatures, label_map=label_map, mandatory=mandatory)


def _cbor(data: bytes, path: str):
    import cbor2

    stream = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        raise ProofError("PROOF_SD_CBOR", f"the proofValue's components are not valid CBOR ({exc})", path=path,
                         detail=str(exc)) from None
    if stream.tell() != len(data):
        raise ProofError("PROOF_SD_CBOR", f"the proofValue has {len(data) - stream.tell()} bytes after its "
                         "CBOR value", path=path, detail="trailing bytes")
    return value


def _shape(path: str, wanted: str) -> ProofError:
    return ProofError("PROOF_SD_SHAPE", f"the proofValue's CBOR does not have the ecdsa-sd-2023 shape: "
                      f"expected {wanted}", path=path, wanted=wanted)


def _decompress_label_map(compressed: object, path: str) -> dict[str, str]:
    """Spec 3.5.6 decompressLabelMap: {N: 32 bytes} -> {"c14nN": "u" + base64url(bytes)}."""
    if not isinstance(compressed, dict) or not all(
            isinstance(k, int) and not isinstance(k, bool) and k >= 0
            and isinstance(v, bytes) and len(v) == 32 for k, v in compressed.items()):
        raise _shape(path, "a label map of canonical numbers to 32-byte HMAC values")
    return {f"c14n{k}": "u" + _b64url(v) for k, v in compressed.items()}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --------------------------------------------------------------------------
# The statements: canonical N-Quads, relabelled (spec 3.4.x labelReplacementCanonicalize)
# --------------------------------------------------------------------------


def unsecured_and_config(document: dict, proof: dict, path: str = "$.proof", *,
                         file: str | None = None) -> tuple[dict, bytes]:
    """The document without its proof, and the canonical N-Quads of the proof configuration (spec 3.5.1).

    The configuration is the proof without ``proofValue``, with the document's ``@context``; a proof that
    carries its own ``@context`` must give a prefix of the document's, and that is what is signed.
    """
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = with_proof_context(_unsecured(document, None), document, options, path)
    config = dict(options)
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    try:
        return unsecured, _remembered(_config_nquads, config)
    except InputError as exc:
        raise _proof_terms_error(exc, file) from exc


def canonical_statements(unsecured: dict, *, file: str | None = None, expanded: list | None = None) -> list[str]:
    """The document's canonical N-Quads (RDFC-1.0, labels ``_:c14nN``), one string per line with its newline.

    ``expanded`` is the whole (secured) document's expanded form, when the caller has it.
    """
    from mcred.jsonld.process import canonical_nquads, without_proof

    unsecured_expanded = without_proof(expanded) if expanded is not None else None
    text = canonical_nquads(unsecured, file=file, expanded=unsecured_expanded)
    return text.splitlines(keepends=True)


def canonical_labels(nquads: list[str]) -> list[str]:
    """The canonical blank-node labels (``c14nN``) the N-Quads use, in order of first use."""
    from mcred.jsonld.rdfc import parse_nquads

    seen: dict[str, None] = {}
    for quad in parse_nquads("".join(nquads)):
        for term in quad:
            if term is not None and term.kind == "bnode":
                seen.setdefault(term.value, None)
    return list(seen)


def hmac_label_map(hmac_key: bytes, nquads: list[str]) -> dict[str, str]:
    """Spec 3.4.3 createHmacIdLabelMapFunction: each ``c14nN`` -> ``u`` + base64url(HMAC-SHA-256(key, "c14nN"))."""
    from cryptography.hazmat.primitives import hashes, hmac

    labels = {}
    for label in canonical_labels(nquads):
        mac = hmac.HMAC(hmac_key, hashes.SHA256())
        mac.update(label.encode("utf-8"))
        labels[label] = "u" + _b64url(mac.finalize())
    return labels


def relabel(nquads: list[str], labels: dict[str, str]) -> list[str]:
    """The N-Quads with every blank node renamed by ``labels`` (canonical label -> new label), sorted again.

    The lines are parsed and written again, so that only blank-node terms are renamed, never text inside a
    literal that happens to look like a label.
    """
    from mcred.jsonld.rdfc import Term, parse_nquads, serialize_quad

    def rename(term: Term | None) -> Term | None:
        if term is None or term.kind != "bnode":
            return term
        return Term("bnode", labels[term.value])

    return sorted(serialize_quad(type(quad)(*(rename(term) for term in quad)))
                  for quad in parse_nquads("".join(nquads)))


def _checked_label_map(label_map: dict[str, str], nquads: list[str], path: str) -> dict[str, str]:
    """The derived proof's label map, if it names exactly the document's blank nodes, each with its own label."""
    used = set(canonical_labels(nquads))
    if set(label_map) != used:
        missing = sorted(used - set(label_map))
        extra = sorted(set(label_map) - used)
        detail = "; ".join(part for part in (
            f"no label for {', '.join(missing)}" if missing else "",
            f"labels for blank nodes the document does not have: {', '.join(extra)}" if extra else "") if part)
        raise ProofError("PROOF_SD_LABEL_MAP_MISMATCH", f"the proof's label map does not fit the disclosed "
                         f"document's blank nodes ({detail})", path=f"{path}.proofValue", detail=detail)
    if len(set(label_map.values())) != len(label_map):
        # two blank nodes of the document given one label would be one node in what is checked
        raise ProofError("PROOF_SD_LABEL_MAP_MISMATCH", "the proof's label map gives two blank nodes the "
                         "same label", path=f"{path}.proofValue", detail="a label used twice")
    return label_map


def split_mandatory(nquads: list[str], indexes: list[int], path: str) -> tuple[list[str], list[str]]:
    """Spec 3.5.9 steps 5-6: the N-Quads at ``indexes`` are mandatory, the others are not (both in order)."""
    wanted = set(indexes)
    if len(wanted) != len(indexes) or any(i < 0 or i >= len(nquads) for i in indexes):
        raise ProofError("PROOF_SD_MANDATORY_INDEXES", f"the proof's mandatory indexes {indexes} are repeated "
                         f"or outside the {len(nquads)} disclosed statements", path=path,
                         statements=len(nquads))
    mandatory = [quad for i, quad in enumerate(nquads) if i in wanted]
    return mandatory, [quad for i, quad in enumerate(nquads) if i not in wanted]


def _split_by_signatures(nquads: list[str], signatures: list[bytes], key) -> tuple[list[str], list[str]]:
    """A base proof's split: in order, each N-Quad that the next statement signature verifies is non-mandatory."""
    mandatory, non_mandatory = [], []
    for quad in nquads:
        if len(non_mandatory) < len(signatures) and key.verify(signatures[len(non_mandatory)], quad.encode()):
            non_mandatory.append(quad)
        else:
            mandatory.append(quad)
    return mandatory, non_mandatory


# --------------------------------------------------------------------------
# keys
# --------------------------------------------------------------------------


def _ephemeral_key(raw: bytes, path: str):
    """The proof's ephemeral key, from its multikey bytes; it must be P-256 (spec 3.5.2)."""
    from mcred.keys.multikey import public_key_from_multibase

    try:
        key = public_key_from_multibase(multibase.encode(raw))
    except ValueError as exc:  # multikey.KeyDecodeError: not a key, or a point not on the curve
        raise ProofError("PROOF_SD_SHAPE", f"the proof's ephemeral public key is not a multikey: {exc}",
                         path=path, wanted="a P-256 multikey public key") from None
    _require_p256(key, path, "the proof's ephemeral key")
    return key


def _require_p256(key, path: str, what: str) -> None:
    from mcred.keys.multikey import key_type_name

    kind = key_type_name(key)
    if kind != "P-256":
        raise ProofError("PROOF_SD_KEY_TYPE", f"{what} is {kind}; ecdsa-sd-2023 signs with P-256 keys",
                         path=path, what=what, kind=kind)

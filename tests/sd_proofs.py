"""ecdsa-sd-2023 proofs made in the tests, with `cryptography`: base proofs, and derived proofs that disclose
everything (mcred only verifies these proofs; the tests need ones whose issuer is the signer).

The proofValue encoders are also what the negative tests use to change one component of a real proof.
"""

from __future__ import annotations

import base64
import hashlib

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from mcred.keys import multibase
from mcred.proofs import ecdsa_sd as sd

CREATED = "2026-11-01T09:00:00Z"


def p256_key(seed: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(seed, ec.SECP256R1())


def multikey_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    """p256-pub multicodec (0x1200 as a varint) + the compressed point."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return b"\x80\x24" + key.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)


def did_of(key: ec.EllipticCurvePrivateKey) -> str:
    return "did:key:" + multibase.encode(multikey_bytes(key))


def sign(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """ECDSA P-256 with SHA-256, as IEEE P1363 r || s."""
    r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def encode(header: bytes, items: list) -> str:
    return "u" + base64.urlsafe_b64encode(header + cbor2.dumps(items)).rstrip(b"=").decode()


def encode_derived(base_signature: bytes, public_key: bytes, signatures: list[bytes], label_map: dict[str, str],
                   mandatory: list[int]) -> str:
    """Spec 3.5.7 serializeDerivedProofValue (with 3.5.5 compressLabelMap)."""
    compressed = {int(k.removeprefix("c14n")): base64.urlsafe_b64decode(v[1:] + "=" * (-len(v[1:]) % 4))
                  for k, v in label_map.items()}
    return encode(sd.DERIVED_HEADER, [base_signature, public_key, signatures, compressed, mandatory])


def components(document: dict):
    return sd.parse_proof_value(document["proof"]["proofValue"], "$.proof.proofValue")


def with_derived(document: dict, **changes) -> dict:
    """The document with its derived proofValue re-encoded, one or more components changed."""
    parsed = components(document)
    values = {"base_signature": parsed.base_signature, "public_key": parsed.public_key,
              "signatures": parsed.signatures, "label_map": parsed.label_map, "mandatory": parsed.mandatory}
    values.update(changes)
    return {**document, "proof": {**document["proof"], "proofValue": encode_derived(**values)}}


def add_sd_proof(document: dict, issuer: ec.EllipticCurvePrivateKey, *, derived: bool,
                 mandatory=lambda quad: False, hmac_key: bytes = bytes(range(32)), ephemeral_seed: int = 7) -> dict:
    """The document with an ecdsa-sd-2023 base proof, or a derived proof disclosing every statement.

    ``mandatory(quad)`` says which N-Quads (relabelled with the HMAC labels) the issuer makes mandatory.
    """
    did = did_of(issuer)
    proof = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023", "created": CREATED,
             "verificationMethod": f"{did}#{did.removeprefix('did:key:')}", "proofPurpose": "assertionMethod"}
    unsecured, config = sd.unsecured_and_config(document, proof)
    canonical = sd.canonical_statements(unsecured)
    labels = sd.hmac_label_map(hmac_key, canonical)
    nquads = sd.relabel(canonical, labels)
    ephemeral = p256_key(ephemeral_seed)
    indexes = [i for i, quad in enumerate(nquads) if mandatory(quad)]
    mandatory_quads, others = sd.split_mandatory(nquads, indexes, "$")
    public_key = multikey_bytes(ephemeral)
    base_signature = sign(issuer, hashlib.sha256(config).digest() + public_key
                          + hashlib.sha256("".join(mandatory_quads).encode()).digest())
    signatures = [sign(ephemeral, quad.encode()) for quad in others]
    if derived:
        value = encode_derived(base_signature, public_key, signatures, labels, indexes)
    else:
        value = encode(sd.BASE_HEADER, [base_signature, public_key, hmac_key, signatures, ["/issuer"]])
    return {**unsecured, "proof": {**proof, "proofValue": value}}

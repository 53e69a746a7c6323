"""W3C Data Integrity proofs with Ed25519.

Cryptosuites, per "Data Integrity EdDSA Cryptosuites v1.0" (vc-di-eddsa):

* ``eddsa-rdfc-2022`` (default): the document and the proof configuration are
  canonicalised with RDFC-1.0, hashed with SHA-256, and the concatenation
  ``hash(proof config) || hash(document)`` is signed;
* ``eddsa-jcs-2022``: the same over RFC 8785 (JCS) serialisations;
* ``Ed25519Signature2020`` (legacy, verify only): like eddsa-rdfc-2022, with
  its own proof type and no ``cryptosuite``;
* ``eddsa-2022`` (verify only): the name eddsa-rdfc-2022 had in drafts (1EdTech's
  Open Badges 3.0 fixtures use it); the same algorithm, byte for byte;
* ``Ed25519Signature2018`` (legacy, verify only): a detached JWS over the same
  hashes (mcred.proofs.jws2018).

and, per "Data Integrity ECDSA Cryptosuites v1.0" (vc-di-ecdsa), with P-256 or
P-384 keys:

* ``ecdsa-rdfc-2019``: like eddsa-rdfc-2022, with SHA-384 instead of SHA-256
  for a P-384 key, everywhere: inside RDFC-1.0 and for both hashes;
* ``ecdsa-jcs-2019``: like eddsa-jcs-2022, with the same choice of hash.

The key decides the hash (vc-di-ecdsa 3.3.4: SHA-256 for P-256, SHA-384 for
P-384); a key of the wrong type for the suite is PROOF_KEY_TYPE_MISMATCH.

Proof sets (several proofs, each over the document without the others) and
proof chains (``previousProof``: the proofs named are part of what is signed)
follow VC Data Integrity 1.0, section 4.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson

from mcred.dates import now_timestamp
from mcred.errors import InputError, McredError, SigningError, UsageError
from mcred.keys import multibase
from mcred.keys.did_key import VerificationMethod
from mcred.keys.multikey import AnyPublicKey, key_type_name
from mcred.messages import register

if TYPE_CHECKING:
    from mcred.keys.documents import Documents
    from mcred.keys.ecdsa import AnySigningKey

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
LEGACY_2020 = "Ed25519Signature2020"
LEGACY_2018 = "Ed25519Signature2018"
EDDSA_2022 = "eddsa-2022"
ECDSA_RDFC = "ecdsa-rdfc-2019"
ECDSA_JCS = "ecdsa-jcs-2019"
SUITES = (RDFC, JCS, ECDSA_RDFC, ECDSA_JCS)
#: every suite mcred verifies
VERIFIED_SUITES = (RDFC, JCS, ECDSA_RDFC, ECDSA_JCS, LEGACY_2020, LEGACY_2018, EDDSA_2022)
#: the suites that sign JSON text (RFC 8785), not the graph
JCS_SUITES = (JCS, ECDSA_JCS)
#: the suites whose transformation is RDFC-1.0
RDFC_SUITES = (RDFC, ECDSA_RDFC, LEGACY_2020, LEGACY_2018, EDDSA_2022)
#: the key types each suite signs with
_KEY_TYPES = {ECDSA_RDFC: ("P-256", "P-384"), ECDSA_JCS: ("P-256", "P-384")}
_EDDSA_KEY = ("Ed25519",)
#: the hash of the ECDSA suites, by curve (vc-di-ecdsa 3.3.4); Ed25519 suites use SHA-256
_HASHES = {"P-256": "sha256", "P-384": "sha384", "Ed25519": "sha256"}
DATA_INTEGRITY_PROOF = "DataIntegrityProof"
ASSERTION = "assertionMethod"

# XML Schema dateTime, as VC Data Integrity requires for created/expires.
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
)


class ProofError(McredError):
    """A proof that does not verify; ``code`` says why (see docs/verify.md, "Problem codes")."""

    exit_code = 1

    def __init__(self, code: str, message: str, *, path: str | None = None, hint: str | None = None,
                 **params):
        super().__init__(message, code=code, path=path, hint=hint, params=params)


@dataclass(frozen=True)
class CanonicalForms:
    """What a suite hashes: the canonical proof configuration and document, as bytes."""

    proof_config: bytes
    document: bytes
    hash_algorithm: str = "sha256"

    def hash_data(self) -> bytes:
        """vc-di-eddsa 3.3.4 / 3.4.4, vc-di-ecdsa 3.3.4 / 3.4.4: H(proof config) || H(document),
        H = SHA-256, or SHA-384 for a P-384 key."""
        return (hashlib.new(self.hash_algorithm, self.proof_config).digest()
                + hashlib.new(self.hash_algorithm, self.document).digest())


@dataclass(frozen=True)
class VerifiedProof:
    """A proof that verified, and who made it."""

    index: int
    suite: str
    verification_method: str
    controller: str
    public_key: AnyPublicKey
    created: str | None
    #: what the proof's suite says besides "valid": (code, English message, English hint) each, reported as warnings
    warnings: tuple[tuple[str, str, str | None], ...] = ()


def suite_of(proof: dict) -> str:
    """The suite name of a proof: its cryptosuite, or its legacy proof type."""
    if proof.get("type") == DATA_INTEGRITY_PROOF:
        return proof.get("cryptosuite") if isinstance(proof.get("cryptosuite"), str) else "?"
    return proof.get("type") if isinstance(proof.get("type"), str) else "?"


def canonical_forms(suite: str, unsecured: dict, options: dict, *, file: str | None = None,
                    expanded: list | None = None, plain_json: bool | None = None,
                    document_text: bytes | None = None, hash_algorithm: str = "sha256") -> CanonicalForms:
    """Transform the document and build the proof configuration for a suite.

    ``options`` is the proof without ``proofValue``. For the RDF suites the
    configuration takes the document's ``@context`` (vc-di-eddsa 3.3.5 step 4);
    for JCS it does too, when the document has one (3.4.5). ``expanded`` is the
    unsecured document's expanded form, when the caller has it already;
    ``plain_json`` says the document is known to be plain JSON (see mcred.jsonld.jcs);
    ``document_text`` is the unsecured document's JCS form, when the caller made it already.
    ``hash_algorithm`` is "sha384" for an ECDSA suite with a P-384 key: RDFC-1.0 then labels
    blank nodes with it too (vc-di-ecdsa 3.3.2), and ``hash_data`` uses it.
    """
    config = dict(options)
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    if suite in JCS_SUITES:
        from mcred.jsonld.jcs import canonical_json

        document = document_text if document_text is not None else canonical_json(unsecured, plain=plain_json)
        return CanonicalForms(canonical_json(config, plain=plain_json), document, hash_algorithm)
    if suite in RDFC_SUITES:
        from mcred.jsonld.process import canonical_nquads

        document = canonical_nquads(unsecured, file=file, expanded=expanded,
                                    hash_algorithm=hash_algorithm).encode("utf-8")
        try:
            proof_config = _remembered(_config_nquads, config, hash_algorithm)
        except InputError as exc:
            raise _proof_terms_error(exc, file) from exc
        return CanonicalForms(proof_config, document, hash_algorithm)
    raise ProofError("PROOF_UNSUPPORTED", f"unsupported proof suite {suite!r}", type=suite, cryptosuite=suite)


def _remembered(function, value: dict, *args):
    """``function(value, *args)`` for a small JSON value that recurs (a proof configuration: the same contexts,
    key, purpose and, across a batch, often the same time), remembered on its content: ``function`` takes the
    value's sorted JSON text and is an lru_cache (bounded; what raises is not remembered)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # not plain JSON (an integer beyond 64 bits): not worth remembering
        return function.__wrapped__(json.dumps(value, sort_keys=True).encode(), *args)
    return function(text, *args)


@lru_cache(maxsize=512)
def _config_nquads(config_json: bytes, hash_algorithm: str = "sha256") -> bytes:
    """The canonical N-Quads of a proof configuration (given as JSON text)."""
    from mcred.jsonld.process import canonical_nquads

    return canonical_nquads(json.loads(config_json), hash_algorithm=hash_algorithm).encode("utf-8")


def _proof_terms_error(exc: InputError, file: str | None) -> InputError:
    return InputError(
        f"the document's contexts do not define the proof's terms ({exc.message})",
        file=file,
        path="$['@context']",
        code="PROOF_TERMS_UNDEFINED",
        hint="add https://w3id.org/security/data-integrity/v2 to @context "
        "(VC 2.0's https://www.w3.org/ns/credentials/v2 already includes it)",
    )


def proofs_of(document: dict) -> list:
    """The document's proofs as a list (a single proof object counts as a set of one)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def _unsecured(document: dict, previous: list[dict] | None) -> dict:
    """The document without its proofs; with the chained-to proofs when there are any (DI 4.3)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if previous:
        unsecured["proof"] = previous
    return unsecured


def _previous_proofs(proof: dict, all_proofs: list, *, path: str) -> list[dict]:
    """The proofs a proof chains to through ``previousProof``; every id must be found."""
    ids = proof.get("previousProof")
    if ids is None:
        return []
    ids = [ids] if isinstance(ids, str) else ids
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ProofError("PROOF_MALFORMED", "previousProof must be a string or a list of strings",
                         path=f"{path}.previousProof", field="previousProof")
    found = []
    for wanted in ids:
        matches = [p for p in all_proofs if isinstance(p, dict) and p.get("id") == wanted]
        if not matches:
            raise ProofError("PROOF_CHAIN_BROKEN",
                             f"previousProof {wanted!r} names no proof in this document",
                             path=f"{path}.previousProof", id=wanted)
        found.extend(matches)
    return found


def add_proof(
    document: dict,
    key: AnySigningKey,
    *,
    suite: str = RDFC,
    created: str | None = None,
    proof_purpose: str = ASSERTION,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    file: str | None = None,
    copy: bool = True,
    expanded: list | None = None,
    challenge: str | None = None,
    domain: str | None = None,
) -> dict:
    """Return a copy of the document with one more proof, made with ``key``.

    Existing proofs are kept (a proof set); with ``previous_proof`` the new
    proof chains to the proofs with those ids. ``copy=False`` is for a caller
    that made the document and hands it over: the result then shares its
    objects instead of copying them (a tenth of issuing a credential).
    ``expanded`` is the expanded form of the document without its proofs, when
    the caller has it (issuing expands once, to lint and to sign). ``challenge`` and ``domain`` go into
    the proof (and so are signed): a presentation's proof binds them (VC Data Integrity 2.1).
    """
    if suite not in SUITES:
        raise SigningError(f"cannot sign with suite {suite!r}; choose one of {', '.join(SUITES)}")
    key_type = check_suite_key(suite, key)
    created = created or now_timestamp()
    if not _DATETIME.match(created):
        raise SigningError(f"created {created!r} is not an XML Schema dateTime",
                           hint="use e.g. 2026-01-31T12:00:00Z")
    options: dict = {"type": DATA_INTEGRITY_PROOF, "cryptosuite": suite}
    if proof_id:
        options["id"] = proof_id
    options.update(created=created, verificationMethod=key.verification_method,
                   proofPurpose=proof_purpose)
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    existing = proofs_of(document)
    if previous_proof is not None:
        options["previousProof"] = previous_proof
    previous = _previous_proofs(options, existing, path="$.proof")
    unsecured = _unsecured(document, previous)
    forms = canonical_forms(suite, unsecured, options, file=file, expanded=None if previous else expanded,
                            hash_algorithm=_HASHES[key_type])
    if suite in (RDFC, ECDSA_RDFC):
        # after the document's own check, so that its problems are named first
        _check_proof_terms(unsecured, options, file)
    proof = dict(options)
    if suite in JCS_SUITES and "@context" in unsecured:
        # vc-di-eddsa 3.4.1 / vc-di-ecdsa 3.4.1 step 4: the JCS proof carries the document's context
        proof["@context"] = unsecured["@context"]
    proof["proofValue"] = multibase.encode(key.sign(forms.hash_data()))
    signed = {k: v for k, v in document.items() if k != "proof"}
    if copy:
        signed = copy_json(signed)
    signed["proof"] = [*existing, proof] if existing else proof
    return signed


def check_suite_key(suite: str, key: AnySigningKey) -> str:
    """The key's type ('Ed25519', 'P-256', 'P-384'), once it is one the suite signs with; a UsageError
    SUITE_KEY_MISMATCH otherwise (an eddsa suite with a P-256 key, an ecdsa suite with an Ed25519 key)."""
    from mcred.keys.ecdsa import signing_key_type  # signing only: verifying never loads the signing keys

    key_type = signing_key_type(key)
    wanted = _KEY_TYPES.get(suite, _EDDSA_KEY)
    if key_type not in wanted:
        raise UsageError(f"{suite} signs with {' or '.join(wanted)} keys; this key is {key_type}",
                         code="SUITE_KEY_MISMATCH", hint=_suite_hint(key_type),
                         params={"suite": suite, "key_type": key_type})
    return key_type


def _suite_hint(key_type: str) -> str:
    if key_type == "Ed25519":
        return f"sign with --suite {RDFC} or {JCS}, or use a P-256/P-384 key (mcred keygen --type p256)"
    return (f"sign with --suite {ECDSA_RDFC} or {ECDSA_JCS}, or use an Ed25519 key "
            "(mcred keygen --type ed25519)")


def copy_json(value: Any) -> Any:
    """A deep copy of parsed JSON (dicts, lists, scalars): what copy.deepcopy gives, at a quarter of the cost."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def _check_proof_terms(unsecured: dict, options: dict, file: str | None) -> None:
    """Refuse to sign when the contexts do not define a proof term, proofValue included."""
    # the document's type matters: VC 2.0 defines `proof` in the credential's type-scoped context
    probe = {"@context": unsecured.get("@context"), "type": unsecured.get("type"),
             "proof": {**options, "proofValue": "z"}}
    try:
        _remembered(_proof_terms_defined, probe)
    except InputError as exc:
        raise _proof_terms_error(exc, file) from exc


@lru_cache(maxsize=512)
def _proof_terms_defined(probe_json: bytes) -> bool:
    """True, or the safe-mode error of expanding the probe (given as JSON text)."""
    from mcred.jsonld.process import expand_safely

    expand_safely(json.loads(probe_json))
    return True


#: verifiers of the suites kept in modules of their own, by cryptosuite. Each module registers its verifier
#: when imported, so that this module imports none of them (they import this one); SUITE_MODULES names the
#: module of each, imported the first time a proof of that suite is met, so that a verification that meets
#: none pays nothing at start-up. A verifier takes (document, index, path, file=, expanded=, resolve=).
SUITE_VERIFIERS: dict[str, Callable[..., VerifiedProof]] = {}
SUITE_MODULES = {"ecdsa-sd-2023": "mcred.proofs.ecdsa_sd"}


def _suite_verifier(suite: str) -> Callable[..., VerifiedProof] | None:
    if suite not in SUITE_VERIFIERS and suite in SUITE_MODULES:
        import importlib

        importlib.import_module(SUITE_MODULES[suite])  # registers itself in SUITE_VERIFIERS
    return SUITE_VERIFIERS.get(suite)


def verify_proof(document: dict, index: int, *, file: str | None = None,
                 expanded: list | None = None, plain_json: bool | None = None,
                 document_text: bytes | None = None, documents: Documents | None = None,
                 purpose: str = ASSERTION) -> VerifiedProof:
    """Verify the proof at ``index`` of the document's proof set; raise ProofError if it fails.

    ``expanded`` is the whole (secured) document's expanded form, when the caller
    has it (the verifier's jsonld check does): the unsecured document's expansion
    is then derived from it instead of being computed again. ``document_text`` is
    the JCS form of the document without its proofs, when the caller has it. ``documents`` are the DID
    and controller documents the user gave (:mod:`mcred.keys.documents`), for keys that are not a did:key.
    ``purpose`` is the proofPurpose the proof must have, and the relationship its key must be listed under:
    ``assertionMethod`` for a credential, ``authentication`` for a presentation's holder.
    """
    all_proofs = proofs_of(document)
    path = f"$.proof[{index}]" if isinstance(document.get("proof"), list) else "$.proof"
    proof = all_proofs[index]
    if not isinstance(proof, dict):
        raise ProofError("PROOF_MALFORMED", "a proof must be a JSON object", path=path, field="proof")
    suite = suite_of(proof)
    if suite not in VERIFIED_SUITES and suite not in SUITE_MODULES and suite not in SUITE_VERIFIERS:
        raise ProofError("PROOF_UNSUPPORTED",
                         f"proof type {proof.get('type')!r} / cryptosuite "
                         f"{proof.get('cryptosuite')!r} is not one mcred verifies",
                         path=path, hint=f"mcred verifies {', '.join([*VERIFIED_SUITES, *SUITE_MODULES])}",
                         type=proof.get("type"), cryptosuite=proof.get("cryptosuite"))
    stated = proof.get("proofPurpose")
    if stated != purpose:
        what = "a credential's" if purpose == ASSERTION else "a presentation's"
        raise ProofError("PROOF_PURPOSE_INVALID", f"proofPurpose is {stated!r}; {what} proof must be {purpose!r}",
                         path=f"{path}.proofPurpose", purpose=stated, expected=purpose)
    for field in ("created", "expires"):
        value = proof.get(field)
        if value is not None and not (isinstance(value, str) and _DATETIME.match(value)):
            raise ProofError("PROOF_MALFORMED", f"{field} {value!r} is not an XML Schema dateTime",
                             path=f"{path}.{field}", field=field)
    verifier = _suite_verifier(suite)
    if verifier is not None:  # a suite kept in a module of its own
        return verifier(document, index, path, file=file, expanded=expanded,
                        resolve=lambda vm_id: _resolve(vm_id, documents, path=f"{path}.verificationMethod",
                                                       purpose=purpose))
    if suite == LEGACY_2018:
        from mcred.proofs import jws2018

        if proof.get("jws") is None:
            raise ProofError("PROOF_VALUE_MISSING", "the Ed25519Signature2018 proof has no jws", path=path)
        try:
            jws = jws2018.parse(proof["jws"])
        except jws2018.JwsError as exc:
            raise ProofError("PROOF_JWS_INVALID", str(exc), path=f"{path}.jws", detail=str(exc),
                             hint="the proof is not an Ed25519Signature2018 proof mcred can read: ask the issuer "
                             "for a credential signed with eddsa-rdfc-2022") from None
        signature = jws.signature
    else:
        signature = _decode_proof_value(proof, path)
    vm_id = proof.get("verificationMethod")
    method = _resolve(vm_id, documents, path=f"{path}.verificationMethod", purpose=purpose)
    key_type = _check_key_for_suite(suite, method, signature, path)
    if suite == LEGACY_2018:  # jsonld-signatures' LinkedDataSignature: none of the signature's fields is signed
        options = {k: v for k, v in proof.items() if k not in ("jws", "signatureValue", "proofValue")}
    else:
        options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = with_proof_context(_unsecured(document, _previous_proofs(proof, all_proofs, path=path)),
                                   document, options, path)
    unsecured_expanded = None
    if expanded is not None and suite not in JCS_SUITES and "@context" not in options and "previousProof" not in proof:
        from mcred.jsonld.process import without_proof

        unsecured_expanded = without_proof(expanded)
    if document_text is not None and (suite not in JCS_SUITES or "previousProof" in proof
                                      or options.get("@context", document.get("@context")) != document.get("@context")):
        document_text = None  # what this proof signs is not the document without its proofs, as it is
    forms = canonical_forms(suite, unsecured, options, file=file, expanded=unsecured_expanded,
                            plain_json=plain_json or None, document_text=document_text,
                            hash_algorithm=_HASHES[key_type])
    signed_data = forms.hash_data()
    if suite == LEGACY_2018:
        signed_data = jws.signing_input(signed_data)
    if not method.public_key.verify(signature, signed_data):
        if key_type == "P-384" and method.public_key.verify(signature, canonical_forms(
                suite, unsecured, options, file=file, plain_json=plain_json or None,
                hash_algorithm="sha256").hash_data()):
            # a common mistake of ECDSA signers, named so that the issuer can fix it; still a failure
            raise ProofError("PROOF_ECDSA_HASH_MISMATCH",
                             "the signature was made over SHA-256 hashes, but a P-384 key's proof hashes "
                             "with SHA-384 (vc-di-ecdsa 3.3.4)", path=f"{path}.proofValue",
                             hint="the issuer's software must be fixed: ask for a credential signed with "
                             "SHA-384 hashes")
        raise ProofError("PROOF_SIGNATURE_INVALID",
                         "the signature does not match the document: it was changed after "
                         "signing, or signed with another key",
                         path=f"{path}.jws" if suite == LEGACY_2018 else f"{path}.proofValue")
    return VerifiedProof(index=index, suite=suite, verification_method=method.id,
                         controller=method.controller, public_key=method.public_key,
                         created=proof.get("created"))


def _resolve(vm_id: Any, documents: Documents | None, *, path: str, purpose: str = ASSERTION) -> VerificationMethod:
    """The proof's key: a did:key from itself, anything else from the user's documents, never fetched."""
    if isinstance(vm_id, str) and vm_id.startswith("did:key:"):
        # the common case, without loading the documents module (start-up time of `mcred verify one.json`)
        from mcred.keys.did_key import ResolutionError, resolve_verification_method

        try:
            return resolve_verification_method(vm_id)
        except ResolutionError as exc:
            raise ProofError("PROOF_KEY_UNRESOLVABLE", str(exc), path=path, method=vm_id) from None
    from mcred.keys.documents import KeyResolutionError, resolve

    try:
        return resolve(vm_id, documents, purpose=purpose)
    except KeyResolutionError as exc:
        raise ProofError(exc.code, exc.message, path=path, hint=exc.hint, **exc.params) from None


def _check_key_for_suite(suite: str, method, signature: bytes, path: str) -> str:
    """The key's type, once it is one the suite signs with and the signature has that key's length.

    A suite's signature is checked by a key of its own type only: a P-256 key named by an EdDSA proof (or an
    Ed25519 key by an ECDSA one) is a mistake or a trick, never a reason to try another algorithm."""
    key = method.public_key
    key_type = key_type_name(key)
    wanted = " or ".join(_KEY_TYPES.get(suite, _EDDSA_KEY))
    if key_type not in _KEY_TYPES.get(suite, _EDDSA_KEY):
        raise ProofError("PROOF_KEY_TYPE_MISMATCH",
                         f"{suite} signs with {wanted} keys; {method.id!r} is a {key_type} key",
                         path=f"{path}.verificationMethod", suite=suite, key_type=key_type, wanted=wanted)
    length = getattr(key, "signature_length", 64)
    if len(signature) != length:
        der = signature[:1] == b"\x30" and abs(len(signature) - length) <= 8
        raise ProofError("PROOF_VALUE_ENCODING",
                         f"{'jws' if suite == LEGACY_2018 else 'proofValue'} holds a signature of {len(signature)} "
                         f"bytes; a {key_type} signature has {length}"
                         + (" (it looks DER-encoded: Data Integrity writes ECDSA signatures as r || s)"
                            if der else ""),
                         path=f"{path}.jws" if suite == LEGACY_2018 else f"{path}.proofValue",
                         detail=f"{len(signature)} bytes, not {length}")
    return key_type


def with_proof_context(unsecured: dict, document: dict, options: dict, path: str) -> dict:
    """``unsecured`` with the proof's own ``@context``, when it has one: what such a proof signs. The document's
    contexts must start with the proof's (vc-di-eddsa 3.3.2 / 3.4.2 step 4; the ECDSA suites say the same)."""
    if "@context" in options:
        if not _starts_with(document.get("@context"), options["@context"]):
            raise ProofError("PROOF_CONTEXT_MISMATCH",
                             "the proof's @context is not a prefix of the document's @context",
                             path=f"{path}['@context']")
        unsecured["@context"] = options["@context"]
    return unsecured


def _decode_proof_value(proof: dict, path: str) -> bytes:
    """The signature bytes of ``proofValue``; their length depends on the key's type, and is checked once the
    key is known (_check_key_for_suite)."""
    value = proof.get("proofValue")
    if value is None:
        raise ProofError("PROOF_VALUE_MISSING", "the proof has no proofValue", path=path)
    try:
        signature = multibase.decode(value)
    except multibase.MultibaseError as exc:
        raise ProofError("PROOF_VALUE_ENCODING", f"proofValue is not base58btc multibase: {exc}",
                         path=f"{path}.proofValue", detail=str(exc)) from None
    return signature


def _starts_with(document_context, proof_context) -> bool:
    doc = document_context if isinstance(document_context, list) else [document_context]
    prefix = proof_context if isinstance(proof_context, list) else [proof_context]
    return doc[: len(prefix)] == prefix


#: the Italian templates of the codes this module adds for the ECDSA suites (the older ones are in mcred.messages)
MESSAGES_IT = {
    "PROOF_ECDSA_HASH_MISMATCH": ("la firma è stata fatta su hash SHA-256, ma la prova di una chiave P-384 usa "
                                  "SHA-384 (vc-di-ecdsa 3.3.4)",
                                  "il software dell'emittente va corretto: chiedete una credenziale firmata con "
                                  "hash SHA-384"),
    "PROOF_JWS_INVALID": ("il jws della prova Ed25519Signature2018 non è valido: {detail}",
                          "la prova non è una prova Ed25519Signature2018 leggibile: chiedete all'emittente una "
                          "credenziale firmata con eddsa-rdfc-2022"),
    "SUITE_KEY_MISMATCH": ("{suite} non firma con una chiave {key_type}",
                           "con una chiave P-256/P-384 usate --suite ecdsa-rdfc-2019 o ecdsa-jcs-2019; con una "
                           "chiave Ed25519, eddsa-rdfc-2022 o eddsa-jcs-2022"),
}
register(MESSAGES_IT)

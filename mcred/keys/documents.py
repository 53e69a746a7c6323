"""DID documents and controller documents the user gives mcred: read, checked, and used to resolve keys.

mcred never fetches a document. A ``did:web`` or ``https://…`` verification method is resolved only
from a document the user supplies (``--did-documents FILE|DIR``, or a trust file's ``documents:``):
the document is the user's assertion of which keys that identifier controls, exactly like a trust
file. So what is checked is what the W3C specifications (DID Core, Controlled Identifiers) say a
resolver must check before using a key:

* the document's ``id`` is the identifier the verification method belongs to (the part before ``#``);
* the method is listed under the relationship the proof claims (``assertionMethod`` for credentials,
  ``authentication`` for presentations): embedded there, or referenced and listed in
  ``verificationMethod``; a relative ``#frag`` id means the document's id + ``#frag``, exactly;
* the method's ``controller`` is the document's id (a document cannot lend a key it does not control);
* its key is of a type mcred knows, decoded by :mod:`mcred.keys.multikey` (Ed25519, P-256, P-384),
  and never carries private material.

Documents are read as plain JSON, not JSON-LD: their contexts are not processed, so a DID document
whose contexts mcred does not bundle is still usable, and nothing in it is reinterpreted.
``did:key`` needs no document: the identifier is the key (:func:`mcred.keys.did_key.resolve_verification_method`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcred._files import parse_json, read_input
from mcred.errors import InputError, McredError
from mcred.limits import LimitExceeded, check_limits
from mcred.messages import register

from . import multikey  # the shared decoder of Ed25519, P-256 and P-384 keys
from .did_key import ResolutionError, VerificationMethod, resolve_verification_method

ASSERTION = "assertionMethod"
AUTHENTICATION = "authentication"
#: the verification relationships of DID Core 5.3 (each a list of references or embedded methods)
RELATIONSHIPS = (ASSERTION, AUTHENTICATION, "keyAgreement", "capabilityInvocation", "capabilityDelegation")
#: the file names a folder of documents is searched for (not recursively)
SUFFIXES = (".json", ".jsonld")
#: the most documents one run reads: a folder of a million files is a mistake, not a key store
MAX_DOCUMENTS = 1000

# an absolute URI with a scheme (a DID is one); no whitespace or control characters
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")
_MISSING_HINT = ("mcred never fetches keys: get the document from its publisher (for {base}: {where}), check it "
                 "is theirs, and give it with --did-documents FILE|DIR (or in a trust file's documents:)")

#: code -> (Italian message, Italian hint); the English text is written where each problem is found
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "KEY_DOCUMENT_MISSING": (
        "il metodo di verifica {method!r} non si può risolvere offline: indicate il documento DID di {base} "
        "con --did-documents",
        "mcred non scarica mai le chiavi: procuratevi il documento da chi lo pubblica, controllate che sia "
        "suo e indicatelo con --did-documents FILE|CARTELLA (o nella voce documents: di un file di fiducia)"),
    "KEY_DOCUMENT_INVALID": ("il documento {source} non è un documento DID o di controllo utilizzabile: {detail}",
                             "ogni file deve essere un oggetto JSON con un id assoluto (did:... o https://...)"),
    "KEY_DOCUMENT_CONFLICT": ("due documenti diversi hanno lo stesso id {id} ({first} e {second})",
                              "tenete solo il documento giusto"),
    "KEY_METHOD_NOT_LISTED": ("il documento di {base} non elenca il metodo di verifica {method}",
                              "la chiave non appartiene a questo identificatore, o il documento è vecchio: "
                              "chiedete all'emittente il documento attuale"),
    "KEY_METHOD_NOT_AUTHORISED": ("il documento di {base} elenca {method}, ma non sotto {purpose}",
                                  "la chiave esiste ma non è autorizzata a firmare per questo scopo"),
    "KEY_METHOD_CONTROLLER_MISMATCH": ("il metodo di verifica {method} è controllato da {controller}, non da {base}",
                                       "un documento non può prestare una chiave che non controlla"),
    "KEY_TYPE_UNSUPPORTED": ("il metodo di verifica {method} è di tipo {type!r}, che mcred non legge",
                             "mcred legge Multikey, Ed25519VerificationKey2020/2018, JsonWebKey2020/JsonWebKey "
                             "ed EcdsaSecp256r1VerificationKey2019"),
    "KEY_MATERIAL_INVALID": ("la chiave del metodo di verifica {method} non è utilizzabile: {detail}", None),
}
register(MESSAGES_IT)


class KeyResolutionError(McredError):
    """A verification method that the documents given do not resolve; ``code`` says why (docs/verify.md)."""

    exit_code = 1

    def __init__(self, code: str, message: str, *, hint: str | None = None, **params) -> None:
        super().__init__(message, code=code, hint=hint, params=params)


class DocumentError(InputError):
    """A document that cannot be used at all (KEY_DOCUMENT_INVALID), or two that disagree
    (KEY_DOCUMENT_CONFLICT): the input is unusable, exit 3, before anything is verified."""

    code = "KEY_DOCUMENT_INVALID"


@dataclass(frozen=True)
class Documents(Mapping):
    """The DID and controller documents a user gave, by ``id``; immutable once read.

    A read-only mapping from a document's id to the document (for a verifier of another format, e.g. a
    JWT whose ``kid`` is a JWK thumbprint, that searches the documents itself); :func:`resolve` is the
    way to get a verification method with every check made.
    """

    #: id -> the document, as parsed JSON
    by_id: dict[str, dict] = field(default_factory=dict)
    #: id -> where it came from (a file, or a trust file's entry), for messages
    sources: dict[str, str] = field(default_factory=dict)
    #: files a folder held that are not documents (credentials, status lists), skipped and said
    skipped: tuple[str, ...] = ()
    # resolved methods, remembered: a batch signed by one issuer decodes its key once
    _resolved: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.by_id)

    def __getitem__(self, doc_id: str) -> dict:
        return self.by_id[doc_id]

    def __iter__(self):
        return iter(self.by_id)

    __hash__ = None  # a mapping that holds dicts: never a key, whatever dataclass would make

    def merged(self, other: Documents | None) -> Documents:
        """Both sets; the same id with different content in each is KEY_DOCUMENT_CONFLICT."""
        if other is None or not other.by_id:
            return self
        out = Documents(dict(self.by_id), dict(self.sources), self.skipped + other.skipped)
        for doc_id, document in other.by_id.items():
            out._add(document, other.sources.get(doc_id, "?"))
        return out

    def _add(self, document: dict, source: str) -> None:
        doc_id = document["id"]
        known = self.by_id.get(doc_id)
        if known is not None and known != document:
            raise DocumentError(f"two different documents have the id {doc_id} ({self.sources[doc_id]} and {source})",
                                file=source, path="$.id", code="KEY_DOCUMENT_CONFLICT",
                                hint="keep only the right one: mcred does not choose between them",
                                params={"id": doc_id, "first": self.sources[doc_id], "second": source})
        if known is None:
            self.by_id[doc_id] = document
            self.sources[doc_id] = source


# -- reading ----------------------------------------------------------------------------------


def _invalid(source: str, detail: str, path: str = "$") -> DocumentError:
    return DocumentError(f"not a usable DID or controller document: {detail}", file=source, path=path,
                         hint="each file must be a JSON object whose id is absolute (did:... or https://...)",
                         params={"source": source, "detail": detail})


def check_document(data: Any, *, source: str) -> dict:
    """Return ``data`` if it can be a DID or controller document; raise DocumentError (KEY_DOCUMENT_INVALID).

    Checked here, once: a JSON object with an absolute ``id`` and no fragment, within the limits every
    mcred input has, and whose ``verificationMethod`` and relationships are lists of ids or objects.
    What a method holds is checked when a proof uses it (:func:`resolve`): a document may list keys of
    types mcred does not read (keyAgreement's X25519) without being unusable.
    """
    if not isinstance(data, dict):
        raise _invalid(source, "it is not a JSON object")
    try:
        check_limits(data)
    except LimitExceeded as exc:
        raise _invalid(source, exc.message) from None
    if _is_credential(data):
        raise _invalid(source, "it is a credential, not a DID document")
    doc_id = data.get("id")
    if not isinstance(doc_id, str) or not _ABSOLUTE.match(doc_id):
        raise _invalid(source, f"its id {doc_id!r} is not an absolute DID or URL", "$.id")
    if "#" in doc_id:
        raise _invalid(source, f"its id {doc_id!r} has a fragment: that names a method, not a document", "$.id")
    for name in ("verificationMethod", *RELATIONSHIPS):
        entries = data.get(name)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise _invalid(source, f"{name} must be a list", f"$.{name}")
        for index, entry in enumerate(entries):
            if name == "verificationMethod" and not isinstance(entry, dict):
                raise _invalid(source, "a verification method must be an object", f"$.{name}[{index}]")
            if not isinstance(entry, str | dict):
                raise _invalid(source, "each entry must be a method id or an embedded method", f"$.{name}[{index}]")
            if isinstance(entry, dict) and not isinstance(entry.get("id"), str):
                raise _invalid(source, "an embedded method has no id", f"$.{name}[{index}].id")
    return data


def _is_credential(data: dict) -> bool:
    """A credential or presentation (a status list, often kept beside documents), not a document."""
    types = data.get("type")
    types = types if isinstance(types, list) else [types]
    credential_types = {"VerifiableCredential", "VerifiablePresentation"}
    return "credentialSubject" in data or bool(credential_types.intersection(t for t in types if isinstance(t, str)))


def documents_from(items: Iterable[tuple[Any, str]]) -> Documents:
    """Documents from parsed data, each with its source (e.g. a trust file's ``$.documents[0]``)."""
    out = Documents()
    for data, source in items:
        out._add(check_document(data, source=source), source)
    return out


def load_documents(paths: Iterable[str | Path]) -> Documents:
    """Read documents from files and folders (each folder's ``*.json`` and ``*.jsonld``, not recursively).

    A file named on its own must be a document; in a folder, a credential (a status list kept beside
    the documents) is skipped and listed in ``skipped``. Each file is read within mcred's input limits.
    """
    parsed: list[tuple[Any, str]] = []
    skipped: list[str] = []
    for item in map(Path, paths):
        files = [item]
        if item.is_dir():
            files = sorted(p for p in item.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            if not files:
                raise DocumentError("the folder holds no .json or .jsonld file", file=str(item),
                                    hint="give the folder of the DID documents",
                                    params={"source": str(item), "detail": "no .json or .jsonld file"})
        for path in files:
            if len(parsed) >= MAX_DOCUMENTS:
                raise DocumentError(f"more than {MAX_DOCUMENTS} documents given", file=str(path),
                                    params={"source": str(path), "detail": f"more than {MAX_DOCUMENTS} files"})
            data = parse_json(read_input(path, what="the DID document"), file=str(path))
            if item.is_dir() and isinstance(data, dict) and _is_credential(data):
                skipped.append(str(path))
            else:
                parsed.append((data, str(path)))
    documents = documents_from(parsed)
    return Documents(documents.by_id, documents.sources, tuple(skipped))


# -- resolving --------------------------------------------------------------------------------


def resolve(vm_id: Any, documents: Documents | None, *, purpose: str = ASSERTION) -> VerificationMethod:
    """The verification method ``vm_id``, authorised for ``purpose``, with its public key.

    A ``did:key`` is resolved from itself; any other method from the user's documents, checked as the
    module docstring says. Raises KeyResolutionError whose ``code`` names what is wrong.
    """
    if isinstance(vm_id, str) and vm_id.startswith("did:key:"):
        try:
            return resolve_verification_method(vm_id)
        except ResolutionError as exc:
            raise KeyResolutionError("PROOF_KEY_UNRESOLVABLE", str(exc), method=vm_id) from None
    if not isinstance(vm_id, str) or not _ABSOLUTE.match(vm_id):
        raise KeyResolutionError("PROOF_KEY_UNRESOLVABLE", f"the verification method {vm_id!r} is not an absolute "
                                 "DID or URL, so it names no key", method=vm_id)
    if documents is not None and (vm_id, purpose) in documents._resolved:
        return documents._resolved[(vm_id, purpose)]
    base = vm_id.partition("#")[0]
    document = documents.by_id.get(base) if documents is not None else None
    if document is None:
        raise KeyResolutionError(
            "KEY_DOCUMENT_MISSING", f"the verification method {vm_id} is not resolvable offline: give the DID "
            f"document (or controller document) of {base} with --did-documents",
            hint=_MISSING_HINT.format(base=base, where=_published_at(base)), method=vm_id, base=base)
    method = _listed_method(vm_id, base, document, purpose)
    resolved = VerificationMethod(id=vm_id, controller=base, public_key=_public_key(vm_id, method))
    documents._resolved[(vm_id, purpose)] = resolved
    return resolved


def _published_at(base: str) -> str:
    """Where a did:web document is published (DID Web 3.2.1), said for the user to fetch it; else the URL."""
    if not base.startswith("did:web:"):
        if base.startswith("https://"):
            return base
        return "its DID method's registry" if base.startswith("did:") else "whoever issued it"
    host, *path = base.removeprefix("did:web:").split(":")
    host = host.replace("%3A", ":").replace("%3a", ":")
    return f"https://{host}/{'/'.join(path)}/did.json" if path else f"https://{host}/.well-known/did.json"


def _absolute(ref: str, base: str) -> str:
    """A method id as the document means it: ``#frag`` is the document's id + ``#frag`` (DID Core 3.2.2)."""
    return base + ref if ref.startswith("#") else ref


def _listed_method(vm_id: str, base: str, document: dict, purpose: str) -> dict:
    """The method object ``vm_id`` under ``purpose`` in the document, embedded or by reference."""
    declared = {_absolute(m["id"], base): m for m in document.get("verificationMethod") or ()}
    params = {"method": vm_id, "base": base, "purpose": purpose}
    for entry in document.get(purpose) or ():
        if isinstance(entry, dict) and _absolute(entry["id"], base) == vm_id:
            return entry  # embedded in the relationship: listed and authorised at once
        if isinstance(entry, str) and _absolute(entry, base) == vm_id:
            if vm_id not in declared:
                raise KeyResolutionError(
                    "KEY_METHOD_NOT_LISTED", f"{base}'s document names {vm_id} under {purpose}, but its "
                    "verificationMethod does not list it", hint="the document is incomplete: ask its publisher "
                    "for a complete one", **params)
            return declared[vm_id]
    elsewhere = vm_id in declared or any(
        _absolute(e if isinstance(e, str) else e["id"], base) == vm_id
        for name in RELATIONSHIPS for e in document.get(name) or ())
    if elsewhere:
        raise KeyResolutionError(
            "KEY_METHOD_NOT_AUTHORISED", f"{base}'s document lists {vm_id}, but not under {purpose}",
            hint=f"the key exists but may not be used for {purpose}: a credential signed with it is not the "
            "controller's assertion", **params)
    raise KeyResolutionError(
        "KEY_METHOD_NOT_LISTED", f"{base}'s document does not list the verification method {vm_id}",
        hint="the key does not belong to this identifier, or the document is out of date: ask the issuer for "
        "its current document", **params)


#: type -> (the properties that may hold its key, the key type it must be, or None for any mcred reads)
_TYPES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "Multikey": (("publicKeyMultibase",), None),
    "Ed25519VerificationKey2020": (("publicKeyMultibase",), "Ed25519"),
    "Ed25519VerificationKey2018": (("publicKeyBase58", "publicKeyMultibase"), "Ed25519"),
    "JsonWebKey2020": (("publicKeyJwk",), None),
    "JsonWebKey": (("publicKeyJwk",), None),
    "EcdsaSecp256r1VerificationKey2019": (("publicKeyMultibase", "publicKeyJwk"), "P-256"),
}
_MATERIAL = ("publicKeyMultibase", "publicKeyBase58", "publicKeyJwk")


def _public_key(vm_id: str, method: dict):
    """The method's public key, checked against its type and controller."""
    base = vm_id.partition("#")[0]
    controller = method.get("controller")
    if controller != base:
        raise KeyResolutionError(
            "KEY_METHOD_CONTROLLER_MISMATCH", f"the verification method {vm_id} is controlled by {controller!r}, "
            f"not by {base}", hint="a document cannot lend a key that someone else controls",
            method=vm_id, controller=controller, base=base)
    kind = method.get("type")
    if kind not in _TYPES:
        raise KeyResolutionError("KEY_TYPE_UNSUPPORTED", f"the verification method {vm_id} has the type {kind!r}, "
                                 "which mcred does not read", hint="mcred reads " + ", ".join(_TYPES),
                                 method=vm_id, type=kind)
    allowed, key_type = _TYPES[kind]
    present = [name for name in _MATERIAL if name in method]
    if len(present) != 1 or present[0] not in allowed:
        detail = (f"a {kind} holds its key in one of {', '.join(allowed)}, and it has "
                  f"{', '.join(present) or 'none'}")
        raise _material(vm_id, detail)
    value = method[present[0]]
    try:
        if present[0] == "publicKeyJwk":
            if not isinstance(value, Mapping):
                raise _material(vm_id, "publicKeyJwk is not a JSON object")
            private = sorted({"d", "p", "q", "dp", "dq", "qi", "k"} & set(value))
            if private:  # a published document holding a private key: the key is compromised, never use it
                raise _material(vm_id, f"publicKeyJwk holds private key members ({', '.join(private)}): that key "
                                "is compromised")
            key = multikey.public_key_from_jwk(value)
        elif present[0] == "publicKeyBase58":
            key = multikey.public_key_from_multibase(_ed25519_multibase(value))
        else:
            key = multikey.public_key_from_multibase(value)
    except ValueError as exc:  # multikey.KeyDecodeError, and the base58 decoder's error
        raise _material(vm_id, str(exc)) from None
    if key_type is not None and multikey.key_type_name(key) != key_type:
        raise _material(vm_id, f"a {kind} must hold a {key_type} key, not {multikey.key_type_name(key)}")
    return key


def _ed25519_multibase(value: Any) -> str:
    """Ed25519VerificationKey2018's raw base58 key, written as the multikey it is."""
    from . import multibase

    if not isinstance(value, str) or not 40 <= len(value) <= 50:
        raise ValueError("publicKeyBase58 is not a base58 Ed25519 key")
    raw = multibase.b58decode(value)
    if len(raw) != 32:
        raise ValueError(f"publicKeyBase58 decodes to {len(raw)} bytes; an Ed25519 key has 32")
    return multibase.encode(multibase.ED25519_PUB + raw)


def _material(vm_id: str, detail: str) -> KeyResolutionError:
    return KeyResolutionError("KEY_MATERIAL_INVALID", f"the key of the verification method {vm_id} cannot be used: "
                              f"{detail}", hint="ask the publisher of the document for a correct one",
                              method=vm_id, detail=detail)

"""Offline revocation and suspension with W3C Bitstring Status Lists kept as local files.

**The list.** An issuer keeps one signed ``BitstringStatusListCredential`` per
purpose (W3C Bitstring Status List v1.0, VC Data Model 2.0 context)::

    {"@context": ["https://www.w3.org/ns/credentials/v2"],
     "id": "<list id>", "type": ["VerifiableCredential", "BitstringStatusListCredential"],
     "issuer": "did:key:z6Mk...", "validFrom": "<last change>",
     "credentialSubject": {"id": "<list id>#list", "type": "BitstringStatusList",
                           "statusPurpose": "revocation" | "suspension",
                           "encodedList": "u<base64url, no padding, of the GZIP of the bitstring>"},
     "proof": {... eddsa-rdfc-2022 ...}}

Bit ``i`` is the credential with ``statusListIndex`` i; index 0 is the left-most
(most significant) bit of the first byte (spec 2.2, ``encodedList``). A list has at
least 131,072 entries (16 KB), the spec's minimum for herd privacy. Every change
sets ``validFrom`` and the proof's ``created`` to now and re-signs the whole list,
written atomically (temporary file, fsync, rename): a crash leaves the old list or
the new one, never half of either. Revocation is final (the spec: "not
reversible"); only a suspension list can be reinstated. StatusList2021
credentials (``https://w3id.org/vc/status-list/2021/v1``) are read too.

**Allocation.** Beside ``LIST.json`` the issuer keeps ``LIST.json.alloc`` (mode
0600, never published)::

    {"format": "mcred-status-alloc/1", "list": "<list id>", "size": 131072,
     "shuffle_key": "<64 hex digits>", "allocated": 12}

The n-th index handed out is ``P(n)``, where P is a permutation of [0, size) keyed
by ``shuffle_key`` (an 8-round Feistel network over HMAC-SHA-256, cycle-walked
into the range). ``allocated`` only ever grows, and P is a bijection, so an
index is never handed out twice; the order looks random, as the spec asks
("SHOULD assign indexes randomly"), so an index says nothing about when a
credential was issued or how many there are. The new count is written (atomically,
then the folder is fsynced) *before* the index is returned, so before any
credential that uses it exists: a crash can waste indexes, never reuse one. A
scan of the list could not do this (an unrevoked credential's bit is 0, like an
unused one), so the sidecar is the record; without it mcred refuses to allocate.
Allocation and updates hold an exclusive lock on ``LIST.json.lock``.

**The entry, and the ELM trade-off.** A W3C credential gets a standard entry::

    "credentialStatus": {"id": "<list id>#<index>", "type": "BitstringStatusListEntry",
                         "statusPurpose": "revocation", "statusListIndex": "<index>",
                         "statusListCredential": "<list id>"}

ELM/EDC credentials cannot: the EDC SHACL shapes (``edc-generic-full``) require
``credentialStatus`` to be a literal of datatype ``xsd:anyURI`` (at most one); an
object fails, and so does a plain string, which VC 1.1's context makes an IRI
node. So an ELM credential carries the typed literal::

    "credentialStatus": {"@value": "<list id>#<index>",
                         "@type": "http://www.w3.org/2001/XMLSchema#anyURI"}

the list's id with the index as the fragment; the purpose is the list's. It
conforms to the shapes and is covered by the signature like any other value. The
cost: it is mcred's convention, not a W3C entry type, so other verifiers will not
know to check it, and an ELM credential has one status (one list, one purpose).
A credential issued without a status list has no ``credentialStatus`` at all.

**Checking.** :func:`load_status_lists` reads local copies and verifies each like
a credential (proof, issuer controls the key, validity dates); a copy that fails
is kept but untrusted, and a credential checked against it gets "could not
check", never "revoked". A list whose issuer is not the credential's issuer is
not used either (a warning). :func:`check_status` returns the ``status`` results
for :mod:`mcred.verify`; the codes are in :data:`MESSAGES_EN` / :data:`MESSAGES_IT`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import re
import secrets
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from ._files import read_input, write_new_file
from .errors import InputError, OutputExistsError, SigningError, UsageError
from .keys import SigningKey
from .messages import register
from .proofs import RDFC

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"
PURPOSES = ("revocation", "suspension")
#: Bitstring Status List 3.2 step 2: the minimum number of entries (16 KB of bits)
MIN_ENTRIES = 131_072
#: the largest list mcred reads or makes (8 MiB of bits): a GZIP bomb stops here
MAX_ENTRIES = 8 * 8 * 1024 * 1024
ALLOC_FORMAT = "mcred-status-alloc/1"
SHOW_FORMAT = "mcred-status/1"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`#]+$")
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_B64_ANY = re.compile(r"^[A-Za-z0-9_+/-]*={0,2}$")
_ROUNDS = 8


# --- the bitstring --------------------------------------------------------------------------


def encode_bitstring(bits: bytes) -> str:
    """``encodedList``: multibase base64url (no padding, prefix "u") of the GZIP of the bits (spec 3.3)."""
    compressed = _gzip(bits)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: Any, *, multibase: bool = True) -> bytes:
    """The bits of an ``encodedList`` (spec 3.4), refusing anything malformed with ValueError.

    ``multibase=False`` reads StatusList2021, whose encodedList is base64 without the
    "u" prefix. Decompression stops at :data:`MAX_ENTRIES` bits (a GZIP bomb is refused).
    """
    if not isinstance(encoded, str) or not encoded:
        raise ValueError("encodedList must be a non-empty string")
    if multibase:
        if encoded[0] != "u":
            raise ValueError(f"encodedList must start with the multibase prefix 'u', not {encoded[0]!r}")
        body = encoded[1:]
        if not _B64URL.match(body):
            raise ValueError("encodedList is not base64url without padding")
    else:
        body = encoded[1:] if encoded.startswith("uH4sI") else encoded  # tolerate a multibase prefix
        if not _B64_ANY.match(body):
            raise ValueError("encodedList is not base64")
        body = body.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"encodedList is not base64url: {exc}") from None
    return _gunzip(compressed, MAX_ENTRIES // 8)


def _gzip(data: bytes) -> bytes:
    # mtime 0 and a fixed level: the same bits always give the same encodedList
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _gunzip(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"encodedList is not GZIP data: {exc}") from None
    if len(out) > limit or decompressor.unconsumed_tail:
        raise ValueError(f"the bitstring is larger than {limit} bytes")
    if not decompressor.eof:
        raise ValueError("the GZIP data is truncated")
    if decompressor.unused_data:
        raise ValueError("there are bytes after the GZIP data")
    return out


def bit_is_set(bits: bytes, index: int) -> bool:
    """Bit ``index``, counting from the left-most bit of the first byte."""
    return bool(bits[index >> 3] & (0x80 >> (index & 7)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    if value:
        bits[index >> 3] |= 0x80 >> (index & 7)
    else:
        bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF


def set_indexes(bits: bytes) -> Iterator[int]:
    """The indexes whose bit is set, in order (zero bytes are skipped quickly)."""
    for position, byte in enumerate(bits):
        if byte:
            for offset in range(8):
                if byte & (0x80 >> offset):
                    yield position * 8 + offset


# --- status lists as read by a verifier -------------------------------------------------------


@dataclass
class StatusList:
    """One status list credential, parsed, with the verdict on its own proof."""

    id: str
    issuer: str | None
    purposes: tuple[str, ...]
    bits: bytes
    kind: str  # "BitstringStatusList" or "StatusList2021"
    valid_from: str | None
    document: dict
    file: str | None = None
    trusted: bool = False
    #: why it is not trusted (English, Italian), when it is not
    problem: tuple[str, str] | None = None
    #: the id of the list's subject (``<list id>#list`` in the lists mcred makes)
    subject_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.bits) * 8

    def is_set(self, index: int) -> bool:
        return bit_is_set(self.bits, index)


class StatusLists:
    """The local copies of status lists given to a verification, by list id.

    Every copy is kept: which one counts is decided for each credential, by who
    signed it (:func:`check_status`), never by which copy is newest or was given
    last, so that nobody's newer list can hide an issuer's revocation.
    """

    def __init__(self, lists: Iterable[StatusList] = ()) -> None:
        self._by_id: dict[str, list[StatusList]] = {}
        for status_list in lists:
            self.add(status_list)

    def add(self, status_list: StatusList) -> None:
        self._by_id.setdefault(status_list.id, []).append(status_list)

    def copies(self, list_id: str) -> list[StatusList]:
        """Every copy of a list given, in the order given."""
        return list(self._by_id.get(list_id, ()))

    def get(self, list_id: str) -> StatusList | None:
        """One copy of a list, for showing it: a verified one, then the most recent."""
        copies = self._by_id.get(list_id)
        if not copies:
            return None
        return max(copies, key=lambda c: (c.trusted, _listed_at(c)))

    def __iter__(self) -> Iterator[StatusList]:
        return (copy for copies in self._by_id.values() for copy in copies)

    def __len__(self) -> int:
        return len(self._by_id)


BSL = "https://www.w3.org/ns/credentials/status#"
SL2021 = "https://w3id.org/vc/status-list#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: list credential type -> (list type, the vocabulary of its terms)
_LIST_KINDS = {BSL + "BitstringStatusListCredential": ("BitstringStatusList", BSL),
               SL2021 + "StatusList2021Credential": ("StatusList2021", SL2021)}
#: entry type -> (its name, the vocabulary of its terms)
_ENTRY_KINDS = {BSL + "BitstringStatusListEntry": ("BitstringStatusListEntry", BSL),
                SL2021 + "StatusList2021Entry": ("StatusList2021Entry", SL2021)}


def parse_status_list(document: Any, *, file: str | None = None, facts=None) -> StatusList:
    """A status list credential's parts, read from its signed graph, unverified; InputError if it is not one.

    ``facts`` is the list's :class:`mcred.facts.CredentialFacts` when the caller has
    them (a verification reads the graph anyway).
    """
    from .facts import VC, GraphError, read_facts
    from .graph import Literal, MultipleValues, read_graph

    def refuse(message: str, path: str = "$") -> InputError:
        return InputError(message, file=file, path=path, code="STATUS_LIST_MALFORMED",
                          hint="give a BitstringStatusListCredential, as `mcred status init` makes")

    if not isinstance(document, dict):
        raise refuse("a status list must be a JSON object")
    if facts is None:
        from ._jsonld import check_contexts, expand_safely

        try:
            check_contexts(document, file=file)
            facts = read_facts(read_graph(expand_safely(document, file=file)))
        except GraphError as exc:
            raise refuse(exc.message) from None
    node = facts.node
    kinds = [_LIST_KINDS[t] for t in node.types if t in _LIST_KINDS]
    if not kinds:
        raise refuse("the credential is not a BitstringStatusListCredential (nor a StatusList2021Credential)",
                     "$.type")
    kind, vocabulary = kinds[0]
    if node.iri is None:
        raise refuse("the status list has no id", "$.id")
    try:
        subject = facts.subject
        if subject is None or vocabulary + kind not in subject.types:
            raise refuse(f"credentialSubject must be a {kind}", "$.credentialSubject")
        purposes = subject.values(vocabulary + "statusPurpose")
        if not purposes or not all(isinstance(p, Literal) for p in purposes):
            raise refuse("statusPurpose must be a string", "$.credentialSubject.statusPurpose")
        encoded = subject.literal(vocabulary + "encodedList")
        dates = [node.literal(VC + "validFrom"), node.literal(VC + "issuanceDate")]
        issuer = facts.issuer
    except MultipleValues as exc:
        raise refuse(exc.message) from None
    try:
        bits = decode_bitstring(encoded.lexical if encoded else None, multibase=kind == "BitstringStatusList")
    except ValueError as exc:
        raise refuse(str(exc), "$.credentialSubject.encodedList") from None
    valid_from = next((d.lexical for d in dates if d is not None), None)
    return StatusList(node.iri, issuer, tuple(p.lexical for p in purposes), bits, kind, valid_from, document, file,
                      subject_id=subject.iri)


def load_status_list(path: str | Path, *, now: datetime | None = None, trust: Any = None) -> StatusList:
    """Read one status list file and verify it like a credential (InputError if unusable).

    With ``trust`` (a :class:`mcred.trust.TrustList`), a list signed with a key the
    trust file binds to its issuer verifies too, as a credential would.
    """
    from .report import VerifyOptions
    from .verify import verify_credential

    document = read_json(Path(path))
    if not isinstance(document, dict):
        raise InputError("a status list must be a JSON object", file=str(path), code="STATUS_LIST_MALFORMED")
    report = verify_credential(document, now=now, file=str(path), options=VerifyOptions(now=now, trust=trust))
    status_list = parse_status_list(document, file=str(path), facts=report.facts)
    _judge(status_list, report)
    return status_list


def load_status_lists(paths: Iterable[str | Path], *, now: datetime | None = None,
                      trust: Any = None) -> StatusLists:
    """Read and verify local copies of status lists (``mcred verify --status-list``).

    A file that is not a status list at all raises :class:`~mcred.errors.InputError`; a
    list whose proof fails, whose issuer does not control the signing key, or that is
    outside its validity period, is kept but marked untrusted.
    """
    return StatusLists(load_status_list(path, now=now, trust=trust) for path in paths)


def _judge(status_list: StatusList, report) -> None:
    """Set ``trusted`` (and ``problem``) from the list's own verification report."""
    from .report import Status

    if status_list.size < MIN_ENTRIES:
        status_list.problem = (
            f"it has {status_list.size} entries; the specification requires at least {MIN_ENTRIES}",
            f"ha {status_list.size} voci; la specifica ne richiede almeno {MIN_ENTRIES}")
        return
    failures = [c for c in report.checks if c.status == Status.FAILED]
    if report.unusable or failures:
        first = failures[0] if failures else report.checks[-1]
        status_list.problem = (first.message, _italian(first))
        return
    status_list.trusted = True


def _italian(result) -> str:
    try:
        from .messages import translate
    except ImportError:  # pragma: no cover - the Italian catalogue ships with mcred
        return result.message
    return translate(result.code, result.message, result.hint, getattr(result, "params", {}), "it")[0]


# --- entries in credentials --------------------------------------------------------------------


class StatusRef(NamedTuple):
    """Where a credential's status is: a list, an index, and the purpose the entry states (if any)."""

    list_id: str
    index: int
    purpose: str | None
    path: str


class _Unreadable(NamedTuple):
    """An entry mcred cannot use: malformed (reason in English and Italian), or of an unsupported kind."""

    path: str
    reason: tuple[str, str] | None = None
    unsupported: tuple[str, Any] | None = None  # (field, value)


def elm_status(list_id: str, index: int) -> dict:
    """The ``credentialStatus`` of an ELM credential: an xsd:anyURI literal ``<list id>#<index>``."""
    return {"@value": f"{list_id}#{index}", "@type": XSD_ANYURI}


def bitstring_entry(list_id: str, index: int, purpose: str) -> dict:
    """A W3C ``BitstringStatusListEntry`` (for VC 2.0 credentials)."""
    return {"id": f"{list_id}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_id}


def status_refs(facts) -> list[StatusRef | _Unreadable]:
    """Each ``credentialStatus`` of a credential (its :class:`mcred.facts.CredentialFacts`), read from the
    signed graph as a :class:`StatusRef`, or why it cannot be."""
    from .facts import CREDENTIAL_STATUS

    values = facts.node.values(CREDENTIAL_STATUS)
    if len(values) == 1:
        return [_read_entry(values[0], "$.credentialStatus")]
    return [_read_entry(value, f"$.credentialStatus[{index}]") for index, value in enumerate(values)]


def _read_entry(entry: Any, path: str) -> StatusRef | _Unreadable:
    from .graph import Literal, MultipleValues

    if isinstance(entry, Literal):
        # an ELM credential's status: an xsd:anyURI literal "<list id>#<index>" (see the module docstring)
        if entry.datatype != XSD_ANYURI:
            return _Unreadable(path, _REASONS["literal_type"])
        return _read_compact(entry.lexical, path)
    if isinstance(entry, tuple):
        return _Unreadable(path, _REASONS["not_entry"])
    kinds = [_ENTRY_KINDS[t] for t in entry.types if t in _ENTRY_KINDS]
    if not kinds:
        if not entry.types and not entry.properties() and entry.iri is not None:
            return _read_compact(entry.iri, path)  # a bare reference "<list id>#<index>"
        if not entry.types:
            return _Unreadable(path, _REASONS["no_type"])
        from .graph import term_of

        return _Unreadable(path, unsupported=("type", ", ".join(term_of(t) for t in entry.types)))
    _, vocabulary = kinds[0]
    try:
        list_node = entry.one(vocabulary + "statusListCredential")
        index = entry.one(vocabulary + "statusListIndex")
        purpose = entry.one(vocabulary + "statusPurpose")
        size = entry.one(BSL + "statusSize") if vocabulary == BSL else None
    except MultipleValues as exc:
        return _Unreadable(path, (exc.message, f"{exc.params['property']} ha {exc.params['count']} valori"))
    list_id = getattr(list_node, "iri", None)
    if not list_id:
        return _Unreadable(path, _REASONS["no_list"])
    if not (isinstance(index, Literal) and index.datatype == XSD_STRING and index.lexical.isascii()
            and index.lexical.isdigit()):
        return _Unreadable(path, _REASONS["bad_index"])
    if not isinstance(purpose, Literal):
        return _Unreadable(path, _REASONS["no_purpose"])
    if purpose.lexical not in PURPOSES:
        return _Unreadable(path, unsupported=("statusPurpose", purpose.lexical))
    if size is not None and getattr(size, "lexical", None) != "1":
        return _Unreadable(path, unsupported=("statusSize", getattr(size, "lexical", size)))
    return StatusRef(list_id, _index_value(index.lexical), purpose.lexical, path)


def _read_compact(value: str, path: str) -> StatusRef | _Unreadable:
    list_id, hash_, index = value.rpartition("#")
    if not hash_ or not list_id or not index.isascii() or not index.isdigit():
        return _Unreadable(path, _REASONS["no_fragment"])
    return StatusRef(list_id, _index_value(index), None, path)


def _index_value(digits: str) -> int:
    # an index longer than 18 digits is out of range of any list; int() of huge strings is refused anyway
    return int(digits) if len(digits) <= 18 else 10**18


_REASONS: dict[str, tuple[str, str]] = {
    "not_entry": ("credentialStatus must be an object, an xsd:anyURI literal or a string",
                  "credentialStatus deve essere un oggetto, un letterale xsd:anyURI o una stringa"),
    "literal_type": ("a credentialStatus literal must be a string of type xsd:anyURI",
                     "un letterale credentialStatus deve essere una stringa di tipo xsd:anyURI"),
    "no_fragment": ("the reference must be <status list id>#<index>",
                    "il riferimento deve avere la forma <id dell'elenco>#<posizione>"),
    "no_type": ("the status entry has no type", "la voce di stato non ha un tipo (type)"),
    "no_list": ("statusListCredential must name the status list",
                "statusListCredential deve indicare l'elenco di stato"),
    "bad_index": ("statusListIndex must be a base-10 integer written as a string",
                  "statusListIndex deve essere un intero in base 10 scritto come stringa"),
    "no_purpose": ("statusPurpose must be a string", "statusPurpose deve essere una stringa"),
}


# --- the status check --------------------------------------------------------------------------

#: code -> (English template, English hint or None); the params of each result fill both languages
MESSAGES_EN: dict[str, tuple[str, str | None]] = {
    "STATUS_NONE": ("the credential carries no status information", None),
    "STATUS_NOT_CHECKED": ("could not check: no local copy of {list_id} was given (--status-list)",
                           "pass the issuer's current status list with --status-list"),
    "STATUS_ACTIVE": ("active: {purpose} bit {index} of {list_id} is not set (list of {list_date})", None),
    "STATUS_REVOKED": ("revoked: bit {index} of {list_id} is set (list of {list_date})",
                       "the issuer has revoked this credential: do not accept it"),
    "STATUS_SUSPENDED": ("suspended: bit {index} of {list_id} is set (list of {list_date})",
                         "the issuer has suspended this credential: check again later, or ask the issuer"),
    "STATUS_LIST_INVALID": ("could not check: the local copy of {list_id} does not verify ({reason})",
                            "get a genuine, current copy of the list from its issuer"),
    "STATUS_LIST_FOREIGN": ("could not check: {list_id} was issued by {list_issuer}, not by the "
                            "credential's issuer {issuer}",
                            "only the credential's own issuer can change its status; give that issuer's list"),
    "STATUS_PURPOSE_MISMATCH": ("could not check: the entry is about {purpose}, but {list_id} is a "
                                "{list_purpose} list", "give the list the entry names"),
    "STATUS_INDEX_INVALID": ("could not check: index {index} is outside {list_id}, which has {size} entries",
                             "the entry or the list is wrong; ask the issuer"),
    "STATUS_ENTRY_MALFORMED": ("the status entry cannot be read: {reason}",
                               "the credential is malformed; ask the issuer for a corrected one"),
    "STATUS_UNSUPPORTED": ("could not check: {field} {value!r} is not supported (mcred checks revocation and "
                           "suspension in Bitstring Status Lists and StatusList2021)", None),
}

#: code -> (Italian template, Italian hint or None), filled from the same params
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "STATUS_NONE": ("la credenziale non contiene informazioni sul suo stato", None),
    "STATUS_NOT_CHECKED": ("impossibile controllare: non è stata fornita una copia locale di {list_id} "
                           "(--status-list)", "fornite l'elenco di stato aggiornato dell'emittente con "
                           "--status-list"),
    "STATUS_ACTIVE": ("attiva: il bit {index} ({purpose_it}) di {list_id} non è impostato (elenco del "
                      "{list_date})", None),
    "STATUS_REVOKED": ("revocata: il bit {index} di {list_id} è impostato (elenco del {list_date})",
                       "l'emittente ha revocato questa credenziale: non accettatela"),
    "STATUS_SUSPENDED": ("sospesa: il bit {index} di {list_id} è impostato (elenco del {list_date})",
                         "l'emittente ha sospeso questa credenziale: ricontrollate più tardi o chiedete "
                         "all'emittente"),
    "STATUS_LIST_INVALID": ("impossibile controllare: la copia locale di {list_id} non supera la verifica "
                            "({reason_it})", "procuratevi dall'emittente una copia autentica e aggiornata "
                            "dell'elenco"),
    "STATUS_LIST_FOREIGN": ("impossibile controllare: {list_id} è stato emesso da {list_issuer}, non "
                            "dall'emittente della credenziale {issuer}",
                            "solo l'emittente della credenziale può cambiarne lo stato: fornite il suo elenco"),
    "STATUS_PURPOSE_MISMATCH": ("impossibile controllare: la voce riguarda la {purpose_it}, ma {list_id} è "
                                "un elenco di {list_purpose_it}", "fornite l'elenco indicato dalla voce"),
    "STATUS_INDEX_INVALID": ("impossibile controllare: la posizione {index} è fuori da {list_id}, che ha "
                             "{size} voci", "la voce o l'elenco è errato: chiedete all'emittente"),
    "STATUS_ENTRY_MALFORMED": ("la voce di stato non è leggibile: {reason_it}",
                               "la credenziale è malformata: chiedetene all'emittente una corretta"),
    "STATUS_UNSUPPORTED": ("impossibile controllare: {field} {value!r} non è supportato (mcred controlla "
                           "revoca e sospensione con Bitstring Status List e StatusList2021)", None),
}
register(MESSAGES_IT)

_PURPOSE_IT = {"revocation": "revoca", "suspension": "sospensione"}


def check_status(refs: list, issuer_id: str | None, lists: StatusLists | None) -> list:
    """The ``status`` check's results (one per entry of :func:`status_refs`), against local list copies.

    Never raises on bad input: a malformed entry fails; a status that cannot be
    checked (no list given, a list that does not verify or is another issuer's, an
    index out of range) is a warning, never "revoked".
    """
    if not refs:
        return [_result("PASSED", "STATUS_NONE")]
    return [_check_one(ref, issuer_id, lists) for ref in refs]


def _check_one(ref: StatusRef | _Unreadable, issuer_id: str | None, lists: StatusLists | None):
    if isinstance(ref, _Unreadable):
        if ref.unsupported is not None:
            field_name, value = ref.unsupported
            return _result("WARNING", "STATUS_UNSUPPORTED", ref.path, field=field_name, value=value)
        return _result("FAILED", "STATUS_ENTRY_MALFORMED", ref.path, reason=ref.reason[0], reason_it=ref.reason[1])
    copies = lists.copies(ref.list_id) if lists is not None else []
    at = {"path": ref.path, "list_id": ref.list_id}
    if not copies:
        return _result("WARNING", "STATUS_NOT_CHECKED", **at)
    # only a list the credential's own issuer signed counts (with its key, or one the trust file gives it):
    # a copy from anyone else, however recent, is never used, so it can never hide a revocation
    genuine = [c for c in copies if c.trusted and c.issuer == issuer_id]
    if not genuine:
        foreign = next((c for c in copies if c.trusted), None)
        if foreign is not None:
            return _result("WARNING", "STATUS_LIST_FOREIGN", **at, list_issuer=foreign.issuer, issuer=issuer_id)
        reason, reason_it = copies[0].problem or ("it was not verified", "non è stata verificata")
        return _result("WARNING", "STATUS_LIST_INVALID", **at, reason=reason, reason_it=reason_it)
    decisive = _decisive_copy(ref, genuine)
    purpose = ref.purpose or (decisive.purposes[0] if len(decisive.purposes) == 1 else None)
    if purpose not in decisive.purposes or purpose not in PURPOSES:
        stated = ref.purpose or "?"
        return _result("WARNING", "STATUS_PURPOSE_MISMATCH", **at, purpose=stated,
                       purpose_it=_PURPOSE_IT.get(stated, stated), list_purpose="/".join(decisive.purposes),
                       list_purpose_it="/".join(_PURPOSE_IT.get(p, p) for p in decisive.purposes))
    if ref.index >= decisive.size:
        return _result("WARNING", "STATUS_INDEX_INVALID", **at, index=ref.index, size=decisive.size)
    facts = {**at, "index": ref.index, "purpose": purpose, "purpose_it": _PURPOSE_IT[purpose],
             "list_date": decisive.valid_from or "?"}
    if decisive.is_set(ref.index):
        return _result("FAILED", "STATUS_REVOKED" if purpose == "revocation" else "STATUS_SUSPENDED", **facts)
    return _result("PASSED", "STATUS_ACTIVE", **facts)


def _listed_at(status_list: StatusList) -> datetime:
    """When a copy of a list was made (its validFrom), for ordering copies; the earliest time if unknown."""
    from .dates import parse_datetime

    return parse_datetime(status_list.valid_from) or datetime.min.replace(tzinfo=timezone.utc)


def _decisive_copy(ref: StatusRef, genuine: list[StatusList]) -> StatusList:
    """Of the issuer's own copies of a list, the one that decides.

    A revocation is final (Bitstring Status List: "not reversible"): any copy of a
    revocation list with the bit set shows the credential was revoked, and the
    newest such copy decides. Otherwise (and for suspension, which can be lifted)
    the newest copy decides; of two equally recent, one with the bit set.
    """
    def newest(copies: list[StatusList]) -> StatusList:
        return max(copies, key=lambda c: (_listed_at(c), ref.index < c.size and c.is_set(ref.index)))

    revoked = [c for c in genuine if "revocation" in c.purposes and ref.index < c.size and c.is_set(ref.index)]
    return newest(revoked) if revoked else newest(genuine)


def _result(status: str, code: str, path: str | None = None, **params):
    from .report import CheckResult, Status

    template, hint = MESSAGES_EN[code]
    return CheckResult("status", Status[status], template.format(**params), code, path, hint, params)


# --- the issuer's side: create, allocate, update ---------------------------------------------


class Allocation(NamedTuple):
    list_id: str
    index: int
    purpose: str


@dataclass
class UpdateResult:
    """What ``revoke`` / ``suspend`` / ``reinstate`` did."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    #: the re-signed list, when something changed
    document: dict | None = None


def alloc_path(list_path: Path) -> Path:
    return Path(f"{list_path}.alloc")


def init_status_list(path: Path, key: SigningKey, list_id: str, *, purpose: str = "revocation",
                     size: int = MIN_ENTRIES, now: str | None = None) -> dict:
    """Create an empty signed status list at ``path`` and its allocation sidecar; return the list.

    Refuses to overwrite either file (a list is changed only by revoke/suspend/reinstate),
    except the sidecar of an interrupted ``init`` that handed out nothing.
    """
    from .dates import now_timestamp

    path = Path(path)
    _check_list_id(list_id)
    if purpose not in PURPOSES:
        raise UsageError(f"--purpose {purpose!r}: choose revocation or suspension")
    if size % 8 or not MIN_ENTRIES <= size <= MAX_ENTRIES:
        raise UsageError(f"--size {size}: a status list has a multiple of 8 entries, from {MIN_ENTRIES} "
                         f"(the specification's minimum) to {MAX_ENTRIES}")
    now = now or now_timestamp()
    document = _bitstring_list(list_id, f"{list_id}#list", key.did, now, purpose, bytes(size // 8))
    with _locked(path):
        if path.exists():
            raise OutputExistsError("the status list already exists", file=str(path),
                                    hint="a list is changed with `mcred status revoke/suspend/reinstate`, "
                                    "never re-created (its indexes are in use)")
        sidecar = {"format": ALLOC_FORMAT, "list": list_id, "size": size,
                   "shuffle_key": secrets.token_hex(32), "allocated": 0}
        _write_sidecar(path, sidecar, replace=_interrupted_init(path))
        signed = _sign(document, key, now, str(path))
        write_new_file(path, _json_bytes(signed))
        _sync_folder(path)
    return signed


def _bitstring_list(list_id: str, subject_id: str | None, issuer: str, now: str, purpose: str, bits: bytes) -> dict:
    """An unsigned BitstringStatusListCredential, as mcred writes one."""
    subject = {"id": subject_id} if subject_id else {}
    subject.update(type="BitstringStatusList", statusPurpose=purpose, encodedList=encode_bitstring(bits))
    return {"@context": [VC2_CONTEXT], "id": list_id, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer, "validFrom": now, "credentialSubject": subject}


def _list_document(status_list: StatusList, key: SigningKey, now: str, bits: bytes) -> dict:
    if status_list.kind != "BitstringStatusList" or len(status_list.purposes) != 1:
        raise InputError("mcred updates Bitstring Status Lists with one purpose, as `mcred status init` makes "
                         f"them; this one is a {status_list.kind} ({'/'.join(status_list.purposes)})",
                         file=status_list.file, code="STATUS_LIST_UNSUPPORTED")
    return _bitstring_list(status_list.id, status_list.subject_id, key.did, now, status_list.purposes[0], bits)


def _interrupted_init(path: Path) -> bool:
    """A sidecar without its list, that handed out nothing, is what a crashed ``init`` leaves: redo it."""
    side = alloc_path(path)
    if not side.exists():
        return False
    try:
        allocated = json.loads(side.read_text(encoding="utf-8")).get("allocated")
    except (OSError, ValueError, AttributeError):
        allocated = None
    if allocated != 0:
        raise OutputExistsError(f"{side.name} already exists", file=str(side),
                                hint="it records indexes already handed out; move it away only if you are "
                                "sure no credential uses this list")
    return True


def allocate_index(list_path: str | Path, *, issuer: str | None = None) -> tuple[str, int, str]:
    """Hand out one never-used index of a status list: (list id, index, purpose).

    With ``issuer`` (the DID that will issue the credential), a list of another issuer is
    refused: verifiers would not use it (``STATUS_LIST_FOREIGN``).
    """
    return allocate_indexes(list_path, 1, issuer=issuer)[0]


def allocate_indexes(list_path: str | Path, count: int, *, issuer: str | None = None) -> list[Allocation]:
    """Hand out ``count`` never-used indexes, recording them (durably) before returning them."""
    list_path = Path(list_path)
    with _locked(list_path):
        status_list = parse_status_list(read_json(list_path), file=str(list_path))
        if issuer is not None and status_list.issuer != issuer:
            raise InputError(f"the status list's issuer {status_list.issuer} is not the issuer of the credentials "
                             f"({issuer})", file=str(list_path), path="$.issuer", code="STATUS_LIST_FOREIGN",
                             hint="use a list made with the same key (`mcred status init --key ...`)")
        sidecar = _read_sidecar(list_path, status_list)
        start = sidecar["allocated"]
        if start + count > status_list.size:
            raise InputError(f"the status list is full: {start} of {status_list.size} indexes are in use",
                             file=str(list_path), code="STATUS_LIST_FULL",
                             hint="create another list with `mcred status init` and issue with that one")
        key = bytes.fromhex(sidecar["shuffle_key"])
        indexes = [shuffled_index(key, n, status_list.size) for n in range(start, start + count)]
        _write_sidecar(list_path, {**sidecar, "allocated": start + count}, replace=True)
    purpose = status_list.purposes[0]
    return [Allocation(status_list.id, index, purpose) for index in indexes]


def update_status_list(path: str | Path, key: SigningKey, indexes: Iterable[int], action: str, *,
                       now: str | None = None) -> UpdateResult:
    """Revoke, suspend or reinstate indexes, re-sign the list and replace it atomically.

    Refuses a list that does not verify (re-signing would launder a tampered copy),
    a key that is not the list's issuer, an action the list's purpose does not allow,
    and an index outside the list or (when the sidecar is there) never handed out.
    """
    from .dates import now_timestamp

    path = Path(path)
    wanted_purpose = "revocation" if action == "revoke" else "suspension"
    with _locked(path):
        status_list = load_status_list(path)
        if not status_list.trusted:
            raise InputError(f"the status list does not verify: {status_list.problem[0]}", file=str(path),
                             code="STATUS_LIST_INVALID", hint="restore the list from a backup; mcred will not "
                             "re-sign a list that may have been changed")
        if status_list.issuer != key.did:
            raise SigningError(f"this key ({key.did}) is not the list's issuer ({status_list.issuer})",
                               file=str(path), path="$.issuer", hint="use the key the list was created with")
        _check_action(action, wanted_purpose, status_list, path)
        indexes = sorted(set(indexes))
        _check_indexes(indexes, status_list, path)
        bits = bytearray(status_list.bits)
        result = UpdateResult()
        for index in indexes:
            target = action != "reinstate"
            (result.changed if bit_is_set(bits, index) != target else result.unchanged).append(index)
            set_bit(bits, index, target)
        if not result.changed:
            return result
        now = now or now_timestamp()
        # the new list is written from what the old one says (its graph), in mcred's own form
        document = _list_document(status_list, key, now, bytes(bits))
        result.document = _sign(document, key, now, str(path))
        write_new_file(path, _json_bytes(result.document), force=True)
        _sync_folder(path)
    return result


def describe_status_list(path: str | Path, *, index: int | None = None, now: datetime | None = None,
                         cap: int = 10_000) -> dict:
    """What ``mcred status show`` reports (the ``mcred-status/1`` JSON): InputError if not a status list."""
    path = Path(path)
    status_list = load_status_list(path, now=now)
    set_bits = list(itertools.islice(set_indexes(status_list.bits), cap + 1))
    info: dict[str, Any] = {
        "format": SHOW_FORMAT, "file": str(path), "id": status_list.id, "kind": status_list.kind,
        "issuer": status_list.issuer, "purpose": "/".join(status_list.purposes),
        "valid_from": status_list.valid_from, "size": status_list.size, "verified": status_list.trusted,
        "problem": status_list.problem[0] if status_list.problem else None,
        "set_count": int.from_bytes(status_list.bits, "big").bit_count(),
        "set": set_bits[:cap], "set_truncated": len(set_bits) > cap, "allocated": None,
    }
    with contextlib.suppress(InputError):
        info["allocated"] = _read_sidecar(path, status_list)["allocated"]
    if index is not None:
        if not 0 <= index < status_list.size:
            raise UsageError(f"--index {index} is outside the list (0 to {status_list.size - 1})", file=str(path))
        info["index"] = {"index": index, "set": status_list.is_set(index)}
    return info


def _check_action(action: str, wanted: str, status_list: StatusList, path: Path) -> None:
    if action not in ("revoke", "suspend", "reinstate"):
        raise UsageError(f"unknown action {action!r}")
    if wanted in status_list.purposes:
        return
    listed = "/".join(status_list.purposes)
    hint = ("revocation is final; to be able to undo, issue with a suspension list" if action == "reinstate"
            else f"{action} needs a {wanted} list; this one is a {listed} list")
    raise UsageError(f"cannot {action} in a {listed} list", file=str(path), hint=hint)


def _check_indexes(indexes: list[int], status_list: StatusList, path: Path) -> None:
    if not indexes:
        raise UsageError("give at least one index")
    outside = [i for i in indexes if not 0 <= i < status_list.size]
    if outside:
        raise UsageError(f"index {outside[0]} is outside the list (0 to {status_list.size - 1})", file=str(path))
    side = alloc_path(path)
    if not side.exists():
        return  # a copy of the list without its sidecar: nothing to check against
    sidecar = _read_sidecar(path, status_list)
    key = bytes.fromhex(sidecar["shuffle_key"])
    never = [i for i in indexes if unshuffled_position(key, i, status_list.size) >= sidecar["allocated"]]
    if never:
        raise UsageError(f"index {never[0]} was never handed out from this list", file=str(path),
                         hint="check the index in the issuing manifest (status_index)")


def _sign(document: dict, key: SigningKey, now: str, file: str) -> dict:
    from .signing import sign_credential

    return sign_credential(document, key, suite=RDFC, created=now, file=file)  # it signs a copy


# --- allocation order: a keyed permutation of [0, size) ----------------------------------------


def shuffled_index(key: bytes, position: int, size: int) -> int:
    """The index handed out ``position``-th: a keyed permutation of [0, size), cycle-walked."""
    return _cycle_walk(key, position, size, inverse=False)


def unshuffled_position(key: bytes, index: int, size: int) -> int:
    """The inverse of :func:`shuffled_index`: at which position an index is handed out."""
    return _cycle_walk(key, index, size, inverse=True)


def _cycle_walk(key: bytes, value: int, size: int, *, inverse: bool) -> int:
    # the Feistel network permutes a power of four at least as large as size; walk until back inside it
    half = _half_bits(size)
    while True:
        value = _feistel(key, value, half, inverse=inverse)
        if value < size:
            return value


def _half_bits(size: int) -> int:
    return max(1, ((size - 1).bit_length() + 1) // 2)


def _feistel(key: bytes, value: int, half: int, *, inverse: bool) -> int:
    mask = (1 << half) - 1
    left, right = value >> half, value & mask
    if not inverse:
        for round_ in range(_ROUNDS):
            left, right = right, left ^ _round(key, round_, right, mask)
    else:
        for round_ in reversed(range(_ROUNDS)):
            left, right = right ^ _round(key, round_, left, mask), left
    return (left << half) | right


def _round(key: bytes, round_: int, value: int, mask: int) -> int:
    digest = hmac.new(key, bytes([round_]) + value.to_bytes(8, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") & mask


# --- files ---------------------------------------------------------------------------------


def _read_sidecar(list_path: Path, status_list: StatusList) -> dict:
    side = alloc_path(list_path)
    try:
        sidecar = json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{side.name} is missing, so mcred cannot tell which indexes are free", file=str(side),
                         code="STATUS_ALLOC_MISSING", hint="allocate from the issuer's own copy of the list, "
                         "the one `mcred status init` made (the sidecar is never published)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the allocation file: {exc}", file=str(side),
                         code="STATUS_ALLOC_INVALID") from None
    valid = (isinstance(sidecar, dict) and sidecar.get("format") == ALLOC_FORMAT
             and isinstance(sidecar.get("allocated"), int) and isinstance(sidecar.get("shuffle_key"), str)
             and re.fullmatch(r"[0-9a-f]{64}", sidecar["shuffle_key"]) is not None)
    if not valid:
        raise InputError(f"{side.name} is not an {ALLOC_FORMAT} file", file=str(side), code="STATUS_ALLOC_INVALID")
    if sidecar.get("list") != status_list.id or sidecar.get("size") != status_list.size:
        raise InputError(f"{side.name} belongs to another list ({sidecar.get('list')}, "
                         f"{sidecar.get('size')} entries)", file=str(side), code="STATUS_ALLOC_INVALID")
    return sidecar


def _write_sidecar(list_path: Path, sidecar: dict, *, replace: bool) -> None:
    side = alloc_path(list_path)
    write_new_file(side, _json_bytes(sidecar), mode=0o600, force=replace)
    _sync_folder(side)


def _sync_folder(path: Path) -> None:
    """fsync the folder, so that the rename that put ``path`` in place survives a power cut."""
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(list_path: Path) -> Iterator[None]:
    """An exclusive lock on ``LIST.json.lock`` (released by the OS if the process dies)."""
    folder = list_path.parent if str(list_path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("the folder does not exist", file=str(folder))
    fd = os.open(f"{list_path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock_fd(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock_fd(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def read_json(path: Path) -> Any:
    """A JSON file, bounded like every mcred input; InputError if unusable."""
    data = read_input(path)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError("malformed JSON", file=str(path), code="JSON_MALFORMED") from None


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _check_list_id(list_id: str) -> None:
    if not _IRI.match(list_id or ""):
        raise UsageError(f"--id {list_id!r} is not an absolute URL or URN without a fragment",
                         hint="e.g. --id https://its.example/status/1 or --id urn:uuid:... (the index "
                         "becomes the fragment: <id>#<index>)")

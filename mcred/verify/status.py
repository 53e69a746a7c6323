"""Offline revocation and suspension with W3C Bitstring Status Lists kept as local files: the verifier's side.

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

**The entry.** A W3C credential names its list and index with a
``BitstringStatusListEntry`` (or a ``StatusList2021Entry``); an ELM credential
carries a typed ``xsd:anyURI`` literal ``<list id>#<index>`` (why: see
:mod:`mcred.issue.status_lists`, which makes lists and entries for issuers).

**Checking.** :func:`mcred.verify.status_copies.load_status_lists` reads local copies and verifies each like
a credential (proof, issuer controls the key, validity dates); a copy that fails
is kept but untrusted, and a credential checked against it gets "could not
check", never "revoked". A list whose issuer is not the credential's issuer is
not used either (a warning). Fail safe, neither is ever taken to say "active":
when such a copy verifies as its own signer's and has the entry's bit set, the
credential is not accepted (``STATUS_SET_IN_SIGNED_LIST``). A file that is not a
status list at all stops nothing (``STATUS_LIST_UNREADABLE`` for the credentials
whose list it is), and a list of the same name under another id is read in the
named one's place only with a warning (``STATUS_LIST_ID_MISMATCH``). :func:`check_status` returns the ``status`` results
for :mod:`mcred.verify.checks`; the codes are in :data:`MESSAGES_EN` / :data:`MESSAGES_IT`.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, NamedTuple

from mcred.errors import InputError
from mcred.messages import register

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"
PURPOSES = ("revocation", "suspension")
#: Bitstring Status List 3.2 step 2: the minimum number of entries (16 KB of bits)
MIN_ENTRIES = 131_072
#: the largest list mcred reads or makes (8 MiB of bits): a GZIP bomb stops here
MAX_ENTRIES = 8 * 8 * 1024 * 1024
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_B64_ANY = re.compile(r"^[A-Za-z0-9_+/-]*={0,2}$")


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
    #: its own proof, its signer's key and its dates hold, whether or not mcred relies on it (``trusted``)
    verified: bool = False
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
        #: the files given that could not be read as status lists at all (see :class:`UnreadableList`)
        self.unreadable: list[UnreadableList] = []
        #: the Status List Tokens given (:class:`mcred.verify.token_status.TokenCopy`), verified when used
        self.tokens: list = []
        for status_list in lists:
            self.add(status_list)

    def add(self, status_list: StatusList) -> None:
        self._by_id.setdefault(status_list.id, []).append(status_list)

    def add_token(self, token) -> None:
        self.tokens.append(token)

    def add_unreadable(self, unreadable: UnreadableList) -> None:
        self.unreadable.append(unreadable)

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


class UnreadableList(NamedTuple):
    """A ``--status-list`` file that could not be read or parsed as a status list (bad JSON, not a list).

    It decides nothing: it only lets a credential whose list is missing say why ("the file given
    for it could not be read") instead of "no copy was given". ``claimed_id`` is the file's
    top-level ``id`` when it has one: unverified, and used only to pick that message.
    """

    file: str
    claimed_id: str | None
    reason: str
    reason_it: str


BSL = "https://www.w3.org/ns/credentials/status#"
SL2021 = "https://w3id.org/vc/status-list#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
#: list credential type -> (list type, the vocabulary of its terms)
_LIST_KINDS = {BSL + "BitstringStatusListCredential": ("BitstringStatusList", BSL),
               SL2021 + "StatusList2021Credential": ("StatusList2021", SL2021)}
#: entry type -> (its name, the vocabulary of its terms)
_ENTRY_KINDS = {BSL + "BitstringStatusListEntry": ("BitstringStatusListEntry", BSL),
                SL2021 + "StatusList2021Entry": ("StatusList2021Entry", SL2021)}


def parse_status_list(document: Any, *, file: str | None = None, facts=None) -> StatusList:
    """A status list credential's parts, read from its signed graph, unverified; InputError if it is not one.

    ``facts`` is the list's :class:`mcred.graph.facts.CredentialFacts` when the caller has
    them (a verification reads the graph anyway).
    """
    from mcred.graph.facts import VC, GraphError, read_facts
    from mcred.graph.nodes import Literal, MultipleValues, read_graph

    def refuse(message: str, path: str = "$") -> InputError:
        return InputError(message, file=file, path=path, code="STATUS_LIST_MALFORMED",
                          hint="give a BitstringStatusListCredential, as `mcred status init` makes")

    if not isinstance(document, dict):
        raise refuse("a status list must be a JSON object")
    if facts is None:
        from mcred.jsonld.process import check_contexts, expand_safely

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


# --- entries in credentials --------------------------------------------------------------------


class StatusRef(NamedTuple):
    """Where a credential's status is: a list, an index, and the purpose the entry states (if any)."""

    list_id: str
    index: int
    purpose: str | None
    path: str
    #: the index was written as a JSON number, not the string the specifications require (read, with a warning)
    index_not_string: bool = False


class _Unreadable(NamedTuple):
    """An entry mcred cannot use: malformed (reason in English and Italian), or of an unsupported kind."""

    path: str
    reason: tuple[str, str] | None = None
    unsupported: tuple[str, Any] | None = None  # (field, value)


def status_refs(facts) -> list[StatusRef | _Unreadable]:
    """Each ``credentialStatus`` of a credential (its :class:`mcred.graph.facts.CredentialFacts`), read from the
    signed graph as a :class:`StatusRef`, or why it cannot be."""
    from mcred.graph.facts import CREDENTIAL_STATUS

    values = facts.node.values(CREDENTIAL_STATUS)
    if len(values) == 1:
        return [_read_entry(values[0], "$.credentialStatus")]
    return [_read_entry(value, f"$.credentialStatus[{index}]") for index, value in enumerate(values)]


def _read_entry(entry: Any, path: str) -> StatusRef | _Unreadable:
    from mcred.graph.nodes import Literal, MultipleValues

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
        from mcred.graph.nodes import term_of

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
    # Bitstring Status List and StatusList2021 say "a string"; issuers that write a JSON number (an
    # xsd:integer in the signed graph) mean the same index, so it is read, with a warning
    if not (isinstance(index, Literal) and index.datatype in (XSD_STRING, XSD_INTEGER) and index.lexical.isascii()
            and index.lexical.isdigit()):
        return _Unreadable(path, _REASONS["bad_index"])
    if not isinstance(purpose, Literal):
        return _Unreadable(path, _REASONS["no_purpose"])
    if purpose.lexical not in PURPOSES:
        return _Unreadable(path, unsupported=("statusPurpose", purpose.lexical))
    if size is not None and getattr(size, "lexical", None) != "1":
        return _Unreadable(path, unsupported=("statusSize", getattr(size, "lexical", size)))
    return StatusRef(list_id, _index_value(index.lexical), purpose.lexical, path,
                     index_not_string=index.datatype == XSD_INTEGER)


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
    "bad_index": ("statusListIndex must be a non-negative base-10 integer, written as a string",
                  "statusListIndex deve essere un intero non negativo in base 10, scritto come stringa"),
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
    # issue 16: broken --status-list files, lists under another id, numeric indexes
    "STATUS_LIST_UNREADABLE": ("could not check: the file given for {list_id}, {file}, cannot be read as a "
                               "status list ({reason})",
                               "give the list the entry names, as its issuer publishes it (a signed "
                               "BitstringStatusListCredential or StatusList2021Credential)"),
    "STATUS_LIST_ID_MISMATCH": ("no copy of {list_id} was given; {file}, the list {other_id} (the same name, "
                                "another id), was read in its place", "give the list the entry names, or ask "
                                "the issuer why the ids differ"),
    "STATUS_INDEX_NOT_STRING": ("statusListIndex {index} is written as a number, not as the string the "
                                "specification requires; it was read as index {index}",
                                "the issuer should write the index as a string"),
    "STATUS_SET_IN_UNUSED_LIST": ("the copy of {list_id} that could not be relied on ({file}) has bit {index} "
                                  "set: by that list, the credential's {purpose} status is set",
                                  "get the issuer's own, verified list to know; until then do not rely on the "
                                  "credential (--strict refuses it)"),
    "STATUS_SET_IN_SIGNED_LIST": ("{file}, a copy of {list_id} signed by {list_issuer}, has bit {index} set: "
                                  "by that list the credential's {purpose} status is set, so it is not accepted",
                                  "mcred does not rely on that list to say the credential is active; give the "
                                  "issuer's own current list to know its status"),
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
    "STATUS_LIST_UNREADABLE": ("impossibile controllare: il file fornito per {list_id}, {file}, non è leggibile "
                               "come elenco di stato ({reason_it})",
                               "fornite l'elenco indicato dalla voce, così come lo pubblica l'emittente (una "
                               "BitstringStatusListCredential o StatusList2021Credential firmata)"),
    "STATUS_LIST_ID_MISMATCH": ("non è stata fornita una copia di {list_id}; al suo posto è stato letto "
                                "{file}, l'elenco {other_id} (lo stesso nome, un altro id)", "fornite "
                                "l'elenco indicato dalla voce, o chiedete all'emittente perché gli id "
                                "differiscono"),
    "STATUS_INDEX_NOT_STRING": ("statusListIndex {index} è scritto come numero, non come la stringa richiesta "
                                "dalla specifica; è stato letto come posizione {index}",
                                "l'emittente dovrebbe scrivere la posizione come stringa"),
    "STATUS_SET_IN_UNUSED_LIST": ("la copia di {list_id} su cui non si può fare affidamento ({file}) ha il bit "
                                  "{index} impostato: secondo quell'elenco la credenziale è in stato di "
                                  "{purpose_it}", "procuratevi l'elenco autentico dell'emittente; fino ad "
                                  "allora non fate affidamento sulla credenziale (--strict la rifiuta)"),
    "STATUS_SET_IN_SIGNED_LIST": ("{file}, una copia di {list_id} firmata da {list_issuer}, ha il bit {index} "
                                  "impostato: secondo quell'elenco la credenziale è in stato di {purpose_it}, "
                                  "quindi non è accettata", "mcred non si basa su quell'elenco per dire che la "
                                  "credenziale è attiva; fornite l'elenco aggiornato dell'emittente per "
                                  "conoscerne lo stato"),
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
    results = []
    for ref in refs:
        results.extend(_check_one(ref, issuer_id, lists))
        if isinstance(ref, StatusRef) and ref.index_not_string:
            results.append(_result("WARNING", "STATUS_INDEX_NOT_STRING", ref.path, index=ref.index))
    return results


def _check_one(ref: StatusRef | _Unreadable, issuer_id: str | None, lists: StatusLists | None) -> list:
    """The results for one entry: its verdict, and beside it a warning when the list was read under another id."""
    if isinstance(ref, _Unreadable):
        if ref.unsupported is not None:
            field_name, value = ref.unsupported
            return [_result("WARNING", "STATUS_UNSUPPORTED", ref.path, field=field_name, value=value)]
        return [_result("FAILED", "STATUS_ENTRY_MALFORMED", ref.path, reason=ref.reason[0],
                        reason_it=ref.reason[1])]
    at = {"path": ref.path, "list_id": ref.list_id}
    copies = lists.copies(ref.list_id) if lists is not None else []
    if copies or lists is None:
        return _decide(ref, copies, issuer_id, at)
    if not any(u.claimed_id == ref.list_id for u in lists.unreadable):
        # The list the entry names was not given, but a list of the same name under another id was (fixtures
        # and issuers that moved their lists do this). It is read in its place, never silently: the same
        # rules hold (only the credential's issuer's own list decides), and a warning names both ids.
        name = _last_segment(ref.list_id)
        aliases = [c for c in lists if name and _last_segment(c.id) == name]
        if aliases:
            return [*_decide(ref, aliases, issuer_id, at),
                    _result("WARNING", "STATUS_LIST_ID_MISMATCH", **at, file=aliases[0].file or "?",
                            other_id=aliases[0].id)]
    return [_why_no_copy(ref, lists, at)]


def _decide(ref: StatusRef, copies: list[StatusList], issuer_id: str | None, at: dict) -> list:
    """The verdict of one entry against the copies of its list that were given; when no copy can be relied on
    but one has the entry's bit set, a second warning says so (the verdict stays "could not check")."""
    results = [_verdict(ref, copies, issuer_id, at)]
    if results[0].code in ("STATUS_LIST_FOREIGN", "STATUS_LIST_INVALID"):
        marked = [c for c in copies if ref.index < c.size and c.is_set(ref.index)]
        if marked:
            # Fail safe: a copy that verifies as its signer's (another key's, or too short to rely on for
            # "active") and marks the credential is never taken to say "active", and its mark is not ignored
            # either: the credential is refused until the issuer's own list says otherwise. A copy that does
            # not verify at all (tampered, expired) decides nothing: a warning.
            signed = next((c for c in marked if c.verified), None)
            copy = signed or marked[0]
            purpose = ref.purpose or "/".join(copy.purposes)
            params = {**at, "file": copy.file or "?", "index": ref.index, "purpose": purpose,
                      "purpose_it": "/".join(_PURPOSE_IT.get(p, p) for p in purpose.split("/"))}
            if signed is not None:
                results.append(_result("FAILED", "STATUS_SET_IN_SIGNED_LIST", **params,
                                       list_issuer=signed.issuer or "?"))
            else:
                results.append(_result("WARNING", "STATUS_SET_IN_UNUSED_LIST", **params))
    return results


def _verdict(ref: StatusRef, copies: list[StatusList], issuer_id: str | None, at: dict):
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


def _why_no_copy(ref: StatusRef, lists: StatusLists, at: dict):
    """The warning for an entry whose list has no copy: a file given for it could not be read (one that says it
    is this list, else one that says nothing: it may be), or none was given."""
    broken = ([u for u in lists.unreadable if u.claimed_id == ref.list_id]
              or [u for u in lists.unreadable if u.claimed_id is None])
    if broken:
        return _result("WARNING", "STATUS_LIST_UNREADABLE", **at, file=broken[0].file,
                       reason=broken[0].reason, reason_it=broken[0].reason_it)
    return _result("WARNING", "STATUS_NOT_CHECKED", **at)


def _last_segment(url: str) -> str:
    """The last path segment of a list's URL ("e5WK8" of https://host/status/e5WK8), without a fragment."""
    return url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _listed_at(status_list: StatusList) -> datetime:
    """When a copy of a list was made (its validFrom), for ordering copies; the earliest time if unknown."""
    from mcred.dates import parse_datetime

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
    from mcred.report import CheckResult, Status

    template, hint = MESSAGES_EN[code]
    return CheckResult("status", Status[status], template.format(**params), code, path, hint, params)



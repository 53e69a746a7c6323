"""Trusted issuers: who a verifier knows, by which keys, and when each key was in use.

A valid signature says that a key signed the credential, not whose key it is:
anyone can make a ``did:key`` and write any ``legalName`` beside it. A *trust
file* records the issuers a verifier has decided to trust, so that ``mcred
verify`` can tell "I don't know this issuer" (a warning) from "this credential
is forged" (a failure), and show the issuer's name as *you* wrote it, never as
the credential claims it.

The trust file (YAML or, for a ``.json`` file name, JSON)::

    mcred: trust/1                         # format tag, required
    issuers:                               # required; may be empty
      - id: did:key:z6Mk...                # required: the credential's `issuer` (or `issuer.id`)
        legal_name: {it: Fondazione ITS ..., en: ITS Academy ...}   # required, >= 1 language
        country: ITA                       # required: ISO 3166-1 alpha-3
        accreditation: "Regione ..., n. 123"   # optional free text
        keys:                              # optional for a did:key id, required otherwise
          - verification_method: did:key:z6Mk...#z6Mk...   # a did:key (a bare did:key is accepted)
            valid_from: 2025-01-01T00:00:00Z              # optional
            valid_until: 2026-06-30T23:59:59Z             # optional: a retired (rotated) key
    documents:                             # optional: DID / controller documents you vouch for (mcred.keys.documents)
      - {id: did:web:its.example, assertionMethod: [...], verificationMethod: [...]}
    anchors:                               # optional: X.509 CAs whose seals you trust (mcred.seals.anchors)
      - name: ANF AC Qualified Certificates for eSeal     # your label
        sha256: 3431292a66fb...            # the CA certificate's SHA-256 fingerprint
        certificate: |                     # optional: the certificate itself, PEM
          -----BEGIN CERTIFICATE-----

Rules (every one is checked when the file is read; a problem is reported with
its path in the file, e.g. ``$.issuers[2].keys[0].valid_until``, and its line):

* no field other than those above, no duplicated field, no YAML anchors or
  aliases, and no ``null``: an optional field is left out, never left empty
  (an empty ``valid_until`` would silently trust a retired key for ever);
* ``id`` is a DID (``did:key`` ids must be Ed25519, P-256 or P-384 keys, with no fragment) or
  another absolute URI (``urn:...``, ``https://...``);
* ``keys`` lists ``did:key`` verification methods only, each at most once in the
  whole file; dates are XML Schema date-times with a time zone, and ``valid_from``
  is not after ``valid_until``;
* without ``keys``, a ``did:key`` issuer's only key is its own did:key, valid at
  any time; with ``keys``, exactly the keys listed (the list narrows). An issuer
  whose id is a DID or an ``https`` URL may leave ``keys`` out: its keys are then
  the methods its own document authorises (the proof's key resolved from the
  document whose id is the issuer); any other (``urn:...``) must list its keys;
* ``documents`` are DID or controller documents: JSON objects with an absolute
  ``id``, no two different ones with the same id (see :mod:`mcred.keys.documents`);
* no identifier belongs to two issuers: an issuer's id and the did:keys of its
  keys are unique across the file.

Which entry describes a credential's issuer: the one whose ``id`` is the
issuer, or else the one that lists the issuer's did:key among its keys. So an
organisation that rotated from key A to key B (and, issuing with ``mcred
issue``, wrote ``issuer: did:key:B`` in its new credentials) is one entry, with
A and B as keys and each key's interval.

An issuer id that is not a did:key (``urn:...``) is bound to its keys by this
file alone: :func:`bound_by_trust` says whether a proof's key belongs to it.

What the intervals can and cannot do: a proof's ``created`` is written by the
signer. The interval check catches a key used after its retirement by mistake
or by an ordinary forger who does not know to backdate; it cannot stop someone
who holds a retired private key from writing an old ``created``. A stolen key
must be removed from the file, not merely given a ``valid_until``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from mcred._files import max_number_digits, read_input, write_new_file
from mcred._yaml import YamlError, line_of
from mcred._yaml import parse as parse_yaml
from mcred.errors import InputError, TrustValueError, UsageError
from mcred.keys.did_key import ResolutionError, resolve_verification_method
from mcred.messages import register
from mcred.seals.anchors import X509Anchor

if TYPE_CHECKING:
    from mcred.proofs.data_integrity import VerifiedProof
    from mcred.report import CheckResult

FORMAT = "trust/1"

#: English message template and hint of every code evaluate_trust emits (``str.format(**params)``)
MESSAGES: dict[str, tuple[str, str | None]] = {
    "TRUST_TRUSTED": ("trusted issuer: {name} ({country})", None),
    "TRUST_UNKNOWN_ISSUER": (
        "the issuer {issuer} is not in your trust list ({file}): the signature is valid, but who "
        "signed it is not known to you",
        "add it with `mcred trust add` if you know it"),
    "TRUST_KEY_UNKNOWN": (
        "{vm} is not one of the keys the trust list {file} gives for {name} ({issuer})",
        "the credential may be forged, or the issuer may have a new key: ask the issuer, and "
        "if the key is theirs add it with `mcred trust add --issuer ... --key ...`"),
    "TRUST_KEY_OUTSIDE_INTERVAL": (
        "signed with {vm} on {created}, outside the key's validity ({valid_from} to "
        "{valid_until}) for {name}",
        "a key used outside its interval may have been retired or stolen: ask the issuer"),
    "TRUST_KEY_TIME_UNKNOWN": (
        "the proof made with {vm} does not say when it was made (it has no valid `created`), "
        "and the trust list accepts that key for {name} only from {valid_from} to {valid_until}",
        "ask the issuer for a credential whose proof states its creation time"),
}

#: the same in Italian, with the same placeholders
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "TRUST_TRUSTED": ("emittente attendibile: {name_it} ({country})", None),
    "TRUST_UNKNOWN_ISSUER": (
        "l'emittente {issuer} non è nel vostro elenco di emittenti attendibili ({file}): la firma è "
        "valida, ma chi l'ha apposta non vi è noto",
        "se conoscete questo emittente, aggiungetelo con `mcred trust add`"),
    "TRUST_KEY_UNKNOWN": (
        "la chiave {vm} non è tra quelle che l'elenco degli emittenti attendibili {file} indica "
        "per {name_it} ({issuer})",
        "la credenziale potrebbe essere falsa, oppure l'emittente potrebbe usare una chiave nuova: "
        "chiedete all'emittente e, se la chiave è sua, aggiungetela con "
        "`mcred trust add --issuer ... --key ...`"),
    "TRUST_KEY_OUTSIDE_INTERVAL": (
        "firmata con {vm} il {created}, fuori dal periodo di validità della chiave (dal "
        "{valid_from} al {valid_until}) per {name_it}",
        "una chiave usata fuori dal suo periodo potrebbe essere stata dismessa o rubata: "
        "chiedete all'emittente"),
    "TRUST_KEY_TIME_UNKNOWN": (
        "la prova firmata con {vm} non indica quando è stata creata (manca un `created` valido), "
        "e l'elenco degli emittenti attendibili accetta quella chiave per {name_it} solo dal "
        "{valid_from} al {valid_until}",
        "chiedete all'emittente una credenziale la cui prova indichi la data di creazione"),
}
register(MESSAGES_IT)

#: how an open end of a key's interval is shown
OPEN = "…"

_DID = re.compile(r"^did:[a-z0-9]+:(?:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*:)*"
                  r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_ZONED = re.compile(r"(?:Z|z|[+-]\d{2}:\d{2})$")


class TrustFileError(InputError):
    """A trust file with one or more problems; every one is in ``problems`` as (path, message, line)."""

    code = "TRUST_FILE_INVALID"

    def __init__(self, problems: list[tuple[str, str, int | None]], *, file: str) -> None:
        hint = "see docs/trust.md"
        if len(problems) == 1:
            path, message, line = problems[0]
            super().__init__(f"{message}{f' (line {line})' if line else ''}", file=file, path=path,
                             hint=hint)
        else:
            lines = [f"{f'line {line}, ' if line else ''}{path}: {message}"
                     for path, message, line in problems[:50]]
            more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
            super().__init__(f"{len(problems)} problems:\n  " + "\n  ".join(lines) + more,
                             file=file, hint=hint)
        self.problems = problems


class TrustEditError(UsageError):
    """An edit that cannot be made: a duplicate, or something that is not listed."""

    code = "TRUST_EDIT_REFUSED"


# -- the model --------------------------------------------------------------------------------


def _parse_time(value: str, field_name: str) -> datetime:
    from mcred.dates import parse_datetime

    when = parse_datetime(value) if isinstance(value, str) and _ZONED.search(value) else None
    if when is None:
        raise TrustValueError(f"{value!r} is not a date-time with a time zone "
                              "(e.g. 2026-06-30T23:59:59Z)", path=field_name)
    return when


def normalise_verification_method(value: Any) -> str:
    """The canonical form ``did:key:X#X`` of a did:key verification method (or bare did:key)."""
    if not isinstance(value, str):
        raise TrustValueError("must be a string", path="verification_method")
    try:
        return resolve_verification_method(value).id
    except ResolutionError as exc:
        raise TrustValueError(str(exc), path="verification_method",
                              hint="trust lists hold did:key keys; a did:web or https issuer listed "
                              "without keys is trusted with the keys its own document authorises") from None


@dataclass(frozen=True)
class TrustedKey:
    """One key of a trusted issuer and, optionally, the interval in which it signs for it."""

    verification_method: str
    valid_from: str | None = None
    valid_until: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "verification_method",
                           normalise_verification_method(self.verification_method))
        start = None if self.valid_from is None else _parse_time(self.valid_from, "valid_from")
        end = None if self.valid_until is None else _parse_time(self.valid_until, "valid_until")
        if start and end and start > end:
            raise TrustValueError(f"{self.valid_until} is before valid_from {self.valid_from}",
                                  path="valid_until")

    @property
    def did(self) -> str:
        return self.verification_method.partition("#")[0]

    @property
    def has_interval(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    def covers(self, created: str | None) -> bool | None:
        """True when a proof created then is inside the interval; None when ``created`` is unusable."""
        if not self.has_interval:
            return True
        from mcred.dates import parse_datetime

        when = parse_datetime(created) if created is not None else None
        if when is None:
            return None
        start = None if self.valid_from is None else parse_datetime(self.valid_from)
        end = None if self.valid_until is None else parse_datetime(self.valid_until)
        return (start is None or start <= when) and (end is None or when <= end)


def check_issuer_id(value: Any) -> str:
    """Return ``value`` if it can be an issuer id (a DID or an absolute URI); raise otherwise."""
    if not isinstance(value, str):
        raise TrustValueError("must be a string", path="id")
    if value.startswith("did:"):
        if not _DID.match(value):
            raise TrustValueError(f"{value!r} is not a DID (did:method:identifier, with no path, "
                                  "query or fragment)", path="id")
        if value.startswith("did:key:"):
            try:
                resolve_verification_method(value)
            except ResolutionError as exc:
                raise TrustValueError(str(exc), path="id") from None
    elif not _URI.match(value):
        raise TrustValueError(f"{value!r} is neither a DID nor an absolute URI "
                              "(urn:..., https://...)", path="id")
    return value


def _check_names(names: Any) -> MappingProxyType:
    if not isinstance(names, Mapping) or not names:
        raise TrustValueError("must map at least one language code to a name, e.g. {it: ..., en: ...}",
                              path="legal_name")
    for lang, text in names.items():
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise TrustValueError(f"{lang!r} is not a language code (it, en, de-AT, ...)",
                                  path=f"legal_name.{lang}")
        if not isinstance(text, str) or not text.strip():
            raise TrustValueError("must be a non-empty string", path=f"legal_name.{lang}")
    return MappingProxyType(dict(names))


def _check_country(value: Any) -> str:
    if not isinstance(value, str) or not _COUNTRY.match(value):
        raise TrustValueError(f"{value!r} is not an ISO 3166-1 alpha-3 code (ITA, DEU, ...)",
                              path="country")
    return value


@dataclass(frozen=True)
class TrustedIssuer:
    """A trusted issuer: its id, its name as you know it, and its keys."""

    id: str
    legal_name: Mapping[str, str]
    country: str
    accreditation: str | None = None
    keys: tuple[TrustedKey, ...] = ()

    def __post_init__(self) -> None:
        check_issuer_id(self.id)
        object.__setattr__(self, "legal_name", _check_names(self.legal_name))
        _check_country(self.country)
        if self.accreditation is not None and (not isinstance(self.accreditation, str)
                                               or not self.accreditation.strip()):
            raise TrustValueError("must be a non-empty string", path="accreditation")
        object.__setattr__(self, "keys", tuple(self.keys))
        if not self.keys and not self.id.startswith(("did:", "https://")):
            raise TrustValueError(f"{self.id} is not a did:key, so its keys must be listed (only a DID or "
                                  "https issuer may list none: its own document's keys then count)",
                                  path="keys")
        seen: set[str] = set()
        for index, key in enumerate(self.keys):
            if key.verification_method in seen:
                raise TrustValueError(f"{key.verification_method} is listed twice",
                                      path=f"keys[{index}].verification_method")
            seen.add(key.verification_method)

    @property
    def effective_keys(self) -> tuple[TrustedKey, ...]:
        """The keys listed or, for a did:key issuer that lists none, its own key at any time (for another
        issuer that lists none: no key here; :meth:`signs_with_own_document` says which)."""
        if self.keys or not self.id.startswith("did:key:"):
            return self.keys
        return (TrustedKey(self.id),)

    def signs_with_own_document(self, controller: str) -> bool:
        """True for an issuer that lists no keys (a did:web or https id) and a proof whose key its own
        document authorised: the key was resolved from the document whose id is this issuer."""
        return not self.keys and not self.id.startswith("did:key:") and controller == self.id

    def key_for(self, verification_method: str) -> TrustedKey | None:
        """The listed key that is this verification method (did:key forms are normalised)."""
        try:
            wanted = normalise_verification_method(verification_method)
        except TrustValueError:
            return None
        return next((k for k in self.effective_keys if k.verification_method == wanted), None)

    def name(self, lang: str = "en") -> str:
        """The legal name in ``lang`` (or its primary language), else English, else the first."""
        primary = lang.partition("-")[0]
        for candidate in (lang, primary, "en"):
            if candidate in self.legal_name:
                return self.legal_name[candidate]
        return next(iter(self.legal_name.values()))

    def _identifiers(self) -> list[tuple[str, str]]:
        """(identifier, relative path): the id, and the did of each listed key that is not the id."""
        out = [(self.id, "id")]
        for index, key in enumerate(self.keys):
            if key.did != self.id:
                out.append((key.did, f"keys[{index}].verification_method"))
        return out


@dataclass(frozen=True)
class TrustList:
    """The issuers a verifier trusts, as read from (or to be written to) a trust file."""

    issuers: tuple[TrustedIssuer, ...] = ()
    #: where it was read from, for messages; not part of its value
    file: str | None = field(default=None, compare=False)
    #: X.509 trust anchors, for credentials sealed with JAdES (mcred.seals.anchors)
    anchors: tuple[X509Anchor, ...] = ()
    #: DID and controller documents you vouch for (a :class:`mcred.keys.documents.Documents`), or None
    documents: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "issuers", tuple(self.issuers))
        object.__setattr__(self, "anchors", tuple(self.anchors))
        fingerprints = [a.sha256 for a in self.anchors]
        for index, digest in enumerate(fingerprints):
            if digest in fingerprints[:index]:
                raise TrustValueError(f"the anchor {digest} is listed twice", path=f"anchors[{index}].sha256")
        owners: dict[str, str] = {}
        for index, issuer in enumerate(self.issuers):
            for identifier, where in issuer._identifiers():
                if identifier in owners:
                    raise TrustValueError(f"{identifier} already belongs to the issuer "
                                          f"{owners[identifier]}", path=f"issuers[{index}].{where}")
                owners[identifier] = issuer.id

    def anchors_by_fingerprint(self) -> dict[str, X509Anchor]:
        """The X.509 trust anchors by SHA-256 fingerprint (what chain building looks up)."""
        return {anchor.sha256: anchor for anchor in self.anchors}

    def get(self, issuer_id: str) -> TrustedIssuer | None:
        """The entry whose id is exactly ``issuer_id``."""
        return next((i for i in self.issuers if i.id == issuer_id), None)

    def find(self, issuer_id: str | None) -> TrustedIssuer | None:
        """The entry for a credential's issuer: by id, or the one listing that did:key as a key."""
        if issuer_id is None:
            return None
        found = self.get(issuer_id)
        if found is None and issuer_id.startswith("did:key:"):
            found = next((i for i in self.issuers if any(k.did == issuer_id for k in i.keys)), None)
        return found


# -- reading and writing ----------------------------------------------------------------------


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _number_too_long() -> str:
    return f"a number has more than {max_number_digits()} digits"


def _parse(text: str, path: Path) -> tuple[Any, dict[str, int]]:
    """The data and, for YAML, the line of each path."""
    name = str(path)
    if _is_json(path):
        def pairs(items):
            keys = [k for k, _ in items]
            duplicated = next((k for k in keys if keys.count(k) > 1), None)
            if duplicated is not None:
                raise TrustFileError([("$", f"the field {duplicated!r} is given twice", None)],
                                     file=name)
            return dict(items)

        try:
            return json.loads(text, object_pairs_hook=pairs), {}
        except json.JSONDecodeError as exc:
            raise TrustFileError([("$", f"malformed JSON: {exc.msg}", exc.lineno)], file=name) from None
        except RecursionError:
            raise TrustFileError([("$", "nested too deeply", None)], file=name) from None
        except ValueError:  # int() of a number too long for Python
            raise TrustFileError([("$", _number_too_long(), None)], file=name) from None
    try:
        return parse_yaml(text, file=name)
    except YamlError as exc:
        raise TrustFileError([("$", exc.detail, exc.line)], file=name) from None



_ISSUER_FIELDS = {"id": True, "legal_name": True, "country": True, "accreditation": False,
                  "keys": False}
_KEY_FIELDS = {"verification_method": True, "valid_from": False, "valid_until": False}


class _Collector:
    """Gathers every problem of a trust file with its path."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fields(self, raw: Any, path: str, spec: dict[str, bool], what: str) -> dict | None:
        """The known, non-null fields of ``raw``; every unknown, null or missing field is a problem.

        None when ``raw`` is not a mapping or lacks a required field (nothing more to check).
        """
        if not isinstance(raw, dict):
            self.problems.append((path, f"{what} must be a mapping"))
            return None
        for name in raw:
            if name not in spec:
                self.problems.append((f"{path}.{name}", f"unknown field ({what} has "
                                      f"{', '.join(spec)})"))
            elif raw[name] is None:
                self.problems.append((f"{path}.{name}", "is empty: give a value or leave the "
                                      "field out"))
        missing = [name for name, required in spec.items() if required and name not in raw]
        self.problems.extend((f"{path}.{name}", "is required") for name in missing)
        known = {name: value for name, value in raw.items() if name in spec and value is not None}
        return None if any(spec[name] and name not in known for name in spec) else known

    def build(self, path: str, make, *args, **kwargs):
        """Call ``make``; a TrustValueError becomes a problem at ``path`` + its relative field."""
        try:
            return make(*args, **kwargs)
        except TrustValueError as exc:
            self.problems.append((f"{path}.{exc.path}" if exc.path else path, exc.message))
            return None


def _anchor_from(raw: Any, path: str, out: _Collector) -> X509Anchor | None:
    known = out.fields(raw, path, {"name": True, "sha256": True, "certificate": False}, "an anchor")
    return None if known is None else out.build(path, X509Anchor, **known)


def _key_from(raw: Any, path: str, out: _Collector) -> TrustedKey | None:
    before = len(out.problems)
    known = out.fields(raw, path, _KEY_FIELDS, "a key")
    if known is None:
        return None
    # each field on its own first, so that every problem of the key is reported
    out.build(path, normalise_verification_method, known["verification_method"])
    for name in ("valid_from", "valid_until"):
        if name in known:
            out.build(path, _parse_time, known[name], name)
    return None if len(out.problems) > before else out.build(path, TrustedKey, **known)


def _issuer_from(raw: Any, path: str, out: _Collector) -> TrustedIssuer | None:
    before = len(out.problems)
    known = out.fields(raw, path, _ISSUER_FIELDS, "an issuer")
    if known is None:
        return None
    # each field on its own first, so that every problem of the entry is reported
    out.build(path, check_issuer_id, known["id"])
    out.build(path, _check_names, known["legal_name"])
    out.build(path, _check_country, known["country"])
    keys = known.get("keys")
    built = []
    if keys is not None and (not isinstance(keys, list) or not keys):
        out.problems.append((f"{path}.keys", "must list at least one key (leave the field out to "
                             "trust a did:key issuer's own key at any time)"))
    elif keys is not None:
        built = [_key_from(k, f"{path}.keys[{i}]", out) for i, k in enumerate(keys)]
    if len(out.problems) > before:
        return None
    return out.build(path, TrustedIssuer, **{**known, "keys": tuple(built)})


def _documents_from(raw: Any, file: str, out: _Collector):
    """The ``documents:`` entry, each checked as :mod:`mcred.keys.documents` checks a --did-documents file."""
    if raw is None:
        return None
    from mcred.keys.documents import DocumentError, documents_from

    if not isinstance(raw, list):
        out.problems.append(("$.documents", "must be a list of DID or controller documents"))
        return None
    try:
        return documents_from((doc, f"{file} $.documents[{i}]") for i, doc in enumerate(raw))
    except DocumentError as exc:
        where = (exc.file or "").rpartition(" ")[2] or "$.documents"
        out.problems.append((where + (exc.path or "$")[1:], exc.message))
        return None


def trust_list_from_data(data: Any, *, file: str = "<trust list>",
                         lines: dict[str, int] | None = None) -> TrustList:
    """Validate parsed trust-file data (see the module docstring); raise TrustFileError if wrong."""
    out = _Collector()
    entries: list[TrustedIssuer | None] = []
    anchors: list[X509Anchor | None] = []
    documents = None
    if out.fields(data, "$", {"mcred": True, "issuers": True, "documents": False, "anchors": False},
                  "a trust file") is not None:
        if data["mcred"] != FORMAT:
            out.problems.append(("$.mcred", f"{data['mcred']!r}: this version of mcred reads "
                                 f"{FORMAT!r}"))
        if not isinstance(data["issuers"], list):
            out.problems.append(("$.issuers", "must be a list"))
        else:
            entries = [_issuer_from(raw, f"$.issuers[{i}]", out)
                       for i, raw in enumerate(data["issuers"])]
        if not isinstance(data.get("anchors", []), list):
            out.problems.append(("$.anchors", "must be a list"))
        else:
            anchors = [_anchor_from(raw, f"$.anchors[{i}]", out) for i, raw in enumerate(data.get("anchors", []))]
        documents = _documents_from(data.get("documents"), file, out)
    trust = None
    if not out.problems:
        trust = out.build("$", TrustList, tuple(entries), file=file, anchors=tuple(anchors), documents=documents)
    if out.problems:
        lines = lines or {}
        raise TrustFileError([(p, m, line_of(lines, p)) for p, m in out.problems], file=file)
    return trust


def load_trust_list(path: str | Path) -> TrustList:
    """Read and validate a trust file (YAML, or JSON for a ``.json`` name)."""
    path = Path(path)
    data = read_input(path, what="the trust file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrustFileError([("$", f"not UTF-8 text (byte {exc.start})", None)],
                             file=str(path)) from None
    parsed, lines = _parse(text, path)
    return trust_list_from_data(parsed, file=str(path), lines=lines)


def trust_list_to_data(trust: TrustList) -> dict:
    """The trust file's content as plain data (what :func:`save_trust_list` writes)."""
    issuers = []
    for issuer in trust.issuers:
        entry: dict = {"id": issuer.id, "legal_name": dict(issuer.legal_name),
                       "country": issuer.country}
        if issuer.accreditation is not None:
            entry["accreditation"] = issuer.accreditation
        if issuer.keys:
            entry["keys"] = [{name: value for name, value in (
                ("verification_method", key.verification_method), ("valid_from", key.valid_from),
                ("valid_until", key.valid_until)) if value is not None} for key in issuer.keys]
        issuers.append(entry)
    data = {"mcred": FORMAT, "issuers": issuers}
    if trust.documents is not None and trust.documents.by_id:
        data["documents"] = list(trust.documents.by_id.values())
    if trust.anchors:
        data["anchors"] = [anchor.to_data() for anchor in trust.anchors]
    return data


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings (PEM certificates) as literal blocks."""


_BlockDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


_HEADER = ("# mcred trust list: the issuers you trust, and their keys (see mcred's\n"
           "# docs/trust.md). Edit it with `mcred trust add` / `mcred trust remove`.\n")


def save_trust_list(trust: TrustList, path: str | Path, *, force: bool = True) -> None:
    """Write the trust list atomically (YAML, or JSON for a ``.json`` name); comments are not kept."""
    path = Path(path)
    data = trust_list_to_data(trust)
    if _is_json(path):
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _HEADER + yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=100)
    write_new_file(path, text.encode("utf-8"), force=force)


# -- pure edits -------------------------------------------------------------------------------


def add_issuer(trust: TrustList, issuer: TrustedIssuer) -> TrustList:
    """A copy of the list with a new issuer; refused if its id or one of its keys is listed."""
    if trust.get(issuer.id) is not None:
        raise TrustEditError(f"the issuer {issuer.id} is already listed", file=trust.file,
                             code="TRUST_DUPLICATE",
                             hint="to add a key to it, give --key; to change it, remove it first")
    _refuse_claimed(trust, [(issuer.id, None), *((k.did, None) for k in issuer.keys)])
    return replace(trust, issuers=(*trust.issuers, issuer))


def add_key(trust: TrustList, issuer_id: str, key: TrustedKey) -> TrustList:
    """A copy of the list with one more key for a listed issuer.

    A did:key issuer that listed no keys was trusted with its own key at any
    time; that key is listed explicitly first, so adding a key never takes
    trust away. (Adding the issuer's own key with an interval narrows it.)
    """
    issuer = _listed(trust, issuer_id)
    existing = issuer.keys
    own = issuer.effective_keys  # () for a did:web or https issuer trusted with its own document's keys
    if not existing and own and key.verification_method != own[0].verification_method:
        existing = own
    if any(k.verification_method == key.verification_method for k in existing):
        raise TrustEditError(f"{key.verification_method} is already a key of {issuer_id}",
                             file=trust.file, code="TRUST_DUPLICATE",
                             hint="to change its dates, remove the key (or, if it is the only one, the issuer) "
                             "and add it again")
    if key.did != issuer.id:
        _refuse_claimed(trust, [(key.did, issuer.id)])
    return _replace_issuer(trust, replace(issuer, keys=(*existing, key)))


def remove_issuer(trust: TrustList, issuer_id: str) -> TrustList:
    """A copy of the list without the issuer."""
    _listed(trust, issuer_id)
    return replace(trust, issuers=tuple(i for i in trust.issuers if i.id != issuer_id))


def remove_key(trust: TrustList, issuer_id: str, verification_method: str) -> TrustList:
    """A copy of the list without one key of an issuer; its last key cannot be removed.

    (For a did:key issuer, no keys would mean its own key at any time: removing
    a key must never widen trust. Remove the issuer instead.)
    """
    issuer = _listed(trust, issuer_id)
    wanted = normalise_verification_method(verification_method)
    if all(k.verification_method != wanted for k in issuer.keys):
        raise TrustEditError(f"{wanted} is not a listed key of {issuer_id}", file=trust.file,
                             code="TRUST_NOT_LISTED")
    if len(issuer.keys) == 1:
        raise TrustEditError(f"{wanted} is the last key listed for {issuer_id}", file=trust.file,
                             code="TRUST_LAST_KEY",
                             hint="remove the issuer instead (without --key), or add its new key "
                             "first")
    keys = tuple(k for k in issuer.keys if k.verification_method != wanted)
    return _replace_issuer(trust, replace(issuer, keys=keys))


def add_anchor(trust: TrustList, anchor: X509Anchor) -> TrustList:
    """A copy of the list with one more X.509 trust anchor; refused if its fingerprint is listed."""
    if any(a.sha256 == anchor.sha256 for a in trust.anchors):
        raise TrustEditError(f"the anchor {anchor.sha256} is already listed", file=trust.file,
                             code="TRUST_DUPLICATE")
    return replace(trust, anchors=(*trust.anchors, anchor))


def remove_anchor(trust: TrustList, fingerprint: str) -> TrustList:
    """A copy of the list without the X.509 trust anchor of that SHA-256 fingerprint."""
    from mcred.seals.anchors import normalise_fingerprint

    wanted = normalise_fingerprint(fingerprint)
    if all(a.sha256 != wanted for a in trust.anchors):
        raise TrustEditError(f"no anchor {wanted} is listed", file=trust.file, code="TRUST_NOT_LISTED",
                             hint="`mcred trust list` shows the anchors")
    return replace(trust, anchors=tuple(a for a in trust.anchors if a.sha256 != wanted))


def add_document(trust: TrustList, document: Any, *, source: str = "the document") -> TrustList:
    """A copy of the list with one more DID or controller document; refused if its id is listed already."""
    from mcred.keys.documents import Documents, check_document, documents_from

    check_document(document, source=source)  # KEY_DOCUMENT_INVALID (exit 3), naming the file given
    current = trust.documents if trust.documents is not None else Documents()
    if document["id"] in current.by_id:
        raise TrustEditError(f"a document with the id {document['id']} is already listed", file=trust.file,
                             code="TRUST_DUPLICATE", hint="to replace it, remove it first (mcred trust "
                             "remove-document)")
    where = f"{trust.file or 'the trust list'} $.documents[{len(current)}]"
    return replace(trust, documents=current.merged(documents_from([(document, where)])))


def remove_document(trust: TrustList, document_id: str) -> TrustList:
    """A copy of the list without the document of that id."""
    from mcred.keys.documents import Documents, documents_from

    current = trust.documents if trust.documents is not None else Documents()
    if document_id not in current.by_id:
        raise TrustEditError(f"no document with the id {document_id} is listed", file=trust.file,
                             code="TRUST_NOT_LISTED", hint="`mcred trust list` shows the documents")
    kept = [(doc, current.sources[i]) for i, doc in current.by_id.items() if i != document_id]
    return replace(trust, documents=documents_from(kept) if kept else None)


def _listed(trust: TrustList, issuer_id: str) -> TrustedIssuer:
    issuer = trust.get(issuer_id)
    if issuer is None:
        raise TrustEditError(f"the issuer {issuer_id} is not listed", file=trust.file,
                             code="TRUST_NOT_LISTED", hint="`mcred trust list` shows who is")
    return issuer


def _refuse_claimed(trust: TrustList, identifiers: Iterable[tuple[str, str | None]]) -> None:
    for identifier, allowed_owner in identifiers:
        for other in trust.issuers:
            if other.id != allowed_owner and identifier in (i for i, _ in other._identifiers()):
                raise TrustEditError(f"{identifier} already belongs to the issuer {other.id}",
                                     file=trust.file, code="TRUST_DUPLICATE")


def _replace_issuer(trust: TrustList, issuer: TrustedIssuer) -> TrustList:
    return replace(trust, issuers=tuple(issuer if i.id == issuer.id else i for i in trust.issuers))


# -- verification -----------------------------------------------------------------------------


def issuer_name(issuer_id: str | None, trust: TrustList | None, lang: str = "en") -> str | None:
    """The issuer's name as the trust file gives it (never as the credential claims it), or None."""
    entry = trust.find(issuer_id) if trust is not None else None
    return entry.name(lang) if entry is not None else None


def bound_by_trust(issuer_id: str | None, vm_id: str, trust: TrustList | None) -> bool:
    """True when the trust file lists ``vm_id`` as a key of the issuer (at any time: the
    interval is :func:`evaluate_trust`'s business). This is how an issuer whose id is not the
    signing did:key (``urn:...``, ``https://...``, a rotated did:key) is bound to its key."""
    entry = trust.find(issuer_id) if trust is not None else None
    return entry is not None and entry.key_for(vm_id) is not None


def evaluate_trust(issuer_id: str | None, proofs: list[VerifiedProof],
                   trust: TrustList | None) -> list[CheckResult]:
    """What the trust list says about the issuer and the keys that signed: ``issuer`` results.

    ``proofs`` are the credential's proofs, every one verified. With no trust
    list, no issuer or no proof there is nothing to say (``[]``). Otherwise: an
    issuer not listed is a *warning* (``TRUST_UNKNOWN_ISSUER``: the signature is
    valid, the signer unknown); a listed issuer passes (``TRUST_TRUSTED``) when
    every proof was made with one of its keys inside that key's interval, and
    fails for each proof that was not (``TRUST_KEY_UNKNOWN``,
    ``TRUST_KEY_OUTSIDE_INTERVAL``, ``TRUST_KEY_TIME_UNKNOWN``).
    """
    if trust is None or issuer_id is None or not proofs:
        return []
    from mcred.report import Status

    entry = trust.find(issuer_id)
    file = trust.file or "(not saved)"
    if entry is None:
        return [_result(Status.WARNING, "TRUST_UNKNOWN_ISSUER", "$.issuer",
                        {"issuer": issuer_id, "file": file})]
    names = {"issuer": issuer_id, "name": entry.name("en"), "name_it": entry.name("it"),
             "country": entry.country, "file": file}
    problems = []
    for proof in proofs:
        where = f"$.proof[{proof.index}]" if len(proofs) > 1 or proof.index else "$.proof"
        key = entry.key_for(proof.verification_method)
        params = {**names, "vm": proof.verification_method}
        if key is None and entry.signs_with_own_document(proof.controller):
            continue  # a did:web (or https) issuer listed without keys: its own document authorised the key
        if key is None:
            problems.append(_result(Status.FAILED, "TRUST_KEY_UNKNOWN", f"{where}.verificationMethod",
                                    params))
            continue
        inside = key.covers(proof.created)
        interval = {"valid_from": key.valid_from or OPEN, "valid_until": key.valid_until or OPEN}
        if inside is None:
            problems.append(_result(Status.FAILED, "TRUST_KEY_TIME_UNKNOWN", where,
                                    {**params, **interval}))
        elif not inside:
            problems.append(_result(Status.FAILED, "TRUST_KEY_OUTSIDE_INTERVAL", f"{where}.created",
                                    {**params, **interval, "created": proof.created}))
    return problems or [_result(Status.PASSED, "TRUST_TRUSTED", "$.issuer", names)]


def _result(status, code: str, path: str, params: dict) -> CheckResult:
    from mcred.report import CheckResult

    template, hint = MESSAGES[code]
    result = CheckResult("issuer", status, template.format(**params), code=code, path=path,
                         hint=hint.format(**params) if hint else None)
    # set after construction, so this works whether or not CheckResult declares `params` yet
    result.params = params
    return result

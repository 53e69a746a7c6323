"""SD-JWT VC Type Metadata (the SD-JWT VC draft, "SD-JWT VC Type Metadata"): which types mcred knows, and a
credential's claims checked against its type.

Type metadata is never fetched. A ``vct`` is *known* when its metadata is bundled (DC4EU's documents in
``vctm/``, each pinned by its SHA-256 in ``vctm/index.json``, as the JSON-LD contexts are) or given by the
user (``mcred verify --type-metadata FILE|DIR``); the user's copy of a type comes first. What is checked
(draft, "Claim Metadata"):

* ``vct#integrity``, when the credential has it: the SRI digest ("sha256-<base64>") of the metadata's bytes
  ("Integrity of Referenced Documents"); a bare hex SHA-256, which some issuers write, is read with a
  warning; a document that does not match is not used;
* ``extends``: the extended type's metadata, when known, is processed first and its claim rules inherited
  (a child may not loosen ``sd`` or ``mandatory``); an extended type mcred does not know leaves the
  credential unchecked (a warning), since a partly processed type must not be used;
* each claim rule's ``path`` over the credential *as issued* (the signed payload and the disclosures
  presented, an undisclosed array element still counted at its place), then ``sd``: a claim that came from
  its own disclosure where the type says ``never``, or that is in the clear where it says ``always``, is a
  problem; and ``mandatory``: a claim that is missing, when no withheld digest could be it.

Nothing here reads a report: :mod:`mcred.verify.sdjwt` turns the results into checks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from mcred.errors import InputError
from mcred.messages import register

from .errors import SdJwtError

register({"TYPE_METADATA_DIGEST_MISMATCH": ("i metadati di tipo inclusi {file} hanno sha256 {digest}, non {expected}",
                                            "l'installazione è danneggiata o è stata modificata: reinstallate mcred")})

#: the SRI hash algorithms mcred computes, weakest first (W3C SRI 3.2: the strongest given is used)
SRI_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
SD_VALUES = ("always", "allowed", "never")
#: how deep ``extends`` may go before mcred calls it a loop (draft, "Circular extends Dependencies of Types")
MAX_EXTENDS = 8
_HEX = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class ClaimRule:
    """One object of a type's ``claims``: the path, and what it says of the claims it selects."""

    path: tuple
    sd: str = "allowed"
    mandatory: bool = False

    @property
    def name(self) -> str:
        """The path for people: ``credentialSubject.result[0].value``, ``nationalities[*]``."""
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else "[*]" if step is None else (f".{step}" if out else step)
        return out


@dataclass(frozen=True)
class TypeMetadata:
    """A type metadata document as read: its exact bytes (which ``#integrity`` covers) and its claim rules."""

    vct: str
    raw: bytes
    extends: str | None
    rules: tuple[ClaimRule, ...]
    #: the SRI digest the extended type's document must have, when given
    extends_integrity: str | None
    #: where it came from, for messages: "bundled vctm_microcredential.json" or the user's file
    source: str
    bundled: bool = False


@dataclass
class TypeMetadataStore:
    """The types mcred knows: the user's documents first, then the bundled ones, by ``vct``."""

    by_vct: dict[str, list[TypeMetadata]] = field(default_factory=dict)
    #: each type's rules once its ``extends`` are resolved (:func:`effective_rules`), by the document's identity
    resolved: dict[int, tuple[ClaimRule, ...]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, metadata: TypeMetadata) -> None:
        self.by_vct.setdefault(metadata.vct, []).append(metadata)
        self.resolved.clear()

    def candidates(self, vct: str) -> list[TypeMetadata]:
        return list(self.by_vct.get(vct, ()))


# --- reading -----------------------------------------------------------------------------------------


def read_type_metadata(raw: bytes, source: str, *, bundled: bool = False) -> TypeMetadata:
    """A type metadata document from its bytes; ValueError(detail, json path) when it breaks the draft's format."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError("not UTF-8 JSON", "$") from None
    if not isinstance(document, dict):
        raise ValueError("not a JSON object", "$")
    vct = document.get("vct")
    if not isinstance(vct, str) or not vct:
        raise ValueError("no vct (a string): which type it describes is not said", "$.vct")
    extends = document.get("extends")
    if extends is not None and (not isinstance(extends, str) or not extends):
        raise ValueError("extends is not a string", "$.extends")
    claims = document.get("claims", [])
    if not isinstance(claims, list):
        raise ValueError("claims is not an array", "$.claims")
    integrity = document.get("extends#integrity") if extends is not None else None  # alone, it names nothing
    if integrity is not None and not isinstance(integrity, str):
        raise ValueError("extends#integrity is not a string", "$.extends#integrity")
    return TypeMetadata(vct, raw, extends, tuple(_rule(item, f"$.claims[{i}]") for i, item in enumerate(claims)),
                        integrity, source, bundled)


def _rule(item: Any, where: str) -> ClaimRule:
    """Draft, "Claim Metadata" and "Claim Path": a non-empty path of strings, nulls and non-negative integers."""
    if not isinstance(item, dict):
        raise ValueError("a claim metadata entry is not an object", where)
    path = item.get("path")
    if not isinstance(path, list) or not path or not all(
            step is None or isinstance(step, str) or (isinstance(step, int) and not isinstance(step, bool)
                                                      and step >= 0) for step in path):
        raise ValueError("path is not a non-empty array of strings, nulls and non-negative integers",
                         f"{where}.path")
    sd = item.get("sd", "allowed")
    if sd not in SD_VALUES:
        raise ValueError(f"sd is {sd!r}, not always, allowed or never", f"{where}.sd")
    mandatory = item.get("mandatory", False)
    if not isinstance(mandatory, bool):
        raise ValueError("mandatory is not a boolean", f"{where}.mandatory")
    return ClaimRule(tuple(path), sd, mandatory)


def _bundled_dir():
    return resources.files("mcred.sdjwt") / "vctm"


@lru_cache(maxsize=1)
def bundled_types() -> tuple[TypeMetadata, ...]:
    """The bundled documents, each checked against the digest ``vctm/index.json`` pins (a changed file is an
    installation fault, refused by name)."""
    index = json.loads((_bundled_dir() / "index.json").read_text(encoding="utf-8"))
    out = []
    for vct, entry in index.items():
        raw = (_bundled_dir() / entry["file"]).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != entry["sha256"]:
            raise InputError(f"bundled type metadata {entry['file']} has sha256 {digest}, expected {entry['sha256']}",
                             hint="the installation is damaged or was edited; reinstall mcred",
                             code="TYPE_METADATA_DIGEST_MISMATCH",
                             params={"file": entry["file"], "digest": digest, "expected": entry["sha256"]})
        metadata = read_type_metadata(raw, f"bundled {entry['file']}", bundled=True)
        if metadata.vct != vct:
            raise InputError(f"bundled type metadata {entry['file']} is for {metadata.vct}, not {vct}",
                             code="TYPE_METADATA_DIGEST_MISMATCH",
                             params={"file": entry["file"], "digest": digest, "expected": entry["sha256"]})
        out.append(metadata)
    return tuple(out)


@lru_cache(maxsize=1)
def _bundled_store() -> TypeMetadataStore:
    return _store(())


def load_type_metadata(paths: list[Path] | tuple[Path, ...] = ()) -> TypeMetadataStore:
    """The user's type metadata (files, or the ``*.json`` files of folders), then the bundled documents (the
    bundled documents alone are read once per process: every verification of an SD-JWT VC asks for them).

    InputError (``SDJWT_TYPE_METADATA_INVALID``) naming the file and field of a document that is not type
    metadata: nothing is checked against a type that cannot be read.
    """
    return _store(tuple(paths)) if paths else _bundled_store()


def _store(paths: tuple) -> TypeMetadataStore:
    from mcred._files import read_input

    store = TypeMetadataStore()
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise InputError("the folder holds no .json type metadata", file=str(path),
                                 code="SDJWT_TYPE_METADATA_UNREADABLE", params={"detail": "no .json files"},
                                 hint="give type metadata files (JSON, as the SD-JWT VC draft defines them)")
            files.extend(found)
        else:
            files.append(path)
    for file in files:
        try:
            store.add(read_type_metadata(read_input(file, what="the type metadata"), str(file)))
        except ValueError as exc:
            detail, where = exc.args
            raise InputError(f"not SD-JWT VC type metadata: {detail}", file=str(file), path=where,
                             code="SDJWT_TYPE_METADATA_UNREADABLE", params={"detail": detail},
                             hint="give a type metadata document as the SD-JWT VC draft defines it "
                                  "(vct, claims with path, sd, mandatory)") from None
    for metadata in bundled_types():
        store.add(metadata)
    return store


# --- integrity ---------------------------------------------------------------------------------------


def integrity_matches(integrity: str, raw: bytes) -> bool | None:
    """Whether ``raw`` matches an SRI "integrity metadata" string (draft, "Integrity of Referenced Documents":
    the strongest algorithm given that mcred computes, any of its digests); None when the string is not SRI
    with an algorithm mcred computes."""
    expressions: dict[str, list[bytes]] = {}
    for token in integrity.split():
        alg, _, rest = token.partition("-")
        if alg not in SRI_HASHES or not rest:
            continue  # SRI 3.3.3: an unknown algorithm is skipped
        try:
            digest = base64.b64decode(rest.split("?", 1)[0], validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(digest) == SRI_HASHES[alg]().digest_size:  # else not a digest of this algorithm: skipped too
            expressions.setdefault(alg, []).append(digest)
    if not expressions:
        return None
    strongest = max(expressions, key=list(SRI_HASHES).index)
    return SRI_HASHES[strongest](raw).digest() in expressions[strongest]


def is_bare_hex(integrity: str) -> bool:
    """A bare hex SHA-256 (the IT-Wallet QEAA example's form), not SRI."""
    return _HEX.fullmatch(integrity.strip()) is not None


def hex_matches(integrity: str, raw: bytes) -> bool:
    return hashlib.sha256(raw).hexdigest() == integrity.strip().lower()


def sri(raw: bytes) -> str:
    """The SRI string of a document: ``sha256-<base64>``."""
    return "sha256-" + base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii")


# --- resolving a type, with what it extends ----------------------------------------------------------


def effective_rules(metadata: TypeMetadata, store: TypeMetadataStore) -> tuple[ClaimRule, ...]:
    """The claim rules after ``extends`` (draft, "Extending Claim Metadata"): the extended type's first, a
    child's rule with the same path replacing it. SdJwtError ``SDJWT_TYPE_EXTENDS_UNKNOWN`` when an extended
    type is not known, ``SDJWT_TYPE_METADATA_INVALID`` for a loop or a child that loosens ``sd`` or
    ``mandatory``."""
    known = store.resolved.get(id(metadata))
    if known is not None:
        return known
    chain = [metadata]
    while chain[-1].extends is not None:
        parent_vct = chain[-1].extends
        if len(chain) > MAX_EXTENDS or any(m.vct == parent_vct for m in chain):
            raise SdJwtError("SDJWT_TYPE_METADATA_INVALID", "$.payload.vct", vct=metadata.vct,
                             detail=f"extends loops back to {parent_vct}")
        parents = store.candidates(parent_vct)
        if chain[-1].extends_integrity is not None:  # only the document the child names by its digest
            parents = [p for p in parents if integrity_matches(chain[-1].extends_integrity, p.raw)]
        if not parents:
            raise SdJwtError("SDJWT_TYPE_EXTENDS_UNKNOWN", "$.payload.vct", vct=chain[-1].vct, parent=parent_vct)
        chain.append(parents[0])
    rules: dict[tuple, ClaimRule] = {}
    for level in reversed(chain):  # the base type first
        for rule in level.rules:
            old = rules.get(rule.path)
            if old is not None and ((old.sd != "allowed" and rule.sd != old.sd) or (old.mandatory
                                                                                   and not rule.mandatory)):
                raise SdJwtError("SDJWT_TYPE_METADATA_INVALID", "$.payload.vct", vct=level.vct,
                                 detail=f"its rule for {rule.name} loosens the sd or mandatory of the type it "
                                        "extends")
            rules[rule.path] = rule
    resolved = store.resolved[id(metadata)] = tuple(rules.values())
    return resolved


# --- the credential as issued, and its claims checked --------------------------------------------------


#: an array element whose disclosure was not presented: it was issued, and is selectively disclosable
HIDDEN = object()


class _Disclosed(dict):
    """An object's disclosed claims by name (those its ``_sd`` digests and the presented disclosures give),
    and whether it has a digest without one: read once per object, then asked by every rule."""

    withholds = False


def _disclosed_in(node: dict, by_digest: dict, seen: dict) -> _Disclosed:
    known = seen.get(id(node))
    if known is None:
        known = seen[id(node)] = _Disclosed()
        digests = node.get("_sd")
        for digest in digests if isinstance(digests, list) else ():
            found = by_digest.get(digest)
            if found is None or found.name is None:
                known.withholds = True
            else:
                known[found.name] = found.value
    return known


def _member(node: dict, name: str, by_digest: dict, seen: dict) -> tuple[Any, bool] | None:
    """The claim ``name`` of an object of the signed payload: in the clear (False) or from a presented
    disclosure whose digest the object's ``_sd`` holds (True); None when neither."""
    if name in node and name not in ("_sd", "_sd_alg"):
        return node[name], False
    disclosed = _disclosed_in(node, by_digest, seen)
    return (disclosed[name], True) if name in disclosed else None


def _elements(items: list, by_digest: dict) -> list[tuple[Any, bool]]:
    """An array of the signed payload as issued: each element in the clear, disclosed, or HIDDEN."""
    out = []
    for item in items:
        if isinstance(item, dict) and len(item) == 1 and "..." in item:
            found = by_digest.get(item["..."])
            out.append((HIDDEN, True) if found is None else (found.value, True))
        else:
            out.append((item, False))
    return out


def select(payload: dict, path: tuple, by_digest: dict, seen: dict | None = None
           ) -> tuple[list[tuple[Any, bool]], bool]:
    """Draft, "Processing of path", over the credential as issued (the signed payload, and the presented
    disclosures by digest, already checked by :func:`mcred.sdjwt.reveal.reveal`): the selected claims, each
    with whether it is itself a disclosure (HIDDEN for an undisclosed array element), and whether a withheld
    digest could hold more. ValueError(detail) when a step meets something that is not an object (a string
    step) or an array (a null or integer step). ``seen`` keeps what was read of each object, across calls."""
    seen = {} if seen is None else seen
    selected: list[tuple[Any, bool]] = [(payload, False)]
    uncertain = False
    for step in path:
        found: list[tuple[Any, bool]] = []
        for value, _ in selected:
            if value is HIDDEN:  # an undisclosed element's contents are unknown: deeper steps select nothing
                uncertain = True
                continue
            if isinstance(step, str):
                if not isinstance(value, dict):
                    raise ValueError(f"{step!r} is looked for in something that is not an object")
                member = _member(value, step, by_digest, seen)
                if member is not None:
                    found.append(member)
                elif _disclosed_in(value, by_digest, seen).withholds:
                    uncertain = True
            else:
                if not isinstance(value, list):
                    raise ValueError("an array index is looked for in something that is not an array")
                elements = _elements(value, by_digest)
                if step is None:
                    found.extend(elements)
                elif step < len(elements):
                    found.append(elements[step])
        selected = found
    return selected, uncertain


@dataclass(frozen=True)
class RuleProblem:
    code: str
    rule: ClaimRule
    detail: str = ""


def check_claims(payload: dict, by_digest: dict, rules: tuple[ClaimRule, ...]) -> tuple[list[RuleProblem], int]:
    """Each rule against the credential as issued (the signed payload and the presented disclosures by digest):
    the problems (draft, "Claim Metadata": any one means the credential does not follow its type), and how many
    rules selected no claim of this credential."""
    problems, unmatched, seen = [], 0, {}
    for rule in rules:
        try:
            selected, uncertain = select(payload, rule.path, by_digest, seen)
        except ValueError as exc:
            problems.append(RuleProblem("SDJWT_TYPE_PATH_INVALID", rule, str(exc)))
            continue
        if not selected:
            unmatched += 1
            if rule.mandatory and not uncertain:
                problems.append(RuleProblem("SDJWT_TYPE_MANDATORY_MISSING", rule))
            continue
        # draft: a claim is selectively disclosable when it is itself a disclosure (not because an ancestor is);
        # an undisclosed array element is one
        disclosable = [disclosed for _, disclosed in selected]
        if rule.sd == "never" and any(disclosable):
            problems.append(RuleProblem("SDJWT_TYPE_SD_NEVER", rule))
        elif rule.sd == "always" and not all(disclosable):
            problems.append(RuleProblem("SDJWT_TYPE_SD_ALWAYS", rule))
    return problems, unmatched

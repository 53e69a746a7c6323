"""The claims an SD-JWT discloses (RFC 9901 7.1): every disclosure's digest found in the signed payload.

The payload the issuer signed holds digests (in ``_sd`` for object properties, ``{"...": digest}`` for array
elements); each presented disclosure whose digest is there puts its claim back. What a holder cannot do
without it showing: present a disclosure whose digest the issuer did not sign (changed or made up), present
one twice, or make a digest count twice. Digests left without a disclosure are what was withheld (or
decoys: an issuer adds some so that the count of hidden claims is not told; the two cannot be told apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .disclosures import Disclosure, read_disclosure
from .errors import SdJwtError

#: SD-JWT VC 3.2.2: claims that must be plainly in the signed payload, never selectively disclosed
NEVER_DISCLOSABLE = frozenset({"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"})


@dataclass
class Revealed:
    """The payload with the disclosed claims in place, and what was left out."""

    claims: dict
    #: the JSON paths of the claims that came from disclosures, in the order they were found
    disclosed: list[str] = field(default_factory=list)
    #: digests in the signed payload with no disclosure presented (withheld claims, or decoys)
    withheld: int = 0
    #: for each disclosed claim's path, the position of its disclosure and of the disclosure it was found in
    #: (None: in the signed payload itself); what a holder must keep to show that claim
    sources: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    #: the presented disclosures, by digest (each checked: what later readings of the credential use)
    by_digest: dict[str, Disclosure] = field(default_factory=dict)


#: what JSON decodes objects and arrays to (``type(x) in``: faster than isinstance on every plain value)
_CONTAINERS = (dict, list)


class _Walk:
    def __init__(self, by_digest: dict[str, tuple[int, Disclosure]]) -> None:
        self.by_digest = by_digest
        self.seen: set[str] = set()
        self.out = Revealed({})
        self.inside: list[int] = []  # the disclosures whose values are being walked, innermost last

    def _take(self, digest: Any, path: str) -> tuple[int, Disclosure] | None:
        if not isinstance(digest, str):
            raise SdJwtError("SDJWT_SD_MALFORMED", path, detail="a digest is not a string")
        if digest in self.seen:  # two places for one disclosure: RFC 9901 7.1 step 4 says reject
            raise SdJwtError("SDJWT_DIGEST_REPEATED", path, digest=digest)
        self.seen.add(digest)
        found = self.by_digest.get(digest)
        if found is None:
            self.out.withheld += 1
        return found

    def value(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            return self.object(value, path)
        if isinstance(value, list):
            return self.array(value, path)
        return value

    def object(self, node: dict, path: str) -> dict:
        # a plain value is copied as it is: only objects and arrays can hold digests (and need a path)
        result = {name: self.value(item, f"{path}.{name}") if type(item) in _CONTAINERS else item
                  for name, item in node.items() if name not in ("_sd", "_sd_alg")}
        digests = node.get("_sd", [])
        if not isinstance(digests, list):
            raise SdJwtError("SDJWT_SD_MALFORMED", f"{path}._sd", detail="_sd is not an array")
        for position, digest in enumerate(digests):
            found = self._take(digest, f"{path}._sd[{position}]")
            if found is None:
                continue
            index, disclosure = found
            where = f"$.disclosures[{index}]"
            if disclosure.name is None:
                raise SdJwtError("SDJWT_DISCLOSURE_MISPLACED", where, digest=digest)
            if disclosure.name in result:  # the signed payload already says it: the holder would overwrite it
                raise SdJwtError("SDJWT_CLAIM_CLASH", where, name=disclosure.name)
            if path == "$.payload" and disclosure.name in NEVER_DISCLOSABLE:
                raise SdJwtError("SDJWT_CLAIM_NOT_DISCLOSABLE", where, name=disclosure.name)
            claim = f"{path}.{disclosure.name}"
            result[disclosure.name] = self._disclosed(claim, index, disclosure)
        return result

    def _disclosed(self, path: str, index: int, disclosure: Disclosure) -> Any:
        self.out.disclosed.append(path)
        self.out.sources[path] = (index, self.inside[-1] if self.inside else None)
        self.inside.append(index)
        try:
            return self.value(disclosure.value, path)
        finally:
            self.inside.pop()

    def array(self, items: list, path: str) -> list:
        result = []
        for position, item in enumerate(items):
            if type(item) not in _CONTAINERS:
                result.append(item)
                continue
            where = f"{path}[{position}]"
            if isinstance(item, dict) and set(item) == {"..."}:
                found = self._take(item["..."], where)
                if found is None:
                    continue
                index, disclosure = found
                if disclosure.name is not None:
                    raise SdJwtError("SDJWT_DISCLOSURE_MISPLACED", f"$.disclosures[{index}]", digest=item["..."])
                result.append(self._disclosed(where, index, disclosure))
            else:
                result.append(self.value(item, where))
        return result


def reveal(payload: dict, disclosures: list[str]) -> Revealed:
    """The claims ``payload`` (the issuer-signed JWT's) and ``disclosures`` make together; SdJwtError naming the
    first disclosure or digest that breaks a rule."""
    alg = payload.get("_sd_alg", "sha-256")
    if not isinstance(alg, str):
        raise SdJwtError("SDJWT_SD_ALG_UNSUPPORTED", "$.payload._sd_alg", alg=str(alg))
    by_digest: dict[str, tuple[int, Disclosure]] = {}
    for index, encoded in enumerate(disclosures):
        disclosure = read_disclosure(encoded, alg, index)
        if disclosure.digest in by_digest:
            raise SdJwtError("SDJWT_DISCLOSURE_REPEATED", f"$.disclosures[{index}]",
                             first=by_digest[disclosure.digest][0])
        by_digest[disclosure.digest] = (index, disclosure)
    walk = _Walk(by_digest)
    walk.out.claims = walk.object(payload, "$.payload")
    walk.out.by_digest = {digest: disclosure for digest, (_, disclosure) in by_digest.items()}
    unused = [index for digest, (index, _) in by_digest.items() if digest not in walk.seen]
    if unused:  # a disclosure the issuer never signed a digest of: changed, or made up
        raise SdJwtError("SDJWT_DISCLOSURE_UNREFERENCED", f"$.disclosures[{min(unused)}]")
    return walk.out


def claim_paths(value: Any, prefix: str = ""):
    """(path, value) for each claim of revealed claims, as views list them: ``credentialSubject.given_name``,
    ``nationalities[1]``; an array of plain values is one claim, an empty object or array too."""
    if isinstance(value, dict) and value:
        for name, item in value.items():
            yield from claim_paths(item, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            yield from claim_paths(item, f"{prefix}[{index}]")
    else:
        yield prefix, value

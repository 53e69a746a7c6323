"""A bundle's manifest (``<learner>.bundle.json``): the renditions of one award, their digests, the award's facts,
signed by the issuer.

The manifest is a JSON document with an ``eddsa-jcs-2022`` Data Integrity proof made with the issuer's Ed25519
key, the key whose DID issues the JSON-LD renditions (docs/bundle.md says why this and not a JWS)::

    {"format": "mcred-bundle/1",
     "issuer": "did:key:z6Mk...",
     "issued": "2026-07-01T09:00:00Z",
     "facts": {"learner": {"given_name": "Giulia", ...}, "title": "...", "credits_ects": "2", ...},
     "renditions": [{"format": "edc", "file": "rossi-giulia.edc.json", "sha256": "<hex>", "signer": "did:key:..."},
                    {"format": "sd-jwt-vc", "file": "rossi-giulia.sd-jwt", "sha256": "<hex>",
                     "signer": "urn:ietf:params:oauth:jwk-thumbprint:sha-256:..."}],
     "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", ...}}

The signature covers the JCS form of every value above: a holder who reorders keys or re-indents the file
changes nothing, and a changed value, an added or removed rendition, fail it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcred.errors import InputError

from .compare import from_json, to_json
from .facts import AwardFacts

FORMAT = "mcred-bundle/1"
SUFFIX = ".bundle.json"
SUITE = "eddsa-jcs-2022"


@dataclass(frozen=True)
class Rendition:
    """One rendition as the manifest lists it."""

    format: str
    file: str
    sha256: str
    #: who signed it: the issuer's DID, or the RFC 9278 thumbprint of the certificate key of an SD-JWT VC or a seal
    signer: str

    def to_json(self) -> dict:
        return {"format": self.format, "file": self.file, "sha256": self.sha256, "signer": self.signer}


@dataclass(frozen=True)
class Manifest:
    """A manifest as read (its signature not yet checked: :func:`mcred.bundle.verify.verify_bundle` does)."""

    document: dict
    issuer: str
    issued: str | None
    facts: AwardFacts
    renditions: tuple[Rendition, ...]


def sign_manifest(facts: AwardFacts, renditions: list[Rendition], key, *, issued: str) -> dict:
    """The signed manifest of one award's renditions (``key``: the issuer's Ed25519 signing key)."""
    from mcred.proofs.data_integrity import add_proof

    document = {"format": FORMAT, "issuer": key.did, "issued": issued, "facts": to_json(facts),
                "renditions": [r.to_json() for r in renditions]}
    return add_proof(document, key, suite=SUITE, created=issued, copy=False)


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def is_bundle(path: Path) -> bool:
    """Whether ``path`` names a bundle manifest: by its name (``*.bundle.json``), as `mcred verify` tells them apart."""
    return path.name.endswith(SUFFIX)


def read_manifest(path: Path) -> Manifest:
    """The manifest in ``path``; InputError BUNDLE_MALFORMED naming the field when it is not one."""
    from mcred._files import parse_json, read_input

    document = parse_json(read_input(path, what="the bundle manifest"), file=str(path))
    return parse_manifest(document, file=str(path))


def parse_manifest(document: Any, *, file: str | None = None) -> Manifest:
    def malformed(detail: str, path: str = "$") -> InputError:
        return InputError(f"not a bundle manifest mcred can read: {detail}", file=file, path=path,
                          code="BUNDLE_MALFORMED", params={"detail": detail},
                          hint="a bundle manifest is written by `mcred issue --formats` or `mcred bundle`")

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise malformed(f"format is not {FORMAT!r}", "$.format")
    if not isinstance(document.get("issuer"), str):
        raise malformed("issuer is not a string", "$.issuer")
    try:
        facts = from_json(document.get("facts"))
    except ValueError as exc:
        raise malformed(str(exc), "$.facts") from None
    listed = document.get("renditions")
    if not isinstance(listed, list) or not listed:
        raise malformed("renditions is not a non-empty list", "$.renditions")
    renditions = []
    for index, entry in enumerate(listed):
        where = f"$.renditions[{index}]"
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                                  for k in ("format", "file", "sha256", "signer")):
            raise malformed("a rendition is not an object of format, file, sha256 and signer strings", where)
        name = entry["file"]
        # a file beside the manifest, never elsewhere: a manifest must not make the verifier read any file it likes
        if "/" in name or "\\" in name or name in ("", ".", "..") or name.startswith("."):
            raise malformed(f"the file name {name!r} is not a plain name of a file beside the manifest",
                            f"{where}.file")
        renditions.append(Rendition(entry["format"], name, entry["sha256"].lower(), entry["signer"]))
    return Manifest(document, document["issuer"], document.get("issued"), facts, tuple(renditions))

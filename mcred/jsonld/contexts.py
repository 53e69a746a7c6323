"""The JSON-LD contexts mcred ships, each pinned by its SHA-256, and the document loader that serves only them.

Everything is read from inside the installed package with
``importlib.resources``, so a wheel works anywhere with no network and no
checkout beside it. Each context is pinned by its SHA-256 in
``contexts/index.json``; a file whose digest differs is refused, because the
bytes of a context decide what a signature covers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from mcred.errors import InputError, UnknownContextError


@dataclass(frozen=True)
class BundledContext:
    """One context document mcred can serve offline."""

    url: str
    file: str
    sha256: str


def _contexts_dir():
    return resources.files("mcred") / "contexts"


@lru_cache(maxsize=1)
def context_index() -> dict[str, BundledContext]:
    """URL -> bundled context, from ``contexts/index.json``."""
    raw = json.loads((_contexts_dir() / "index.json").read_text(encoding="utf-8"))
    return {
        url: BundledContext(url=url, file=entry["file"], sha256=entry["sha256"])
        for url, entry in raw.items()
    }


def is_bundled(url: str) -> bool:
    """True when mcred can serve this context URL offline."""
    return url in context_index()


def context_bytes(url: str) -> bytes:
    """The exact bytes of a bundled context, after checking their pinned digest."""
    entry = context_index().get(url)
    if entry is None:
        raise UnknownContextError(url)
    data = (_contexts_dir() / entry.file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise InputError(
            f"bundled context {entry.file} has sha256 {digest}, expected {entry.sha256}",
            hint="the installation is damaged or was edited; reinstall mcred",
            code="CONTEXT_DIGEST_MISMATCH",
        )
    return data


@cache
def context_document(url: str) -> dict:
    """The parsed JSON of a bundled context (parsed once per process)."""
    return json.loads(context_bytes(url))


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader that serves bundled contexts only; never the network."""
    if not is_bundled(url):
        raise UnknownContextError(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(url),
        # "static" lets pyld keep the processed context across documents.
        "tag": "static",
    }

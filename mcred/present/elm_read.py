"""Reading an ELM (or any JSON-LD) credential leniently, for the view of it (:mod:`mcred.present.view`).

Language maps in the language asked for, concepts by their labels, dates in words, the
display image: every reader returns plain text (or None) whatever shape it meets, because a
view must be made even of a credential that failed its checks.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mcred.dates import parse_datetime
from mcred.elm.lint import as_list

from .labels import CONCEPT_LABELS_IT, MONTHS

#: display images a page may embed: media type by ELM file-type concept, with the bytes each must start with
IMAGE_TYPES = {
    "http://publications.europa.eu/resource/authority/file-type/PNG": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "http://publications.europa.eu/resource/authority/file-type/JPEG": ("image/jpeg", b"\xff\xd8\xff"),
}
MAX_IMAGE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Image:
    """A display image that is what it says it is (checked bytes), re-encoded as base64."""

    media_type: str
    base64: str


def as_dict(value: Any) -> dict:
    """A JSON object as it is; anything else as an empty one."""
    return value if isinstance(value, dict) else {}


class Reader:
    """Reads values of one credential in one language, never failing on an odd shape."""

    def __init__(self, document: dict, lang: str) -> None:
        self.document = document
        self.lang = lang
        display = as_dict(document.get("displayParameter"))
        primary = as_dict(display.get("primaryLanguage")).get("notation")
        self.primary = {"ITA": "it", "ENG": "en"}.get(primary, "")
        subjects = [s for s in as_list(document.get("credentialSubject")) if isinstance(s, dict)]
        self.subject = subjects[0] if subjects else {}
        claims = [c for c in as_list(self.subject.get("hasClaim")) if isinstance(c, dict)]
        self.claim = claims[0] if claims else {}

    def text(self, value: Any) -> str:
        """A language map (or plain string) in the view's language, else the credential's primary, else any."""
        if isinstance(value, list):
            return "; ".join(t for t in (self.text(v) for v in value) if t)
        if isinstance(value, dict):
            if "@value" in value:
                return self.text(value["@value"])
            for key in (self.lang, self.primary):
                if key and self.text(value.get(key)):
                    return self.text(value.get(key))
            return next((t for t in (self.text(v) for v in value.values()) if t), "")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        return ""

    def concept(self, node: Any) -> str:
        """A concept's label: mcred's Italian one for the vocabularies it knows, else prefLabel, notation, id."""
        node = as_dict(node)
        if self.lang == "it" and node.get("id") in CONCEPT_LABELS_IT:
            return CONCEPT_LABELS_IT[node["id"]]
        return self.text(node.get("prefLabel")) or self.text(node.get("notation")) or self.text(node.get("id"))

    def concepts(self, value: Any) -> str:
        return ", ".join(label for label in (self.concept(v) for v in as_list(value)) if label)

    def names(self, orgs: Any) -> str:
        return "; ".join(n for n in (self.text(as_dict(o).get("legalName")) for o in as_list(orgs)) if n)

    def date(self, value: Any) -> str:
        when = parse_datetime(value)
        return format_date(when, self.lang) if when else self.text(value)


def format_date(when: datetime, lang: str) -> str:
    """A date in words: "30 June 2026", "30 giugno 2026"."""
    return f"{when.day} {MONTHS[lang][when.month - 1]} {when.year}"


def format_when(when: datetime, lang: str) -> str:
    """A date and time in words, in UTC."""
    return f"{format_date(when, lang)}, {when:%H:%M} UTC"


def eqf_level_of(node: dict) -> str:
    """The EQF level (1 to 8) of a specification, as text; "" when it has none."""
    level = as_dict(node.get("eqfLevel")).get("id")
    tail = level.rsplit("/", 1)[-1] if isinstance(level, str) else ""
    return tail if tail.isdigit() else ""


def display_image(document: Any, lang: str = "en") -> Image | None:
    """The ELM ``displayParameter`` image (in ``lang`` if there is one), if it is a PNG or JPEG that says so.

    Only images carried in the credential, of a whitelisted type whose bytes match it,
    at most 1 MiB: a page never refers to anything outside itself.
    """
    display = as_dict(as_dict(document).get("displayParameter"))
    code = {"it": "ITA", "en": "ENG"}.get(lang)
    individual = sorted((d for d in as_list(display.get("individualDisplay")) if isinstance(d, dict)),
                        key=lambda d: as_dict(d.get("language")).get("notation") != code)
    for entry in individual:
        for detail in as_list(entry.get("displayDetail")):
            image = _image(as_dict(as_dict(detail).get("image")))
            if image is not None:
                return image
    return None


def _image(media: dict) -> Image | None:
    kind = IMAGE_TYPES.get(as_dict(media.get("contentType")).get("id"))
    content = media.get("content")
    if kind is None or not isinstance(content, str) or len(content) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return None
    media_type, magic = kind
    if not data.startswith(magic) or len(data) > MAX_IMAGE_BYTES:
        return None
    return Image(media_type, base64.b64encode(data).decode("ascii"))

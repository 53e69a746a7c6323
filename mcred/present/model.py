"""The view of a credential for people, as plain data: what :mod:`mcred.present.view` makes and the renderers draw.

Every string here is plain text exactly as the credential (or the report) says
it; the renderers (:mod:`mcred.present.page`, :mod:`mcred.present.render`) escape it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .elm_read import Image


@dataclass(frozen=True)
class Row:
    """One labelled value (``note`` says where it comes from, when that matters)."""

    label: str
    value: str
    note: str | None = None
    #: the note is a caution (an issuer's name that no trust list confirms, credits and hours that disagree)
    flag: bool = False


@dataclass(frozen=True)
class Section:
    heading: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CheckRow:
    check: str          # the stable check name (json, proof, ...)
    label: str          # the check's name for people
    status: str         # passed, failed, warning, skipped
    status_label: str
    message: str
    code: str | None


@dataclass(frozen=True)
class Outcome:
    text: str
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComponentRow:
    """A stack's component: what it is worth, what was recognised, and whether it verified (None: not checked)."""

    title: str
    awarded: str
    cfu: str
    hours: str
    eqf: str
    recognised: str
    verified: bool | None


@dataclass(frozen=True)
class Totals:
    cfu: str
    hours: str
    recognised: str


@dataclass(frozen=True)
class CredentialView:
    lang: str
    labels: Mapping[str, str]
    outcome: str                 # the report's: verified, verified-with-warnings, invalid, unusable
    ribbon: str                  # the verdict's state (mcred.present.verdict.STATES): verified, ..., failed
    ribbon_label: str
    checks: tuple[CheckRow, ...]
    checked_at: str
    title: str
    kind: str | None
    description: str | None
    sections: tuple[Section, ...]
    outcomes: tuple[Outcome, ...]
    #: what was left unchecked (the issuer, revocation), each with how to check it, under the ribbon
    ribbon_notes: tuple[str, ...] = ()
    components: tuple[ComponentRow, ...] = ()
    totals: Totals | None = None
    #: under the components: which rule produced their credits and hours
    components_note: str | None = None
    image: Image | None = None
    credential_id: str | None = None
    digest: str | None = None
    digest_problem: str | None = None
    qr_text: str | None = None
    file: str | None = None

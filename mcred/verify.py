"""Verification as a report of named checks, run in a fixed order.

Order (each check's name is stable; see the README):

1. ``json``      the input parses, within the size and nesting limits
2. ``contexts``  it has an ``@context`` and every context is bundled
3. ``jsonld``    no term is undefined and no IRI relative (what is signed is what is shown)
4. ``proof``     one result per proof; all must verify (proof sets and chains)
5. ``issuer``    the issuer is the controller of every proof's verification method
6. ``validity``  validFrom/validUntil (and VC 1.1 issuanceDate/expirationDate) hold now

A check that cannot run because an earlier one failed is ``skipped`` with the
reason; ``validity`` always runs, so an expired credential is reported as
expired, not as forged. Later checks (trust, status, stacking) slot into
``CHECKS``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import InputError, McredError
from .limits import MAX_INPUT_BYTES, LimitExceeded, check_limits
from .proofs import JCS, ProofError, VerifiedProof, proofs_of, suite_of, verify_proof

#: the clock-skew allowance applied to every date comparison
CLOCK_SKEW = timedelta(minutes=5)
REPORT_FORMAT = "mcred-report/1"


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


@dataclass
class CheckResult:
    """The outcome of one check: what, how it went, why, and where."""

    check: str
    status: Status
    message: str
    code: str | None = None
    path: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict:
        out = {"check": self.check, "status": self.status.value, "message": self.message}
        for key in ("code", "path", "hint"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


class VerificationFailed(McredError):
    """Raised by :meth:`VerificationReport.raise_for_failure`."""

    exit_code = 1
    code = "VERIFICATION_FAILED"


@dataclass
class VerificationReport:
    """Everything ``mcred verify`` found about one credential."""

    file: str | None
    checks: list[CheckResult] = field(default_factory=list)
    proofs: list[VerifiedProof] = field(default_factory=list)
    issuer: str | None = None
    #: True when the input could not be used at all (exit 3), not merely invalid
    unusable: bool = False

    @property
    def verified(self) -> bool:
        return not self.unusable and all(c.status != Status.FAILED for c in self.checks)

    @property
    def outcome(self) -> str:
        if self.unusable:
            return "unusable"
        return "verified" if self.verified else "invalid"

    @property
    def exit_code(self) -> int:
        return 3 if self.unusable else 0 if self.verified else 1

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == Status.FAILED]

    def raise_for_failure(self) -> None:
        """Raise :class:`VerificationFailed` naming the first failed check, if any."""
        if not self.verified:
            first = self.failures[0]
            error = VerificationFailed(first.message, path=first.path, file=self.file,
                                       code=first.code, hint=first.hint)
            error.exit_code = self.exit_code
            raise error

    def to_dict(self) -> dict:
        return {
            "format": REPORT_FORMAT,
            "file": self.file,
            "outcome": self.outcome,
            "verified": self.verified,
            "issuer": self.issuer,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass
class _State:
    """What the checks share while they run over one document."""

    document: dict
    file: str | None
    now: datetime
    report: VerificationReport

    def passed(self, name: str) -> bool:
        results = [c for c in self.report.checks if c.check == name]
        return bool(results) and all(c.status == Status.PASSED for c in results)


def _check_contexts(state: _State) -> list[CheckResult]:
    from ._jsonld import check_contexts

    check_contexts(state.document, file=state.file)
    return [CheckResult("contexts", Status.PASSED, "every @context is bundled with mcred")]


def _check_jsonld(state: _State) -> list[CheckResult]:
    if not state.passed("contexts"):
        return [_skipped("jsonld", "the contexts could not be loaded")]
    proofs = [p for p in proofs_of(state.document) if isinstance(p, dict)]
    if proofs and all(suite_of(p) == JCS for p in proofs):
        return [_skipped("jsonld", "every proof is eddsa-jcs-2022, which signs the JSON text "
                         "itself, so every term is covered", code=None)]
    from ._jsonld import expand_safely
    from .errors import UnsafeJsonLdError

    try:
        expand_safely(state.document, file=state.file)
    except UnsafeJsonLdError as exc:
        return [CheckResult("jsonld", Status.FAILED, detail, code=code, path=path, hint=exc.hint)
                for code, path, detail in exc.problems]
    return [CheckResult("jsonld", Status.PASSED,
                        "every term is defined and every IRI is absolute")]


def _check_proofs(state: _State) -> list[CheckResult]:
    proofs = proofs_of(state.document)
    if not proofs:
        return [CheckResult("proof", Status.FAILED, "the document has no proof", code="PROOF_MISSING",
                            path="$.proof", hint="sign it with `mcred sign`")]
    if not state.passed("contexts"):
        return [_skipped("proof", "the contexts could not be loaded")]
    rdf_blocked = any(c.check == "jsonld" and c.status == Status.FAILED for c in state.report.checks)
    results = []
    for index, proof in enumerate(proofs):
        path = f"$.proof[{index}]" if isinstance(state.document["proof"], list) else "$.proof"
        if rdf_blocked and isinstance(proof, dict) and suite_of(proof) != JCS:
            results.append(_skipped("proof", "the document has terms or IRIs that a signature over "
                                    "its RDF would not cover (see the jsonld check)", path=path))
            continue
        try:
            verified = verify_proof(state.document, index, file=state.file)
        except ProofError as exc:
            results.append(CheckResult("proof", Status.FAILED, exc.message, code=exc.code,
                                       path=exc.path or path, hint=exc.hint))
            continue
        state.report.proofs.append(verified)
        results.append(CheckResult(
            "proof", Status.PASSED,
            f"{verified.suite} signature is valid, made by {_key_name(verified)}", path=path))
    return results


def _key_name(proof: VerifiedProof) -> str:
    """The signer's name, short: a did:key whose fragment only repeats the key is shown once."""
    did, _, fragment = proof.verification_method.partition("#")
    return did if did == f"did:key:{fragment}" else proof.verification_method


def _issuer_id(document: dict) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _check_issuer(state: _State) -> list[CheckResult]:
    issuer = _issuer_id(state.document)
    state.report.issuer = issuer
    if issuer is None:
        return [CheckResult("issuer", Status.FAILED, "the credential names no issuer (issuer or "
                            "issuer.id)", code="ISSUER_MISSING", path="$.issuer")]
    if not state.passed("proof"):
        return [_skipped("issuer", "not every proof verified, so the signer is not known")]
    strangers = [p for p in state.report.proofs if p.controller != issuer]
    if strangers:
        p = strangers[0]
        return [CheckResult(
            "issuer", Status.FAILED,
            f"the issuer {issuer} is not the controller of {p.verification_method}",
            code="ISSUER_NOT_SIGNER", path="$.issuer",
            hint="the credential was signed with a key that does not belong to its issuer")]
    return [CheckResult("issuer", Status.PASSED, f"the issuer {issuer} made every proof")]


_DATE_FIELDS = {
    "validFrom": "not_before", "issuanceDate": "not_before",
    "validUntil": "not_after", "expirationDate": "not_after",
}


def _check_validity(state: _State) -> list[CheckResult]:
    results = []
    for name, kind in _DATE_FIELDS.items():
        if name not in state.document:
            continue
        value = state.document[name]
        when = parse_datetime(value)
        path = f"$.{name}"
        if when is None:
            results.append(CheckResult("validity", Status.FAILED,
                                       f"{name} {value!r} is not an ISO 8601 date-time",
                                       code="VALIDITY_DATE_INVALID", path=path))
        elif kind == "not_before" and state.now + CLOCK_SKEW < when:
            results.append(CheckResult("validity", Status.FAILED,
                                       f"not valid before {value} (now {_fmt(state.now)})",
                                       code="VALIDITY_NOT_YET_VALID", path=path))
        elif kind == "not_after" and state.now - CLOCK_SKEW > when:
            results.append(CheckResult("validity", Status.FAILED,
                                       f"expired at {value} (now {_fmt(state.now)}); the "
                                       "signature may still be genuine",
                                       code="VALIDITY_EXPIRED", path=path))
    if not results:
        results.append(CheckResult("validity", Status.PASSED,
                                   f"valid at {_fmt(state.now)}" if any(
                                       n in state.document for n in _DATE_FIELDS)
                                   else "no validity period is stated"))
    return results


def _skipped(name: str, reason: str, *, path: str | None = None, code: str | None = None) -> CheckResult:
    return CheckResult(name, Status.SKIPPED, reason, path=path)


#: the checks, in the order they run
CHECKS: list[tuple[str, Callable[[_State], list[CheckResult]]]] = [
    ("contexts", _check_contexts),
    ("jsonld", _check_jsonld),
    ("proof", _check_proofs),
    ("issuer", _check_issuer),
    ("validity", _check_validity),
]


def verify_credential(document: Any, *, now: datetime | None = None,
                      file: str | None = None) -> VerificationReport:
    """Run every check on a parsed credential and return the report (never raises on bad input)."""
    report = VerificationReport(file=file)
    if not isinstance(document, dict):
        report.unusable = True
        report.checks.append(CheckResult("json", Status.FAILED, "a credential must be a JSON "
                                         "object", code="JSON_NOT_OBJECT", path="$"))
        return report
    try:
        check_limits(document)
    except LimitExceeded as exc:
        report.unusable = True
        report.checks.append(CheckResult("json", Status.FAILED, exc.message, code=exc.code,
                                         path="$", hint="see the README, \"Limits\""))
        return report
    report.checks.append(CheckResult("json", Status.PASSED, "the input is a JSON object"))
    state = _State(document, file, now or datetime.now(timezone.utc), report)
    for name, check in CHECKS:
        try:
            report.checks.extend(check(state))
        except InputError as exc:
            # the input cannot be used for this check (unknown context, invalid JSON-LD,
            # a graph too costly to canonicalise): that is a refusal, exit 3
            report.unusable = True
            report.checks.append(CheckResult(name, Status.FAILED, exc.message, code=exc.code,
                                             path=exc.path, hint=exc.hint))
    return report


def verify_file(path: str | Path, *, now: datetime | None = None) -> VerificationReport:
    """Read, parse and verify one credential file."""
    name = str(path)
    report = VerificationReport(file=name, unusable=True)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        report.checks.append(CheckResult("json", Status.FAILED, f"cannot read the file: "
                                         f"{exc.strerror}", code="FILE_UNREADABLE"))
        return report
    if len(data) > MAX_INPUT_BYTES:
        report.checks.append(CheckResult("json", Status.FAILED, f"the file is larger than "
                                         f"{MAX_INPUT_BYTES} bytes", code="FILE_TOO_LARGE"))
        return report
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        report.checks.append(CheckResult("json", Status.FAILED, f"not UTF-8 text (byte "
                                         f"{exc.start})", code="JSON_MALFORMED"))
        return report
    except json.JSONDecodeError as exc:
        report.checks.append(CheckResult("json", Status.FAILED, f"malformed JSON: {exc.msg} at "
                                         f"line {exc.lineno} column {exc.colno}",
                                         code="JSON_MALFORMED"))
        return report
    except RecursionError:
        report.checks.append(CheckResult("json", Status.FAILED, "JSON nested too deeply",
                                         code="JSON_TOO_DEEP"))
        return report
    return verify_credential(document, now=now, file=name)


_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})?$"
)


def parse_datetime(value: Any) -> datetime | None:
    """An XML Schema date-time as an aware datetime (UTC when it has no offset), else None.

    Parsed by hand rather than with ``fromisoformat`` so that every supported
    Python accepts the same strings (fractions of any length, ``Z``).
    """
    match = _ISO_DATETIME.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                          int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
    except ValueError:
        return None
    if offset and offset not in ("Z", "z"):
        sign = 1 if offset[0] == "+" else -1
        parsed -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return parsed


def _fmt(when: datetime) -> str:
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

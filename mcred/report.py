"""The verification report: named checks, each passed, failed, warned or skipped, with a stable code.

Everything that produces checks (the credential checks, trust lists, status
lists, JAdES seals, time-stamps, digests) builds :class:`CheckResult` values
from here; :mod:`mcred.verify.runner` runs them and fills a :class:`VerificationReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from .errors import McredError

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
    """The outcome of one check: what, how it went, why (a stable code), and where.

    ``message`` and ``hint`` are English; ``params`` are the values they were
    made from, so that :mod:`mcred.messages` can say the same in Italian.
    """

    check: str
    status: Status
    message: str
    code: str | None = None
    path: str | None = None
    hint: str | None = None
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "en") -> tuple[str, str | None]:
        """(message, hint) in ``lang`` ("en" or "it")."""
        from .messages import translate

        return translate(self.code, self.message, self.hint, self.params, lang)

    def to_dict(self, lang: str = "en") -> dict:
        message, hint = self.text(lang)
        out = {"check": self.check, "status": self.status.value, "code": self.code, "message": message}
        if self.path is not None:
            out["path"] = self.path
        if hint is not None and self.status in (Status.FAILED, Status.WARNING):
            out["hint"] = hint
        return out


def result(check: str, status: Status, code: str, message: str, *, path: str | None = None,
            hint: str | None = None, **params) -> CheckResult:
    return CheckResult(check, status, message, code, path, hint, params)


class VerificationFailed(McredError):
    """Raised by :meth:`VerificationReport.raise_for_failure`."""

    exit_code = 1
    code = "VERIFICATION_FAILED"


@dataclass(frozen=True)
class VerifyOptions:
    """What a verification is checked against, besides the credential itself.

    ``trust`` is a :class:`mcred.verify.trust.TrustList` (or None); ``status_lists`` a
    :class:`mcred.verify.status.StatusLists` (or None); with ``strict``, warnings (an
    untrusted issuer, a status that could not be checked) count as failures.
    """

    now: datetime | None = None
    trust: Any = None
    status_lists: Any = None
    strict: bool = False
    #: a :class:`mcred.verify.digest.ExpectedDigest`: adds the ``digest`` check (the top-level document only)
    expect_digest: Any = None
    #: a :class:`mcred.keys.documents.Documents`: the DID and controller documents the user gave
    #: (``--did-documents``, with a trust file's ``documents:``), to resolve keys that are not a did:key
    documents: Any = None
    #: every proof must verify, but the issuer rule (the issuer controls every signing key) is not applied: for
    #: proof sets and chains with several signers (``mcred verify --proof-only``, the VC API's checks: ["proof"])
    proof_only: bool = False
    #: for an SD-JWT presentation: the nonce and audience (``--nonce``, ``--aud``) its Key Binding JWT must carry;
    #: either given makes key binding required
    nonce: str | None = None
    audience: str | None = None
    #: for an SD-JWT VC: the types it may be checked against (:class:`mcred.sdjwt.type_metadata.TypeMetadataStore`,
    #: ``--type-metadata`` and the bundled ones; None: the bundled ones), and the profile (``--profile``): "haip",
    #: the baseline, or "it-wallet", which adds its checks
    type_metadata: Any = None
    profile: str = "haip"


@dataclass
class VerificationReport:
    """Everything ``mcred verify`` found about one credential."""

    file: str | None
    checks: list[CheckResult] = field(default_factory=list)
    #: the :class:`mcred.proofs.data_integrity.VerifiedProof` of each proof that verified
    proofs: list = field(default_factory=list)
    issuer: str | None = None
    #: the issuer's name from the trust list by language (never from the credential's own claim)
    issuer_names: dict = field(default_factory=dict)
    #: True when the input could not be used at all (exit 3), not merely invalid
    unusable: bool = False
    strict: bool = False
    #: for a stack: the report of each component, in the order they are attached
    components: list[VerificationReport] = field(default_factory=list)
    #: for a credential sealed with JAdES (EDC): who sealed it, when, with what (see mcred.verify.sealed)
    seal: dict | None = None
    #: what the credential says, read from its signed graph (mcred.graph.facts), for views; not in the JSON report
    facts: Any = field(default=None, repr=False, compare=False)

    def _counts_as_failure(self, check: CheckResult) -> bool:
        return check.status == Status.FAILED or (self.strict and check.status == Status.WARNING)

    @property
    def verified(self) -> bool:
        return not self.unusable and not any(self._counts_as_failure(c) for c in self.checks)

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == Status.WARNING]

    @property
    def outcome(self) -> str:
        """``verified``, ``verified-with-warnings``, ``invalid`` or ``unusable``."""
        if self.unusable:
            return "unusable"
        if not self.verified:
            return "invalid"
        return "verified-with-warnings" if self.warnings else "verified"

    @property
    def exit_code(self) -> int:
        return 3 if self.unusable else 0 if self.verified else 1

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if self._counts_as_failure(c)]

    def raise_for_failure(self) -> None:
        """Raise :class:`VerificationFailed` naming the first failed check, if any."""
        if not self.verified:
            first = self.failures[0]
            error = VerificationFailed(first.message, path=first.path, file=self.file,
                                       code=first.code, hint=first.hint, params=first.params)
            error.exit_code = self.exit_code
            raise error

    def to_dict(self, lang: str = "en") -> dict:
        out = {
            "format": REPORT_FORMAT,
            "file": self.file,
            "outcome": self.outcome,
            "verified": self.verified,
            "strict": self.strict,
            "issuer": self.issuer,
            "issuer_name": self.issuer_names.get(lang),
            "checks": [c.to_dict(lang) for c in self.checks],
        }
        if self.seal is not None:
            out["seal"] = self.seal
        if self.components:
            out["components"] = [component.to_dict(lang) for component in self.components]
        return out

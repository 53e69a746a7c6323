"""Verifying a credential: a report of named checks (:mod:`mcred.verify.checks`), never an exception on bad input.

:func:`verify_credential` takes a parsed document (a Data Integrity credential, or
a JAdES-sealed one, :mod:`mcred.verify.sealed`); :func:`verify_file` reads one first,
within the size and nesting limits. Both return a
:class:`~mcred.report.VerificationReport`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mcred.errors import InputError
from mcred.limits import MAX_DEPTH, LimitExceeded, check_limits
from mcred.report import Status, VerificationReport, VerifyOptions, result

from .checks import CHECKS, CheckState, run_checks


def verify_credential(document: Any, *, now: datetime | None = None, file: str | None = None,
                      options: VerifyOptions | None = None, _depth: int = 0) -> VerificationReport:
    """Run every check on a parsed credential and return the report (never raises on bad input)."""
    options = options or VerifyOptions()
    report = VerificationReport(file=file, strict=options.strict)
    if not isinstance(document, dict):
        report.unusable = True
        report.checks.append(result("json", Status.FAILED, "JSON_NOT_OBJECT", "a credential must be a JSON "
                                     "object", path="$"))
        return report
    try:
        inspection = check_limits(document)
    except LimitExceeded as exc:
        report.unusable = True
        report.checks.append(result("json", Status.FAILED, exc.code, exc.message, path="$",
                                     hint="see docs/formats.md, \"Limits\"", limit=MAX_DEPTH, detail=exc.message))
        return report
    report.checks.append(result("json", Status.PASSED, "JSON_OK", "the input is a JSON object"))
    if "payload" in document and "@context" not in document:  # a JWS: sealed by EDC with JAdES?
        from mcred.seals.jades import is_jades

        if is_jades(document):
            from .sealed import verify_sealed

            return verify_sealed(document, report, now=now or options.now or datetime.now(timezone.utc),
                                 options=options, file=file)
    state = CheckState(document, file, now or options.now or datetime.now(timezone.utc), options, report, _depth,
                       inspection=inspection, verify=verify_credential)
    run_checks(state, CHECKS)
    return report


def verify_file(path: str | Path, *, now: datetime | None = None, options: VerifyOptions | None = None,
                presentation: Callable[[Any, str], Any] | None = None) -> VerificationReport:
    """Read, parse and verify one credential file.

    ``presentation`` is how a presentation is verified (the caller's
    :func:`mcred.verify.presentation.verify_presentation`, with its challenge and domain; the runner is below it):
    called with the parsed document and the file name, it returns the presentation's report, or None for a
    document that is not a presentation.
    """
    from mcred._files import read_input

    name = str(path)
    try:  # unreadable, not a regular file, over the size limit
        data = read_input(path)
    except InputError as error:
        return _unusable(name, error, options)
    return verify_bytes(data, name, now=now, options=options, presentation=presentation)


def verify_bytes(data: bytes, name: str, *, now: datetime | None = None, options: VerifyOptions | None = None,
                 presentation: Callable[[Any, str], Any] | None = None) -> VerificationReport:
    """Verify one credential file's bytes, already read (``name`` says where from): what :func:`verify_file` does
    after reading. For a caller that must verify the very bytes it has checked otherwise (a bundle's digest)."""
    from mcred._files import parse_json

    try:  # not JSON that Python can hold
        if name.lower().endswith(".sd-jwt") or _may_be_sd_jwt(data):  # an SD-JWT VC (before JWT: it starts as one)
            return _verify_sd_jwt_bytes(data, name, now=now, options=options)
        if name.lower().endswith(".jwt") or _may_be_jwt(data):  # a JWT: VC-JOSE-COSE or VC-JWT 1.1
            return _verify_jwt_bytes(data, name, now=now, options=options)
        document = parse_json(data, file=name)
    except InputError as error:
        return _unusable(name, error, options)
    if presentation is not None:
        presented = presentation(document, name)
        if presented is not None:
            return presented
    return verify_credential(document, now=now, file=name, options=options)


def _unusable(name: str, error: InputError, options: VerifyOptions | None) -> VerificationReport:
    report = VerificationReport(file=name, unusable=True, strict=bool(options and options.strict))
    report.checks.append(result("json", Status.FAILED, error.code, error.message, hint=error.hint, **error.params))
    return report


@dataclass(frozen=True)
class CheckedFile:
    """A file read and verified for a view (``mcred show``, ``mcred render``)."""

    #: the credential as signed: the JSON document, or the credential a JWT's payload carries
    document: Any
    report: VerificationReport
    #: a JWT's digest, of the bytes its signature covers (as ``verify --expect-digest`` computes it); None: the
    #: view computes the document's own
    digest: str | None = None


def check_file(path: str | Path, *, now: datetime | None = None,
               options: VerifyOptions | None = None) -> CheckedFile:
    """Read and verify one file for a view. InputError when it cannot be read, or is neither JSON nor a
    credential secured as a JWT: a view of something that is not a credential would show nothing true."""
    from mcred._files import parse_json, read_input

    name = str(path)
    data = read_input(path)
    if name.lower().endswith(".jwt") or _may_be_jwt(data):
        from .digest import jwt_digest
        from .jwt import JwtError, signed_credential

        report = _verify_jwt_bytes(data, name, now=now, options=options)
        try:
            text = data.decode("ascii")
            return CheckedFile(signed_credential(text), report, jwt_digest(text))
        except (UnicodeDecodeError, JwtError):
            failed = next((c for c in report.checks if c.status == Status.FAILED), None)
            raise InputError(failed.message if failed else "not a credential JWT", file=name,
                             code=failed.code if failed else "JWT_MALFORMED",
                             hint="a JWT credential is three base64url parts joined by dots") from None
    document = parse_json(data, file=name)
    return CheckedFile(document, verify_credential(document, now=now, file=name, options=options))


def _may_be_jwt(data: bytes) -> bool:
    """A JWT saved under another name: not JSON (which starts with '{' or '['), and a compact JWS. The JWT
    module is imported only then, so that verifying JSON credentials does not load it."""
    if data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in (b"{", b"["):
        return False
    from .jwt import is_compact_jws

    return is_compact_jws(data)


def _may_be_sd_jwt(data: bytes) -> bool:
    """An SD-JWT saved under another name: a compact JWS followed by '~' (never JSON)."""
    if data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in (b"{", b"["):
        return False
    from mcred.sdjwt.compact import is_sd_jwt

    return is_sd_jwt(data)


def _verify_sd_jwt_bytes(data: bytes, name: str, *, now: datetime | None,
                         options: VerifyOptions | None) -> VerificationReport:
    """An SD-JWT VC file (:mod:`mcred.verify.sdjwt`): the same report as any credential's."""
    from .sdjwt import verify_sd_jwt

    return _verify_compact(data, name, now, options, lambda text, report, when, opts:
                           verify_sd_jwt(text, report, now=when, options=opts))


def _verify_jwt_bytes(data: bytes, name: str, *, now: datetime | None,
                      options: VerifyOptions | None) -> VerificationReport:
    """A JWT file (:mod:`mcred.verify.jwt`): the same report as any credential's."""
    from .jwt import verify_jwt

    return _verify_compact(data, name, now, options, lambda text, report, when, opts:
                           verify_jwt(text, report, now=when, options=opts, file=name))


def _verify_compact(data: bytes, name: str, now: datetime | None, options: VerifyOptions | None,
                    verify) -> VerificationReport:
    """A compact form's report (JWT, SD-JWT): its text, or "" for bytes that are not ASCII, which the verifier
    then names as malformed."""
    options = options or VerifyOptions()
    report = VerificationReport(file=name, strict=options.strict)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        text = ""
    return verify(text, report, now or options.now or datetime.now(timezone.utc), options)


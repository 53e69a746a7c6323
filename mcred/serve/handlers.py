"""Each endpoint of the VC API over the library, without HTTP: a parsed body in, (status, JSON body) out.

The credential is signed by :func:`mcred.proofs.signing.sign_credential` and verified by
:func:`mcred.verify.runner.verify_credential`, as ``mcred sign`` and ``mcred verify`` do, so every
check of theirs applies here too. A refusal is raised (:class:`mcred.errors.McredError`, or
:class:`.problems.ServeProblem` with its HTTP status); :mod:`.app` answers it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mcred.report import Status

from .config import ServeConfig
from .problems import ServeProblem

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
#: the VC API's verify checks that mcred knows; ``["proof"]`` alone means proof-only
KNOWN_CHECKS = ("proof", "status", "validity", "issuer", "contexts", "jsonld")


def issue(body: Any, config: ServeConfig, status_book) -> tuple[int, dict]:
    """``POST /credentials/issue``: sign ``body["credential"]`` with the server's key; 201 and the credential."""
    from mcred.proofs.signing import sign_credential

    if config.key is None:
        raise ServeProblem(501, "SERVE_NOT_IMPLEMENTED", "issuing: the server was started without --key",
                           hint="start mcred serve with --key KEY", params={"what": "/credentials/issue"})
    credential = _member(body, "credential", dict)
    options = _member(body, "options", dict, required=False) or {}
    credential = with_data_integrity_context(credential)
    if options.get("credentialStatus") is not None:
        credential = status_book.add_entries(credential)
    created = options.get("created")
    if created is not None and not isinstance(created, str):
        raise _invalid("$.options.created", "options.created must be a date-time string")
    signed = sign_credential(credential, config.key, suite=config.suite, created=created,
                             issuer_from_key=config.issuer_from_key, file="credential")
    return 201, {"verifiableCredential": signed}


def with_data_integrity_context(credential: dict) -> dict:
    """A VC 1.1 credential with the Data Integrity context added when it lacks it, as Digital Bazaar's issuers
    do: VC 1.1's context does not define ``DataIntegrityProof`` or ``cryptosuite`` (VC 2.0's includes them)."""
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC1_CONTEXT:
        return credential
    if DATA_INTEGRITY_CONTEXT in contexts or "https://w3id.org/security/data-integrity/v1" in contexts:
        return credential
    return {**credential, "@context": [*contexts, DATA_INTEGRITY_CONTEXT]}


def verify(body: Any, config: ServeConfig, lang: str, status_book=None) -> tuple[int, dict]:
    """``POST /credentials/verify``: the full mcred report; 200 when verified, 422 when not, 400 when the
    credential cannot be used at all (mcred's exit 3). The server's own status lists are checked too.

    An ``EnvelopedVerifiableCredential`` (VC Data Model 2.0, 4.13) carries a credential secured as a JWT or an
    SD-JWT VC in its ``data:`` URL id: that credential is verified, as ``mcred verify`` verifies its file."""
    from mcred.verify.runner import verify_bytes, verify_credential

    credential = _member(body, "verifiableCredential", dict)
    options = verify_options(_member(body, "options", dict, required=False) or {}, config)
    if status_book is not None and options.status_lists is None:
        options = replace(options, status_lists=status_book.verify_copies())
    enveloped = enveloped_credential(credential)
    if enveloped is not None:
        suffix, data = enveloped
        report = verify_bytes(data, f"verifiableCredential{suffix}", options=options)
    else:
        report = verify_credential(credential, file="verifiableCredential", options=options)
    return _report_status(report), vc_api_result(report, lang)


VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: the media types of an enveloped credential mcred verifies, and the file suffix it is verified as
ENVELOPED_MEDIA_TYPES = {"application/dc+sd-jwt": ".sd-jwt", "application/vc+sd-jwt": ".sd-jwt",
                         "application/vc+jwt": ".jwt"}


def enveloped_credential(credential: dict) -> tuple[str, bytes] | None:
    """(file suffix, bytes) of the credential an ``EnvelopedVerifiableCredential`` carries in its ``data:``
    URL; None for any other credential. ServeProblem (400) for an envelope mcred cannot open: no VC 2.0
    context, an id that is not a ``data:`` URL, a media type it does not verify."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    types = credential.get("type")
    if "EnvelopedVerifiableCredential" not in (types if isinstance(types, list) else [types]):
        return None
    contexts = credential.get("@context")
    if (contexts if isinstance(contexts, list) else [contexts])[:1] != [VC2_CONTEXT]:
        raise _invalid("$.verifiableCredential.@context", f"an enveloped credential's first @context is {VC2_CONTEXT}")
    identifier = credential.get("id")
    if not isinstance(identifier, str) or not identifier.startswith("data:") or "," not in identifier:
        raise _invalid("$.verifiableCredential.id", "an enveloped credential's id is a data: URL")
    header, _, payload = identifier[len("data:"):].partition(",")
    media, *parameters = header.split(";")
    if media not in ENVELOPED_MEDIA_TYPES:
        raise _invalid("$.verifiableCredential.id", f"an enveloped {media or 'credential'} is not one mcred verifies "
                       f"({', '.join(ENVELOPED_MEDIA_TYPES)})")
    data = unquote_to_bytes(payload)
    if "base64" in parameters:
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid("$.verifiableCredential.id", "the data: URL says base64 but is not") from None
    return ENVELOPED_MEDIA_TYPES[media], data


def verify_options(options: dict, config: ServeConfig):
    """The server's VerifyOptions, proof-only when the request's checks are exactly ``["proof"]``."""
    checks = options.get("checks")
    if checks is None:
        return config.verify_options
    if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
        raise _invalid("$.options.checks", "options.checks must be a list of check names")
    unknown = [c for c in checks if c not in KNOWN_CHECKS]
    if unknown:
        raise _invalid("$.options.checks", f"unknown check {unknown[0]!r} (known: {', '.join(KNOWN_CHECKS)})")
    if checks == ["proof"]:  # every proof must verify, without the issuer rule (mcred verify --proof-only)
        return replace(config.verify_options, proof_only=True)
    return config.verify_options


def vc_api_result(report, lang: str) -> dict:
    """The VC API's verification result (checks run, warnings, errors as problem details) and mcred's report."""
    return {**_vc_api_fields(report.checks, report.verified, lang), "report": report.to_dict(lang)}


def _vc_api_fields(checks: list, verified: bool, lang: str) -> dict:
    def problem(check) -> dict:
        out = check.to_dict(lang)
        return {"type": check.code, "title": check.code, "detail": out["message"], "check": check.check,
                **({"path": out["path"]} if "path" in out else {}), **({"hint": out["hint"]} if "hint" in out else {})}

    return {
        "verified": verified,
        "checks": list(dict.fromkeys(c.check for c in checks if c.status is Status.PASSED)),
        "warnings": [problem(c) for c in checks if c.status is Status.WARNING],
        "errors": [problem(c) for c in checks if c.status is Status.FAILED],
    }


def verify_presentation(body: Any, config: ServeConfig, lang: str) -> tuple[int, dict]:
    """``POST /presentations/verify``: the holder's proof, challenge and domain, then each credential."""
    presentation = _member(body, "verifiablePresentation", dict)
    options = _member(body, "options", dict, required=False) or {}
    challenge, domain = options.get("challenge"), options.get("domain")
    for name, value in (("challenge", challenge), ("domain", domain)):
        if value is not None and not isinstance(value, str):
            raise _invalid(f"$.options.{name}", f"options.{name} must be a string")
    holder_binding = options.get("holderBinding", "warn")
    if holder_binding not in ("warn", "required"):
        raise _invalid("$.options.holderBinding", "options.holderBinding must be \"warn\" or \"required\"")
    from mcred.verify.presentation import verify_presentation as verify_vp

    report = verify_vp(presentation, challenge=challenge, domain=domain, options=config.verify_options,
                       holder_binding=holder_binding, file="verifiablePresentation")
    result = {**_vc_api_fields(report.holder_checks, report.verified, lang),
              "credentialResults": [_vc_api_fields(r.checks, r.verified, lang) for r in report.credentials],
              "report": report.to_dict(lang)}
    return _report_status(report), result


def update_status(body: Any, status_book) -> tuple[int, dict]:
    """``POST /credentials/status``: revoke, suspend or reinstate a credential the service issued, by its id."""
    from .status import STATUS_ACTIONS

    credential_id = _member(body, "credentialId", str)
    wanted = _member(body, "credentialStatus", list)
    if not wanted:
        raise _invalid("$.credentialStatus", "credentialStatus must name at least one status")
    updates = []
    for position, item in enumerate(wanted):
        where = f"$.credentialStatus[{position}]"
        if not isinstance(item, dict) or item.get("status") not in STATUS_ACTIONS:
            raise _invalid(f"{where}.status", f"status must be one of {', '.join(STATUS_ACTIONS)}")
        updates.append(item["status"])
    done = [status_book.update(credential_id, status) for status in updates]
    return 200, {"credentialId": credential_id, "updated": done}


def _report_status(report) -> int:
    return 200 if report.verified else 400 if report.exit_code == 3 else 422


def _member(body: Any, name: str, kind: type, *, required: bool = True):
    if not isinstance(body, dict):
        raise _invalid("$", "the request body must be a JSON object")
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        what = {dict: "an object", list: "a list", str: "a string"}[kind]
        raise _invalid(f"$.{name}", f"{name} must be {what}" if name in body else f"{name} is missing")
    return value


def _invalid(path: str, detail: str) -> ServeProblem:
    return ServeProblem(400, "SERVE_REQUEST_INVALID", f"the request is not valid: {detail}", path=path,
                        hint="see /openapi.json for the shape of each request", params={"detail": detail})

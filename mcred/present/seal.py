"""The seal of a credential sealed with JAdES (EDC), as a section of its view: who sealed it, with what, when.

Everything here is read from the verification report (``report.seal``, which
:mod:`mcred.verify.sealed` fills, and the codes of its checks), never from the file
itself: the report has already decided what the file proves, and the notes say
it as the report does. The sealer's name is the certificate's; whether anyone
you trust vouches for it is the chain's answer. That the certificate claims to
be qualified is a claim (its qcStatements), not checked against the EU trusted
lists. The signing time (``sigT``) is the sealer's claim too, unless a
time-stamp of a trusted TSA over the signature (``sigTst``, or an archive
time-stamp ``arcTst``) shows the seal existed at its time.
"""

from __future__ import annotations

from collections.abc import Mapping

from mcred.dates import parse_datetime
from mcred.report import Status, VerificationReport

from .elm_read import format_date, format_when
from .model import Row, Section

#: the time-stamps that stamp the signature value, and so show when the seal existed (TS 119 182-1 5.3)
_OVER_THE_SEAL = ("sigTst", "arcTst")
_CERTIFICATE_NOTES = {"JADES_CERT_VALID": "cert_valid", "JADES_CERT_VALID_EXPIRED_NOW": "cert_expired_since",
                      "JADES_CERT_EXPIRED": "cert_expired", "JADES_CERT_NOT_YET_VALID": "cert_not_yet_valid"}


def seal_section(report: VerificationReport, labels: Mapping[str, str], lang: str) -> Section | None:
    """The "Seal" section of a sealed credential's view; None for any other credential."""
    seal = report.seal
    if seal is None:
        return None
    codes = {c.code: c for c in report.checks if c.code}
    sealer = seal.get("sealer") or {}
    certificate = seal.get("certificate") or {}
    rows = [
        _sealer(seal, sealer, codes, labels),
        _identifier(sealer, codes, labels),
        _qualified(seal.get("qualified"), labels),
        _sealed_on(seal, report, codes, labels, lang),
        _certificate(certificate, codes, labels, lang),
        _authority(seal, certificate, labels),
        Row(labels["seal_format"], f"JAdES {seal['level']}, {seal['alg']}") if seal.get("level") else None,
    ]
    return Section(labels["seal_heading"], tuple(row for row in rows if row is not None and row.value))


def _passed(codes: dict, code: str) -> bool:
    return code in codes and codes[code].status == Status.PASSED


def _sealer(seal: dict, sealer: dict, codes: dict, labels) -> Row | None:
    name = sealer.get("organisation") or sealer.get("common_name")
    if not name:
        return None
    if not _passed(codes, "JADES_SIGNATURE_OK"):
        note = labels["sealer_unverified"]
    elif seal.get("trusted"):
        note = labels["sealer_trusted"]
    else:
        note = labels["sealer_untrusted"]
    return Row(labels["sealed_by"], name, note)


def _identifier(sealer: dict, codes: dict, labels) -> Row | None:
    identifier = sealer.get("identifier")
    if not identifier:
        return None
    note = None
    if _passed(codes, "JADES_ISSUER_SEALED"):
        note = labels["sealer_is_issuer"]
    elif "JADES_ISSUER_NOT_SEALER" in codes:
        note = labels["sealer_not_issuer"].format(claimed=codes["JADES_ISSUER_NOT_SEALER"].params.get("claimed", "?"))
    return Row(labels["sealer_id"], identifier, note)


def _qualified(claims: dict | None, labels) -> Row | None:
    """What the qcStatements claim: said as a claim, since only the EU trusted lists could confirm it."""
    if claims is None:
        return None
    if claims.get("malformed"):
        return Row(labels["qualified"], labels["qualified_unreadable"])
    if not claims.get("qualified"):
        return Row(labels["qualified"], labels["qualified_not_claimed"])
    uses = [labels.get(f"qc_{use}", use) for use in claims.get("types", [])]
    details = [labels["qualified_for"].format(uses=", ".join(uses))] if uses else []
    details.append(labels["qscd_claimed" if claims.get("qscd") else "qscd_not_claimed"])
    return Row(labels["qualified"], labels["qualified_claimed"], "; ".join(details))


def _sealed_on(seal: dict, report: VerificationReport, codes: dict, labels, lang: str) -> Row | None:
    """The signing time the seal claims, and whether a trusted time-stamp over the seal bears it out."""
    if "JADES_SIGT_MISSING" in codes:
        return Row(labels["sealed_on"], labels["sealed_on_missing"])
    when = parse_datetime(seal.get("signing_time"))
    if when is None:
        return None
    verified = [t for t in seal.get("timestamps", []) if t.get("kind") in _OVER_THE_SEAL
                and parse_datetime(t.get("time")) is not None and _stamp_passed(report, t["kind"])]
    trusted = [t for t in verified if t.get("tsa_trusted")]
    if trusted:
        first = min(trusted, key=lambda t: parse_datetime(t["time"]))
        note = labels["sealed_on_confirmed"]
    elif verified:
        first = min(verified, key=lambda t: parse_datetime(t["time"]))
        note = labels["sealed_on_untrusted_tsa"]
    else:
        first, note = None, labels["sealed_on_claimed"]
    if first is not None:
        note = note.format(kind=first["kind"], when=format_when(parse_datetime(first["time"]), lang),
                           tsa=first.get("tsa") or "?")
    return Row(labels["sealed_on"], format_when(when, lang), note)


def _stamp_passed(report: VerificationReport, kind: str) -> bool:
    """Every result of the time-stamps of ``kind`` passed: imprint, TSA signature, time not before ``sigT``."""
    results = [c for c in report.checks if c.check == "timestamps" and c.params.get("kind") == kind]
    return bool(results) and all(c.status == Status.PASSED for c in results)


def _certificate(certificate: dict, codes: dict, labels, lang: str) -> Row | None:
    start, end = parse_datetime(certificate.get("not_before")), parse_datetime(certificate.get("not_after"))
    if start is None or end is None:
        return None
    note = next((labels[key] for code, key in _CERTIFICATE_NOTES.items() if code in codes), None)
    # Italian elides before a vowel: "dall'8", "all'11" (the English template takes no prepositions)
    dal = "dall'" if start.day in (8, 11) else "dal "
    al = "all'" if end.day in (8, 11) else "al "
    return Row(labels["seal_certificate"], labels["cert_dates"].format(
        start=format_date(start, lang), end=format_date(end, lang), dal=dal, al=al), note)


def _authority(seal: dict, certificate: dict, labels) -> Row | None:
    chain = seal.get("chain") or []
    name = chain[1] if len(chain) > 1 else certificate.get("issuer")
    if not name:
        return None
    if seal.get("trusted"):
        note = labels["ca_trusted"]
    elif "chain" in seal:
        note = labels["ca_untrusted"]
    else:
        note = None
    return Row(labels["seal_ca"], name, note)

"""Verifying a bundle: the manifest's signature, then each rendition (its digest, its full report, its signer,
the facts it states) against what the manifest says.

The report is a :class:`mcred.report.VerificationReport` (exit codes and renderers as for any credential), whose
checks are, in order:

1. ``bundle``          the manifest can be read (BUNDLE_MALFORMED: unusable, exit 3)
2. ``proof``           its eddsa-jcs-2022 proof verifies, made by the issuer it names (BUNDLE_SIGNATURE_INVALID);
                       nothing below is believed without it, so nothing below runs when it fails
3. for each rendition, in the manifest's order, each check at its ``path`` in the manifest (``$.renditions[i]``):
   ``rendition`` it is there (BUNDLE_RENDITION_MISSING)
   ``digest``    its bytes are the ones listed (BUNDLE_DIGEST_MISMATCH)
   ``rendition`` its own full report verifies (BUNDLE_RENDITION_INVALID, with the first failure's code)
   ``issuer``    it is signed by the manifest's issuer: the same DID, or the certificate key the manifest names
                 (BUNDLE_ISSUER_MISMATCH)
   ``facts``     it states the award the manifest states (BUNDLE_FACTS_DIFFER, once per fact, both values named)

Each rendition's own report is kept in ``components``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mcred.errors import InputError, UsageError
from mcred.messages import register
from mcred.report import CheckResult, Status, VerificationReport, VerifyOptions, result

from .compare import differences, withheld
from .facts import AwardFacts
from .formats import Format, format_named, payload_signer, rendition_signer, sha256_hex, stated_facts
from .manifest import Manifest, parse_manifest

register({
    "BUNDLE_READ": ("un bundle di {count} versioni ({formats}) della stessa attestazione", None),
    "BUNDLE_MALFORMED": ("non è un manifesto di bundle leggibile da mcred: {detail}",
                         "un manifesto di bundle si crea con `mcred issue --formats` o `mcred bundle`"),
    "BUNDLE_SIGNATURE_OK": ("il manifesto è firmato da {issuer} ({suite})", None),
    "BUNDLE_SIGNATURE_INVALID": ("la firma del manifesto non è valida: {detail}",
                                 "il manifesto è stato modificato dopo la firma: chiedete all'emittente il bundle "
                                 "originale"),
    "BUNDLE_RENDITION_MISSING": ("{file} ({format}), elencato nel manifesto, non c'è",
                                 "rimettete il file accanto al manifesto, come è stato emesso"),
    "BUNDLE_DIGEST_OK": ("{file} ({format}) è, byte per byte, quello elencato (SHA-256 {sha256})", None),
    "BUNDLE_DIGEST_MISMATCH": ("{file} ({format}) non è più quello elencato nel manifesto: SHA-256 {found}, "
                               "atteso {expected}", "rimettete il file come è stato emesso"),
    "BUNDLE_RENDITION_OK": ("{file} ({format}) è verificato ({outcome})", None),
    "BUNDLE_RENDITION_INVALID": ("{file} ({format}) non è verificato: {cause}: {reason}",
                                 "vedete il suo rapporto (mcred verify {file})"),
    "BUNDLE_ISSUER_OK": ("{file} ({format}) è firmato da {signer}, l'emittente del manifesto", None),
    "BUNDLE_ISSUER_MISMATCH": ("{file} ({format}) è firmato da {found}, non da {expected} come dice il manifesto "
                               "firmato da {issuer}", "un bundle lega solo versioni dello stesso emittente"),
    "BUNDLE_FACTS_SAME": ("{file} ({format}) attesta la stessa attestazione del manifesto{withheld_it}", None),
    "BUNDLE_FACTS_DIFFER": ("{file} ({format}) attesta {fact} {found}, il manifesto {expected}",
                            "le versioni di un bundle devono attestare la stessa attestazione: riemettetele "
                            "dallo stesso file degli esiti"),
    "BUNDLE_FACTS_UNREADABLE": ("i fatti di {file} ({format}) non si possono leggere: {detail}", None),
    "BUNDLE_FACTS_SKIPPED": ("non eseguito: {file} ({format}) non è verificato, quindi ciò che attesta non è "
                             "attendibile", None),
    "BUNDLE_FORMAT_NOT_AVAILABLE": ("il formato {name!r} non è disponibile in questa installazione di mcred "
                                    "(manca il modulo {module})", None),
})


@dataclass
class RenditionResult:
    """One rendition of a verified bundle: its format, file, report and facts (None when they cannot be believed)."""

    format: str
    file: str
    report: VerificationReport | None = None
    facts: AwardFacts | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.report is None:
            return "missing"
        if self.problems:
            return "invalid"
        return self.report.outcome


@dataclass
class BundleResult:
    """A verified bundle: the report (checks, and each rendition's report in ``components``), the manifest as read
    (None when it could not be), and each rendition's result, for views."""

    report: VerificationReport
    manifest: Manifest | None = None
    renditions: list[RenditionResult] = field(default_factory=list)


def _check(report: VerificationReport, check: str, status: Status, code: str, message: str, *,
           path: str | None = None, **params) -> CheckResult:
    item = result(check, status, code, message, path=path, **params)
    report.checks.append(item)
    return item


def verify_bundle(path: Path, *, options: VerifyOptions | None = None) -> BundleResult:
    """Verify the bundle whose manifest is ``path`` (see the module docstring). Never raises on bad input."""
    from mcred._files import parse_json, read_input

    options = options or VerifyOptions()
    report = VerificationReport(file=str(path), strict=options.strict)
    try:
        manifest = parse_manifest(parse_json(read_input(path, what="the bundle manifest"), file=str(path)),
                                  file=str(path))
    except InputError as exc:
        report.unusable = True
        report.checks.append(result("bundle", Status.FAILED, exc.code, exc.message, path=exc.path, hint=exc.hint,
                                    detail=exc.params.get("detail", exc.message)))
        return BundleResult(report)
    formats = ", ".join(r.format for r in manifest.renditions)
    _check(report, "bundle", Status.PASSED, "BUNDLE_READ", f"a bundle of {len(manifest.renditions)} renditions "
           f"({formats}) of one award", count=len(manifest.renditions), formats=formats)
    bundle = BundleResult(report, manifest)
    if not _signature(manifest, report, options):
        return bundle
    report.issuer = manifest.issuer
    for index, listed in enumerate(manifest.renditions):
        bundle.renditions.append(_rendition(path.parent, listed, manifest, report, options, f"$.renditions[{index}]"))
    return bundle


def _signature(manifest: Manifest, report: VerificationReport, options: VerifyOptions) -> bool:
    from mcred.proofs.data_integrity import ProofError, proofs_of, suite_of, verify_proof

    def invalid(detail: str) -> bool:
        _check(report, "proof", Status.FAILED, "BUNDLE_SIGNATURE_INVALID",
               f"the manifest's signature is not valid: {detail}", detail=detail)
        report.checks[-1].hint = "the manifest was changed after it was signed: ask the issuer for the bundle as issued"
        return False

    proofs = proofs_of(manifest.document)
    if len(proofs) != 1 or not isinstance(proofs[0], dict) or suite_of(proofs[0]) != "eddsa-jcs-2022":
        return invalid("a manifest has exactly one eddsa-jcs-2022 proof")
    try:
        verified = verify_proof(manifest.document, 0, documents=options.documents)
    except ProofError as exc:
        return invalid(f"{exc.code}: {exc.message}")
    if verified.controller != manifest.issuer:
        return invalid(f"signed by {verified.controller}, not by the issuer it names ({manifest.issuer})")
    _check(report, "proof", Status.PASSED, "BUNDLE_SIGNATURE_OK",
           f"the manifest is signed by {manifest.issuer} (eddsa-jcs-2022)", issuer=manifest.issuer,
           suite="eddsa-jcs-2022")
    return True


def _rendition(folder: Path, listed, manifest: Manifest, report: VerificationReport,
               options: VerifyOptions, where_listed: str) -> RenditionResult:
    from mcred._files import read_input
    from mcred.verify.runner import verify_bytes

    done = RenditionResult(listed.format, listed.file)
    names = {"file": listed.file, "format": listed.format, "path": where_listed}
    try:
        fmt = format_named(listed.format)
    except UsageError as exc:
        _check(report, "rendition", Status.FAILED, exc.code, exc.message, **names, **exc.params)
        done.problems.append(exc.code)
        return done
    where = folder / listed.file
    if not where.is_file():
        _check(report, "rendition", Status.FAILED, "BUNDLE_RENDITION_MISSING",
               f"{listed.file} ({listed.format}), which the manifest lists, is not there", **names)
        report.checks[-1].hint = "put the file back beside the manifest, as it was issued"
        done.problems.append("BUNDLE_RENDITION_MISSING")
        return done
    try:
        data = read_input(where, what="the rendition")
    except InputError as exc:  # unreadable, over the size limit: its own code, as `mcred verify` would say it
        _check(report, "rendition", Status.FAILED, exc.code, exc.message, **names, **exc.params)
        done.problems.append(exc.code)
        return done
    found = sha256_hex(data)
    if found != listed.sha256:
        _check(report, "digest", Status.FAILED, "BUNDLE_DIGEST_MISMATCH",
               f"{listed.file} ({listed.format}) is no longer the file the manifest lists: SHA-256 {found}, "
               f"expected {listed.sha256}", found=found, expected=listed.sha256, **names)
        report.checks[-1].hint = "put the file back as it was issued"
        done.problems.append("BUNDLE_DIGEST_MISMATCH")
    else:
        _check(report, "digest", Status.PASSED, "BUNDLE_DIGEST_OK",
               f"{listed.file} ({listed.format}) is, byte for byte, the file listed (SHA-256 {found})",
               sha256=found, **names)
    own = verify_bytes(data, str(where), options=options)
    done.report = own
    report.components.append(own)
    if not own.verified:
        first = own.failures[0] if own.failures else None
        code, reason = (first.code, first.message) if first else ("UNUSABLE", "it cannot be read")
        _check(report, "rendition", Status.FAILED, "BUNDLE_RENDITION_INVALID",
               f"{listed.file} ({listed.format}) does not verify: {code}: {reason}", cause=code, reason=reason, **names)
        done.problems.append("BUNDLE_RENDITION_INVALID")
        _check(report, "facts", Status.SKIPPED, "BUNDLE_FACTS_SKIPPED",
               f"not run: {listed.file} ({listed.format}) does not verify, so what it states cannot be believed",
               **names)
        return done
    _check(report, "rendition", Status.PASSED, "BUNDLE_RENDITION_OK",
           f"{listed.file} ({listed.format}) verifies ({own.outcome})", outcome=own.outcome, **names)
    _issuer(fmt, data, own, listed, manifest, report, done, names)
    _facts(fmt, own, listed, manifest, report, done, names)
    return done


def _issuer(fmt: Format, data: bytes, own: VerificationReport, listed, manifest: Manifest,
            report: VerificationReport, done: RenditionResult, names: dict) -> None:
    signer = rendition_signer(fmt, data, own)
    # a DID-signed rendition must be the manifest issuer's own; a certificate key is the one the issuer listed
    expected = manifest.issuer if fmt.signed_by == "did" else listed.signer
    mismatch = None
    if signer != expected or listed.signer != expected:
        mismatch = (signer or "(several signers)", expected)
    elif fmt.signed_by == "seal" and payload_signer(fmt, own) != manifest.issuer:
        mismatch = (f"{payload_signer(fmt, own) or '(several signers)'} (the sealed credential's proof)",
                    manifest.issuer)
    if mismatch:
        _check(report, "issuer", Status.FAILED, "BUNDLE_ISSUER_MISMATCH",
               f"{listed.file} ({listed.format}) is signed by {mismatch[0]}, not by {mismatch[1]} as the manifest "
               f"signed by {manifest.issuer} says", found=mismatch[0], expected=mismatch[1], issuer=manifest.issuer,
               **names)
        report.checks[-1].hint = "a bundle binds renditions of one issuer only"
        done.problems.append("BUNDLE_ISSUER_MISMATCH")
        return
    _check(report, "issuer", Status.PASSED, "BUNDLE_ISSUER_OK",
           f"{listed.file} ({listed.format}) is signed by {signer}, the manifest's issuer", signer=signer, **names)


def _facts(fmt: Format, own: VerificationReport, listed, manifest: Manifest, report: VerificationReport,
           done: RenditionResult, names: dict) -> None:
    from .readers import UnreadableFacts

    try:
        stated = stated_facts(fmt, own)
    except UnreadableFacts as exc:
        _check(report, "facts", Status.FAILED, "BUNDLE_FACTS_UNREADABLE",
               f"the facts of {listed.file} ({listed.format}) cannot be read: {exc}", detail=str(exc), **names)
        done.problems.append("BUNDLE_FACTS_UNREADABLE")
        return
    done.facts = stated
    differ = differences(manifest.facts, stated)
    for item in differ:
        _check(report, "facts", Status.FAILED, "BUNDLE_FACTS_DIFFER",
               f"{listed.file} ({listed.format}) states {item.fact} {item.found}, the manifest {item.expected}",
               fact=item.fact, found=item.found, expected=item.expected, **names)
        report.checks[-1].hint = "a bundle's renditions must state one award: issue them again from one outcome file"
    if differ:
        done.problems.append("BUNDLE_FACTS_DIFFER")
        return
    held = withheld(manifest.facts, stated)
    note = f" ({', '.join(held)} withheld by the holder)" if held else ""
    note_it = f" ({', '.join(held)} non mostrati dal titolare)" if held else ""
    _check(report, "facts", Status.PASSED, "BUNDLE_FACTS_SAME",
           f"{listed.file} ({listed.format}) states the award the manifest states{note}", withheld=note,
           withheld_it=note_it, **names)

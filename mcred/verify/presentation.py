"""Verifying a verifiable presentation: the holder's proof, then each credential with its full report.

Checks, in order (each name stable; see docs/verify.md, "Presentations"):

1. ``json``, ``contexts``, ``jsonld``  as for a credential, over the whole presentation (what the holder signs
   includes every credential's graph)
2. ``proof``      each of the holder's proofs verifies, with proofPurpose ``authentication`` and a key its
                  controller lists under ``authentication`` (a did:key, or ``--did-documents``)
3. ``challenge``  the proof carries the verifier's challenge (a presentation made for another request, or
                  replayed, carries another one or none)
4. ``domain``     the proof carries the verifier's domain (a presentation made for another verifier)
5. ``holder``     the presentation's holder (read from its signed graph) controls every proof's key
6. ``credential`` each credential verifies as a lone one would (same checks, same options)
7. ``binding``    each credential's subject is the holder: a warning, or a failure with ``holder_binding="required"``

The challenge and domain are read from the proof, whose options its signature covers: for an RDF suite the
proof's options are canonicalised in safe mode, so a challenge that no context defines (and that the signature
would not cover) is refused by the ``proof`` check (``PROOF_TERMS_UNDEFINED``) before it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mcred.errors import InputError, UsageError
from mcred.limits import MAX_DEPTH, LimitExceeded, check_limits
from mcred.messages import register
from mcred.proofs.data_integrity import JCS_SUITES, ProofError, VerifiedProof, proofs_of, suite_of, verify_proof
from mcred.report import CheckResult, Status, VerificationReport, VerifyOptions, result

from .checks import skipped
from .runner import verify_credential

PRESENTATION_FORMAT = "mcred-presentation-report/1"
AUTHENTICATION = "authentication"
HOLDER_BINDINGS = ("warn", "required")
_VC = "https://www.w3.org/2018/credentials#"
_PRESENTATION_TYPE = _VC + "VerifiablePresentation"
_HOLDER = _VC + "holder"
_SUBJECT = _VC + "credentialSubject"


def is_presentation(document: Any) -> bool:
    """Whether a parsed document says it is a presentation (its ``type`` names VerifiablePresentation): which
    verifier reads it. What it holds is then judged from its signed graph."""
    if not isinstance(document, dict) or "@context" not in document:
        return False
    kind = document.get("type")
    return "VerifiablePresentation" in (kind if isinstance(kind, list) else [kind])


@dataclass
class PresentationReport:
    """Everything ``mcred verify`` found about one presentation: the holder's checks, and each credential's report."""

    file: str | None
    holder: str | None = None
    #: json, contexts, jsonld, proof, challenge, domain, holder, credential and binding results, in that order
    holder_checks: list[CheckResult] = field(default_factory=list)
    #: the full report of each credential, in the presentation's order
    credentials: list[VerificationReport] = field(default_factory=list)
    #: the :class:`~mcred.proofs.data_integrity.VerifiedProof` of each holder proof that verified
    proofs: list[VerifiedProof] = field(default_factory=list)
    unusable: bool = False
    strict: bool = False

    def _counts_as_failure(self, check: CheckResult) -> bool:
        return check.status == Status.FAILED or (self.strict and check.status == Status.WARNING)

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.holder_checks if self._counts_as_failure(c)]

    @property
    def verified(self) -> bool:
        # every credential's failure is also a failed `credential` check here, so this covers them
        return not self.unusable and not self.failures and all(r.verified for r in self.credentials)

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.holder_checks if c.status == Status.WARNING]

    @property
    def outcome(self) -> str:
        if self.unusable:
            return "unusable"
        if not self.verified:
            return "invalid"
        warned = self.warnings or any(r.warnings for r in self.credentials)
        return "verified-with-warnings" if warned else "verified"

    @property
    def exit_code(self) -> int:
        return 3 if self.unusable else 0 if self.verified else 1

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "format": PRESENTATION_FORMAT,
            "kind": "presentation",
            "file": self.file,
            "outcome": self.outcome,
            "verified": self.verified,
            "strict": self.strict,
            "holder": self.holder,
            "checks": [c.to_dict(lang) for c in self.holder_checks],
            "credentials": [r.to_dict(lang) for r in self.credentials],
        }


def verify_presentation(vp: Any, *, challenge: str | None, domain: str | None, options: VerifyOptions | None = None,
                        holder_binding: str = "warn", file: str | None = None,
                        now: datetime | None = None) -> PresentationReport:
    """Verify a parsed presentation and return its report (never raises on bad input).

    ``challenge`` and ``domain`` are what the verifier asked for: when given, the holder's proof must carry
    them; when None, the check is a warning (a replayed presentation, or one made for another verifier, would
    verify too). ``holder_binding`` is "warn" (a credential whose subject is not the holder is a warning) or
    "required" (a failure). Each credential is verified with ``options``, as ``mcred verify`` verifies one.
    """
    if holder_binding not in HOLDER_BINDINGS:
        raise UsageError(f"holder binding {holder_binding!r} is not one of {', '.join(HOLDER_BINDINGS)}")
    options = options or VerifyOptions()
    now = now or options.now or datetime.now(timezone.utc)
    report = PresentationReport(file=file, strict=options.strict)
    checks = report.holder_checks
    expanded = _read(vp, report, file)
    if report.unusable:
        return report
    holder = report.holder = _holder(expanded, checks) if expanded is not None else None
    _proofs(vp, expanded, report, options, file)
    verified = report.proofs
    if verified:
        proofs = proofs_of(vp)
        checks.extend(_expected("challenge", challenge, [(p.index, proofs[p.index]) for p in verified], vp))
        checks.extend(_expected("domain", domain, [(p.index, proofs[p.index]) for p in verified], vp))
        checks.extend(_holder_signed(holder, verified))
    else:
        for name in ("challenge", "domain", "holder"):
            checks.append(skipped(name, "SKIPPED_PROOF", "the holder's proof did not verify, so what it binds is "
                                  "not known"))
    binding_holder = holder or (verified[0].controller if len(verified) == 1 else None)
    for index, credential in enumerate(_credentials(vp)):
        path = f"$.verifiableCredential[{index}]" if isinstance(vp.get("verifiableCredential"), list) \
            else "$.verifiableCredential"
        checks.extend(_credential(credential, path, report, options, now, file, binding_holder, holder_binding))
    if not _credentials(vp):
        checks.append(result("credential", Status.WARNING, "PRESENTATION_EMPTY", "the presentation holds no "
                             "credential: it proves only that its holder controls the key", path="$"))
    return report


def _read(vp: Any, report: PresentationReport, file: str | None) -> list | None:
    """The json, contexts and jsonld checks; the expanded presentation (None when it could not be read safely)."""
    checks = report.holder_checks
    if not isinstance(vp, dict):
        report.unusable = True
        checks.append(result("json", Status.FAILED, "JSON_NOT_OBJECT", "a presentation must be a JSON object",
                             path="$"))
        return None
    try:
        inspection = check_limits(vp)
    except LimitExceeded as exc:
        report.unusable = True
        checks.append(result("json", Status.FAILED, exc.code, exc.message, path="$",
                             hint="see docs/formats.md, \"Limits\"", limit=MAX_DEPTH, detail=exc.message))
        return None
    checks.append(result("json", Status.PASSED, "JSON_OK", "the input is a JSON object"))
    from mcred.errors import UnsafeJsonLdError
    from mcred.jsonld.process import check_contexts, expand_leniently, expand_safely

    try:
        check_contexts(vp, file=file, contexts=inspection.contexts)
        checks.append(result("contexts", Status.PASSED, "CONTEXTS_OK", "every @context is bundled with mcred"))
        proofs = [p for p in proofs_of(vp) if isinstance(p, dict)]
        if proofs and all(suite_of(p) in JCS_SUITES for p in proofs):
            # JCS signs the JSON text itself: every member is covered; its meaning is still read from its graph
            checks.append(skipped("jsonld", "SKIPPED_JCS", "every proof is eddsa-jcs-2022 or ecdsa-jcs-2019, which "
                                  "sign the JSON text itself, so every term is covered"))
            return expand_leniently(vp, file=file)
        try:
            expanded = expand_safely(vp, file=file)
        except UnsafeJsonLdError as exc:
            checks.extend(result("jsonld", Status.FAILED, code, detail, path=path, hint=exc.hint, value=value)
                          for code, path, detail, value in exc.problems)
            return None
    except InputError as exc:  # an unknown context, JSON that is not JSON-LD: the input cannot be used (exit 3)
        report.unusable = True
        check = "contexts" if exc.code.startswith("CONTEXT") else "jsonld"
        checks.append(CheckResult(check, Status.FAILED, exc.message, exc.code, exc.path, exc.hint,
                                  {"detail": exc.message, **exc.params}))
        return None
    checks.append(result("jsonld", Status.PASSED, "JSONLD_OK", "every term is defined and every IRI is absolute"))
    return expanded


def _holder(expanded: list, checks: list[CheckResult]) -> str | None:
    """The holder's IRI, from the presentation's node in the signed graph (not from a JSON key)."""
    nodes = [n for n in expanded if isinstance(n, dict) and _PRESENTATION_TYPE in (n.get("@type") or ())]
    if len(nodes) != 1:
        checks.append(result("holder", Status.FAILED, "PRESENTATION_NOT_PRESENTATION", f"the signed graph has "
                             f"{len(nodes)} nodes of type VerifiablePresentation at its top; a presentation has one",
                             path="$.type", hint="give a verifiable presentation (type VerifiablePresentation)",
                             count=len(nodes)))
        return None
    values = nodes[0].get(_HOLDER) or []
    ids = [v.get("@id") for v in values if isinstance(v, dict)]
    if len(values) > 1:
        checks.append(result("holder", Status.FAILED, "MULTIPLE_VALUES", f"holder has {len(values)} values in the "
                             "signed graph; it may have one", path="$.holder", hint="the holder signed a "
                             "presentation that says two things at once", property="holder", count=len(values),
                             values=", ".join(map(str, ids)), node="$"))
        return None
    if not ids or not isinstance(ids[0], str):
        checks.append(result("holder", Status.WARNING, "PRESENTATION_HOLDER_MISSING", "the presentation names no "
                             "holder (an IRI): the credentials are bound to the key that signed it, if any",
                             path="$.holder", hint="ask the holder to present with `mcred present`, which sets it"))
        return None
    return ids[0]


def _proofs(vp: dict, expanded: list | None, report: PresentationReport, options: VerifyOptions,
            file: str | None) -> None:
    checks = report.holder_checks
    proofs = proofs_of(vp)
    if not proofs:
        checks.append(result("proof", Status.FAILED, "PROOF_MISSING", "the presentation has no proof: nothing "
                             "binds it to its holder, nor to this request", path="$.proof",
                             hint="ask the holder for a signed presentation (`mcred present`)"))
        return
    rdf_blocked = any(c.check == "jsonld" and c.status == Status.FAILED for c in checks)
    documents = options.documents if options.documents is not None else getattr(options.trust, "documents", None)
    for index, proof in enumerate(proofs):
        path = f"$.proof[{index}]" if isinstance(vp["proof"], list) else "$.proof"
        if rdf_blocked and isinstance(proof, dict) and suite_of(proof) not in JCS_SUITES:
            checks.append(skipped("proof", "SKIPPED_UNSAFE", "the presentation has terms or IRIs that a signature "
                                  "over its RDF would not cover (see the jsonld check)", path=path))
            continue
        try:
            verified = verify_proof(vp, index, file=file, expanded=expanded, documents=documents,
                                    purpose=AUTHENTICATION)
        except ProofError as exc:
            checks.append(CheckResult("proof", Status.FAILED, exc.message, exc.code, exc.path or path, exc.hint,
                                      exc.params))
            continue
        except InputError as exc:  # a graph too costly to canonicalise, terms the contexts do not define
            report.unusable = True
            checks.append(CheckResult("proof", Status.FAILED, exc.message, exc.code, exc.path or path, exc.hint,
                                      {"detail": exc.message, **exc.params}))
            continue
        report.proofs.append(verified)
        checks.append(result("proof", Status.PASSED, "PRESENTATION_PROOF_OK", f"the holder's {verified.suite} "
                             f"signature is valid, made by {verified.verification_method}", path=path,
                             suite=verified.suite, signer=verified.verification_method))


def _expected(name: str, wanted: str | None, proofs: list[tuple[int, dict]], vp: dict) -> list[CheckResult]:
    """The challenge or domain of each verified proof, against what the verifier asked for."""
    code = f"PRESENTATION_{name.upper()}"
    option = f"--{name}"
    multiple = isinstance(vp.get("proof"), list)
    results = []
    for index, proof in proofs:
        path = f"$.proof[{index}].{name}" if multiple else f"$.proof.{name}"
        stated = proof.get(name)
        if wanted is None:
            results.append(result(name, Status.WARNING, f"{code}_NOT_CHECKED", f"no {name} was asked ({option}), so "
                                  f"a presentation {_MADE_FOR[name]} would verify too", path=path,
                                  hint=f"give the {name} your request sent to the holder with {option}"))
            continue
        if stated is None:
            results.append(result(name, Status.FAILED, f"{code}_MISSING", f"the holder's proof has no {name}; "
                                  f"{wanted!r} was asked", path=path, hint=f"the presentation was not made for "
                                  f"this request: ask the holder for one with {option} {wanted}", wanted=wanted))
            continue
        if not _matches(stated, wanted):
            results.append(result(name, Status.FAILED, f"{code}_MISMATCH", f"the holder's proof has {name} "
                                  f"{stated!r}, not {wanted!r}", path=path, hint=f"the presentation was made "
                                  f"{_MADE_FOR[name]}: ask the holder for one with {option} {wanted}",
                                  stated=str(stated), wanted=wanted))
            continue
        results.append(result(name, Status.PASSED, f"{code}_OK", f"the holder's proof has the {name} asked, "
                              f"{wanted!r}", path=path, wanted=wanted))
    return results


_MADE_FOR = {"challenge": "made for another request, or replayed,", "domain": "made for another verifier"}


def _matches(stated: Any, wanted: str) -> bool:
    # VC Data Integrity 2.1: domain may be a list of strings, one of which is the verifier's
    if isinstance(stated, list):
        return wanted in stated
    return stated == wanted


def _holder_signed(holder: str | None, verified: list[VerifiedProof]) -> list[CheckResult]:
    if holder is None:
        return []  # the holder check said why already
    strangers = [p for p in verified if p.controller != holder]
    if strangers:
        p = strangers[0]
        return [result("holder", Status.FAILED, "PRESENTATION_HOLDER_NOT_SIGNER", f"the holder {holder} is not the "
                       f"controller of {p.verification_method}, which signed the presentation", path="$.holder",
                       hint="the presentation was signed with a key that does not belong to its holder",
                       holder=holder, signer=p.verification_method)]
    return [result("holder", Status.PASSED, "PRESENTATION_HOLDER_OK", f"the holder {holder} signed the "
                   "presentation", holder=holder)]


def _credentials(vp: dict) -> list:
    held = vp.get("verifiableCredential")
    if held is None:
        return []
    return held if isinstance(held, list) else [held]


def _credential(credential: Any, path: str, report: PresentationReport, options: VerifyOptions, now: datetime,
                file: str | None, holder: str | None, holder_binding: str) -> list[CheckResult]:
    """One credential: its full report (as a lone credential's), then whether its subject is the holder."""
    if not isinstance(credential, dict):
        return [result("credential", Status.FAILED, "PRESENTATION_CREDENTIAL_UNSUPPORTED", "the presentation "
                       "holds something that is not a credential as a JSON object (an enveloped or JWT credential "
                       "is not verified inside a presentation)", path=path,
                       hint="ask for the credential with a Data Integrity proof")]
    name = f"{file or '<presentation>'} {path}"
    credential_report = verify_credential(credential, now=now, file=name, options=options)
    report.credentials.append(credential_report)
    results = []
    if credential_report.verified:
        results.append(result("credential", Status.PASSED, "PRESENTATION_CREDENTIAL_OK", f"the credential at {path} "
                              "verified (its report follows)", path=path, where=path))
    else:
        first = credential_report.failures[0]
        results.append(result("credential", Status.FAILED, "PRESENTATION_CREDENTIAL_INVALID", f"the credential at "
                              f"{path} is not valid: {first.code} (its report follows)", path=path,
                              hint="the credential inside was changed, or is not valid on its own", where=path,
                              first=first.code))
    return results + _binding(credential_report, path, holder, holder_binding)


def _binding(credential_report: VerificationReport, path: str, holder: str | None,
             holder_binding: str) -> list[CheckResult]:
    """Whether every subject of the credential is the holder, read from the credential's signed graph."""
    status = Status.FAILED if holder_binding == "required" else Status.WARNING
    facts = credential_report.facts
    if facts is None:
        return [skipped("binding", "SKIPPED_NO_GRAPH", "the credential's graph could not be read, so whom it is "
                        "about is not known", path=path)]
    subjects = facts.subjects
    if holder is None:
        return [result("binding", status, "HOLDER_BINDING_UNKNOWN", "the presentation names no holder, so whether "
                       "the credential is about its holder was not checked", path=path,
                       hint="ask the holder to present with `mcred present`, which names the holder")]
    others = [s.iri for s in subjects if s.iri != holder]
    if others or not subjects:
        subject = others[0] if others else None
        return [result("binding", status, "HOLDER_BINDING_MISMATCH", f"the credential at {path} is about "
                       f"{subject or 'a subject without an id'}, not the holder {holder}",
                       path=f"{path}.credentialSubject", hint="someone may be presenting another person's "
                       "credential; with --holder-binding required this fails", subject=subject or "-",
                       holder=holder, where=path)]
    return [result("binding", Status.PASSED, "HOLDER_BINDING_OK", f"the credential at {path} is about the holder",
                   path=path, where=path)]


MESSAGES_IT = {
    "PRESENTATION_PROOF_OK": ("firma {suite} del titolare valida, apposta da {signer}", None),
    "PRESENTATION_CHALLENGE_OK": ("la prova del titolare ha la challenge richiesta, {wanted!r}", None),
    "PRESENTATION_CHALLENGE_MISSING": ("la prova del titolare non ha una challenge; era richiesta {wanted!r}",
                                       "la presentazione non è stata fatta per questa richiesta: chiedetene una "
                                       "al titolare con la challenge inviata"),
    "PRESENTATION_CHALLENGE_MISMATCH": ("la prova del titolare ha la challenge {stated!r}, non {wanted!r}",
                                        "la presentazione è stata fatta per un'altra richiesta, o è riusata: "
                                        "chiedetene una nuova al titolare"),
    "PRESENTATION_CHALLENGE_NOT_CHECKED": ("nessuna challenge richiesta (--challenge): anche una presentazione "
                                           "fatta per un'altra richiesta, o riusata, risulterebbe valida",
                                           "indicate con --challenge quella inviata al titolare"),
    "PRESENTATION_DOMAIN_OK": ("la prova del titolare ha il dominio richiesto, {wanted!r}", None),
    "PRESENTATION_DOMAIN_MISSING": ("la prova del titolare non ha un dominio; era richiesto {wanted!r}",
                                    "la presentazione non è stata fatta per questo verificatore"),
    "PRESENTATION_DOMAIN_MISMATCH": ("la prova del titolare ha il dominio {stated!r}, non {wanted!r}",
                                     "la presentazione è stata fatta per un altro verificatore"),
    "PRESENTATION_DOMAIN_NOT_CHECKED": ("nessun dominio richiesto (--domain): anche una presentazione fatta per "
                                        "un altro verificatore risulterebbe valida",
                                        "indicate con --domain il vostro dominio"),
    "PRESENTATION_NOT_PRESENTATION": ("il grafo firmato ha {count} nodi di tipo VerifiablePresentation al primo "
                                      "livello; una presentazione ne ha uno", None),
    "PRESENTATION_HOLDER_MISSING": ("la presentazione non indica il titolare (holder): le credenziali sono "
                                    "legate alla chiave che l'ha firmata, se c'è",
                                    "chiedete al titolare di presentarle con `mcred present`"),
    "PRESENTATION_HOLDER_NOT_SIGNER": ("il titolare {holder} non controlla {signer}, che ha firmato la "
                                       "presentazione",
                                       "la presentazione è firmata con una chiave che non appartiene al titolare"),
    "PRESENTATION_HOLDER_OK": ("il titolare {holder} ha firmato la presentazione", None),
    "PRESENTATION_EMPTY": ("la presentazione non contiene credenziali: prova solo che il titolare controlla la "
                           "chiave", None),
    "PRESENTATION_CREDENTIAL_UNSUPPORTED": ("la presentazione contiene qualcosa che non è una credenziale come "
                                            "oggetto JSON (una credenziale JWT o incapsulata non è verificata in "
                                            "una presentazione)", None),
    "PRESENTATION_CREDENTIAL_OK": ("la credenziale in {where} è valida (segue il suo rapporto)", None),
    "PRESENTATION_CREDENTIAL_INVALID": ("la credenziale in {where} non è valida: {first} (segue il suo rapporto)",
                                        "la credenziale è stata modificata, o non è valida da sola"),
    "HOLDER_BINDING_OK": ("la credenziale in {where} riguarda il titolare", None),
    "HOLDER_BINDING_MISMATCH": ("la credenziale in {where} riguarda {subject}, non il titolare {holder}",
                                "qualcuno potrebbe presentare la credenziale di un'altra persona; con "
                                "--holder-binding required è un errore"),
    "HOLDER_BINDING_UNKNOWN": ("la presentazione non indica il titolare: non si è verificato che la credenziale "
                               "lo riguardi", "chiedete al titolare di presentarla con `mcred present`"),
}
register(MESSAGES_IT)

"""Verifying a credential sealed by EDC (JAdES): the seal's checks, then the ELM checks on what it carries.

The checks, in order, after ``json`` (names are stable; see docs/jades.md, "Europass
credentials sealed with JAdES"):

1. ``seal``        the JAdES form, ``alg``, every ``crit`` parameter understood,
                   ``x5t#S256``/``kid`` naming the certificate, the signature (RFC 7515/7797)
2. ``certificate`` valid at the signing time (``sigT``), allowed to seal; what it claims (qualified)
3. ``chain``       its path to a trust anchor of the trust file (untrusted: a warning)
4. ``revocation``  only from CRLs/OCSP responses carried in the seal (``rVals``); nothing is fetched
5. ``timestamps``  each time-stamp token: what it stamps (its message imprint), the TSA's signature
6. ``contexts``, ``jsonld``, ``elm`` (Annex I elements, dates, EQF level), ``proof`` (a Data
   Integrity proof inside, if any), ``issuer`` (the sealer is the credential's issuer),
   ``validity``, ``status``: the credential checks of :mod:`mcred.verify.runner`, on the payload.
7. ``digest``      with ``--expect-digest``: is this the file a printed page names? (:mod:`mcred.verify.digest`;
                   a sealed file's digest is that of the bytes its seal signs)
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from mcred.dates import parse_datetime
from mcred.messages import register
from mcred.report import CLOCK_SKEW, CheckResult, Status, VerificationReport
from mcred.seals.jades import DuplicateKey, JadesError, no_duplicate_keys

#: English templates (``str.format(**params)``) and hints of the codes this module makes itself
from .checks import CheckState

MESSAGES: dict[str, tuple[str, str | None]] = {
    "JADES_FORMAT_OK": ("JAdES seal ({level}), {alg}, sealed by {sealer}", None),
    "JADES_HEADER_OK": ("every critical header parameter is understood ({crit}); {refs} name the certificate", None),
    "JADES_SIGNATURE_OK": ("the seal is valid: the credential is exactly as {sealer} sealed it", None),
    "JADES_CERT_VALID": ("the certificate was valid when the credential was sealed ({when}; valid {start} to "
                         "{end})", None),
    "JADES_CERT_VALID_EXPIRED_NOW": ("the certificate was valid when the credential was sealed ({when}; valid "
                                     "{start} to {end}); it has expired since, which does not undo the seal",
                                     None),
    "JADES_CERT_EXPIRED": ("the certificate had expired when the credential was sealed ({when}; valid {start} "
                           "to {end})", "a seal made with an expired certificate is not valid"),
    "JADES_CERT_NOT_YET_VALID": ("the certificate was not yet valid when the credential was sealed ({when}; "
                                 "valid {start} to {end})", None),
    "JADES_SIGT_INVALID": ("the signing time {value!r} is not a date-time", None),
    "JADES_SIGT_FUTURE": ("the seal claims to have been made at {when}, after now ({now})", None),
    "JADES_SIGT_MISSING": ("the seal does not say when it was made (sigT or iat): the certificate was checked "
                           "now, {when}", "JAdES baseline signatures state their signing time"),
    "JADES_CERT_USAGE": ("the certificate may not be used to seal (its keyUsage allows neither "
                         "digitalSignature nor nonRepudiation)", None),
    "JADES_CERT_CA": ("the certificate is a CA certificate (basicConstraints CA:true): it issues certificates, "
                      "it does not seal documents", "a seal is made with an end-entity seal certificate"),
    "JADES_CERT_EKU": ("the certificate's extended key usage allows only {usages}: not signing documents",
                       "a seal certificate's extended key usage, when it has one, allows signing documents"),
    "JADES_PAYLOAD_DUPLICATE_KEY": ("the sealed payload gives the key {key!r} twice in one object ({where}): JSON "
                                    "readers disagree on which value counts", "ask the issuer to seal it again"),
    "JADES_QC_CLAIMED": ("the certificate claims to be an EU qualified certificate{types}; key in a qualified "
                         "device (QcSSCD): {qscd}. Claimed by the certificate: not checked against the EU "
                         "trusted lists", None),
    "JADES_QC_NOT_CLAIMED": ("the certificate does not claim to be an EU qualified certificate", None),
    "JADES_CHAIN_TRUSTED": ("trusted: {chain}, up to the trust anchor {anchor} of {file}", None),
    "JADES_CHAIN_UNTRUSTED": ("the seal is valid but its issuer is not trusted: the chain {chain} does not "
                              "reach a trust anchor of {file} ({reason})",
                              "if you trust the CA, add its certificate: mcred trust add-anchor"),
    "JADES_CHAIN_BROKEN": ("forged chain: {reason}", "the certificate claims a CA you trust, falsely"),
    "JADES_CHAIN_INVALID": ("the chain {chain} to the trust anchor {anchor} is not valid: {reason}", None),
    "JADES_REVOCATION_GOOD": ("not revoked, says the {source} carried in the seal; revocation after that is not "
                              "checked (mcred fetches no CRL or OCSP)", None),
    "JADES_REVOKED": ("the certificate was revoked on {revoked}, before the credential was sealed ({when}), "
                      "says the {source}", None),
    "JADES_REVOKED_AFTER": ("the certificate was revoked on {revoked}, after the credential was sealed ({when}), "
                            "says the {source}", "ask the issuer why the certificate was revoked"),
    "TST_OK": ("{kind} ({what}): {time} by {tsa}; it stamps what it must, and the TSA's signature is valid; "
               "the TSA is {trusted}", None),
    "TST_IMPRINT_MISMATCH": ("{kind} ({what}) does not stamp what it must: the seal was changed after it was "
                             "time-stamped", None),
    "TST_MALFORMED": ("{kind} is not a readable RFC 3161 time-stamp token ({detail})", None),
    "TST_SIGNATURE_INVALID": ("{kind}: the time-stamp's signature does not verify ({detail})", None),
    "TST_NOT_CHECKED": ("{kind} ({what}): {time} by {tsa}; what it stamps was not checked ({detail})", None),
    "TST_TIME_INCONSISTENT": ("{kind} is dated {time}, but the seal claims to have been made at {when}",
                              "a seal cannot be time-stamped before it was made"),
    "ELM_OK": ("every Annex I mandatory element is present; dates and EQF level are well formed", None),
    "JADES_ISSUER_SEALED": ("the issuer {issuer} is the sealer: its eIDAS identifier is the certificate's "
                            "{identifier} ({reason})", None),
    "JADES_ISSUER_NOT_SEALER": ("the credential's issuer has the eIDAS identifier {claimed}, but it was sealed by "
                                "{sealer} ({reason})", "someone else sealed a credential in this issuer's name"),
    "JADES_ISSUER_UNBOUND": ("whether the issuer {issuer} is the sealer {sealer} cannot be told: {detail}",
                             None),
    "JADES_PAYLOAD_NOT_CREDENTIAL": ("the sealed payload is not a JSON credential ({detail})", None),
    "JSONLD_OK_SEALED": ("every IRI is absolute; the terms below are sealed but not defined by any context", None),
    "JADES_TERM_UNDEFINED": ("terms no context defines, sealed but not read: {terms}",
                             "the seal covers them, but mcred does not know what they mean; ask the issuer for "
                             "the context that defines them if they matter to you"),
    "JADES_STATUS_UNREAD": ("a status entry mcred cannot read ({detail}): whether the credential was revoked was "
                            "not checked", "ask the issuer how to check its status"),
}

#: the same in Italian (and those of the errors :mod:`mcred.seals.jades` raises)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "JADES_FORMAT_OK": ("sigillo JAdES ({level}), {alg}, apposto da {sealer}", None),
    "JADES_HEADER_OK": ("ogni parametro critico dell'intestazione è compreso ({crit}); {refs} indicano il "
                        "certificato", None),
    "JADES_SIGNATURE_OK": ("il sigillo è valido: la credenziale è esattamente come {sealer} l'ha sigillata", None),
    "JADES_MALFORMED": ("il sigillo JAdES non è ben formato: {detail}", None),
    "JADES_UNSUPPORTED": ("mcred non verifica questa forma di sigillo: {feature}", None),
    "JADES_ALG_REFUSED": ("alg {alg!r} non è una firma a chiave pubblica: chi può verificarla potrebbe anche "
                          "averla prodotta", "un sigillo eIDAS è RS256, PS256 o ES256"),
    "JADES_ALG_UNSUPPORTED": ("alg {alg!r} non è tra quelli che mcred verifica", None),
    "JADES_ALG_KEY_MISMATCH": ("alg {alg} non corrisponde alla chiave del certificato", None),
    "JADES_KEY_TOO_WEAK": ("la chiave RSA del certificato ha {bits} bit (ne servono almeno 2048)", None),
    "JADES_CRIT_INVALID": ("il parametro crit non è valido: {detail}", None),
    "JADES_CRIT_UNKNOWN": ("il sigillo richiede che il verificatore comprenda {name!r}, che mcred non conosce: "
                           "non può essere accettato (RFC 7515 4.1.11)", None),
    "JADES_CERT_MISSING": ("il sigillo non contiene il suo certificato (x5c)",
                           "mcred ha bisogno del certificato nel sigillo: non scarica nulla"),
    "JADES_CERT_MALFORMED": ("il certificato del sigillo non è leggibile: {detail}", None),
    "JADES_X5T_MISMATCH": ("{name} non è l'impronta del certificato in x5c: il sigillo indica un certificato "
                           "diverso da quello che contiene", None),
    "JADES_KID_MISMATCH": ("kid indica un certificato (emittente e numero di serie) diverso da quello in x5c",
                           None),
    "JADES_CERT_NOT_SIGNER": ("il sigillo non è stato apposto con la chiave del certificato in x5c: il "
                              "certificato è stato sostituito, o il valore della firma alterato",
                              "un sigillo non può essere spostato su un altro certificato"),
    "JADES_SIGNATURE_INVALID": ("il sigillo non corrisponde: la credenziale o l'intestazione protetta sono state "
                                "modificate dopo l'apposizione", None),
    "JADES_CERT_VALID": ("il certificato era valido quando la credenziale è stata sigillata ({when}; valido dal "
                         "{start} al {end})", None),
    "JADES_CERT_VALID_EXPIRED_NOW": ("il certificato era valido quando la credenziale è stata sigillata ({when}; "
                                     "valido dal {start} al {end}); è scaduto dopo, il che non invalida il "
                                     "sigillo", None),
    "JADES_CERT_EXPIRED": ("il certificato era scaduto quando la credenziale è stata sigillata ({when}; valido "
                           "dal {start} al {end})", "un sigillo apposto con un certificato scaduto non è valido"),
    "JADES_CERT_NOT_YET_VALID": ("il certificato non era ancora valido quando la credenziale è stata sigillata "
                                 "({when}; valido dal {start} al {end})", None),
    "JADES_SIGT_INVALID": ("l'ora della firma {value!r} non è una data-ora", None),
    "JADES_SIGT_FUTURE": ("il sigillo dichiara di essere stato apposto il {when}, dopo l'ora attuale ({now})",
                          None),
    "JADES_SIGT_MISSING": ("il sigillo non indica quando è stato apposto (sigT o iat): il certificato è stato "
                           "controllato all'ora attuale, {when}",
                           "le firme JAdES di base indicano l'ora della firma"),
    "JADES_CERT_USAGE": ("il certificato non può essere usato per sigillare (il suo keyUsage non consente né "
                         "digitalSignature né nonRepudiation)", None),
    "JADES_CERT_CA": ("il certificato è di un'autorità di certificazione (basicConstraints CA:true): emette "
                      "certificati, non sigilla documenti",
                      "un sigillo si appone con un certificato di sigillo finale"),
    "JADES_CERT_EKU": ("l'uso esteso della chiave del certificato consente solo {usages}: non la firma di documenti",
                       "l'uso esteso della chiave di un certificato di sigillo, quando c'è, consente di firmare "
                       "documenti"),
    "JADES_PAYLOAD_DUPLICATE_KEY": ("il contenuto sigillato ripete la chiave {key!r} in uno stesso oggetto ({where}): "
                                    "i lettori JSON non concordano su quale valore valga",
                                    "chiedete all'emittente di sigillarlo di nuovo"),
    "JADES_QC_CLAIMED": ("il certificato dichiara di essere un certificato qualificato UE{types_it}; chiave in "
                         "un dispositivo qualificato (QcSSCD): {qscd_it}. È una dichiarazione del certificato: "
                         "non è stata verificata sugli elenchi di fiducia UE", None),
    "JADES_QC_NOT_CLAIMED": ("il certificato non dichiara di essere un certificato qualificato UE", None),
    "JADES_CHAIN_TRUSTED": ("attendibile: {chain}, fino all'ancora di fiducia {anchor} di {file_it}", None),
    "JADES_CHAIN_UNTRUSTED": ("il sigillo è valido ma il suo emittente non è attendibile: la catena {chain} non "
                              "arriva a un'ancora di fiducia di {file_it} ({reason_it})",
                              "se vi fidate dell'autorità di certificazione, aggiungetene il certificato: "
                              "mcred trust add-anchor"),
    "JADES_CHAIN_BROKEN": ("catena contraffatta: {reason}",
                           "il certificato dichiara falsamente di provenire da un'autorità di cui vi fidate"),
    "JADES_CHAIN_INVALID": ("la catena {chain} fino all'ancora di fiducia {anchor} non è valida: {reason}", None),
    "JADES_REVOCATION_GOOD": ("non revocato, secondo {source_it} contenuta nel sigillo; una revoca successiva non è "
                              "verificata (mcred non scarica CRL né risposte OCSP)", None),
    "JADES_REVOKED": ("il certificato è stato revocato il {revoked}, prima che la credenziale fosse sigillata "
                      "({when}), secondo {source_it}", None),
    "JADES_REVOKED_AFTER": ("il certificato è stato revocato il {revoked}, dopo che la credenziale è stata "
                            "sigillata ({when}), secondo {source_it}",
                            "chiedete all'emittente perché il certificato è stato revocato"),
    "TST_OK": ("{kind} ({what_it}): {time}, emessa da {tsa}; marca ciò che deve e la firma della TSA è valida; "
               "la TSA {trusted_it}", None),
    "TST_IMPRINT_MISMATCH": ("{kind} ({what_it}) non marca ciò che deve: il sigillo è stato modificato dopo la "
                             "marca temporale", None),
    "TST_MALFORMED": ("{kind} non è una marca temporale RFC 3161 leggibile ({detail})", None),
    "TST_SIGNATURE_INVALID": ("{kind}: la firma della marca temporale non è valida ({detail})", None),
    "TST_NOT_CHECKED": ("{kind} ({what_it}): {time}, emessa da {tsa}; ciò che marca non è stato verificato "
                        "({detail})", None),
    "TST_TIME_INCONSISTENT": ("{kind} è datata {time}, ma il sigillo dichiara di essere stato apposto il {when}",
                              "un sigillo non può ricevere una marca temporale prima di essere apposto"),
    "ELM_OK": ("ogni elemento obbligatorio dell'Allegato I è presente; date e livello EQF sono ben formati", None),
    "ANNEX_LEARNER": ("elemento dell'Allegato I mancante: identificazione del discente", None),
    "ANNEX_TITLE": ("elemento dell'Allegato I mancante: titolo della micro-credenziale", None),
    "ANNEX_COUNTRY": ("elemento dell'Allegato I mancante: paese dell'emittente", None),
    "ANNEX_AWARDING_BODY": ("elemento dell'Allegato I mancante: ente che rilascia la credenziale", None),
    "ANNEX_DATE": ("elemento dell'Allegato I mancante: data di rilascio", None),
    "ANNEX_OUTCOMES": ("elemento dell'Allegato I mancante: risultati di apprendimento", None),
    "ANNEX_WORKLOAD": ("elemento dell'Allegato I mancante: carico di lavoro (crediti o ore)", None),
    "ANNEX_ASSESSMENT": ("elemento dell'Allegato I mancante: tipo di valutazione", None),
    "ANNEX_PARTICIPATION": ("elemento dell'Allegato I mancante: forma di partecipazione", None),
    "ANNEX_QUALITY_ASSURANCE": ("elemento dell'Allegato I mancante: tipo di garanzia della qualità "
                                "(un accreditamento, o una nota)", None),
    "ANNEX_LEVEL": ("nessun livello EQF (l'Allegato I lo chiede dove applicabile)", None),
    "DATE_INVALID": ("{path}: non è una data-ora ISO 8601", None),
    "EQF_LEVEL_INVALID": ("{path}: non è un livello EQF da 1 a 8", None),
    "JADES_ISSUER_SEALED": ("l'emittente {issuer} è chi ha sigillato: il suo identificativo eIDAS è quello del "
                            "certificato, {identifier} ({reason_it})", None),
    "JADES_ISSUER_NOT_SEALER": ("l'emittente della credenziale ha l'identificativo eIDAS {claimed}, ma l'ha "
                                "sigillata {sealer} ({reason_it})",
                                "qualcun altro ha sigillato una credenziale a nome di questo emittente"),
    "JADES_ISSUER_UNBOUND": ("non si può stabilire se l'emittente {issuer} sia chi ha sigillato ({sealer}): "
                             "{detail_it}", None),
    "JADES_PAYLOAD_NOT_CREDENTIAL": ("il contenuto sigillato non è una credenziale JSON ({detail})", None),
    "JSONLD_OK_SEALED": ("ogni IRI è assoluto; i termini qui sotto sono sigillati ma nessun contesto li definisce",
                         None),
    "JADES_TERM_UNDEFINED": ("termini che nessun contesto definisce, sigillati ma non letti: {terms}",
                             "il sigillo li copre, ma mcred non sa che cosa significano; se vi interessano, "
                             "chiedete all'emittente il contesto che li definisce"),
    "JADES_STATUS_UNREAD": ("una voce di stato che mcred non sa leggere ({detail_it}): la revoca non è stata "
                            "controllata", "chiedete all'emittente come controllarne lo stato"),
    "SKIPPED_SEAL": ("non eseguito: il sigillo, o il suo certificato, non è stato verificato", None),
    "SKIPPED_SEALED": ("la credenziale è sigillata con JAdES e non ha una prova Data Integrity propria (non "
                       "serve)", None),
    "SKIPPED_NO_TIMESTAMPS": ("il sigillo non ha marche temporali (livello B-B)", None),
    "SKIPPED_NO_REVOCATION_DATA": ("revoca non verificata: il sigillo non contiene dati di revoca utilizzabili "
                                   "per il certificato, e mcred non scarica CRL né risposte OCSP", None),
    "SKIPPED_NOT_ELM": ("non è una credenziale ELM (EuropeanDigitalCredential)", None),
}
register(MESSAGES_IT)

_WHAT = {"adoTst": ("content time-stamp, before sealing", "marca temporale del contenuto, prima del sigillo"),
         "sigTst": ("signature time-stamp", "marca temporale della firma"),
         "arcTst": ("archive time-stamp", "marca temporale di archiviazione")}


#: QcType values (ETSI EN 319 412-5 4.2.3), in English and Italian
_QC_USES = {"eseal": ("electronic seals", "sigilli elettronici"),
            "esign": ("electronic signatures", "firme elettroniche"),
            "web": ("website authentication", "autenticazione di siti web")}


def _r(check: str, status: Status, code: str, path: str | None = None, **params) -> CheckResult:
    template, hint = MESSAGES[code]
    return CheckResult(check, status, template.format(**params), code, path,
                       hint.format(**params) if hint else None, params)


def _skip(check: str, code: str, detail: str, path: str | None = None) -> CheckResult:
    return CheckResult(check, Status.SKIPPED, detail, code, path, None, {"detail": detail})


def _from_error(check: str, exc: JadesError) -> CheckResult:
    return CheckResult(check, Status.FAILED, exc.message, exc.code, exc.path, exc.hint, exc.params)


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Seal:
    """What the seal checks share: the parsed JWS, the certificate, the times, the trust anchors."""

    def __init__(self, document: dict, now: datetime, options) -> None:
        self.document, self.now, self.options = document, now, options
        self.results: list[CheckResult] = []
        self.jws = self.cert = self.sealer = self.signing_time = self.chain = None
        self.valid = False  # the signature verified
        self.summary: dict = {"format": "JAdES"}
        trust = options.trust
        self.anchors = trust.anchors_by_fingerprint() if trust is not None and hasattr(trust,
                                                                                     "anchors_by_fingerprint") else {}
        self.trust_file = (trust.file or "(not saved)") if trust is not None else "(none given: --trust)"
        self.trust_file_it = (trust.file or "(non salvato)") if trust is not None else "(nessuno: --trust)"

    def add(self, result: CheckResult) -> None:
        self.results.append(result)

    def pool(self) -> list:
        from mcred.seals.jades import extra_certificates

        return [*self.jws.certificates[1:], *extra_certificates(self.jws)]


def _check_seal(seal: _Seal) -> None:
    from mcred.seals import jades
    from mcred.seals.x509 import Identity

    try:
        seal.jws = jws = jades.parse_jws(seal.document)
        alg = jws.header.get("alg")
        jades.check_algorithm(jws)
        seal.cert = jades.certificates(jws)[0]
    except JadesError as exc:
        seal.add(_from_error("seal", exc))
        return
    seal.sealer = Identity.of(seal.cert)
    seal.summary.update(alg=alg, level=_level(jws), sealer=seal.sealer.to_dict())
    seal.add(_r("seal", Status.PASSED, "JADES_FORMAT_OK", level=seal.summary["level"], alg=alg,
                sealer=seal.sealer.label()))
    header_ok = True
    try:
        crit = jades.check_crit(jws)
        refs = jades.check_references(jws, seal.cert)
        seal.add(_r("seal", Status.PASSED, "JADES_HEADER_OK", crit=", ".join(crit) or "-",
                    refs=", ".join(["x5c", *refs])))
    except JadesError as exc:
        header_ok = False
        seal.add(_from_error("seal", exc))
    try:
        jades.verify_signature(jws, seal.cert)
    except JadesError as exc:
        seal.add(_from_error("seal", exc))
        return
    seal.add(_r("seal", Status.PASSED, "JADES_SIGNATURE_OK", f"{jws.base}.signature", sealer=seal.sealer.label()))
    seal.valid = header_ok


def _level(jws) -> str:
    """TS 119 182-1 6: B-B, then B-T (sigTst), B-LT (xVals and rVals), B-LTA (arcTst)."""
    names = {c.name for c in jws.etsiu}
    level = "B-B"
    if "sigTst" in names:
        level = "B-T"
        if {"xVals", "rVals"} <= names:
            level = "B-LT"
            if "arcTst" in names:
                level = "B-LTA"
    return level


def _check_certificate(seal: _Seal) -> None:
    if seal.cert is None:
        seal.add(_skip("certificate", "SKIPPED_SEAL", "the seal's certificate could not be read"))
        return
    from mcred.seals.x509 import can_seal, is_ca, qc_claims, seal_usages_refused, valid_at

    header, cert, path = seal.jws.header, seal.cert, f"{seal.jws.base}.protected"
    when = None
    if "sigT" in header:
        when = parse_datetime(header["sigT"])
        if when is None:
            seal.add(_r("certificate", Status.FAILED, "JADES_SIGT_INVALID", path, value=str(header["sigT"])))
            return
    elif "iat" in header:
        try:
            if isinstance(header["iat"], bool) or not isinstance(header["iat"], int):
                raise ValueError
            when = datetime.fromtimestamp(header["iat"], timezone.utc)
        except (ValueError, OverflowError, OSError):
            seal.add(_r("certificate", Status.FAILED, "JADES_SIGT_INVALID", path, value=str(header["iat"])))
            return
    dates = {"start": _stamp(cert.not_valid_before_utc), "end": _stamp(cert.not_valid_after_utc)}
    if when is None:
        when = seal.now
        seal.add(_r("certificate", Status.WARNING, "JADES_SIGT_MISSING", path, when=_stamp(when)))
    elif when > seal.now + CLOCK_SKEW:
        seal.add(_r("certificate", Status.FAILED, "JADES_SIGT_FUTURE", path, when=_stamp(when), now=_stamp(seal.now)))
    seal.signing_time = when
    seal.summary.update(signing_time=_stamp(when), certificate={
        "subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
        "serial": str(cert.serial_number), "not_before": dates["start"], "not_after": dates["end"],
        "sha256": _fingerprint(cert)})
    if when < cert.not_valid_before_utc:
        seal.add(_r("certificate", Status.FAILED, "JADES_CERT_NOT_YET_VALID", path, when=_stamp(when), **dates))
    elif when > cert.not_valid_after_utc:
        seal.add(_r("certificate", Status.FAILED, "JADES_CERT_EXPIRED", path, when=_stamp(when), **dates))
    else:
        code = "JADES_CERT_VALID" if valid_at(cert, seal.now) else "JADES_CERT_VALID_EXPIRED_NOW"
        seal.add(_r("certificate", Status.PASSED, code, when=_stamp(when), **dates))
    if is_ca(cert):
        seal.add(_r("certificate", Status.FAILED, "JADES_CERT_CA", path))
    if not can_seal(cert):
        seal.add(_r("certificate", Status.FAILED, "JADES_CERT_USAGE", path))
    refused = seal_usages_refused(cert)
    if refused:
        seal.add(_r("certificate", Status.FAILED, "JADES_CERT_EKU", path, usages=", ".join(refused)))
    claims = qc_claims(cert)
    seal.summary["qualified"] = claims.to_dict()
    if claims.qualified:
        types = f" for {', '.join(_QC_USES.get(t, (t, t))[0] for t in claims.types)}" if claims.types else ""
        types_it = f" per {', '.join(_QC_USES.get(t, (t, t))[1] for t in claims.types)}" if claims.types else ""
        seal.add(_r("certificate", Status.PASSED, "JADES_QC_CLAIMED", types=types, types_it=types_it,
                    qscd="claimed" if claims.qscd else "not claimed",
                    qscd_it="dichiarata" if claims.qscd else "non dichiarata"))
    else:
        seal.add(_r("certificate", Status.PASSED, "JADES_QC_NOT_CLAIMED"))


def _fingerprint(cert) -> str:
    from mcred.seals.x509 import fingerprint

    return fingerprint(cert)


def _check_chain(seal: _Seal) -> None:
    if seal.cert is None or seal.signing_time is None:
        seal.add(_skip("chain", "SKIPPED_SEAL", "the seal's certificate could not be checked"))
        return
    from mcred.seals.x509 import build_chain

    seal.chain = chain = build_chain(seal.cert, seal.pool(), seal.anchors, seal.signing_time)
    names = " ← ".join(chain.names())
    anchor = getattr(chain.anchor, "name", None)
    seal.summary.update(chain=chain.names(), trusted=chain.status == "trusted", anchor=anchor)
    params = {"chain": names, "anchor": anchor or "-", "file": seal.trust_file, "reason": chain.reason,
              "file_it": seal.trust_file_it, "reason_it": chain.reason}
    if chain.status == "trusted":
        seal.add(_r("chain", Status.PASSED, "JADES_CHAIN_TRUSTED", **params))
    elif chain.status == "untrusted":
        if not seal.anchors:
            params.update(reason="no X.509 trust anchors given", reason_it="nessuna ancora di fiducia X.509")
        seal.add(_r("chain", Status.WARNING, "JADES_CHAIN_UNTRUSTED", f"{seal.jws.base}.protected", **params))
    else:
        code = "JADES_CHAIN_BROKEN" if chain.status == "broken" else "JADES_CHAIN_INVALID"
        seal.add(_r("chain", Status.FAILED, code, f"{seal.jws.base}.protected", **params))


def _check_revocation(seal: _Seal) -> None:
    from mcred.seals.jades import revocation_values
    from mcred.seals.x509 import check_revocation

    chain = seal.chain
    if chain is None or len(chain.path) < 2:
        seal.add(_skip("revocation", "SKIPPED_NO_REVOCATION_DATA", "revocation not checked: the certificate's "
                       "issuer is not known, and mcred fetches no CRL or OCSP response"))
        return
    ocsps, crls = revocation_values(seal.jws)
    found = check_revocation(seal.cert, chain.path[1], ocsps, crls, seal.pool())
    seal.summary["revocation"] = found.status
    when = _stamp(seal.signing_time)
    produced = _stamp(found.produced_at) if found.produced_at else "?"
    sources = {"source": f"{'OCSP response' if found.kind == 'OCSP' else 'CRL'} of {found.by} of {produced}",
               "source_it": f"{'la risposta OCSP' if found.kind == 'OCSP' else 'la CRL'} di {found.by} del {produced}"}
    if found.status == "good":
        seal.add(_r("revocation", Status.PASSED, "JADES_REVOCATION_GOOD", **sources))
    elif found.status == "revoked":
        revoked = found.revoked_at
        before = revoked is None or revoked <= seal.signing_time
        seal.add(_r("revocation", Status.FAILED if before else Status.WARNING,
                    "JADES_REVOKED" if before else "JADES_REVOKED_AFTER", f"{seal.jws.base}.header.etsiU",
                    revoked=_stamp(revoked) if revoked else "?", when=when, **sources))
    else:
        seal.add(_skip("revocation", "SKIPPED_NO_REVOCATION_DATA", "revocation not checked: the seal carries "
                       "no usable revocation data for the certificate, and mcred fetches no CRL or OCSP response"))


def _check_timestamps(seal: _Seal) -> None:
    if seal.jws is None:
        seal.add(_skip("timestamps", "SKIPPED_SEAL", "the seal could not be read"))
        return
    from mcred.seals.jades import timestamps
    from mcred.seals.timestamps import check_token

    refs = timestamps(seal.jws)
    if not refs:
        seal.add(_skip("timestamps", "SKIPPED_NO_TIMESTAMPS", "the seal has no time-stamp (baseline B)"))
        return
    seal.summary["timestamps"] = []
    for ref in refs:
        what, what_it = _WHAT[ref.kind]
        outcome = check_token(ref, seal.pool(), seal.anchors)
        seal.summary["timestamps"].append(outcome.summary)
        params = {"kind": ref.kind, "what": what, "what_it": what_it, **outcome.params}
        seal.add(_r("timestamps", outcome.status, outcome.code, ref.path, **params))
        if outcome.time is not None and seal.signing_time is not None and outcome.status == Status.PASSED:
            early = ref.kind != "adoTst" and outcome.time < seal.signing_time - CLOCK_SKEW
            late = ref.kind == "adoTst" and outcome.time > seal.signing_time + CLOCK_SKEW
            if early or late:
                seal.add(_r("timestamps", Status.FAILED, "TST_TIME_INCONSISTENT", ref.path, kind=ref.kind,
                            time=_stamp(outcome.time), when=_stamp(seal.signing_time)))


def verify_sealed(document: dict, report: VerificationReport, *, now: datetime, options,
                  file: str | None) -> VerificationReport:
    """Append the seal's checks and the payload's credential checks to ``report``."""
    seal = _Seal(document, now, options)
    for check in (_check_seal, _check_certificate, _check_chain, _check_revocation, _check_timestamps):
        check(seal)
    report.checks.extend(seal.results)
    seal.summary["valid"] = seal.valid and not any(r.status == Status.FAILED for r in seal.results)
    report.seal = seal.summary
    payload = _payload(seal, report) if seal.jws is not None else None
    if payload is not None:
        _check_payload(payload, seal, report, now=now, options=options, file=file)
    if options.expect_digest is not None:  # last, as for any credential (mcred.verify.runner, check 9)
        from .digest import check_digest

        report.checks.extend(check_digest(document, options.expect_digest, file=file))
    return report


def _check_payload(payload: dict, seal: _Seal, report: VerificationReport, *, now: datetime, options,
                   file: str | None) -> None:
    """The credential checks of :mod:`mcred.verify.runner`, on the sealed payload."""
    state = CheckState(payload, file, now, options, report, inspection=None)
    from .checks import contexts_check, run_checks, validity_check

    run_checks(state, (("contexts", contexts_check), ("jsonld", _check_jsonld), ("elm", _check_elm),
                       ("proof", _check_proof), ("issuer", lambda s: _check_issuer(s, seal)),
                       ("validity", validity_check), ("status", lambda s: _check_status(s, seal))))


def _payload(seal: _Seal, report: VerificationReport) -> dict | None:
    from mcred.limits import LimitExceeded, check_limits

    detail = None
    try:
        payload = json.loads(seal.jws.payload.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
        if not isinstance(payload, dict):
            detail = "not a JSON object"
        else:
            check_limits(payload)
    except DuplicateKey as exc:
        report.unusable = True
        report.checks.append(_r("json", Status.FAILED, "JADES_PAYLOAD_DUPLICATE_KEY", "$.payload", key=exc.key,
                                where=exc.where))
        return None
    except (UnicodeDecodeError, ValueError, RecursionError):
        detail = "not JSON"
    except LimitExceeded as exc:
        detail = exc.message
    if detail is None:
        return payload
    report.unusable = True
    report.checks.append(_r("json", Status.FAILED, "JADES_PAYLOAD_NOT_CREDENTIAL", "$.payload", detail=detail))
    return None


_ELM_CODES = ("DATE_INVALID", "EQF_LEVEL_INVALID")
#: what a graph leaves out because no context defines the term (a property, or a type read as a relative IRI)
_UNDEFINED = ("JSONLD_UNDEFINED_TERM", "JSONLD_RELATIVE_TYPE")


def _check_jsonld(state: CheckState) -> list[CheckResult]:
    """The jsonld check; for a payload with no proof of its own, terms no context defines are one warning.

    A JAdES seal signs the payload's bytes, every term included, so an undefined term (``cnf``, a
    StatusList2021 entry's properties) cannot have been added or changed by anyone but the sealer: it
    is only left unread, which the warning says. A Data Integrity proof inside signs the graph,
    which leaves such a term out; then it stays a failure, as in any credential.
    """
    from mcred.proofs.data_integrity import proofs_of

    from .checks import jsonld_check

    results = jsonld_check(state)
    undefined = [r for r in results if r.status == Status.FAILED and r.code in _UNDEFINED]
    if not undefined or proofs_of(state.document):
        return results
    terms = ", ".join(dict.fromkeys(str(r.params.get("value")) for r in undefined))
    kept = [r for r in results if r not in undefined]
    if not any(r.status == Status.FAILED for r in kept):
        kept.insert(0, _r("jsonld", Status.PASSED, "JSONLD_OK_SEALED"))
    return [*kept, _r("jsonld", Status.WARNING, "JADES_TERM_UNDEFINED", undefined[0].path, terms=terms,
                      count=len(undefined))]


def _check_elm(state: CheckState) -> list[CheckResult]:
    """Annex I elements, dates and EQF level (mcred lint's ELM rules), as warnings: content, not forgery."""
    from mcred.elm.lint import lint_credential
    from mcred.graph.facts import EDC_TYPE

    if not state.passed("contexts"):
        return [_skip("elm", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    if state.facts is None:
        return [_skip("elm", "SKIPPED_NO_GRAPH", "the credential's graph could not be read")]
    if not state.facts.has_type(EDC_TYPE):
        return [_skip("elm", "SKIPPED_NOT_ELM", "not an ELM credential (EuropeanDigitalCredential)")]
    problems = [p for p in lint_credential(state.document, facts=state.facts)
                if p.code.startswith("ANNEX_") or p.code in _ELM_CODES]
    if not problems:
        return [_r("elm", Status.PASSED, "ELM_OK")]
    return [CheckResult("elm", Status.WARNING, p.message, p.code, p.path, None, {"path": p.path, "detail": p.message})
            for p in problems]


def _check_proof(state: CheckState) -> list[CheckResult]:
    from mcred.proofs.data_integrity import proofs_of

    from .checks import proofs_check

    if not proofs_of(state.document):
        return [_skip("proof", "SKIPPED_SEALED", "sealed with JAdES: the credential has no Data Integrity proof "
                      "of its own (none is needed)")]
    return proofs_check(state)


def issuer_identifiers(facts) -> list:
    """The eIDAS identifiers of the credential's issuer (:class:`mcred.seals.identifiers.ClaimedIdentifier`: the
    notation, the country its ``spatial`` names, its ``schemeName``), from its graph (:mod:`mcred.graph.facts`)."""
    from mcred.graph.facts import DC, EIDAS_IDENTIFIER, NOTATION, SCHEME_NAME
    from mcred.graph.nodes import Literal, Node
    from mcred.seals.identifiers import ClaimedIdentifier

    issuer = facts.issuer_node
    claimed = []
    for identifier in issuer.nodes(EIDAS_IDENTIFIER) if issuer is not None else []:
        countries = [n.iri for n in identifier.values(DC + "spatial") if isinstance(n, Node) and n.iri]
        schemes = [v.lexical for v in identifier.values(SCHEME_NAME) if isinstance(v, Literal)]
        claimed += [ClaimedIdentifier(v.lexical, countries[0] if len(countries) == 1 else None,
                                      schemes[0] if len(schemes) == 1 else None)
                    for v in identifier.values(NOTATION) if isinstance(v, Literal)]
    return claimed


def sealer_is_issuer(certificate: str, claimed: list):
    """Whether the certificate's organisation identifier is one of the issuer's (a
    :class:`mcred.seals.identifiers.Comparison`; ``same`` None: cannot be told)."""
    from mcred.seals.identifiers import Comparison, same_organisation

    answers = [same_organisation(certificate, c) for c in claimed]
    for wanted in (True, None, False):
        found = [a for a in answers if a.same is wanted]
        if found:
            return Comparison(wanted, "; ".join(a.reason for a in found), "; ".join(a.reason_it for a in found))
    return Comparison(None, "the credential's issuer has no eIDASIdentifier",
                      "l'emittente della credenziale non ha eIDASIdentifier")


def _check_issuer(state: CheckState, seal: _Seal) -> list[CheckResult]:
    """The sealer is the issuer (EDC writes the seal certificate's identifier as the issuer's eIDASIdentifier)."""
    from mcred.graph.nodes import MultipleValues
    from mcred.proofs.data_integrity import proofs_of

    from .checks import issuer_check, multiple_values, no_graph

    if state.facts is None:
        return no_graph("issuer")
    results = issuer_check(state) if proofs_of(state.document) else []
    try:
        issuer = state.facts.issuer
    except MultipleValues as exc:
        return results or multiple_values("issuer", exc)
    state.report.issuer = issuer
    if issuer is None and not results:
        return [CheckResult("issuer", Status.FAILED, "the credential names no issuer (issuer or issuer.id)",
                            "ISSUER_MISSING", "$.issuer")]
    if not seal.valid:
        return [*results, _skip("issuer", "SKIPPED_SEAL", "the seal did not verify, so who sealed it is not known")]
    claimed = issuer_identifiers(state.facts)
    sealer = seal.sealer
    params = {"issuer": issuer, "sealer": sealer.label()}
    if sealer.identifier is None or not claimed:
        detail, detail_it = (("the certificate has no organisation identifier",
                              "il certificato non ha un identificativo dell'organizzazione")
                             if sealer.identifier is None else ("the credential's issuer has no eIDASIdentifier",
                                                                "l'emittente della credenziale non ha eIDASIdentifier"))
        return [*results, _r("issuer", Status.WARNING, "JADES_ISSUER_UNBOUND", "$.issuer", detail=detail,
                             detail_it=detail_it, **params)]
    answer = sealer_is_issuer(sealer.identifier, claimed)
    if answer.same is None:
        return [*results, _r("issuer", Status.WARNING, "JADES_ISSUER_UNBOUND", "$.issuer.eIDASIdentifier",
                             detail=answer.reason, detail_it=answer.reason_it, **params)]
    if not answer.same:
        return [*results, _r("issuer", Status.FAILED, "JADES_ISSUER_NOT_SEALER", "$.issuer.eIDASIdentifier",
                             claimed=", ".join(c.notation for c in claimed), reason=answer.reason,
                             reason_it=answer.reason_it, **params)]
    if seal.chain is not None and seal.chain.status == "trusted" and sealer.organisation:
        # the name a trusted CA vouches for: from your trust decisions, not the credential's claim
        state.report.issuer_names = {"en": sealer.organisation, "it": sealer.organisation}
    return [*results, _r("issuer", Status.PASSED, "JADES_ISSUER_SEALED", identifier=sealer.identifier,
                         reason=answer.reason, reason_it=answer.reason_it, **params)]


def _check_status(state: CheckState, seal: _Seal) -> list[CheckResult]:
    from mcred.proofs.data_integrity import proofs_of

    from .checks import no_graph, status_check

    if state.facts is None:
        return no_graph("status")
    from .status import check_status, status_refs

    refs = status_refs(state.facts)
    if proofs_of(state.document):
        return status_check(state)
    unread = _unread_status(state.facts)
    if not refs and not unread:
        return status_check(state)
    if not seal.valid:
        return [_skip("status", "SKIPPED_SEAL", "the seal did not verify, so the status entry cannot be trusted")]
    results = check_status(refs, state.report.issuer, state.options.status_lists) if refs else []
    # the sealer wrote an entry mcred cannot read (malformed, or of a kind no context defines): revocation
    # is unknown, which a warning says; it is no forgery, since the seal covers every byte of it
    for index, r in enumerate(results):
        if r.code == "STATUS_ENTRY_MALFORMED":
            results[index] = _r("status", Status.WARNING, "JADES_STATUS_UNREAD", r.path,
                                detail=r.params.get("reason", r.message),
                                detail_it=r.params.get("reason_it", r.params.get("reason", r.message)))
    return results + unread


def _unread_status(facts) -> list[CheckResult]:
    """ELM's own ``status`` entries that are nodes (EDC writes StatusList2021 entries there, with no context that
    defines them): mcred cannot read them, and says so rather than "no status information"."""
    from mcred.graph.facts import ELM
    from mcred.graph.nodes import Node, term_of

    results = []
    for value in facts.node.values(ELM + "status"):
        if not isinstance(value, Node):
            continue
        kind = ", ".join(term_of(t) for t in value.types) or "no type"
        detail = f"{value.iri or 'an entry'} ({kind})"
        results.append(_r("status", Status.WARNING, "JADES_STATUS_UNREAD", "$.status", detail=detail,
                          detail_it=detail))
    return results

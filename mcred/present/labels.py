"""The words of a credential's view (``mcred show``, ``mcred render``), in English and Italian.

Kept apart from :mod:`mcred.present.view` so that the logic reads without the tables.
Concept labels: the credential's own ``prefLabel`` in the language asked for
when it has one; for the European vocabularies mcred issues from (mode, learning
setting, assessment, supervision, accreditation), mcred's Italian labels, since
the credentials mcred makes carry English labels only.
"""

from __future__ import annotations

from mcred.elm import vocab

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # the ribbon, by state (mcred.present.verdict), and what was left unchecked with how to check it
        "ribbon_verified": "Verified", "ribbon_revocation-unchecked": "Verified — revocation not checked",
        "ribbon_signed-issuer-unchecked": "Signature valid — issuer not checked",
        "ribbon_signed-unchecked": "Signature valid — issuer and revocation not checked",
        "ribbon_issuer-unlisted": "Signature valid — issuer not in your trust list",
        "ribbon_partial": "Partially verified", "ribbon_failed": "Verification failed",
        "unchecked_issuer": "Issuer not checked (no trust list given). To check it: mcred verify {file} --trust "
        "TRUST.yaml",
        "unlisted_issuer": "The issuer is not in your trust list ({trust}): the signature is valid, but who signed "
        "is not known to you. If you know this issuer, add it with mcred trust add.",
        "unchecked_revocation": "Revocation not checked (no copy of its status list {lists} given). To check it: "
        "mcred verify {file} --status-list LIST.json, a current copy of the list its issuer publishes",
        "check_json": "File", "check_jwt": "JWT", "check_contexts": "JSON-LD contexts",
        "check_jsonld": "Terms and IRIs",
        "check_euhemc": "EUHEMC profile",
        "check_proof": "Signature", "check_issuer": "Issuer", "check_validity": "Validity",
        "check_status": "Revocation", "check_components": "Components", "check_digest": "Digest",
        "status_passed": "OK", "status_failed": "FAILED", "status_warning": "warning", "status_skipped": "skipped",
        "checks": "Checks", "checked_at": "Checked by mcred on {when}", "untitled": "(untitled credential)",
        "learner": "Learner", "name": "Name", "date_of_birth": "Date of birth", "national_id": "National ID",
        "award": "Awarded by", "awarding_body": "Awarding body", "issuer": "Issuer",
        "issuer_note": "the key that signed", "from_trust": "name from your trust list",
        "credential_says": "the credential says:",
        "as_claimed": "as the credential states it; not confirmed by a trust list",
        "self_declared": "self-declared by the credential: not checked (no trust list)",
        "not_in_trust": "as the credential states it; the issuer is not in your trust list ({trust})",
        "awarded": "Awarded on", "issued": "Issued on", "valid_from": "Valid from",
        "valid_until": "Valid until",
        "workload": "Credits and level", "credits": "Credits", "credits_received": "Credits received",
        "ects": "{point} ECTS (CFU)", "hours": "Workload", "hours_value": "{hours} hours", "eqf": "EQF level",
        # which rule produced a figure, where credits and hours are shown together (1 CFU = 25 hours)
        "hours_as_cfu": "= {cfu} CFU at {rate} hours per CFU",
        "hours_as_cfu_rounded": "= {cfu} CFU at {rate} hours per CFU (rounded to two decimals)",
        "hours_within": "= {cfu} CFU at {rate} hours per CFU; the {stated} CFU stated allow {low} to {high} hours "
        "(±{tolerance} %)",
        "hours_mismatch": "= {cfu} CFU at {rate} hours per CFU: does not agree with the {stated} CFU stated, which "
        "allow {low} to {high} hours (±{tolerance} %)",
        "credits_total": "the components' total", "credits_recognised": "recognised, of {total} CFU in the components",
        "received_recognised": "within the pathway's caps (see Components)",
        "components_derived": "* not stated by the credential: derived from the other figure at {rate} hours per "
        "CFU.",
        "thematic_area": "Field (ISCED-F)", "mode": "Mode", "learning_setting": "Learning setting",
        "language": "Language",
        "assessment_heading": "Assessment", "assessment": "Assessment", "grade": "Grade",
        "grading_scheme": "Grading scheme", "supervision": "Identity check",
        "quality": "Quality assurance", "accreditation": "Accreditation", "by": "by",
        "more": "Further information", "prerequisites": "Prerequisites", "part_of": "Part of", "note": "Note",
        "outcomes": "Learning outcomes", "skills": "ESCO skills",
        "components": "Components", "col_title": "Micro-credential", "col_awarded": "Awarded",
        "col_cfu": "ECTS/CFU", "col_hours": "Hours", "col_eqf": "EQF", "col_recognised": "Recognised",
        "col_verified": "Verified", "total": "Total", "yes": "yes", "no": "NO", "not_checked": "not checked",
        "credential_id": "Credential id", "digest": "Digest", "no_digest": "none: {problem}",
        "qr_caption": "The QR code holds the credential's id and digest.",
        "how_to_check": "This page is a copy for reading; what counts is the signed file. To check that a file "
        "is the credential printed here, run:",
        "file": "File",
        # sealed credentials (JAdES): the checks, and the "Seal" section (mcred.present.seal)
        "check_seal": "Seal", "check_certificate": "Seal certificate", "check_chain": "Certificate chain",
        "check_revocation": "Certificate revocation", "check_timestamps": "Time-stamps", "check_elm": "Annex I",
        "issuer_note_sealed": "as the credential names it; who sealed it: see Seal",
        "as_claimed_sealed": "as the sealed credential states it",
        "seal_heading": "Seal", "sealed_by": "Sealed by", "sealer_id": "Identifier",
        "sealer_trusted": "from the seal's certificate, whose CA you trust",
        "sealer_untrusted": "from the seal's certificate, whose CA is not in your trust file",
        "sealer_unverified": "from the certificate of a seal that did not verify",
        "sealer_is_issuer": "the credential's issuer has the same identifier",
        "sealer_not_issuer": "not the credential's issuer's ({claimed})",
        "qualified": "Qualified certificate",
        "qualified_claimed": "claimed, not checked against the EU trusted lists",
        "qualified_not_claimed": "not claimed", "qualified_unreadable": "its qcStatements cannot be read",
        "qualified_for": "for {uses}", "qc_eseal": "electronic seals", "qc_esign": "electronic signatures",
        "qc_web": "website authentication", "qscd_claimed": "key in a qualified device (QSCD): claimed",
        "qscd_not_claimed": "key in a qualified device (QSCD): no",
        "sealed_on": "Sealed on", "sealed_on_missing": "not stated by the seal",
        "sealed_on_confirmed": "confirmed by a trusted time-stamp: the seal existed on {when} ({tsa})",
        "sealed_on_untrusted_tsa": "as the seal states it; time-stamped on {when} by {tsa} (TSA not trusted)",
        "sealed_on_claimed": "as the seal states it; no verified time-stamp confirms it",
        "seal_certificate": "Seal certificate", "cert_dates": "valid {start} to {end}",
        "cert_valid": "valid when the credential was sealed",
        "cert_expired_since": "valid when sealed; expired since (the seal stands)",
        "cert_expired": "had expired when the credential was sealed",
        "cert_not_yet_valid": "not yet valid when the credential was sealed",
        "seal_ca": "Certification authority", "ca_trusted": "reaches a trust anchor of your trust file",
        "ca_untrusted": "not in your trust file",
        "seal_format": "Format",
        "checks_summarised": "One row per check; a check that passed shows its codes only (mcred show gives "
        "every message).",
    },
    "it": {
        "ribbon_verified": "Verificata", "ribbon_revocation-unchecked": "Verificata — revoca non controllata",
        "ribbon_signed-issuer-unchecked": "Firma valida — emittente non verificato",
        "ribbon_signed-unchecked": "Firma valida — emittente e revoca non verificati",
        "ribbon_issuer-unlisted": "Firma valida — emittente non presente nel vostro elenco di fiducia",
        "ribbon_partial": "Parzialmente verificata", "ribbon_failed": "Verifica non riuscita",
        "unchecked_issuer": "Emittente non verificato (nessun elenco di fiducia). Per verificarlo: mcred verify "
        "{file} --trust TRUST.yaml",
        "unlisted_issuer": "L'emittente non è nel vostro elenco di emittenti attendibili ({trust}): la firma è "
        "valida, ma chi ha firmato non vi è noto. Se conoscete questo emittente, aggiungetelo con mcred trust add.",
        "unchecked_revocation": "Revoca non controllata (manca la copia del suo elenco di stato {lists}). Per "
        "controllarla: mcred verify {file} --status-list LIST.json, una copia aggiornata dell'elenco che il suo "
        "emittente pubblica",
        "check_json": "File", "check_jwt": "JWT", "check_contexts": "Contesti JSON-LD", "check_jsonld": "Termini e IRI",
        "check_euhemc": "Profilo EUHEMC",
        "check_proof": "Firma", "check_issuer": "Emittente", "check_validity": "Validità",
        "check_status": "Revoca", "check_components": "Componenti", "check_digest": "Impronta",
        "status_passed": "OK", "status_failed": "ERRORE", "status_warning": "avviso", "status_skipped": "saltato",
        "checks": "Controlli", "checked_at": "Controllata da mcred il {when}",
        "untitled": "(credenziale senza titolo)",
        "learner": "Titolare", "name": "Nome", "date_of_birth": "Data di nascita",
        "national_id": "Identificativo nazionale",
        "award": "Rilasciata da", "awarding_body": "Ente che rilascia", "issuer": "Emittente",
        "issuer_note": "la chiave che ha firmato", "from_trust": "nome dal vostro elenco di emittenti attendibili",
        "credential_says": "la credenziale dice:",
        "as_claimed": "come lo dichiara la credenziale; non confermato da un elenco di emittenti attendibili",
        "self_declared": "dichiarato dalla credenziale: non verificato (nessun elenco di fiducia)",
        "not_in_trust": "come lo dichiara la credenziale; l'emittente non è nel vostro elenco di emittenti "
        "attendibili ({trust})",
        "awarded": "Conseguita il", "issued": "Emessa il",
        "valid_from": "Valida dal", "valid_until": "Valida fino al",
        "workload": "Crediti e livello", "credits": "Crediti", "credits_received": "Crediti riconosciuti",
        "ects": "{point} ECTS (CFU)", "hours": "Impegno", "hours_value": "{hours} ore", "eqf": "Livello EQF",
        "hours_as_cfu": "= {cfu} CFU a {rate} ore per CFU",
        "hours_as_cfu_rounded": "= {cfu} CFU a {rate} ore per CFU (arrotondati a due decimali)",
        "hours_within": "= {cfu} CFU a {rate} ore per CFU; i {stated} CFU dichiarati ammettono da {low} a {high} ore "
        "(±{tolerance} %)",
        "hours_mismatch": "= {cfu} CFU a {rate} ore per CFU: non concorda con i {stated} CFU dichiarati, che "
        "ammettono da {low} a {high} ore (±{tolerance} %)",
        "credits_total": "totale dei componenti", "credits_recognised": "riconosciuti, su {total} CFU dei componenti",
        "received_recognised": "nei limiti del percorso (vedete Componenti)",
        "components_derived": "* non indicato dalla credenziale: ricavato dall'altro valore a {rate} ore per CFU.",
        "thematic_area": "Area (ISCED-F)", "mode": "Modalità", "learning_setting": "Contesto di apprendimento",
        "language": "Lingua",
        "assessment_heading": "Valutazione", "assessment": "Prova", "grade": "Voto",
        "grading_scheme": "Scala di valutazione", "supervision": "Verifica dell'identità",
        "quality": "Garanzia della qualità", "accreditation": "Accreditamento", "by": "di",
        "more": "Altre informazioni", "prerequisites": "Prerequisiti", "part_of": "Parte di", "note": "Nota",
        "outcomes": "Risultati di apprendimento", "skills": "Competenze ESCO",
        "components": "Componenti", "col_title": "Micro-credenziale", "col_awarded": "Conseguita",
        "col_cfu": "ECTS/CFU", "col_hours": "Ore", "col_eqf": "EQF", "col_recognised": "Riconosciuti",
        "col_verified": "Verificata", "total": "Totale", "yes": "sì", "no": "NO", "not_checked": "non controllata",
        "credential_id": "Identificativo della credenziale", "digest": "Impronta",
        "no_digest": "nessuna: {problem}",
        "qr_caption": "Il codice QR contiene l'identificativo e l'impronta della credenziale.",
        "how_to_check": "Questa pagina è una copia da leggere; ciò che vale è il file firmato. Per controllare che "
        "un file sia la credenziale stampata qui, eseguite:",
        "file": "File",
        "check_seal": "Sigillo", "check_certificate": "Certificato del sigillo", "check_chain": "Catena di certificati",
        "check_revocation": "Revoca del certificato", "check_timestamps": "Marche temporali",
        "check_elm": "Allegato I",
        "issuer_note_sealed": "come lo indica la credenziale; chi l'ha sigillata: vedete Sigillo",
        "as_claimed_sealed": "come lo dichiara la credenziale sigillata",
        "seal_heading": "Sigillo", "sealed_by": "Sigillata da", "sealer_id": "Identificativo",
        "sealer_trusted": "dal certificato del sigillo, la cui autorità di certificazione è nel vostro file di "
        "fiducia",
        "sealer_untrusted": "dal certificato del sigillo, la cui autorità di certificazione non è nel vostro file "
        "di fiducia",
        "sealer_unverified": "dal certificato di un sigillo che non è stato verificato",
        "sealer_is_issuer": "lo stesso dell'emittente della credenziale",
        "sealer_not_issuer": "non è quello dell'emittente della credenziale ({claimed})",
        "qualified": "Certificato qualificato",
        "qualified_claimed": "dichiarato, non verificato sugli elenchi di fiducia UE",
        "qualified_not_claimed": "non dichiarato", "qualified_unreadable": "le sue qcStatements non sono leggibili",
        "qualified_for": "per {uses}", "qc_eseal": "sigilli elettronici", "qc_esign": "firme elettroniche",
        "qc_web": "autenticazione di siti web",
        "qscd_claimed": "chiave in un QSCD: dichiarata", "qscd_not_claimed": "chiave in un QSCD: no",
        "sealed_on": "Sigillata il", "sealed_on_missing": "non indicato dal sigillo",
        "sealed_on_confirmed": "confermata da una marca temporale attendibile ({when}, {tsa}): il sigillo "
        "esisteva già",
        "sealed_on_untrusted_tsa": "dichiarata dal sigillo; marca temporale: {when}, {tsa} (TSA non attendibile)",
        "sealed_on_claimed": "dichiarata dal sigillo; nessuna marca temporale verificata la conferma",
        "seal_certificate": "Certificato del sigillo", "cert_dates": "valido {dal}{start} {al}{end}",
        "cert_valid": "valido quando la credenziale è stata sigillata",
        "cert_expired_since": "valido alla sigillatura; scaduto dopo (il sigillo resta valido)",
        "cert_expired": "già scaduto quando la credenziale è stata sigillata",
        "cert_not_yet_valid": "non ancora valido quando la credenziale è stata sigillata",
        "seal_ca": "Autorità di certificazione",
        "ca_trusted": "risale a un'ancora di fiducia del vostro file di fiducia",
        "ca_untrusted": "non è nel vostro file di fiducia",
        "seal_format": "Formato",
        "checks_summarised": "Una riga per controllo; di quelli superati sono indicati solo i codici (mcred show "
        "riporta ogni messaggio).",
    },
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}

_IT = {
    "mode": {"online": "Online", "onsite": "In presenza", "blended": "Mista", "work-based": "Sul luogo di lavoro",
             "hybrid": "Ibrida", "project-based": "Per progetti"},
    "learning_setting": {"formal": "apprendimento formale", "non-formal": "apprendimento non formale"},
    "assessment": {"written-examination": "esame scritto", "oral-examination": "esame orale",
                   "project-work": "lavoro di progetto", "portfolio": "portfolio",
                   "practical-assessment": "prova pratica", "continuous-evaluation": "valutazione continua",
                   "marked-assignment": "elaborato valutato", "quiz": "quiz", "peer-assessment": "valutazione tra pari",
                   "group-performance": "prova di gruppo"},
    "supervision": {"unsupervised-with-id-verification": "senza sorveglianza, con verifica dell'identità",
                    "unsupervised-without-id-verification": "senza sorveglianza né verifica dell'identità"},
    "accreditation": {"institutional-qa": "garanzia della qualità istituzionale",
                      "programme-qa": "garanzia della qualità del programma",
                      "institutional-licence": "autorizzazione istituzionale",
                      "programme-licence": "autorizzazione del programma"},
}

_LANGUAGES_IT = {"it": "italiano", "en": "inglese", "fr": "francese", "de": "tedesco", "es": "spagnolo",
                 "pt": "portoghese", "nl": "olandese", "sl": "sloveno", "el": "greco", "pl": "polacco"}

#: concept id -> Italian label
CONCEPT_LABELS_IT: dict[str, str] = {
    **{vocab.concept(kind, key).id: label for kind, labels in _IT.items() for key, label in labels.items()},
    **{vocab.language(code).id: label for code, label in _LANGUAGES_IT.items()},
}

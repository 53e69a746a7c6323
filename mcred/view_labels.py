"""The words of a credential's view (``mcred show``, ``mcred render``), in English and Italian.

Kept apart from :mod:`mcred.view` so that the logic reads without the tables.
Concept labels: the credential's own ``prefLabel`` in the language asked for
when it has one; for the European vocabularies mcred issues from (mode, learning
setting, assessment, supervision, accreditation), mcred's Italian labels, since
the credentials mcred makes carry English labels only.
"""

from __future__ import annotations

from . import vocab

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "ribbon_verified": "Verified", "ribbon_partial": "Partially verified",
        "ribbon_failed": "Verification failed",
        "check_json": "File", "check_contexts": "JSON-LD contexts", "check_jsonld": "Terms and IRIs",
        "check_proof": "Signature", "check_issuer": "Issuer", "check_validity": "Validity",
        "check_status": "Revocation", "check_components": "Components", "check_digest": "Digest",
        "status_passed": "OK", "status_failed": "FAILED", "status_warning": "warning", "status_skipped": "skipped",
        "checks": "Checks", "checked_at": "Checked by mcred on {when}", "untitled": "(untitled credential)",
        "learner": "Learner", "name": "Name", "date_of_birth": "Date of birth", "national_id": "National ID",
        "award": "Awarded by", "awarding_body": "Awarding body", "issuer": "Issuer",
        "issuer_note": "the key that signed", "from_trust": "name from your trust list",
        "credential_says": "the credential says:", "as_claimed": "as the credential states it; not checked against "
        "a trust list", "awarded": "Awarded on", "issued": "Issued on", "valid_from": "Valid from",
        "valid_until": "Valid until",
        "workload": "Credits and level", "credits": "Credits", "credits_received": "Credits received",
        "ects": "{point} ECTS (CFU)", "hours": "Workload", "hours_value": "{hours} hours", "eqf": "EQF level",
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
    },
    "it": {
        "ribbon_verified": "Verificata", "ribbon_partial": "Parzialmente verificata",
        "ribbon_failed": "Verifica non riuscita",
        "check_json": "File", "check_contexts": "Contesti JSON-LD", "check_jsonld": "Termini e IRI",
        "check_proof": "Firma", "check_issuer": "Emittente", "check_validity": "Validità",
        "check_status": "Revoca", "check_components": "Componenti", "check_digest": "Impronta",
        "status_passed": "OK", "status_failed": "ERRORE", "status_warning": "avviso", "status_skipped": "saltato",
        "checks": "Controlli", "checked_at": "Controllata da mcred il {when}",
        "untitled": "(credenziale senza titolo)",
        "learner": "Titolare", "name": "Nome", "date_of_birth": "Data di nascita",
        "national_id": "Identificativo nazionale",
        "award": "Rilasciata da", "awarding_body": "Ente che rilascia", "issuer": "Emittente",
        "issuer_note": "la chiave che ha firmato", "from_trust": "nome dal vostro elenco di emittenti attendibili",
        "credential_says": "la credenziale dice:", "as_claimed": "come lo dichiara la credenziale; non confrontato "
        "con un elenco di emittenti attendibili", "awarded": "Conseguita il", "issued": "Emessa il",
        "valid_from": "Valida dal", "valid_until": "Valida fino al",
        "workload": "Crediti e livello", "credits": "Crediti", "credits_received": "Crediti riconosciuti",
        "ects": "{point} ECTS (CFU)", "hours": "Impegno", "hours_value": "{hours} ore", "eqf": "Livello EQF",
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

"""Report messages in English and Italian, with the same problem codes in both.

English messages are written where each check decides (they read best there,
next to the logic); so are the Italian templates, keyed by code, which each
module registers here (:func:`register`). This module fills them from the
``params`` of each result, and picks the language:
``--lang``, else ``MCRED_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``): Italian when it starts with ``it``, English otherwise.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "it")

#: code -> (Italian message template, Italian hint or None)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    # json
    "JSON_OK": ("l'input è un oggetto JSON", None),
    "JSON_MALFORMED": ("JSON non valido: {detail}", "controllate che il file sia una credenziale JSON completa"),
    "JSON_NOT_OBJECT": ("una credenziale deve essere un oggetto JSON", None),
    "JSON_TOO_DEEP": ("JSON annidato oltre {limit} livelli", "vedete docs/formats.md, \"Limits\""),
    "JSON_TOO_COMPLEX": ("input troppo complesso: {detail}", "vedete docs/formats.md, \"Limits\""),
    "FILE_UNREADABLE": ("impossibile leggere il file: {detail}", None),
    "FILE_TOO_LARGE": ("il file supera {limit} byte", None),
    "FILE_NOT_REGULAR": ("il file è {kind_it}, non un file regolare", "indicate il percorso di un file regolare"),
    # contexts and JSON-LD
    "CONTEXTS_OK": ("ogni @context è incluso in mcred", None),
    "CONTEXT_MISSING": ("il documento non ha @context: non è JSON-LD", "aggiungete i contesti che usa"),
    "CONTEXT_UNKNOWN": ("contesto JSON-LD sconosciuto {url!r}",
                        "mcred lavora offline e conosce solo i contesti elencati da `mcred contexts`"),
    "CONTEXT_DIGEST_MISMATCH": ("un contesto incluso in mcred è stato alterato", "reinstallate mcred"),
    "JSONLD_OK": ("ogni termine è definito e ogni IRI è assoluto", None),
    "JSONLD_INVALID": ("il documento non è JSON-LD valido: {detail}", None),
    "JSONLD_TOO_COMPLEX": ("rifiutato: la canonicalizzazione richiederebbe troppo tempo",
                           "le credenziali non hanno bisogno di identificatori di nodi vuoti (_:...)"),
    "JSONLD_UNDEFINED_TERM": ("il termine {value!r} non è definito da alcun contesto",
                              "un termine non definito resta fuori dalla firma"),
    "JSONLD_RELATIVE_TYPE": ("il tipo {value!r} non è definito da alcun contesto (IRI relativo)",
                             "un termine non definito resta fuori dalla firma"),
    "JSONLD_RELATIVE_ID": ("IRI relativo o malformato {value!r} usato come id",
                           "usate un IRI assoluto (https://..., urn:uuid:..., did:...)"),
    "JSONLD_RELATIVE_PROPERTY": ("la proprietà {value!r} si espande in un IRI relativo o malformato", None),
    "JSONLD_BLANK_PREDICATE": ("la proprietà {value!r} è un nodo vuoto, che RDF non può rappresentare", None),
    "JSONLD_BAD_LANGUAGE": ("il tag di lingua {value!r} non è un tag BCP 47 valido", None),
    # the signed graph
    "GRAPH_NO_CREDENTIAL": ("il grafo firmato non ha un nodo di tipo VerifiableCredential: non c'è una "
                            "credenziale da controllare", None),
    "GRAPH_SEVERAL_CREDENTIALS": ("il grafo firmato ha {count} nodi di tipo VerifiableCredential ({ids}); mcred "
                                  "controlla una credenziale alla volta", None),
    "MULTIPLE_VALUES": ("{property} ha {count} valori nel grafo firmato ({values}) in {node}; può averne uno solo",
                        "l'emittente ha firmato una credenziale che dice due cose insieme: chiedetene una corretta"),
    "SKIPPED_NO_GRAPH": ("non eseguito: il grafo della credenziale non si può leggere (vedete i controlli "
                         "contexts e jsonld)", None),
    # proofs
    "PROOF_OK": ("firma {suite} valida, apposta da {signer}", None),
    "PROOF_MISSING": ("il documento non ha una prova (proof)", "firmatelo con `mcred sign`"),
    "PROOF_MALFORMED": ("il campo {field} della prova non è valido", None),
    "PROOF_UNSUPPORTED": ("prova di tipo {type!r} / cryptosuite {cryptosuite!r}: mcred non la verifica",
                          "mcred verifica eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019, "
                          "Ed25519Signature2020, Ed25519Signature2018 ed eddsa-2022"),
    "PROOF_PURPOSE_INVALID": ("proofPurpose è {purpose!r}; deve essere {expected!r} ('assertionMethod' per una "
                              "credenziale, 'authentication' per una presentazione)", None),
    "PROOF_VALUE_MISSING": ("la prova non ha proofValue", None),
    "PROOF_VALUE_ENCODING": ("proofValue non ha la codifica che la sua suite richiede ({detail})", None),
    "PROOF_KEY_UNRESOLVABLE": ("il metodo di verifica {method!r} non indica una chiave (non è un DID o un URL "
                               "assoluto, o è un did:key malformato)", None),
    "PROOF_KEY_TYPE_MISMATCH": ("{suite} firma con chiavi {wanted}; il metodo di verifica è una chiave {key_type}",
                                None),
    "PROOF_CONTEXT_MISMATCH": ("il @context della prova non è un prefisso di quello del documento", None),
    "PROOF_CHAIN_BROKEN": ("previousProof {id!r} non indica alcuna prova di questo documento", None),
    "PROOF_SIGNATURE_INVALID": ("la firma non corrisponde al documento: è stato modificato dopo la firma, "
                                "o firmato con un'altra chiave", None),
    # ecdsa-sd-2023 (mcred.proofs.ecdsa_sd)
    "PROOF_SD_HEADER": ("proofValue inizia con 0x{header}, che non è l'intestazione di una prova ecdsa-sd-2023 "
                        "(0xd95d00 base, 0xd95d01 derivata)", None),
    "PROOF_SD_CBOR": ("le componenti di proofValue non sono CBOR valido ({detail})", None),
    "PROOF_SD_SHAPE": ("il CBOR di proofValue non ha la forma di ecdsa-sd-2023: atteso {wanted}", None),
    "PROOF_SD_KEY_TYPE": ("la chiave è {kind}; ecdsa-sd-2023 firma con chiavi P-256", None),
    "PROOF_SD_LABEL_MAP_MISMATCH": ("la mappa delle etichette della prova non corrisponde ai nodi vuoti del "
                                    "documento mostrato ({detail})",
                                    "il documento o la prova sono stati modificati dopo la derivazione"),
    "PROOF_SD_MANDATORY_INDEXES": ("gli indici obbligatori della prova sono ripetuti o fuori dalle {statements} "
                                   "affermazioni mostrate", None),
    "PROOF_SD_SIGNATURE_COUNT": ("la prova ha {signatures} firme di affermazioni per {statements} affermazioni "
                                 "non obbligatorie mostrate",
                                 "un'affermazione è stata aggiunta o tolta dopo la derivazione"),
    "PROOF_SD_QUAD_SIGNATURE_INVALID": ("la firma dell'affermazione mostrata n. {number} non corrisponde: {quad}",
                                        "il valore è stato modificato dopo la firma"),
    "PROOF_SD_SIGNATURE_UNMATCHED": ("solo {matched} delle {total} firme di affermazioni della prova base "
                                     "corrispondono, in ordine, ad affermazioni del documento: è stato modificato "
                                     "dopo la firma", None),
    "PROOF_SD_BASE_NOT_DERIVED": ("questa prova ecdsa-sd-2023 è una prova base, per chi la detiene: contiene la "
                                  "chiave HMAC dell'emittente e ogni affermazione; derivatene una che mostri solo "
                                  "il necessario prima di mostrarla a chiunque",
                                  "derivatela (`mcred derive BASE.json --disclose PUNTATORE --out MOSTRATA.json`) "
                                  "e mostrate quella; non inviate mai una prova base a un verificatore"),
    # mcred derive (mcred.proofs.ecdsa_sd_derive)
    "DERIVE_NOT_BASE": ("serve un documento con una prova base ecdsa-sd-2023",
                        "indicate la credenziale così come l'emittente l'ha inviata"),
    "DERIVE_POINTER_INVALID": ("il puntatore JSON non corrisponde al documento",
                               "indicate una chiave o un indice che la credenziale ha (RFC 6901)"),
    "DERIVE_FAILED": ("la prova derivata non si verifica: mcred non può derivare da questo documento", None),
    "PROOF_TERMS_UNDEFINED": ("i contesti del documento non definiscono i termini della prova",
                              "aggiungete https://w3id.org/security/data-integrity/v2 a @context"),
    # issuer
    "ISSUER_OK": ("l'emittente {issuer} ha apposto ogni prova", None),
    "ISSUER_MISSING": ("la credenziale non indica l'emittente (issuer o issuer.id)", None),
    "ISSUER_NOT_SIGNER": ("l'emittente {issuer} non controlla la chiave {signer}",
                          "la credenziale è stata firmata con una chiave che non appartiene al suo emittente"),
    # validity
    "VALIDITY_OK": ("valida al {now}", None),
    "VALIDITY_NONE": ("non è indicato un periodo di validità", None),
    "VALIDITY_EXPIRED": ("scaduta il {when} (ora {now}); la firma può essere comunque autentica", None),
    "VALIDITY_NOT_YET_VALID": ("non valida prima del {when} (ora {now})", None),
    "VALIDITY_DATE_INVALID": ("{field} {value!r} non è una data-ora ISO 8601", None),
    # validity, VC Data Model 2.0 (issue 16)
    "VALIDITY_TIMEZONE_MISSING": ("{field} {value!r} non indica il fuso orario; il VC Data Model 2.0 richiede "
                                  "un dateTimeStamp (per esempio 2026-01-31T12:00:00Z)",
                                  "l'emittente deve indicare il fuso orario: chiedete una credenziale corretta"),
    "VALIDITY_PERIOD_INVERTED": ("{end} {end_value} precede {start} {start_value}: il periodo di validità "
                                 "finisce prima di cominciare",
                                 "l'emittente ha firmato date contraddittorie: chiedete una credenziale corretta"),
    # skipped checks
    "SKIPPED_CONTEXTS": ("non eseguito: i contesti non si possono caricare", None),
    "SKIPPED_JSONLD": ("non eseguito: la credenziale non è JSON-LD coperto da una firma (vedete il controllo "
                       "jsonld)", None),
    "SKIPPED_JCS": ("non necessario: ogni prova è eddsa-jcs-2022 o ecdsa-jcs-2019, che firmano il testo JSON stesso, "
                    "quindi ogni termine è coperto", None),
    "SKIPPED_UNSAFE": ("non eseguito: il documento ha termini o IRI che una firma sul suo RDF non "
                       "coprirebbe (vedete il controllo jsonld)", None),
    "SKIPPED_PROOF": ("non eseguito: non tutte le prove sono state verificate, quindi il firmatario "
                      "non è noto", None),
    "SKIPPED_NO_TRUST": ("nessun elenco di emittenti attendibili (--trust): non si è verificato che "
                         "l'emittente sia chi dichiara di essere", None),
    "SKIPPED_PROOF_ONLY": ("verifica delle sole prove (--proof-only): non si è verificato che l'emittente abbia "
                           "apposto ogni prova, né che sia attendibile", None),
    "SKIPPED_STATUS": ("non eseguito: la firma non è valida, quindi il riferimento allo stato non è "
                       "attendibile", None),
    "STATUS_NONE": ("la credenziale non contiene informazioni sul suo stato", None),
}


#: every Italian template known in this process: the core ones above, and those each module that makes
#: results registers when it is imported (a result's code can only come from a module already imported)
_CATALOGUE: dict[str, tuple[str, str | None]] = dict(MESSAGES_IT)


def register(catalogue: dict[str, tuple[str, str | None]]) -> None:
    """Add a module's Italian templates (code -> (message, hint)); called once, where the module defines them."""
    _CATALOGUE.update(catalogue)


def default_language() -> str:
    """``MCRED_LANG``, else the locale: Italian for it_*, English otherwise."""
    for variable in ("MCRED_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "it" if value.lower().startswith("it") else "en"
    return "en"


def translate(code: str | None, message: str, hint: str | None, params: dict,
              lang: str) -> tuple[str, str | None]:
    """The message and hint of a result in ``lang``; English is the text given."""
    if lang == "en" or code is None:
        return message, hint
    template = _CATALOGUE.get(code)
    if template is None:
        return message, hint
    text, hint_it = template
    try:
        return text.format(**params), hint_it
    except (KeyError, IndexError, ValueError):
        return message, hint

"""Verifying an SD-JWT VC (IETF SD-JWT VC over RFC 9901) whose issuer is named by an ``x5c`` certificate chain.

Checks, in order, after ``json`` (the file splits into an issuer-signed JWT, disclosures and maybe a KB-JWT):

1. ``sdjwt``        the header: ``alg`` ES256 (``none`` refused by name), ``typ`` ``dc+sd-jwt`` (the older
                    ``vc+sd-jwt`` with a warning), no ``crit``; the payload has a ``vct``
   ``profile``      with ``--profile it-wallet``: ``exp``, the header's ``kid``, ``issuing_authority`` and
                    ``issuing_country`` (alpha-2) in the clear, an HTTPS ``iss`` (each missing item its own code)
2. ``certificate``  the ``x5c`` leaf: valid when the credential was issued (``iat``, else now), not a CA,
                    allowed to sign (keyUsage), a P-256 key
3. ``proof``        the JWS signature by the leaf's key (:mod:`mcred.keys.jose`)
4. ``chain``        the leaf's path to an X.509 anchor of the trust file (:func:`mcred.seals.x509.build_chain`,
                    the JAdES seals' validator): with anchors given, not reaching one is a failure; with none,
                    the issuer is not checked (a warning)
5. ``disclosures``  every disclosure's digest signed exactly once (:mod:`mcred.sdjwt.reveal`)
   ``type``         the claims against the type metadata of ``vct``, bundled or given, never fetched
                    (:mod:`mcred.sdjwt.type_metadata`): ``sd`` and ``mandatory`` broken fail; an unknown type,
                    or metadata that is not what ``vct#integrity`` names, is a warning
6. ``validity``     ``iat``, ``nbf``, ``exp`` against ``--now``
7. ``key_binding``  the KB-JWT, when present or asked for (``--nonce``/``--aud``): :mod:`mcred.sdjwt.keybinding`
8. ``status``       a ``status`` claim's Token Status List entry, read from the local copy given with
                    ``--status-list`` whose ``sub`` is the entry's ``uri``, signed by the x5c leaf's key (the
                    issuer's): 0 passes, 1 (revoked) and 2 (suspended) fail; no copy given, or a copy that
                    does not verify (its ``TSL_*`` code), is a warning, never a pass; skipped when the
                    signature (``proof``) fails
9. ``digest``       with ``--expect-digest``: the SHA-256 of the issuer-signed JWT's signing input

The report's facts are the disclosed claims (:class:`SdJwtFacts`), read from the signed payload and the
disclosures whose digests it signs; the ``disclosures`` result says how many digests were left undisclosed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mcred.messages import register
from mcred.report import CLOCK_SKEW, CheckResult, Status, VerificationReport, VerifyOptions
from mcred.sdjwt.errors import SdJwtError

MESSAGES: dict[str, tuple[str, str | None]] = {
    "SDJWT_READ": ("the input is an SD-JWT: an issuer-signed JWT, {count} disclosure(s){kb}", None),
    "SDJWT_MALFORMED": ("not a readable SD-JWT: {detail}",
                        "an SD-JWT is a JWT, then '~' and each disclosure followed by '~', then an optional KB-JWT"),
    "SDJWT_FORMAT_OK": ("an SD-JWT VC ({typ}), {alg}, vct {vct}", None),
    "SDJWT_ALG_NONE": ("alg 'none': the SD-JWT is not signed, so nothing in it can be believed",
                       "ask the issuer for a signed credential"),
    "SDJWT_ALG_UNSUPPORTED": ("alg {alg!r}: mcred verifies SD-JWT VCs signed with ES256 (as HAIP requires)", None),
    "SDJWT_TYP_INVALID": ("typ {typ!r} is not an SD-JWT VC's (dc+sd-jwt)", None),
    "SDJWT_TYP_LEGACY": ("typ 'vc+sd-jwt' is the older name of dc+sd-jwt: accepted, but new credentials use "
                         "dc+sd-jwt", "ask the issuer to issue with typ dc+sd-jwt"),
    "SDJWT_CRIT_UNSUPPORTED": ("the header requires the verifier to understand {names}, which mcred does not", None),
    "SDJWT_VCT_MISSING": ("the payload has no vct (a string): what kind of credential it is is not said", None),
    "SDJWT_X5C_MISSING": ("the header has no x5c: mcred finds an SD-JWT VC issuer's key in its certificate chain "
                          "only", "ask the issuer for a credential signed with an x5c chain (HAIP)"),
    "SDJWT_X5C_INVALID": ("the x5c header is not a list of base64 DER certificates mcred can read: {detail}", None),
    "SDJWT_CERT_VALID": ("the issuer's certificate {subject} was valid when the credential was issued ({when})",
                         None),
    "SDJWT_CERT_EXPIRED": ("the issuer's certificate {subject} had expired on {end}, before {when}",
                           "the issuer must sign with a valid certificate"),
    "SDJWT_CERT_NOT_YET_VALID": ("the issuer's certificate {subject} was not valid before {start} ({when})", None),
    "SDJWT_CERT_CA": ("the x5c leaf {subject} is a CA certificate: it is for issuing certificates, not credentials",
                      "the issuer must sign with an end-entity certificate"),
    "SDJWT_CERT_USAGE": ("the x5c leaf {subject} is not allowed to sign (keyUsage without digitalSignature)", None),
    "SDJWT_CERT_KEY": ("the x5c leaf's key is not a P-256 key, which ES256 needs", None),
    "SDJWT_SIGNATURE_INVALID": ("the SD-JWT's signature does not match the x5c leaf's key: its header or payload "
                                "changed after signing, or another key signed", None),
    "SDJWT_SIGNATURE_OK": ("ES256 signature is valid, made by the key of {subject}", None),
    "SDJWT_CHAIN_TRUSTED": ("trusted: {chain}, up to the trust anchor {anchor}", None),
    "SDJWT_CHAIN_UNTRUSTED": ("the issuer's certificate chain {chain} does not reach a trust anchor ({reason})",
                              "if you trust the CA, add its certificate: mcred trust add-anchor"),
    "SDJWT_CHAIN_NOT_CHECKED": ("the issuer is not checked: no X.509 trust anchors given (--trust)",
                                "give a trust file with the issuer's CA: mcred trust add-anchor"),
    "SDJWT_CHAIN_INVALID": ("the chain {chain} to the trust anchor {anchor} is not valid: {reason}", None),
    "SDJWT_DISCLOSURES_OK": ("{disclosed} claim(s) disclosed ({names}); {withheld} digest(s) without a disclosure "
                             "(claims withheld, or decoys)", None),
    "SDJWT_DISCLOSURE_MALFORMED": ("a disclosure cannot be read: {detail}", None),
    "SDJWT_DISCLOSURE_UNREFERENCED": ("a disclosure whose digest the issuer did not sign: it was changed, or "
                                      "added by someone else", "ask the holder for the disclosures as issued"),
    "SDJWT_DISCLOSURE_REPEATED": ("the same disclosure is presented twice (first at position {first})", None),
    "SDJWT_DISCLOSURE_MISPLACED": ("a disclosure of the wrong kind for where its digest is (a claim where an array "
                                   "element is, or the reverse)", None),
    "SDJWT_DIGEST_REPEATED": ("the digest {digest} appears twice in what the issuer signed", None),
    "SDJWT_RESERVED_NAME": ("a disclosure names the claim {name!r}, which the format reserves", None),
    "SDJWT_CLAIM_CLASH": ("a disclosure gives the claim {name!r}, which the signed payload already has", None),
    "SDJWT_CLAIM_NOT_DISCLOSABLE": ("the claim {name!r} is selectively disclosed, which SD-JWT VC forbids", None),
    "SDJWT_SD_MALFORMED": ("the signed payload's digests cannot be read: {detail}", None),
    "SDJWT_SD_ALG_UNSUPPORTED": ("_sd_alg {alg!r}: mcred accepts sha-256 only (as HAIP requires)", None),
    "SDJWT_DATE_INVALID": ("the claim {claim} is {value!r}, not a NumericDate (seconds since 1970)", None),
    "SDJWT_EXPIRED": ("the credential expired at {when} (exp; now {now})", None),
    "SDJWT_NOT_YET_VALID": ("the credential is not valid before {when} (nbf; now {now})", None),
    "SDJWT_IAT_FUTURE": ("the credential says it was issued at {when}, after now ({now})", None),
    "SDJWT_DATES_OK": ("the dates hold at {now}", None),
    "SDJWT_KB_MISSING": ("no Key Binding JWT, but one was asked for (--nonce, --aud)",
                         "ask the holder for a presentation with key binding"),
    "SDJWT_KB_TYP": ("the KB-JWT's typ is {typ!r}, not kb+jwt", None),
    "SDJWT_KB_ALG": ("the KB-JWT's alg {alg!r} is not one mcred verifies (ES256, ES384, EdDSA)", None),
    "SDJWT_KB_NO_CNF": ("a KB-JWT, but the credential names no holder key (cnf.jwk) to check it with", None),
    "SDJWT_KB_KEY_INVALID": ("the holder key (cnf.jwk) cannot be used: {detail}", None),
    "SDJWT_KB_SIGNATURE_INVALID": ("the KB-JWT is not signed by the holder key the issuer named (cnf)", None),
    "SDJWT_KB_SD_HASH_MISMATCH": ("the KB-JWT's sd_hash is not the hash of the SD-JWT presented: disclosures were "
                                  "added, dropped or changed after the holder signed", None),
    "SDJWT_KB_NONCE_MISMATCH": ("the KB-JWT's nonce is {found!r}, not {expected!r}: it answers another request",
                                None),
    "SDJWT_KB_AUD_MISMATCH": ("the KB-JWT is for {found!r}, not {expected!r}", None),
    "SDJWT_KB_IAT_STALE": ("the KB-JWT was made at {when}, not just now ({now})", None),
    "SDJWT_KB_OK": ("key binding holds: signed by the holder key, for {aud}, nonce {nonce}", None),
    "SDJWT_KB_UNCHECKED": ("key binding holds, but without --nonce and --aud its request and verifier are not "
                           "checked: a replay would verify too",
                           "give the nonce and audience you asked the holder for"),
    "SDJWT_CLAIM_UNKNOWN": ("the credential has no claim {name!r} to disclose (it can disclose: {names})", None),
    "SDJWT_STATUS_UNCHECKED": ("the credential's status is index {idx} of the Token Status List {uri}, and no "
                               "copy of that list was given: its status is not checked",
                               "give a local copy of the list with --status-list LIST.jwt"),
    "SDJWT_STATUS_VALID": ("the credential is valid: index {idx} of the Token Status List {uri} is 0 (VALID)", None),
    "SDJWT_STATUS_REVOKED": ("the credential was revoked: index {idx} of the Token Status List {uri} is 1 (INVALID)",
                             "revocation is final: ask the issuer for a new credential if this is a mistake"),
    "SDJWT_STATUS_SUSPENDED": ("the credential is suspended: index {idx} of the Token Status List {uri} is 2 "
                               "(SUSPENDED)", "ask the issuer whether and when it will be reinstated"),
    "SDJWT_STATUS_OTHER": ("index {idx} of the Token Status List {uri} is {value}, a status mcred does not know "
                           "(application-specific): the credential's status is not decided",
                           "ask the issuer what status {value} means"),
    "SDJWT_STATUS_INVALID": ("the status claim is not a Token Status List entry "
                             "{{\"status_list\": {{\"idx\": N, \"uri\": URI}}}}: {detail}",
                             "the issuer must fix the credential's status claim"),
    "SDJWT_VCT_UNKNOWN": ("no type metadata for vct {vct}: its claims are not checked against a type",
                          "give it with --type-metadata FILE|DIR (mcred never fetches it)"),
    "SDJWT_VCT_INTEGRITY_INVALID": ("vct#integrity {value!r} is not an SRI digest (sha256-<base64>) mcred can "
                                    "compute", "the issuer must write vct#integrity as the SD-JWT VC draft says"),
    "SDJWT_VCT_INTEGRITY_MISMATCH": ("vct#integrity names type metadata whose digest is {value}, and the type "
                                     "metadata for {vct} that mcred has ({source}, {actual}) is another document: "
                                     "its claims are not checked against a type",
                                     "give the type metadata the issuer meant with --type-metadata"),
    "SDJWT_VCT_INTEGRITY_HEX": ("vct#integrity is a bare hex SHA-256, not SRI (sha256-<base64>) as the draft "
                                "requires: read as hex, it matches the type metadata ({source})",
                                "the issuer should write vct#integrity as sha256-<base64>"),
    "SDJWT_TYPE_EXTENDS_UNKNOWN": ("the type metadata of {vct} extends {parent}, for which mcred has no type "
                                   "metadata (or none whose digest extends#integrity names): the claims are not "
                                   "checked against a type", "give it with --type-metadata"),
    "SDJWT_TYPE_METADATA_INVALID": ("the type metadata of {vct} cannot be used: {detail}; the claims are not "
                                    "checked against a type", "fix the type metadata given with --type-metadata"),
    "SDJWT_TYPE_METADATA_UNREADABLE": ("not SD-JWT VC type metadata: {detail}",
                                       "give a type metadata document as the SD-JWT VC draft defines it (vct, "
                                       "claims with path, sd, mandatory)"),
    "SDJWT_TYPE_OK": ("the claims follow the type metadata of {vct} ({source}): {rules} claim rule(s), {unmatched} "
                      "of them selecting no claim of this credential", None),
    "SDJWT_TYPE_SD_NEVER": ("the claim {claim} is selectively disclosed, which the type {vct} forbids (sd: never)",
                            "the issuer must put {claim} in the signed payload, in the clear"),
    "SDJWT_TYPE_SD_ALWAYS": ("the claim {claim} is in the clear, where the type {vct} requires a disclosure "
                             "(sd: always)", "the issuer must make {claim} selectively disclosable"),
    "SDJWT_TYPE_MANDATORY_MISSING": ("the type {vct} requires the claim {claim} (mandatory), which the credential "
                                     "does not have", "the issuer must include {claim}"),
    "SDJWT_TYPE_PATH_INVALID": ("the type {vct}'s claim path {claim} does not fit this credential: {detail}", None),
    "SDJWT_IT_WALLET_EXP_MISSING": ("the it-wallet profile requires exp (an expiry date) in the signed payload",
                                    "the issuer must set exp"),
    "SDJWT_IT_WALLET_KID_MISSING": ("the it-wallet profile requires kid in the header", "the issuer must set kid"),
    "SDJWT_IT_WALLET_AUTHORITY_MISSING": ("the it-wallet profile requires issuing_authority (a string) in the signed "
                                          "payload, in the clear (not a disclosure)",
                                          "the issuer must set issuing_authority"),
    "SDJWT_IT_WALLET_COUNTRY_INVALID": ("the it-wallet profile requires issuing_country, an ISO 3166-1 alpha-2 code, "
                                        "in the signed payload in the clear (not a disclosure); it is {value}",
                                        "the issuer must set issuing_country, e.g. IT"),
    "SDJWT_IT_WALLET_ISS_NOT_HTTPS": ("the it-wallet profile requires iss to be an HTTPS URL; it is {value}",
                                      "the issuer must set iss to its https:// URL"),
    "SDJWT_IT_WALLET_OK": ("the it-wallet profile holds: exp, kid, issuing_authority {authority}, issuing_country "
                           "{country}, iss {iss}", None),
}

MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "SDJWT_READ": ("l'input è un SD-JWT: un JWT firmato dall'emittente, {count} divulgazione/i{kb_it}", None),
    "SDJWT_MALFORMED": ("non è un SD-JWT leggibile: {detail}",
                        "un SD-JWT è un JWT, poi '~' e ogni divulgazione seguita da '~', poi un KB-JWT facoltativo"),
    "SDJWT_FORMAT_OK": ("una SD-JWT VC ({typ}), {alg}, vct {vct}", None),
    "SDJWT_ALG_NONE": ("alg 'none': l'SD-JWT non è firmato, quindi nulla di ciò che contiene è attendibile",
                       "chiedete all'emittente una credenziale firmata"),
    "SDJWT_ALG_UNSUPPORTED": ("alg {alg!r}: mcred verifica SD-JWT VC firmate con ES256 (come richiede HAIP)", None),
    "SDJWT_TYP_INVALID": ("typ {typ!r} non è quello di una SD-JWT VC (dc+sd-jwt)", None),
    "SDJWT_TYP_LEGACY": ("typ 'vc+sd-jwt' è il vecchio nome di dc+sd-jwt: accettato, ma le nuove credenziali usano "
                         "dc+sd-jwt", "chiedete all'emittente di usare typ dc+sd-jwt"),
    "SDJWT_CRIT_UNSUPPORTED": ("l'intestazione richiede che il verificatore comprenda {names}, che mcred non "
                               "conosce", None),
    "SDJWT_VCT_MISSING": ("il contenuto non ha vct (una stringa): non dice che tipo di credenziale sia", None),
    "SDJWT_X5C_MISSING": ("l'intestazione non ha x5c: mcred trova la chiave dell'emittente di una SD-JWT VC solo "
                          "nella sua catena di certificati",
                          "chiedete all'emittente una credenziale firmata con una catena x5c (HAIP)"),
    "SDJWT_X5C_INVALID": ("l'intestazione x5c non è un elenco di certificati DER base64 leggibili: {detail}", None),
    "SDJWT_CERT_VALID": ("il certificato dell'emittente {subject} era valido all'emissione ({when})", None),
    "SDJWT_CERT_EXPIRED": ("il certificato dell'emittente {subject} era scaduto il {end}, prima del {when}",
                           "l'emittente deve firmare con un certificato valido"),
    "SDJWT_CERT_NOT_YET_VALID": ("il certificato dell'emittente {subject} non era valido prima del {start} ({when})",
                                 None),
    "SDJWT_CERT_CA": ("il certificato foglia x5c {subject} è di una CA: serve a emettere certificati, non credenziali",
                      "l'emittente deve firmare con un certificato di entità finale"),
    "SDJWT_CERT_USAGE": ("il certificato foglia x5c {subject} non può firmare (keyUsage senza digitalSignature)",
                         None),
    "SDJWT_CERT_KEY": ("la chiave del certificato foglia x5c non è una chiave P-256, come richiede ES256", None),
    "SDJWT_SIGNATURE_INVALID": ("la firma dell'SD-JWT non corrisponde alla chiave del certificato x5c: "
                                "l'intestazione o il contenuto sono cambiati dopo la firma, o ha firmato un'altra "
                                "chiave", None),
    "SDJWT_SIGNATURE_OK": ("firma ES256 valida, apposta con la chiave di {subject}", None),
    "SDJWT_CHAIN_TRUSTED": ("attendibile: {chain}, fino all'ancora di fiducia {anchor}", None),
    "SDJWT_CHAIN_UNTRUSTED": ("la catena di certificati dell'emittente {chain} non arriva a un'ancora di fiducia "
                              "({reason})", "se vi fidate della CA, aggiungete il suo certificato: "
                              "mcred trust add-anchor"),
    "SDJWT_CHAIN_NOT_CHECKED": ("l'emittente non è verificato: nessuna ancora di fiducia X.509 indicata (--trust)",
                                "indicate un file di fiducia con la CA dell'emittente: mcred trust add-anchor"),
    "SDJWT_CHAIN_INVALID": ("la catena {chain} fino all'ancora di fiducia {anchor} non è valida: {reason}", None),
    "SDJWT_DISCLOSURES_OK": ("{disclosed} claim divulgati ({names}); {withheld} digest senza divulgazione (claim "
                             "non mostrati, o esche)", None),
    "SDJWT_DISCLOSURE_MALFORMED": ("una divulgazione non si può leggere: {detail}", None),
    "SDJWT_DISCLOSURE_UNREFERENCED": ("una divulgazione il cui digest l'emittente non ha firmato: è stata cambiata, "
                                      "o aggiunta da altri", "chiedete al titolare le divulgazioni come emesse"),
    "SDJWT_DISCLOSURE_REPEATED": ("la stessa divulgazione è presentata due volte (la prima in posizione {first})",
                                  None),
    "SDJWT_DISCLOSURE_MISPLACED": ("una divulgazione del tipo sbagliato per dove si trova il suo digest (un claim "
                                   "al posto di un elemento di array, o il contrario)", None),
    "SDJWT_DIGEST_REPEATED": ("il digest {digest} compare due volte in ciò che l'emittente ha firmato", None),
    "SDJWT_RESERVED_NAME": ("una divulgazione indica il claim {name!r}, riservato dal formato", None),
    "SDJWT_CLAIM_CLASH": ("una divulgazione dà il claim {name!r}, che il contenuto firmato ha già", None),
    "SDJWT_CLAIM_NOT_DISCLOSABLE": ("il claim {name!r} è divulgato selettivamente, cosa che SD-JWT VC vieta", None),
    "SDJWT_SD_MALFORMED": ("i digest del contenuto firmato non si possono leggere: {detail}", None),
    "SDJWT_SD_ALG_UNSUPPORTED": ("_sd_alg {alg!r}: mcred accetta solo sha-256 (come richiede HAIP)", None),
    "SDJWT_DATE_INVALID": ("il claim {claim} è {value!r}, non una NumericDate (secondi dal 1970)", None),
    "SDJWT_EXPIRED": ("la credenziale è scaduta il {when} (exp; ora {now})", None),
    "SDJWT_NOT_YET_VALID": ("la credenziale non è valida prima del {when} (nbf; ora {now})", None),
    "SDJWT_IAT_FUTURE": ("la credenziale dice di essere stata emessa il {when}, dopo ora ({now})", None),
    "SDJWT_DATES_OK": ("le date sono valide al {now}", None),
    "SDJWT_KB_MISSING": ("nessun Key Binding JWT, ma ne è stato chiesto uno (--nonce, --aud)",
                         "chiedete al titolare una presentazione con key binding"),
    "SDJWT_KB_TYP": ("il typ del KB-JWT è {typ!r}, non kb+jwt", None),
    "SDJWT_KB_ALG": ("l'alg {alg!r} del KB-JWT non è tra quelli che mcred verifica (ES256, ES384, EdDSA)", None),
    "SDJWT_KB_NO_CNF": ("c'è un KB-JWT, ma la credenziale non indica una chiave del titolare (cnf.jwk)", None),
    "SDJWT_KB_KEY_INVALID": ("la chiave del titolare (cnf.jwk) non si può usare: {detail}", None),
    "SDJWT_KB_SIGNATURE_INVALID": ("il KB-JWT non è firmato dalla chiave del titolare indicata dall'emittente (cnf)",
                                   None),
    "SDJWT_KB_SD_HASH_MISMATCH": ("lo sd_hash del KB-JWT non è l'hash dell'SD-JWT presentato: divulgazioni "
                                  "aggiunte, tolte o cambiate dopo la firma del titolare", None),
    "SDJWT_KB_NONCE_MISMATCH": ("il nonce del KB-JWT è {found!r}, non {expected!r}: risponde a un'altra richiesta",
                                None),
    "SDJWT_KB_AUD_MISMATCH": ("il KB-JWT è per {found!r}, non per {expected!r}", None),
    "SDJWT_KB_IAT_STALE": ("il KB-JWT è stato creato il {when}, non adesso ({now})", None),
    "SDJWT_KB_OK": ("il key binding è valido: firmato dalla chiave del titolare, per {aud}, nonce {nonce}", None),
    "SDJWT_KB_UNCHECKED": ("il key binding è valido, ma senza --nonce e --aud la richiesta e il destinatario "
                           "non sono verificati: anche una ripetizione sarebbe accettata",
                           "indicate il nonce e il destinatario chiesti al titolare"),
    "SDJWT_CLAIM_UNKNOWN": ("la credenziale non ha un claim {name!r} da divulgare (può divulgare: {names})", None),
    "SDJWT_STATUS_UNCHECKED": ("lo stato della credenziale è l'indice {idx} della Token Status List {uri}, e non è "
                               "stata data una copia di quella lista: lo stato non è controllato",
                               "date una copia locale della lista con --status-list LISTA.jwt"),
    "SDJWT_STATUS_VALID": ("la credenziale è valida: l'indice {idx} della Token Status List {uri} è 0 (VALID)", None),
    "SDJWT_STATUS_REVOKED": ("la credenziale è stata revocata: l'indice {idx} della Token Status List {uri} è 1 "
                             "(INVALID)", "la revoca è definitiva: se è un errore, chiedete all'emittente una "
                             "nuova credenziale"),
    "SDJWT_STATUS_SUSPENDED": ("la credenziale è sospesa: l'indice {idx} della Token Status List {uri} è 2 "
                               "(SUSPENDED)", "chiedete all'emittente se e quando sarà riattivata"),
    "SDJWT_STATUS_OTHER": ("l'indice {idx} della Token Status List {uri} vale {value}, uno stato che mcred non "
                           "conosce (specifico dell'applicazione): lo stato della credenziale non è deciso",
                           "chiedete all'emittente che cosa significa lo stato {value}"),
    "SDJWT_STATUS_INVALID": ("il claim status non è una voce di Token Status List "
                             "{{\"status_list\": {{\"idx\": N, \"uri\": URI}}}}: {detail}",
                             "l'emittente deve correggere il claim status della credenziale"),
    "SDJWT_VCT_UNKNOWN": ("nessun metadato di tipo per vct {vct}: i suoi claim non sono controllati rispetto a un "
                          "tipo", "dateli con --type-metadata FILE|CARTELLA (mcred non li scarica mai)"),
    "SDJWT_VCT_INTEGRITY_INVALID": ("vct#integrity {value!r} non è un digest SRI (sha256-<base64>) che mcred sa "
                                    "calcolare", "l'emittente deve scrivere vct#integrity come dice la bozza "
                                    "SD-JWT VC"),
    "SDJWT_VCT_INTEGRITY_MISMATCH": ("vct#integrity indica metadati di tipo con digest {value}, e i metadati di tipo "
                                     "di {vct} che mcred ha ({source}, {actual}) sono un altro documento: i claim "
                                     "non sono controllati rispetto a un tipo",
                                     "date con --type-metadata i metadati di tipo che l'emittente intendeva"),
    "SDJWT_VCT_INTEGRITY_HEX": ("vct#integrity è uno SHA-256 esadecimale, non SRI (sha256-<base64>) come richiede "
                                "la bozza: letto come esadecimale, corrisponde ai metadati di tipo ({source})",
                                "l'emittente dovrebbe scrivere vct#integrity come sha256-<base64>"),
    "SDJWT_TYPE_EXTENDS_UNKNOWN": ("i metadati di tipo di {vct} estendono {parent}, di cui mcred non ha metadati "
                                   "(o nessuno con il digest indicato da extends#integrity): i claim non sono "
                                   "controllati rispetto a un tipo", "dateli con --type-metadata"),
    "SDJWT_TYPE_METADATA_INVALID": ("i metadati di tipo di {vct} non sono utilizzabili: {detail}; i claim non sono "
                                    "controllati rispetto a un tipo",
                                    "correggete i metadati di tipo dati con --type-metadata"),
    "SDJWT_TYPE_METADATA_UNREADABLE": ("non sono metadati di tipo SD-JWT VC: {detail}",
                                       "date un documento di metadati di tipo come lo definisce la bozza SD-JWT VC "
                                       "(vct, claims con path, sd, mandatory)"),
    "SDJWT_TYPE_OK": ("i claim seguono i metadati di tipo di {vct} ({source}): {rules} regole, di cui {unmatched} "
                      "non selezionano alcun claim di questa credenziale", None),
    "SDJWT_TYPE_SD_NEVER": ("il claim {claim} è divulgato selettivamente, cosa che il tipo {vct} vieta (sd: never)",
                            "l'emittente deve mettere {claim} in chiaro nel contenuto firmato"),
    "SDJWT_TYPE_SD_ALWAYS": ("il claim {claim} è in chiaro, mentre il tipo {vct} richiede una divulgazione "
                             "(sd: always)", "l'emittente deve rendere {claim} divulgabile selettivamente"),
    "SDJWT_TYPE_MANDATORY_MISSING": ("il tipo {vct} richiede il claim {claim} (mandatory), che la credenziale non ha",
                                     "l'emittente deve includere {claim}"),
    "SDJWT_TYPE_PATH_INVALID": ("il percorso {claim} del tipo {vct} non si adatta a questa credenziale: {detail}",
                                None),
    "SDJWT_IT_WALLET_EXP_MISSING": ("il profilo it-wallet richiede exp (una data di scadenza) nel contenuto firmato",
                                    "l'emittente deve indicare exp"),
    "SDJWT_IT_WALLET_KID_MISSING": ("il profilo it-wallet richiede kid nell'intestazione",
                                    "l'emittente deve indicare kid"),
    "SDJWT_IT_WALLET_AUTHORITY_MISSING": ("il profilo it-wallet richiede issuing_authority (una stringa) nel "
                                          "contenuto firmato, in chiaro (non una divulgazione)",
                                          "l'emittente deve indicare issuing_authority"),
    "SDJWT_IT_WALLET_COUNTRY_INVALID": ("il profilo it-wallet richiede issuing_country, un codice ISO 3166-1 alpha-2, "
                                        "in chiaro nel contenuto firmato (non una divulgazione); vale {value}",
                                        "l'emittente deve indicare issuing_country, ad es. IT"),
    "SDJWT_IT_WALLET_ISS_NOT_HTTPS": ("il profilo it-wallet richiede che iss sia un URL HTTPS; vale {value}",
                                      "l'emittente deve indicare in iss il proprio URL https://"),
    "SDJWT_IT_WALLET_OK": ("il profilo it-wallet è rispettato: exp, kid, issuing_authority {authority}, "
                           "issuing_country {country}, iss {iss}", None),
}
register(MESSAGES_IT)


def _r(check: str, status: Status, code: str, path: str | None = None, **params: Any) -> CheckResult:
    template, hint = MESSAGES[code]
    return CheckResult(check, status, template.format(**params), code, path,
                       hint.format(**params) if hint else None, params)


def _failed(check: str, exc: SdJwtError) -> CheckResult:
    return _r(check, Status.FAILED, exc.code, exc.path, **exc.params)


def _stamp(when: datetime) -> str:
    """``2026-10-01T09:00:00Z`` (isoformat: several times faster than strftime, and this runs on every verify)."""
    return when.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


@dataclass
class SdJwtFacts:
    """What an SD-JWT VC says, for views: the claims as disclosed, and how much was withheld."""

    claims: dict
    disclosed: list[str] = field(default_factory=list)
    withheld: int = 0
    #: the issuer's certificate subject (RFC 4514), when its x5c leaf could be read
    subject: str | None = None


def verify_sd_jwt(text: str, report: VerificationReport, *, now: datetime,
                  options: VerifyOptions) -> VerificationReport:
    """Append an SD-JWT VC's checks to ``report``: see the module docstring. Never raises on bad input."""
    from mcred.sdjwt.compact import parse_sd_jwt

    try:
        sd = parse_sd_jwt(text)
    except SdJwtError as exc:
        report.unusable = True
        report.checks.append(_failed("json", exc))
        return report
    kb = " and a Key Binding JWT" if sd.kb_jwt else ""
    report.checks.append(_r("json", Status.PASSED, "SDJWT_READ", count=len(sd.disclosures), kb=kb,
                            kb_it=" e un Key Binding JWT" if kb else ""))
    header, payload = sd.issuer_jwt.header, sd.issuer_jwt.payload
    try:
        _check_header(header, payload, report)
    except SdJwtError as exc:
        report.checks.append(_failed("sdjwt", exc))
        return report  # an unsigned or unreadable credential: nothing further can be believed
    report.checks.extend(_profile(header, payload, options))
    issuer_x5c = _certificates(header, report)
    if issuer_x5c is None:
        return report
    subject = issuer_x5c.subject
    # the certificates must have been valid when the credential was signed (as for a JAdES seal): its iat
    issued = _when(payload.get("iat")) or now
    signed = _check_certificate_and_signature(sd.issuer_jwt.text, issuer_x5c, issued, report)
    if signed:
        _check_chain(issuer_x5c, options, issued, report)
        issuer = payload.get("iss")
        report.issuer = issuer if isinstance(issuer, str) else subject
    from mcred.sdjwt.reveal import reveal

    try:
        revealed = reveal(payload, sd.disclosures)
    except SdJwtError as exc:
        report.checks.append(_failed("disclosures", exc))
    else:
        report.facts = SdJwtFacts(revealed.claims, revealed.disclosed, revealed.withheld, subject)
        names = ", ".join(p.removeprefix("$.payload.") for p in revealed.disclosed) or "-"
        report.checks.append(_r("disclosures", Status.PASSED, "SDJWT_DISCLOSURES_OK", disclosed=len(revealed.disclosed),
                                names=names, withheld=revealed.withheld))
        report.checks.extend(_type(payload, revealed.by_digest, options))
    report.checks.extend(_dates(payload, now))
    report.checks.extend(_key_binding(sd, payload, options, now))
    # as for W3C lists, the status check is skipped when the signature fails: an unsigned status claim
    # means nothing, and the leaf's key is then not known to be the issuer's
    if "status" in payload and signed:
        report.checks.append(_status(payload["status"], issuer_x5c.key, options, now))
    if options.expect_digest is not None:  # last, as for any credential: the bytes the issuer's signature covers
        from .digest import judge_digest, jwt_digest

        report.checks.extend(judge_digest(jwt_digest(sd.issuer_jwt.text), None, options.expect_digest))
    return report


def _profile(header: dict, payload: dict, options: VerifyOptions) -> list[CheckResult]:
    """``--profile it-wallet``: what the IT-Wallet's SD-JWT VC profile adds to HAIP's, each missing item its own
    code. Only the signed payload counts: a claim a holder could withhold is not "in the clear"."""
    if getattr(options, "profile", "haip") != "it-wallet":
        return []  # haip, the default: the checks above are HAIP's baseline
    from urllib.parse import urlsplit

    results = []
    if "exp" not in payload:
        results.append(_r("profile", Status.FAILED, "SDJWT_IT_WALLET_EXP_MISSING", "$.payload.exp"))
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        results.append(_r("profile", Status.FAILED, "SDJWT_IT_WALLET_KID_MISSING", "$.header.kid"))
    authority = payload.get("issuing_authority")
    if not isinstance(authority, str) or not authority.strip():
        results.append(_r("profile", Status.FAILED, "SDJWT_IT_WALLET_AUTHORITY_MISSING", "$.payload.issuing_authority"))
    country = payload.get("issuing_country")
    if not isinstance(country, str) or not _ALPHA2.fullmatch(country):  # the format; the code list is not bundled
        results.append(_r("profile", Status.FAILED, "SDJWT_IT_WALLET_COUNTRY_INVALID", "$.payload.issuing_country",
                          value="missing" if country is None else repr(country)[:40]))
    iss = payload.get("iss")
    parts = urlsplit(iss) if isinstance(iss, str) else None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        results.append(_r("profile", Status.FAILED, "SDJWT_IT_WALLET_ISS_NOT_HTTPS", "$.payload.iss",
                          value="missing" if iss is None else repr(iss)[:80]))
    return results or [_r("profile", Status.PASSED, "SDJWT_IT_WALLET_OK", authority=authority, country=country,
                          iss=iss)]


_ALPHA2 = re.compile(r"[A-Z]{2}")


def _type(payload: dict, by_digest: dict, options: VerifyOptions) -> list[CheckResult]:
    """The claims against the type metadata of ``vct`` (:mod:`mcred.sdjwt.type_metadata`): an unknown type, or
    metadata that is not the document ``vct#integrity`` names, is a warning (the claims are not checked, which
    says nothing against the credential); a credential that breaks its type's claim rules fails."""
    from mcred.sdjwt import type_metadata as tm

    vct = payload["vct"]
    store = options.type_metadata if options.type_metadata is not None else tm.load_type_metadata()
    candidates = store.candidates(vct)
    if not candidates:
        return [_r("type", Status.WARNING, "SDJWT_VCT_UNKNOWN", "$.payload.vct", vct=vct)]
    results = []
    integrity = payload.get("vct#integrity")
    chosen = candidates[0]
    if integrity is not None:
        where = "$.payload.vct#integrity"
        if isinstance(integrity, str) and tm.is_bare_hex(integrity):
            matching = [c for c in candidates if tm.hex_matches(integrity, c.raw)]
            if matching:
                results.append(_r("type", Status.WARNING, "SDJWT_VCT_INTEGRITY_HEX", where, source=matching[0].source))
        else:
            verdicts = [tm.integrity_matches(integrity, c.raw) if isinstance(integrity, str) else None
                        for c in candidates]
            if verdicts[0] is None:
                return [_r("type", Status.FAILED, "SDJWT_VCT_INTEGRITY_INVALID", where, value=str(integrity)[:80])]
            matching = [c for c, ok in zip(candidates, verdicts, strict=True) if ok]
        if not matching:  # draft: a document that does not match is rejected, so no type is processed
            return [_r("type", Status.WARNING, "SDJWT_VCT_INTEGRITY_MISMATCH", where, vct=vct,
                       value=str(integrity)[:100], source=chosen.source, actual=tm.sri(chosen.raw))]
        chosen = matching[0]
    try:
        rules = tm.effective_rules(chosen, store)
    except SdJwtError as exc:
        return results + [_r("type", Status.WARNING, exc.code, exc.path, **exc.params)]
    problems, unmatched = tm.check_claims(payload, by_digest, rules)
    for problem in problems:
        results.append(_r("type", Status.FAILED, problem.code, f"$.payload.{problem.rule.name}", vct=vct,
                          claim=problem.rule.name, detail=problem.detail))
    if not problems:
        results.append(_r("type", Status.PASSED, "SDJWT_TYPE_OK", vct=vct, source=chosen.source, rules=len(rules),
                          unmatched=unmatched))
    return results


#: what each status of the draft's registry means for the credential
_STATUS_CODES = {0: (Status.PASSED, "SDJWT_STATUS_VALID"), 1: (Status.FAILED, "SDJWT_STATUS_REVOKED"),
                 2: (Status.FAILED, "SDJWT_STATUS_SUSPENDED")}


def _status(claim: Any, issuer_key: Any, options: VerifyOptions, now: datetime) -> CheckResult:
    """The credential's status in the local copy of its Token Status List, signed by the issuer's key.

    Only a copy whose ``sub`` is the entry's ``uri`` answers (another list is not this credential's);
    its signature must be the x5c leaf's, so that nobody else's list can revoke or clear the credential.
    Several verified copies: the most recently issued one answers (a newer list supersedes an older one).
    """
    from mcred.verify.token_status import TokenStatusError, read_status_token

    path = "$.payload.status.status_list"
    entry = claim.get("status_list") if isinstance(claim, dict) else None
    if not isinstance(entry, dict):
        return _r("status", Status.FAILED, "SDJWT_STATUS_INVALID", "$.payload.status",
                  detail="no status_list object")
    idx, uri = entry.get("idx"), entry.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        return _r("status", Status.FAILED, "SDJWT_STATUS_INVALID", path + ".idx", detail="idx is not an index")
    if not isinstance(uri, str) or not uri:
        return _r("status", Status.FAILED, "SDJWT_STATUS_INVALID", path + ".uri", detail="uri is not a string")
    copies = [t for t in getattr(options.status_lists, "tokens", ()) if t.claimed_uri == uri]
    if not copies:
        return _r("status", Status.WARNING, "SDJWT_STATUS_UNCHECKED", path, idx=idx, uri=uri)
    verified, problem = [], None
    for copy in copies:
        try:
            token = read_status_token(copy.text, expected_uri=uri, issuer_keys=[issuer_key], now=now)
            verified.append((token.claims.get("iat", 0), token.status(idx)))
        except TokenStatusError as exc:
            problem = problem or (copy.file, exc)
    if not verified:  # never a silent pass: the copy's own problem, as a warning
        file, exc = problem
        return CheckResult("status", Status.WARNING, exc.message, exc.code, file, exc.hint, exc.params)
    value = max(verified)[1]
    status, code = _STATUS_CODES.get(value, (Status.WARNING, "SDJWT_STATUS_OTHER"))
    return _r("status", status, code, path, idx=idx, uri=uri, value=value)


def _check_header(header: dict, payload: dict, report: VerificationReport) -> None:
    alg = header.get("alg")
    if isinstance(alg, str) and alg.lower() == "none":
        raise SdJwtError("SDJWT_ALG_NONE", "$.header.alg")
    if alg != "ES256":
        raise SdJwtError("SDJWT_ALG_UNSUPPORTED", "$.header.alg", alg=str(alg))
    if "crit" in header:  # mcred understands no JWS extension (RFC 7515 4.1.11: then it must refuse)
        raise SdJwtError("SDJWT_CRIT_UNSUPPORTED", "$.header.crit", names=str(header["crit"]))
    typ = header.get("typ")
    if typ not in ("dc+sd-jwt", "vc+sd-jwt"):
        raise SdJwtError("SDJWT_TYP_INVALID", "$.header.typ", typ=str(typ))
    vct = payload.get("vct")
    if not isinstance(vct, str) or not vct:
        raise SdJwtError("SDJWT_VCT_MISSING", "$.payload.vct")
    if typ == "vc+sd-jwt":
        report.checks.append(_r("sdjwt", Status.WARNING, "SDJWT_TYP_LEGACY", "$.header.typ"))
    report.checks.append(_r("sdjwt", Status.PASSED, "SDJWT_FORMAT_OK", typ=typ, alg=alg, vct=vct))


@dataclass(frozen=True)
class _X5c:
    """An ``x5c`` header read: its certificates, and what every verification asks of the leaf."""

    chain: tuple[str, ...]  # as the header gives it
    leaf: Any
    pool: list
    subject: str
    key: Any  # the leaf's public key (cryptography's)
    ca: bool
    can_sign: bool
    start: str  # the leaf's validity, as the messages write it
    end: str
    #: the leaf key's ES256 verifier; None when it is not a P-256 key
    verifier: Any = None


#: Bounded memories of what depends only on an issuer's certificates (and anchors), never on a credential:
#: a verifier that checks many credentials of one issuer (a folder, a roster, ``mcred serve``) reads and
#: validates the issuer's chain once, which is otherwise most of the cost of verifying an SD-JWT VC (two
#: signature checks per certificate of the chain). The oldest entry goes first.
_REMEMBERED = 256
_READ_X5C: dict[tuple, _X5c] = {}
_TRUSTED_CHAINS: dict[tuple, Any] = {}


def _remember(memory: dict, key: tuple, value: Any) -> Any:
    if len(memory) >= _REMEMBERED:
        memory.pop(next(iter(memory)))
    memory[key] = value
    return value


def _certificates(header: dict, report: VerificationReport) -> _X5c | None:
    """The x5c leaf and the other certificates (RFC 7515 4.1.6: standard base64 DER, the leaf first)."""
    import base64
    import binascii

    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm

    from mcred.seals.x509 import can_seal, is_ca

    x5c = header.get("x5c")
    if x5c is None:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_X5C_MISSING", "$.header"))
        return None
    try:
        if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
            raise ValueError("not a non-empty list of strings")
        chain = tuple(x5c)
        if chain in _READ_X5C:
            return _READ_X5C[chain]
        certs = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
        leaf = certs[0]
        key = leaf.public_key()
        read = _X5c(chain, leaf, certs[1:], leaf.subject.rfc4514_string(), key, is_ca(leaf), can_seal(leaf),
                    _stamp(leaf.not_valid_before_utc), _stamp(leaf.not_valid_after_utc), _es256_verifier(key))
    except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:  # also a key cryptography cannot load
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_X5C_INVALID", "$.header.x5c",
                                detail=str(exc)[:200]))
        return None
    return _remember(_READ_X5C, chain, read)


def _es256_verifier(key: Any) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    from mcred.keys.jose import JoseSignatureError, ParsedJwsVerifier
    from mcred.keys.multikey import EcPublicKey

    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        return None
    try:
        return ParsedJwsVerifier(EcPublicKey(key), "ES256")
    except JoseSignatureError:
        return None


def _check_certificate_and_signature(jws: str, issuer_x5c: _X5c, when: datetime, report: VerificationReport) -> bool:
    """The leaf's fitness at ``when`` (the issuing time), then the signature by its key. True when the signature
    verified."""
    from mcred.keys.jose import JoseSignatureError

    leaf, subject = issuer_x5c.leaf, issuer_x5c.subject
    dates = {"subject": subject, "when": _stamp(when), "start": issuer_x5c.start, "end": issuer_x5c.end}
    if when > leaf.not_valid_after_utc:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_CERT_EXPIRED", "$.header.x5c[0]", **dates))
    elif when < leaf.not_valid_before_utc:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_CERT_NOT_YET_VALID", "$.header.x5c[0]", **dates))
    else:
        report.checks.append(_r("certificate", Status.PASSED, "SDJWT_CERT_VALID", **dates))
    if issuer_x5c.ca:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_CERT_CA", "$.header.x5c[0]", subject=subject))
    if not issuer_x5c.can_sign:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_CERT_USAGE", "$.header.x5c[0]", subject=subject))
    if issuer_x5c.verifier is None:
        report.checks.append(_r("certificate", Status.FAILED, "SDJWT_CERT_KEY", "$.header.x5c[0]"))
        return False
    try:
        issuer_x5c.verifier.verify(jws)  # its header and payload are parsed and checked
    except JoseSignatureError:
        report.checks.append(_r("proof", Status.FAILED, "SDJWT_SIGNATURE_INVALID", "$.signature"))
        return False
    report.checks.append(_r("proof", Status.PASSED, "SDJWT_SIGNATURE_OK", "$.signature", subject=subject))
    return True


def _check_chain(issuer_x5c: _X5c, options: VerifyOptions, when: datetime, report: VerificationReport) -> None:
    trust = options.trust
    anchors = trust.anchors_by_fingerprint() if trust is not None and hasattr(trust, "anchors_by_fingerprint") \
        else {}
    if not anchors:  # as for every credential: without a trust file, the signature holds but the issuer is unknown
        report.checks.append(_r("chain", Status.WARNING, "SDJWT_CHAIN_NOT_CHECKED", "$.header.x5c"))
        return
    chain, params = _chain(issuer_x5c, anchors, when)
    if chain.status == "trusted":
        report.checks.append(_r("chain", Status.PASSED, "SDJWT_CHAIN_TRUSTED", **params))
    elif chain.status == "invalid":
        report.checks.append(_r("chain", Status.FAILED, "SDJWT_CHAIN_INVALID", "$.header.x5c", **params))
    else:  # you named the CAs you trust, and this issuer's chain reaches none: its key is anyone's
        report.checks.append(_r("chain", Status.FAILED, "SDJWT_CHAIN_UNTRUSTED", "$.header.x5c", **params))


def _chain(issuer_x5c: _X5c, anchors: dict, when: datetime) -> tuple[Any, dict]:
    """:func:`mcred.seals.x509.build_chain` and what the messages say of it, remembered when it finds the chain
    trusted. Besides the certificates and the anchors, a path's validation depends only on the time, so a
    remembered chain answers only while the time is within every certificate's validity; outside it the chain
    is built again and its failure explained. Untrusted and invalid results are never remembered."""
    from mcred.seals.x509 import build_chain

    # an anchor given by fingerprint only, or with its certificate (which then joins the pool): not the same trust
    key = (issuer_x5c.chain, tuple(sorted((fingerprint, getattr(anchor, "cert", None) is not None)
                                          for fingerprint, anchor in anchors.items())))
    remembered = _TRUSTED_CHAINS.get(key)
    if remembered is not None and remembered[2] <= when <= remembered[3]:
        return remembered[0], remembered[1]
    chain = build_chain(issuer_x5c.leaf, issuer_x5c.pool, anchors, when)
    params = {"chain": " ← ".join(chain.names()), "anchor": getattr(chain.anchor, "name", None) or "-",
              "reason": chain.reason}
    if chain.status == "trusted":
        start = max(cert.not_valid_before_utc for cert in chain.path)
        end = min(cert.not_valid_after_utc for cert in chain.path)
        _remember(_TRUSTED_CHAINS, key, (chain, params, start, end))
    return chain, params


def _dates(payload: dict, now: datetime) -> list[CheckResult]:
    """``iat`` not in the future, ``nbf`` passed, ``exp`` not passed, with the clock skew every date gets."""
    results = []
    moment, skew = now.timestamp(), CLOCK_SKEW.total_seconds()  # numbers: the claims are seconds since 1970
    for claim, code in (("iat", "SDJWT_IAT_FUTURE"), ("nbf", "SDJWT_NOT_YET_VALID"), ("exp", "SDJWT_EXPIRED")):
        if claim not in payload:
            continue
        value = payload[claim]
        when = _when(value)
        if when is None:
            results.append(_r("validity", Status.FAILED, "SDJWT_DATE_INVALID", f"$.payload.{claim}", claim=claim,
                              value=str(value)[:80]))
        elif (moment - skew > value) if claim == "exp" else (moment + skew < value):
            results.append(_r("validity", Status.FAILED, code, f"$.payload.{claim}", when=_stamp(when),
                              now=_stamp(now)))
    return results or [_r("validity", Status.PASSED, "SDJWT_DATES_OK", now=_stamp(now))]


def _when(value: Any) -> datetime | None:
    """A NumericDate (RFC 7519 2) as a UTC time; None when it is not a number a time can be made of."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def _key_binding(sd: Any, payload: dict, options: VerifyOptions, now: datetime) -> list[CheckResult]:
    from mcred.sdjwt.keybinding import check_key_binding

    nonce, audience = options.nonce, options.audience
    if sd.kb_jwt is None and nonce is None and audience is None:
        return []  # an issued credential, not a presentation: nothing binds it to a holder here
    try:
        bound = check_key_binding(sd, payload, nonce=nonce, audience=audience, now=now, skew=CLOCK_SKEW)
    except SdJwtError as exc:
        return [_failed("key_binding", exc)]
    if nonce is None or audience is None:
        return [_r("key_binding", Status.WARNING, "SDJWT_KB_UNCHECKED", "$.kb_jwt")]
    return [_r("key_binding", Status.PASSED, "SDJWT_KB_OK", aud=str(bound.aud), nonce=str(bound.nonce))]

"""The problems the VC API answers with: a problem code, its HTTP status, a message, a hint, in English and Italian.

A refusal by the library (:class:`mcred.errors.McredError`) keeps its own code; the service maps its
kind to a status (:func:`http_status`): a request the service cannot read is 400, a credential it
will not sign is 422 (the request was understood; its content is refused), as the VC API's
status codes have them.
"""

from __future__ import annotations

from mcred.errors import InputError, McredError, UsageError
from mcred.messages import register


class ServeProblem(McredError):
    """A refusal by the service itself, with the HTTP status it answers with."""

    exit_code = 2
    code = "SERVE_REQUEST_INVALID"

    def __init__(self, status: int, code: str, message: str, **kwargs) -> None:
        super().__init__(message, code=code, **kwargs)
        self.status = status


def http_status(error: McredError) -> int:
    """The HTTP status of a refusal: the service's own, or 400 for a request it cannot use, 422 for content it
    understood and refuses (a credential mcred will not sign, a key that does not fit)."""
    if isinstance(error, ServeProblem):
        return error.status
    if error.code in ("JSON_MALFORMED", "JSON_NOT_OBJECT", "JSON_TOO_DEEP", "JSON_TOO_COMPLEX"):
        return 400
    if isinstance(error, (InputError, UsageError)):
        return 422
    return 500


def problem_body(error: McredError, lang: str = "en") -> dict:
    """The JSON body of a refusal: its code, what went wrong (``title``, ``detail``, as the VC API's
    ProblemDetails has them), where, and what to do next."""
    from mcred.messages import translate

    message, hint = translate(error.code, error.message, error.hint, error.params, lang)
    body = {"code": error.code, "title": error.code, "detail": message}
    if error.path:
        body["path"] = error.path
    if hint:
        body["hint"] = hint
    return body


register({
    "SERVE_REQUEST_INVALID": ("la richiesta non è valida: {detail}", "vedete /openapi.json per la forma di ogni "
                              "richiesta"),
    "SERVE_BODY_TOO_LARGE": ("il corpo della richiesta supera {limit} byte", "inviate una credenziale alla volta"),
    "SERVE_UNAUTHORIZED": ("manca il token o non è valido", "inviate l'intestazione Authorization: Bearer con il "
                           "token del file --token-file"),
    "SERVE_TIMEOUT": ("la richiesta ha superato {seconds} secondi", "riprovate; se si ripete, segnalatelo"),
    "SERVE_NOT_IMPLEMENTED": ("{what}: il servizio è stato avviato senza --key",
                              "avviate mcred serve con --key CHIAVE"),
    "SERVE_NOT_FOUND": ("nessun endpoint {path}", "vedete /openapi.json per gli endpoint"),
    "SERVE_METHOD_NOT_ALLOWED": ("{method} non è ammesso su {path}", "vedete /openapi.json per i metodi"),
    "SERVE_INTERNAL": ("errore interno del servizio ({kind})", "è un bug di mcred: segnalatelo"),
    "SERVE_CREDENTIAL_NO_ID": ("la credenziale non ha un id: il suo stato non potrebbe essere cambiato",
                               "date alla credenziale un id (urn:uuid:...) prima di chiederne lo stato"),
    "SERVE_STATUS_NO_LIST": ("il servizio non ha una lista di stato per {purpose}",
                             "avviate mcred serve con --status-list per quella finalità"),
    "SERVE_STATUS_UNKNOWN_CREDENTIAL": ("nessuna credenziale {credential_id} emessa con una lista di stato di "
                                        "questo servizio", "controllate l'id della credenziale"),
    "SERVE_STATUS_CONTEXT": ("una voce di stato BitstringStatusListEntry richiede il contesto VC 2.0",
                             "usate https://www.w3.org/ns/credentials/v2 come primo @context"),
    "SERVE_BIND_NOT_LOOPBACK": ("l'host {host} non è l'interfaccia di loopback: serve un token",
                                "indicate --token-file con un token di almeno 32 caratteri"),
    "SERVE_TOKEN_INVALID": ("il file del token non è utilizzabile: {detail}",
                            "scrivete nel file un token casuale di almeno 32 caratteri, ad esempio con "
                            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"),
})

"""The digest of a credential, and the short text a printed page carries to name it.

One notion of "the credential's digest" exists in mcred for each form a
credential comes in, and :func:`credential_digest` picks it:

* a **Data Integrity** credential (JSON-LD with proofs): the SHA-256 of its
  RDFC-1.0 canonical N-Quads, proofs included. It is what binds a component to a
  stack (:mod:`mcred.stack.stacking`) and what the QR code of a rendered page carries
  (:mod:`mcred.present.page`), and it survives any re-serialisation of the JSON (key order,
  spacing), while any change to what the credential says, or to its proof, gives
  another digest. It is computed in JSON-LD safe mode: a document with a term no
  context defines has no digest, because the N-Quads would not cover that term.
* a credential **sealed with JAdES** (EDC's JWS, :mod:`mcred.seals.jades`): the SHA-256 of
  the JWS signing input, ``ASCII(protected) '.' payload`` exactly as the file has
  them (RFC 7515 5.1, RFC 7797), i.e. exactly the bytes the seal signs: the
  credential as sealed, and the protected header that names the sealing
  certificate and the signing time. Any change to the credential, a new seal
  (another certificate, another time) or a payload re-encoded gives another
  digest; re-serialising the outer JSON and what the seal does not sign (the
  ``etsiU`` time-stamps and validation data, which are added to a seal over its
  life, e.g. B-LT to B-LTA) does not. A canonical form (JCS) of the whole JWS would
  change with every such addition; the payload alone would not name who sealed it.

The page's text (the QR payload), version 1, is one line::

    mcred:1 <credential id> sha256:<64 lowercase hex digits>

(``mcred:1 sha256:<hex>`` when the credential has no id; for a sealed file, the id of
the credential it carries). ``mcred verify FILE
--expect-digest TEXT`` accepts that text, ``sha256:<hex>`` or the bare hex, and
adds the ``digest`` check to the report.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from mcred.errors import InputError, UsageError
from mcred.messages import register
from mcred.report import CheckResult, Status

PAYLOAD_PREFIX = "mcred:1"
_HEX = re.compile(r"[0-9a-f]{64}")

#: Italian templates of the `digest` check and its errors (see mcred.messages)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "DIGEST_OK": ("l'impronta della credenziale è sha256:{digest}, quella attesa", None),
    "DIGEST_MISMATCH": ("l'impronta della credenziale è sha256:{digest}, non sha256:{expected}: questo file non è "
                        "la credenziale da cui è stata stampata la pagina",
                        "qualsiasi modifica, anche una nuova firma, cambia l'impronta: chiedete il file da cui è "
                        "stata fatta la pagina"),
    "DIGEST_ID_MISMATCH": ("la pagina indica la credenziale {expected_id}, ma questo file è {credential_id}",
                           "chiedete il file da cui è stata fatta la pagina"),
    "DIGEST_UNAVAILABLE": ("l'impronta non si può calcolare: {detail}", None),
    "DIGEST_EXPECTED_INVALID": ("--expect-digest {value!r} non è un'impronta SHA-256",
                                "date le 64 cifre esadecimali, sha256:<esadecimale> o il testo del codice QR "
                                "(mcred:1 <id> sha256:<esadecimale>)"),
}
register(MESSAGES_IT)


def credential_digest(document: dict, *, file: str | None = None) -> str:
    """The credential's digest (SHA-256, hex), in the notion of its form (see the module docstring).

    A sealed (JAdES) file: :func:`sealed_digest`. Any other credential: the SHA-256
    of its RDFC-1.0 canonical N-Quads, its proofs included. Raises an
    :class:`mcred.errors.InputError` when the document cannot be canonicalised
    (unknown context, undefined term, relative IRI, poison graph) or, sealed, when
    its JWS cannot be read.
    """
    if _is_sealed(document):
        return sealed_digest(document, file=file)
    from mcred.jsonld.process import canonical_nquads

    return hashlib.sha256(canonical_nquads(document, file=file).encode("utf-8")).hexdigest()


def _is_sealed(document: dict) -> bool:
    """A JWS (JAdES) rather than JSON-LD; the cheap test first, so a Data Integrity credential imports no X.509."""
    if "payload" not in document or "@context" in document:
        return False
    from mcred.seals.jades import is_jades

    return is_jades(document)


def sealed_digest(document: dict, *, file: str | None = None) -> str:
    """SHA-256 (hex) of a sealed file's JWS signing input: exactly the bytes its seal signs.

    Computed without verifying the seal (as the N-Quads digest is without verifying
    the proof): the report says whether to believe the file. Raises an
    :class:`mcred.errors.InputError` carrying the JAdES code when the JWS cannot be read.
    """
    from mcred.seals.jades import JadesError, parse_jws

    try:
        jws = parse_jws(document)
    except JadesError as exc:
        raise InputError(exc.message, code=exc.code, path=exc.path, file=file, hint=exc.hint,
                         params=exc.params) from exc
    return hashlib.sha256(jws.signing_input).hexdigest()


def credential_id(document: dict) -> str | None:
    """The credential's id, as the page names it: the IRI of the credential in its signed graph (for a sealed
    file, in its payload's); None when it has none, or its graph cannot be read."""
    from mcred.errors import InputError
    from mcred.graph.facts import GraphError, read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_leniently

    if _is_sealed(document):
        from mcred.seals.jades import sealed_payload

        document = sealed_payload(document) or {}
    try:
        return read_facts(read_graph(expand_leniently(document))).id
    except (InputError, GraphError):
        return None


_credential_id = credential_id


def qr_payload(credential_id: str | None, digest: str) -> str:
    """The page's text: ``mcred:1 <credential id> sha256:<hex>`` (version 1, see the module docstring)."""
    if not _HEX.fullmatch(digest):
        raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
    middle = f" {credential_id}" if credential_id else ""
    return f"{PAYLOAD_PREFIX}{middle} sha256:{digest}"


@dataclass(frozen=True)
class ExpectedDigest:
    """What a page (or a person) says the credential is: its digest and, from a QR text, its id."""

    sha256: str
    credential_id: str | None = None


def parse_expected_digest(text: str) -> ExpectedDigest:
    """Read ``--expect-digest``: a page's QR text, ``sha256:<hex>`` or the bare hex (any case).

    Raises :class:`mcred.errors.UsageError` (``DIGEST_EXPECTED_INVALID``) for anything else.
    """
    value = text.strip()
    credential_id = None
    if value.startswith(PAYLOAD_PREFIX + " "):
        # the id is everything between the prefix and the last space (an IRI has no spaces)
        rest = value[len(PAYLOAD_PREFIX) + 1:]
        credential_id, _, value = rest.rpartition(" ")
        credential_id = credential_id or None
    hex_part = value.lower().removeprefix("sha256:")
    if not _HEX.fullmatch(hex_part):
        raise UsageError(f"--expect-digest {text!r} is not a SHA-256 digest", code="DIGEST_EXPECTED_INVALID",
                         params={"value": text},
                         hint="give the 64 hex digits, sha256:<hex>, or the page's QR text "
                         "(mcred:1 <id> sha256:<hex>)")
    return ExpectedDigest(hex_part, credential_id)


_UNREAD = object()


def check_digest(document: dict, expected: ExpectedDigest, *, file: str | None = None,
                 credential_id: object = _UNREAD) -> list[CheckResult]:
    """The ``digest`` check: is this document the credential a page (or a person) names?

    ``credential_id`` is the credential's id as its signed graph gives it, when the
    caller has read the graph (verification has); else it is read here.
    """
    def result(status: Status, code: str, message: str, hint: str | None = None, **params) -> CheckResult:
        return CheckResult("digest", status, message, code, None, hint, params)

    try:
        digest = credential_digest(document, file=file)
    except InputError as exc:
        return [result(Status.FAILED, "DIGEST_UNAVAILABLE", f"the digest cannot be computed: {exc.message}",
                       detail=exc.message)]
    actual_id = _credential_id(document) if credential_id is _UNREAD else credential_id
    return judge_digest(digest, actual_id, expected)


def jwt_digest(text: str) -> str:
    """A JWT credential's digest: the SHA-256 of its signing input, ``header '.' payload`` as the file has
    them (RFC 7515 5.1), i.e. exactly the bytes its signature covers, as for a sealed credential."""
    header, payload, _ = text.strip().split(".")
    return hashlib.sha256(f"{header}.{payload}".encode("ascii")).hexdigest()


def judge_digest(digest: str, actual_id: object, expected: ExpectedDigest) -> list[CheckResult]:
    """The ``digest`` check's result for a digest computed: the one expected, or why not."""
    def result(status: Status, code: str, message: str, hint: str | None = None, **params) -> CheckResult:
        return CheckResult("digest", status, message, code, None, hint, params)

    if expected.credential_id is not None and expected.credential_id != actual_id:
        return [result(Status.FAILED, "DIGEST_ID_MISMATCH", f"the page names the credential "
                       f"{expected.credential_id}, but this file is {actual_id}",
                       "ask for the file the page was made from",
                       expected_id=expected.credential_id, credential_id=str(actual_id))]
    if digest != expected.sha256:
        return [result(Status.FAILED, "DIGEST_MISMATCH", f"the credential's digest is sha256:{digest}, not "
                       f"sha256:{expected.sha256}: this file is not the credential the page was printed from",
                       "any change, even a new signature, changes the digest: ask for the file the page "
                       "was made from", digest=digest, expected=expected.sha256)]
    return [result(Status.PASSED, "DIGEST_OK", f"the credential's digest is sha256:{digest}, the one expected",
                   digest=digest)]

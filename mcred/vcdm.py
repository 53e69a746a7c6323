"""The rules of the W3C VC Data Model 2.0 that a credential must meet to be signed, linted clean or verified.

They apply to a credential whose first ``@context`` is ``https://www.w3.org/ns/credentials/v2`` (VCDM 2.0
§4.3), and to one that calls itself a ``VerifiableCredential`` without any VC base context; a VC 1.1
credential (first context ``https://www.w3.org/2018/credentials/v1``) keeps the rules it has always had.
The rules are the ones the W3C's vc-data-model-2.0-test-suite checks (its inputs are in
``tests/assets/realworld/w3c-vcdm2-suite``).

Two kinds of rule, and where each reads:

* **about the JSON form** (:func:`_json_rules`): the base context comes first; an ``id`` is one string that
  is a URL; a ``type`` is a string; a value object has only JSON-LD's keywords; a proof has a type. JSON-LD
  drops a ``null`` id and refuses an array of ids, so these cannot be read from the graph: they are read from
  the JSON. None of them can be passed by rewriting the JSON of a credential that breaks a graph rule: what
  they refuse has no graph, or a graph mcred refuses anyway (proofs are not part of the signed graph: they are
  read from the JSON by the proof check too).
* **about the data** (:func:`_graph_rules`): a subject that says something; a type on every
  ``credentialStatus``, ``evidence``, ``termsOfUse``, ``refreshService`` and ``credentialSchema``; an id on a
  schema and a related resource, and a digest on the latter; validity dates that are XML Schema
  dateTimeStamps, in order. These are read from the signed graph (:mod:`mcred.graph.nodes`), by IRI, as every
  verdict is: a holder who writes ``evidence`` under its full IRI, or moves it into ``@included``, changes
  nothing a rule sees.

:func:`check_vcdm2` returns every problem found; ``mcred sign`` refuses (exit 3) when there is one, ``mcred
lint`` lists them, and ``mcred verify`` reports them in its ``vcdm2`` check (exit 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mcred.messages import register

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

_VC = "https://www.w3.org/2018/credentials#"
_SUBJECT = _VC + "credentialSubject"
_SCHEMA = _VC + "credentialSchema"
_RELATED = _VC + "relatedResource"
_DIGESTS = (_VC + "digestSRI", "https://w3id.org/security#digestMultibase")
#: the properties whose every value must have a type (VCDM 2.0 §4.10, §5.4, §5.5, §5.6, §5.7, §4.11)
_TYPED = {_VC + name: name for name in ("credentialStatus", "evidence", "termsOfUse", "refreshService",
                                         "credentialSchema")}
_DATES = (("validFrom", _VC + "validFrom"), ("validUntil", _VC + "validUntil"))

#: what may be a URL once expanded: a scheme or a JSON-LD prefix before a colon, and no white space. A compact IRI
#: ("p:x", "p:") is a URL once its prefix is expanded, so only what no context can make absolute is refused here
#: (no colon: relative; white space: never in an IRI); the rest is the jsonld check's (JSONLD_RELATIVE_ID)
_URL = re.compile(r"^[^\s:]+:\S*$")
#: XML Schema 1.1 dateTimeStamp, the regular expression VCDM 2.0 §4.9 gives
_DATE_TIME_STAMP = re.compile(
    r"^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$")
#: the keys a JSON-LD value object may have
_VALUE_KEYS = frozenset({"@value", "@language", "@direction", "@type", "@index"})


@dataclass(frozen=True)
class Problem:
    """One broken rule: its code, the JSON path of what breaks it, an English message and what to do."""

    code: str
    path: str
    message: str
    hint: str | None = None
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "path": self.path, "message": self.message, "hint": self.hint}


def applies(document: Any) -> bool:
    """Whether the VCDM 2.0 rules apply: a v2 credential, or a credential with no VC base context first."""
    if not isinstance(document, dict) or "@context" not in document:
        return False  # no context: CONTEXT_MISSING, before any rule
    contexts = _contexts(document)
    first = contexts[0] if contexts else None
    if first == VC2_CONTEXT:
        return True
    if VC1_CONTEXT in contexts:
        return False  # VC 1.1: its own rules
    return VC2_CONTEXT in contexts or "VerifiableCredential" in _as_list(document.get("type"))


def check_vcdm2(document: dict, *, credential: Any = None, dates: bool = True) -> list[Problem]:
    """Every VCDM 2.0 rule the document breaks (an empty list when it meets them all, or when they do not
    apply: see :func:`applies`).

    ``credential`` is the credential's node in the signed graph (:class:`mcred.graph.nodes.Node`, or a
    function that returns it) when the caller has read it (verification does); else the document is expanded
    here, in safe mode. ``dates`` False leaves the validity dates to the caller (``mcred verify``'s
    ``validity`` check judges them).
    """
    if not applies(document):
        return []
    problems = _json_rules(document)
    if problems:
        return problems  # the graph of such a document is refused by JSON-LD, or is not what was written
    if credential is None:
        credential, refused = _read_credential(document)
        if refused:
            return refused
    elif callable(credential):  # the caller's graph, read only when the JSON form is sound
        from mcred.graph.nodes import GraphError

        try:
            credential = credential()
        except GraphError as exc:
            return [Problem(exc.code, "$", exc.message, None, exc.params)]
    return _graph_rules(credential, dates=dates)


# --- the JSON form -------------------------------------------------------------------------------------------

def _json_rules(document: dict) -> list[Problem]:
    problems = []
    contexts = _contexts(document)
    if not contexts or contexts[0] != VC2_CONTEXT:
        problems.append(Problem(
            "VCDM2_BASE_CONTEXT", "$['@context'][0]" if contexts else "$['@context']",
            f"the first @context must be {VC2_CONTEXT} (VC Data Model 2.0 §4.3)",
            hint=f"put {VC2_CONTEXT} first in @context", params={"url": VC2_CONTEXT}))
    for index, entry in enumerate(contexts):
        if not isinstance(entry, (str, dict)):
            problems.append(Problem(
                "VCDM2_CONTEXT_INVALID", f"$['@context'][{index}]",
                f"a @context entry must be a URL or an object, not {entry!r}",
                hint="remove it, or write the context's URL", params={"value": repr(entry)}))
    if "type" not in document and "@type" not in document:
        problems.append(Problem("VCDM2_TYPE_MISSING", "$.type", "the credential has no type; it must include "
                                "VerifiableCredential (VC Data Model 2.0 §4.5)",
                                hint='add "type": ["VerifiableCredential"]', params={"name": "credential"}))
    # null is dropped by JSON-LD (the graph would say "no issuer", and --issuer-from-key would fill it in); an
    # array of one is the same graph as the value, and two values are MULTIPLE_VALUES in the graph
    issuer = document.get("issuer", ...)
    for index, value in enumerate(issuer if isinstance(issuer, list) else [issuer]):
        where = f"$.issuer[{index}]" if isinstance(issuer, list) else "$.issuer"
        if value is not ... and not isinstance(value, (str, dict)):
            problems.append(Problem("VCDM2_ISSUER_INVALID", where, f"issuer must be a URL or an object with an "
                                    f"id, not {value!r} (VC Data Model 2.0 §4.7)",
                                    hint="name the issuer by its DID or URL", params={"value": repr(value)}))
        elif isinstance(value, str) and not _URL.match(value):
            problems.append(_not_url(where, value))
    _walk(document, "$", problems, top=True)
    for index, proof in enumerate(_as_list(document.get("proof"))):
        if isinstance(proof, dict) and "type" not in proof:
            path = "$.proof" if not isinstance(document.get("proof"), list) else f"$.proof[{index}]"
            problems.append(_type_missing(path, "proof"))
    return problems


def _walk(value: Any, path: str, problems: list[Problem], *, top: bool = False) -> None:
    """Every object of the document (contexts and JSON literals aside): its id, its type, its value object."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", problems)
        return
    if not isinstance(value, dict):
        return
    if "@value" in value:
        extra = sorted(key for key in value if key not in _VALUE_KEYS)
        if extra:
            problems.append(Problem(
                "VCDM2_VALUE_OBJECT_INVALID", f"{path}.{extra[0]}",
                f"a value object ({{\"@value\": ...}}) may hold only @value, @language, @direction and @type, "
                f"not {', '.join(extra)}", hint="move the other properties out of the value object",
                params={"keys": ", ".join(extra)}))
        return
    for key in ("id", "@id"):
        if key in value:
            ident = value[key]
            if not isinstance(ident, str):
                problems.append(Problem(
                    "VCDM2_ID_INVALID", f"{path}.{key}", f"an id must be one URL, not {ident!r} (VC Data Model "
                    "2.0 §4.4)", hint="give one URL, or leave the id out", params={"value": repr(ident)}))
            elif not _URL.match(ident):
                problems.append(_not_url(f"{path}.{key}", ident))
    for key in ("type", "@type"):
        for index, type_ in enumerate(_as_list(value.get(key))):
            if not isinstance(type_, str):
                where = f"{path}.{key}" + (f"[{index}]" if isinstance(value[key], list) else "")
                problems.append(Problem(
                    "VCDM2_TYPE_INVALID", where, f"a type must be a term or a URL, not {type_!r}",
                    hint="write the type's term (defined by a context) or its URL", params={"value": repr(type_)}))
    for key, item in value.items():
        if key == "@context" or (key == "proof" and top):
            continue  # contexts are checked above; proofs are not part of the credential's data
        _walk(item, f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]", problems)


# --- the signed graph ----------------------------------------------------------------------------------------

def _read_credential(document: dict) -> tuple[Any, list[Problem]]:
    """The credential's node in the document's graph (expanded in safe mode), or the problems that stop it."""
    from mcred.errors import InputError, UnsafeJsonLdError
    from mcred.graph.nodes import GraphError, read_graph
    from mcred.jsonld.process import expand_safely

    try:
        # a proof is not part of what it signs (a named graph, judged by the proof check): the data without it
        data = {key: value for key, value in document.items() if key != "proof"}
        return read_graph(expand_safely(data)).credential, []
    except UnsafeJsonLdError as exc:
        return None, [Problem(code, path, detail) for code, path, detail, _ in exc.problems]
    except InputError as exc:
        return None, [Problem(exc.code, exc.path or "$", exc.message, exc.hint, exc.params)]
    except GraphError as exc:
        if exc.code == "GRAPH_NO_CREDENTIAL":
            return None, [Problem("VCDM2_CREDENTIAL_TYPE", "$.type", "the credential's type does not include "
                                  "VerifiableCredential (VC Data Model 2.0 §4.5)",
                                  hint='add "VerifiableCredential" to type')]
        return None, [Problem(exc.code, "$", exc.message, None, exc.params)]


def _graph_rules(credential: Any, *, dates: bool) -> list[Problem]:
    from mcred.graph.nodes import Literal, Node, node_paths

    problems: list[Problem] = []
    paths = node_paths(credential)

    def where(node: Node, fallback: str) -> str:
        return paths.get(node.key, fallback)

    subjects = credential.values(_SUBJECT)
    if not subjects:
        problems.append(Problem("VCDM2_SUBJECT_MISSING", "$.credentialSubject", "the credential has no "
                                "credentialSubject (VC Data Model 2.0 §4.8)",
                                hint="state who or what the credential is about"))
    for subject in subjects:
        if isinstance(subject, Node) and subject.iri is None and not subject.types and not subject.properties():
            problems.append(Problem("VCDM2_SUBJECT_EMPTY", where(subject, "$.credentialSubject"),
                                    "a credentialSubject says nothing: no id and no claim (VC Data Model 2.0 §4.8)",
                                    hint="give the subject's id or at least one claim about it"))
    for iri, name in _TYPED.items():
        for node in credential.nodes(iri):
            if not node.types:
                problems.append(_type_missing(where(node, f"$.{name}"), name))
    for node in credential.nodes(_SCHEMA):
        if node.iri is None:
            problems.append(_id_missing(where(node, "$.credentialSchema"), "credentialSchema"))
    for node in credential.nodes(_RELATED):
        path = where(node, "$.relatedResource")
        if node.iri is None:
            problems.append(_id_missing(path, "relatedResource"))
        if not any(node.values(digest) for digest in _DIGESTS):
            problems.append(Problem("VCDM2_RELATED_RESOURCE_DIGEST", path, "a relatedResource has neither "
                                    "digestSRI nor digestMultibase (VC Data Model 2.0 §5.3)",
                                    hint="add the resource's digest (digestSRI or digestMultibase)"))
    if dates:
        problems += _date_rules(credential, Literal)
    return problems


def _date_rules(credential: Any, literal_type: type) -> list[Problem]:
    from mcred.dates import parse_datetime

    problems = []
    read = {}
    for name, iri in _DATES:
        for value in credential.values(iri):
            lexical = value.lexical if isinstance(value, literal_type) else repr(value)
            when = parse_datetime(lexical) if _DATE_TIME_STAMP.match(lexical) else None
            if when is None:
                problems.append(Problem(
                    "VCDM2_DATE_INVALID", f"$.{name}", f"{name} {lexical!r} is not an XML Schema dateTimeStamp "
                    "(VC Data Model 2.0 §4.9)", hint="write it as 2026-01-31T12:00:00Z (a time zone is required)",
                    params={"field": name, "value": lexical}))
            else:
                read[name] = (lexical, when)
    if "validFrom" in read and "validUntil" in read and read["validUntil"][1] < read["validFrom"][1]:
        (start_value, _), (end_value, _) = read["validFrom"], read["validUntil"]
        problems.append(Problem(
            "VALIDITY_PERIOD_INVERTED", "$.validUntil", f"validUntil {end_value} is before validFrom {start_value}: "
            "the validity period ends before it begins", hint="correct the dates",
            params={"start": "validFrom", "start_value": start_value, "end": "validUntil", "end_value": end_value}))
    return problems


# --- helpers -------------------------------------------------------------------------------------------------

def _contexts(document: dict) -> list:
    return _as_list(document.get("@context"))


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _not_url(path: str, value: str) -> Problem:
    return Problem("VCDM2_ID_NOT_URL", path, f"{value!r} is not a URL (VC Data Model 2.0 §4.4)",
                   hint="use an absolute URL: https://..., urn:uuid:..., did:...", params={"value": value})


def _type_missing(path: str, name: str) -> Problem:
    return Problem("VCDM2_TYPE_MISSING", path, f"{name} has no type (VC Data Model 2.0 requires one)",
                   hint="add its type, e.g. the term its specification defines", params={"name": name})


def _id_missing(path: str, name: str) -> Problem:
    return Problem("VCDM2_ID_MISSING", path, f"{name} has no id (VC Data Model 2.0 requires one)",
                   hint="add the URL it refers to as its id", params={"name": name})


#: the Italian templates of the codes above (VALIDITY_PERIOD_INVERTED is the validity check's)
MESSAGES_IT = {
    "VCDM2_OK": ("la credenziale rispetta le regole del VC Data Model 2.0", None),
    "VCDM2_BASE_CONTEXT": ("il primo @context deve essere {url} (VC Data Model 2.0 §4.3)",
                           "mettete https://www.w3.org/ns/credentials/v2 per primo in @context"),
    "VCDM2_CONTEXT_INVALID": ("una voce di @context deve essere un URL o un oggetto, non {value}",
                              "toglietela, o scrivete l'URL del contesto"),
    "VCDM2_TYPE_MISSING": ("{name} non ha un tipo (type): il VC Data Model 2.0 lo richiede",
                           "aggiungete il tipo, ad es. il termine definito dalla sua specifica"),
    "VCDM2_TYPE_INVALID": ("un tipo deve essere un termine o un URL, non {value}",
                           "scrivete il termine del tipo (definito da un contesto) o il suo URL"),
    "VCDM2_CREDENTIAL_TYPE": ("il tipo della credenziale non comprende VerifiableCredential (VC Data Model 2.0 "
                              "§4.5)", "aggiungete \"VerifiableCredential\" a type"),
    "VCDM2_ID_INVALID": ("un id deve essere un solo URL, non {value} (VC Data Model 2.0 §4.4)",
                         "indicate un solo URL, o togliete l'id"),
    "VCDM2_ID_NOT_URL": ("{value!r} non è un URL (VC Data Model 2.0 §4.4)",
                         "usate un URL assoluto: https://..., urn:uuid:..., did:..."),
    "VCDM2_ID_MISSING": ("{name} non ha un id: il VC Data Model 2.0 lo richiede",
                         "aggiungete come id l'URL a cui si riferisce"),
    "VCDM2_ISSUER_INVALID": ("issuer deve essere un URL o un oggetto con un id, non {value} (VC Data Model 2.0 "
                             "§4.7)", "indicate l'emittente con il suo DID o URL"),
    "VCDM2_SUBJECT_MISSING": ("la credenziale non ha credentialSubject (VC Data Model 2.0 §4.8)",
                              "indicate chi o che cosa riguarda la credenziale"),
    "VCDM2_SUBJECT_EMPTY": ("un credentialSubject non dice nulla: né id né affermazioni (VC Data Model 2.0 §4.8)",
                            "indicate l'id del soggetto o almeno un'affermazione su di esso"),
    "VCDM2_VALUE_OBJECT_INVALID": ("un oggetto valore ({{\"@value\": ...}}) può contenere solo @value, @language, "
                                   "@direction e @type, non {keys}",
                                   "spostate le altre proprietà fuori dall'oggetto valore"),
    "VCDM2_RELATED_RESOURCE_DIGEST": ("un relatedResource non ha né digestSRI né digestMultibase (VC Data Model "
                                      "2.0 §5.3)", "aggiungete il digest della risorsa"),
    "VCDM2_DATE_INVALID": ("{field} {value!r} non è un dateTimeStamp XML Schema (VC Data Model 2.0 §4.9)",
                           "scrivetelo come 2026-01-31T12:00:00Z (il fuso orario è obbligatorio)"),
}
register(MESSAGES_IT)

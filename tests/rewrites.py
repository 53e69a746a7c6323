"""Graph-preserving rewrites of a signed credential: the JSON changes, the RDF dataset (and so an
``eddsa-rdfc-2022`` proof) does not.

The families an outside review used against mcred (issue 13), each a function ``(document, obj, key, names)
-> bool`` that rewrites, in place, the value of ``key`` in the JSON object ``obj`` of ``document`` (False when
it does not apply there):

* ``full_iri``     the key written as its IRI, the value in expanded form (a coercion no longer applies);
* ``compact_key``  the key as a compact IRI through a prefix the bundled contexts define (``elm:hasPart``);
* ``alias``        the key renamed to a term an appended inline context defines with the same IRI;
* ``value_object`` a string written as a ``@value`` object of the same datatype;
* ``array``        a value wrapped in an array (or a one-element array unwrapped);
* ``included``     the property moved into an ``@included`` object with the same ``@id`` (and types);
* ``reverse``      a property of the credential moved under its subject, through ``@reverse``;
* ``compact_id``   the object's ``id`` (or an IRI value) written as a compact IRI of an inline prefix;
* ``prefix_id``    the object's ``id`` written ``p:``, with ``p`` an inline prefix bound to the whole IRI.

Nothing here decides whether a rewrite kept the graph: the tests compare the canonical N-Quads of the
original and of every variant (mcred's RDFC-1.0, checked by the W3C suite), so a wrong rewrite fails
there, not silently.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

from mcred.jsonld.expansion import _initial, _prepare_nested_context

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
VC_SUBJECT = "https://www.w3.org/2018/credentials#credentialSubject"
#: prefixes the bundled ELM context defines, for compact-IRI keys with no inline context at all
BUILT_IN_PREFIXES = {"elm": "http://data.europa.eu/snb/model/elm/", "cred": "https://www.w3.org/2018/credentials#",
                     "dc": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
                     "skos": "http://www.w3.org/2004/02/skos/core#", "adms": "http://www.w3.org/ns/adms#"}


class Names:
    """Fresh term names for inline contexts, one counter per document."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def fresh(self, stem: str) -> str:
        return f"{stem}{next(self._count)}"


def definition(document: dict, obj: dict, key: str) -> dict | None:
    """The term definition of ``key`` in ``obj``: the document's contexts, with the object's type-scoped ones."""
    context = document["@context"]
    active = _initial().derive("local", json.dumps(context, sort_keys=True), context)
    types = obj.get("type")
    if types is not None:
        active, _, _ = _prepare_nested_context(active, {"type": types})
    found = active.mappings.get(key)
    return found if found and isinstance(found.get("@id"), str) and not found["@id"].startswith("@") else None


def _expanded(value: Any, definition: dict) -> Any:
    """A compacted value in the form it has under no term definition (for a key that is an IRI)."""
    coercion = definition.get("@type")
    container = definition.get("@container") or ()
    if isinstance(value, list):
        return [_expanded(item, definition) for item in value]
    if "@graph" in container and isinstance(value, dict):  # the value is a named graph (a proof)
        return {"@graph": value}
    if isinstance(value, dict):
        if "@language" in container and "@value" not in value and "id" not in value:
            return [{"@value": text, "@language": lang} for lang, texts in value.items()
                    for text in (texts if isinstance(texts, list) else [texts])]
        return value  # a node object (its own keys are read with the same context) or a value object
    if isinstance(value, str):
        if coercion in ("@id", "@vocab"):
            return {"@id": value}
        if coercion:
            return {"@value": value, "@type": coercion}
        return {"@value": value}
    return value


def _add_context(document: dict, terms: dict) -> None:
    context = document["@context"]
    document["@context"] = [*(context if isinstance(context, list) else [context]), terms]


def _rename(obj: dict, key: str, new_key: str, value: Any) -> None:
    """Replace ``key`` by ``new_key`` (keeping the object's other keys as they are)."""
    del obj[key]
    obj[new_key] = value


def full_iri(document: dict, obj: dict, key: str, names: Names) -> bool:
    found = definition(document, obj, key)
    if found is None:
        return False
    _rename(obj, key, found["@id"], _expanded(obj[key], found))
    return True


def compact_key(document: dict, obj: dict, key: str, names: Names) -> bool:
    found = definition(document, obj, key)
    if found is None:
        return False
    for prefix, namespace in BUILT_IN_PREFIXES.items():
        defined = definition(document, obj, prefix)
        if defined is None or defined["@id"] != namespace:
            continue  # a prefix these contexts do not define would make an IRI of its own ("cred:issuer")
        if found["@id"].startswith(namespace) and len(found["@id"]) > len(namespace):
            _rename(obj, key, f"{prefix}:{found['@id'][len(namespace):]}", _expanded(obj[key], found))
            return True
    return False


def alias(document: dict, obj: dict, key: str, names: Names) -> bool:
    found = definition(document, obj, key)
    if found is None:
        return False
    term = names.fresh("bis")
    new = {"@id": found["@id"]}
    for entry in ("@type", "@container", "@language"):
        if found.get(entry) is not None:
            new[entry] = list(found[entry]) if isinstance(found[entry], list) else found[entry]
    if isinstance(new.get("@container"), list):
        new["@container"] = new["@container"][0] if len(new["@container"]) == 1 else new["@container"]
    _add_context(document, {term: new})
    _rename(obj, key, term, obj[key])
    return True


def value_object(document: dict, obj: dict, key: str, names: Names) -> bool:
    found = definition(document, obj, key)
    value = obj[key]
    if found is None or not isinstance(value, str) or found.get("@type") in ("@id", "@vocab", "@json"):
        return False
    if "@language" in (found.get("@container") or ()):
        return False
    obj[key] = {"@value": value, "@type": found["@type"]} if found.get("@type") else {"@value": value}
    return True


def array(document: dict, obj: dict, key: str, names: Names) -> bool:
    if key in ("id", "@id"):
        return False  # an @id is one string, never an array
    value = obj[key]
    found = definition(document, obj, key)
    if isinstance(value, dict) and found is not None and "@language" in (found.get("@container") or ()):
        return False  # a language map in an array is an object, not a language map
    if isinstance(value, list):
        if len(value) != 1:
            return False
        obj[key] = value[0]
    else:
        obj[key] = [value]
    return True


def _id_key(obj: dict) -> str | None:
    return "id" if "id" in obj else "@id" if "@id" in obj else None


def included(document: dict, obj: dict, key: str, names: Names) -> bool:
    id_key = _id_key(obj)
    if id_key is None or obj is document and key == "proof":
        return False
    fragment = {"id": obj[id_key]}
    if "type" in obj:
        fragment["type"] = copy.deepcopy(obj["type"])  # a type twice is a type once: the terms it scopes apply
    fragment[key] = obj.pop(key)
    document.setdefault("@included", []).append(fragment)
    return True


def reverse(document: dict, obj: dict, key: str, names: Names) -> bool:
    """The credential's property, said from its subject: S @reverse credentialSubject {credential, key: value}."""
    subject = document.get("credentialSubject")
    if obj is not document or key in ("proof", "credentialSubject", "@context") or not isinstance(subject, dict):
        return False
    id_key = _id_key(document)
    if id_key is None:
        return False
    fragment = {"id": document[id_key], "type": copy.deepcopy(document.get("type")), key: document.pop(key)}
    subject.setdefault("@reverse", {}).setdefault(VC_SUBJECT, []).append(fragment)
    return True


def compact_id(document: dict, obj: dict, key: str, names: Names) -> bool:
    """The object's id (or, for an IRI value, the value) as ``u:rest`` with ``u`` an inline prefix."""
    target, field = _iri_place(document, obj, key)
    if target is None:
        return False
    iri = target[field]
    cut = max(iri.find(":") + 1, len(iri) // 2)
    if cut >= len(iri) or iri[cut:].startswith("//"):
        return False
    prefix = names.fresh("u")
    _add_context(document, {prefix: {"@id": iri[:cut], "@prefix": True}})
    target[field] = f"{prefix}:{iri[cut:]}"
    return True


def prefix_id(document: dict, obj: dict, key: str, names: Names) -> bool:
    """The whole IRI behind a prefix: ``p:`` (two documents can then both say ``"id": "p:"``)."""
    target, field = _iri_place(document, obj, key)
    if target is None:
        return False
    prefix = names.fresh("p")
    _add_context(document, {prefix: {"@id": target[field], "@prefix": True}})
    target[field] = f"{prefix}:"
    return True


def _iri_place(document: dict, obj: dict, key: str) -> tuple[dict | None, str]:
    """Where an IRI to rewrite is: the id of the object under ``key``, or the value itself when it is an IRI."""
    if key in ("id", "@id") and isinstance(obj.get(key), str):
        return obj, key
    value = obj.get(key)
    if isinstance(value, dict) and isinstance(value.get(_id_key(value) or ""), str):
        return value, _id_key(value)
    found = definition(document, obj, key)
    if isinstance(value, str) and found is not None and found.get("@type") == "@id" and ":" in value:
        return obj, key
    return None, ""


#: the families that apply to an object's own id (the others would move or reshape the keyword)
ID_FAMILIES = ("compact_id", "prefix_id")

FAMILIES: dict[str, Callable[[dict, dict, str, Names], bool]] = {
    "full_iri": full_iri, "compact_key": compact_key, "alias": alias, "value_object": value_object,
    "array": array, "included": included, "reverse": reverse, "compact_id": compact_id, "prefix_id": prefix_id,
}


def locate(document: dict, path: tuple) -> dict:
    """The JSON object at ``path`` (keys and indexes) of a document."""
    for step in path:
        document = document[step]
    return document


def variants(document: dict, targets: list[tuple[tuple, str]]) -> Iterator[tuple[str, dict]]:
    """Every family applied to every target (an object's path and a key), one rewrite per variant."""
    for path, key in targets:
        try:
            found = locate(document, path)
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(found, dict) or key not in found:
            continue
        for name, family in FAMILIES.items():
            if key in ("id", "@id", "type", "@type") and name not in ID_FAMILIES:
                continue
            variant = copy.deepcopy(document)
            if family(variant, locate(variant, path), key, Names()):
                yield f"{name} {'.'.join(map(str, path)) or '$'}.{key}", variant


def compose(document: dict, plan: list[tuple[tuple, str, str]]) -> dict:
    """Several rewrites on one copy, in order: (object path, key, family); those that do not apply are passed.

    The objects are found before any rewrite, so a rewrite that moves a key elsewhere does not lose the
    next one's object.
    """
    variant = copy.deepcopy(document)
    names = Names()
    located = []
    for path, key, family in plan:
        try:
            located.append((locate(variant, path), key, family))
        except (KeyError, IndexError, TypeError):
            continue
    for obj, key, family in located:
        if key in obj and (key not in ("id", "@id", "type", "@type") or family in ID_FAMILIES):
            FAMILIES[family](variant, obj, key, names)
    return variant

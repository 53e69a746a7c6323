"""JSON Schema validation of mcred's own formats. The only module that imports jsonschema.

Messages are for the person who wrote the file: they say in words what was
expected (a pattern's ``description`` in the schema, "a date as YYYY-MM-DD"),
never a regular expression; an unknown field is reported on its own path with
the nearest known name ("did you mean 'valid_until'?").
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

#: what each JSON type is called in a message
_TYPE_NAMES = {"string": "text", "object": "a mapping of fields", "array": "a list", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


@cache
def _schema(name: str) -> dict:
    return json.loads((resources.files("mcred") / "schemas" / name).read_text(encoding="utf-8"))


@cache
def _validator(name: str, pointer: str = "#") -> jsonschema.protocols.Validator:
    schema = _schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    if pointer != "#":
        # validate against one definition of the schema, keeping its $refs resolvable
        schema = {**schema, "$ref": pointer}
        schema.pop("required", None), schema.pop("properties", None)
        schema.pop("additionalProperties", None), schema.pop("type", None)
    return cls(schema)


def _json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _sort_key(error: jsonschema.ValidationError) -> list:
    # list indexes and field names may meet at one position: compare them as (kind, text)
    return [(0, f"{part:09d}") if isinstance(part, int) else (1, str(part)) for part in error.absolute_path]


@dataclass(frozen=True)
class SchemaProblem:
    """One way an instance breaks a schema: where (a JSON path), what, and a stable code.

    ``code`` is ``SCHEMA_UNKNOWN_FIELD``, ``SCHEMA_MISSING_FIELD`` or ``SCHEMA_INVALID_VALUE``;
    ``parts`` is the path as keys and indexes, and ``prune`` says whether the value there broke
    the schema (rather than its parent missing a field).
    """

    path: str
    message: str
    code: str
    parts: tuple = ()
    prune: bool = True


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a oneOf/anyOf error (a value "in none of the forms"), the error of its alternatives that reaches
    deepest into the instance, when one reaches deeper: the field actually at fault. Other schemas' (the Open
    Badges one: "one value or a list of them" everywhere) would otherwise name only the list around it."""
    if error.validator not in ("oneOf", "anyOf") or not error.context or _needs_a_field(error):
        return error
    leaves, stack = [], list(error.context)
    while stack:
        branch = stack.pop()
        if branch.validator in ("oneOf", "anyOf") and branch.context:
            stack.extend(branch.context)
        else:
            leaves.append(branch)
    deepest = max(leaves, key=lambda leaf: (len(leaf.absolute_path), -leaves.index(leaf)))
    return deepest if len(deepest.absolute_path) > len(error.absolute_path) else error


def schema_problems(instance, name: str, pointer: str = "#", *, deepest: bool = False) -> list[SchemaProblem]:
    """Every way ``instance`` breaks schema ``name`` (or one of its $defs), in the order of their paths.

    ``deepest``: a value in none of a oneOf's forms is reported where its deepest alternative failed
    (see :func:`_deepest`)."""
    problems: list[SchemaProblem] = []
    errors = _validator(name, pointer).iter_errors(instance)
    if deepest:
        errors = (_deepest(error) for error in errors)
    for error in sorted(errors, key=_sort_key):
        parts = tuple(error.absolute_path)
        path = _json_path(parts)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            problems += [SchemaProblem(f"{path}.{key}", message, "SCHEMA_UNKNOWN_FIELD", (*parts, key))
                         for key, message in _unknown_fields(error)]
        elif "propertyNames" in error.schema_path:
            problems.append(SchemaProblem(f"{path}.{error.instance}", f"the key {_shown(error.instance)} is not "
                                          f"{_expected(error)}", "SCHEMA_INVALID_VALUE", (*parts, error.instance)))
        elif error.validator == "required" and isinstance(error.instance, dict):
            # one error per missing field, each named by its own path (its line is its parent's)
            missing = [name for name in error.validator_value if name not in error.instance]
            problems += [SchemaProblem(f"{path}.{name}", "is missing", "SCHEMA_MISSING_FIELD", parts, prune=False)
                         for name in missing if f"{path}.{name}" not in {p.path for p in problems}]
        elif _needs_a_field(error):
            problems.append(SchemaProblem(path, _message(error), "SCHEMA_MISSING_FIELD", parts, prune=False))
        else:
            problems.append(SchemaProblem(path, _message(error), "SCHEMA_INVALID_VALUE", parts))
    return problems


def schema_iter_errors(instance, name: str, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """(JSON path, message) for every way ``instance`` breaks schema ``name`` (or one of its $defs)."""
    for problem in schema_problems(instance, name, pointer):
        yield problem.path, problem.message


def without_problems(instance: Any, problems: list[SchemaProblem]) -> Any:
    """A copy of ``instance`` without the values that broke the schema: what further rules may read.

    A field is removed from its mapping and a list item replaced by ``None`` (so that the
    indexes, and the paths, of the others stay as they are); the whole instance is ``None``
    when it is itself wrong. A field missing from a mapping leaves the mapping in place.
    """
    if any(problem.prune and not problem.parts for problem in problems):
        return None
    kept = copy.deepcopy(instance)
    for problem in problems:
        if not problem.prune:
            continue
        parent = kept
        for part in problem.parts[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = problem.parts[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = None
    return kept


def _needs_a_field(error: jsonschema.ValidationError) -> bool:
    """An anyOf/oneOf of ``required`` alternatives (give vat or eidas_identifier): a missing field, not a bad value."""
    return error.validator in ("anyOf", "oneOf") and all(
        isinstance(branch, dict) and set(branch) == {"required"} for branch in error.validator_value)


def _unknown_fields(error: jsonschema.ValidationError) -> Iterator[tuple[Any, str]]:
    """(field, message) for each unknown field, with the nearest known name."""
    known = list(error.schema.get("properties", {}))
    for key in error.instance:
        if key in known:
            continue
        message = f"unknown field {_shown(key)}"
        close = difflib.get_close_matches(str(key).lower(), known, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        elif known:
            message += f" (the fields here are: {', '.join(known)})"
        yield key, message


def _shown(value) -> str:
    """A value as a message shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(error: jsonschema.ValidationError) -> str:
    """What the schema asks for, in words: its description, else a neutral phrase (never the pattern)."""
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    return described or "in the form expected here"


def _message(error: jsonschema.ValidationError) -> str:
    validator, value, instance = error.validator, error.validator_value, error.instance
    if validator in ("pattern", "format"):
        return f"{_shown(instance)} is not {_expected(error)}"
    if validator in ("oneOf", "anyOf"):
        if _needs_a_field(error):
            names = " or ".join(name for branch in value for name in branch["required"])
            return f"give {names}" + (" (or more than one)" if validator == "anyOf" else " (only one)")
        return f"{_shown(instance)} is not {_expected(error)}"
    if validator == "type":
        wanted = " or ".join(_TYPE_NAMES.get(kind, kind) for kind in ([value] if isinstance(value, str) else value))
        return f"expected {wanted}, not {_shown(instance)}"
    if validator == "const":
        return f"must be {_shown(value)}, not {_shown(instance)}"
    if validator == "enum":
        return f"{_shown(instance)} is not one of: {', '.join(map(str, value))}"
    if validator in ("minLength", "minItems"):
        return "is empty" if value == 1 else f"needs at least {value}"
    if validator == "minProperties":
        fields = list(error.schema.get("properties", {}))
        return f"is empty: give {' and/or '.join(fields)}" if fields else "is empty"
    if validator == "maxProperties" and value == 1:
        return f"give only one of: {', '.join(error.schema.get('properties', {}))}"
    if validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most",
                 "exclusiveMaximum": "less than"}
        return f"{_shown(instance)}: must be {words[validator]} {value}"
    if validator == "uniqueItems":
        return "lists the same value twice"
    return error.message


def schema_errors(instance, name: str) -> list[str]:
    """Every way ``instance`` breaks the bundled schema ``name``, as 'path: message' lines."""
    return [f"{path}: {message}" for path, message in schema_iter_errors(instance, name)]


def third_party_problems(instance, schema: dict, resources: dict[str, dict]) -> list[tuple[str, str]]:
    """(JSON path, message) for every way ``instance`` breaks a published schema that is not mcred's own
    (EUHEMC's), its ``$ref`` URLs served from ``resources`` (URL -> schema) and never fetched: a URL
    missing from it is an error (``referencing`` raises), not a download."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resources(
        (url, Resource.from_contents(body, default_specification=DRAFT202012)) for url, body in resources.items())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, registry=registry)
    return [(_json_path(error.absolute_path), error.message)
            for error in sorted(validator.iter_errors(instance), key=_sort_key)]

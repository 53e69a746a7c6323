"""JSON Schema validation of mcred's own formats. The only module that imports jsonschema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources

import jsonschema


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


def schema_iter_errors(instance, name: str, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """(JSON path, message) for every way ``instance`` breaks schema ``name`` (or one of its $defs)."""
    errors = sorted(_validator(name, pointer).iter_errors(instance), key=lambda e: list(e.path))
    for error in errors:
        yield _json_path(error.absolute_path), _message(error)


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"unknown field ({error.message.split('(')[-1].rstrip(')')})"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message


def schema_errors(instance, name: str) -> list[str]:
    """Every way ``instance`` breaks the bundled schema ``name``, as 'path: message' lines."""
    return [f"{path}: {message}" for path, message in schema_iter_errors(instance, name)]

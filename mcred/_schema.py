"""JSON Schema validation of mcred's own formats. The only module that imports jsonschema."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((resources.files("mcred") / "schemas" / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(instance, name: str) -> list[str]:
    """Every way ``instance`` breaks the bundled schema ``name``, as 'path: message' lines."""
    errors = sorted(_validator(name).iter_errors(instance), key=lambda e: list(e.path))
    return [f"${''.join(f'[{p!r}]' for p in e.path)}: {e.message}" for e in errors]

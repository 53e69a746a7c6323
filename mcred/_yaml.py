"""YAML as mcred reads it: plain data, parsed once, with the line of every value.

Every YAML file mcred reads (outcome files, pathway files, trust files, an
issuer file) goes through :func:`parse`, so every one gets the same safety:

* **no aliases** (``*name``): an alias repeats a node, and nine lines of aliases
  of aliases (a "billion laughs") expand to a billion values and gigabytes of
  memory. mcred's files never need one, so the first alias is refused, before
  anything is expanded, and the answer comes at once whatever the file;
* no field given twice in one mapping (YAML keeps only the last one, silently);
* YAML 1.1's surprises turned off: dates stay strings, and so do ``yes``/``no``/
  ``on``/``off`` (otherwise ``country: NO``, Norway, would read as ``false``);
* errors that name the line, never a Python traceback: a syntax error, nesting too
  deep for the parser, a number with more digits than Python converts.

The only module that parses YAML (``mcred.verify.trust`` also writes it).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import yaml

from .errors import InputError

#: the most digits a whole number may have (Python refuses to read more than 4,300; mcred's need a few)
MAX_INT_DIGITS = 100
#: the hint of every YAML error
HINT = "fix the line named (YAML: https://yaml.org/spec/1.2.2/); mcred's files need no anchors, aliases or tags"


class YamlError(InputError):
    """A YAML file mcred cannot read; ``line`` (1-based) says where, ``detail`` what, without the line."""

    code = "YAML_INVALID"

    def __init__(self, detail: str, *, file: str, line: int | None = None, code: str | None = None) -> None:
        super().__init__(f"line {line}: {detail}" if line else detail, file=file, code=code, hint=HINT,
                         params={"detail": detail, "line": line})
        self.line = line
        self.detail = detail


class _AliasRefused(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("anchors and aliases are not allowed")
        self.problem_mark = mark


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicated keys, dates or yes/no booleans."""

    def compose_node(self, parent, index):
        # refused when the alias is met: nothing has been repeated yet, so the answer is immediate
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # SafeLoader itself refuses it
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the field {key!r} is given twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


    def construct_yaml_int(self, node):
        # counted before int() is called: a long number is refused with its line, not a Python limit
        digits = sum(char.isdigit() for char in node.value)
        if digits > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(None, None, f"a number of {digits:,} digits (mcred reads whole "
                                                    f"numbers of up to {MAX_INT_DIGITS} digits)", node.start_mark)
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def parse(text: str, *, file: str) -> tuple[Any, dict[str, int]]:
    """The data of a YAML (or JSON) text and the 1-based line of each JSON path in it (``$.a.b[0]``).

    Raises :class:`YamlError`: code ``YAML_ALIAS_REFUSED`` for an alias,
    ``YAML_INVALID`` for anything else that is not plain YAML data.
    """
    loader = None
    try:
        loader = _StrictLoader(text)  # the reader refuses control characters here, at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _AliasRefused as exc:
        raise YamlError("anchors and aliases are not allowed in mcred's files (an alias, *name, repeats "
                        "another value: write the value out in full)", file=file,
                        line=exc.problem_mark.line + 1, code="YAML_ALIAS_REFUSED") from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(f"not valid YAML: a control character (#x{exc.character:04x}) that YAML does not allow",
                        file=file, line=text.count("\n", 0, exc.position) + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        raise YamlError(f"not valid YAML: {detail}", file=file, line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise YamlError("not valid YAML: nested too deeply", file=file) from None
    except ValueError as exc:
        # int() refuses numbers of more than 4,300 digits
        raise YamlError(f"a value cannot be read: {exc}", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, (yaml_lines(node) if node is not None else {})


def yaml_lines(node: yaml.Node, path: str = "$", out: dict | None = None, line: int | None = None) -> dict[str, int]:
    """Map each JSON path in a YAML node tree to its 1-based line: a field's is the line of its key."""
    out = {} if out is None else out
    out[path] = line or node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yaml_lines(value, f"{path}.{key.value}", out, key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yaml_lines(value, f"{path}[{index}]", out)
    return out


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of a JSON path, or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None

"""Text from a credential made safe for a terminal: no control sequence, no BiDi override reaches it.

A credential is written by whoever issued it (or forged by whoever holds it), and
what mcred prints quotes it: titles, names, messages that name values, error
messages. A string holding an escape sequence could repaint the terminal (a green
"VERIFIED" over a failed check), a carriage return could overwrite a line, and a
BiDi override (U+202E) could reverse what follows. Before anything reaches a
terminal, each such character is shown as an escape (``\\x1b``, ``\\u202e``), so
it is visible and inert; in JSON output it is written as a JSON escape.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional controls: the marks
# (U+061C, U+200E, U+200F), embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# what JSON leaves raw among those: C0 controls are always escaped by json.dumps; the line and paragraph
# separators (U+2028, U+2029) break lines in some terminals and editors
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character and BiDi control written as a visible escape."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters it leaves raw written as JSON escapes."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def deep_safe(value: Any) -> Any:
    """A copy of a report, view or plan (dicts, lists, tuples, dataclasses) whose strings are terminal-safe."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, Mapping):
        return {deep_safe(key): deep_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(deep_safe(item) for item in value) if not hasattr(value, "_fields") else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: deep_safe(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value

"""Dates and times as credentials write them: XML Schema ``dateTime``, read and written one way everywhere."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})?$"
)


def parse_datetime(value: Any) -> datetime | None:
    """An XML Schema date-time as an aware datetime (UTC when it has no offset), else None.

    Parsed by hand rather than with ``fromisoformat`` so that every supported
    Python accepts the same strings (fractions of any length, ``Z``).
    """
    match = _ISO_DATETIME.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                          int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
    except ValueError:
        return None
    if offset and offset not in ("Z", "z"):
        sign = 1 if offset[0] == "+" else -1
        parsed -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return parsed


def xsd_datetime(when: datetime) -> str:
    """A time as an XML Schema dateTime in UTC with whole seconds, e.g. 2026-01-31T12:00:00Z."""
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def now_timestamp() -> str:
    """The current UTC time as an XML Schema dateTime with seconds, e.g. 2026-01-31T12:00:00Z."""
    return xsd_datetime(datetime.now(timezone.utc))

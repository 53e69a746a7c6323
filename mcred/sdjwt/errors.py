"""The one error of :mod:`mcred.sdjwt`: a problem code, the path it is at, and the message's parameters."""

from __future__ import annotations

from typing import Any


class SdJwtError(Exception):
    """An SD-JWT that breaks a rule; ``code`` is an ``SDJWT_*`` problem code (see docs/verify.md)."""

    def __init__(self, code: str, path: str = "$", **params: Any) -> None:
        self.code, self.path, self.params = code, path, params
        super().__init__(code)

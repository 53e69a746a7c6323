"""What ``mcred serve`` is started with: the signing key (loaded once), the token, the limits, the options.

The key is read at start-up and kept in memory; it is never returned by an endpoint or written to a
log (``ServeConfig``'s repr names only the key's DID). Any host but the loopback interface needs a
token, compared in constant time (:func:`token_matches`).
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcred.report import VerifyOptions

from .problems import ServeProblem

#: a request body over this many bytes is refused (413) before it is read further
MAX_BODY_BYTES = 1024 * 1024
#: a request that takes longer is answered 503 (its work is abandoned: mcred's limits bound it anyway)
REQUEST_SECONDS = 30.0
#: the shortest token accepted: 32 characters of secrets.token_urlsafe carry 192 bits
MIN_TOKEN_CHARS = 32


@dataclass(frozen=True)
class ServeConfig:
    """Everything an app made by :func:`mcred.serve.app.create_app` uses; made once, at start-up."""

    #: the issuer's signing key (mcred.keys.ecdsa.AnySigningKey); None: /credentials/issue answers 501
    key: Any = field(default=None, repr=False)
    suite: str = "eddsa-rdfc-2022"
    #: set the issuer to the key's DID before signing (as `mcred sign --issuer-from-key`)
    issuer_from_key: bool = False
    #: the issuer's status lists (LIST.json, with its .alloc sidecar), at most one per purpose
    status_lists: tuple[Path, ...] = ()
    verify_options: VerifyOptions = field(default_factory=VerifyOptions)
    #: the bearer token; None on the loopback interface without --token-file
    token: str | None = field(default=None, repr=False)
    max_body_bytes: int = MAX_BODY_BYTES
    request_seconds: float = REQUEST_SECONDS

    @property
    def issuer(self) -> str | None:
        return self.key.did if self.key is not None else None


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost are this machine only; everything else (0.0.0.0 included) is not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond the loopback interface without a token (a usage error, exit 2)."""
    if token is None and not is_loopback(host):
        raise ServeProblem(400, "SERVE_BIND_NOT_LOOPBACK", f"the host {host} is not the loopback interface: "
                           "a token is required", hint="give --token-file with a token of at least "
                           f"{MIN_TOKEN_CHARS} characters (clients send Authorization: Bearer TOKEN)",
                           params={"host": host})


def read_token(path: Path) -> str:
    """The token in a file (its first line, stripped); refused when missing, short or not printable ASCII."""
    from mcred._files import read_input

    def refuse(detail: str) -> ServeProblem:
        return ServeProblem(400, "SERVE_TOKEN_INVALID", f"the token file cannot be used: {detail}", file=str(path),
                            hint="write a random token of at least 32 characters in it, e.g. python -c "
                            "'import secrets; print(secrets.token_urlsafe(32))' > FILE; chmod 600 FILE",
                            params={"detail": detail})

    lines = read_input(path, what="the token file", limit=4096).decode("ascii", "replace").splitlines()
    token = lines[0].strip() if lines else ""
    if len(token) < MIN_TOKEN_CHARS:
        raise refuse(f"the token is shorter than {MIN_TOKEN_CHARS} characters")
    if not token.isascii() or not token.isprintable() or " " in token:
        raise refuse("the token is not printable ASCII without spaces")
    return token


def token_matches(expected: str, authorization: str | None) -> bool:
    """Whether an ``Authorization`` header carries the token, compared in constant time."""
    if not authorization or not authorization.startswith("Bearer "):
        return False
    given = authorization[len("Bearer "):].strip().encode("utf-8", "replace")
    return hmac.compare_digest(given, expected.encode("ascii"))

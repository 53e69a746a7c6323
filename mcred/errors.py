"""Errors mcred raises, each with a hint that says what to do next.

Only the CLI turns these into exit codes; library callers catch them. Every
message names the file and, where there is one, the JSON path. No message ever
contains key material.
"""

from __future__ import annotations


class McredError(Exception):
    """Base class of every error mcred raises on purpose."""

    #: the CLI's exit code for this kind of error (see ``mcred.cli.app.ExitCode``)
    exit_code = 4
    #: a stable, machine-readable problem code
    code = "INTERNAL"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str | None = None,
        file: str | None = None,
        code: str | None = None,
        params: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.file = file
        #: the values the message was made from, for messages in other languages
        self.params = dict(params or {})
        if code is not None:
            self.code = code

    def diagnostics(self) -> str:
        """The message for a person: where, what, and what to do next."""
        where = ": ".join(part for part in (self.file, self.path) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.diagnostics()


class UsageError(McredError):
    """The command was called in a way that cannot work (exit 2)."""

    exit_code = 2
    code = "USAGE"


class InputError(McredError):
    """An input cannot be used: unreadable, malformed, or unsafe to sign (exit 3)."""

    exit_code = 3
    code = "INPUT_UNUSABLE"


class UnknownContextError(InputError):
    """A JSON-LD context URL that mcred does not bundle; nothing is ever fetched."""

    code = "CONTEXT_UNKNOWN"

    def __init__(self, url: str, **kwargs) -> None:
        kwargs.setdefault(
            "hint",
            "mcred works offline and only knows the contexts listed by `mcred contexts`",
        )
        kwargs.setdefault("params", {"url": url})
        super().__init__(f"unknown JSON-LD context {url!r}", **kwargs)
        self.url = url


class UnsafeJsonLdError(InputError):
    """JSON-LD processing would silently drop or reinterpret part of the document.

    Raised for terms no context defines and for relative IRIs: a signature over
    the canonical RDF would not cover them, so what is signed would differ from
    what a person reads.
    """

    code = "JSONLD_UNSAFE"

    def __init__(self, message: str, problems: list[tuple[str, str, str, str]], **kwargs) -> None:
        super().__init__(message, **kwargs)
        #: (code, JSON path, detail, the term or IRI at fault) for each problem found
        self.problems = problems
        #: the expanded form, leaving out what is refused (set by mcred.jsonld.process.expand_safely)
        self.expanded: list | None = None


class KeyFileError(InputError):
    """A key file that cannot be read, decrypted or understood."""

    code = "KEY_FILE_UNUSABLE"


class OutputExistsError(UsageError):
    """An output file exists and ``--force`` was not given."""

    code = "OUTPUT_EXISTS"


class SigningError(InputError):
    """The document cannot be signed as it is (for example, the issuer is not the key's DID)."""

    code = "SIGNING_REFUSED"


class TrustValueError(UsageError, ValueError):
    """A value that cannot be part of a trust list; ``path`` names the field (relative)."""

    code = "TRUST_VALUE_INVALID"

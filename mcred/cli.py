"""The ``mcred`` command line: parse options, call the library, render, return an exit code.

No JSON-LD, cryptography or schema logic lives here.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum, IntEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import InputError, McredError, UsageError


class ExitCode(IntEnum):
    """The exit-code contract (README, "Exit codes")."""

    OK = 0            # verified / done
    INVALID = 1       # checked, and the answer is no
    USAGE = 2         # the command was called wrongly
    UNUSABLE = 3      # an input cannot be used (unreadable, malformed, unknown context, bad key)
    INTERNAL = 4      # a bug in mcred


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class Suite(str, Enum):
    rdfc = "eddsa-rdfc-2022"
    jcs = "eddsa-jcs-2022"


app = typer.Typer(
    name="mcred",
    help="Offline European micro-credentials: build, sign, verify and stack W3C Verifiable "
    "Credentials with Ed25519 Data Integrity proofs. Nothing is ever fetched from the network.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
)

# emoji=False: rich would otherwise turn "did:key:" into a key emoji.
_stderr = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def _fail(error: McredError) -> typer.Exit:
    _stderr.print(f"[bold red]error[/]: {_escape(error.diagnostics())}")
    return typer.Exit(error.exit_code)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _run(action):
    """Run a command body, mapping mcred errors and bugs to the exit-code contract."""
    try:
        return action()
    except McredError as error:
        raise _fail(error) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # a bug: say so, without a traceback that could hold secrets
        if os.environ.get("MCRED_DEBUG"):
            raise
        where = _innermost_frame(error)
        _stderr.print(f"[bold red]internal error[/]: {type(error).__name__} at {where}. "
                      "This is a bug in mcred; rerun with MCRED_DEBUG=1 to see the traceback.")
        raise typer.Exit(ExitCode.INTERNAL) from None


def _innermost_frame(error: BaseException) -> str:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def _read_json(path: Path) -> dict:
    from .limits import MAX_INPUT_BYTES

    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:  # bounded: /dev/zero must not exhaust memory
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(path),
                         code="FILE_UNREADABLE") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"the file is larger than {MAX_INPUT_BYTES} bytes", file=str(path),
                         code="FILE_TOO_LARGE")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(
            exc, json.JSONDecodeError) else ""
        raise InputError(f"malformed JSON{where}", file=str(path), code="JSON_MALFORMED") from None


def _write_output(out: Path, text: str, force: bool) -> None:
    from ._files import write_new_file

    if str(out) == "-":
        sys.stdout.write(text)
        return
    write_new_file(out, text.encode("utf-8"), force=force)


PassphraseEnv = Annotated[
    str | None,
    typer.Option("--passphrase-env", metavar="VAR",
                 help="Name of an environment variable that holds the key's passphrase "
                 "(never pass a passphrase on the command line)."),
]


@app.command()
def keygen(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the private key "
                                      "(PKCS#8 PEM, mode 0600).")],
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing key file.")] = False,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Create an Ed25519 signing key and print its did:key and verification method."""

    def action():
        from .keys import SigningKey, passphrase_from_env, save_signing_key

        passphrase = passphrase_from_env(passphrase_env)
        key = SigningKey.generate()
        save_signing_key(key, out, passphrase=passphrase, force=force)
        _print_key(key, out, encrypted=passphrase is not None, output_format=output_format)

    _run(action)


def _print_key(key, path: Path, *, encrypted: bool, output_format: OutputFormat) -> None:
    info = {
        "file": str(path),
        "encrypted": encrypted,
        "did": key.did,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key.multibase,
    }
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(info))
        return
    typer.echo(f"wrote {path} (Ed25519, PKCS#8 PEM{', encrypted' if encrypted else ''}, mode 0600)")
    typer.echo(f"did:                 {key.did}")
    typer.echo(f"verificationMethod:  {key.verification_method}")
    typer.echo(f"publicKeyMultibase:  {key.public_key.multibase}")


@app.command("key-info")
def key_info(
    key_file: Annotated[Path, typer.Argument(metavar="KEY", help="A key file (PEM, hex seed or "
                                             "Multikey JSON).")],
    passphrase_env: PassphraseEnv = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Print the did:key and verification method of a key file (never the secret)."""

    def action():
        from .keys import load_signing_key, passphrase_from_env

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        info = {"file": str(key_file), "did": key.did,
                "verificationMethod": key.verification_method,
                "publicKeyMultibase": key.public_key.multibase}
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(info))
        else:
            for name, value in info.items():
                typer.echo(f"{name + ':':<20} {value}")

    _run(action)


@app.command(help=(
    "Add a Data Integrity proof to a JSON-LD credential whose contexts are bundled.\n\n"
    "The issuer must be the key's DID (see --issuer-from-key). With eddsa-rdfc-2022 a "
    "credential with a term no context defines, or a relative IRI, is refused (exit 3), "
    "because the signature would not cover it. A credential that already has proofs gets "
    "one more (a proof set)."))
def sign(
    input_file: Annotated[Path, typer.Argument(metavar="IN.json", help="The unsigned credential "
                                               "(JSON-LD); - reads standard input.")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="KEY",
                                           help="Signing key: PKCS#8 PEM, 32-byte hex seed, or "
                                           "Multikey JSON.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="OUT.json",
                                      help="Where to write the signed credential; - for "
                                      "standard output.")],
    suite: Annotated[Suite, typer.Option(help="Cryptosuite of the proof.")] = Suite.rdfc,
    created: Annotated[str | None, typer.Option(metavar="ISO-8601",
                                                   help="The proof's created time (default: "
                                                   "now, UTC).")] = None,
    issuer_from_key: Annotated[bool, typer.Option(
        "--issuer-from-key", help="Set issuer (or issuer.id) to the key's DID before signing.")
    ] = False,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite OUT.json if it exists.")] = False,
) -> None:

    def action():
        from .keys import load_signing_key, passphrase_from_env
        from .signing import sign_credential

        if str(out) != "-" and out.exists() and not force:
            raise UsageError("the output file already exists", file=str(out),
                             hint="pass --force to replace it")
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        document = _read_json(input_file)
        signed = sign_credential(document, key, suite=suite.value, created=created,
                                 issuer_from_key=issuer_from_key, file=str(input_file))
        _write_output(out, json.dumps(signed, indent=2, ensure_ascii=False) + "\n", force)
        if str(out) != "-":
            _stderr.print(f"signed {input_file} -> {out} ({suite.value}, {key.verification_method})",
                          highlight=False, markup=False)

    _run(action)


@app.command(help=(
    "Verify credentials offline and explain every check.\n\n"
    "Checks, in order: json, contexts, jsonld, proof (each), issuer, validity. "
    "Exit 0 when every file verified, 1 when one is not valid, 3 when one could not be "
    "used at all (unreadable, malformed JSON, unknown context)."))
def verify(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Credential files to "
                                                "verify.")],
    now: Annotated[str | None, typer.Option(metavar="ISO-8601", help="Check validity dates "
                                               "at this time instead of the current time.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a table for people; json: one JSON object per file "
        "(JSON Lines).")] = OutputFormat.text,
) -> None:

    def action():
        from .verify import parse_datetime, verify_file

        when = None
        if now is not None:
            when = parse_datetime(now)
            if when is None:
                raise UsageError(f"--now {now!r} is not an ISO 8601 date-time",
                                 hint="e.g. --now 2026-01-31T12:00:00Z")
        console = Console(highlight=False, emoji=False)
        worst = ExitCode.OK
        for path in files:
            report = verify_file(path, now=when)
            if output_format is OutputFormat.json:
                typer.echo(_report_json(report))
            else:
                from .render import print_report

                print_report(report, console)
            worst = max(worst, ExitCode(report.exit_code))
        raise typer.Exit(worst)

    _run(action)


def _report_json(report) -> str:
    from .render import report_json

    return report_json(report)


@app.command()
def contexts(
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """List the JSON-LD contexts mcred bundles (the only ones it will ever load)."""

    def action():
        from .bundled import context_bytes, context_index

        rows = []
        for entry in context_index().values():
            context_bytes(entry.url)  # checks the pinned digest
            rows.append({"url": entry.url, "file": entry.file, "sha256": entry.sha256})
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(rows, indent=2))
            return
        for row in rows:
            typer.echo(f"{row['url']}\n    {row['file']}  sha256:{row['sha256']}")

    _run(action)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

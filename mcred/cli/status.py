"""``mcred status``: create, change and inspect an issuer's status lists (offline revocation).

Parse options, call :mod:`mcred.issue.status_lists`, print, return an exit code; the rules (file
formats, the allocation sidecar, the ELM trade-off) live in the library. Errors follow
the exit-code contract of :func:`mcred.cli.common.run` (2 usage, 3 unusable input).
"""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import OutputFormat, PassphraseEnv, echo, echo_json, run, say

status_app = typer.Typer(
    name="status",
    help="Status lists (W3C Bitstring Status List): revoke or suspend credentials you issued, offline. "
    "`init` creates a signed empty list; `revoke`, `suspend`, `reinstate` change it and re-sign it; "
    "`show` prints what it says and whether its signature holds.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
)


class Purpose(str, Enum):
    revocation = "revocation"
    suspension = "suspension"


#: how many set indexes the text report lists
TEXT_CAP = 50


ListFile = Annotated[Path, typer.Argument(metavar="LIST.json", help="The status list file.")]
KeyFile = Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's signing key "
                                       "(the list's issuer).")]
Indexes = Annotated[list[int], typer.Argument(metavar="INDEX...", min=0, help="Indexes in the list "
                                              "(status_index in the issuing manifest).")]


@status_app.command(help=(
    "Create a signed, empty status list and its private allocation file LIST.json.alloc.\n\n"
    "The issuer is the key's did:key. Publish LIST.json (and each new version of it); never "
    "publish LIST.json.alloc, which records the indexes handed out. An existing list is never "
    "overwritten."))
def init(
    list_file: ListFile,
    key_file: KeyFile,
    list_id: Annotated[str, typer.Option("--id", metavar="URL_OR_URN", help="The list's id, where verifiers "
                                         "can get it (https://...) or a URN; credentials refer to "
                                         "<id>#<index>.")],
    purpose: Annotated[Purpose, typer.Option(help="revocation (final) or suspension (can be "
                                             "reinstated).")] = Purpose.revocation,
    size: Annotated[int, typer.Option(metavar="N", help="Entries (a multiple of 8, at least 131072).")
                    ] = 131_072,
    passphrase_env: PassphraseEnv = None,
) -> None:
    def action():
        from mcred.issue.status_lists import alloc_path, init_status_list
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        init_status_list(list_file, key, list_id, purpose=purpose.value, size=size)
        say(f"created {list_file}: {purpose.value} list {list_id}, {size} entries, issuer {key.did}; "
             f"indexes are recorded in {alloc_path(list_file)} (keep it, never publish it)")

    run(action)


@status_app.command(help="Revoke credentials: set their bits in a revocation list and re-sign it. "
                    "Revocation is final.")
def revoke(list_file: ListFile, indexes: Indexes, key_file: KeyFile, passphrase_env: PassphraseEnv = None) -> None:
    _update("revoke", list_file, indexes, key_file, passphrase_env)


@status_app.command(help="Suspend credentials: set their bits in a suspension list and re-sign it.")
def suspend(list_file: ListFile, indexes: Indexes, key_file: KeyFile, passphrase_env: PassphraseEnv = None) -> None:
    _update("suspend", list_file, indexes, key_file, passphrase_env)


@status_app.command(help="Lift suspensions: clear bits in a suspension list and re-sign it.")
def reinstate(list_file: ListFile, indexes: Indexes, key_file: KeyFile,
              passphrase_env: PassphraseEnv = None) -> None:
    _update("reinstate", list_file, indexes, key_file, passphrase_env)


_DONE = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}
_ALREADY = {"revoke": "already revoked", "suspend": "already suspended", "reinstate": "not suspended"}


def _update(verb: str, list_file: Path, indexes: list[int], key_file: Path, passphrase_env: str | None) -> None:
    def action():
        from mcred.issue.status_lists import update_status_list
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        result = update_status_list(list_file, key, indexes, verb)
        if result.changed:
            say(f"{_DONE[verb]} {_join(result.changed)} in {list_file}; re-signed, validFrom "
                 f"{result.document['validFrom']}: publish the new list")
        if result.unchanged:
            say(f"{_ALREADY[verb]}: {_join(result.unchanged)}"
                 + ("" if result.changed else f" ({list_file} is unchanged)"))

    run(action)


@status_app.command(help=(
    "Show a status list: id, issuer, purpose, size, the indexes that are set, and whether its "
    "signature verifies. Exit 0 when it verifies, 1 when it does not, 3 when the file is not a "
    "status list."))
def show(
    list_file: ListFile,
    index: Annotated[int | None, typer.Option(metavar="N", min=0, help="Also say whether index N is set.")
                     ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    def action():
        from mcred.issue.status_lists import describe_status_list

        from .common import ExitCode

        info = describe_status_list(list_file, index=index)
        if output_format is OutputFormat.json:
            echo_json(info)
        else:
            _print_list(info)
        raise typer.Exit(ExitCode.OK if info["verified"] else ExitCode.INVALID)

    run(action)


def _print_list(info: dict) -> None:
    state = "verified" if info["verified"] else f"NOT VALID: {info['problem']}"
    shown = info["set"][:TEXT_CAP]
    more = info["set_count"] - len(shown)
    rows = [
        ("status list", f"{info['id']}  ({info['file']})"),
        ("signature", state),
        ("issuer", info["issuer"]),
        ("purpose", info["purpose"]),
        ("validFrom", info["valid_from"]),
        ("size", f"{info['size']} entries"),
        ("set", f"{info['set_count']}" + (f": {_join(shown)}" if shown else "") + (f" and {more} more" if more > 0
                                                                                 else "")),
    ]
    if info["allocated"] is not None:
        rows.append(("allocated", f"{info['allocated']} of {info['size']}"))
    if "index" in info:
        word = {"revocation": "revoked", "suspension": "suspended"}.get(info["purpose"], "set")
        rows.append((f"index {info['index']['index']}", word if info["index"]["set"] else "not set"))
    for name, value in rows:
        echo(f"{name:<12} {value}")


def _join(indexes: list[int]) -> str:
    return ", ".join(map(str, indexes))

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
    help="Status lists (W3C Bitstring Status List, or IETF Token Status List with --format token-status-list): "
    "revoke or suspend credentials you issued, offline. "
    "`init` creates a signed empty list; `revoke`, `suspend`, `reinstate` change it and re-sign it; "
    "`show` prints what it says and whether its signature holds.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
)


class ListFormat(str, Enum):
    bitstring = "bitstring"
    token_status_list = "token-status-list"


class Purpose(str, Enum):
    revocation = "revocation"
    suspension = "suspension"


#: how many set indexes the text report lists
TEXT_CAP = 50


ListFile = Annotated[Path, typer.Argument(metavar="LIST.json", help="The status list file.")]
KeyFile = Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's signing key "
                                       "(the list's issuer).")]
Targets = Annotated[list[str] | None, typer.Argument(
    metavar="TARGET...", help="What to change: an index (status_index in the issuing manifest), a range "
    "(100-120), a credential file, or a credential id (urn:uuid:..., with --manifest).", show_default=False)]
Learners = Annotated[list[str] | None, typer.Option(
    "--learner", metavar="CF", help="A learner's credentials, by codice fiscale (with --manifest); repeatable.",
    show_default=False)]
Rows = Annotated[list[int] | None, typer.Option(
    "--row", metavar="N", min=1, help="The credential of roster row N (with --manifest); repeatable.",
    show_default=False)]
ManifestFile = Annotated[Path | None, typer.Option(
    "--manifest", metavar="DIR/manifest.json", help="The manifest `mcred issue --out-dir` wrote: to find "
    "credentials by id, learner or row, and to name them.")]


@status_app.command(help=(
    "Create a signed, empty status list and its private allocation file LIST.alloc.\n\n"
    "Bitstring (the default): LIST.json, a W3C BitstringStatusListCredential issued by the key's did:key. "
    "--format token-status-list: an IETF Status List Token (a JWT, typ statuslist+jwt, signed ES256 with a "
    "P-256 key, with its certificate chain in x5c when --cert is given); one list revokes (1) and, with "
    "--bits 2 or more, suspends (2). Publish the list (and each new version of it); never publish "
    "LIST.alloc, which records the indexes handed out. An existing list is never overwritten."))
def init(
    list_file: ListFile,
    key_file: KeyFile,
    list_id: Annotated[str, typer.Option("--id", "--uri", metavar="URL_OR_URN", help="The list's id (a Token "
                                         "Status List's uri, its sub), where verifiers can get it (https://...) "
                                         "or a URN; credentials refer to it with the index.")],
    list_format: Annotated[ListFormat, typer.Option("--format", help="bitstring (W3C) or token-status-list "
                                                    "(IETF, for SD-JWT VC).")] = ListFormat.bitstring,
    purpose: Annotated[Purpose, typer.Option(help="revocation (final) or suspension (can be "
                                             "reinstated); Bitstring lists only.")] = Purpose.revocation,
    size: Annotated[int, typer.Option(metavar="N", help="Entries (Bitstring: a multiple of 8, at least 131072; "
                                      "Token Status List: 1024 to 16777216).")] = 131_072,
    bits: Annotated[int | None, typer.Option(metavar="1|2|4|8", help="Token Status List: bits per status "
                                             "(2 allows suspension).")] = None,
    cert: Annotated[Path | None, typer.Option("--cert", metavar="CHAIN.pem", help="Token Status List: the "
                                              "key's certificate, then its CA certificates (written as x5c).")
                    ] = None,
    ttl: Annotated[int | None, typer.Option(metavar="SECONDS", min=1, help="Token Status List: how long "
                                            "verifiers may keep a copy (the ttl claim).")] = None,
    expires_after: Annotated[int | None, typer.Option(metavar="SECONDS", min=1, help="Token Status List: exp "
                                                      "= each signing time + SECONDS.")] = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    def action():
        from mcred.errors import UsageError
        from mcred.issue.status_lists import alloc_path, init_status_list

        if list_format is ListFormat.token_status_list:
            _init_token(list_file, key_file, list_id, purpose, size, bits, cert, ttl, expires_after, passphrase_env)
            return
        if bits is not None or cert is not None or ttl is not None or expires_after is not None:
            raise UsageError("--bits, --cert, --ttl and --expires-after are for --format token-status-list")
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        init_status_list(list_file, key, list_id, purpose=purpose.value, size=size)
        say(f"created {list_file}: {purpose.value} list {list_id}, {size} entries, issuer {key.did}; "
             f"indexes are recorded in {alloc_path(list_file)} (keep it, never publish it)")

    run(action)


def _init_token(list_file: Path, key_file: Path, uri: str, purpose: Purpose, size: int, bits: int | None,
                cert: Path | None, ttl: int | None, expires_after: int | None, passphrase_env: str | None) -> None:
    from mcred.errors import UsageError
    from mcred.issue.status_lists import alloc_path
    from mcred.issue.token_status_lists import init_token_status_list
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env

    if purpose is not Purpose.revocation:
        raise UsageError("--purpose is for Bitstring lists: a Token Status List revokes (1) and, with --bits 2 or "
                         "more, suspends (2) in one list")
    bits = 2 if bits is None else bits
    key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
    init_token_status_list(list_file, key, uri, size=size, bits=bits, cert_chain=cert, ttl=ttl,
                           lifetime=expires_after)
    say(f"created {list_file}: Token Status List {uri}, {size} entries of {bits} bits, signed ES256"
        f"{' with x5c' if cert else ''}; indexes are recorded in {alloc_path(list_file)} (keep it, never publish it)")


@status_app.command(help="Revoke credentials: set their bits in a revocation list and re-sign it. "
                    "Revocation is final. Name them by index, range, credential file or id, --learner or --row.")
def revoke(list_file: ListFile, key_file: KeyFile, targets: Targets = None, learner: Learners = None,
           row: Rows = None, manifest: ManifestFile = None, passphrase_env: PassphraseEnv = None) -> None:
    _update("revoke", list_file, targets, learner, row, manifest, key_file, passphrase_env)


@status_app.command(help="Suspend credentials: set their bits in a suspension list and re-sign it. "
                    "Name them by index, range, credential file or id, --learner or --row.")
def suspend(list_file: ListFile, key_file: KeyFile, targets: Targets = None, learner: Learners = None,
            row: Rows = None, manifest: ManifestFile = None, passphrase_env: PassphraseEnv = None) -> None:
    _update("suspend", list_file, targets, learner, row, manifest, key_file, passphrase_env)


@status_app.command(help="Lift suspensions: clear bits in a suspension list and re-sign it. "
                    "Name them by index, range, credential file or id, --learner or --row.")
def reinstate(list_file: ListFile, key_file: KeyFile, targets: Targets = None, learner: Learners = None,
              row: Rows = None, manifest: ManifestFile = None, passphrase_env: PassphraseEnv = None) -> None:
    _update("reinstate", list_file, targets, learner, row, manifest, key_file, passphrase_env)


_DONE = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}
_ALREADY = {"revoke": "already revoked", "suspend": "already suspended", "reinstate": "not suspended"}


def _update(verb: str, list_file: Path, targets: list[str] | None, learners: list[str] | None,
            rows: list[int] | None, manifest_file: Path | None, key_file: Path, passphrase_env: str | None) -> None:
    def action():
        from mcred.issue.status_lists import update_status_list
        from mcred.issue.status_targets import resolve_targets
        from mcred.issue.token_status_lists import is_token_status_list
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

        if is_token_status_list(list_file):
            _update_token(verb, list_file, targets, learners, rows, manifest_file, key_file, passphrase_env)
            return
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        found = resolve_targets(list_file, targets or [], learners=learners or [], rows=rows or [],
                                manifest=_manifest(manifest_file), manifest_file=_name(manifest_file), issuer=key.did)
        labels = {target.index: target.label for target in found}
        result = update_status_list(list_file, key, list(labels), verb)
        _say_update(verb, list_file, result, labels, "validFrom")

    run(action)


def _update_token(verb: str, list_file: Path, targets: list[str] | None, learners: list[str] | None,
                  rows: list[int] | None, manifest_file: Path | None, key_file: Path,
                  passphrase_env: str | None) -> None:
    """The same command for a Token Status List: an ES256 key, the same targets (credential files are SD-JWT VCs)."""
    from types import SimpleNamespace

    from mcred.issue.status_targets import resolve_targets
    from mcred.issue.token_status_lists import read_own_token, update_token_status_list
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env

    key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
    token = read_own_token(list_file, key)
    found = resolve_targets(list_file, targets or [], learners=learners or [], rows=rows or [],
                            manifest=_manifest(manifest_file), manifest_file=_name(manifest_file),
                            status_list=SimpleNamespace(id=token.uri, size=token.size), issuer_key=key)
    labels = {target.index: target.label for target in found}
    result = update_token_status_list(list_file, key, list(labels), verb)
    _say_update(verb, list_file, result, labels, "iat")


def _say_update(verb: str, list_file: Path, result, labels: dict[int, str], signed_at: str) -> None:
    """What an update did to a list of either kind: the indexes it changed (and the list's new signing time, its
    field ``signed_at``: validFrom, or a Token Status List's iat), and those already so."""
    if result.changed:
        say(f"{_DONE[verb]} {_named(result.changed, labels)} in {list_file}; re-signed, {signed_at} "
            f"{result.document[signed_at]}: publish the new list")
    if result.unchanged:
        say(f"{_ALREADY[verb]}: {_named(result.unchanged, labels)}"
            + ("" if result.changed else f" ({list_file} is unchanged)"))


def _manifest(path: Path | None):
    if path is None:
        return None
    from mcred.issue.manifest import read_manifest

    return read_manifest(path)


def _name(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _named(indexes: list[int], labels: dict[int, str]) -> str:
    """``48213 (row 2 (Rossi Giulia), rossi-giulia-1a2b3c4d.json)``, or the bare index when it was given as one."""
    return ", ".join(str(i) if labels.get(i, str(i)) == str(i) else f"{i} ({labels[i]})" for i in indexes)


@status_app.command(help=(
    "Show a status list: id, issuer, purpose, size, the indexes that are set, and whether its "
    "signature verifies. --list lists every revoked or suspended index, one a line, with the learner "
    "and the credential file when --manifest is given. Exit 0 when it verifies, 1 when it does not, "
    "3 when the file is not a status list."))
def show(
    list_file: ListFile,
    index: Annotated[int | None, typer.Option(metavar="N", min=0, help="Also say whether index N is set.")
                     ] = None,
    listing: Annotated[bool, typer.Option("--list", help="List each index that is set (revoked or suspended), "
                                          "one a line.")] = False,
    manifest: Annotated[Path | None, typer.Option(
        "--manifest", metavar="DIR/manifest.json", help="The manifest `mcred issue --out-dir` wrote: name each "
        "index that is set with its row, learner and credential file.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    key_file: Annotated[Path | None, typer.Option("--key", "-k", metavar="KEY", help="Token Status List: the "
                                                  "issuer's key, to check the signature with (else the list's "
                                                  "own x5c leaf).")] = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    def action():
        from mcred.issue.status_lists import describe_status_list
        from mcred.issue.token_status_lists import describe_token_status_list, is_token_status_list

        from .common import ExitCode

        if is_token_status_list(list_file):
            info = describe_token_status_list(list_file, key=_ec_key(key_file, passphrase_env), index=index)
        else:
            info = describe_status_list(list_file, index=index)
        records = _records(manifest, info["id"])
        if records is not None:
            info["credentials"] = [_entry(i, records.get(i)) for i in info["set"]]
        if output_format is OutputFormat.json:
            echo_json(info)
        else:
            _print_list(info)
            if listing:
                _print_entries(info, records)
        raise typer.Exit(ExitCode.OK if info["verified"] else ExitCode.INVALID)

    run(action)


def _ec_key(key_file: Path | None, passphrase_env: str | None):
    if key_file is None:
        return None
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env

    return load_any_signing_key(key_file, passphrase_from_env(passphrase_env))


#: what a Token Status List's status values mean (the draft's registry)
_TOKEN_WORDS = {1: "revoked", 2: "suspended"}


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
    if info["kind"] == "TokenStatusList":
        rows[4] = ("iat", info["valid_from"])
        rows[5:5] = [("exp", info["expires"] or "(none)"), ("ttl", f"{info['ttl']} s" if info["ttl"] else "(none)"),
                     ("bits", str(info["bits"]))]
    if info["allocated"] is not None:
        rows.append(("allocated", f"{info['allocated']} of {info['size']}"))
    if "index" in info and "status" in info["index"]:
        value = info["index"]["status"]
        rows.append((f"index {info['index']['index']}", "not set" if value == 0 else
                     _TOKEN_WORDS.get(value, f"status {value}")))
    elif "index" in info:
        word = {"revocation": "revoked", "suspension": "suspended"}.get(info["purpose"], "set")
        rows.append((f"index {info['index']['index']}", word if info["index"]["set"] else "not set"))
    for name, value in rows:
        echo(f"{name:<12} {value}")


def _records(manifest_file: Path | None, list_id: str) -> dict | None:
    """The manifest's record of each index of this list; None without --manifest."""
    if manifest_file is None:
        return None
    from mcred.issue.status_targets import records_by_index

    return records_by_index(_manifest(manifest_file), list_id)


def _entry(index: int, record) -> dict:
    """An index that is set, and what the manifest says of it (null when it does not know it)."""
    if record is None:
        return {"index": index, "row": None, "learner": None, "file": None, "credential_id": None}
    return {"index": index, "row": record.row, "learner": record.name or None, "file": record.file,
            "credential_id": record.credential_id, "superseded_by": record.superseded_by}


def _print_entries(info: dict, records: dict | None) -> None:
    word = {"revocation": "revoked", "suspension": "suspended"}.get(info["purpose"], "set")
    echo(f"{word} ({info['set_count']}):")
    for index in info["set"]:
        what = _token_word(info, index)
        record = records.get(index) if records is not None else None
        if record is None:
            known = " (not in the manifest)" if records is not None else ""
            echo(f"  {index}{what}{known}")
            continue
        replaced = ", replaced by a reissue" if record.superseded_by else ""
        echo(f"  {index}{what}  row {record.row}  {record.name or '(no name recorded)'}  {record.file}{replaced}")
    if info["set_truncated"]:
        echo(f"  and {info['set_count'] - len(info['set'])} more")


def _token_word(info: dict, index: int) -> str:
    """`` revoked`` or `` suspended`` (or the value) for an index of a Token Status List; nothing for a Bitstring one,
    whose purpose says it."""
    if "statuses" not in info:
        return ""
    value = info["statuses"][str(index)]
    return f" {_TOKEN_WORDS.get(value, f'status {value}')}"


def _join(indexes: list[int]) -> str:
    return ", ".join(map(str, indexes))

"""``mcred keygen`` and ``mcred key-info``: signing keys (Ed25519, P-256, P-384), written 0600, and their did:key."""

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import KeyType, OutputFormat, PassphraseEnv, run


def register(app: typer.Typer) -> None:
    """Add the commands to the ``mcred`` app."""
    app.command()(keygen)
    app.command("key-info")(key_info)


def keygen(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the private key "
                                      "(PKCS#8 PEM, mode 0600).")],
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing key file.")] = False,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    key_type: Annotated[KeyType, typer.Option("--type", help="Ed25519 (every command signs with it), or P-256 "
                                              "/ P-384 (mcred sign --suite ecdsa-rdfc-2019 or ecdsa-jcs-2019)."
                                              )] = KeyType.ed25519,
) -> None:
    """Create a signing key and print its did:key and verification method."""

    def action():
        from mcred.keys.ecdsa import generate, save_any_signing_key
        from mcred.keys.ed25519 import passphrase_from_env

        passphrase = passphrase_from_env(passphrase_env)
        key = generate(key_type.value)
        save_any_signing_key(key, out, passphrase=passphrase, force=force)
        _print_key(key, out, encrypted=passphrase is not None, output_format=output_format)

    run(action)


def _print_key(key, path: Path, *, encrypted: bool, output_format: OutputFormat) -> None:
    from mcred.keys.ecdsa import signing_key_type

    info = {
        "file": str(path),
        "type": signing_key_type(key),
        "encrypted": encrypted,
        "did": key.did,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key.multibase,
    }
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(info))
        return
    typer.echo(f"wrote {path} ({info['type']}, PKCS#8 PEM{', encrypted' if encrypted else ''}, mode 0600)")
    typer.echo(f"did:                 {key.did}")
    typer.echo(f"verificationMethod:  {key.verification_method}")
    typer.echo(f"publicKeyMultibase:  {key.public_key.multibase}")


def key_info(
    key_file: Annotated[Path, typer.Argument(metavar="KEY", help="A key file (PEM, hex seed or "
                                             "Multikey JSON).")],
    passphrase_env: PassphraseEnv = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Print the did:key and verification method of a key file (never the secret)."""

    def action():
        from mcred.keys.ecdsa import load_any_signing_key, signing_key_type
        from mcred.keys.ed25519 import passphrase_from_env

        key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
        info = {"file": str(key_file), "type": signing_key_type(key), "did": key.did,
                "verificationMethod": key.verification_method,
                "publicKeyMultibase": key.public_key.multibase}
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(info))
        else:
            for name, value in info.items():
                typer.echo(f"{name + ':':<20} {value}")

    run(action)

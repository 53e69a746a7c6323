"""``mcred present``: a verifiable presentation of credentials, signed by their holder for one verifier's request."""

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import PassphraseEnv, SignSuite, run, say, stderr, write_output

PRESENT_HELP = (
    "Wrap credentials, as they are, in a verifiable presentation signed by their holder.\n\n"
    "The holder is the key's DID; the proof's purpose is authentication, and it carries the verifier's "
    "--challenge and --domain, so that the verifier (mcred verify VP.json --challenge C --domain D) knows the "
    "presentation was made for its request and that no credential inside was swapped or changed. The "
    "presentation is VC Data Model 2.0, or 1.1 when every credential is 1.1. A credential whose subject is "
    "not the key's DID is presented with a note: the verifier may require that it is.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=PRESENT_HELP)(present)


def present(
    credentials: Annotated[list[Path], typer.Argument(metavar="CRED.json...", help="The signed credentials to "
                                                      "present.")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="HOLDER.pem",
                                           help="The holder's signing key: PKCS#8 PEM (Ed25519, P-256, P-384), "
                                           "32-byte hex seed (Ed25519), or Multikey JSON.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="VP.json",
                                      help="Where to write the presentation; - for standard output.")],
    challenge: Annotated[str | None, typer.Option(metavar="TEXT", help="The challenge the verifier sent (a "
                                                  "nonce): the verifier refuses a presentation without it.")] = None,
    domain: Annotated[str | None, typer.Option(metavar="TEXT", help="The verifier's domain (e.g. "
                                               "verifier.example).")] = None,
    suite: Annotated[SignSuite, typer.Option(help="Cryptosuite of the holder's proof.")] = SignSuite.rdfc,
    created: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The proof's created time "
                                                "(default: now, UTC).")] = None,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite VP.json if it exists.")] = False,
) -> None:

    def action():
        from mcred._files import check_output_file, read_json
        from mcred.issue.presentation import make_presentation, subjects_not_holder
        from mcred.keys.ecdsa import load_any_signing_key
        from mcred.keys.ed25519 import passphrase_from_env

        check_output_file(out, force=force)  # an existing file without --force, or a folder: before any work
        key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
        documents = [read_json(path) for path in credentials]
        presentation = make_presentation(documents, key, challenge=challenge, domain=domain, suite=suite.value,
                                         created=created, files=[str(path) for path in credentials])
        for path, document in zip(credentials, documents, strict=True):
            for subject in subjects_not_holder(document, key.did):
                say(f"note: {path} is about {subject or 'a subject without an id'}, not the holder {key.did}; "
                    "a verifier with --holder-binding required refuses it")
        if challenge is None:
            say("note: no --challenge: a verifier that asks for one refuses this presentation, and anyone who "
                "sees it could present it again")
        write_output(out, json.dumps(presentation, indent=2, ensure_ascii=False) + "\n", force)
        if str(out) != "-":
            stderr.print(f"presented {len(documents)} credential(s) -> {out} ({suite.value}, "
                          f"{key.verification_method})", highlight=False, markup=False)

    run(action)

"""``mcred sign``: add a Data Integrity proof (eddsa-rdfc-2022 or eddsa-jcs-2022) to a JSON-LD credential."""

import json
from pathlib import Path
from typing import Annotated

import typer

from mcred._files import read_json

from .common import PassphraseEnv, Suite, run, stderr, write_output

SIGN_HELP = (
    "Add a Data Integrity proof to a JSON-LD credential whose contexts are bundled.\n\n"
    "The issuer must be the key's DID (see --issuer-from-key). With eddsa-rdfc-2022 a "
    "credential with a term no context defines, or a relative IRI, is refused (exit 3), "
    "because the signature would not cover it. A credential that already has proofs gets "
    "one more (a proof set).")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=SIGN_HELP)(sign)


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
    jwt: Annotated[bool, typer.Option("--jwt", help="Secure it as a VC-JOSE-COSE vc+jwt (EdDSA, kid the key's "
                                      "did:key) instead of adding a Data Integrity proof: OUT is the compact "
                                      "JWT (name it .jwt).")] = False,
) -> None:

    def action():
        from mcred._files import check_output_file
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env
        from mcred.proofs.signing import sign_credential

        check_output_file(out, force=force)  # an existing file without --force, or a folder: before any work
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        document = read_json(input_file)
        if jwt:
            from mcred.issue.vc_jwt import sign_vc_jwt

            text = sign_vc_jwt(document, key, issuer_from_key=issuer_from_key, file=str(input_file))
            write_output(out, text + "\n", force)
            if str(out) != "-":
                stderr.print(f"signed {input_file} -> {out} (vc+jwt, EdDSA, {key.verification_method})",
                              highlight=False, markup=False)
            return
        signed = sign_credential(document, key, suite=suite.value, created=created,
                                 issuer_from_key=issuer_from_key, file=str(input_file))
        write_output(out, json.dumps(signed, indent=2, ensure_ascii=False) + "\n", force)
        if str(out) != "-":
            stderr.print(f"signed {input_file} -> {out} ({suite.value}, {key.verification_method})",
                          highlight=False, markup=False)

    run(action)

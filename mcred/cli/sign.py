"""``mcred sign``: add a Data Integrity proof (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-jcs-2019)
to a JSON-LD credential."""

import json
from pathlib import Path
from typing import Annotated

import typer

from mcred._files import read_json

from .common import PassphraseEnv, SignSuite, run, stderr, write_output

SIGN_HELP = (
    "Add a Data Integrity proof to a JSON-LD credential whose contexts are bundled.\n\n"
    "The issuer must be the key's DID (see --issuer-from-key). The eddsa suites sign with an Ed25519 key, "
    "the ecdsa suites with a P-256 or P-384 key (mcred keygen --type p256|p384). With an RDFC suite a "
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
                                           help="Signing key: PKCS#8 PEM (Ed25519, P-256, P-384), "
                                           "32-byte hex seed (Ed25519), or Multikey JSON.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="OUT.json",
                                      help="Where to write the signed credential; - for "
                                      "standard output.")],
    suite: Annotated[SignSuite, typer.Option(help="Cryptosuite of the proof.")] = SignSuite.rdfc,
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
        from mcred.keys.ecdsa import load_any_signing_key
        from mcred.keys.ed25519 import passphrase_from_env
        from mcred.proofs.signing import sign_credential

        check_output_file(out, force=force)  # an existing file without --force, or a folder: before any work
        key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
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

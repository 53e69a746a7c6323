"""``mcred derive``: derive an ecdsa-sd-2023 proof from a base proof, disclosing only what is chosen."""

import json
from pathlib import Path
from typing import Annotated

import typer

from mcred._files import read_json

from .common import run, stderr, write_output

DERIVE_HELP = (
    "Derive an ecdsa-sd-2023 proof from the base proof a holder received, disclosing only the "
    "statements the issuer made mandatory and those the --disclose JSON pointers select.\n\n"
    "The base proof is verified first. Show the derived credential, never the base one: a base proof "
    "holds the issuer's HMAC key and every statement.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=DERIVE_HELP)(derive)


def derive(
    input_file: Annotated[Path, typer.Argument(metavar="BASE.json", help="The credential with an "
                                               "ecdsa-sd-2023 base proof; - reads standard input.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="OUT.json",
                                      help="Where to write the derived credential; - for standard output.")],
    disclose: Annotated[list[str] | None, typer.Option(
        "--disclose", "-d", metavar="POINTER",
        help="A JSON pointer (RFC 6901) to disclose, e.g. /credentialSubject/birthCountry; repeatable.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite OUT.json if it exists.")] = False,
) -> None:

    def action():
        from mcred._files import check_output_file
        from mcred.proofs.ecdsa_sd_derive import derive_proof

        check_output_file(out, force=force)
        document = read_json(input_file)
        derived = derive_proof(document, list(disclose or []), file=str(input_file))
        write_output(out, json.dumps(derived, indent=2, ensure_ascii=False) + "\n", force)
        if str(out) != "-":
            stderr.print(f"derived {input_file} -> {out} (ecdsa-sd-2023, {len(disclose or [])} pointers disclosed "
                          "besides the mandatory ones)", highlight=False, markup=False)

    run(action)

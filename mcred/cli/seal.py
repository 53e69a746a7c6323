"""``mcred seal``: seal a credential with an X.509 certificate (JAdES baseline B), as EDC does.

Parse options, call :mod:`mcred.issue.seal`, write, print; the rules live in the library.
Errors follow the exit-code contract of
:func:`mcred.cli.common.run` (2 usage, 3 unusable input).
"""

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import PassphraseEnv, run, say


def seal(
    input_file: Annotated[Path, typer.Argument(metavar="CRED.json", help="The credential (JSON-LD), with or "
                                               "without a Data Integrity proof; - reads standard input.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="SEALED.json", help="Where to write the sealed "
                                      "credential; - for standard output.")],
    p12: Annotated[Path | None, typer.Option("--p12", metavar="SEAL.p12", help="A PKCS#12 file with the seal's "
                                             "private key, certificate and chain.")] = None,
    key: Annotated[Path | None, typer.Option("--key", "-k", metavar="KEY.pem", help="Or: the private key, PEM "
                                             "(PKCS#8 or traditional), RSA or EC.")] = None,
    chain: Annotated[Path | None, typer.Option("--chain", metavar="CHAIN.pem", help="With --key: the seal "
                                               "certificate and its CA certificates, PEM.")] = None,
    alg: Annotated[str | None, typer.Option(metavar="ALG", help="RS256 (default for RSA, as EDC), RS384, RS512, "
                                            "PS256, PS384, PS512; EC keys: ES256, ES384, ES512 by curve.")] = None,
    signing_time: Annotated[str | None, typer.Option("--signing-time", metavar="ISO-8601", help="The claimed "
                                                     "signing time, sigT (default: now, UTC).")] = None,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite SEALED.json if it exists.")] = False,
) -> None:
    """Seal a credential with an eIDAS (X.509) seal certificate: JAdES, the form EDC's viewer checks.

    Writes a JWS JSON serialization whose protected header has the parameters of EDC's own seals
    (alg, cty, kid, x5t#S256, x5c, typ, b64 false, sigT, crit) over the credential as it is: JAdES
    baseline B, with no time-stamp, since a time-stamp needs a time-stamping authority over the network
    and mcred is offline. `mcred verify` checks the result. Exit 0 done, 2 usage (an output file that
    exists without --force), 3 an input cannot be used (credential, key, certificate, passphrase).
    """

    def action():
        from mcred._files import check_output_file, read_json
        from mcred.issue.seal import load_seal_key, seal_credential
        from mcred.keys.ed25519 import passphrase_from_env
        from mcred.seals.x509 import Identity

        from .common import write_output

        check_output_file(out, force=force)  # an existing file without --force, or a folder: before any work
        material = load_seal_key(p12=p12, key=key, chain=chain, passphrase=passphrase_from_env(passphrase_env))
        document = read_json(input_file)
        sealed = seal_credential(document, material, alg=alg, when=signing_time, file=str(input_file))
        write_output(out, json.dumps(sealed, indent=2, ensure_ascii=False) + "\n", force)
        header = _header(sealed)
        cert = material.certificate
        say(f"sealed {input_file} -> {out} (JAdES baseline B, {header['alg']}, sigT {header['sigT']})")
        say(f"sealed by: {Identity.of(cert).label()}; certificate valid to "
            f"{cert.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}; {len(material.chain)} certificate(s) in x5c")
        say("no time-stamp: mcred is offline (a TSA would add one: JAdES baseline T)")

    run(action)


def _header(sealed: dict) -> dict:
    import base64

    text = sealed["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

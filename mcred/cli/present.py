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
    "not the key's DID is presented with a note: the verifier may require that it is.\n\n"
    "An SD-JWT VC (X.sd-jwt): mcred present X.sd-jwt --disclose CLAIM,... --holder-key H.pem --nonce N --aud A "
    "--out P makes an SD-JWT presentation showing only the chosen claims (and those the issuer did not make "
    "selectively disclosable), with a Key Binding JWT signed by the holder key the credential names (cnf).")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=PRESENT_HELP)(present)


def present(
    credentials: Annotated[list[Path], typer.Argument(metavar="CRED.json...", help="The signed credentials to "
                                                      "present.")],
    key_file: Annotated[Path, typer.Option("--key", "--holder-key", "-k", metavar="HOLDER.pem",
                                           help="The holder's signing key: PKCS#8 PEM (Ed25519, P-256, P-384), "
                                           "32-byte hex seed (Ed25519), or Multikey JSON.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="VP.json",
                                      help="Where to write the presentation; - for standard output.")],
    challenge: Annotated[str | None, typer.Option("--challenge", "--nonce", metavar="TEXT", help="The challenge "
                                                  "the verifier sent (a nonce): the verifier refuses a presentation "
                                                  "without it.")] = None,
    domain: Annotated[str | None, typer.Option("--domain", "--aud", metavar="TEXT", help="The verifier's domain "
                                               "(e.g. verifier.example); for an SD-JWT, its audience.")] = None,
    disclose: Annotated[list[str] | None, typer.Option(
        "--disclose", metavar="CLAIM,...", help="For an SD-JWT VC: the claims to show, by path (given_name, "
        "address.country), comma-separated or repeated; the others stay withheld.")] = None,
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
        if any(str(path).lower().endswith(".sd-jwt") for path in credentials):
            _present_sd_jwt(credentials, key, disclose or [], challenge, domain, out, force)
            return
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


def _present_sd_jwt(credentials: list[Path], key, disclose: list[str], nonce: str | None, audience: str | None,
                    out: Path, force: bool) -> None:
    """An SD-JWT VC presentation (:mod:`mcred.sdjwt.present`): one credential, a nonce and an audience."""
    from datetime import datetime, timezone

    from mcred._files import read_input
    from mcred.errors import InputError, UsageError
    from mcred.keys.ecdsa import EcSigningKey
    from mcred.sdjwt.errors import SdJwtError
    from mcred.sdjwt.present import make_presentation
    from mcred.verify.sdjwt import MESSAGES

    if len(credentials) != 1:
        raise UsageError(f"an SD-JWT presentation holds one credential, but {len(credentials)} were given")
    if nonce is None or audience is None:
        raise UsageError("an SD-JWT presentation is made for one request: give --nonce and --aud",
                         hint="the verifier sends both")
    if not isinstance(key, EcSigningKey):
        raise UsageError("the holder key of an SD-JWT VC is a P-256 or P-384 key", file=str(credentials[0]))
    names = [name.strip() for item in disclose for name in item.split(",") if name.strip()]
    path = credentials[0]
    try:
        text = read_input(path).decode("ascii")
        made = make_presentation(text, names, key, nonce=nonce, audience=audience, now=datetime.now(timezone.utc))
    except UnicodeDecodeError:
        raise InputError("not an SD-JWT (not ASCII)", file=str(path), code="SDJWT_MALFORMED") from None
    except SdJwtError as exc:
        template, hint = MESSAGES[exc.code]
        raise InputError(template.format(**exc.params), file=str(path), code=exc.code, path=exc.path,
                         hint=hint.format(**exc.params) if hint else None, params=exc.params) from None
    write_output(out, made.text, force)
    if str(out) != "-":
        stderr.print(f"presented {len(made.shown)} disclosed claim(s) ({', '.join(made.shown) or '-'}), "
                     f"{made.withheld} withheld -> {out}", highlight=False, markup=False)

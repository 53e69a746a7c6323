"""``mcred trust``: keep the list of issuers you trust (a trust file), from the command line.

Parse options, call :mod:`mcred.verify.trust`, print, return an exit code; the rules live in the
library. Errors follow the exit-code contract of
:func:`mcred.cli.common.run` (2 usage, 3 unusable input).
"""

from pathlib import Path
from typing import Annotated

import typer

from mcred.errors import InputError, UsageError

from .common import OutputFormat, echo, echo_json, run, say

trust_app = typer.Typer(
    name="trust",
    help="Keep the list of issuers you trust (a trust file, YAML or JSON): who they are, their "
    "keys, and when each key was in use. `mcred verify --trust FILE` uses it to tell an unknown "
    "issuer (a warning) from a forged credential (a failure).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


TrustFile = Annotated[Path, typer.Option("--file", "-f", metavar="TRUST.yaml",
                                         help="The trust file (YAML; JSON when it ends in .json).")]


# flags, as the user typed them, for each field a TrustValueError names
_FLAGS = {"id": "--issuer", "verification_method": "--key", "valid_from": "--valid-from",
          "valid_until": "--valid-until", "country": "--country", "accreditation": "--accreditation",
          "legal_name": "--name", "keys": "--key", "name": "--name", "sha256": "--sha256",
          "certificate": "CA.pem"}


def _made(make, *args, **kwargs):
    """Build a trust-list value from options; a bad value is a usage error naming its flag."""
    from mcred.errors import TrustValueError

    try:
        return make(*args, **kwargs)
    except TrustValueError as exc:
        field = (exc.path or "").partition(".")[0]
        flag = _FLAGS.get(field, field)
        raise UsageError(f"{flag}: {exc.message}", hint=exc.hint, code=exc.code) from None


@trust_app.command(help=(
    "Add a trusted issuer, or a key to an issuer already listed (one key per call).\n\n"
    "A new issuer needs a name (--name-it, --name-en, --name LANG=TEXT) and --country. "
    "Without --key, a did:key issuer is trusted with its own key (at any time, or between "
    "--valid-from and --valid-until); an issuer whose id is not a did:key needs --key. "
    "--from-key takes the did:key and key from a key file, --from-credential from a credential "
    "whose proofs verify (its names are never taken from the credential: you give them). "
    "The file is created if missing and rewritten atomically (comments are not kept)."))
def add(
    file: TrustFile,
    issuer: Annotated[str | None, typer.Option(
        "--issuer", metavar="ID", help="The issuer's id, as credentials name it: a DID, urn:... "
        "or https://...")] = None,
    key: Annotated[str | None, typer.Option(
        "--key", metavar="VM", help="A did:key verification method (did:key:z6Mk...#z6Mk... "
        "Ed25519, did:key:zDn... P-256 or did:key:z82... P-384) that signs for the issuer.")] = None,
    valid_from: Annotated[str | None, typer.Option(
        metavar="ISO-8601", help="The key signs for the issuer from this time.")] = None,
    valid_until: Annotated[str | None, typer.Option(
        metavar="ISO-8601", help="... until this time (a retired key).")] = None,
    name_it: Annotated[str | None, typer.Option(help="The legal name in Italian.")] = None,
    name_en: Annotated[str | None, typer.Option(help="The legal name in English.")] = None,
    name: Annotated[list[str] | None, typer.Option(
        "--name", metavar="LANG=TEXT", help="The legal name in another language (repeatable).")] = None,
    country: Annotated[str | None, typer.Option(
        metavar="ISO-3166-ALPHA-3", help="The issuer's country, e.g. ITA.")] = None,
    accreditation: Annotated[str | None, typer.Option(
        metavar="TEXT", help="Free text: the accreditation you checked.")] = None,
    from_key: Annotated[Path | None, typer.Option(
        "--from-key", metavar="KEY", help="Take the issuer (unless --issuer) and the key from "
        "this key file.")] = None,
    from_credential: Annotated[Path | None, typer.Option(
        "--from-credential", metavar="CRED.json", help="Take the issuer and the key from this "
        "credential, whose proofs must verify.")] = None,
    passphrase_env: Annotated[str | None, typer.Option(
        "--passphrase-env", metavar="VAR", help="Environment variable holding --from-key's "
        "passphrase.")] = None,
) -> None:

    def action():
        from mcred.verify import trust as t

        issuer_id, vm = _issuer_and_key(issuer, key, from_key, from_credential, passphrase_env)
        names = _names(name_it, name_en, name or [])
        current = t.load_trust_list(file) if file.exists() else t.TrustList(file=str(file))
        listed = current.get(issuer_id)
        owner = current.find(issuer_id)
        if listed is None and owner is not None:
            raise t.TrustEditError(f"{issuer_id} is listed as a key of the issuer {owner.id}",
                                   file=str(file), code="TRUST_DUPLICATE",
                                   hint=f"to add a key to that issuer, give --issuer {owner.id}")
        if vm is None and (valid_from or valid_until) and issuer_id.startswith("did:key:"):
            vm = issuer_id  # the did:key issuer's own key, with an interval
        new_key = None if vm is None else _made(t.TrustedKey, vm, valid_from, valid_until)
        if vm is None and (valid_from or valid_until):
            raise UsageError("--valid-from and --valid-until need --key (the issuer is not a did:key)")
        if listed is None:
            if not names or country is None:
                raise UsageError(f"{issuer_id} is a new issuer: give its name (--name-it, --name-en "
                                 "or --name LANG=TEXT) and --country", file=str(file))
            entry = _made(t.TrustedIssuer, issuer_id, names, country, accreditation,
                          (new_key,) if new_key else ())
            updated = t.add_issuer(current, entry)
            done = f"added the issuer {issuer_id} ({entry.name()}, {entry.country})"
            if new_key is not None:
                done += f" with the key {new_key.verification_method}{_interval(new_key)}"
        else:
            _same_details(listed, names, country, accreditation)
            if new_key is None:
                raise t.TrustEditError(f"the issuer {issuer_id} is already listed", file=str(file),
                                       code="TRUST_DUPLICATE",
                                       hint="to add a key to it, give --key")
            updated = t.add_key(current, issuer_id, new_key)
            done = f"added the key {new_key.verification_method}{_interval(new_key)} to {issuer_id}"
            if not listed.keys and new_key.did != issuer_id:
                done += "; its own key is now listed too, still valid at any time"
        t.save_trust_list(updated, file)
        say(f"{done} -> {file}")

    run(action)


def _interval(key) -> str:
    from mcred.verify.trust import OPEN

    return f" (valid {key.valid_from or OPEN} to {key.valid_until or OPEN})" if key.has_interval else ""


def _issuer_and_key(issuer: str | None, key: str | None, from_key: Path | None,
                    from_credential: Path | None, passphrase_env: str | None) -> tuple[str, str | None]:
    """The issuer id and key (or None) from the options, a key file or a credential."""
    if from_key is not None and from_credential is not None:
        raise UsageError("give at most one of --from-key and --from-credential")
    if (from_key or from_credential) and key is not None:
        raise UsageError("--key cannot be combined with --from-key or --from-credential")
    if from_key is not None:
        from mcred.keys.ecdsa import load_any_signing_key
        from mcred.keys.ed25519 import passphrase_from_env

        signing_key = load_any_signing_key(from_key, passphrase_from_env(passphrase_env))
        return issuer or signing_key.did, signing_key.verification_method
    if from_credential is not None:
        claimed, vm = _from_credential(from_credential)
        if issuer is not None and issuer != claimed:
            raise UsageError(f"--issuer {issuer} is not the credential's issuer {claimed}",
                             file=str(from_credential))
        return claimed, vm
    if issuer is None:
        raise UsageError("give --issuer, --from-key or --from-credential")
    return issuer, key


def _from_credential(path: Path) -> tuple[str, str]:
    """The issuer and the signing key of a credential whose every proof verifies."""
    from mcred._files import read_json
    from mcred.proofs.data_integrity import ProofError, proofs_of, verify_proof

    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError("a credential must be a JSON object", file=str(path), code="JSON_NOT_OBJECT")
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer, str):
        raise InputError("the credential names no issuer (issuer or issuer.id)", file=str(path),
                         path="$.issuer", code="ISSUER_MISSING")
    proofs = proofs_of(document)
    if not proofs:
        raise InputError("the credential has no proof, so its key is not known", file=str(path),
                         path="$.proof", code="PROOF_MISSING")
    methods = []
    for index in range(len(proofs)):
        try:
            methods.append(verify_proof(document, index, file=str(path)).verification_method)
        except ProofError as exc:
            raise InputError(f"a proof does not verify ({exc.message}), so its key is not taken",
                             file=str(path), path=exc.path, code=exc.code,
                             hint="check it with `mcred verify`") from None
    distinct = sorted(set(methods))
    if len(distinct) > 1:
        raise UsageError(f"the credential was signed with {len(distinct)} keys ({', '.join(distinct)}): "
                         "add them one at a time with --issuer and --key", file=str(path))
    return issuer, distinct[0]


def _names(name_it: str | None, name_en: str | None, others: list[str]) -> dict[str, str]:
    names = {}
    for given in others:
        lang, sep, text = given.partition("=")
        if not sep or not lang.strip():
            raise UsageError(f"--name {given!r}: expected LANG=TEXT, e.g. --name de=Stiftung ...")
        names[lang.strip()] = text
    if name_it is not None:
        names["it"] = name_it
    if name_en is not None:
        names["en"] = name_en
    return names


def _same_details(listed, names: dict[str, str], country: str | None, accreditation: str | None) -> None:
    """Details given for an issuer already listed must be the ones it has (they are not edited)."""
    changed = [f"name ({lang})" for lang, text in names.items() if listed.legal_name.get(lang) != text]
    changed += [flag for flag, given, current in (
        ("country", country, listed.country), ("accreditation", accreditation, listed.accreditation))
        if given is not None and given != current]
    if changed:
        raise UsageError(f"the issuer {listed.id} is already listed with another "
                         f"{' and '.join(changed)}",
                         hint="to change an issuer's details, remove it and add it again")


@trust_app.command("list")
def list_(
    file: TrustFile,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text for people; json: the trust file itself, as JSON.")] = OutputFormat.text,
) -> None:
    """Show the trusted issuers, their names, countries and keys."""

    def action():
        from mcred.verify import trust as t

        trust = t.load_trust_list(file)
        if output_format is OutputFormat.json:
            echo_json(t.trust_list_to_data(trust), indent=2)
            return
        count = len(trust.issuers)
        echo(f"{file}: {count} trusted issuer{'s' if count != 1 else ''}")
        for issuer in trust.issuers:
            echo(f"\n{issuer.id}")
            names = ", ".join(f"{text} ({lang})" for lang, text in issuer.legal_name.items())
            echo(f"  name:           {names}")
            echo(f"  country:        {issuer.country}")
            if issuer.accreditation:
                echo(f"  accreditation:  {issuer.accreditation}")
            for index, key in enumerate(issuer.effective_keys):
                label = "keys:" if index == 0 else ""
                when = _interval(key).strip() or "(at any time)"
                own = "  (its own did:key, not listed)" if not issuer.keys else ""
                echo(f"  {label:<15} {key.verification_method}  {when}{own}")
            if not issuer.effective_keys:
                echo("  keys:           those its own DID document authorises (documents: or --did-documents)")
        documents = trust.documents.by_id if trust.documents is not None else {}
        if documents:
            echo(f"\n{len(documents)} DID document{'s' if len(documents) != 1 else ''} (for keys that are not a "
                 "did:key)")
        for doc_id, document in documents.items():
            methods = [m if isinstance(m, str) else m.get("id") for m in document.get("assertionMethod") or ()]
            echo(f"\n{doc_id}\n  assertionMethod: {', '.join(map(str, methods)) or '(none)'}")
        if trust.anchors:
            echo(f"\n{len(trust.anchors)} X.509 trust anchor{'s' if len(trust.anchors) != 1 else ''} "
                       "(for sealed credentials)")
        for anchor in trust.anchors:
            echo(f"\n{anchor.name}\n  sha256:         {anchor.sha256}")
            if anchor.cert is not None:
                echo(f"  subject:        {anchor.cert.subject.rfc4514_string()}")
                echo(f"  valid:          {anchor.cert.not_valid_before_utc:%Y-%m-%d} to "
                           f"{anchor.cert.not_valid_after_utc:%Y-%m-%d}")
            else:
                echo("  certificate:    (not in the file: it must come with the sealed credential)")

    run(action)


@trust_app.command(help="Remove a trusted issuer, or one of its keys (--key). The last key of an "
                   "issuer cannot be removed on its own: remove the issuer.")
def remove(
    file: TrustFile,
    issuer: Annotated[str, typer.Option("--issuer", metavar="ID", help="The issuer's id.")],
    key: Annotated[str | None, typer.Option(
        "--key", metavar="VM", help="Remove only this key of the issuer.")] = None,
) -> None:

    def action():
        from mcred.verify import trust as t

        current = t.load_trust_list(file)
        if key is None:
            updated = t.remove_issuer(current, issuer)
            done = f"removed the issuer {issuer}"
        else:
            updated = _made(t.remove_key, current, issuer, key)
            done = f"removed the key {t.normalise_verification_method(key)} of {issuer}"
        t.save_trust_list(updated, file)
        say(f"{done} -> {file}")

    run(action)


@trust_app.command("add-document", help=(
    "Add a DID document or controller document (W3C) to the trust file: the keys of a did:web or https issuer, "
    "which mcred never fetches. `mcred verify --trust FILE` then resolves its verification methods, with the "
    "same checks as --did-documents (the method is listed under assertionMethod, its controller is the document). "
    "Add only a document you got from its publisher over a channel you trust: it is your assertion of whose "
    "keys these are."))
def add_document(
    file: TrustFile,
    document: Annotated[Path, typer.Argument(metavar="DOC.json", help="The DID or controller document.")],
) -> None:

    def action():
        from mcred._files import read_json
        from mcred.verify import trust as t

        data = read_json(document, what="the DID document")
        current = t.load_trust_list(file) if file.exists() else t.TrustList(file=str(file))
        t.save_trust_list(t.add_document(current, data, source=str(document)), file)
        say(f"added the document of {data['id']} -> {file}")

    run(action)


@trust_app.command("remove-document", help="Remove a DID or controller document from the trust file (by its id).")
def remove_document(
    file: TrustFile,
    document_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id (did:web:... or https://...).")],
) -> None:

    def action():
        from mcred.verify import trust as t

        updated = t.remove_document(t.load_trust_list(file), document_id)
        t.save_trust_list(updated, file)
        say(f"removed the document of {document_id} -> {file}")

    run(action)


@trust_app.command("add-anchor", help=(
    "Trust an X.509 certification authority for sealed (JAdES) credentials: its certificate (PEM or DER), "
    "or only its SHA-256 fingerprint (--sha256; the certificate must then come with the sealed "
    "credentials, as EDC's do). A seal whose certificate chains to an anchor is trusted; the name shown "
    "is then the organisation the CA certified. Trust only a CA you have checked: it vouches for every "
    "seal certificate it issues."))
def add_anchor(
    file: TrustFile,
    certificate: Annotated[Path | None, typer.Argument(metavar="[CA.pem]", help="The CA certificate.")] = None,
    sha256: Annotated[str | None, typer.Option("--sha256", metavar="HEX", help="Or: the certificate's SHA-256 "
                                               "fingerprint.")] = None,
    name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="Your label for it (default: the "
                                             "certificate's subject).")] = None,
) -> None:

    def action():
        from mcred.seals.anchors import X509Anchor
        from mcred.verify import trust as t

        if (certificate is None) == (sha256 is None):
            raise UsageError("give the CA certificate (a file) or --sha256, one of them")
        if certificate is not None:
            anchor = _made(X509Anchor.from_certificate, _certificate(certificate), name)
        else:
            if name is None:
                raise UsageError("an anchor given by --sha256 needs --name")
            anchor = _made(X509Anchor, name, sha256)
        current = t.load_trust_list(file) if file.exists() else t.TrustList(file=str(file))
        t.save_trust_list(t.add_anchor(current, anchor), file)
        say(f"added the trust anchor {anchor.name} (sha256 {anchor.sha256}) -> {file}")

    run(action)


def _certificate(path: Path):
    from cryptography import x509

    from mcred._files import read_input

    data = read_input(path, what="the certificate")
    try:
        if b"-----BEGIN" in data:
            certs = x509.load_pem_x509_certificates(data)
            if len(certs) != 1:
                raise UsageError(f"the file holds {len(certs)} certificates: give one per anchor", file=str(path))
            return certs[0]
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise InputError("not an X.509 certificate (PEM or DER)", file=str(path), code="CERTIFICATE_UNREADABLE") \
            from None


@trust_app.command("remove-anchor", help="Stop trusting an X.509 certification authority (by its SHA-256).")
def remove_anchor(
    file: TrustFile,
    sha256: Annotated[str, typer.Option("--sha256", metavar="HEX", help="The anchor's SHA-256 fingerprint.")],
) -> None:

    def action():
        from mcred.verify import trust as t

        updated = _made(t.remove_anchor, t.load_trust_list(file), sha256)
        t.save_trust_list(updated, file)
        say(f"removed the trust anchor {sha256} -> {file}")

    run(action)

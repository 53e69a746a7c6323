"""``mcred bundle`` and ``mcred convert``, and the bundle parts of ``issue --formats``, ``verify`` and ``show``.

Parse, call :mod:`mcred.bundle`, print, exit: 0 done / verified, 1 refused or not valid, 2 usage, 3 unusable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcred.errors import UsageError

from .common import PassphraseEnv, run, say, stderr

BUNDLE_HELP = (
    "Bind renditions of one award issued earlier (by `mcred issue` or `mcred convert`) with a manifest signed by "
    "the issuer: each rendition is verified, must be the issuer's (--key's DID; an SD-JWT VC's certificate key is "
    "--ec-key), and all must state the same award (learner, title, credits, EQF level, dates, awarding body, "
    "learning outcomes), else nothing is signed (exit 1, BUNDLE_FACTS_DIFFER naming the fact). The renditions must "
    "be in the manifest's folder (docs/bundle.md).")
CONVERT_HELP = (
    "Re-issue a verified mcred credential in another format (sd-jwt-vc, vc2, ob3, edc, jades), by its issuer only: "
    "--key (and --ec-key for an SD-JWT VC) must be the key that signed it (else exit 1, CONVERT_NOT_ISSUER). The "
    "award is issued again from its outcome file (--outcomes), for the learner whose award the credential states "
    "(else exit 1, CONVERT_NOT_THE_AWARD), never rebuilt from the credential's few facts (docs/bundle.md, "
    "'Convert').")

EcKey = Annotated[Path | None, typer.Option("--ec-key", metavar="P256.pem", help="The issuer's P-256 key, for "
                                            "SD-JWT VC renditions (with --cert).")]
Cert = Annotated[Path | None, typer.Option("--cert", metavar="CHAIN.pem", help="The --ec-key's certificate and "
                                           "its CA certificates (x5c of SD-JWT VCs).")]
SealP12 = Annotated[Path | None, typer.Option("--seal-p12", metavar="SEAL.p12", help="jades: the seal key and "
                                              "certificate chain (PKCS#12).")]
SealKey = Annotated[Path | None, typer.Option("--seal-key", metavar="SEAL.pem", help="jades: the seal key (PEM), "
                                              "with --seal-chain.")]
SealChain = Annotated[Path | None, typer.Option("--seal-chain", metavar="CHAIN.pem", help="jades: the seal "
                                                "certificate, then its CA certificates.")]


def register(app: typer.Typer) -> None:
    app.command("bundle", help=BUNDLE_HELP)(bundle)
    app.command("convert", help=CONVERT_HELP)(convert)


def load_signers(key_file: Path, ec_key: Path | None, cert: Path | None, seal_p12: Path | None,
                 seal_key: Path | None, seal_chain: Path | None, passphrase_env: str | None):
    """The issuer's keys for a bundle (:class:`mcred.bundle.formats.Signers`), each read once."""
    from mcred.bundle.formats import Signers
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

    passphrase = passphrase_from_env(passphrase_env)
    key = load_signing_key(key_file, passphrase)
    ec = certs = None
    if ec_key is not None:
        ec = load_any_signing_key(ec_key, passphrase)
        if getattr(ec, "curve", None) != "P-256":
            raise UsageError("--ec-key must be a P-256 key (SD-JWT VCs are signed with ES256)", file=str(ec_key))
    if cert is not None:
        from mcred.sdjwt.issuing import load_certificate_chain

        certs = tuple(load_certificate_chain(cert, passphrase))
    seal = None
    if seal_p12 is not None or seal_key is not None:
        from mcred.issue.seal import load_seal_key

        seal = load_seal_key(p12=seal_p12, key=seal_key, chain=seal_chain, passphrase=passphrase)
    return Signers(key, ec, certs or (), str(cert) if cert else None, seal)


def issue_formats(outcomes_file: Path, formats_text: str, key_file: Path, out_dir: Path | None,
                  roster: Path | None, when: str, force: bool, ec_key: Path | None, cert: Path | None,
                  seal_p12: Path | None, seal_key: Path | None, seal_chain: Path | None,
                  passphrase_env: str | None, jobs: int = 1) -> int:
    """``mcred issue --formats``: a bundle per learner (the outcome file's, or --learners'); returns the failures."""
    from mcred._files import check_output_folder
    from mcred.bundle.formats import parse_formats
    from mcred.bundle.issuing import Row, issue_bundles, needs_of
    from mcred.elm.outcomes import load_outcomes, read_roster
    from mcred.issue.reruns import _slug

    if out_dir is None:
        raise UsageError("--formats writes a bundle per learner: give --out-dir DIR")
    formats = parse_formats(formats_text)
    signers = load_signers(key_file, ec_key, cert, seal_p12, seal_key, seal_chain, passphrase_env)
    needs_of(formats, signers)
    outcomes = load_outcomes(outcomes_file, now=when, learners_issued=roster is None)
    if roster is not None:
        table = read_roster(roster, outcomes=outcomes, now=when)
        rows = [(r.row, r.learner, r.problems) for r in table]
    else:
        rows = [(n, person, []) for n, person in enumerate(outcomes.learners, start=1)]
    if not rows:
        raise UsageError("there are no learners to issue for", file=str(roster or outcomes_file))
    check_output_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    failures = 0
    planned = []
    for number, learner, problems in rows:
        if problems or learner is None:
            stderr.print(f"row {number}: {'; '.join(map(str, problems)) or 'not a learner'}", markup=False, style="red")
            failures += 1
            continue
        stem = _slug(learner)
        if stem in used:  # two learners of one name: the row tells them apart
            stem = f"{stem}-{number}"
        used.add(stem)
        planned.append(Row(number, learner, stem))
    names = ", ".join(f.name for f in formats)

    def progress(result) -> None:
        if result.error is not None:
            stderr.print(f"row {result.number}: {result.error.diagnostics()}", markup=False, style="red")
        elif len(planned) <= 20:
            stderr.print(f"{result.outcome} {result.manifest} ({names})", markup=False)

    done = issue_bundles(outcomes, planned, formats, signers, out_dir, issued=when, force=force, jobs=jobs,
                         progress=progress)
    count = {outcome: sum(1 for r in done if r.error is None and r.outcome == outcome)
             for outcome in ("issued", "kept", "completed")}
    failures += sum(1 for result in done if result.error is not None)
    earlier = (f", {count['kept']} kept from an earlier run" if count["kept"] else "") + \
        (f", {count['completed']} completed (an earlier run had stopped)" if count["completed"] else "")
    stderr.print(f"{count['issued']} bundle(s) issued ({names}){earlier}, {failures} failed -> {out_dir}",
                 markup=False)
    return failures


def bundle_inputs(files: list[Path]) -> tuple[list[Path], list[Path]] | None:
    """The bundle manifests ``mcred verify`` was given (files named *.bundle.json, or those in folders that hold
    any), and the folders given; None when no bundle was given, and a plain verify runs."""
    from mcred.bundle.manifest import SUFFIX, is_bundle

    found = []
    for item in files:
        if item.is_dir():
            found.extend(sorted(p for p in item.rglob(f"*{SUFFIX}") if p.is_file()))
        elif is_bundle(item):
            found.append(item)
    if not found:
        return None
    if any(not item.is_dir() and not is_bundle(item) for item in files):
        raise UsageError("give bundles (folders with *.bundle.json, or manifests) or credentials, not both",
                         hint="verify the credentials with another `mcred verify`")
    return found, [item for item in files if item.is_dir()]


def verify_bundles(manifests: list[Path], folders: list[Path], options, output_format, lang: str) -> int:
    """Verify each bundle and print its report (text or JSON); the worst exit code."""
    from mcred.bundle.verify import verify_bundle
    from mcred.present.render import print_report_dict, print_summary
    from mcred.verify.batch import BatchSummary

    from .common import Console, OutputFormat, echo_json

    console = Console(highlight=False, emoji=False)
    summary = BatchSummary()
    for manifest in manifests:
        report = verify_bundle(manifest, options=options).report
        shown = report.to_dict(lang)
        summary.add({"report": shown, "exit_code": report.exit_code})
        if output_format is OutputFormat.json:
            echo_json(shown)
        else:
            print_report_dict(shown, console, lang)
    # as for credentials: several bundles end with a summary, and a script reading JSON always gets it
    if len(manifests) > 1 or output_format is OutputFormat.json:
        if output_format is OutputFormat.json:
            echo_json(summary.to_dict())
        else:
            print_summary(summary.to_dict(), console, lang)
    _say_unbundled(folders)
    return summary.worst_exit


def _say_unbundled(folders: list[Path]) -> None:
    """Name the credential files of the folders given that no bundle in them lists: they were not verified."""
    from mcred.bundle.manifest import SUFFIX

    for folder in folders:
        manifests = sorted(folder.rglob(f"*{SUFFIX}"))
        listed = {m.parent / r.file for m in manifests for r in _listed(m)}
        for path in sorted(p for pattern in ("*.json", "*.sd-jwt", "*.jwt") for p in folder.rglob(pattern)):
            if path.is_file() and path not in listed and not path.name.endswith(SUFFIX) \
                    and path.name != "manifest.json":
                say(f"note: {path} is in no bundle: not verified here (`mcred verify {path}`)")


def _listed(manifest: Path):
    from mcred.bundle.manifest import read_manifest
    from mcred.errors import InputError

    try:
        return read_manifest(manifest).renditions
    except InputError:
        return ()


#: `mcred show` of a bundle: each label in English and Italian
_SHOW_LABELS = {
    "learner": ("learner", "discente"), "birth_date": ("date of birth", "data di nascita"),
    "national_id": ("national identifier", "codice fiscale"), "title": ("title", "titolo"),
    "awarding_body": ("awarding body", "ente che rilascia"), "issuer": ("issuer", "emittente"),
    "awarded": ("awarded", "data di conseguimento"), "valid_until": ("valid until", "valida fino al"),
    "credits": ("credits (ECTS)", "crediti (ECTS)"), "eqf_level": ("EQF level", "livello EQF"),
    "learning_outcomes": ("learning outcomes", "risultati di apprendimento"), "formats": ("formats", "formati"),
}


def show_bundle(manifest: Path, options, lang: str) -> int:
    """``mcred show X.bundle.json``: the award once, then each format with its verdict; the bundle's exit code."""
    from rich.text import Text

    from mcred.bundle.compare import LEARNER_KINDS
    from mcred.bundle.verify import verify_bundle
    from mcred.present.render import print_checks

    from .common import Console

    console = Console(highlight=False, emoji=False)
    result = verify_bundle(manifest, options=options)
    report = result.report
    words = {"verified": ("Bundle verified", "Bundle verificato"),
             "verified-with-warnings": ("Bundle verified, with warnings", "Bundle verificato, con avvertenze"),
             "invalid": ("Bundle NOT valid", "Bundle NON valido"), "unusable": ("Not a bundle", "Non è un bundle")}
    english, italian = words[report.outcome]
    console.print(Text(f"{italian if lang == 'it' else english}  {manifest}", style="bold"))
    if result.manifest is not None:
        facts = result.manifest.facts
        learner = dict(facts.learner)
        rows = [("learner", " ".join(filter(None, (learner.get("given_name"), learner.get("family_name"))))),
                *((kind, learner[kind]) for kind in LEARNER_KINDS[2:] if kind in learner),
                ("title", facts.title), ("awarding_body", facts.awarding_body), ("issuer", result.manifest.issuer),
                ("awarded", facts.awarded), ("valid_until", facts.valid_until), ("credits", facts.credits_ects),
                ("eqf_level", facts.eqf_level)]
        for label, value in rows:
            if value is not None:
                console.print(Text(f"{_SHOW_LABELS[label][lang == 'it']}: {value}"), soft_wrap=True)
        console.print(Text(f"{_SHOW_LABELS['learning_outcomes'][lang == 'it']}:"))
        for outcome in facts.learning_outcomes:
            console.print(Text(f"  - {outcome}"), soft_wrap=True)
        console.print(Text(f"{_SHOW_LABELS['formats'][lang == 'it']}:", style="bold"))
        for item in result.renditions:
            console.print(Text(f"  {item.format:<10} {item.file:<40} {item.outcome}"
                               + (f" ({', '.join(item.problems)})" if item.problems else "")), soft_wrap=True)
    print_checks(report.to_dict(lang)["checks"], console, lang)
    return report.exit_code


def bundle(
    renditions: Annotated[list[Path], typer.Argument(metavar="RENDITION...", help="The renditions to bind.")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's Ed25519 key: signs "
                                           "the manifest; must be the issuer of the JSON-LD renditions.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="X.bundle.json", help="The manifest to write, in the "
                                      "renditions' folder.")],
    ec_key: EcKey = None,
    issued: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The manifest's time; default: now.")] = None,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing manifest.")] = False,
) -> None:
    def action():
        from mcred._files import check_output_file, write_new_file
        from mcred.bundle.formats import Signers
        from mcred.bundle.issuing import bind, examine, sniff_format
        from mcred.bundle.manifest import SUFFIX, manifest_bytes
        from mcred.dates import now_timestamp, parse_datetime
        from mcred.report import VerifyOptions

        if not out.name.endswith(SUFFIX):
            raise UsageError(f"--out {out} must end with {SUFFIX}: `mcred verify` tells bundles apart by it")
        folder = out.resolve().parent
        outside = [p for p in renditions if p.resolve().parent != folder]
        if outside:
            raise UsageError(f"{outside[0]} is not in the manifest's folder ({folder}): a manifest names files beside "
                             "it", hint="copy the renditions next to the manifest, or write the manifest next to them")
        check_output_file(out, force=force)
        when = issued or now_timestamp()
        if parse_datetime(when) is None:
            raise UsageError(f"--issued {when!r} is not an ISO 8601 date-time")
        loaded = load_signers(key_file, ec_key, None, None, None, None, passphrase_env)
        signers = Signers(loaded.key, loaded.ec_key)
        options = VerifyOptions()
        examined = [examine(path, sniff_format(path), options) for path in renditions]
        manifest = bind(examined, signers, issued=when)
        write_new_file(out, manifest_bytes(manifest), force=force)
        stderr.print(f"bound {len(examined)} renditions ({', '.join(e.format.name for e in examined)}) -> {out}",
                     markup=False)

    run(action)


def convert(
    credential: Annotated[Path, typer.Argument(metavar="CRED", help="The verified mcred credential to convert.")],
    to: Annotated[str, typer.Option("--to", metavar="FORMAT", help="sd-jwt-vc, vc2, ob3, edc or jades.")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's Ed25519 key (the "
                                           "credential's issuer, for a JSON-LD credential).")],
    outcomes_file: Annotated[Path, typer.Option("--outcomes", metavar="OUTCOMES.yaml", help="The outcome file the "
                                                "credential was issued from.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The converted credential.")],
    ec_key: EcKey = None,
    cert: Cert = None,
    seal_p12: SealP12 = None,
    seal_key: SealKey = None,
    seal_chain: SealChain = None,
    issued: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The new credential's issuing time; "
                                               "default: now.")] = None,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
) -> None:
    def action():
        from mcred._files import check_output_file
        from mcred.bundle.convert import convert as convert_credential
        from mcred.bundle.formats import format_named
        from mcred.bundle.issuing import needs_of
        from mcred.dates import now_timestamp, parse_datetime
        from mcred.elm.outcomes import load_outcomes
        from mcred.report import VerifyOptions

        from .common import write_output

        target = format_named(to)
        check_output_file(out, force=force)
        when = issued or now_timestamp()
        if parse_datetime(when) is None:
            raise UsageError(f"--issued {when!r} is not an ISO 8601 date-time")
        signers = load_signers(key_file, ec_key, cert, seal_p12, seal_key, seal_chain, passphrase_env)
        needs_of([target], signers)
        outcomes = load_outcomes(outcomes_file, now=when, learners_issued=True)
        data = convert_credential(credential, target, outcomes, signers, issued=when, options=VerifyOptions())
        write_output(out, data.decode("utf-8"), force)
        stderr.print(f"converted {credential} -> {out} ({target.name})", markup=False)

    run(action)

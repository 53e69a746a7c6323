"""The ``mcred`` command line: parse options, call the library, render, return an exit code.

No JSON-LD, cryptography or schema logic lives here.
"""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ._cli_options import (
    Console,
    ExitCode,
    OutputFormat,
    PassphraseEnv,
    echo,
    echo_json,
    escape,
    run,
    stderr,
    write_output,
)
from ._files import read_json
from ._text import json_safe, terminal_safe
from .errors import InputError, UsageError


class Suite(str, Enum):
    rdfc = "eddsa-rdfc-2022"
    jcs = "eddsa-jcs-2022"


app = typer.Typer(
    name="mcred",
    help="Offline European micro-credentials: build, sign, verify and stack W3C Verifiable "
    "Credentials with Ed25519 Data Integrity proofs. Nothing is ever fetched from the network.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
    # plain help: typer's rich help pulls in a Markdown parser, which doubles `mcred --help`'s start-up
    rich_markup_mode=None,
)

def _register_subcommands() -> None:
    from .cli_seal import seal
    from .cli_show import register as register_show
    from .cli_status import status_app
    from .cli_trust import trust_app

    app.add_typer(trust_app)
    app.add_typer(status_app)
    register_show(app)  # show, render
    app.command("seal")(seal)


@app.command()
def keygen(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the private key "
                                      "(PKCS#8 PEM, mode 0600).")],
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing key file.")] = False,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Create an Ed25519 signing key and print its did:key and verification method."""

    def action():
        from .keys import SigningKey, passphrase_from_env, save_signing_key

        passphrase = passphrase_from_env(passphrase_env)
        key = SigningKey.generate()
        save_signing_key(key, out, passphrase=passphrase, force=force)
        _print_key(key, out, encrypted=passphrase is not None, output_format=output_format)

    run(action)


def _print_key(key, path: Path, *, encrypted: bool, output_format: OutputFormat) -> None:
    info = {
        "file": str(path),
        "encrypted": encrypted,
        "did": key.did,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key.multibase,
    }
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(info))
        return
    typer.echo(f"wrote {path} (Ed25519, PKCS#8 PEM{', encrypted' if encrypted else ''}, mode 0600)")
    typer.echo(f"did:                 {key.did}")
    typer.echo(f"verificationMethod:  {key.verification_method}")
    typer.echo(f"publicKeyMultibase:  {key.public_key.multibase}")


@app.command("key-info")
def key_info(
    key_file: Annotated[Path, typer.Argument(metavar="KEY", help="A key file (PEM, hex seed or "
                                             "Multikey JSON).")],
    passphrase_env: PassphraseEnv = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Print the did:key and verification method of a key file (never the secret)."""

    def action():
        from .keys import load_signing_key, passphrase_from_env

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        info = {"file": str(key_file), "did": key.did,
                "verificationMethod": key.verification_method,
                "publicKeyMultibase": key.public_key.multibase}
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(info))
        else:
            for name, value in info.items():
                typer.echo(f"{name + ':':<20} {value}")

    run(action)


@app.command(help=(
    "Add a Data Integrity proof to a JSON-LD credential whose contexts are bundled.\n\n"
    "The issuer must be the key's DID (see --issuer-from-key). With eddsa-rdfc-2022 a "
    "credential with a term no context defines, or a relative IRI, is refused (exit 3), "
    "because the signature would not cover it. A credential that already has proofs gets "
    "one more (a proof set)."))
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
) -> None:

    def action():
        from .keys import load_signing_key, passphrase_from_env
        from .signing import sign_credential

        if str(out) != "-" and out.exists() and not force:
            raise UsageError("the output file already exists", file=str(out),
                             hint="pass --force to replace it")
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        document = read_json(input_file)
        signed = sign_credential(document, key, suite=suite.value, created=created,
                                 issuer_from_key=issuer_from_key, file=str(input_file))
        write_output(out, json.dumps(signed, indent=2, ensure_ascii=False) + "\n", force)
        if str(out) != "-":
            stderr.print(f"signed {input_file} -> {out} ({suite.value}, {key.verification_method})",
                          highlight=False, markup=False)

    run(action)


class Lang(str, Enum):
    en = "en"
    it = "it"


@app.command(help=(
    "Verify credentials offline and explain every check.\n\n"
    "Checks, in order: json, contexts, jsonld, proof (each), issuer (and trust, with --trust), validity, "
    "status (with --status-list), components (for a stack), digest (with --expect-digest). A Europass "
    "credential sealed with JAdES (EDC) first gets the seal checks: seal, certificate, chain (to --trust "
    "anchors), revocation, timestamps; then contexts, jsonld, elm (Annex I) and the rest on its payload. Folders are "
    "searched for *.json files; several files are verified in one process pool (--jobs) and end with a "
    "summary. Exit 0 when every file verified (warnings allowed unless --strict), 1 when one is not valid, "
    "3 when one could not be used at all (unreadable, malformed JSON, unknown context)."))
def verify(
    files: Annotated[list[Path], typer.Argument(metavar="FILE|DIR...", help="Credential files, or folders "
                                                "of them.")],
    now: Annotated[str | None, typer.Option(metavar="ISO-8601", help="Check validity dates "
                                            "at this time instead of the current time.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: tables for people; json: one JSON object per file (JSON Lines), and a "
        "summary line for several files.")] = OutputFormat.text,
    trust: Annotated[Path | None, typer.Option("--trust", metavar="TRUST.yaml",
                                               help="Trusted issuers (see `mcred trust`).")] = None,
    status_list: Annotated[list[Path] | None, typer.Option(
        "--status-list", metavar="LIST.json", help="A local copy of a status list; repeat for several."
    )] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings (an untrusted issuer, a status "
                                         "that could not be checked) as failures.")] = False,
    lang: Annotated[Lang | None, typer.Option(help="Language of the messages (default: MCRED_LANG or the "
                                              "locale).")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Worker processes for several files.")] = 1,
    details: Annotated[bool, typer.Option("--details", help="With several files, print every check of "
                                          "every file, not one line each.")] = False,
    expect_digest: Annotated[str | None, typer.Option(
        "--expect-digest", metavar="TEXT", help="Check that the file is the credential a printed page names: "
        "the page's QR text (mcred:1 ID sha256:HEX), sha256:HEX or the hex digest (see `mcred render`). "
        "One file only.")] = None,
) -> None:
    def action():
        from .batch import BatchSummary, expand_inputs, verify_many
        from .dates import parse_datetime
        from .messages import default_language

        when = None
        if now is not None:
            when = parse_datetime(now)
            if when is None:
                raise UsageError(f"--now {now!r} is not an ISO 8601 date-time",
                                 hint="e.g. --now 2026-01-31T12:00:00Z")
        language = lang.value if lang else default_language()
        paths = expand_inputs(files)
        # read the trust and status lists once, here, so that a bad file is reported before any work
        from .batch import load_options

        trust_path, status_paths = (str(trust) if trust else None), tuple(map(str, status_list or ()))
        options = load_options(trust_path, status_paths, strict, when)
        if expect_digest is not None:
            options = _expecting(options, expect_digest, paths)
        several = len(paths) > 1
        summary = BatchSummary()
        console = Console(highlight=False, emoji=False)
        results = verify_many(paths, jobs=jobs, options=options, trust_path=trust_path,
                              status_paths=status_paths, lang=language)
        with _progress(len(paths)) as advance:
            for result in results:
                summary.add(result)
                advance()
                _print_result(result["report"], output_format, console, language,
                              full=details or not several)
        if several:
            _print_summary(summary, output_format, console, language)
        raise typer.Exit(summary.worst_exit)

    run(action)


def _expecting(options, text: str, paths: list[Path]):
    """The options with an expected digest (--expect-digest), which names one credential."""
    from dataclasses import replace

    from .digest import parse_expected_digest

    expected = parse_expected_digest(text)
    if len(paths) != 1:
        raise UsageError(f"--expect-digest names one credential, but {len(paths)} files were given",
                         hint="give the one file the printed page belongs to")
    return replace(options, expect_digest=expected)


def _progress(total: int):
    """A progress bar on standard error for long runs on a terminal; a no-op otherwise."""
    from contextlib import contextmanager

    if total < 50 or not stderr.is_terminal:
        @contextmanager
        def no_bar():  # without importing rich.progress, a twentieth of a one-file verify's start-up
            yield lambda: None

        return no_bar()

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextmanager
    def bar():
        with Progress(TextColumn("verifying"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=stderr, transient=True) as progress:
            task = progress.add_task("verify", total=total)
            yield lambda: progress.advance(task)

    return bar()


def _print_result(report: dict, output_format: OutputFormat, console: "Console", lang: str, *,
                  full: bool) -> None:
    from .render import print_report_dict, print_report_line

    if output_format is OutputFormat.json:
        echo_json(report)
    elif full:
        print_report_dict(report, console, lang)
    else:
        print_report_line(report, console, lang)


def _print_summary(summary, output_format: OutputFormat, console: "Console", lang: str) -> None:
    from .render import print_summary

    if output_format is OutputFormat.json:
        echo_json(summary.to_dict())
    else:
        print_summary(summary.to_dict(), console, lang)


@app.command(help=(
    "Build and sign ELM v3 (Europass) micro-credentials from a learning-outcome file.\n\n"
    "One learner: --out CRED.json (the file's only learner, or --learner N). A roster: "
    "--learners ROSTER.csv --out-dir DIR writes one credential per row and DIR/manifest.json; "
    "a bad row is reported by number and skipped; running the same command again finishes "
    "an interrupted run without duplicates. Every rule is checked before anything is signed. "
    "Exit 0 when everything was issued, 1 when some rows failed, 3 when the outcome file is "
    "unusable."))
def issue(
    outcomes_file: Annotated[Path, typer.Argument(metavar="OUTCOMES.yaml", help="The learning-outcome "
                                                  "file (YAML or JSON).")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's signing key.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="CRED.json",
                                                help="Output file for one learner.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", metavar="DIR", help="Output folder for "
                                                    "a roster or every learner in the file.")] = None,
    learners: Annotated[Path | None, typer.Option("--learners", metavar="ROSTER.csv",
                                                     help="A CSV roster (see the README for its columns)."
                                                     )] = None,
    learner: Annotated[int | None, typer.Option("--learner", metavar="N", min=1,
                                                   help="Issue for the N-th learner of the outcome file."
                                                   )] = None,
    suite: Annotated[Suite, typer.Option(help="Cryptosuite of the proofs.")] = Suite.rdfc,
    issued: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The issuing time "
                                                  "(issued, issuanceDate and the proof's created); "
                                                  "default: now.")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Worker processes for a roster.")] = 1,
    status_list: Annotated[Path | None, typer.Option(
        "--status-list", metavar="LIST.json", help="Give each credential an index in this status list (made "
        "with `mcred status init` and the same key), so that it can be revoked or suspended later.")] = None,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite existing output files.")] = False,
) -> None:
    def action():
        from .dates import now_timestamp
        from .keys import load_signing_key, passphrase_from_env
        from .outcomes import load_outcomes

        if (out is None) == (out_dir is None):
            raise UsageError("give exactly one of --out (one learner) and --out-dir (several)")
        if learners is not None and out_dir is None:
            raise UsageError("--learners needs --out-dir")
        when = issued or now_timestamp()
        from .dates import parse_datetime

        if parse_datetime(when) is None:
            raise UsageError(f"--issued {when!r} is not an ISO 8601 date-time")
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        outcomes = load_outcomes(outcomes_file)
        if out is not None:
            _issue_one(outcomes, key, out, learner, suite.value, when, force, status_list)
        else:
            _issue_many(outcomes, key, out_dir, learners, suite.value, when, jobs, force, status_list)

    run(action)


def _issue_one(outcomes, key, out: Path, number: int | None, suite: str, when: str, force: bool,
               status_list: Path | None = None) -> None:
    from .issue import credential_bytes, issue_credential

    if str(out) != "-" and out.exists() and not force:
        raise UsageError("the output file already exists", file=str(out), hint="pass --force to replace it")
    people = outcomes.learners
    if number is None and len(people) != 1:
        raise UsageError(f"the outcome file lists {len(people)} learners; choose one with --learner N "
                         "or issue them all with --out-dir", file=str(outcomes.file))
    index = (number or 1) - 1
    if index >= len(people):
        raise UsageError(f"--learner {number}: the outcome file lists {len(people)} learner(s)",
                         file=str(outcomes.file))
    status = None
    if status_list is not None:  # allocated (and recorded) before the credential exists
        from .status_lists import allocate_index

        list_id, list_index, _ = allocate_index(status_list, issuer=key.did)
        status = (list_id, list_index)
    signed = issue_credential(outcomes, people[index], key, issued=when, suite=suite, status=status)
    write_output(out, credential_bytes(signed).decode("utf-8"), force)
    if str(out) != "-":
        where = f", status {status[0]}#{status[1]}" if status else ""
        stderr.print(f"issued {out} ({signed['id']}, {suite}{where})", markup=False)


def _issue_many(outcomes, key, out_dir: Path, roster: Path | None, suite: str, when: str, jobs: int,
                force: bool, status_list: Path | None = None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .issue import issue_roster, sha256_file
    from .outcomes import read_roster

    if roster is not None:
        rows = [(r.row, r.learner, r.problems) for r in read_roster(roster)]
        sources = {"outcomes": str(outcomes.file), "outcomes_sha256": sha256_file(outcomes.file),
                   "roster": str(roster), "roster_sha256": sha256_file(roster)}
    else:
        rows = [(index, person, []) for index, person in enumerate(outcomes.learners, start=1)]
        sources = {"outcomes": str(outcomes.file), "outcomes_sha256": sha256_file(outcomes.file)}
    if not rows:
        raise UsageError("there are no learners to issue for", file=str(roster or outcomes.file))
    if status_list is not None:
        sources["status_list"] = str(status_list)
    failures = []
    with Progress(TextColumn("issuing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr, disable=not stderr.is_terminal or len(rows) < 20) as bar:
        task = bar.add_task("issue", total=len(rows))

        def progress(result):
            bar.advance(task)
            if result.status == "failed":
                failures.append(result)
                bar.console.print(terminal_safe(f"row {result.row}: {result.error}"), markup=False, style="red")

        results = issue_roster(outcomes, rows, key, out_dir, issued=when, suite=suite, jobs=jobs,
                               force=force, progress=progress, sources=sources, status_list=status_list)
    counts = {status: sum(1 for r in results if r.status == status)
              for status in ("issued", "already-issued", "failed")}
    stderr.print(f"{counts['issued']} issued, {counts['already-issued']} already issued, "
                  f"{counts['failed']} failed -> {out_dir}/manifest.json", markup=False)
    if counts["failed"]:
        raise typer.Exit(ExitCode.INVALID)


@app.command(help=(
    "Stack verified micro-credentials into a larger signed credential.\n\n"
    "Every component is verified fully (the same checks as `mcred verify`), then the rules: one learner, "
    "no double counting, credits summed exactly (25 hours per CFU), the target pathway's requirements and "
    "caps, the EQF level. Each component is bound by its id and digest and carried inside the stack, so "
    "the stack verifies offline as one file. --plan prints what would be recognised, without signing. "
    "Exit 0 done, 1 a rule is broken or a component does not verify, 3 an input is unusable."))
def stack(
    files: Annotated[list[Path], typer.Argument(metavar="CRED.json...", help="The component credentials.")],
    key_file: Annotated[Path | None, typer.Option("--key", "-k", metavar="KEY", help="The stacking "
                                                  "issuer's signing key (not needed with --plan).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="STACK.json")] = None,
    target: Annotated[Path | None, typer.Option("--target", metavar="PATHWAY.yaml", help="What the stack is "
                                                "for: requirements, recognition moment, caps.")] = None,
    issuer_file: Annotated[Path | None, typer.Option("--issuer", metavar="ISSUER.yaml", help="Who stacks "
                                                     "(legal name, country, VAT...); default: the pathway's "
                                                     "issuer.")] = None,
    title: Annotated[list[str] | None, typer.Option("--title", metavar="LANG=TEXT", help="The stack's "
                                                    "title, e.g. --title 'it=Percorso' --title 'en=Pathway'; "
                                                    "default: the pathway's.")] = None,
    eqf_level: Annotated[int | None, typer.Option("--eqf-level", min=1, max=8, help="EQF level to claim "
                                                  "(default: the target's); never above it.")] = None,
    plan_only: Annotated[bool, typer.Option("--plan", help="Print the plan (covered, missing, recognised, "
                                            "cut) and sign nothing.")] = False,
    trust: Annotated[Path | None, typer.Option("--trust", metavar="TRUST.yaml", help="Trusted issuers, as for "
                                               "`mcred verify`: a component of an issuer not listed is a warning "
                                               "(see --strict).")] = None,
    status_list: Annotated[list[Path] | None, typer.Option("--status-list", metavar="LIST.json", help="A local "
                                                           "copy of a status list; repeat for several.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse a component verified with warnings (an issuer "
                                         "not in --trust, a status that could not be checked), as `mcred verify "
                                         "--strict` would fail it.")] = False,
    now: Annotated[str | None, typer.Option(metavar="ISO-8601", help="Verify the components at this time.")] = None,
    issued: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The stack's issuing time.")] = None,
    suite: Annotated[Suite, typer.Option(help="Cryptosuite of the stack's proof.")] = Suite.rdfc,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Of the plan.")] = OutputFormat.text,
    passphrase_env: PassphraseEnv = None,
    force: Annotated[bool, typer.Option(help="Overwrite STACK.json.")] = False,
) -> None:
    def action():
        from .batch import load_options
        from .dates import now_timestamp, parse_datetime
        from .stack import build_stack_credential, load_components, load_pathway, plan_stack

        if not plan_only and (key_file is None or out is None):
            raise UsageError("give --key and --out to sign the stack, or --plan to only see it")
        if out is not None and str(out) != "-" and out.exists() and not force:
            raise UsageError("the output file already exists", file=str(out), hint="pass --force to replace it")
        when = parse_datetime(now) if now else None
        if now and when is None:
            raise UsageError(f"--now {now!r} is not an ISO 8601 date-time")
        options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), strict, when)
        pathway = load_pathway(target) if target else None
        components = load_components(files, options)
        plan = plan_stack(components, pathway, eqf_level=eqf_level)
        if plan_only or not plan.ok:
            _print_plan(plan, output_format)
            raise typer.Exit(ExitCode.OK if plan.ok else ExitCode.INVALID)
        from .keys import load_signing_key, passphrase_from_env
        from .signing import sign_credential

        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        stack_title = _title(title, pathway)
        issuer = _stack_issuer(issuer_file, pathway)
        when_issued = issued or now_timestamp()
        unsigned = build_stack_credential(plan, issuer=issuer, issuer_did=key.did, issued=when_issued,
                                          title=stack_title, pathway=pathway)
        signed = sign_credential(unsigned, key, suite=suite.value, created=when_issued)
        write_output(out, json.dumps(signed, indent=2, ensure_ascii=False) + "\n", force)
        _print_plan(plan, output_format, stream=stderr if str(out) == "-" else None)
        if str(out) != "-":
            stderr.print(f"stacked {len(plan.components)} credentials -> {out} ({signed['id']})", markup=False)

    run(action)


def _title(pairs: list[str] | None, pathway) -> dict:
    if pairs:
        title = {}
        for pair in pairs:
            lang, sep, text = pair.partition("=")
            if not sep or len(lang) != 2 or not text:
                raise UsageError(f"--title {pair!r} is not LANG=TEXT (e.g. it=Percorso dati)")
            title[lang] = text
        return title
    if pathway is None:
        raise UsageError("give the stack a title with --title LANG=TEXT, or a --target pathway that has one")
    return dict(pathway.data["title"])


def _stack_issuer(path: Path | None, pathway) -> dict:
    from ._schema import schema_iter_errors
    from .outcomes import OutcomeFileError, Problem, load_yaml

    if path is not None:
        data, lines = load_yaml(path)
        source = str(path)
    elif pathway is not None and "issuer" in pathway.data:
        data, lines, source = pathway.data["issuer"], {}, pathway.file
    else:
        raise UsageError("say who stacks: --issuer ISSUER.yaml, or an issuer block in the --target pathway")
    problems = [Problem(p, m, lines.get(p)) for p, m in schema_iter_errors(data, "outcomes-1.schema.json",
                                                                           "#/$defs/issuer")]
    if problems:
        raise OutcomeFileError(problems, file=source)
    return data


def _print_plan(plan, output_format: OutputFormat, stream: "Console | None" = None) -> None:
    from .render import print_plan

    if output_format is OutputFormat.json:
        text = json_safe(json.dumps(plan.to_dict(), ensure_ascii=False))
        if stream is None:
            typer.echo(text)
        else:
            stream.print(text, markup=False)
        return
    print_plan(plan.to_dict(), stream or Console(highlight=False, emoji=False))


@app.command(help=(
    "Check credential files against mcred's rules without signing: JSON-LD terms and IRIs, and for "
    "ELM credentials the EU Annex I mandatory elements, hours vs credits (25 h per CFU, +/-20 %), "
    "EQF level, ISO 8601 durations and dates, codice fiscale, one value for a property that may have "
    "one. Every rule reads the credential's graph, however its JSON is written. Exit 0 clean (warnings "
    "allowed), 1 when a rule is broken, 3 when a file is unusable."))
def lint(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Credential files.")],
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    def action():
        from .lint import lint_credential

        worst = ExitCode.OK
        for path in files:
            try:
                document = read_json(path)
            except InputError as error:
                stderr.print(f"[bold red]error[/]: {escape(error.diagnostics())}")
                worst = max(worst, ExitCode.UNUSABLE)
                continue
            problems = lint_credential(document)
            errors = [p for p in problems if p.severity == "error"]
            if output_format is OutputFormat.json:
                echo_json({"format": "mcred-lint/1", "file": str(path), "clean": not errors,
                           "problems": [p.to_dict() for p in problems]})
            else:
                echo(f"{'clean' if not errors else 'NOT CLEAN'}  {path}")
                for p in problems:
                    echo(f"  {p.severity:<7} {p.code:<26} {p.path}: {p.message}")
            if errors:
                worst = max(worst, ExitCode.INVALID)
        raise typer.Exit(worst)

    run(action)


@app.command()
def contexts(
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """List the JSON-LD contexts mcred bundles (the only ones it will ever load)."""

    def action():
        from .bundled import context_bytes, context_index

        rows = []
        for entry in context_index().values():
            context_bytes(entry.url)  # checks the pinned digest
            rows.append({"url": entry.url, "file": entry.file, "sha256": entry.sha256})
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(rows, indent=2))
            return
        for row in rows:
            typer.echo(f"{row['url']}\n    {row['file']}  sha256:{row['sha256']}")

    run(action)


_register_subcommands()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

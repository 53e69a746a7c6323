"""``mcred stack``: verified micro-credentials stacked into a larger signed credential (or only planned)."""

import json
from pathlib import Path
from typing import Annotated

import typer

from mcred._text import json_safe
from mcred.errors import UsageError

from .common import (
    Console,
    DidDocuments,
    ExitCode,
    OutputFormat,
    PassphraseEnv,
    Suite,
    documents_paths,
    run,
    stderr,
    write_output,
)

STACK_HELP = (
    "Stack verified micro-credentials into a larger signed credential.\n\n"
    "Every component is verified fully (the same checks as `mcred verify`), then the rules: one learner, "
    "no double counting, credits summed exactly (25 hours per CFU), the target pathway's requirements and "
    "caps, the EQF level (not above the target's, nor above every component's). Each component is bound "
    "by its id and digest and carried inside the stack, so "
    "the stack verifies offline as one file. --plan prints what would be recognised, without signing. "
    "Exit 0 done, 1 a rule is broken or a component does not verify, 3 an input is unusable.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=STACK_HELP)(stack)


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
                                                  "(default: the target's); never above it, nor above every "
                                                  "component's unless the pathway says eqf_above_parts: true.")] = None,
    plan_only: Annotated[bool, typer.Option("--plan", help="Print the plan (covered, missing, recognised, "
                                            "cut) and sign nothing.")] = False,
    trust: Annotated[Path | None, typer.Option("--trust", metavar="TRUST.yaml", help="Trusted issuers, as for "
                                               "`mcred verify`: a component of an issuer not listed is a warning "
                                               "(see --strict).")] = None,
    status_list: Annotated[list[Path] | None, typer.Option("--status-list", metavar="LIST.json", help="A local "
                                                           "copy of a status list; repeat for several.")] = None,
    did_documents: DidDocuments = None,
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
        from mcred.dates import now_timestamp, parse_datetime
        from mcred.stack.stacking import build_stack_credential, load_components, load_pathway, plan_stack
        from mcred.verify.batch import load_options

        if not plan_only and (key_file is None or out is None):
            raise UsageError("give --key and --out to sign the stack, or --plan to only see it")
        if out is not None:  # an existing file without --force, or a folder: before any work
            from mcred._files import check_output_file

            check_output_file(out, force=force)
        when = parse_datetime(now) if now else None
        if now and when is None:
            raise UsageError(f"--now {now!r} is not an ISO 8601 date-time")
        options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), strict, when,
                               documents_paths(did_documents))
        pathway = load_pathway(target) if target else None
        components = load_components(files, options)
        plan = plan_stack(components, pathway, eqf_level=eqf_level)
        if plan_only or not plan.ok:
            _print_plan(plan, output_format)
            raise typer.Exit(ExitCode.OK if plan.ok else ExitCode.INVALID)
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env
        from mcred.proofs.signing import sign_credential

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
    from mcred._schema import schema_iter_errors
    from mcred.elm.outcomes import OutcomeFileError, Problem, load_yaml

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
    from mcred.present.render import print_plan

    if output_format is OutputFormat.json:
        text = json_safe(json.dumps(plan.to_dict(), ensure_ascii=False))
        if stream is None:
            typer.echo(text)
        else:
            stream.print(text, markup=False)
        return
    print_plan(plan.to_dict(), stream or Console(highlight=False, emoji=False))

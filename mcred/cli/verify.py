"""``mcred verify``: verify credentials offline and explain every check; many files in a process pool."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mcred.errors import UsageError

from .common import (
    Console,
    DidDocuments,
    Lang,
    OutputFormat,
    documents_paths,
    echo_json,
    escape,
    run,
    say_skipped_documents,
    stderr,
    stdout_closed,
)

VERIFY_HELP = (
    "Verify credentials offline and explain every check.\n\n"
    "Checks, in order: json, contexts, jsonld, vcdm2 (VC 2.0), ob3 (Open Badges 3.0), euhemc (ELM 3.2 EUHEMC), "
    "proof (each), issuer (and trust, with --trust), validity, "
    "status (with --status-list), components (for a stack), digest (with --expect-digest). A Europass "
    "credential sealed with JAdES (EDC) first gets the seal checks: seal, certificate, chain (to --trust "
    "anchors), revocation, timestamps; then contexts, jsonld, elm (Annex I) and the rest on its payload. "
    "A JWT (vc+jwt, VC-JWT 1.1) gets the jwt checks; an SD-JWT VC (*.sd-jwt) gets sdjwt, profile, certificate, "
    "proof, chain (to --trust anchors), disclosures, type (its vct's type metadata), validity, key_binding "
    "(--nonce, --aud) and status (a Token Status List given with --status-list). Folders are "
    "searched for *.json, *.jwt and *.sd-jwt files, and the manifest `mcred issue` writes beside a batch is "
    "skipped (also when a glob names it); several files are verified in one process pool (--jobs) and end with a "
    "summary. A verifiable presentation (see `mcred present`) gets the holder's checks (proof with purpose "
    "authentication, --challenge, --domain, holder), then each credential's full report. Exit 0 when every "
    "file verified (warnings allowed unless --strict), 1 when one is not valid, "
    "3 when one could not be used at all (unreadable, malformed JSON, unknown context).\n\n"
    "Bundles (a folder holding *.bundle.json, or the manifest itself): the manifest's signature, then each "
    "rendition's digest, full report, issuer and facts against the manifest's (docs/bundle.md).")


class Profile(str, Enum):
    """What an SD-JWT VC is checked against besides the format: HAIP's baseline, or the IT-Wallet's additions."""

    haip = "haip"
    it_wallet = "it-wallet"


class HolderBinding(str, Enum):
    """Whether a presented credential must be about the presentation's holder."""

    warn = "warn"
    required = "required"


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=VERIFY_HELP)(verify)


def verify(
    files: Annotated[list[Path], typer.Argument(metavar="FILE|DIR...", help="Credential files, or folders "
                                                "of them.")],
    now: Annotated[str | None, typer.Option(metavar="ISO-8601", help="Check validity dates "
                                            "at this time instead of the current time.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: tables for people; json: one JSON object per file (JSON Lines), and always a "
        "summary line last.")] = OutputFormat.text,
    trust: Annotated[Path | None, typer.Option("--trust", metavar="TRUST.yaml",
                                               help="Trusted issuers (see `mcred trust`).")] = None,
    status_list: Annotated[list[Path] | None, typer.Option(
        "--status-list", metavar="LIST.json", help="A local copy of a status list (a W3C "
        "Bitstring list, or a Token Status List JWT for SD-JWT VCs: told apart by content); repeat for several."
    )] = None,
    did_documents: DidDocuments = None,
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
    proof_only: Annotated[bool, typer.Option(
        "--proof-only", help="Check that every proof verifies (proof sets and chains with several signers), "
        "without the issuer rule: the issuer check is skipped (SKIPPED_PROOF_ONLY), so who signed is not "
        "checked.")] = False,
    challenge: Annotated[str | None, typer.Option(
        metavar="TEXT", help="For a presentation: the challenge you sent its holder; its proof must carry it "
        "(without it, a replayed presentation would verify too: a warning).")] = None,
    domain: Annotated[str | None, typer.Option(
        metavar="TEXT", help="For a presentation: your domain; its proof must carry it.")] = None,
    nonce: Annotated[str | None, typer.Option(
        metavar="TEXT", help="For an SD-JWT VC presentation: the nonce you sent its holder; its Key Binding JWT "
        "must carry it (given, key binding is required).")] = None,
    aud: Annotated[str | None, typer.Option(
        metavar="TEXT", help="For an SD-JWT VC presentation: who you are; its Key Binding JWT must be for you "
        "(given, key binding is required).")] = None,
    profile: Annotated[Profile, typer.Option(
        "--profile", help="For an SD-JWT VC: haip (the baseline) or it-wallet, which also requires exp, the "
        "header's kid, issuing_authority and issuing_country (ISO 3166-1 alpha-2) in the clear and an HTTPS iss."
    )] = Profile.haip,
    type_metadata: Annotated[list[Path] | None, typer.Option(
        "--type-metadata", metavar="FILE|DIR", help="For an SD-JWT VC: type metadata (SD-JWT VC draft) for its "
        "vct, beside the bundled DC4EU types; a folder's *.json files. Never fetched. Repeat for several.")] = None,
    holder_binding: Annotated[HolderBinding, typer.Option(
        "--holder-binding", help="For a presentation: a credential whose subject is not the holder is a warning "
        "(warn) or a failure (required).")] = HolderBinding.warn,
) -> None:
    def action():
        from mcred.dates import parse_datetime
        from mcred.messages import default_language
        from mcred.verify.batch import BatchSummary, expand_inputs, verify_many

        when = None
        if now is not None:
            when = parse_datetime(now)
            if when is None:
                raise UsageError(f"--now {now!r} is not an ISO 8601 date-time",
                                 hint="e.g. --now 2026-01-31T12:00:00Z")
        language = lang.value if lang else default_language()
        from .bundle import bundle_inputs

        bundles = bundle_inputs(files)
        if bundles is not None:  # bundles: each manifest, then every rendition it lists (docs/bundle.md)
            if expect_digest is not None or challenge is not None or domain is not None or nonce is not None \
                    or aud is not None:
                raise UsageError("--expect-digest, --challenge, --domain, --nonce and --aud are for one credential "
                                 "or presentation, not for bundles", hint="verify that file on its own")
            from mcred.verify.batch import load_options

            options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), strict, when,
                                   documents_paths(did_documents), proof_only=proof_only,
                                   type_metadata_paths=tuple(map(str, type_metadata or ())), profile=profile.value)
            from .bundle import verify_bundles

            raise typer.Exit(verify_bundles(*bundles, options, output_format, language))
        paths, manifests = expand_inputs(files)
        for manifest in manifests:
            stderr.print(f"skipped {escape(str(manifest))}: the manifest written by `mcred issue`, not a credential")
        # read the trust and status lists once, here, so that a bad file is reported before any work
        from mcred.verify.batch import load_options

        trust_path, status_paths = (str(trust) if trust else None), tuple(map(str, status_list or ()))
        documents = documents_paths(did_documents)
        metadata_paths = tuple(map(str, type_metadata or ()))
        options = load_options(trust_path, status_paths, strict, when, documents, proof_only=proof_only,
                               type_metadata_paths=metadata_paths, profile=profile.value)
        say_skipped_documents(options)
        # a broken --status-list file stops nothing: the credentials that point to it say so in their reports
        for unreadable in getattr(options.status_lists, "unreadable", ()):
            if language == "it":
                stderr.print(f"attenzione: --status-list {escape(unreadable.file)} non è utilizzabile: "
                             f"{escape(unreadable.reason_it)}")
            else:
                stderr.print(f"warning: --status-list {escape(unreadable.file)} cannot be used: "
                             f"{escape(unreadable.reason)}")
        if expect_digest is not None:
            options = _expecting(options, expect_digest, paths)
        if nonce is not None or aud is not None:
            from dataclasses import replace

            options = replace(options, nonce=nonce, audience=aud)
        several = len(paths) > 1
        summary = BatchSummary()
        console = Console(highlight=False, emoji=False)
        presentation = {"challenge": challenge, "domain": domain, "holder_binding": holder_binding.value}
        results = verify_many(paths, jobs=jobs, options=options, trust_path=trust_path,
                              status_paths=status_paths, lang=language, documents_paths=documents,
                              presentation=presentation, type_metadata_paths=metadata_paths)
        with _progress(len(paths)) as advance:
            for result in results:
                summary.add(result)
                advance()
                try:
                    _print_result(result["report"], output_format, console, language,
                                  full=details or not several)
                except BrokenPipeError:  # `| head`: the rest is verified, for the exit code, and not shown
                    stdout_closed()
        if several or output_format is OutputFormat.json:  # a script reading JSON always gets the summary
            try:
                _print_summary(summary, output_format, console, language)
            except BrokenPipeError:
                stdout_closed()
        raise typer.Exit(summary.worst_exit)

    run(action)


def _expecting(options, text: str, paths: list[Path]):
    """The options with an expected digest (--expect-digest), which names one credential."""
    from dataclasses import replace

    from mcred.verify.digest import parse_expected_digest

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
    from mcred.present.render import print_presentation_dict, print_report_dict, print_report_line

    if output_format is OutputFormat.json:
        echo_json(report)
    elif report.get("kind") == "presentation":
        print_presentation_dict(report, console, lang, full=full)
    elif full:
        print_report_dict(report, console, lang)
    else:
        print_report_line(report, console, lang)


def _print_summary(summary, output_format: OutputFormat, console: "Console", lang: str) -> None:
    from mcred.present.render import print_summary

    if output_format is OutputFormat.json:
        echo_json(summary.to_dict())
    else:
        print_summary(summary.to_dict(), console, lang)

"""``mcred show`` and ``mcred render``: a credential a person can read, print and check.

Parse options, verify (:mod:`mcred.verify.runner`), build the view (:mod:`mcred.present.view`),
then print it (:func:`mcred.present.render.print_credential`) or write the page
(:mod:`mcred.present.page`, and :mod:`mcred.present.browser` for ``--pdf``). Both exit as
``mcred verify`` does: 0 verified (warnings allowed), 1 not valid (the view or
page is still made, with its "Verification failed" ribbon), 3 unusable; 2 for
usage errors. Heavy imports (rich, segno, pyld) happen inside the commands.
"""

from pathlib import Path
from typing import Annotated

import typer

from mcred.errors import UsageError

from .common import DidDocuments, Lang, documents_paths, run, say
from .verify import Profile

Credential = Annotated[Path, typer.Argument(metavar="CRED.json", help="The credential (a stack too, a file "
                                            "sealed with JAdES by EDC, a credential secured as a JWT: "
                                            "vc+jwt or VC-JWT 1.1, or an SD-JWT VC).")]
LangOption = Annotated[Lang | None, typer.Option(help="Language of the labels and messages (default: MCRED_LANG "
                                                 "or the locale).")]
TrustOption = Annotated[Path | None, typer.Option(
    "--trust", metavar="TRUST.yaml", help="Trusted issuers: the awarding body's name is taken from here when the "
    "issuer is listed (see `mcred trust`).")]
StatusOption = Annotated[list[Path] | None, typer.Option(
    "--status-list", metavar="LIST.json", help="A local copy of a status list; repeat for several.")]
ProfileOption = Annotated[Profile, typer.Option(
    "--profile", help="For an SD-JWT VC: haip (the baseline) or it-wallet (see `mcred verify --help`).")]
TypeMetadataOption = Annotated[list[Path] | None, typer.Option(
    "--type-metadata", metavar="FILE|DIR", help="For an SD-JWT VC: type metadata for its vct, beside the bundled "
    "DC4EU types (see `mcred verify --help`).")]
NowOption = Annotated[str | None, typer.Option(metavar="ISO-8601", help="Check validity dates at this time "
                                               "instead of the current time.")]

SHOW_HELP = (
    "Show a credential in the terminal: the verification ribbon and the checks behind it (green 'Verified' only "
    "for an issuer of the --trust file; otherwise it says what was not checked and how to check it: 'Signature "
    "valid — issuer not checked', 'issuer not in your trust list', 'revocation not checked'; then 'Partially "
    "verified', 'Verification failed'), then what it says: title, learner, awarding body, dates, credits and "
    "hours, EQF level, learning outcomes, assessment and grade, mode, quality assurance; for a stack, its "
    "components with their credits and the sums; for a file sealed with JAdES (EDC), the credential it carries and "
    "who sealed it, when, and whether the certificate claims to be qualified. Exit 0 verified (warnings allowed), "
    "1 not valid, 3 unusable.")
RENDER_HELP = (
    "Write a credential as one printable A4 page: self-contained HTML and CSS (no JavaScript, nothing loaded "
    "from outside), with the same content as `mcred show` and a QR code that carries the credential's id and "
    "digest (mcred:1 ID sha256:HEX; for a sealed file, the digest of what its seal signs); `mcred verify FILE "
    "--expect-digest TEXT` tells whether a file is the "
    "credential of a printed page. An SD-JWT VC's page shows the claims its holder disclosed and says how many "
    "were withheld; its QR code names the issuer-signed JWT (mcred:1 sha256:HEX). --pdf also prints it to PDF "
    "with a headless Chromium (which must be "
    "installed). Exit 0 verified (warnings allowed), 1 not valid (the page is written, marked 'Verification "
    "failed'), 2 usage (an output exists without --force, no Chromium for --pdf), 3 unusable.")


def register(app: typer.Typer) -> None:
    """Add ``show`` and ``render`` to the ``mcred`` app."""
    app.command("show", help=SHOW_HELP)(show)
    app.command("render", help=RENDER_HELP)(render)


def show(credential: Credential, lang: LangOption = None, trust: TrustOption = None,
         status_list: StatusOption = None, now: NowOption = None, did_documents: DidDocuments = None,
         profile: ProfileOption = Profile.haip, type_metadata: TypeMetadataOption = None) -> None:
    def action():
        from mcred.present.render import print_credential

        from .common import Console

        if credential.name.endswith(".bundle.json"):  # a bundle: the award once, each format's verdict
            from mcred.messages import default_language
            from mcred.verify.batch import load_options

            from .bundle import show_bundle

            options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), False,
                                   _when(now), documents_paths(did_documents), profile=profile.value,
                                   type_metadata_paths=tuple(map(str, type_metadata or ())))
            raise typer.Exit(show_bundle(credential, options, lang.value if lang else default_language()))
        if _is_sd_jwt(credential):  # an SD-JWT VC: its report, then what it disclosed
            report, language = _sd_jwt_report(credential, lang, trust, status_list, now, did_documents,
                                              profile, type_metadata)
            from mcred.present.render import print_report, print_sd_jwt_claims

            console = Console(highlight=False, emoji=False)
            print_report(report, console, language)
            print_sd_jwt_claims(report.facts, console, language)
            raise typer.Exit(report.exit_code)
        view, report = _view(credential, lang, trust, status_list, now, did_documents)
        print_credential(view, Console(highlight=False, emoji=False))
        raise typer.Exit(report.exit_code)

    run(action)


def render(
    credential: Credential,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="PAGE.html", help="Where to write the page; "
                                             "- for standard output.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", metavar="PAGE.pdf", help="Also print the page to this PDF "
                                             "with a headless Chromium (chromium, chromium-browser or "
                                             "google-chrome on PATH, or MCRED_CHROMIUM).")] = None,
    lang: LangOption = None, trust: TrustOption = None, status_list: StatusOption = None, now: NowOption = None,
    did_documents: DidDocuments = None, profile: ProfileOption = Profile.haip,
    type_metadata: TypeMetadataOption = None,
    force: Annotated[bool, typer.Option(help="Overwrite PAGE.html and PAGE.pdf if they exist.")] = False,
) -> None:
    def action():
        if out is None and pdf is None:
            raise UsageError("say where the page goes: --out PAGE.html, --pdf PAGE.pdf, or both")
        from mcred._files import check_output_file

        for target in (out, pdf):  # both, before the HTML is written: a folder given as --pdf is said at once
            if target is not None:
                check_output_file(target, force=force)
        from mcred.present.browser import print_pdf, require_browser

        browser = require_browser() if pdf is not None else None  # before any work: say so at once
        from mcred.present.page import render_page

        from .common import write_output

        if _is_sd_jwt(credential):  # an SD-JWT VC: its verified, disclosed claims and what was withheld
            view, report = _sd_jwt_view(credential, lang, trust, status_list, now, did_documents, profile,
                                        type_metadata)
        else:
            view, report = _view(credential, lang, trust, status_list, now, did_documents)
        page = render_page(view)
        if out is not None:
            write_output(out, page, force)
        if pdf is not None:
            from mcred._files import write_new_file

            write_new_file(pdf, print_pdf(page, browser), force=force)
        written = " and ".join(str(p) for p in (out, pdf) if p is not None and str(p) != "-")
        if written:
            say(f"rendered {credential} -> {written} ({view.ribbon_label}); QR: {view.qr_text}")
        raise typer.Exit(report.exit_code)

    run(action)


def _view(credential: Path, lang: Lang | None, trust: Path | None, status_list: list[Path] | None,
          now: str | None, did_documents: list[Path] | None = None):
    """Read, verify and describe the credential: (CredentialView, VerificationReport)."""
    from datetime import datetime, timezone

    from mcred.dates import parse_datetime
    from mcred.messages import default_language
    from mcred.present.view import credential_view
    from mcred.verify.batch import load_options
    from mcred.verify.runner import check_file

    when = parse_datetime(now) if now is not None else datetime.now(timezone.utc).replace(microsecond=0)
    if when is None:
        raise UsageError(f"--now {now!r} is not an ISO 8601 date-time", hint="e.g. --now 2026-01-31T12:00:00Z")
    options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), False, when,
                           documents_paths(did_documents))
    checked = check_file(credential, now=when, options=options)  # a JSON credential, or one secured as a JWT
    language = lang.value if lang else default_language()
    view = credential_view(checked.document, checked.report, lang=language, checked_at=when, digest=checked.digest)
    return view, checked.report


def _is_sd_jwt(credential: Path) -> bool:
    """A ``.sd-jwt`` file, or one whose content is a compact JWS followed by ``~`` (as ``mcred verify`` tells)."""
    if str(credential).lower().endswith(".sd-jwt"):
        return True
    from mcred._files import read_input
    from mcred.sdjwt.compact import is_sd_jwt

    data = read_input(credential)
    return data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] not in (b"{", b"[") and is_sd_jwt(data)


def _sd_jwt_view(credential: Path, lang: Lang | None, trust: Path | None, status_list: list[Path] | None,
                 now: str | None, did_documents: list[Path] | None, profile: Profile = Profile.haip,
                 type_metadata: list[Path] | None = None):
    """An SD-JWT VC verified as ``mcred verify`` does, and its view (:mod:`mcred.present.sd_jwt_view`):
    (CredentialView, VerificationReport). Not an SD-JWT at all (exit 3): no page of what cannot be read."""
    from mcred._files import read_input
    from mcred.errors import InputError
    from mcred.present.sd_jwt_view import sd_jwt_view
    from mcred.verify.digest import jwt_digest

    report, language = _sd_jwt_report(credential, lang, trust, status_list, now, did_documents, profile,
                                      type_metadata)
    if report.unusable:
        failed = next((c for c in report.checks if c.status.value == "failed"), None)
        raise InputError(failed.message if failed else "not an SD-JWT", file=str(credential),
                         code=failed.code if failed else "SDJWT_MALFORMED", hint=failed.hint if failed else None)
    text = read_input(credential).decode("ascii").strip()  # an SD-JWT that verify could read is ASCII
    when = _when(now)
    return sd_jwt_view(report, lang=language, checked_at=when, digest=jwt_digest(text.split("~", 1)[0])), report


def _when(now: str | None):
    """``--now`` as a datetime (the current time, to the second, without it)."""
    from datetime import datetime, timezone

    from mcred.dates import parse_datetime

    when = parse_datetime(now) if now is not None else datetime.now(timezone.utc).replace(microsecond=0)
    if when is None:
        raise UsageError(f"--now {now!r} is not an ISO 8601 date-time", hint="e.g. --now 2026-01-31T12:00:00Z")
    return when


def _sd_jwt_report(credential: Path, lang: Lang | None, trust: Path | None, status_list: list[Path] | None,
                   now: str | None, did_documents: list[Path] | None, profile: Profile = Profile.haip,
                   type_metadata: list[Path] | None = None):
    """An SD-JWT VC verified as ``mcred verify`` does: (report, language)."""
    from mcred.messages import default_language
    from mcred.verify.batch import load_options
    from mcred.verify.runner import verify_file

    when = _when(now)
    options = load_options(str(trust) if trust else None, tuple(map(str, status_list or ())), False, when,
                           documents_paths(did_documents), profile=profile.value,
                           type_metadata_paths=tuple(map(str, type_metadata or ())))
    return verify_file(credential, now=when, options=options), (lang.value if lang else default_language())

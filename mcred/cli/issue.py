"""``mcred issue``: ELM micro-credentials from a learning-outcome file, for one learner or a roster."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mcred._text import terminal_safe
from mcred.errors import UsageError

from .bundle import EcKey, SealChain, SealKey, SealP12
from .common import ExitCode, PassphraseEnv, SignSuite, Suite, run, stderr, write_output

ISSUE_HELP = (
    "Build and sign ELM v3 (Europass) micro-credentials from a learning-outcome file.\n\n"
    "One learner: --out CRED.json (the file's only learner, or --learner N). A roster: "
    "--learners ROSTER.csv --out-dir DIR writes one credential per row and DIR/manifest.json; "
    "a bad row is reported by number and skipped; running the same command again finishes "
    "an interrupted run without duplicates and reports each row as unchanged, new or changed: "
    "a changed row (or outcome file) is refused unless --reissue. Every rule is checked before "
    "anything is signed. Exit 0 when everything was issued, 1 when some rows failed or a re-run "
    "was refused, 3 when the outcome file is unusable.\n\n"
    "--format sd-jwt-vc: SD-JWT VCs for EUDI and IT-Wallet wallets (one learner, or a roster as above: X.sd-jwt "
    "files and the manifest), signed with ES256 by a P-256 --key whose certificate chain (--cert) goes into x5c; "
    "personal data and the grade are selectively disclosable (docs/issue.md, 'SD-JWT VC').\n\n"
    "--format ob3: Open Badges 3.0 OpenBadgeCredentials for badge wallets and platforms (one learner, or a roster "
    "as above: X.ob3.json files and the manifest), signed with eddsa-rdfc-2022 by an Ed25519 --key; with "
    "--status-list, a BitstringStatusListEntry (docs/issue.md, 'Open Badges 3.0').\n\n"
    "--format vc2: ELM 3.2 on VC 2.0, DC4EU's EUHEMC profile (one learner, or a roster as above: X.vc2.json "
    "files and the manifest), signed over its JSON with "
    "eddsa-jcs-2022 or ecdsa-jcs-2019; the profile's rules, JSON Schema and SHACL shapes are checked first "
    "(docs/issue.md, 'ELM 3.2 on VC 2.0 (EUHEMC)').\n\n"
    "--formats edc,sd-jwt-vc[,jades,vc2,ob3] --out-dir DIR: one award in several formats per learner, and "
    "NAME.bundle.json binding them (docs/bundle.md); `mcred verify DIR` checks they state the same award.")


class IssueFormat(str, Enum):
    """What ``mcred issue`` writes: ELM JSON-LD with a Data Integrity proof, an SD-JWT VC, an Open Badge 3.0, or
    ELM 3.2 on VC 2.0 (EUHEMC)."""

    elm = "elm"
    sd_jwt_vc = "sd-jwt-vc"
    ob3 = "ob3"
    vc2 = "vc2"


class Profile(str, Enum):
    """The SD-JWT VC profiles: HAIP's baseline, or IT-Wallet's (kid, exp, issuing_authority, issuing_country)."""

    haip = "haip"
    it_wallet = "it-wallet"


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=ISSUE_HELP)(issue)


def issue(
    outcomes_file: Annotated[Path, typer.Argument(metavar="OUTCOMES.yaml", help="The learning-outcome "
                                                  "file (YAML or JSON).")],
    key_file: Annotated[Path, typer.Option("--key", "-k", metavar="KEY", help="The issuer's signing key.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="CRED.json",
                                                help="Output file for one learner.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", metavar="DIR", help="Output folder for "
                                                    "a roster or every learner in the file.")] = None,
    learners: Annotated[Path | None, typer.Option("--learners", metavar="ROSTER.csv",
                                                     help="A CSV roster as spreadsheets save it: ; , or tab, UTF-8 "
                                                     "or Windows-1252, English or Italian headers, dates DD/MM/YYYY "
                                                     "or YYYY-MM-DD (docs/formats.md, 'Rosters').")] = None,
    learner: Annotated[int | None, typer.Option("--learner", metavar="N", min=1,
                                                   help="Issue for the N-th learner of the outcome file."
                                                   )] = None,
    suite: Annotated[SignSuite | None, typer.Option(help="Cryptosuite of the proofs: elm eddsa-rdfc-2022 (default) "
                                                    "or eddsa-jcs-2022; vc2 eddsa-jcs-2022 (default) or "
                                                    "ecdsa-jcs-2019 (a P-256 key).")] = None,
    issued: Annotated[str | None, typer.Option(metavar="ISO-8601", help="The issuing time "
                                                  "(issued, issuanceDate and the proof's created); "
                                                  "default: now.")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Worker processes for a roster.")] = 1,
    status_list: Annotated[Path | None, typer.Option(
        "--status-list", metavar="LIST.json", help="Give each credential an index in this status list (made "
        "with `mcred status init` and the same key; a Token Status List LIST.jwt for --format sd-jwt-vc), so "
        "that it can be revoked or suspended later.")] = None,
    passphrase_env: PassphraseEnv = None,
    format_: Annotated[IssueFormat, typer.Option("--format", help="elm: ELM JSON-LD signed with --suite; "
                                                 "sd-jwt-vc: an SD-JWT VC signed with ES256 (a P-256 --key and "
                                                 "its --cert), one learner or a roster (docs/issue.md, "
                                                 "'SD-JWT VC'); ob3: an Open Badges 3.0 credential signed with "
                                                 "eddsa-rdfc-2022 (docs/issue.md, 'Open Badges 3.0'); vc2: ELM "
                                                 "3.2 on VC 2.0, the EUHEMC profile, signed over its JSON "
                                                 "(eddsa-jcs-2022 or ecdsa-jcs-2019).")
                                  ] = IssueFormat.elm,
    cert: Annotated[Path | None, typer.Option("--cert", metavar="CHAIN.pem", help="sd-jwt-vc: the key's "
                                              "certificate and its CA certificates (PEM, or PKCS#12 opened with "
                                              "--passphrase-env), written into x5c.")] = None,
    holder_key: Annotated[Path | None, typer.Option("--holder-key", metavar="H.pem", help="sd-jwt-vc: the "
                                                    "holder's P-256 key (public PEM), bound as cnf; one learner "
                                                    "(--out) only.")] = None,
    profile: Annotated[Profile, typer.Option(help="sd-jwt-vc: haip, or it-wallet (adds kid, issuing_authority, "
                                             "issuing_country; requires exp).")] = Profile.haip,
    force: Annotated[bool, typer.Option(help="Overwrite existing output files.")] = False,
    reissue: Annotated[bool, typer.Option(help="On a re-run, issue a new credential (new id and file) for each "
                                          "row that changed since its credential was issued, and revoke the old "
                                          "one when a status list is in use (docs/issue.md, 'Re-runs').")
                       ] = False,
    formats: Annotated[str | None, typer.Option("--formats", metavar="F1,F2", help="A bundle per learner in "
                                                "--out-dir: each format (edc, jades, sd-jwt-vc, vc2, ob3) and "
                                                "NAME.bundle.json, a manifest signed with --key (docs/bundle.md). "
                                                "--key is Ed25519; sd-jwt-vc needs --ec-key and --cert, jades a "
                                                "seal (--seal-p12, or --seal-key and --seal-chain).")] = None,
    ec_key: EcKey = None,
    seal_p12: SealP12 = None,
    seal_key: SealKey = None,
    seal_chain: SealChain = None,
) -> None:
    def action():
        from mcred.dates import now_timestamp
        from mcred.elm.outcomes import load_outcomes
        from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

        if (out is None) == (out_dir is None):
            raise UsageError("give exactly one of --out (one learner) and --out-dir (several)")
        if learners is not None and out_dir is None:
            raise UsageError("--learners needs --out-dir")
        when = issued or now_timestamp()
        from mcred.dates import parse_datetime

        if parse_datetime(when) is None:
            raise UsageError(f"--issued {when!r} is not an ISO 8601 date-time")
        if formats is not None:
            if out is not None or learner is not None or status_list is not None or holder_key is not None \
                    or format_ is not IssueFormat.elm or suite is not None or reissue:
                raise UsageError("--formats issues bundles into --out-dir: --out, --learner, --format, --suite, "
                                 "--status-list, --holder-key and --reissue do not go with it")
            from .bundle import issue_formats

            failures = issue_formats(outcomes_file, formats, key_file, out_dir, learners, when, force, ec_key, cert,
                                     seal_p12, seal_key, seal_chain, passphrase_env, jobs)
            if failures:
                raise typer.Exit(ExitCode.INVALID)
            return
        if ec_key is not None or seal_p12 is not None or seal_key is not None or seal_chain is not None:
            raise UsageError("--ec-key, --seal-p12, --seal-key and --seal-chain are for --formats")
        if format_ is IssueFormat.sd_jwt_vc:
            if out_dir is not None:
                _issue_sd_jwt_vc_roster(outcomes_file, key_file, cert, out_dir, learners, when, jobs, force, reissue,
                                        status_list, holder_key, profile.value, passphrase_env)
                return
            _issue_sd_jwt_vc(outcomes_file, key_file, cert, out, learner, when, force, status_list, holder_key,
                             profile.value, passphrase_env)
            return
        if cert is not None or holder_key is not None:
            raise UsageError("--cert and --holder-key are for --format sd-jwt-vc")
        if format_ is IssueFormat.ob3:
            _issue_ob3(outcomes_file, key_file, out, out_dir, learner, learners, suite, when, jobs, force, reissue,
                       status_list, passphrase_env)
            return
        if format_ is IssueFormat.vc2:
            _issue_vc2(outcomes_file, key_file, out, out_dir, learners, learner, suite, when, jobs, force, reissue,
                       status_list, passphrase_env)
            return
        if suite is not None and suite.value not in {s.value for s in Suite}:
            raise UsageError(f"--suite {suite.value} signs with an ECDSA key: ELM credentials are issued with an "
                             "Ed25519 key (eddsa-rdfc-2022 or eddsa-jcs-2022)",
                             hint="use --suite eddsa-rdfc-2022 or eddsa-jcs-2022, or `mcred sign` an unsigned "
                             "credential with the ECDSA key")
        suite_name = (suite or SignSuite.rdfc).value
        if status_list is not None and _is_token_list(status_list):
            raise UsageError(f"--status-list {status_list} is a Token Status List, which holds SD-JWT VCs' statuses: "
                             "an ELM credential's status is kept in a W3C Bitstring list", file=str(status_list),
                             hint="create one with `mcred status init LIST.json` (and this key), or issue with "
                             "--format sd-jwt-vc")
        key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
        outcomes = load_outcomes(outcomes_file, now=when, learners_issued=learners is None)
        if out is not None:
            _issue_one(outcomes, key, out, learner, suite_name, when, force, status_list)
        else:
            _issue_many(outcomes, key, out_dir, learners, suite_name, when, jobs, force, status_list, reissue)

    run(action)


def _issue_sd_jwt_vc(outcomes_file: Path, key_file: Path, cert: Path | None, out: Path | None,
                     number: int | None, when: str, force: bool, status_list: Path | None, holder_key: Path | None,
                     profile: str, passphrase_env: str | None) -> None:
    from mcred._files import check_output_file
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.sd_jwt_vc import holder_jwk, issue_sd_jwt_vc
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env
    from mcred.sdjwt.issuing import load_certificate_chain

    if cert is None:
        raise UsageError("--format sd-jwt-vc needs --cert CHAIN.pem: the key's certificate goes into x5c")
    check_output_file(out, force=force)
    passphrase = passphrase_from_env(passphrase_env)
    key = load_any_signing_key(key_file, passphrase)
    certs = load_certificate_chain(cert, passphrase)
    holder = holder_jwk(holder_key) if holder_key is not None else None
    outcomes = load_outcomes(outcomes_file, now=when, learners_issued=True)
    people = outcomes.learners
    index = (number or 1) - 1
    if (number is None and len(people) != 1) or index >= len(people):
        raise UsageError(f"the outcome file lists {len(people)} learner(s); choose one with --learner N",
                         file=str(outcomes.file))
    status = None
    if status_list is not None:
        status = _token_status(status_list, key)
    issued = issue_sd_jwt_vc(outcomes, people[index], key, certs, issued=when, holder=holder, profile=profile,
                             cert_file=str(cert), status=status)
    write_output(out, issued.text + "\n", force)
    if str(out) != "-":
        where = ""
        if status is not None:
            entry = status["status_list"]
            where = f", status {entry['uri']} index {entry['idx']}: `mcred status revoke {status_list} {entry['idx']}`"
        stderr.print(f"issued {out} (SD-JWT VC {issued.payload['vct']}, {len(issued.disclosures)} disclosures{where})",
                     markup=False)


def _issue_sd_jwt_vc_roster(outcomes_file: Path, key_file: Path, cert: Path | None, out_dir: Path,
                            roster: Path | None, when: str, jobs: int, force: bool, reissue: bool,
                            status_list: Path | None, holder_key: Path | None, profile: str,
                            passphrase_env: str | None) -> None:
    """A roster of SD-JWT VCs: the ELM rosters' run (manifest, re-runs, resuming), another format."""
    from mcred.dates import parse_datetime
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.roster_formats import SdJwtVcRoster
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env
    from mcred.sdjwt.issuing import check_issuer_chain, load_certificate_chain

    if holder_key is not None:
        raise UsageError("--holder-key binds one credential to one wallet's key: a roster's learners each have "
                         "their own", hint="issue each bound credential with --out (and --learner N), or the roster "
                         "without --holder-key")
    if cert is None:
        raise UsageError("--format sd-jwt-vc needs --cert CHAIN.pem: the key's certificate goes into x5c")
    if status_list is not None:
        _check_token_status_list(status_list)
    passphrase = passphrase_from_env(passphrase_env)
    key = load_any_signing_key(key_file, passphrase)
    # checked once, before any row is read: a certificate refused here would refuse every row
    chain = check_issuer_chain(key, load_certificate_chain(cert, passphrase), parse_datetime(when), file=str(cert))
    kind = SdJwtVcRoster(key, chain, profile, str(cert))
    outcomes = load_outcomes(outcomes_file, now=when, learners_issued=roster is None)
    _issue_many(outcomes, key, out_dir, roster, kind.suite, when, jobs, force, status_list, reissue, kind=kind)


def _issue_ob3(outcomes_file: Path, key_file: Path, out: Path | None, out_dir: Path | None, number: int | None,
               roster: Path | None, suite, when: str, jobs: int, force: bool, reissue: bool,
               status_list: Path | None, passphrase_env: str | None) -> None:
    """Open Badges 3.0 credentials: one learner (--out), or a roster with the ELM rosters' run (--out-dir)."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.ob3 import OB3_SUITE, issue_ob3
    from mcred.issue.roster_formats import Ob3Roster
    from mcred.keys.ed25519 import load_signing_key, passphrase_from_env

    if suite is not None and suite.value != Suite.rdfc.value:
        raise UsageError(f"--format ob3 signs with {Suite.rdfc.value} only: the suite Open Badges wallets (DCC) and "
                         "1EdTech's conformance suite verify", hint="leave out --suite")
    purpose = None
    if status_list is not None:  # a W3C Bitstring list: each badge gets a BitstringStatusListEntry (VC 2.0)
        if _is_token_list(status_list):
            raise UsageError(f"--status-list {status_list} is a Token Status List, which holds SD-JWT VCs' "
                             "statuses: an Open Badges 3.0 credential's status is kept in a W3C Bitstring list",
                             file=str(status_list), hint="create one with `mcred status init LIST.json`")
        purpose = _list_purpose(status_list)
    key = load_signing_key(key_file, passphrase_from_env(passphrase_env))
    outcomes = load_outcomes(outcomes_file, now=when, learners_issued=roster is None)
    if out is not None:
        from mcred.issue.status_lists import bitstring_entry

        _issue_one(outcomes, key, out, number, OB3_SUITE, when, force, status_list,
                   sign=lambda learner, status: issue_ob3(
                       outcomes, learner, key, issued=when,
                       status=bitstring_entry(status[0], status[1], purpose) if status else None))
    else:
        _issue_many(outcomes, key, out_dir, roster, OB3_SUITE, when, jobs, force, status_list, reissue,
                    kind=Ob3Roster(key, purpose))


def _list_purpose(status_list: Path) -> str:
    """A W3C status list's one purpose (revocation or suspension): what its entries say."""
    from mcred._files import read_json
    from mcred.verify.status import parse_status_list

    parsed = parse_status_list(read_json(status_list), file=str(status_list))
    if len(parsed.purposes) != 1:
        raise UsageError("the status list has several purposes: mcred issues with a list of one",
                         file=str(status_list), hint="create one with `mcred status init LIST.json --purpose …`")
    return parsed.purposes[0]


def _issue_vc2(outcomes_file: Path, key_file: Path, out: Path | None, out_dir: Path | None, roster: Path | None,
               number: int | None, suite, when: str, jobs: int, force: bool, reissue: bool,
               status_list: Path | None, passphrase_env: str | None) -> None:
    """The award as EUHEMC credentials (ELM 3.2 on VC 2.0), signed over their JSON: one learner (--out) or a
    roster (--out-dir: the ELM rosters' run, manifest and re-runs, another format)."""
    from mcred._files import check_output_file
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import credential_bytes
    from mcred.issue.vc2 import check_suite, issue_vc2
    from mcred.keys.ecdsa import load_any_signing_key
    from mcred.keys.ed25519 import passphrase_from_env
    from mcred.proofs.data_integrity import JCS

    suite_name = suite.value if suite is not None else JCS
    check_suite(suite_name)  # before anything is read: an RDFC suite cannot sign this shape
    if status_list is not None:
        raise UsageError("--format vc2 does not take --status-list yet", hint="issue without it")
    key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
    if out_dir is not None:
        from mcred.issue.roster_formats import Vc2Roster

        outcomes = load_outcomes(outcomes_file, now=when, learners_issued=roster is None)
        _issue_many(outcomes, key, out_dir, roster, suite_name, when, jobs, force, None, reissue,
                    kind=Vc2Roster(key, suite_name))
        return
    check_output_file(out, force=force)
    outcomes = load_outcomes(outcomes_file, now=when, learners_issued=True)
    people = outcomes.learners
    index = (number or 1) - 1
    if (number is None and len(people) != 1) or index >= len(people):
        raise UsageError(f"the outcome file lists {len(people)} learner(s); choose one with --learner N",
                         file=str(outcomes.file))
    signed = issue_vc2(outcomes, people[index], key, issued=when, suite=suite_name)
    write_output(out, credential_bytes(signed).decode("utf-8"), force)
    if str(out) != "-":
        stderr.print(f"issued {out} ({signed['id']}, EUHEMC, {suite_name})", markup=False)


def _is_token_list(status_list: Path) -> bool:
    from mcred.issue.token_status_lists import is_token_status_list

    return status_list.exists() and is_token_status_list(status_list)


def _check_token_status_list(status_list: Path) -> None:
    if status_list.exists() and not _is_token_list(status_list):
        raise UsageError(f"--status-list {status_list} is not a Token Status List: an SD-JWT VC's status is "
                         "kept in one", file=str(status_list),
                         hint="create one with `mcred status init LIST.jwt --format token-status-list` and the "
                         "same key")


def _token_status(status_list: Path, key) -> dict:
    """One unpredictable index of a Token Status List signed by the credential's own key, recorded in the
    list's sidecar before the credential exists (an index is never handed out twice, even if issuing fails)."""
    from mcred.issue.token_status_lists import allocate_token_indexes, token_status_entry

    _check_token_status_list(status_list)
    allocation = allocate_token_indexes(status_list, 1, key)[0]
    return token_status_entry(allocation.list_id, allocation.index)


def _issue_one(outcomes, key, out: Path, number: int | None, suite: str, when: str, force: bool,
               status_list: Path | None = None, sign=None) -> None:
    """One learner's credential: ELM signed with ``suite``, or what ``sign(learner, status)`` makes (another format;
    ``status`` is the (list id, index) allocated in ``status_list``, or None)."""
    from mcred._files import check_output_file
    from mcred.issue.issuing import credential_bytes, issue_credential

    check_output_file(out, force=force)
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
        from mcred.issue.status_lists import allocate_index

        list_id, list_index, _ = allocate_index(status_list, issuer=key.did)
        status = (list_id, list_index)
    if sign is not None:
        signed = sign(people[index], status)
    else:
        signed = issue_credential(outcomes, people[index], key, issued=when, suite=suite, status=status)
    write_output(out, credential_bytes(signed).decode("utf-8"), force)
    if str(out) != "-":
        where = f", status {status[0]}#{status[1]}" if status else ""
        stderr.print(f"issued {out} ({signed['id']}, {suite}{where})", markup=False)


def _issue_many(outcomes, key, out_dir: Path, roster: Path | None, suite: str, when: str, jobs: int,
                force: bool, status_list: Path | None = None, reissue: bool = False, kind=None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from mcred._files import check_output_folder
    from mcred.elm.outcomes import read_roster
    from mcred.issue.issuing import issue_roster, sha256_file

    check_output_folder(out_dir)  # a file given as --out-dir, before any row is read
    if roster is not None:
        table = read_roster(roster, outcomes=outcomes, now=when)
        for warning in table.warnings:
            stderr.print(terminal_safe(f"warning: {warning}"), markup=False, style="yellow")
        rows = [(r.row, r.learner, r.problems) for r in table]
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

        run_ = issue_roster(outcomes, rows, key, out_dir, issued=when, suite=suite, jobs=jobs, force=force,
                            reissue=reissue, progress=progress, sources=sources, status_list=status_list,
                            kind=kind)
    _report_run(run_, out_dir)
    if run_.count("failed") or run_.withdraw_error is not None:
        raise typer.Exit(ExitCode.INVALID)


def _report_run(run_, out_dir: Path) -> None:
    """The run's counts, then what became of the credentials it replaced: nothing left unsaid."""
    reissued = run_.count("reissued")
    stderr.print(f"{run_.count('issued')} issued (new), {run_.count('already-issued')} already issued (unchanged), "
                 f"{reissued} reissued (changed), {run_.count('failed')} failed -> {out_dir}/manifest.json",
                 markup=False)
    if run_.withdrawn:
        stderr.print(terminal_safe(f"{run_.withdrawn_as} {len(run_.withdrawn)} replaced credential(s): "
                                   + ", ".join(r.label() for r in run_.withdrawn)
                                   + "; publish the new status list"), markup=False)
    if run_.still_valid:
        stderr.print(terminal_safe(
            f"warning: {len(run_.still_valid)} replaced credential(s) carry no status entry and cannot be "
            "revoked: they stay valid (ask the learners to replace them): "
            + ", ".join(r.label() for r in run_.still_valid)), markup=False, style="yellow")
    if run_.unlisted:
        stderr.print(terminal_safe(
            f"note: {len(run_.unlisted)} credential(s) issued before for learners this roster does not list "
            "stand (kept in the manifest's 'earlier'; revoke them with `mcred status revoke` if needed): "
            + ", ".join(r.label() for r in run_.unlisted)), markup=False)
    if run_.withdraw_error is not None:
        error = run_.withdraw_error
        stderr.print(terminal_safe(f"error: the replaced credentials could not be revoked: {error.message}"
                                   + (f" ({error.hint})" if error.hint else "")
                                   + "; run the same command again to retry"), markup=False, style="red")

"""Converting a verified mcred credential into another format (``mcred convert``), by its own issuer only.

The honest option is taken: the award is re-issued from the **outcome file** (``--outcomes``), never rebuilt
from the credential's facts. A credential states far fewer facts than its outcome file holds (the description,
the assessment, quality assurance, ESCO skills are not all in every format), so a rendition rebuilt from them
would be a poorer award signed as the same one. The credential is the proof of *which* award: the learner of the
outcome file whose award states the same facts (:class:`mcred.bundle.facts.AwardFacts`) as the verified
credential is the one re-issued, and the conversion is read back and compared once more before it is written.
"""

from __future__ import annotations

from pathlib import Path

from mcred.errors import McredError
from mcred.messages import register
from mcred.report import VerifyOptions

from .compare import differences
from .facts import AwardFacts
from .formats import Format, Signers, key_thumbprint
from .issuing import Examined, examine, sniff_format

register({
    "CONVERT_AMBIGUOUS": ("{count} discenti del file degli esiti hanno l'attestazione che {file} attesta (non dice "
                          "abbastanza del discente per distinguerli)",
                          "convertite la credenziale come è stata emessa, con ogni divulgazione"),
    "CONVERT_NOT_ISSUER": ("{file} è firmato da {found}; la chiave data è di {expected}: solo l'emittente può "
                           "convertire le sue credenziali", "date la chiave dell'emittente della credenziale"),
    "CONVERT_NOT_THE_AWARD": ("nessun discente del file degli esiti ha l'attestazione che {file} attesta "
                              "(il più vicino: la credenziale attesta {fact} {found}, il file degli esiti {expected})",
                              "date il file degli esiti da cui la credenziale è stata emessa"),
})


class ConvertRefused(McredError):
    """The credential cannot be converted with these inputs (exit 1): another issuer's, or another award."""

    exit_code = 1
    code = "CONVERT_REFUSED"


def _check_owner(source: Examined, signers: Signers) -> None:
    if source.format.signed_by == "x5c":
        expected = key_thumbprint(signers.ec_key.public_key.key) if signers.ec_key is not None else "(no --ec-key)"
    else:
        expected = signers.key.did
    found = source.signer
    if source.format.signed_by == "seal":
        found = ", ".join(sorted({p.controller for p in source.report.proofs})) or "(no proof)"
    if found != expected:
        raise ConvertRefused(f"{source.path.name} is signed by {found}; the key given is {expected}'s: only a "
                             "credential's issuer may convert it", file=str(source.path), code="CONVERT_NOT_ISSUER",
                             hint="give the key of the credential's issuer",
                             params={"file": source.path.name, "found": found, "expected": expected})


def award_facts_of(outcomes, learner: dict, issued: str) -> AwardFacts:
    """The facts of a learner's award as the edc rendition states them, from the award built once (not signed)."""
    from types import SimpleNamespace

    from mcred.graph.facts import read_facts
    from mcred.graph.nodes import read_graph
    from mcred.issue.award import build_checked

    from .readers import edc_facts

    _, expanded = build_checked(outcomes, learner, issuer_id="did:example:convert", issued=issued)
    return edc_facts(SimpleNamespace(facts=read_facts(read_graph(expanded))))


def find_learner(outcomes, facts: AwardFacts, issued: str, file: str) -> dict:
    """The learner of the outcome file whose award states ``facts`` (withheld learner facts allowed)."""
    closest = None
    matches = []
    for learner in outcomes.learners:
        differ = differences(award_facts_of(outcomes, learner, issued), facts)
        if not differ:
            matches.append(learner)
        elif closest is None or len(differ) < len(closest):
            closest = differ
    if len(matches) == 1:
        return matches[0]
    if matches:  # an SD-JWT VC whose holder withheld the names may state the award of several learners
        raise ConvertRefused(f"{len(matches)} learners of the outcome file have the award {Path(file).name} states "
                             "(it does not state enough of the learner to tell them apart)", file=file,
                             code="CONVERT_AMBIGUOUS", hint="convert the credential as issued, with every disclosure",
                             params={"file": Path(file).name, "count": len(matches)})
    item = closest[0] if closest else None
    fact, found, expected = (item.fact, item.found, item.expected) if item else ("learner", "?", "(no learner)")
    raise ConvertRefused(f"no learner of the outcome file has the award {Path(file).name} states (the closest: "
                         f"the credential states {fact} {found}, the outcome file {expected})", file=file,
                         code="CONVERT_NOT_THE_AWARD",
                         hint="give the outcome file the credential was issued from",
                         params={"file": Path(file).name, "fact": fact, "found": found, "expected": expected})


def convert(credential: Path, target: Format, outcomes, signers: Signers, *, issued: str,
            options: VerifyOptions) -> bytes:
    """The credential re-issued as ``target`` (its exact bytes), once it verifies, is the key holder's, and is
    an award of the outcome file; the conversion is verified and compared with the source before it is returned."""
    import tempfile

    source = examine(credential, sniff_format(credential), options)
    _check_owner(source, signers)
    learner = find_learner(outcomes, source.facts, issued, str(credential))
    data = target.issue(outcomes, learner, signers, issued)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"converted{target.suffix}"
        path.write_bytes(data)
        converted = examine(path, target, options)
    differ = differences(converted.facts, source.facts)
    if differ:  # a bug in a format's mapping: never written
        item = differ[0]
        raise ConvertRefused(f"the {target.name} conversion states {item.fact} {item.expected}, the credential "
                             f"{item.found}", file=str(credential), code="BUNDLE_FACTS_DIFFER",
                             params={"file": credential.name, "format": target.name, "fact": item.fact,
                                     "found": item.found, "expected": item.expected})
    return data

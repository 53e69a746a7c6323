"""One learner's ELM award: built from the outcome file, checked against Annex I and the Italian rules, signed.

Every format mcred issues starts from :func:`build_checked` (the SD-JWT VC too, :mod:`mcred.issue.sd_jwt_vc`);
the roster runs above it (:mod:`mcred.issue.issuing`, :mod:`mcred.issue.roster_formats`) call these one row
at a time.
"""

from __future__ import annotations

import json

from mcred.elm.builder import build_credential, display_image
from mcred.elm.outcomes import Outcomes
from mcred.errors import InputError
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import RDFC
from mcred.proofs.signing import sign_credential


def issue_credential(outcomes: Outcomes, learner: dict, key: SigningKey, *, issued: str,
                     suite: str = RDFC, status: tuple[str, int] | None = None, cred_id: str | None = None) -> dict:
    """Build and sign the credential of one learner; checks run before anything is signed.

    ``status`` is (status list id, index), already allocated (:func:`mcred.issue.status_lists.allocate_index`);
    ``cred_id`` replaces the learner's deterministic id (a reissue).
    """
    unsigned, expanded = build_checked(outcomes, learner, issuer_id=key.did, issued=issued, status=status,
                                       cred_id=cred_id)
    # the credential was built here and nothing else holds it: signing need not copy it
    return sign_credential(unsigned, key, suite=suite, created=issued, file=str(outcomes.file), copy=False,
                           expanded=expanded if suite == RDFC else None)


def build_checked(outcomes: Outcomes, learner: dict, *, issuer_id: str, issued: str,
                  status: tuple[str, int] | None = None, cred_id: str | None = None) -> tuple[dict, list]:
    """The unsigned ELM credential of one learner and its expanded form, once Annex I and the Italian rules
    hold on it (InputError with the first broken rule otherwise). Every format mcred issues starts here."""
    image = display_image(outcomes.data, outcomes.file.parent)
    unsigned = build_credential(outcomes.data, learner, issuer_did=issuer_id, issued=issued, image_base64=image,
                                status=status, cred_id=cred_id)
    from mcred.elm.lint import lint_credential
    from mcred.graph.facts import read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_safely

    # expanded once: the rules read its graph, and the eddsa-rdfc-2022 signature is made over it
    expanded = expand_safely(unsigned, file=str(outcomes.file))
    # the dates were checked on the input, against the issuing time (load_outcomes, read_roster); a library
    # caller may still sign a credential valid from a later day
    problems = [p for p in lint_credential(unsigned, facts=read_facts(read_graph(expanded)), dates=False)
                if p.severity == "error"]
    if problems:
        first = problems[0]
        raise InputError(f"the built credential breaks a rule: {first.message}", path=first.path,
                         file=str(outcomes.file), code=first.code)
    return unsigned, expanded


def credential_bytes(credential: dict) -> bytes:
    return (json.dumps(credential, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

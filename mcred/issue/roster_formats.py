"""What a roster run needs to know of the format it issues: ELM JSON-LD with a Data Integrity proof, ELM 3.2 on
VC 2.0 (EUHEMC) with a JCS proof, or SD-JWT VC.

A roster run (:func:`mcred.issue.issuing.issue_roster`) and its re-run planner (:mod:`mcred.issue.reruns`) are
the same for every format: rows, the manifest, unchanged/new/changed rows, resuming, status indexes allocated
once in the parent process, replaced credentials revoked. What differs is behind a small interface
(:class:`mcred.issue.reruns.RosterFormat`):

* ``suite``: recorded per credential in the manifest; another one on a re-run makes every row changed;
* ``issuer``: the manifest's ``issuer`` (the key that signs);
* ``suffix``: the credential files' extension;
* how a credential is signed, how a file already in the folder is checked to be this row's credential signed
  by this key, and which kind of status list the indexes come from and are revoked in.

A format object crosses into the worker processes of ``--jobs`` by pickling (``__reduce__``): its key as
unencrypted bytes, as the Ed25519 seed always did, through the pipe to a child of this process only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mcred.errors import InputError

if TYPE_CHECKING:
    from mcred.elm.outcomes import Outcomes

    from .reruns import RowPlan

#: the manifest's ``suite`` of an SD-JWT VC: the format and its signature algorithm (and a profile's name)
SD_JWT_VC_SUITE = "sd-jwt-vc/ES256"


def _not_this_rows(path: Path) -> InputError:
    return InputError(f"{path.name} exists but is not this row's credential signed by this key",
                      file=str(path), hint="move it away, or pass --force to issue it again")


class _BitstringStatus:
    """The statuses of credentials signed by ``self.key`` (Ed25519), kept in a W3C Bitstring Status List of the
    same issuer (:mod:`mcred.issue.status_lists`): ELM's and Open Badges'."""

    key: object

    def allocate(self, list_path: Path, count: int) -> list[tuple[str, int]]:
        from .status_lists import allocate_indexes

        return [(a.list_id, a.index) for a in allocate_indexes(list_path, count, issuer=self.key.did)]

    def list_id(self, list_path: Path) -> str:
        from mcred._files import read_json
        from mcred.verify.status import parse_status_list

        return parse_status_list(read_json(list_path), file=str(list_path)).id

    def withdraw(self, list_path: Path, indexes: list[int]) -> str:
        from .status_lists import withdraw

        return withdraw(list_path, self.key, indexes)


class ElmRoster(_BitstringStatus):
    """ELM JSON-LD credentials signed with an Ed25519 key's Data Integrity proof (``--suite``)."""

    suffix = ".json"
    ids_from_learner = True

    def __init__(self, key, suite: str) -> None:
        self.key, self.suite, self.issuer = key, suite, key.did

    def __reduce__(self):
        return _elm_roster, (self.key.private_seed(), self.suite)

    def new_id(self, outcomes: Outcomes, learner: dict) -> str:
        from mcred.elm.builder import credential_id

        return credential_id(outcomes.data, learner)

    def sign(self, outcomes: Outcomes, learner: dict, *, issued: str, status: tuple[str, int] | None,
             cred_id: str) -> bytes:
        from .award import credential_bytes, issue_credential

        return credential_bytes(issue_credential(outcomes, learner, self.key, issued=issued, suite=self.suite,
                                                 status=status, cred_id=cred_id))

    def existing(self, path: Path, cred_id: str) -> tuple[bytes, tuple[str, int] | None]:
        from .reruns import existing_credential

        data, _, entry = existing_credential(path, cred_id, self.key)
        return data, (entry.list_id, entry.index) if entry else None

    def same_as_row(self, path: Path, plan: RowPlan, outcomes: Outcomes) -> tuple[bool, bool]:
        from .reruns import signed_from_row

        return signed_from_row(path, plan, outcomes, self.key)



def _elm_roster(seed: bytes, suite: str) -> ElmRoster:
    from mcred.keys.ed25519 import SigningKey

    return ElmRoster(SigningKey.from_seed(seed), suite)


class Vc2Roster:
    """EUHEMC credentials (ELM 3.2 on VC 2.0, :mod:`mcred.issue.vc2`) with an ``eddsa-jcs-2022`` proof (Ed25519
    key) or an ``ecdsa-jcs-2019`` one (P-256). Each credential's id is the award's (the ELM rendition's); the
    files end ``.vc2.json``, so that they can sit beside the ELM ones. No status lists yet."""

    suffix = ".vc2.json"
    ids_from_learner = True

    def __init__(self, key, suite: str) -> None:
        from .vc2 import check_suite

        check_suite(suite)
        self.key, self.suite, self.issuer = key, suite, key.did

    def __reduce__(self):
        return _vc2_roster, (_private_bytes(self.key), self.suite)

    def new_id(self, outcomes: Outcomes, learner: dict) -> str:
        from mcred.elm.builder import credential_id

        return credential_id(outcomes.data, learner)

    def sign(self, outcomes: Outcomes, learner: dict, *, issued: str, status: tuple[str, int] | None,
             cred_id: str) -> bytes:
        from .award import credential_bytes
        from .vc2 import issue_vc2

        if status is not None:
            raise self._no_status()
        return credential_bytes(issue_vc2(outcomes, learner, self.key, issued=issued, suite=self.suite,
                                          cred_id=cred_id))

    def existing(self, path: Path, cred_id: str) -> tuple[bytes, tuple[str, int] | None]:
        from .reruns import existing_credential

        data, _, _ = existing_credential(path, cred_id, self.key)
        return data, None

    def same_as_row(self, path: Path, plan: RowPlan, outcomes: Outcomes) -> tuple[bool, bool]:
        """Whether the file is what this row makes: built again at its proof's time and compared without the
        proof (its issuing time is the proof's ``created``: the credential has no ``issued``)."""
        import json

        from .vc2 import build_vc2

        data, _ = self.existing(path, plan.credential_id)
        document = json.loads(data)
        created = document["proof"].get("created") if isinstance(document.get("proof"), dict) else None
        if not isinstance(created, str):
            return False, False
        try:
            rebuilt = build_vc2(outcomes, plan.learner, issuer_id=self.key.did, issued=created,
                                cred_id=plan.credential_id)
        except InputError:  # the row (or the outcome file) no longer makes a credential of this profile
            return False, False
        return rebuilt == {k: v for k, v in document.items() if k != "proof"}, False

    @staticmethod
    def _no_status():
        from mcred.errors import UsageError

        return UsageError("--format vc2 does not take --status-list yet", hint="issue without it")

    def allocate(self, list_path: Path, count: int) -> list[tuple[str, int]]:
        raise self._no_status()

    def list_id(self, list_path: Path) -> str:
        raise self._no_status()

    def withdraw(self, list_path: Path, indexes: list[int]) -> str:
        raise self._no_status()


def _private_bytes(key) -> bytes:
    """An Ed25519 key's seed or an ECDSA key's unencrypted PKCS#8, for a worker process (see the module doc)."""
    if hasattr(key, "private_seed"):
        return key.private_seed()
    from cryptography.hazmat.primitives import serialization

    return key._key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())


def _vc2_roster(secret: bytes, suite: str) -> Vc2Roster:
    from mcred.keys.ed25519 import SigningKey

    if len(secret) == 32:
        return Vc2Roster(SigningKey.from_seed(secret), suite)
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from mcred.keys.ecdsa import EcSigningKey

    return Vc2Roster(EcSigningKey(load_der_private_key(secret, None)), suite)


class SdJwtVcRoster:
    """SD-JWT VCs signed ES256 by a P-256 key with its certificate chain in ``x5c``; statuses in a Token Status List.

    Each credential's id is its ``jti``, a random ``urn:uuid`` (:func:`mcred.issue.sd_jwt_vc.new_credential_id`:
    never derived from the learner, whose claims the holder may withhold); the manifest records it before the
    credential is signed, so a resumed or repeated run finds it. No holder key (``cnf``): one key cannot bind
    a roster of learners.
    """

    suffix = ".sd-jwt"
    ids_from_learner = False

    def __init__(self, key, chain: list, profile: str = "haip", cert_file: str | None = None) -> None:
        from mcred.keys.jose import public_jwk, thumbprint

        self.key, self.chain, self.profile, self.cert_file = key, chain, profile, cert_file
        self.suite = SD_JWT_VC_SUITE if profile == "haip" else f"{SD_JWT_VC_SUITE}/{profile}"
        # RFC 9278: the key's JWK thumbprint as a URI, what names an ES256 key without a DID
        self.issuer = f"urn:ietf:params:oauth:jwk-thumbprint:sha-256:{thumbprint(public_jwk(key.public_key.key))}"

    def __reduce__(self):
        from cryptography.hazmat.primitives import serialization

        secret = self.key._key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
        chain = [c.public_bytes(serialization.Encoding.DER) for c in self.chain]
        return _sd_jwt_vc_roster, (secret, chain, self.profile, self.cert_file)

    def new_id(self, outcomes: Outcomes, learner: dict) -> str:
        from .sd_jwt_vc import new_credential_id

        return new_credential_id()

    def sign(self, outcomes: Outcomes, learner: dict, *, issued: str, status: tuple[str, int] | None,
             cred_id: str) -> bytes:
        from .sd_jwt_vc import issue_sd_jwt_vc
        from .token_status_lists import token_status_entry

        issued_vc = issue_sd_jwt_vc(outcomes, learner, self.key, self.chain, issued=issued, profile=self.profile,
                                    cert_file=self.cert_file, jti=cred_id,
                                    status=token_status_entry(*status) if status else None)
        return (issued_vc.text + "\n").encode("ascii")

    def existing(self, path: Path, cred_id: str) -> tuple[bytes, tuple[str, int] | None]:
        from .sd_jwt_vc import read_own_sd_jwt_vc

        own = read_own_sd_jwt_vc(path, self.key)
        if own is None or own.payload.get("jti") != cred_id:
            raise _not_this_rows(path)
        return own.data, own.status

    def same_as_row(self, path: Path, plan: RowPlan, outcomes: Outcomes) -> tuple[bool, bool]:
        """Never the same: an SD-JWT VC's salts are random, so it cannot be made again to compare, and its id
        is random, so a file nothing records is not one a run of this roster wrote under this name. The safe
        answer, as for a changed row: refused unless ``--reissue``."""
        return False, self.existing(path, plan.credential_id)[1] is not None

    def allocate(self, list_path: Path, count: int) -> list[tuple[str, int]]:
        from .token_status_lists import allocate_token_indexes

        return [(a.list_id, a.index) for a in allocate_token_indexes(list_path, count, self.key)]

    def list_id(self, list_path: Path) -> str:
        from .token_status_lists import read_own_token

        return read_own_token(list_path, self.key).uri

    def withdraw(self, list_path: Path, indexes: list[int]) -> str:
        from .token_status_lists import update_token_status_list

        update_token_status_list(list_path, self.key, indexes, "revoke")
        return "revoked"


def _sd_jwt_vc_roster(secret: bytes, chain: list[bytes], profile: str, cert_file: str | None) -> SdJwtVcRoster:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from mcred.keys.ecdsa import EcSigningKey

    return SdJwtVcRoster(EcSigningKey(load_der_private_key(secret, None)),
                         [x509.load_der_x509_certificate(der) for der in chain], profile, cert_file)


class Ob3Roster(_BitstringStatus):
    """Open Badges 3.0 credentials (:mod:`mcred.issue.ob3`) signed with eddsa-rdfc-2022 by an Ed25519 key.

    Each credential's id is derived from the ELM credential's (:func:`mcred.issue.ob3.ob3_id`), so a re-run
    finds the same file. With a W3C status list (``purpose``: the list's one purpose), each credential carries a
    ``BitstringStatusListEntry``, as a VC 2.0 credential does.
    """

    suffix = ".ob3.json"
    #: False: the id of a row that failed would be reported as the ELM credential's (issuing._would_be)
    ids_from_learner = False

    def __init__(self, key, purpose: str | None = None) -> None:
        from .ob3 import OB3_SUITE

        self.key, self.suite, self.issuer, self.purpose = key, OB3_SUITE, key.did, purpose

    def __reduce__(self):
        return _ob3_roster, (self.key.private_seed(), self.purpose)

    def _entry(self, status: tuple[str, int] | None, outcomes: Outcomes) -> dict | None:
        from .status_lists import bitstring_entry

        if status is None:
            return None
        if self.purpose is None:  # a library caller who allocated without saying the list's purpose
            raise InputError("an Open Badges 3.0 credential's status entry needs its list's purpose",
                             file=str(outcomes.file), hint="make the roster format with the list's purpose")
        return bitstring_entry(status[0], status[1], self.purpose)

    def new_id(self, outcomes: Outcomes, learner: dict) -> str:
        from mcred.elm.builder import credential_id

        from .ob3 import ob3_id

        return ob3_id(credential_id(outcomes.data, learner))

    def sign(self, outcomes: Outcomes, learner: dict, *, issued: str, status: tuple[str, int] | None,
             cred_id: str) -> bytes:
        from .award import credential_bytes
        from .ob3 import issue_ob3

        return credential_bytes(issue_ob3(outcomes, learner, self.key, issued=issued, cred_id=cred_id,
                                          status=self._entry(status, outcomes)))

    def existing(self, path: Path, cred_id: str) -> tuple[bytes, tuple[str, int] | None]:
        from .reruns import existing_credential

        data, _, entry = existing_credential(path, cred_id, self.key)
        return data, (entry.list_id, entry.index) if entry else None

    def same_as_row(self, path: Path, plan: RowPlan, outcomes: Outcomes) -> tuple[bool, bool]:
        """Whether the file is what this row makes now: rebuilt at the time its proof was made, compared."""
        import json

        from .ob3 import build_ob3

        data, entry = self.existing(path, plan.credential_id)
        document = json.loads(data)
        proof = document.get("proof")
        created = proof.get("created") if isinstance(proof, dict) else None
        if not isinstance(created, str):
            return False, entry is not None
        try:
            status = self._entry(entry, outcomes) if entry is not None and self.purpose is not None else None
            rebuilt = build_ob3(outcomes, plan.learner, issuer_id=self.key.did, issued=created,
                                cred_id=plan.credential_id, status=status or document.get("credentialStatus"))
        except InputError:  # the row no longer makes a credential: changed
            return False, entry is not None
        unsigned = {name: value for name, value in document.items() if name != "proof"}
        return rebuilt == unsigned, entry is not None


def _ob3_roster(seed: bytes, purpose: str | None = None) -> Ob3Roster:
    from mcred.keys.ed25519 import SigningKey

    return Ob3Roster(SigningKey.from_seed(seed), purpose)

"""SD-JWT VCs for the tests, made with mcred's own encoders and a throw-away P-256 PKI (:mod:`tests.pki`).

What an issuer, a holder or an attacker can make: each test builds the credential it needs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from cryptography.hazmat.primitives import serialization

from mcred.keys.jose import sign_compact_ec
from mcred.sdjwt.disclosures import disclosure_digest, encode_disclosure
from mcred.sdjwt.keybinding import sd_hash

from .pki import Issued, ec_key, make_ca, make_seal_cert

#: 2026-06-01T00:00:00Z: inside the test PKI's validity (2026-2028)
IAT = int(datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp())
NOW = datetime(2026, 6, 2, tzinfo=timezone.utc)
VCT = "urn:eudi:micro_credential:1"


@dataclass
class EcPki:
    root: Issued
    ca: Issued
    issuer: Issued        # the issuer's P-256 end-entity certificate
    expired: Issued       # valid 2020 to 2021
    ca_leaf: Issued       # an end entity that says it is a CA
    no_usage: Issued      # keyUsage without digitalSignature
    foreign_root: Issued
    foreign: Issued       # an issuer certificate from a root nobody trusts
    holder: object        # the holder's P-256 private key


@lru_cache(maxsize=1)
def ec_pki() -> EcPki:
    root = make_ca("mcred TEST EC Root CA", key=ec_key())
    ca = make_ca("mcred TEST EC Issuing CA", key=ec_key(), parent=root)
    foreign_root = make_ca("Elsewhere TEST EC Root", key=ec_key())
    return EcPki(
        root=root, ca=ca, issuer=make_seal_cert(ca, key=ec_key(), qualified=False),
        expired=make_seal_cert(ca, key=ec_key(), qualified=False, start=datetime(2020, 1, 1, tzinfo=timezone.utc),
                               end=datetime(2021, 1, 1, tzinfo=timezone.utc)),
        ca_leaf=make_seal_cert(ca, key=ec_key(), qualified=False, ca_flag=True),
        no_usage=make_seal_cert(ca, key=ec_key(), qualified=False, key_usage=False),
        foreign_root=foreign_root, foreign=make_seal_cert(foreign_root, key=ec_key(), qualified=False),
        holder=ec_key())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(private_key) -> dict:
    numbers = private_key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big"))}


def x5c(*certs: Issued) -> list[str]:
    return [base64.b64encode(c.cert.public_bytes(serialization.Encoding.DER)).decode("ascii") for c in certs]


def sign_jwt(header: dict, payload: dict, key) -> str:
    return sign_compact_ec(header, json.dumps(payload).encode("utf-8"), key)


def issue(*, signer: Issued | None = None, chain: list[Issued] | None = None, plain: dict | None = None,
          hidden: dict | None = None, header: dict | None = None, holder: bool = True, decoys: int = 1,
          payload_edit=None) -> tuple[str, list[str]]:
    """An issued SD-JWT VC (``<jwt>~<disclosure>~…~``) and its disclosures; ``hidden`` claims are selectively
    disclosable; ``payload_edit`` changes the payload before signing (what a dishonest issuer could sign)."""
    pki = ec_pki()
    signer = signer or pki.issuer
    chain = chain if chain is not None else [signer, pki.ca]
    hidden = {"given_name": "Maria", "family_name": "Rossi", "grade": "30/30"} if hidden is None else hidden
    disclosures = [encode_disclosure(f"salt-{name}-0123456789", name, value) for name, value in hidden.items()]
    digests = [disclosure_digest(d) for d in disclosures] + [disclosure_digest(encode_disclosure(f"decoy{i}", "x", i))
                                                             for i in range(decoys)]
    payload = {"_sd": sorted(digests), "_sd_alg": "sha-256", "iss": "https://its.example/issuer", "iat": IAT,
               "exp": IAT + 365 * 86400, "vct": VCT,
               **({"title": "Data analysis with Python"} if plain is None else plain)}
    if holder:
        payload["cnf"] = {"jwk": public_jwk(pki.holder)}
    if payload_edit:
        payload_edit(payload)
    head = {"typ": "dc+sd-jwt", "x5c": x5c(*chain), **(header or {})}
    return sign_jwt(head, payload, signer.key) + "~" + "".join(d + "~" for d in disclosures), disclosures


def present(issued: str, keep: list[str] | None = None, *, key=None, nonce: str = "n-0S6_WzA2Mj",
            aud: str = "https://verifier.example", iat: int | None = None, sd_hash_of: str | None = None,
            typ: str = "kb+jwt") -> str:
    """A presentation: the issuer JWT, the disclosures in ``keep`` (all when None) and a KB-JWT."""
    jwt, *disclosures = issued.split("~")[:-1]
    chosen = disclosures if keep is None else keep
    presented = jwt + "~" + "".join(d + "~" for d in chosen)
    claims = {"nonce": nonce, "aud": aud, "iat": int(NOW.timestamp()) if iat is None else iat,
              "sd_hash": sd_hash(sd_hash_of if sd_hash_of is not None else presented)}
    return presented + sign_jwt({"typ": typ}, claims, key or ec_pki().holder)

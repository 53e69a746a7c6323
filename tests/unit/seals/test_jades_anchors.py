"""X.509 trust anchors in trust files, and the rules of the paths that reach them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from mcred.report import VerifyOptions
from mcred.seals.anchors import X509Anchor
from mcred.seals.jades import make_seal, sign_bytes
from mcred.seals.x509 import build_chain, fingerprint
from mcred.verify.runner import verify_credential
from mcred.verify.trust import TrustFileError, TrustList, load_trust_list, save_trust_list, trust_list_from_data
from tests.conftest import ASSETS, NOW, load_json
from tests.pki import Issued, make_ca, make_seal_cert, rsa_key, seal_pki

WHEN = datetime(2026, 7, 1, 9, tzinfo=timezone.utc)


def test_the_test_only_trust_file_reads_and_round_trips(tmp_path):
    trust = load_trust_list(ASSETS / "jades" / "TEST-ONLY-ec-test-ca.trust.yaml")
    assert [a.name.startswith("TEST ONLY") for a in trust.anchors] == [True, True]
    assert all(a.cert is not None for a in trust.anchors)
    for name in ("copy.yaml", "copy.json"):
        save_trust_list(trust, tmp_path / name)
        assert load_trust_list(tmp_path / name) == trust


@pytest.mark.parametrize("anchor,field", [
    ({"name": "x", "sha256": "12"}, "$.anchors[0].sha256"),
    ({"sha256": "ab" * 32}, "$.anchors[0].name"),
    ({"name": "x", "sha256": "ab" * 32, "certificate": "not PEM"}, "$.anchors[0].certificate"),
    ({"name": "x", "sha256": "ab" * 32, "extra": 1}, "$.anchors[0].extra"),
])
def test_bad_anchors_are_refused_with_their_path(anchor, field):
    with pytest.raises(TrustFileError) as error:
        trust_list_from_data({"mcred": "trust/1", "issuers": [], "anchors": [anchor]})
    assert field in [path for path, _, _ in error.value.problems]


def test_a_certificate_that_is_not_its_fingerprint_and_a_duplicate_are_refused():
    pem = seal_pki().root.pem.decode()
    with pytest.raises(TrustFileError, match="not the sha256 given"):
        trust_list_from_data({"mcred": "trust/1", "issuers": [],
                              "anchors": [{"name": "x", "sha256": "ab" * 32, "certificate": pem}]})
    anchor = X509Anchor.from_certificate(seal_pki().root.cert).to_data()
    with pytest.raises(TrustFileError, match="listed twice"):
        trust_list_from_data({"mcred": "trust/1", "issuers": [], "anchors": [anchor, anchor]})


def test_an_anchor_by_fingerprint_matches_a_certificate_the_file_carries():
    pki = seal_pki()
    anchors = {fingerprint(pki.ca.cert): X509Anchor("the CA", fingerprint(pki.ca.cert))}
    assert build_chain(pki.seal.cert, [pki.ca.cert], anchors, WHEN).status == "trusted"
    assert build_chain(pki.seal.cert, [], anchors, WHEN).status == "untrusted"  # not carried: cannot be used


def _anchored(root: Issued) -> dict:
    return {fingerprint(root.cert): X509Anchor.from_certificate(root.cert, "root")}


def test_an_issuer_that_is_not_a_ca_breaks_the_path():
    pki = seal_pki()
    not_a_ca = make_seal_cert(pki.root, organisation="Not a CA", identifier=None, common_name="not a CA")
    leaf = make_seal_cert(not_a_ca)
    chain = build_chain(leaf.cert, [not_a_ca.cert], _anchored(pki.root), WHEN)
    assert chain.status == "invalid" and "not a CA" in chain.reason


def test_a_ca_expired_at_signing_time_breaks_the_path():
    pki = seal_pki()
    old_ca = make_ca("old TEST CA", parent=pki.root, start=datetime(2026, 1, 1, tzinfo=timezone.utc),
                     end=datetime(2026, 6, 1, tzinfo=timezone.utc))
    leaf = make_seal_cert(old_ca, key=rsa_key())
    chain = build_chain(leaf.cert, [old_ca.cert], _anchored(pki.root), WHEN)
    assert chain.status == "invalid" and "was not valid at" in chain.reason
    payload = json.dumps(load_json(ASSETS.parent.parent / "examples" / "elm-microcredential.json")).encode()
    sealed = make_seal(payload, lambda data: sign_bytes(leaf.key, "RS256", data), "RS256",
                       [leaf.cert, old_ca.cert], "2026-07-01T09:00:00Z")
    trust = TrustList((), anchors=(X509Anchor.from_certificate(pki.root.cert, "root"),))
    report = verify_credential(sealed, options=VerifyOptions(now=NOW, trust=trust))
    assert report.failures[0].code == "JADES_CHAIN_INVALID"

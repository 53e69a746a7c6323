"""An SD-JWT VC revoked through its Token Status List, end to end: `mcred issue --format sd-jwt-vc
--status-list`, `mcred status revoke/suspend/reinstate` by the printed index, `mcred verify --status-list`.

The list is signed at the wall-clock time (`mcred status` has no --now), so the credential is issued
"now" too, with a certificate valid around it: nothing depends on today's date.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization

from mcred.cli.app import app
from mcred.keys.ecdsa import EcSigningKey, save_any_signing_key
from tests.cli.test_issue_sd_jwt_vc import EXAMPLE
from tests.unit.sdjwt.certs import ca, certificate

URI = "https://its.example/status/tsl/1"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def issued(runner, tmp_path):
    """(folder, credential file, its status index), issued with a list of the same key."""
    now = datetime.now(UTC).replace(microsecond=0)
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    leaf = certificate(key._key, ca_key, subject="Issuer", issuer="Test CA", start=now - timedelta(days=1))
    save_any_signing_key(key, tmp_path / "issuer.pem")
    (tmp_path / "chain.pem").write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, ca_cert)))
    result = run(runner, "status", "init", tmp_path / "list.jwt", "--format", "token-status-list", "--key",
                 tmp_path / "issuer.pem", "--uri", URI, "--size", 1024, "--bits", 2)
    assert result.exit_code == 0, result.output
    out = tmp_path / "cred.sd-jwt"
    result = run(runner, "issue", EXAMPLE, "--format", "sd-jwt-vc", "--key", tmp_path / "issuer.pem", "--cert",
                 tmp_path / "chain.pem", "--status-list", tmp_path / "list.jwt", "--out", out,
                 "--issued", now.isoformat().replace("+00:00", "Z"))
    assert result.exit_code == 0, result.output
    payload = json.loads(base64.urlsafe_b64decode(out.read_text().split(".")[1] + "=="))
    return tmp_path, out, payload["status"]["status_list"]["idx"]


def verify(runner, folder, out, *lists):
    result = run(runner, "verify", out, *[a for name in lists for a in ("--status-list", folder / name)],
                 "--format", "json")
    checks = json.loads(result.stdout.splitlines()[0])["checks"]  # the report, then the summary
    statuses = [c for c in checks if c["check"] == "status"]
    return result.exit_code, [(c["status"], c["code"]) for c in statuses], result


def change(runner, folder, action, idx):
    result = run(runner, "status", action, folder / "list.jwt", idx, "--key", folder / "issuer.pem")
    assert result.exit_code == 0, result.output


def test_issued_then_revoked(runner, issued):
    folder, out, idx = issued
    code, statuses, result = verify(runner, folder, out, "list.jwt")
    assert (code, statuses) == (0, [("passed", "SDJWT_STATUS_VALID")]), result.output
    change(runner, folder, "revoke", idx)
    assert verify(runner, folder, out, "list.jwt")[:2] == (1, [("failed", "SDJWT_STATUS_REVOKED")])


def test_suspended_then_reinstated(runner, issued):
    folder, out, idx = issued
    change(runner, folder, "suspend", idx)
    assert verify(runner, folder, out, "list.jwt")[:2] == (1, [("failed", "SDJWT_STATUS_SUSPENDED")])
    change(runner, folder, "reinstate", idx)
    assert verify(runner, folder, out, "list.jwt")[:2] == (0, [("passed", "SDJWT_STATUS_VALID")])


def test_without_the_list_the_status_is_a_warning(runner, issued):
    folder, out, _ = issued
    assert verify(runner, folder, out)[:2] == (0, [("warning", "SDJWT_STATUS_UNCHECKED")])


def test_a_list_signed_by_another_key_is_a_warning_not_a_revocation(runner, issued):
    # someone else's list, with the credential's uri and its index revoked: it must decide nothing
    folder, out, idx = issued
    save_any_signing_key(EcSigningKey.generate("P-256"), folder / "other.pem")
    assert run(runner, "status", "init", folder / "forged.jwt", "--format", "token-status-list", "--key",
               folder / "other.pem", "--uri", URI, "--size", 1024, "--bits", 2).exit_code == 0
    (folder / "forged.jwt.alloc").unlink()  # the forger never handed the index out: no sidecar to refuse it
    assert run(runner, "status", "revoke", folder / "forged.jwt", idx, "--key", folder / "other.pem").exit_code == 0
    assert verify(runner, folder, out, "forged.jwt")[:2] == (0, [("warning", "TSL_SIGNATURE_INVALID")])


def test_a_changed_copy_of_the_issuers_list_is_a_warning(runner, issued):
    folder, out, _ = issued
    header, payload, signature = (folder / "list.jwt").read_text().strip().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["ttl"] = 1
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    (folder / "changed.jwt").write_text(f"{header}.{forged}.{signature}\n")
    assert verify(runner, folder, out, "changed.jwt")[:2] == (0, [("warning", "TSL_SIGNATURE_INVALID")])

"""``mcred serve`` itself, started on a free loopback port: the CLI, uvicorn, the workers, the token, SIGTERM."""

from __future__ import annotations

import http.client
import json

from .running import KEY, ROOT, request, running_server, worker_pids


def test_the_real_server_issues_and_verifies_with_two_workers():
    credential = json.loads((ROOT / "examples" / "elm-microcredential.json").read_text())
    with running_server("--key", str(KEY), "--issuer-from-key", "--workers", "2") as (process, port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, health = request(connection, "GET", "/health")
        assert status == 200 and health["issuer"].startswith("did:key:")
        status, issued = request(connection, "POST", "/credentials/issue", {"credential": credential})
        assert status == 201
        status, result = request(connection, "POST", "/credentials/verify",
                                 {"verifiableCredential": issued["verifiableCredential"]})
        assert status == 200 and result["verified"] is True
        assert len(worker_pids(process.pid)) == 2
        connection.close()
    assert process.returncode == 0


def test_the_real_server_requires_its_token(tmp_path):
    token = "k" * 43
    (tmp_path / "token").write_text(token + "\n")
    with running_server("--token-file", str(tmp_path / "token")) as (_, port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        assert request(connection, "GET", "/health")[0] == 401
        assert request(connection, "GET", "/health", headers={"Authorization": f"Bearer {token}"})[0] == 200
        connection.close()


def test_serve_refuses_another_host_without_a_token():
    from typer.testing import CliRunner

    from mcred.cli.app import app

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "SERVE_BIND_NOT_LOOPBACK" not in result.output
    assert "token" in result.output

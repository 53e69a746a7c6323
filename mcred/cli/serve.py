"""``mcred serve``: a local VC API (issue, verify, presentations, status) for learning platforms.

The server (Starlette, uvicorn: the optional extra ``mcred[serve]``) is imported only when the
command runs, so every other command starts as before; the work is in :mod:`mcred.serve`.
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import DidDocuments, PassphraseEnv, SignSuite, documents_paths, run, say

SERVE_HELP = (
    "Serve a local VC API over HTTP: POST /credentials/issue, /credentials/verify, /presentations/verify, "
    "/credentials/status; GET /health, /openapi.json (docs/serve.md).\n\n"
    "Listens on 127.0.0.1 unless --host says otherwise; any other host needs --token-file, and every request "
    "then needs Authorization: Bearer TOKEN. The key is loaded once and never returned or logged. Needs the "
    "serve extra: pip install 'mcred[serve]'.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=SERVE_HELP)(serve)


def serve(
    key_file: Annotated[Path | None, typer.Option("--key", "-k", metavar="KEY", help="The issuer's signing key "
                                                  "(without it, /credentials/issue answers 501).")] = None,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port (0: a free one, announced).")] = 8080,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    token_file: Annotated[Path | None, typer.Option("--token-file", metavar="FILE", help="A file holding the "
                                                    "bearer token (at least 32 characters); required for any "
                                                    "host but the loopback interface.")] = None,
    status_list: Annotated[list[Path] | None, typer.Option("--status-list", metavar="LIST.json", help="The "
                                                           "issuer's status list (mcred status init); one per "
                                                           "purpose, repeatable.", show_default=False)] = None,
    suite: Annotated[SignSuite, typer.Option(help="Cryptosuite of the proofs it adds.")] = SignSuite.rdfc,
    issuer_from_key: Annotated[bool, typer.Option("--issuer-from-key", help="Set each credential's issuer to "
                                                  "the key's DID before signing.")] = False,
    trust: Annotated[Path | None, typer.Option(metavar="TRUST.yaml", help="A trust file for verifying.")] = None,
    did_documents: DidDocuments = None,
    max_body: Annotated[int, typer.Option("--max-body-bytes", min=1024, help="Largest request body.")
                        ] = 1024 * 1024,
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, metavar="SECONDS", help="Longest request.")
                       ] = 30.0,
    passphrase_env: PassphraseEnv = None,
) -> None:
    def action():
        from mcred.errors import UsageError

        try:
            import starlette  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            raise UsageError("mcred serve needs its optional extra", code="USAGE",
                             hint="pip install 'mcred[serve]'") from None
        from mcred.serve.config import ServeConfig, check_bind, read_token
        from mcred.serve.server import serve as run_server
        from mcred.verify.batch import load_options

        token = read_token(token_file) if token_file is not None else None
        check_bind(host, token)  # before the key is read: a refusal costs nothing
        key = None
        if key_file is not None:
            from mcred.keys.ecdsa import load_any_signing_key
            from mcred.keys.ed25519 import passphrase_from_env

            key = load_any_signing_key(key_file, passphrase_from_env(passphrase_env))
        options = load_options(str(trust) if trust else None, (), False, None, documents_paths(did_documents))
        config = ServeConfig(key=key, suite=suite.value, issuer_from_key=issuer_from_key,
                             status_lists=tuple(status_list or ()), verify_options=options, token=token,
                             max_body_bytes=max_body, request_seconds=timeout)
        run_server(config, host, port, workers, announce=say)

    run(action)

"""The ASGI app of ``mcred serve``: the routes of the VC API, the bearer token, and the bounds on each request.

Made by :func:`create_app` from a :class:`.config.ServeConfig`; the work of each endpoint is in
:mod:`.handlers` and runs in a worker thread (signing and verifying are CPU-bound; the event loop
stays free to read other requests and to enforce the time bound). Every answer is JSON; every
refusal has a problem code, the JSON path, a hint, in English or (``Accept-Language: it``) Italian.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mcred.errors import McredError

from . import handlers
from .config import ServeConfig, token_matches
from .openapi import openapi_document
from .problems import ServeProblem, http_status, problem_body
from .status import StatusBook

log = logging.getLogger("mcred.serve")


def create_app(config: ServeConfig) -> Callable:
    """The ASGI app serving the VC API with ``config`` (its key already loaded); the token guards every request."""
    status_book = StatusBook(config.status_lists, config.key)

    def endpoint(work: Callable[[object, str], tuple[int, dict]]):
        async def answer(request: Request) -> Response:
            lang = _language(request)
            try:
                with anyio.fail_after(config.request_seconds):
                    body = await _read_json(request, config.max_body_bytes)
                    status, out = await anyio.to_thread.run_sync(work, body, lang, abandon_on_cancel=True)
            except TimeoutError:
                seconds = config.request_seconds
                return problem(ServeProblem(503, "SERVE_TIMEOUT", f"the request took over {seconds:g} seconds",
                                            hint="try again; if it happens again, report it",
                                            params={"seconds": f"{seconds:g}"}), lang)
            except McredError as error:
                return problem(error, lang)
            except Exception as error:  # a bug: its kind and place in the log, never the data or a traceback
                log.error("internal error: %s at %s", type(error).__name__, _innermost(error))
                return problem(ServeProblem(500, "SERVE_INTERNAL", f"internal error ({type(error).__name__})",
                                            hint="this is a bug in mcred: report it",
                                            params={"kind": type(error).__name__}), lang)
            return json_response(status, out)

        return answer

    async def health(request: Request) -> Response:
        from mcred import __version__

        return json_response(200, {"status": "ok", "version": __version__, "issuer": config.issuer,
                                   "suite": config.suite if config.key is not None else None,
                                   "statusPurposes": sorted(status_book.lists)})

    async def openapi(request: Request) -> Response:
        return json_response(200, openapi_document())

    routes = [
        Route("/credentials/issue", endpoint(lambda body, lang: handlers.issue(body, config, status_book)),
              methods=["POST"]),
        Route("/credentials/verify", endpoint(lambda body, lang: handlers.verify(body, config, lang, status_book)),
              methods=["POST"]),
        Route("/presentations/verify",
              endpoint(lambda body, lang: handlers.verify_presentation(body, config, lang)), methods=["POST"]),
        Route("/credentials/status", endpoint(lambda body, lang: handlers.update_status(body, status_book)),
              methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_exception})
    return TokenGuard(app, config.token)


class TokenGuard:
    """ASGI middleware: with a token, every HTTP request must carry ``Authorization: Bearer TOKEN`` (401 if not)."""

    def __init__(self, app: Callable, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and self.token is not None:
            headers = dict(scope.get("headers") or [])
            given = headers.get(b"authorization", b"").decode("latin-1")
            if not token_matches(self.token, given):
                response = problem(ServeProblem(401, "SERVE_UNAUTHORIZED", "the token is missing or wrong",
                                                hint="send Authorization: Bearer with the token of --token-file"),
                                   "en", headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _read_json(request: Request, limit: int):
    """The request's JSON body, read up to ``limit`` bytes (413 past it, before the rest is read)."""
    from mcred._files import parse_json

    def too_large() -> ServeProblem:
        return ServeProblem(413, "SERVE_BODY_TOO_LARGE", f"the request body is over {limit} bytes",
                            hint="send one credential at a time", params={"limit": limit})

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise too_large()
    return parse_json(bytes(data), file="request")


def json_response(status: int, body: dict, headers: dict | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text.encode("utf-8"), status_code=status, media_type="application/json", headers=headers)


def problem(error: McredError, lang: str, headers: dict | None = None) -> Response:
    return json_response(http_status(error), problem_body(error, lang), headers)


async def _http_exception(request: Request, exc: HTTPException) -> Response:
    """Starlette's 404 and 405, as problems like every other refusal."""
    path = request.url.path
    if exc.status_code == 405:
        error = ServeProblem(405, "SERVE_METHOD_NOT_ALLOWED", f"{request.method} is not allowed on {path}",
                             hint="see /openapi.json for the methods", params={"method": request.method, "path": path})
        return problem(error, _language(request), headers=exc.headers)
    if exc.status_code == 404:
        error = ServeProblem(404, "SERVE_NOT_FOUND", f"no endpoint {path}", hint="see /openapi.json for the endpoints",
                             params={"path": path})
    else:  # Starlette raises no other HTTPException on these routes; should it, it is still a problem with a code
        detail = str(exc.detail)
        error = ServeProblem(exc.status_code, "SERVE_REQUEST_INVALID", f"the request is not valid: {detail}",
                             hint="see /openapi.json for the shape of each request", params={"detail": detail})
    return problem(error, _language(request))


def _language(request: Request) -> str:
    return "it" if request.headers.get("accept-language", "").lower().startswith("it") else "en"


def _innermost(error: BaseException) -> str:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return "?" if tb is None else f"{tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}"

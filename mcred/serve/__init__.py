"""``mcred serve``: a local VC API over the library, for learning platforms that issue and verify over HTTP.

An optional extra (``pip install 'mcred[serve]'``: Starlette and uvicorn). The modules:
``problems`` (the service's problem codes and their HTTP statuses), ``config`` (what the server is
started with: the key, loaded once, the token, the limits), ``handlers`` (each endpoint over the
library, without HTTP), ``status`` (the issuer's own status lists: entries for what it issues, updates
by credential id), ``openapi`` (the OpenAPI document), ``app`` (the ASGI app: routes, the token, the
size and time bounds). Nothing here is imported by ``mcred --help`` or any other command.
"""

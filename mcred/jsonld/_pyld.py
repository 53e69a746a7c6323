"""pyld's JSON-LD processor, imported without the network document loaders. The only module that imports pyld.

``import pyld`` runs the package's ``__init__``, which imports every document
loader pyld has (aiohttp and with it asyncio, urllib.request, a file loader),
and ``pyld.jsonld`` picks a network loader as its default when it is imported.
mcred never uses any of them (its own loader serves the bundled contexts and
refuses every other URL), and they were about a sixth of the start-up of a
one-file ``mcred verify``. So the package is entered without its ``__init__``
and the default loader pyld builds is mcred's refusal. When pyld has already
been imported normally (by a test, or a program that uses mcred as a library)
that import is used as it is.
"""

from __future__ import annotations

import importlib.util
import sys
import types


def _refuse_everything(url, options=None):
    raise ValueError(f"mcred does not load documents from the network ({url})")


def _enter_pyld_lightly() -> None:
    if "pyld" in sys.modules:
        return
    spec = importlib.util.find_spec("pyld")
    if spec is None or not spec.submodule_search_locations:
        return  # not installed as a package: the ordinary import will say so
    package = types.ModuleType("pyld")
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    sys.modules["pyld"] = package
    import pyld.documentloader as loaders  # an empty package: the loaders are its submodules

    default_loader = types.ModuleType("pyld.documentloader.requests")
    default_loader.requests_document_loader = lambda **_: _refuse_everything
    sys.modules["pyld.documentloader.requests"] = default_loader
    loaders.requests = default_loader


_enter_pyld_lightly()

from pyld import jsonld  # noqa: E402 (after the package is entered)

__all__ = ["jsonld"]

"""JSON-LD expansion with processed contexts kept across documents: the fast path of :mod:`mcred.jsonld.process`.

Why this exists: pyld spends most of a verification re-processing contexts it
has processed before. Its cache of processed contexts is keyed on a random id
that every clone of an active context gets afresh, and every type-scoped
context (VC 1.1 ``VerifiableCredential``, Data Integrity ``DataIntegrityProof``)
is applied to such a clone, so the cache misses for every node of every
document; on top of that, each IRI is expanded again at each occurrence.

What it does: the tree walk of the JSON-LD 1.1 Expansion Algorithm, as pyld
3.3.0 implements it (the step order and the checks mirror ``_expand`` and
``_expand_object``), over active contexts that pyld still builds: every context
is processed by pyld, once per process, and kept in a cache keyed on content
(the JSON of the contexts applied, in order), with a memo of IRI expansions.

What it does not: anything uncommon in a credential (``@reverse``, ``@nest``,
``@included``, index/id/type maps, ``@json`` values, nested lists, a term that
would be dropped, any JSON-LD error) raises :class:`Unsupported`, and the
caller expands the whole document with pyld instead, which then produces
exactly its usual result or error. The tests compare both paths on every
document they have (examples, W3C vectors, generated credentials).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ._pyld import jsonld
from .rdf import ABSOLUTE_IRI, iri_ok, language_ok

_KEYWORDS = frozenset(jsonld.KEYWORDS)
# expansion results memoised per context: bounded, since a document may be built to hold many distinct strings
_MEMO_LIMIT = 4096
# processed contexts kept per process (each document's own and the scoped ones derived from them)
_CONTEXT_LIMIT = 2048


class _Unsafe(threading.local):
    """Set while expanding when a value safe mode would refuse was produced (see :func:`expand_checked`).

    One flag per thread: a library user expanding in several threads must not
    have one thread's reset hide what another found.
    """

    seen = False


_unsafe = _Unsafe()

#: the type of a credential: the nodes typed so are noted while expanding (see _Found)
VC_TYPE = "https://www.w3.org/2018/credentials#VerifiableCredential"


class _Found(threading.local):
    """What mcred.graph.nodes would otherwise walk the result to find, noted as objects are expanded: the node
    objects given an @id and those typed VerifiableCredential, in the default graph (what is noted inside a
    named graph, such as a proof's, is struck out when its term is done). ``valid`` is cleared by what the
    notes do not follow (a @graph keyword, a node dropped or read as a list)."""

    described: dict = {}   # @id -> the node objects given it (references with nothing else included)
    credentials: list = []
    valid = True


_found = _Found()


class Expanded(list):
    """An expanded document (a list, as pyld gives it) with the notes of :class:`_Found` about it."""

    __slots__ = ("described", "credentials")


def _flag_unless_id(value: Any) -> None:
    if not (isinstance(value, str) and (value.startswith("_:") or iri_ok(value))):
        _unsafe.seen = True


def _flag_unless_iri(value: Any) -> None:
    # a blank node passes: safe mode allows it as a node's type, and _finish declines it as a literal's datatype
    if not (isinstance(value, str) and iri_ok(value)):
        _unsafe.seen = True


def _flag_unless_language(value: Any) -> None:
    if not (isinstance(value, str) and language_ok(value)):
        _unsafe.seen = True


class Unsupported(Exception):  # noqa: N818 (a signal to fall back, not an error)
    """The document uses something the fast path leaves to pyld."""


class _Context:
    """A processed active context (pyld's dict) with memos of what is derived from it.

    Instances are cached and shared across documents, so they must never be
    mutated after creation except through their memo dicts, whose keys are
    content (strings), never object identities.
    """

    __slots__ = ("active", "mappings", "previous", "vocab_memo", "id_memo", "info_memo", "derived", "scoped_json",
                 "typed_memo", "_type_keys")

    def __init__(self, active: dict, previous: _Context | None):
        self.active = active
        self.mappings = active["mappings"]
        self.previous = previous
        self.vocab_memo: dict[str, Any] = {}
        self.id_memo: dict[str, Any] = {}
        self.info_memo: dict[Any, _Term] = {}
        self.derived: dict[tuple, _Context] = {}
        self.scoped_json: dict[str, str] = {}
        self.typed_memo: dict[tuple, tuple[_Context, str]] = {}  # (type key, its value) -> context, type key
        self._type_keys: frozenset | None = None

    def type_keys(self) -> frozenset:
        """The keys that expand to ``@type`` here: the keyword and its aliases (only a term can alias it)."""
        if self._type_keys is None:
            self._type_keys = frozenset(["@type"] + [term for term, definition in self.mappings.items()
                                                     if definition and definition.get("@id") == "@type"])
        return self._type_keys

    def info(self, key: Any) -> _Term:
        """What this context says of a key used as a property: looked up once, then memoised."""
        try:
            return self.info_memo[key]
        except KeyError:
            info = _Term(self, key)
            if len(self.info_memo) < _MEMO_LIMIT:
                self.info_memo[key] = info
            return info

    def vocab_iri(self, value: Any) -> Any:
        """pyld's ``_expand_iri(ctx, value, vocab=True)`` with no base."""
        if not isinstance(value, str):
            return value
        try:
            return self.vocab_memo[value]
        except KeyError:
            result = _PROCESSOR._expand_iri(self.active, value, vocab=True)
            if len(self.vocab_memo) < _MEMO_LIMIT:
                self.vocab_memo[value] = result
            return result

    def id_iri(self, value: Any) -> Any:
        """pyld's ``_expand_iri(ctx, value, base=None)``: relative IRIs stay relative."""
        if not isinstance(value, str):
            return value
        try:
            return self.id_memo[value]
        except KeyError:
            result = _PROCESSOR._expand_iri(self.active, value, base=None)
            if len(self.id_memo) < _MEMO_LIMIT:
                self.id_memo[value] = result
            return result

    def term(self, key: Any, entry: str) -> Any:
        """pyld's ``get_context_value(ctx, key, entry)``."""
        value = None
        if key is None:
            return None
        if entry == "@language" or entry == "@direction":
            value = self.active.get(entry)
        if key in self.mappings:
            definition = self.mappings[key]
            if definition is None:
                return None
            if entry in definition:
                value = definition[entry]
        return value

    def scoped(self, term: str) -> str:
        """The JSON of a term's scoped context: the content key of what applying it derives."""
        try:
            return self.scoped_json[term]
        except KeyError:
            text = _content_key(self.mappings[term]["@context"])
            self.scoped_json[term] = text
            return text

    def derive(self, kind: str, content: str, local: Any, *, propagate: bool = True,
               override_protected: bool = False) -> _Context:
        """The context pyld's ``_process_context`` gives for ``local`` over this one, cached on content."""
        key = (kind, content)
        cached = self.derived.get(key)
        if cached is not None:
            return cached
        try:
            active = _PROCESSOR._process_context(self.active, local, _options(),
                                                 propagate=propagate, override_protected=override_protected)
        except Exception as exc:  # pyld will raise it again, with its own message, on the slow path
            raise Unsupported(f"context processing: {exc}") from None
        previous = active.get("previousContext")
        if previous is None:
            previous_context = None
        elif previous is self.active:
            previous_context = self
        elif self.previous is not None and previous is self.previous.active:
            previous_context = self.previous
        else:
            raise Unsupported("an unexpected previous context")
        result = _Context(active, previous_context)
        global _CONTEXTS_MADE
        _CONTEXTS_MADE += 1
        self.derived[key] = result
        return result


class _Term:
    """A property key's expansion and term definition entries in one context (pyld's get_context_value)."""

    __slots__ = ("iri", "keyword", "usable", "safe", "scoped", "container", "type", "language", "direction",
                 "language_map", "other_map", "list_container", "graph_container", "reverse", "plain")

    def __init__(self, ctx: _Context, key: Any):
        self.iri = ctx.vocab_iri(key)
        self.keyword = self.iri in _KEYWORDS
        # a key that expands to neither a keyword nor an absolute IRI is dropped by JSON-LD
        self.usable = isinstance(self.iri, str) and (self.keyword or bool(ABSOLUTE_IRI.match(self.iri)))
        # what safe mode asks of a property IRI, and of the term's datatype and language
        self.safe = self.keyword or (self.usable and not self.iri.startswith("_:") and iri_ok(self.iri))
        self.scoped = ctx.term(key, "@context")
        self.container = container = tuple(ctx.term(key, "@container") or ())
        self.type = ctx.term(key, "@type")
        self.language = ctx.term(key, "@language")
        self.direction = ctx.term(key, "@direction")
        # the container tests _expand_object makes for every value, made once
        self.language_map = "@language" in container
        self.other_map = "@index" in container or "@id" in container or "@type" in container
        self.list_container = "@list" in container
        self.graph_container = "@graph" in container and "@id" not in container and "@index" not in container
        definition = ctx.mappings.get(key) if isinstance(key, str) else None
        self.reverse = bool(definition and definition.get("reverse"))
        # a term whose values are nodes of this graph: the common case (not a keyword, not a named graph)
        self.plain = not self.keyword and not self.graph_container


def _content_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_PROCESSOR = jsonld.JsonLdProcessor()
_OPTIONS: dict | None = None
_INITIAL: _Context | None = None
_CONTEXTS_MADE = 0


def _options() -> dict:
    # the options pyld's own expand() would use, with mcred's offline loader and no base
    global _OPTIONS
    if _OPTIONS is None:
        from .contexts import document_loader

        _OPTIONS = {"base": None, "documentLoader": document_loader, "isFrame": False,
                    "keepFreeFloatingNodes": False, "extractAllScripts": False,
                    "processingMode": "json-ld-1.1",
                    "contextResolver": jsonld.ContextResolver(jsonld._resolved_context_cache, document_loader)}
    return _OPTIONS


def _initial() -> _Context:
    """The root of the cache; dropped (and the cache with it) once it holds too many contexts."""
    global _INITIAL, _CONTEXTS_MADE
    if _INITIAL is None or _CONTEXTS_MADE > _CONTEXT_LIMIT:
        _INITIAL = _Context(_PROCESSOR._get_initial_context(_options()), None)
        _CONTEXTS_MADE = 0
    return _INITIAL


def expand(document: Any) -> list:
    """The expanded form of ``document``, equal to pyld's ``jsonld.expand`` with no base.

    Raises :class:`Unsupported` when the document needs anything this path does
    not do (including every input pyld would refuse or partly drop).
    """
    return expand_checked(document)[0]


def expand_checked(document: Any) -> tuple[list, bool]:
    """The expanded form, and whether it is clean: no relative or malformed IRI, no bad language tag.

    Clean means mcred.jsonld.process's safe-mode walk would find nothing, so it can be
    skipped; the checks are made on values as they are produced (most of them
    memoised per context). Not clean means only that the walk must run.
    """
    _unsafe.seen = False
    found = _found
    found.described, found.credentials, found.valid = {}, [], True
    expanded = _expand(_initial(), None, document, False, None)
    if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
        expanded = expanded["@graph"]
    elif expanded is None:
        expanded = []
    result = Expanded(expanded if isinstance(expanded, list) else [expanded])
    result.described = found.described if found.valid else None
    result.credentials = found.credentials
    return result, not _unsafe.seen


def _expand(ctx: _Context, prop: str | None, element: Any, inside_list: bool,
            type_scoped: _Context | None) -> Any:
    if element is None:
        return None
    if isinstance(element, list):
        inside_list = inside_list or "@list" in ctx.info(prop).container
        result = []
        for item in element:
            item = _expand(ctx, prop, item, inside_list, type_scoped)
            if inside_list and isinstance(item, list):
                raise Unsupported("a list of lists")
            if item is None:
                continue
            if isinstance(item, list):
                result.extend(item)
            else:
                result.append(item)
        return result
    if not isinstance(element, dict):
        if not inside_list and (prop is None or ctx.vocab_iri(prop) == "@graph"):
            return None
        return _expand_value(ctx, prop, element)

    prop_info = ctx.info(prop)
    expanded_prop = prop_info.iri
    property_scoped = prop_info.scoped
    scoped_source = ctx
    if type_scoped is None and ctx.active.get("previousContext"):
        type_scoped = ctx

    must_revert = True
    if type_scoped is not None and len(element) <= 2 and "@context" not in element:
        for key in sorted(element):
            expanded_key = type_scoped.vocab_iri(key)
            if expanded_key == "@value":
                must_revert = False
                ctx = type_scoped
                break
            if expanded_key == "@id" and len(element) == 1:
                must_revert = False
                break
    if must_revert and ctx.previous is not None:
        ctx = ctx.previous

    if property_scoped is not None:
        ctx = ctx.derive("property", scoped_source.scoped(prop), property_scoped, override_protected=True)

    ctx, type_key, type_scoped = _prepare_nested_context(ctx, element)

    result: dict = {}
    _expand_object(ctx, prop, expanded_prop, element, result, inside_list, type_key, type_scoped)
    return _finish(result, prop, expanded_prop, element, inside_list, ctx)


def _prepare_nested_context(ctx: _Context, element: dict) -> tuple[_Context, str | None, _Context]:
    if "@context" in element:
        local = element["@context"]
        if isinstance(local, dict) and len(local) == 1 and "@context" in local:
            raise Unsupported("@context inside @context")
        ctx = ctx.derive("local", _content_key(local), local)
    type_keys = [key for key in ctx.type_keys() if key in element]
    if not type_keys:
        return ctx, None, ctx
    if len(type_keys) == 1:  # the common case: one "type", whose value decides the rest
        value = element[type_keys[0]]
        memo_key = (type_keys[0], tuple(value) if type(value) is list else value)
        try:
            return (*ctx.typed_memo[memo_key], ctx)
        except KeyError:
            typed = _apply_type_scoped(ctx, element, type_keys)
            if len(ctx.typed_memo) < _MEMO_LIMIT:
                ctx.typed_memo[memo_key] = typed
            return (*typed, ctx)
        except TypeError:  # a value that cannot be a memo key (an object in the list): pyld refuses it later
            pass
    return (*_apply_type_scoped(ctx, element, type_keys), ctx)


def _apply_type_scoped(ctx: _Context, element: dict, type_keys: list[str]) -> tuple[_Context, str]:
    """The context with the type-scoped contexts of the element's types applied, and the first type key."""
    type_scoped = ctx
    type_key = None
    for key in sorted(type_keys):
        type_key = type_key or key
        value = element[key]
        types = [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]
        for type_ in sorted(types):
            scoped = type_scoped.term(type_, "@context")
            if scoped is not None and scoped is not False:
                ctx = ctx.derive("type", type_scoped.scoped(type_), scoped, propagate=False)
    return ctx, type_key


def _add(parent: dict, prop: str, value: Any, as_array: bool) -> None:
    """pyld's ``add_value`` with duplicates allowed."""
    if isinstance(value, list):
        if not value and as_array and prop not in parent:
            parent[prop] = []
        for item in value:
            _add(parent, prop, item, as_array)
    elif prop in parent:
        existing = parent[prop]
        if not isinstance(existing, list):
            existing = parent[prop] = [existing]
        existing.append(value)
    else:
        parent[prop] = [value] if as_array else value


def _expand_object(ctx: _Context, prop: str | None, expanded_prop: Any, element: dict, parent: dict,
                   inside_list: bool, type_key: str | None, type_scoped: _Context) -> None:
    unexpanded_value = None
    if type_key in element:
        value = element[type_key]
        first = value[0] if value and isinstance(value, list) else value
        if ctx.vocab_iri(first) == "@json":
            raise Unsupported("@json")

    for key, value in sorted(element.items()):
        if key == "@context":
            continue
        info = ctx.info(key)
        if not info.usable:
            raise Unsupported(f"dropped key {key!r}")
        if info.plain:
            if not info.safe:
                _unsafe.seen = True
            _expand_term(ctx, key, info, value, parent)
            continue
        if not info.keyword:  # a named graph (a proof): what is in it is not the default graph's (see _Found)
            if not info.safe:
                _unsafe.seen = True
            found = _found
            outside = found.described, found.credentials
            found.described, found.credentials = {}, []
            _expand_term(ctx, key, info, value, parent)
            found.described, found.credentials = outside
            continue
        expanded = info.iri
        if expanded_prop == "@reverse":
            raise Unsupported("keyword in @reverse")
        if expanded in parent and expanded != "@included" and expanded != "@type":
            raise Unsupported("colliding keywords")

        if expanded == "@id":
            if not isinstance(value, str):
                raise Unsupported("@id not a string")
            identifier = ctx.id_iri(value)
            _flag_unless_id(identifier)
            parent["@id"] = identifier  # the first @id: a second one collided above
            described = _found.described
            if identifier in described:
                described[identifier].append(parent)
            else:
                described[identifier] = [parent]
            continue
        if expanded == "@type":
            if type(value) is str:
                types = [type_scoped.vocab_iri(value)]
            elif type(value) is list and all(type(v) is str for v in value):
                types = [type_scoped.vocab_iri(v) for v in value]
            else:
                raise Unsupported("@type not a string or strings")
            for type_ in types:
                _flag_unless_iri(type_)
            if VC_TYPE in types:
                _found.credentials.append(parent)
            _add(parent, "@type", types, False)
            continue
        if expanded not in ("@graph", "@list", "@set", "@value", "@language"):
            raise Unsupported(expanded)
        if expanded == "@graph" and not isinstance(value, (dict, list)):
            raise Unsupported("@graph value")
        if expanded == "@value":
            unexpanded_value = value
            _add(parent, "@value", value, False)
            continue
        if expanded == "@language":
            if value is None:
                continue
            if not isinstance(value, str):
                raise Unsupported("@language not a string")
            _flag_unless_language(value.lower())
            _add(parent, "@language", value.lower(), False)
            continue

        # left: @graph, @list and @set (or a term aliasing one), with pyld's general steps
        if expanded == "@graph" or info.graph_container or len(element) > 1 + ("@context" in element):
            # a graph of its own (or the default one), or a node read as a list: mcred.graph.nodes walks the result
            _found.valid = False
        term_ctx = ctx
        if info.scoped is not None:
            term_ctx = ctx.derive("term", ctx.scoped(key), info.scoped, override_protected=True)
        if info.language_map and isinstance(value, dict):
            if info.direction:
                raise Unsupported("@direction")
            expanded_value = _expand_language_map(term_ctx, value)
        elif info.other_map and isinstance(value, dict):
            raise Unsupported("index, id or type map")
        elif expanded == "@list" or expanded == "@set":
            is_list = expanded == "@list"
            next_prop = None if is_list and expanded_prop == "@graph" else prop
            expanded_value = _expand(term_ctx, next_prop, value, is_list, None)
        elif info.type == "@json":
            raise Unsupported("@json")
        else:
            expanded_value = _expand(term_ctx, key, value, False, None)
        if expanded_value is not None:
            _attach(parent, key, info, ctx, term_ctx, expanded_value)

    if "@value" in parent and isinstance(unexpanded_value, (dict, list)):
        raise Unsupported("@value object or array")


def _expand_term(ctx: _Context, key: str, info: _Term, value: Any, parent: dict) -> None:
    """The value of a key that is a term (or an IRI), not a keyword: the common case, in short.

    The same steps as the general path in :func:`_expand_object`, with the
    container tests taken from the term's memo.
    """
    term_ctx = ctx
    if info.scoped is not None:
        term_ctx = ctx.derive("term", ctx.scoped(key), info.scoped, override_protected=True)
    if isinstance(value, dict):
        if info.language_map:
            if info.direction:
                raise Unsupported("@direction")
            expanded_value = _expand_language_map(term_ctx, value)
        elif info.other_map:
            raise Unsupported("index, id or type map")
        elif info.type == "@json":
            raise Unsupported("@json")
        else:
            expanded_value = _expand(term_ctx, key, value, False, None)
    elif info.type == "@json":
        raise Unsupported("@json")
    elif isinstance(value, list):
        expanded_value = _expand(term_ctx, key, value, False, None)
    elif value is None:
        expanded_value = None
    else:  # a scalar: what _expand would do with it, as the key is a term
        expanded_value = _expand_value(term_ctx, key, value)
    if expanded_value is not None:
        _attach(parent, key, info, ctx, term_ctx, expanded_value)


def _attach(parent: dict, key: str, info: _Term, ctx: _Context, term_ctx: _Context, expanded_value: Any) -> None:
    """The end of pyld's step for one key: list and graph containers, reverse terms, then the values added."""
    if info.list_container and info.iri != "@list" and not (
            isinstance(expanded_value, dict) and "@list" in expanded_value):
        expanded_value = {"@list": expanded_value if isinstance(expanded_value, list) else [expanded_value]}
    if info.graph_container:
        expanded_value = [{"@graph": [v]}
                          for v in (expanded_value if isinstance(expanded_value, list) else [expanded_value])]
    if info.reverse if term_ctx is ctx else term_ctx.info(key).reverse:
        raise Unsupported("reverse property")
    # pyld's add_value with propertyIsArray: the values of a property are always an array (already flat here)
    values = expanded_value if isinstance(expanded_value, list) else [expanded_value]
    existing = parent.get(info.iri)
    if existing is None:
        parent[info.iri] = list(values)
    else:
        existing.extend(values)


def _expand_language_map(ctx: _Context, language_map: dict) -> list:
    result = []
    for key, values in sorted(language_map.items()):
        expanded_key = ctx.vocab_iri(key)
        for item in values if isinstance(values, list) else [values]:
            if item is None:
                continue
            if not isinstance(item, str):
                raise Unsupported("language map value not a string")
            value = {"@value": item}
            if expanded_key != "@none":
                value["@language"] = key.lower()
                _flag_unless_language(value["@language"])
            result.append(value)
    return result


def _expand_value(ctx: _Context, prop: str | None, value: Any) -> Any:
    info = ctx.info(prop)
    expanded_prop = info.iri
    if expanded_prop == "@id" or expanded_prop == "@type":
        _unsafe.seen = True  # a bare keyword value in a list or set: rare, left to the full walk
        return ctx.id_iri(value) if expanded_prop == "@id" else ctx.vocab_iri(value)
    type_ = info.type
    if (type_ == "@id" or expanded_prop == "@graph") and isinstance(value, str):
        identifier = ctx.id_iri(value)
        _flag_unless_id(identifier)
        return {"@id": identifier}
    if type_ == "@vocab" and isinstance(value, str):
        identifier = ctx.vocab_iri(value)
        _flag_unless_id(identifier)
        return {"@id": identifier}
    if expanded_prop in _KEYWORDS:
        return value
    result: dict = {}
    if type_ is not None and type_ not in ("@id", "@vocab", "@none"):
        if type_ == "@json":
            raise Unsupported("@json")
        _flag_unless_iri(type_)
        result["@type"] = type_
    elif isinstance(value, str):
        if info.language is not None:
            _flag_unless_language(info.language)
            result["@language"] = info.language
        if info.direction is not None:
            raise Unsupported("@direction")
    if not isinstance(value, (bool, int, float, str)):
        raise Unsupported("a value of another type")
    result["@value"] = value
    return result


def _finish(result: dict, prop: str | None, expanded_prop: Any, element: dict, inside_list: bool,
            ctx: _Context) -> Any:
    """The checks and simplifications at the end of pyld's ``_expand`` for an object."""
    count = len(result)
    if "@value" in result:
        allowed = {"@value", "@type", "@language", "@index"}
        if not result.keys() <= allowed or ("@type" in result and "@language" in result):
            raise Unsupported("invalid value object")
        if "@type" in result:
            if any(isinstance(value, list) and ctx.vocab_iri(key) == "@type" for key, value in element.items()):
                raise Unsupported("invalid typed value")
            type_ = result["@type"]
            if not (isinstance(type_, str) and ABSOLUTE_IRI.match(type_) and not type_.startswith("_:")):
                raise Unsupported("invalid typed value")
        value = result["@value"]
        if value is None:
            raise Unsupported("@value null")
        if isinstance(value, list) or ("@language" in result and not isinstance(value, str)):
            raise Unsupported("invalid value object value")
    elif "@type" in result:
        if not isinstance(result["@type"], list):
            result["@type"] = [result["@type"]]
    elif "@set" in result or "@list" in result:
        if count > 1:
            raise Unsupported("invalid set or list object")
        if "@set" in result:
            result = result["@set"]
            count = len(result)
    elif count == 1 and "@language" in result:
        result = None

    if isinstance(result, dict) and not inside_list and (prop is None or expanded_prop == "@graph") and (
            count == 0 or "@value" in result or "@list" in result or (count == 1 and "@id" in result)):
        if "@type" in result or count > 1:
            _found.valid = False  # a node dropped after it was noted: mcred.graph.nodes walks the result instead
        result = None
    return result

"""Where an operation lives and what its method is called: the client a person would write.

The rule (README, "Method names"):

1. **Resource.** The operation's first tag when it has one: a 3.2 ``parent`` chain or a dotted
   tag (``projects.runs``) nests resources. Untagged, the path's collection nouns, in order
   (``/v1/files/{file_id}/versions`` ➜ ``client.files.versions``; version prefixes skipped).
   One tag on every operation of an API of more than ten says nothing, and is not used.
2. **Method.** ``x-clientgen-name`` wins. Else the operationId, less the resource's own words
   (``function_run_start`` under ``functions`` ➜ ``run_start``), when it says more than the
   HTTP method and the path; when it says no more (``get_files_id``) or is absent, the REST
   verb of the path's shape: ``list`` / ``create`` on a collection, ``retrieve`` / ``update``
   / ``delete`` on an item, and an action for a verb after an item (``POST /files/{id}/copy``
   ➜ ``copy``). A collection or item that is not the resource's own is named after it
   (``list_versions``, ``retrieve_user``).
3. **Ties** within a resource take, in turn, the name with the path parameter it is fetched by
   (``retrieve_by_username``), the operationId's own name, and only then a number.

A name depends only on its own operation unless two of one resource tie, so a new operation
elsewhere in the spec never renames an existing method.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import names
from .shapes import escape

__all__ = [
    "NameChoice",
    "choose_names",
    "operations_of",
    "resource_parts",
    "tag_parents",
    "tags_group",
]

#: The fixed methods of a path item (3.2 adds ``query``); ``additionalOperations`` adds more.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
#: An HTTP method name (RFC 9110 token): what ``additionalOperations`` may name.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_VERSION = re.compile(r"v\d+(\.\d+)*|api|rest")
#: Words an operationId may add to the method and path and still say nothing more.
_FILLER = frozenset({"id", "ids", "by", "all", "using", "with", "for", "and", "of", "the", "a"})
_COLLECTION_VERBS = {
    "get": "list",
    "post": "create",
    "put": "update",
    "patch": "update",
    "delete": "delete_all",
}
_ITEM_VERBS = {"get": "retrieve", "put": "update", "patch": "update", "delete": "delete"}

NameChoice = tuple[str, ...]
"""A method's candidate names, best first: the first one free in its resource is taken."""


def operations_of(item: Mapping[str, Any], pointer: str) -> list[tuple[str, Any, str]]:
    """``(method, operation, pointer)`` of each operation of a path item: the fixed methods,
    then 3.2's ``additionalOperations`` (any other method, e.g. ``COPY``)."""
    found = [
        (method, item[method], f"{pointer}/{method}")
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    ]
    extra = item.get("additionalOperations")
    for method, operation in (extra if isinstance(extra, dict) else {}).items():
        if isinstance(operation, dict) and _TOKEN.fullmatch(str(method)):
            found.append(
                (str(method), operation, f"{pointer}/additionalOperations/{escape(str(method))}")
            )
    return found


def tag_parents(tags: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each nested tag (3.2 ``parent``) ➜ the tag names from the outermost down to it; a cycle
    or an unknown parent ends the chain there."""
    parents = {str(t.get("name")): t.get("parent") for t in tags}
    chains: dict[str, list[str]] = {}
    for name, parent in parents.items():
        if not isinstance(parent, str):
            continue
        chain = [name]
        while isinstance(parent, str) and parent in parents and parent not in chain:
            chain.insert(0, parent)
            parent = parents[parent]
        chains[name] = chain
    return chains


def tags_group(operations: list[Mapping[str, Any]]) -> bool:
    """Whether the spec's tags group its operations: not when one tag covers every operation
    of a larger API (Plaid tags all 329 ``plaid``), which says nothing about resources."""
    firsts = {
        str(op["tags"][0]) if isinstance(op.get("tags"), list) and op["tags"] else None
        for op in operations
    }
    return len(operations) <= _ONE_TAG_IS_A_RESOURCE or len(firsts) > 1


#: Up to this many operations, one tag shared by all of them is still the API's one resource.
_ONE_TAG_IS_A_RESOURCE = 10


def resource_parts(
    op: Mapping[str, Any],
    path: str,
    parents: dict[str, list[str]],
    use_tags: bool = True,
    method: str = "get",
) -> list[str]:
    """The nested resource an operation belongs to (rule 1); untagged, a part after an item
    that is not a verb is a resource of its own (``DELETE /templates/{id}/schema`` ➜
    ``client.templates.schema.delete``)."""
    tags = op.get("tags") if use_tags else None
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0].strip():
        if tags[0] in parents:
            return parents[tags[0]]
        return [p for p in tags[0].split(".") if p.strip()] or [tags[0]]
    shape = _Shape(path)
    if shape.rpc_prefix is not None:  # /api/chat, /api/pull: actions of the API itself
        return [shape.rpc_prefix]
    part = [shape.action] if shape.action and method.lower() != "post" else []
    return [*shape.collections, *part] or ["default"]


def choose_names(
    op: Mapping[str, Any], operation_id: str | None, method: str, path: str, resource: list[str]
) -> NameChoice:
    """The method's candidate names (rules 2 and 3)."""
    override = op.get("x-clientgen-name")
    if isinstance(override, str) and override.strip():
        return (names.method(override),)
    shape = _Shape(path)
    own = _from_operation_id(operation_id, resource[-1], method, path) if operation_id else None
    rest = _rest_name(method, shape, resource)
    by_param = names.method(f"{rest}_by_{shape.item_param}") if shape.item_param else rest
    if own is not None and not _says_nothing_more(operation_id or "", method, path):
        return tuple(dict.fromkeys([own, rest, by_param, names.method(operation_id or own)]))
    return tuple(dict.fromkeys([rest, by_param, *([own] if own else [])]))


def _from_operation_id(operation_id: str, resource_key: str, method: str, path: str) -> str | None:
    """``function_run_start`` under ``functions`` ➜ ``run_start``: the operationId's words less
    the resource's own, a version tag (``list_v1``), a trailing ``by_id``, and the path and
    method FastAPI appends (``get_fields_v1_fields_get`` ➜ ``get_fields``); None when nothing
    is left (``us_verification`` under ``us_verifications``)."""
    tokens = _without_fastapi_suffix(names.words(operation_id), method, path)
    resource_words = {w for w in names.words(resource_key)} | {
        names.singular(w) for w in names.words(resource_key)
    }
    kept = [
        t
        for t in tokens
        if t not in resource_words
        and names.singular(t) not in resource_words
        and not _VERSION.fullmatch(t)
    ]
    while len(kept) > 1 and kept[-1] in ("id", "ids") or kept[-2:] == ["by", "id"]:
        kept = kept[:-2] if kept[-2:] == ["by", "id"] else kept[:-1]
    return names.method("_".join(kept)) if kept else None


def _without_fastapi_suffix(tokens: list[str], method: str, path: str) -> list[str]:
    """FastAPI's ids are ``{function}_{path}_{method}``: the function's words alone."""
    if len(tokens) < 3 or tokens[-1] != method.lower():
        return tokens
    path_words = names.words(path)
    body = tokens[:-1]
    if path_words and body[-len(path_words) :] == path_words and len(body) > len(path_words):
        return body[: -len(path_words)]
    return tokens


def _says_nothing_more(operation_id: str, method: str, path: str) -> bool:
    """Whether an operationId is only an HTTP method and the path (``get_files_id``,
    ``read_items_items__item_id__get``). An id of path words alone (``function_run_start``)
    was chosen by a person: it names the method."""
    words = names.words(operation_id)
    path_words = set(names.words(path))
    known = path_words | {names.singular(w) for w in path_words} | _FILLER | set(HTTP_METHODS)
    known.add(method.lower())
    echoes = all(
        w in known or names.singular(w) in known or w.isdigit() or _VERSION.fullmatch(w)
        for w in words
    )
    if not echoes or not any(w in HTTP_METHODS or w == method.lower() for w in words):
        return False
    # ``getJob``, ``getMe``: a verb and one noun read as a person's name for the method; an id
    # that also spells a parameter or several segments (``get_files_id``) was made from the path
    literal = {names.singular(w) for w in names.words(re.sub(r"{[^}]*}", "", path))}
    params = {  # a parameter's own words: ``id`` of {file_id}, not ``file``
        w for p in re.findall(r"{([^}]*)}", path) for w in names.words(p)
    } - literal
    spelled = {names.singular(w) for w in words} & literal
    return bool(params & set(words)) or len(spelled) >= 2


class _Shape:
    """A path read as REST: its collection nouns, and what its last segment is."""

    def __init__(self, path: str) -> None:
        segments = [s for s in path.split("/") if s]
        self.item_param: str | None = None
        self.action: str | None = None  # a singular word after an item: a verb or a part
        self.collections: list[str] = []
        for index, segment in enumerate(segments):
            if segment.startswith("{") or _VERSION.fullmatch(segment.lower()):
                continue
            last = index == len(segments) - 1
            if last and self.collections and names.singular(segment) == segment:
                self.action = segment  # a verb (copy, start) or a part (schema, content)
            else:
                self.collections.append(segment)
        if segments and segments[-1].startswith("{") and segments[-1].endswith("}"):
            self.item_param = segments[-1][1:-1]
        # ``/api/chat``: one word that is no collection, after a prefix (api, v1): the prefix
        # groups such actions (``client.api.chat``), as nothing else in the path does
        self.rpc_prefix: str | None = None
        prefixes = [x for x in segments if _VERSION.fullmatch(x.lower())]
        if (
            prefixes
            and self.item_param is None
            and len(self.collections) == 1
            and self.action is None
            and len(segments) == len(prefixes) + 1
            and names.singular(self.collections[0]) == self.collections[0]
        ):
            self.rpc_prefix = prefixes[-1]

    @property
    def leaf(self) -> str | None:
        return self.collections[-1] if self.collections else None


def _rest_name(method: str, shape: _Shape, resource: list[str]) -> str:
    """The REST verb for the path's shape, named after its collection when that collection is
    not the resource's own."""
    verb = method.lower()
    if shape.action is not None and _same_noun(shape.action, resource[-1]):
        return names.method(_ITEM_VERBS.get(verb, verb))  # client.templates.schema.delete()
    if shape.action is not None:
        if verb == "post":
            return names.method(shape.action)  # an action: copy, cancel, restore
        prefix = {"get": "", "put": "update_", "patch": "update_", "delete": "delete_"}
        return names.method(prefix.get(verb, f"{verb}_") + shape.action)
    leaf = shape.leaf
    singleton = leaf is not None and names.singular(leaf) == leaf  # /health, /user
    table = _ITEM_VERBS if shape.item_param or singleton else _COLLECTION_VERBS
    rest = table.get(verb, "create" if verb == "post" else verb)
    if leaf is None or _same_noun(leaf, resource[-1]):
        return names.method(rest)
    noun = names.singular(leaf) if shape.item_param or rest in ("create",) else leaf
    return names.method(f"{rest}_{noun}")


def _same_noun(segment: str, resource: str) -> bool:
    a, b = names.words(segment), names.words(resource)
    return [names.singular(w) for w in a] == [names.singular(w) for w in b]

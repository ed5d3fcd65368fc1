"""Swagger 2.0 ➜ OpenAPI 3.0 helpers: the source-map recorder, schemas, and ``$ref`` rewriting.

:mod:`.swagger2` converts the document's structure; this module holds what it needs at every
level: copying a subtree while recording where each node came from, turning a 2.0 schema into a
3.0 one, and, once the whole document is built, pointing every ``$ref`` at its new place.

Pointers here are :data:`~.pointers.Parts` tuples: keys are ``str``, list indices ``int``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..errors import pointer_from_parts
from .pointers import Parts, parse_pointer, resolve_parts

__all__ = ["Recorder", "convert_schema", "copy_tree", "deref", "rewrite_refs"]

# Keywords whose value maps names to schemas, holds a list of schemas, or is one schema.
_SCHEMA_MAPS = frozenset(("properties", "patternProperties", "definitions"))
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf"))
_SCHEMA_VALUES = frozenset(("items", "additionalProperties", "not"))
# Keywords whose value is data: never rewritten, never searched for references.
_DATA_KEYS = frozenset(("example", "examples", "default", "enum", "const"))
# Keywords whose value maps names (not keywords) to objects, in a 3.0 document.
_NAME_MAPS = frozenset(
    "properties patternProperties definitions schemas responses parameters requestBodies headers "
    "securitySchemes paths content encoding".split()
)
#: How many ``$ref`` hops :func:`deref` follows before giving up (the loader refuses loops).
_MAX_HOPS = 64


@dataclass
class Recorder:
    """Collects the source map (new pointer ➜ original pointer) and the warnings of one run."""

    source_map: dict[Parts, Parts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def map(self, new: Parts, old: Parts) -> None:
        """Remember that the converted node at ``new`` came from ``old`` (first record wins)."""
        self.source_map.setdefault(new, old)

    def warn(self, old: Parts, message: str) -> None:
        """A warning names the original pointer, so the user can find the place in their file."""
        self.warnings.append(f"{pointer_from_parts(old) or '/'}: {message}")


def copy_tree(node: Any, new: Parts, old: Parts, rec: Recorder) -> Any:
    """Deep copy of ``node`` whose every container is recorded in the source map."""
    rec.map(new, old)
    if isinstance(node, dict):
        return {k: copy_tree(v, new + (k,), old + (k,), rec) for k, v in node.items()}
    if isinstance(node, list):
        return [copy_tree(v, new + (i,), old + (i,), rec) for i, v in enumerate(node)]
    return node


def convert_schema(schema: Any, new: Parts, old: Parts, rec: Recorder) -> Any:
    """A 2.0 schema as a 3.0 schema: ``type: file`` is a binary string, ``x-nullable`` is
    ``nullable``, a string ``discriminator`` names the property; the rest is kept as is."""
    rec.map(new, old)
    if not isinstance(schema, dict):
        return copy.deepcopy(schema)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        at, was = new + (key,), old + (key,)
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            rec.map(at, was)
            out[key] = {n: convert_schema(s, at + (n,), was + (n,), rec) for n, s in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            rec.map(at, was)
            out[key] = [convert_schema(s, at + (i,), was + (i,), rec) for i, s in enumerate(value)]
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            out[key] = convert_schema(value, at, was, rec)
        elif key == "type" and value == "file":
            out.update(type="string", format="binary")
        elif key == "x-nullable" and isinstance(value, bool):
            rec.map(new + ("nullable",), was)
            out["nullable"] = value
        elif key == "discriminator" and isinstance(value, str):
            rec.map(at + ("propertyName",), was)
            out[key] = {"propertyName": value}
        else:
            out[key] = copy_tree(value, at, was, rec)
    return _nullable_ref(out, new, rec)


def _nullable_ref(schema: dict[str, Any], new: Parts, rec: Recorder) -> dict[str, Any]:
    """3.0 ignores every sibling of ``$ref``, so a nullable reference is wrapped in ``allOf``
    for the ``nullable`` to count (what a client generator needs to type it ``X | None``)."""
    if "$ref" not in schema or schema.get("nullable") is not True:
        return schema
    wrapped = {k: v for k, v in schema.items() if k != "$ref"}
    wrapped["allOf"] = [{"$ref": schema["$ref"]}]
    if new + ("$ref",) in rec.source_map:
        rec.map(new + ("allOf", 0, "$ref"), rec.source_map[new + ("$ref",)])
    return wrapped


def deref(document: Any, node: Any) -> tuple[Any, Parts | None]:
    """Follow local ``$ref``s from ``node``: the node reached and the pointer of the last hop
    (None when ``node`` is no reference, or a reference that leads nowhere)."""
    target: Parts | None = None
    for _ in range(_MAX_HOPS):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            return node, target
        parts = parse_pointer(ref[1:])
        if parts is None:
            return node, None
        matched, found = resolve_parts(document, parts)
        if matched < len(parts):
            return node, None
        node, target = found, parts
    return node, None


def rewrite_refs(document: dict[str, Any], rec: Recorder) -> None:
    """Point every local ``$ref`` of the converted ``document`` (in place) at where its 2.0 target
    went: the longest mapped prefix of the target, plus the rest of the pointer unchanged."""
    moved: dict[Parts, Parts] = {}
    for new, old in rec.source_map.items():
        if old not in moved or len(new) < len(moved[old]):  # prefer components over copies
            moved[old] = new
    _rewrite(document, (), moved, rec)


def _rewrite(
    node: Any, here: Parts, moved: dict[Parts, Parts], rec: Recorder, names: bool = False
) -> None:
    """Walk the document, skipping data (examples, defaults, enums), rewriting references;
    ``names`` says the keys of ``node`` are names (properties, status codes), not keywords."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _rewrite(item, here + (index,), moved, rec)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if not names and isinstance(ref, str) and ref.startswith("#"):
        node["$ref"] = _new_ref(ref, here, moved, rec)
    for key, value in node.items():
        if isinstance(value, (dict, list)) and (names or key not in _DATA_KEYS):
            _rewrite(value, here + (key,), moved, rec, not names and key in _NAME_MAPS)


def _new_ref(ref: str, here: Parts, moved: dict[Parts, Parts], rec: Recorder) -> str:
    """The 3.0 reference for the 2.0 reference ``ref`` found at ``here``."""
    parts = parse_pointer(ref[1:])
    if parts is None:
        return ref
    for length in range(len(parts), -1, -1):
        base = tuple(str(p) for p in parts[:length])
        found = moved.get(base) or moved.get(_with_indices(base))
        if found is not None:
            return "#" + pointer_from_parts(found + parts[length:])
    rec.warn(rec.source_map.get(here, here), f"$ref {ref!r} has no place in the 3.0 document")
    return ref


def _with_indices(parts: Parts) -> Parts:
    """``parts`` with digit strings as ints, the way list indices are recorded."""
    return tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in parts)

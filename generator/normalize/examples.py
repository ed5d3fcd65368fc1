"""The spec's own examples, for the calls the README shows: written only as safe literals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import names
from .refs import RefResolver
from .shapes import UNREADABLE

__all__ = ["example_of", "raw_properties"]


def example_of(owner: Mapping[str, Any], schema: Any) -> str | None:
    """The first example a parameter (or a property's schema) gives, as a Python literal:
    ``example``, ``examples`` (a map of Example objects, or 3.1's list), then the schema's."""
    for node in (owner, schema if isinstance(schema, dict) else {}):
        candidates: list[Any] = []
        if "example" in node:
            candidates.append(node["example"])
        examples = node.get("examples")
        if isinstance(examples, list):
            candidates += examples[:1]
        elif isinstance(examples, dict):
            first = next(iter(examples.values()), None)
            if isinstance(first, dict) and "value" in first:
                candidates.append(first["value"])
        for value in candidates:
            text = names.example_literal(value)
            if text is not None:
                return text
    return None


def raw_properties(resolver: RefResolver, schema: Any, where: str) -> dict[str, Any]:
    """The raw properties of a body schema (through ``$ref``s and ``allOf``), for examples."""
    try:
        node = resolver.deref(schema, where)
        found: dict[str, Any] = {}
        for part in [node, *(node.get("allOf") or [])] if isinstance(node, dict) else []:
            part = resolver.deref(part, where)
            props = part.get("properties") if isinstance(part, dict) else None
            found.update(props if isinstance(props, dict) else {})
        return {k: _with_siblings(resolver, v, where) for k, v in found.items()}
    except UNREADABLE:
        return {}


def raw_required(resolver: RefResolver, schema: Any, where: str) -> set[str]:
    """The property names a body schema requires (through ``$ref``s and ``allOf``)."""
    try:
        node = resolver.deref(schema, where)
        found: set[str] = set()
        for part in [node, *(node.get("allOf") or [])] if isinstance(node, dict) else []:
            part = resolver.deref(part, where)
            listed = part.get("required") if isinstance(part, dict) else None
            found.update(r for r in listed or [] if isinstance(r, str))
        return found
    except UNREADABLE:
        return set()


def _with_siblings(resolver: RefResolver, node: Any, where: str) -> Any:
    """What ``node`` refers to, with the keywords beside its ``$ref`` (3.1: ``readOnly``,
    ``description``, ``example`` there apply too)."""
    target = resolver.deref(node, where)
    if isinstance(node, dict) and "$ref" in node and isinstance(target, dict):
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return target

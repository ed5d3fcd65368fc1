"""Optional properties the spec does not let be null: marked, so a request never sends null.

dmcg types an optional property ``label: str | None = None`` whether or not the schema allows
null: ``None`` is how an absent field reads. A caller who builds ``Thing(name="n", label=None)``
has said "no label"; a server whose schema does not allow null for it would refuse
``"label": null``. So each such property is marked ``{"x-nullable": False}`` (written into the
field's ``json_schema_extra`` by dmcg, beside ``readOnly``), and the runtime leaves a ``None``
in a marked field out of what it sends (``_encoding._with_tags``), in nested models and lists
of models too. A property that may be null (``nullable: true``, ``type: [X, "null"]``, a null
branch, an untyped schema) is not marked: its ``None`` is sent as ``null``, which is how a
caller clears it.

Why not type it ``label: str`` with an "unset" default instead: reading an absent field must
not lie about its type, so the type would have to be ``str | Unset`` (or pydantic's
experimental ``MISSING``), and every reader of every optional field would have to test for a
sentinel no type checker narrows well, where ``None`` is what Python code already tests for.
Keeping ``X | None = None`` leaves reading as it is and honest (an absent field is None), and
only decides what ``None`` means when sending: absent, exactly as the schema requires.

Only what is certain is marked: a schema whose null-ness cannot be told (a reference that
leads nowhere, a recursive alias) is left unmarked and keeps today's behaviour.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["NOT_NULLABLE", "admits_null", "mark_not_nullable"]

#: The key (and value) the marked properties carry into ``json_schema_extra``.
NOT_NULLABLE = "x-nullable"

_PREFIX = "#/components/schemas/"
#: Keywords that make a schema more than ``Any`` (which admits null).
_TYPED = ("type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const", "properties", "items")


def mark_not_nullable(models: dict[str, Any]) -> dict[str, Any]:
    """``models`` (normalized schemas), with every optional property that does not admit null
    marked ``{"x-nullable": False}``; the input is left as it is."""
    out = copy.deepcopy(models)
    for schema in out.values():
        _mark(schema, models, 0)
    return out


def _mark(schema: Any, models: dict[str, Any], depth: int) -> None:
    if not isinstance(schema, dict) or depth > 100:
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        required = schema.get("required")
        required = set(required) if isinstance(required, list) else set()
        for prop, sub in properties.items():
            if (
                isinstance(sub, dict)
                and prop not in required
                and sub.get("readOnly") is not True  # never sent anyway
                and not admits_null(sub, models)
            ):
                sub[NOT_NULLABLE] = False
    for key in ("properties", "items", "additionalProperties", "not", "anyOf", "oneOf", "allOf"):
        inner = schema.get(key)
        if key == "properties" and isinstance(inner, dict):
            inner = list(inner.values())
        for sub in inner if isinstance(inner, list) else [inner]:
            _mark(sub, models, depth + 1)


def admits_null(schema: Any, models: dict[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``null`` is a valid value of ``schema`` (a normalized one; references name
    ``models``). True when it cannot be told, so that nothing is marked by mistake."""
    if not isinstance(schema, dict) or not any(k in schema for k in _TYPED):
        return True  # not a schema, or untyped: Any admits null
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref[len(_PREFIX) :] if ref.startswith(_PREFIX) else None
        if name is None or name in seen or name not in models:
            return True
        return admits_null(models[name], models, seen | {name})
    if "const" in schema:
        return schema["const"] is None
    if isinstance(schema.get("enum"), list):
        return None in schema["enum"]
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and any(admits_null(b, models, seen) for b in branches):
            return True
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        return all(admits_null(p, models, seen) for p in parts)
    return False

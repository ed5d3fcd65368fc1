"""How a parameter's value goes on the wire: OpenAPI's ``style``, ``explode``, ``allowReserved``.

The defaults are OpenAPI's: ``form`` (exploded) in the query and cookies, ``simple`` in paths
and headers. A parameter declared with ``content`` instead of ``schema`` is sent as its media
type; clientgen writes JSON ones as JSON text (style ``json``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import shapes

_STYLES = {
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "cookie": ("form",),
    "path": ("simple", "label", "matrix"),
    "header": ("simple",),
}
_DEFAULT = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def serialization(
    param: Mapping[str, Any],
    location: str,
    schema: Mapping[str, Any],
    resolve_model: Callable[[Mapping[str, Any]], Mapping[str, Any] | None],
) -> dict[str, Any]:
    """The ``Parameter`` fields ``style``, ``explode``, ``allow_reserved`` and ``structured``."""
    structured = _is_object(schema, resolve_model)
    content = param.get("content")
    if "schema" not in param and isinstance(content, dict) and content:
        media = str(next(iter(content))).split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            return {"style": "json", "explode": False, "structured": structured}
    style = param.get("style")
    if style not in _STYLES.get(location, ()):
        style = _DEFAULT.get(location, "form")
    explode = param.get("explode")
    return {
        "style": style,
        "explode": explode if isinstance(explode, bool) else style == "form",
        "allow_reserved": location == "query" and param.get("allowReserved") is True,
        "structured": structured,
    }


def _is_object(
    schema: Mapping[str, Any],
    resolve_model: Callable[[Mapping[str, Any]], Mapping[str, Any] | None],
) -> bool:
    """A normalized schema whose values are objects (a model, a dict, a union with one)."""
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list):
        return any(_is_object(b, resolve_model) for b in branches if not shapes.is_null(b))
    model = resolve_model(schema) if "$ref" in schema else schema
    if model is None:
        return False
    if model is not schema and (model.get("anyOf") or model.get("oneOf")):
        return _is_object(model, resolve_model)
    return model.get("type") == "object"

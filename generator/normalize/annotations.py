"""Python annotations for normalized schemas: ``Run``, ``list[Step]``, ``Literal["a"] | None``.

Mixed into :class:`~.schemas.SchemaNormalizer`, whose models it reads; it never changes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import shapes
from .shapes import COMPONENT_PREFIX

PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}


class Annotations:
    """Annotation text for normalized schemas, over the normalizer's models."""

    models: dict[str, dict[str, Any]]

    def resolve_model(self, schema: Mapping[str, Any]) -> dict[str, Any] | None:
        """The model schema a normalized ``$ref`` names, or None."""
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
            return self.models.get(ref[len(COMPONENT_PREFIX) :])
        return None

    def annotation(self, schema: Mapping[str, Any], *, loose_models: bool = False) -> str:
        """A Python annotation for a normalized schema (models referenced by class name).

        ``loose_models`` also accepts a plain mapping wherever a model is expected,
        for keyword arguments of generated methods.
        """
        parts = self._union_parts(schema, loose_models)
        for last in ("Mapping[str, Any]", "None"):  # reads best: Model | Mapping[str, Any] | None
            if last in parts:
                parts = [p for p in parts if p != last] + [last]
        return " | ".join(parts)

    def _union_parts(self, schema: Mapping[str, Any], loose: bool) -> list[str]:
        branches = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(branches, list) and branches:
            parts: list[str] = []
            for branch in branches:
                parts += [p for p in self._union_parts(branch, loose) if p not in parts]
            return parts
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref[len(COMPONENT_PREFIX) :]
            if loose and self._takes_mapping(self.models.get(name, {})):
                return [name, "Mapping[str, Any]"]
            return [name]
        return [self._single(schema, loose)]

    def _takes_mapping(self, model: Mapping[str, Any]) -> bool:
        """An object model, or a named union of them: a plain mapping may stand in for it."""
        branches = model.get("oneOf") or model.get("anyOf") or []
        return shapes.is_object_model(model) or any(
            shapes.is_object_model(self.resolve_model(b) or {}) for b in branches
        )

    def _single(self, schema: Mapping[str, Any], loose: bool) -> str:
        if "const" in schema:
            return self._single({"enum": [schema["const"]]}, loose)
        if "enum" in schema:
            values = [shapes.enum_literal(v) for v in schema["enum"]]
            if values and all(v is not None for v in values):
                return f"Literal[{', '.join(v for v in values if v is not None)}]"
            return "Any"
        kind = schema.get("type")
        if kind == "array":
            return f"list[{self.annotation(schema.get('items', {}), loose_models=loose)}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            value = (
                self.annotation(extra, loose_models=loose)
                if isinstance(extra, dict) and extra
                else "Any"
            )
            return f"dict[str, {value}]"
        if kind == "string":
            return _STRING_FORMATS.get(str(schema.get("format")), "str")
        if isinstance(kind, str) and kind in PRIMITIVES:
            return PRIMITIVES[kind]
        return "Any"

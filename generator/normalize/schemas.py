"""Schemas ➜ named, normalized model schemas, and Python annotations for them.

Every quirk of JSON Schema as written in OpenAPI ends here:

* nullability in all its spellings (``nullable``, ``type: [X, "null"]``, a null branch
  in ``anyOf``/``oneOf``, ``const: null``) becomes ``anyOf: [X, {type: null}]``;
* inline objects are hoisted to named models (``title`` or a path-derived name);
* ``allOf`` of objects is merged into one object;
* unions of objects get a discriminator when the spec names one *or* when every
  branch pins a distinct single value on a required property; other unions of
  objects are ordered most specific first (so validation picks the right branch);
  unions are resolved once every model they name exists, whatever the spec order;
* names become valid, unique class names.

The output (``models``) is plain JSON Schema in which every ``$ref`` points to
``#/components/schemas/<ClassName>``: the one input datamodel-code-generator sees.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from typing import Any

from .. import names
from ..errors import SpecError
from ..ir import UnionReport
from . import shapes
from .refs import RefResolver
from .shapes import COMPONENT_PREFIX
from .annotations import PRIMITIVES, Annotations
from .unions import PendingUnion, UnionResolution

_NULL = {"type": "null"}
_KEEP_KEYS = (
    "description",
    "default",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "readOnly",
    "writeOnly",
    "deprecated",
)
_MAX_DEPTH = 200
#: What reading a malformed schema can raise (recursion too: a schema may nest deeply).
_UNREADABLE = (*shapes.UNREADABLE, RecursionError)


class SchemaNormalizer(Annotations, UnionResolution):
    """Collects the model schemas of one API, hoisting and naming as it goes."""

    def __init__(self, resolver: RefResolver, file: str) -> None:
        self._resolver = resolver
        self._file = file
        self._scope = names.Scope()
        self.models: dict[str, dict[str, Any]] = {}
        self.unions: list[UnionReport] = []
        self._component_names: dict[str, str] = {}
        self._in_progress: dict[str, str] = {}  # pointer of a schema being hoisted -> its name
        self._discriminators: set[tuple[str, str]] = set()  # (model, property) that tag a union
        self._reported: set[tuple[str, str]] = set()
        self._hoisted: dict[str, Any] = {}  # name ➜ body of each hoisted model, unsettled
        #: (pointer, kind, message) of each schema that could not be read and became ``Any``
        self.degraded: list[tuple[str, str, str]] = []
        raw_components = resolver.document.get("components")
        components = raw_components.get("schemas") if isinstance(raw_components, dict) else None
        components = components if isinstance(components, dict) else {}
        for key in components:  # claim component names first: they win collisions
            self._component_names[key] = self._scope.claim(names.pascal(key))
        self._component_keys = {name: key for key, name in self._component_names.items()}
        for key, schema in components.items():
            pointer = f"/components/schemas/{shapes.escape(key)}"
            self._define(self._component_names[key], schema, pointer, self._component_names[key])
        self._settle(self.models)

    # -- public --------------------------------------------------------------------
    @property
    def component_names(self) -> dict[str, str]:
        """Spec key of each component schema ➜ its class name."""
        return dict(self._component_names)

    def normalize(self, schema: Any, hint: str, pointer: str) -> dict[str, Any]:
        """Normalize an operation-level schema; objects in it are hoisted under ``hint``."""
        count = len(self.models)  # models are only ever appended: the new ones come after
        out = self._norm(schema, hint, pointer, 0)
        self._settle([out, *itertools.islice(self.models.values(), count, None)])
        return out

    def open_enums(self) -> None:
        """Let every string enum also accept values the spec does not list (forward compatible).

        ``Literal["a", "b"] | str``: mypy users still see the documented values, and a server
        that adds a value does not break parsing. Discriminator tags stay closed literals.
        """
        for name, model in self.models.items():
            for prop, sub in (model.get("properties") or {}).items():
                if (name, prop) not in self._discriminators:
                    model["properties"][prop] = shapes.open(sub)
            if "properties" not in model:
                self.models[name] = shapes.open(model)

    def claim_name(self, name: str, family: tuple[str, ...] = names.CLASS_FAMILY) -> str:
        """Reserve a class name (resource classes live beside the models), with its family."""
        return self._scope.claim(names.pascal(name), family=family)

    # -- hoisting --------------------------------------------------------------------
    def _define(self, name: str, schema: Any, pointer: str, hint: str) -> None:
        self._in_progress[pointer] = name
        self.models[name] = {}  # reserve the slot, keeps spec order
        try:
            body = self._norm_body(schema, hint, pointer, 0, top_level=True)
        except _UNREADABLE as exc:
            body = self._degrade(pointer, exc)
        self.models[name] = body
        del self._in_progress[pointer]

    def _degrade(self, pointer: str, exc: BaseException) -> dict[str, Any]:
        """``Any`` for a schema that cannot be read, with a warning naming it: one corner of a
        spec never takes the whole client down."""
        reason = shapes.unreadable_reason(exc)
        self.degraded.append((pointer, "unreadable schema", f"typed Any: {reason}"))
        return {}

    def _hoist(self, schema: dict[str, Any], hint: str, pointer: str, depth: int) -> dict[str, Any]:
        """A named model for an inline object. A name already taken is first shared when the
        model it names is the same (Lob repeats one ``before_after`` filter on 15 operations),
        else made from the schema's context (``BookletsSortBy``); a number comes last."""
        title = schema.get("title")
        base = (
            names.pascal(title) if isinstance(title, str) and title.strip() else names.pascal(hint)
        )
        name = self._contextual_name(base, pointer)
        self._in_progress[pointer] = name
        self.models[name] = {}
        self.models[name] = body = self._norm_body(schema, name, pointer, depth, top_level=True)
        del self._in_progress[pointer]
        if name != base and _same(self._hoisted.get(base), body):
            del self.models[name]  # the same model as the one named so: one class
            self._scope.release(name)
            return {"$ref": COMPONENT_PREFIX + base}
        self._hoisted[name] = copy.deepcopy(body)  # as read: its unions are settled in place
        return {"$ref": COMPONENT_PREFIX + name}

    def _contextual_name(self, base: str, pointer: str) -> str:
        """``base``, else ``base`` prefixed by the nearest words of its place that make it
        free (the path's nouns, the properties it sits in), else a numbered ``base``."""
        if base not in self._scope:
            return self._scope.claim(base)
        prefix = ""
        for words in shapes.context_words(pointer):
            part = names.pascal(words)
            if base.startswith(part) or prefix.startswith(part):
                continue
            prefix = part + prefix
            candidate = names.pascal(prefix + base)
            if candidate not in self._scope:
                return self._scope.claim(candidate)
        return self._scope.claim(base)

    # -- the recursive walk ------------------------------------------------------------
    def _norm(self, schema: Any, hint: str, pointer: str, depth: int) -> dict[str, Any]:
        """The normalized ``schema``; ``Any`` (with a warning) where it cannot be read."""
        try:
            out = self._norm_unguarded(schema, hint, pointer, depth)
        except _UNREADABLE as exc:
            return self._degrade(pointer, exc)
        if "default" in out and not (
            shapes.fits(out["default"], out) and not shapes.models_in_default(out)
        ):
            del out["default"]  # the server keeps its own; the client sends nothing for it
        return out

    def _norm_unguarded(self, schema: Any, hint: str, pointer: str, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise SpecError(self._file, pointer, f"schema nesting deeper than {_MAX_DEPTH} levels")
        if schema is True or schema == {} or schema is None:
            return {}
        if schema is False or not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._norm_ref(schema, ref, hint, pointer, depth)
        schema = shapes.without_annotation_parts(schema)
        if pointer in self._in_progress:  # a recursive inline schema: refer to its model
            return {"$ref": COMPONENT_PREFIX + self._in_progress[pointer]}
        if shapes.wants_hoist(schema, self._resolver):
            return self._hoist(schema, hint, pointer, depth)
        return self._norm_body(schema, hint, pointer, depth, top_level=False)

    def _norm_ref(
        self, schema: dict[str, Any], ref: str, hint: str, pointer: str, depth: int
    ) -> dict[str, Any]:
        if ref.startswith(COMPONENT_PREFIX) and "/" not in ref[len(COMPONENT_PREFIX) :]:
            key = shapes.unescape(ref[len(COMPONENT_PREFIX) :])
            if key not in self._component_names:
                raise SpecError(
                    self._file, pointer + "/$ref", f"$ref target {ref!r} does not exist"
                )
            out: dict[str, Any] = {"$ref": COMPONENT_PREFIX + self._component_names[key]}
        else:
            target_pointer = ref[1:]
            if target_pointer in self._in_progress:
                out = {"$ref": COMPONENT_PREFIX + self._in_progress[target_pointer]}
            else:
                target = self._resolver.resolve(ref, pointer + "/$ref")
                out = self._norm(target, hint, target_pointer, depth + 1)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        if shapes.is_nullable(siblings):  # 3.0: {$ref, nullable: true} or 3.1 siblings
            return {"anyOf": [out, dict(_NULL)]}
        return out

    def _norm_body(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int, *, top_level: bool
    ) -> dict[str, Any]:
        if shapes.is_null(schema):  # ``const: null``, ``type: "null"``: only null is allowed
            return {"type": "null", **shapes.kept(schema, ("description",))}
        if shapes.is_nullable(schema):
            inner = shapes.strip_null(schema)
            if not inner:
                return {}
            if top_level and "$ref" not in inner:
                normalized = self._norm_body(inner, hint, pointer, depth + 1, top_level=True)
            else:
                normalized = self._norm(inner, hint, pointer + "/~nonnull", depth + 1)
            self._report(shapes.pointer_text(pointer), "nullable", "X | None")
            return {
                "anyOf": [normalized, dict(_NULL)],
                **shapes.kept(schema, ("description",)),
                **shapes.default(schema),
            }
        kind = schema.get("type")
        if isinstance(kind, list):
            variants = [{**schema, "type": k} for k in kind]
            return {
                "anyOf": [
                    self._norm_body(v, hint, pointer, depth + 1, top_level=False) for v in variants
                ]
            }
        schema = shapes.without_annotation_parts(schema)
        scalar = shapes.scalar_all_of(schema, self._resolver)
        if scalar is not None:
            return self._norm_body(scalar, hint, pointer, depth + 1, top_level=top_level)
        if "allOf" in schema:
            return self._norm_all_of(schema, hint, pointer, depth, top_level)
        for key in ("oneOf", "anyOf"):
            if key not in schema:
                continue
            if shapes.has_object_keywords(schema):
                shared = shapes.with_shared_properties(
                    schema, key, hint, lambda b: self._resolver.deref(b, pointer)
                )
                return self._norm_body(shared, hint, pointer, depth, top_level=top_level)
            return self._norm_union(schema, key, hint, pointer, depth)
        if "const" in schema:  # a fixed value, not an enum: never widened by ``open_enums``
            return {"const": schema["const"], **shapes.kept(schema, _KEEP_KEYS)}
        if "enum" in schema:
            return {
                **shapes.kept(schema, ("type",)),
                "enum": list(schema["enum"]),
                **shapes.kept(schema, _KEEP_KEYS),
            }
        if kind == "array" or "items" in schema:
            items = self._norm(
                schema.get("items", {}), hint + "Item", pointer + "/items", depth + 1
            )
            return {"type": "array", "items": items, **shapes.kept(schema, _KEEP_KEYS)}
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._norm_object(schema, hint, pointer, depth)
        if isinstance(kind, str) and kind in PRIMITIVES:
            return {"type": kind, **shapes.kept(schema, _KEEP_KEYS), **shapes.binary(schema)}
        return {**shapes.kept(schema, ("description", "default"))}

    def _with_undeclared(self, schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The properties, plus any name ``required`` lists that they do not declare (Cohere's
        ``finetuned_model``, Mistral's ``level``): JSON Schema still demands it, of any type."""
        properties = dict(schema.get("properties") or {})
        listed = schema.get("required")
        if not properties or not isinstance(listed, list):
            return properties
        for name in listed:
            if isinstance(name, str) and name not in properties:
                properties[name] = {}
                self.degraded.append(
                    (
                        pointer,
                        "undeclared required property",
                        f"{name!r} is required but not " "declared; typed Any",
                    )
                )
        return properties

    def _norm_object(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        properties = self._with_undeclared(schema, pointer)
        if properties:
            out["properties"] = {
                prop: self._norm(
                    sub,
                    hint + names.pascal(prop, fallback="Field"),
                    f"{pointer}/properties/{shapes.escape(prop)}",
                    depth + 1,
                )
                for prop, sub in properties.items()
            }
            # readOnly/writeOnly fields travel one way only, so one shared model cannot require
            # them; the mark stays on the field however the spec said it (the runtime never
            # sends a readOnly one, and it is no argument of a method)
            one_way = set()
            for prop, sub in properties.items():
                way = shapes.one_way(sub, lambda s: self._resolver.deref(s, pointer))
                if way:
                    one_way.add(prop)
                    out["properties"][prop] = {**out["properties"][prop], **way}
            listed = schema.get("required")
            required = [
                r
                for r in dict.fromkeys(listed if isinstance(listed, list) else [])
                if isinstance(r, str) and r in properties and r not in one_way
            ]
            if required:
                out["required"] = required
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            out["additionalProperties"] = self._norm(
                extra, hint + "Value", pointer + "/additionalProperties", depth + 1
            )
        elif extra is False:
            out["additionalProperties"] = False
        return {**out, **shapes.kept(schema, ("description", "default", "deprecated"))}

    def _norm_all_of(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int, top_level: bool
    ) -> dict[str, Any]:
        parts = schema["allOf"]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if len(parts) == 1 and not rest.get("properties"):
            inner = self._norm(parts[0], hint, pointer + "/allOf/0", depth + 1)
            return (
                {**inner, **shapes.kept(rest, ("description", "default"))}
                if "$ref" not in inner
                else inner
            )
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for index, part in enumerate([*parts, rest]):
            resolved = self._resolver.deref(part, f"{pointer}/allOf/{index}")
            if not isinstance(resolved, dict):
                continue
            if "allOf" in resolved:  # nested allOf: flatten through a recursive merge
                resolved = self._flatten_all_of(resolved, pointer, depth + 1)
            merged["properties"].update(resolved.get("properties") or {})
            merged["required"] += [
                r for r in resolved.get("required", []) if r not in merged["required"]
            ]
            if "additionalProperties" in resolved:
                merged["additionalProperties"] = resolved["additionalProperties"]
            if "description" in resolved and "description" not in merged:
                merged["description"] = resolved["description"]
        if not merged["required"]:
            del merged["required"]
        return self._norm_object(merged, hint, pointer, depth)

    def _flatten_all_of(self, schema: dict[str, Any], pointer: str, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise SpecError(self._file, pointer, "allOf nesting too deep")
        out: dict[str, Any] = {"properties": {}, "required": []}
        for part in [*schema["allOf"], {k: v for k, v in schema.items() if k != "allOf"}]:
            part = self._resolver.deref(part, pointer)
            if isinstance(part, dict) and "allOf" in part:
                part = self._flatten_all_of(part, pointer, depth + 1)
            if isinstance(part, dict):
                out["properties"].update(part.get("properties") or {})
                out["required"] += part.get("required", [])
        return out


def _same(a: Any, b: Any) -> bool:
    """Whether two normalized model bodies are the same model: equal, a union still to be
    settled compared by its discriminator (not by the place it was read at)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        return all(
            (
                a[k].discriminator == b[k].discriminator
                if isinstance(a[k], PendingUnion) and isinstance(b[k], PendingUnion)
                else _same(a[k], b[k])
            )
            for k in a
        )
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)

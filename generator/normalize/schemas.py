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
from dataclasses import dataclass
from typing import Any, Literal

from .. import names
from ..errors import SpecError
from ..ir import UnionReport
from .refs import RefResolver

COMPONENT_PREFIX = "#/components/schemas/"
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
_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}
_MAX_DEPTH = 200
_PENDING = "x-clientgen-pending-union"  # key of a _PendingUnion (only its type marks it)


@dataclass(frozen=True)
class _PendingUnion:
    """A union whose branches may name models not defined yet; ``_settle`` resolves it.

    Kept inside the schema (not in a side list) so that copies of the node are settled too;
    a spec cannot forge one, since only this class marks it.
    """

    where: str
    discriminator: Any


class SchemaNormalizer:
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
        components = resolver.document.get("components", {}).get("schemas", {}) or {}
        for key in components:  # claim component names first: they win collisions
            self._component_names[key] = self._scope.claim(names.pascal(key))
        self._component_keys = {name: key for key, name in self._component_names.items()}
        for key, schema in components.items():
            pointer = f"/components/schemas/{_escape(key)}"
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
                    model["properties"][prop] = _open(sub)
            if "properties" not in model:
                self.models[name] = _open(model)

    def claim_name(self, name: str, family: tuple[str, ...] = names.CLASS_FAMILY) -> str:
        """Reserve a class name (resource classes live beside the models), with its family."""
        return self._scope.claim(names.pascal(name), family=family)

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
        return _is_object_model(model) or any(
            _is_object_model(self.resolve_model(b) or {}) for b in branches
        )

    def _single(self, schema: Mapping[str, Any], loose: bool) -> str:
        if "const" in schema:
            return self._single({"enum": [schema["const"]]}, loose)
        if "enum" in schema:
            values = [_enum_literal(v) for v in schema["enum"]]
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
        if isinstance(kind, str) and kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        return "Any"

    # -- hoisting --------------------------------------------------------------------
    def _define(self, name: str, schema: Any, pointer: str, hint: str) -> None:
        self._in_progress[pointer] = name
        self.models[name] = {}  # reserve the slot, keeps spec order
        body = self._norm_body(schema, hint, pointer, 0, top_level=True)
        self.models[name] = body
        del self._in_progress[pointer]

    def _hoist(self, schema: dict[str, Any], hint: str, pointer: str, depth: int) -> dict[str, Any]:
        title = schema.get("title")
        base = (
            names.pascal(title) if isinstance(title, str) and title.strip() else names.pascal(hint)
        )
        name = self._scope.claim(base)
        self._in_progress[pointer] = name
        self.models[name] = {}
        self.models[name] = self._norm_body(schema, name, pointer, depth, top_level=True)
        del self._in_progress[pointer]
        return {"$ref": COMPONENT_PREFIX + name}

    # -- the recursive walk ------------------------------------------------------------
    def _norm(self, schema: Any, hint: str, pointer: str, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise SpecError(self._file, pointer, f"schema nesting deeper than {_MAX_DEPTH} levels")
        if schema is True or schema == {} or schema is None:
            return {}
        if schema is False or not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._norm_ref(schema, ref, hint, pointer, depth)
        if pointer in self._in_progress:  # a recursive inline schema: refer to its model
            return {"$ref": COMPONENT_PREFIX + self._in_progress[pointer]}
        if _wants_hoist(schema, self._resolver):
            return self._hoist(schema, hint, pointer, depth)
        return self._norm_body(schema, hint, pointer, depth, top_level=False)

    def _norm_ref(
        self, schema: dict[str, Any], ref: str, hint: str, pointer: str, depth: int
    ) -> dict[str, Any]:
        if ref.startswith(COMPONENT_PREFIX) and "/" not in ref[len(COMPONENT_PREFIX) :]:
            key = _unescape(ref[len(COMPONENT_PREFIX) :])
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
        if _is_nullable(siblings):  # 3.0: {$ref, nullable: true} or 3.1 siblings
            return {"anyOf": [out, dict(_NULL)]}
        return out

    def _norm_body(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int, *, top_level: bool
    ) -> dict[str, Any]:
        if _is_null(schema):  # ``const: null``, ``type: "null"``: only null is allowed
            return {"type": "null", **_kept(schema, ("description",))}
        if _is_nullable(schema):
            inner = _strip_null(schema)
            if not inner:
                return {}
            if top_level and "$ref" not in inner:
                normalized = self._norm_body(inner, hint, pointer, depth + 1, top_level=True)
            else:
                normalized = self._norm(inner, hint, pointer + "/~nonnull", depth + 1)
            self._report(_pointer_text(pointer), "nullable", "X | None")
            return {
                "anyOf": [normalized, dict(_NULL)],
                **_kept(schema, ("description",)),
                **_default(schema),
            }
        kind = schema.get("type")
        if isinstance(kind, list):
            variants = [{**schema, "type": k} for k in kind]
            return {
                "anyOf": [
                    self._norm_body(v, hint, pointer, depth + 1, top_level=False) for v in variants
                ]
            }
        if "allOf" in schema:
            return self._norm_all_of(schema, hint, pointer, depth, top_level)
        for key in ("oneOf", "anyOf"):
            if key not in schema:
                continue
            if _has_object_keywords(schema):
                shared = _with_shared_properties(schema, key, hint)
                return self._norm_body(shared, hint, pointer, depth, top_level=top_level)
            return self._norm_union(schema, key, hint, pointer, depth)
        if "const" in schema:  # a fixed value, not an enum: never widened by ``open_enums``
            return {"const": schema["const"], **_kept(schema, _KEEP_KEYS)}
        if "enum" in schema:
            return {
                **_kept(schema, ("type",)),
                "enum": list(schema["enum"]),
                **_kept(schema, _KEEP_KEYS),
            }
        if kind == "array" or "items" in schema:
            items = self._norm(
                schema.get("items", {}), hint + "Item", pointer + "/items", depth + 1
            )
            return {"type": "array", "items": items, **_kept(schema, _KEEP_KEYS)}
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._norm_object(schema, hint, pointer, depth)
        if isinstance(kind, str) and kind in _PRIMITIVES:
            return {"type": kind, **_kept(schema, _KEEP_KEYS), **_binary(schema)}
        return {**_kept(schema, ("description", "default"))}

    def _norm_object(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        properties = schema.get("properties") or {}
        if properties:
            out["properties"] = {
                prop: self._norm(
                    sub,
                    hint + names.pascal(prop, fallback="Field"),
                    f"{pointer}/properties/{_escape(prop)}",
                    depth + 1,
                )
                for prop, sub in properties.items()
            }
            # readOnly/writeOnly fields travel one way only, so one shared model cannot require them
            one_way = {
                p
                for p, sub in properties.items()
                if isinstance(sub, dict)
                and (sub.get("readOnly") is True or sub.get("writeOnly") is True)
            }
            required = [
                r for r in schema.get("required", []) if r in properties and r not in one_way
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
        return {**out, **_kept(schema, ("description", "default", "deprecated"))}

    def _norm_all_of(
        self, schema: dict[str, Any], hint: str, pointer: str, depth: int, top_level: bool
    ) -> dict[str, Any]:
        parts = schema["allOf"]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if len(parts) == 1 and not rest.get("properties"):
            inner = self._norm(parts[0], hint, pointer + "/allOf/0", depth + 1)
            return (
                {**inner, **_kept(rest, ("description", "default"))}
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

    def _norm_union(
        self, schema: dict[str, Any], key: str, hint: str, pointer: str, depth: int
    ) -> dict[str, Any]:
        raw = schema[key]
        branches: list[dict[str, Any]] = []
        for index, branch in enumerate(raw):
            branch_hint = hint if len(raw) == 1 else f"{hint}Option{index + 1}"
            normalized = self._norm(branch, branch_hint, f"{pointer}/{key}/{index}", depth + 1)
            if normalized not in branches:
                branches.append(normalized)
        extra = {**_kept(schema, ("description",)), **_default(schema)}
        if len(branches) == 1:
            return {**branches[0], **extra} if "$ref" not in branches[0] else branches[0]
        # The branches may name components defined later (or this one): decide in ``_settle``.
        pending = _PendingUnion(_pointer_text(pointer), copy.deepcopy(schema.get("discriminator")))
        node = {"anyOf": branches, **extra, _PENDING: pending}
        if self._in_progress:
            return node
        self._settle(node)  # an operation's own schema: every model it names exists
        return self._hoist_union(node, schema, hint) if "discriminator" in node else node

    def _hoist_union(
        self, node: dict[str, Any], schema: dict[str, Any], hint: str
    ) -> dict[str, Any]:
        """A discriminated union outside any model becomes a named alias.

        An annotation string (``A | B``) cannot carry the discriminator; the alias dmcg writes
        for a named union does (``Annotated[A | B, Field(discriminator=...)]``).
        """
        title = schema.get("title")
        base = (
            names.pascal(title) if isinstance(title, str) and title.strip() else names.pascal(hint)
        )
        name = self._scope.claim(base)
        self.models[name] = node
        return {"$ref": COMPONENT_PREFIX + name}

    # -- unions, once every model exists ---------------------------------------------
    def _settle(self, node: Any) -> None:
        """Resolve the pending unions in ``node``, in place (copies carry the mark too)."""
        if isinstance(node, list):
            for item in node:
                self._settle(item)
            return
        if not isinstance(node, dict):
            return
        for value in list(node.values()):
            self._settle(value)
        pending = node.get(_PENDING)
        if isinstance(pending, _PendingUnion):
            del node[_PENDING]
            node.update(self._union(node.pop("anyOf"), pending))

    def _union(self, branches: list[dict[str, Any]], pending: _PendingUnion) -> dict[str, Any]:
        models = [self.resolve_model(b) for b in branches]
        if all(m is not None and _is_object_model(m) for m in models):
            return self._object_union(branches, pending)
        return self._ordered(branches, pending.where)

    def _ordered(self, branches: list[dict[str, Any]], where: str) -> dict[str, Any]:
        ordered = sorted(branches, key=self._specificity)
        labels = list(dict.fromkeys(self.annotation(b) for b in ordered))
        self._report(where, "ordered", f"most specific first: {', '.join(labels)}")
        return {"anyOf": ordered}

    def _object_union(
        self, branches: list[dict[str, Any]], pending: _PendingUnion
    ) -> dict[str, Any]:
        where, explicit = pending.where, pending.discriminator
        if isinstance(explicit, dict) and isinstance(explicit.get("propertyName"), str):
            prop = explicit["propertyName"]
            tags = self._declared_tags(branches, prop, explicit.get("mapping"))
            if tags is not None:
                return self._discriminated(branches, prop, tags, where, "declared")
        for prop in self._candidate_discriminators(branches):
            tags = self._pinned_tags(branches, prop)
            if tags is not None:
                return self._discriminated(branches, prop, tags, where, "implicit")
        return self._ordered(branches, where)

    def _discriminated(
        self, branches: list[dict[str, Any]], prop: str, tags: list[list[str]], where: str, how: str
    ) -> dict[str, Any]:
        mapping: dict[str, str] = {}
        for branch, values in zip(branches, tags):
            self._pin(branch, prop, values)
            mapping.update((value, branch["$ref"]) for value in values)
        self._report(where, "discriminated", f"on {prop!r} ({how})")
        return {"oneOf": branches, "discriminator": {"propertyName": prop, "mapping": mapping}}

    def _pin(self, branch: dict[str, Any], prop: str, values: list[str]) -> None:
        """Make ``prop`` of the branch's model the closed literal of its tag values.

        pydantic needs a ``Literal`` tag on every member; a spec may type it ``string`` and
        say the values only in the mapping (or by schema name). Optional stays optional.
        """
        name = branch["$ref"][len(COMPONENT_PREFIX) :]
        self._discriminators.add((name, prop))
        model = self.models[name]
        current = model["properties"].get(prop, {})
        if _tag_values(current) == values:
            return
        pinned: dict[str, Any] = {
            "type": "string",
            "enum": list(values),
            **_kept(current, ("description",)),
        }
        if current.get("default") in values:
            pinned["default"] = current["default"]
        model["properties"][prop] = pinned

    def _declared_tags(
        self, branches: list[dict[str, Any]], prop: str, mapping: Any
    ) -> list[list[str]] | None:
        """Each branch's tag values under a declared discriminator, or None if they clash.

        A branch's values: the mapping's entries for it, else the values its property pins
        (``const``/``enum``), else its schema name (OpenAPI's implicit mapping).
        """
        declared: dict[str, list[str]] = {}
        for value, target in (mapping or {}).items() if isinstance(mapping, dict) else ():
            ref = self._mapping_ref(target)
            if ref is not None:
                declared.setdefault(ref, []).append(str(value))
        tags: list[list[str]] = []
        for branch in branches:
            model = self.resolve_model(branch) or {}
            pinned = _tag_values(model.get("properties", {}).get(prop, {}))
            values = declared.get(branch["$ref"]) or pinned or self._schema_name(branch)
            if not values or (pinned is not None and not set(values) <= set(pinned)):
                return None
            tags.append(pinned or values)
        return tags if _distinct(tags) else None

    def _mapping_ref(self, target: Any) -> str | None:
        """The normalized ``$ref`` a discriminator mapping value names (a ref or a bare name)."""
        if not isinstance(target, str):
            return None
        key = (
            _unescape(target[len(COMPONENT_PREFIX) :])
            if target.startswith(COMPONENT_PREFIX)
            else target
        )
        name = self._component_names.get(key)
        return COMPONENT_PREFIX + name if name is not None else None

    def _schema_name(self, branch: dict[str, Any]) -> list[str] | None:
        key = self._component_keys.get(branch["$ref"][len(COMPONENT_PREFIX) :])
        return [key] if key is not None else None

    def _candidate_discriminators(self, branches: list[dict[str, Any]]) -> list[str]:
        first = self.resolve_model(branches[0]) or {}
        return [
            p
            for p in first.get("required", [])
            if _pinned_value(first["properties"].get(p, {})) is not None
        ]

    def _pinned_tags(self, branches: list[dict[str, Any]], prop: str) -> list[list[str]] | None:
        """``[[value], ...]`` when every branch pins a distinct single value of a required ``prop``."""
        tags: list[list[str]] = []
        for branch in branches:
            model = self.resolve_model(branch) or {}
            if prop not in model.get("required", []):
                return None
            value = _pinned_value(model.get("properties", {}).get(prop, {}))
            if not isinstance(value, str):
                return None
            tags.append([value])
        return tags if _distinct(tags) else None

    def _specificity(self, branch: dict[str, Any]) -> tuple[int, int, int]:
        """Object models first, more required then more properties first; others keep spec order."""
        model = self.resolve_model(branch)
        if model is None or not _is_object_model(model):
            return (1, 0, 0)
        return (0, -len(model.get("required", [])), -len(model.get("properties", {})))

    def _report(
        self, where: str, kind: Literal["nullable", "discriminated", "ordered"], detail: str
    ) -> None:
        """Record how a union was resolved, once per place (a schema may be walked twice)."""
        if (where, kind) not in self._reported:
            self._reported.add((where, kind))
            self.unions.append(UnionReport(where, kind, detail))


def _open(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its string enums widened to ``enum | string`` (recursively)."""
    if isinstance(schema.get("enum"), list) and all(isinstance(v, str) for v in schema["enum"]):
        closed = {k: v for k, v in schema.items() if k not in ("description", "default")}
        opened: dict[str, Any] = {"anyOf": [{"type": "string", **closed}, {"type": "string"}]}
        return {**opened, **_kept(schema, ("description", "default"))}
    out = dict(schema)
    for key in ("anyOf", "oneOf"):
        if isinstance(out.get(key), list):
            out[key] = [_open(b) for b in out[key]]
    if isinstance(out.get("items"), dict):
        out["items"] = _open(out["items"])
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _open(out["additionalProperties"])
    return out


_OBJECT_KEYWORDS = ("properties", "additionalProperties", "patternProperties")
#: Keywords a union branch may hold and still only constrain the object beside it.
_CONSTRAINT_KEYWORDS = frozenset(
    ("required", "description", "title", "minProperties", "maxProperties", "not", "$comment")
)


def _has_object_keywords(schema: Mapping[str, Any]) -> bool:
    return any(schema.get(k) for k in _OBJECT_KEYWORDS)


def _with_shared_properties(schema: dict[str, Any], key: str, hint: str) -> dict[str, Any]:
    """An object with properties *and* a ``oneOf``/``anyOf`` as one equivalent shape.

    Branches that only constrain the object (``oneOf: [{required: [email]}, {required:
    [phone]}]``) leave the object as it is: which fields are required together is not a type,
    and the server still checks it. Other branches each get the shared properties (``allOf``
    of the object and the branch), so no property is lost; a discriminator is dropped, since its
    values named the branches before they were merged (the union is then ordered or detected
    from values the branches pin).
    """
    base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
    branches = schema[key] if isinstance(schema[key], list) else []
    if all(isinstance(b, dict) and set(b) <= _CONSTRAINT_KEYWORDS for b in branches):
        return base
    shared = {k: v for k, v in base.items() if k not in ("title", "description", "default")}
    options = []
    for index, branch in enumerate(branches):
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        label = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""
        title = branch.get("title") if isinstance(branch, dict) else None
        label = label or (title if isinstance(title, str) else "") or f"Option{index + 1}"
        options.append(
            {"title": names.pascal(hint) + names.pascal(label), "allOf": [shared, branch]}
        )
    return {key: options, **_kept(schema, ("description", "default"))}


def _wants_hoist(schema: dict[str, Any], resolver: RefResolver) -> bool:
    """Inline objects with properties, and allOf merges, become named models."""
    if _is_nullable(schema):
        return False
    if "allOf" in schema and not (len(schema["allOf"]) == 1 and not schema.get("properties")):
        return True
    kind = schema.get("type")
    return (
        bool(schema.get("properties"))
        and kind in (None, "object")
        and not ("anyOf" in schema or "oneOf" in schema)
    )


def _is_object_model(model: Mapping[str, Any]) -> bool:
    return model.get("type") == "object" and "properties" in model


def _is_nullable(schema: Mapping[str, Any]) -> bool:
    if schema.get("nullable") is True:
        return True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) > 1:
        return True
    if "const" in schema and schema["const"] is None:
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"] and len(schema["enum"]) > 1:
        return True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and len(branches) > 1 and any(_is_null(b) for b in branches):
            return True
    return False


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null"
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def _strip_null(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without its null alternative ({} when nothing else is left)."""
    out = {k: v for k, v in schema.items() if k not in ("nullable", "title")}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        out["type"] = rest[0] if len(rest) == 1 else rest
    if "const" in out and out["const"] is None:
        del out["const"]
    if isinstance(out.get("enum"), list):
        out["enum"] = [v for v in out["enum"] if v is not None]
    for key in ("anyOf", "oneOf"):
        branches = out.get(key)
        if not isinstance(branches, list):
            continue
        rest_branches = [b for b in branches if not _is_null(b)]
        if len(rest_branches) != 1 or not isinstance(rest_branches[0], dict):
            out[key] = rest_branches
            continue
        del out[key]
        out = {**out, **rest_branches[0]}
    return out if set(out) - {"description", "default"} else {}


def _binary(schema: Mapping[str, Any]) -> dict[str, Any]:
    """3.1 spells a file ``contentMediaType: image/png`` where 3.0 said ``format: binary``.

    Raw (not base64-encoded), non-textual content is bytes; text, JSON or XML stays a string.
    """
    media = schema.get("contentMediaType")
    if schema.get("type") != "string" or not isinstance(media, str) or "format" in schema:
        return {}
    base = media.split(";")[0].strip().lower()
    textual = (
        base.startswith("text/")
        or base.endswith(("json", "xml"))
        or base == "application/x-www-form-urlencoded"
    )
    return {} if textual or "contentEncoding" in schema else {"format": "binary"}


def _tag_values(schema: Mapping[str, Any]) -> list[str] | None:
    """The string values a discriminator property allows (``const`` or ``enum``), if pinned."""
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return list(values)
    return None


def _distinct(tags: list[list[str]]) -> bool:
    flat = [value for values in tags for value in values]
    return len(flat) == len(set(flat))


def _pinned_value(schema: Mapping[str, Any]) -> Any:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return enum[0]
    return None


def _default(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The default of a nullable or union schema, when it is a plain scalar.

    An object default for a model-typed field would be kept as a raw dict by pydantic
    (defaults are not validated) and is a type error: such defaults are the server's
    business, so the client leaves them out and sends nothing.
    """
    value = schema.get("default")
    return {"default": value} if "default" in schema and not isinstance(value, (dict, list)) else {}


def _kept(schema: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: copy.deepcopy(schema[k]) for k in keys if k in schema}


def _enum_literal(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return names.literal(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:  # mypy cannot type larger literals
        return str(value)
    return None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer_text(pointer: str) -> str:
    return pointer or "/"

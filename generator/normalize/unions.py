"""Unions of schemas: nullability, discriminators (declared or found), and the order of the
branches of the other unions, settled once every model they name exists.

:class:`UnionResolution` is the part of :class:`~.schemas.SchemaNormalizer` that decides
unions; it shares the normalizer's state (the models collected so far, their names).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .. import names
from ..ir import UnionReport
from . import shapes
from .shapes import COMPONENT_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping

PENDING = "x-clientgen-pending-union"  # key of a PendingUnion (only its type marks it)


@dataclass(frozen=True)
class PendingUnion:
    """A union whose branches may name models not defined yet; ``_settle`` resolves it.

    Kept inside the schema (not in a side list) so that copies of the node are settled too;
    a spec cannot forge one, since only this class marks it.
    """

    where: str
    discriminator: Any


class UnionResolution:
    """How the normalizer resolves ``anyOf``/``oneOf``; mixed into :class:`SchemaNormalizer`."""

    models: dict[str, dict[str, Any]]
    unions: list[UnionReport]
    _scope: names.Scope
    _component_keys: dict[str, str]
    _component_names: dict[str, str]
    _discriminators: set[tuple[str, str]]
    _in_progress: dict[str, str]
    _reported: set[tuple[str, str]]
    degraded: list[tuple[str, str, str]]

    def _norm(self, schema: Any, hint: str, pointer: str, depth: int) -> dict[str, Any]:
        raise NotImplementedError  # the normalizer's: a union's branches are schemas

    def annotation(self, schema: Mapping[str, Any], *, loose_models: bool = False) -> str:
        raise NotImplementedError

    def resolve_model(self, schema: Mapping[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

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
        extra = {**shapes.kept(schema, ("description",)), **shapes.default(schema)}
        if len(branches) == 1:
            return {**branches[0], **extra} if "$ref" not in branches[0] else branches[0]
        # The branches may name components defined later (or this one): decide in ``_settle``.
        pending = PendingUnion(
            shapes.pointer_text(pointer), copy.deepcopy(schema.get("discriminator"))
        )
        node = {"anyOf": branches, **extra, PENDING: pending}
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
        pending = node.get(PENDING)
        if isinstance(pending, PendingUnion):
            del node[PENDING]
            branches = node.pop("anyOf")
            try:
                node.update(self._union(branches, pending) if branches else {})
            except shapes.UNREADABLE as exc:
                node.clear()  # Any: one odd union never takes the client down
                reason = shapes.unreadable_reason(exc)
                self.degraded.append((pending.where, "unreadable schema", f"typed Any: {reason}"))

    def _union(self, branches: list[dict[str, Any]], pending: PendingUnion) -> dict[str, Any]:
        models = [self.resolve_model(b) for b in branches]
        if all(m is not None and shapes.is_object_model(m) for m in models):
            return self._object_union(branches, pending)
        return self._ordered(branches, pending.where)

    def _ordered(self, branches: list[dict[str, Any]], where: str) -> dict[str, Any]:
        ordered = sorted(branches, key=self._specificity)
        labels = list(dict.fromkeys(self.annotation(b) for b in ordered))
        self._report(where, "ordered", f"most specific first: {', '.join(labels)}")
        return {"anyOf": ordered}

    def _object_union(
        self, branches: list[dict[str, Any]], pending: PendingUnion
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
        if not all(self._always_tagged(branch, prop) for branch in branches):
            # pydantic's discriminator would make the tag required in the branch's own model
            # (Galaxy's Planet.type, optional when a Planet is sent alone): the literal tags
            # still choose the branch, as a plain union
            self._report(where, "ordered", f"tagged by {prop!r}, optional in a branch ({how})")
            return {"oneOf": branches}
        self._report(where, "discriminated", f"on {prop!r} ({how})")
        return {"oneOf": branches, "discriminator": {"propertyName": prop, "mapping": mapping}}

    def _always_tagged(self, branch: dict[str, Any], prop: str) -> bool:
        """Whether every instance of the branch's model has the tag: required, or defaulted."""
        model = self.models[branch["$ref"][len(COMPONENT_PREFIX) :]]
        return prop in model.get("required", []) or "default" in model["properties"].get(prop, {})

    def _pin(self, branch: dict[str, Any], prop: str, values: list[str]) -> None:
        """Make ``prop`` of the branch's model the closed literal of its tag values.

        pydantic needs a ``Literal`` tag on every member; a spec may type it ``string`` and
        say the values only in the mapping (or by schema name). Optional stays optional.
        """
        name = branch["$ref"][len(COMPONENT_PREFIX) :]
        self._discriminators.add((name, prop))
        model = self.models[name]
        current = model["properties"].get(prop, {})
        if shapes.tag_values(current) == values:
            return
        pinned: dict[str, Any] = {
            "type": "string",
            "enum": list(values),
            **shapes.kept(current, ("description",)),
        }
        if current.get("default") in values:
            pinned["default"] = current["default"]
        model["properties"][prop] = pinned

    def _declared_tags(
        self, branches: list[dict[str, Any]], prop: str, mapping: Any
    ) -> list[list[str]] | None:
        """Each branch's tag values under a declared discriminator, or None if they clash.

        A branch's values: the mapping's entries for it, else the values its property pins
        (``const``/``enum``), else its schema name (OpenAPI's implicit mapping). A branch that
        pins more values than the mapping gives it keeps them all (Galaxy's Planet types);
        but when the branches pin the same values (an enum of every tag, in the base they
        share: Cohere's stream events), the mapping's values tell them apart, even one the
        shared enum has not caught up with (``tool-calls-generation``).
        """
        declared: dict[str, list[str]] = {}
        for value, target in (mapping or {}).items() if isinstance(mapping, dict) else ():
            ref = self._mapping_ref(target)
            if ref is not None:
                declared.setdefault(ref, []).append(str(value))
        tags: list[list[str]] = []
        narrow: list[list[str]] = []  # the mapping's values wherever it gives some
        for branch in branches:
            model = self.resolve_model(branch) or {}
            pinned = shapes.tag_values(model.get("properties", {}).get(prop, {}))
            values = declared.get(branch["$ref"]) or pinned or self._schema_name(branch)
            if not values:
                return None
            narrow.append(values)
            fits = pinned is None or set(values) <= set(pinned)
            tags.append((pinned or values) if fits else [])
        if all(tags) and shapes.distinct(tags):
            return tags
        return narrow if declared and shapes.distinct(narrow) else None

    def _mapping_ref(self, target: Any) -> str | None:
        """The normalized ``$ref`` a discriminator mapping value names (a ref or a bare name)."""
        if not isinstance(target, str):
            return None
        key = (
            shapes.unescape(target[len(COMPONENT_PREFIX) :])
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
            if shapes.pinned_value(first["properties"].get(p, {})) is not None
        ]

    def _pinned_tags(self, branches: list[dict[str, Any]], prop: str) -> list[list[str]] | None:
        """``[[value], ...]`` when every branch pins a distinct single value of a required ``prop``."""
        tags: list[list[str]] = []
        for branch in branches:
            model = self.resolve_model(branch) or {}
            if prop not in model.get("required", []):
                return None
            value = shapes.pinned_value(model.get("properties", {}).get(prop, {}))
            if not isinstance(value, str):
                return None
            tags.append([value])
        return tags if shapes.distinct(tags) else None

    def _specificity(self, branch: dict[str, Any]) -> tuple[int, int, int]:
        """Object models first, more required then more properties first; others keep spec order."""
        model = self.resolve_model(branch)
        if model is None or not shapes.is_object_model(model):
            return (1, 0, 0)
        return (0, -len(model.get("required", [])), -len(model.get("properties", {})))

    def _report(
        self, where: str, kind: Literal["nullable", "discriminated", "ordered"], detail: str
    ) -> None:
        """Record how a union was resolved, once per place (a schema may be walked twice)."""
        if (where, kind) not in self._reported:
            self._reported.add((where, kind))
            self.unions.append(UnionReport(where, kind, detail))

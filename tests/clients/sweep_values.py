"""Arguments made from a spec alone, for calling every operation of a real API (test helper).

A value for a schema comes, in this order, from ``const``, the schema's own ``example`` /
``examples`` / ``default`` when they are valid against it, the first ``enum`` value, or its
type and constraints (formats, patterns, lengths, bounds; objects with their required
properties, arrays with the items they need). Every value is checked against the schema as
JSON Schema (``tests/fixtures/normalize/jsonschema.py``) before it is used: when no valid
value can be made, :class:`CannotMake` says why and the operation is skipped with that reason.
"""

from __future__ import annotations

import copy
import json
import math
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jsonschema
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from tests.fixtures.normalize.jsonschema import json_schema

MAX_DEPTH = 8

#: A value for each string format OpenAPI documents use (valid for the format).
FORMATS: dict[str, Any] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "duration": "P1D",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uuid4": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "iri": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "byte": "aGVsbG8=",
    "binary": b"hello",
    "password": "secret-1",
    "int32": "1",
    "int64": "1",
}


class CannotMake(Exception):
    """No value valid against the schema could be made; the message says where and why."""


class Values:
    """Makes values for the schemas of one loaded (OpenAPI 3.x) document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or seen > 50:
                raise CannotMake(f"reference {ref} is not local")
            target: Any = self.document
            for token in ref[2:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or token not in target:
                    raise CannotMake(f"reference {ref} leads nowhere")
                target = target[token]
            node, seen = target, seen + 1
        return node

    def value(self, schema: Any, *, writing: bool = True, nonempty: bool = False) -> Any:
        """A value valid against ``schema``; bytes for a binary string (a file to upload).

        ``nonempty``: not ``""`` (a path parameter: an empty segment reaches no route).
        """
        made = self._make(schema, 0, writing)
        if nonempty and made == "":
            made = self._make({"allOf": [schema], "minLength": 1, "type": "string"}, 0, writing)
        if not isinstance(made, (bytes, bytearray)) and not _has_bytes(made):
            self.check(schema, made, formats=STRICT_FORMATS)
        return made

    def check(self, schema: Any, value: Any, formats: str = "") -> None:
        """Raise :class:`CannotMake` unless ``value`` is valid against ``schema``; ``formats``
        (:data:`STRICT_FORMATS`) also checks the UUID formats pydantic types strictly."""
        checked = json_schema(self.document, schema)
        errors = _validator(json.dumps(checked, sort_keys=True), formats).iter_errors(value)
        error = next(iter(errors), None)
        if error is not None:
            path = "/".join(str(p) for p in error.absolute_path)
            raise CannotMake(f"made {_short(value)}, invalid at /{path}: {error.message[:120]}")

    def _make(self, schema: Any, depth: int, writing: bool) -> Any:
        if depth > MAX_DEPTH:
            raise CannotMake("nested too deep")
        schema = self.resolve(schema)
        if schema is True or schema == {}:
            return "example"
        if not isinstance(schema, dict):
            raise CannotMake("schema is not an object")
        if "const" in schema:
            return schema["const"]
        for candidate in self._given(schema):
            if self._valid(schema, candidate):
                return candidate
        if isinstance(schema.get("enum"), list):
            usable = [v for v in schema["enum"] if v is not None]
            if usable:
                return usable[0]
        if isinstance(schema.get("allOf"), list):
            if self._objects(schema):
                return self._object(self.merged(schema), depth, writing)
            return self._make(self._first_typed(schema), depth + 1, writing)
        for union in ("oneOf", "anyOf"):
            if isinstance(schema.get(union), list):
                return self._branch(schema, union, depth, writing)
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if kinds else "null"
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else None
        if kind == "object":
            return self._object(schema, depth, writing)
        if kind == "array":
            item = self._make(schema.get("items", {}), depth + 1, writing)
            return [item] * max(1, int(schema.get("minItems", 1)))
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "example"

    def _given(self, schema: dict[str, Any]) -> list[Any]:
        """The schema's own example, examples and default (validated by the caller)."""
        found = [schema[k] for k in ("example", "default") if k in schema]
        examples = schema.get("examples")
        if isinstance(examples, list):
            found += examples[:3]
        return [v for v in found if v is not None]

    def _valid(self, schema: dict[str, Any], value: Any) -> bool:
        try:
            self.check(schema, value, formats=STRICT_FORMATS)
        except CannotMake:
            return False
        return True

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """allOf's parts (and the schema's own properties) as one object schema."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        parts = [self.resolve(p) for p in schema.get("allOf", [])] + [schema]
        for part in parts:
            if (
                isinstance(part, dict)
                and isinstance(part.get("allOf"), list)
                and part is not schema
            ):
                part = self.merged(part)
            if isinstance(part, dict):
                properties.update(part.get("properties") or {})
                required += [r for r in part.get("required") or [] if r not in required]
        return {"type": "object", "properties": properties, "required": required}

    def _objects(self, schema: dict[str, Any]) -> bool:
        """Whether every part of ``allOf`` describes an object (else: one scalar, refined)."""
        for part in schema["allOf"]:
            part = self.resolve(part)
            if isinstance(part, dict) and part.get("type") not in (None, "object"):
                return False
            if (
                isinstance(part, dict)
                and "type" not in part
                and not ({"properties", "required", "allOf", "oneOf", "anyOf"} & set(part))
            ):
                return False
        return True

    def _first_typed(self, schema: dict[str, Any]) -> Any:
        for part in schema["allOf"]:
            part = self.resolve(part)
            if isinstance(part, dict) and part.get("type") not in (None, "object"):
                return {**part, **{k: v for k, v in schema.items() if k != "allOf"}}
        return {k: v for k, v in schema.items() if k != "allOf"}

    def _tag(self, schema: dict[str, Any], branch: Any) -> tuple[str, Any] | None:
        """The discriminator property and the value that names ``branch`` (OpenAPI's rule: the
        mapping's key for it, else the value the branch pins, else its schema name)."""
        discriminator = schema.get("discriminator")
        if not isinstance(discriminator, dict) or not isinstance(
            discriminator.get("propertyName"), str
        ):
            return None
        prop = discriminator["propertyName"]
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        for key, target in (discriminator.get("mapping") or {}).items():
            if ref is not None and (target == ref or ref.endswith("/" + str(target))):
                return prop, key
        if ref is not None:
            resolved = self.resolve(branch)
            sub = self.resolve((resolved.get("properties") or {}).get(prop, {}))
            if isinstance(sub, dict) and ("const" in sub or sub.get("enum")):
                return prop, sub["const"] if "const" in sub else sub["enum"][0]
            return prop, ref.rsplit("/", 1)[-1]
        return None

    def _branch(self, schema: dict[str, Any], union: str, depth: int, writing: bool) -> Any:
        """The first branch a valid value can be made for (null branches last)."""
        branches = sorted(schema[union], key=lambda b: self.resolve(b) == {"type": "null"})
        shared = {k: v for k, v in schema.items() if k in ("properties", "required", "type")}
        reasons = []
        for branch in branches:
            candidate = branch
            if shared.get("properties"):
                candidate = {"allOf": [branch, {**shared, "type": "object"}]}
            try:
                made = self._make(candidate, depth + 1, writing)
                tag = self._tag(schema, branch)
                if tag is not None and isinstance(made, dict):
                    made[tag[0]] = tag[1]
                if not _has_bytes(made):
                    self.check(schema, made)
                return made
            except CannotMake as error:
                reasons.append(str(error))
        raise CannotMake(f"no branch of {union} could be made: {reasons[:2]}")

    def _object(self, schema: dict[str, Any], depth: int, writing: bool) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        made: dict[str, Any] = {}
        for name in schema.get("required") or []:
            sub = self.resolve(properties.get(name, {}))
            if isinstance(sub, dict) and sub.get("readOnly") and writing:
                continue  # the server's to set
            made[name] = self._make(sub, depth + 1, writing)
        minimum = int(schema.get("minProperties", 0))
        for name, sub in properties.items():
            if len(made) >= minimum:
                break
            made.setdefault(name, self._make(sub, depth + 1, writing))
        return made


def _string(schema: dict[str, Any]) -> Any:
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return _matching(pattern, int(schema.get("minLength", 0)), schema.get("maxLength"))
    fmt = schema.get("format")
    if fmt in FORMATS:
        return FORMATS[fmt]
    text = "example"
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    if len(text) < low:
        text = (text * (low // len(text) + 1))[:low]
    if isinstance(high, int) and len(text) > high:
        text = text[:high] if high > 0 else ""
    return text


@lru_cache(maxsize=None)
def _matching(pattern: str, low: int, high: int | None) -> str:
    """The simplest string matching ``pattern`` (hypothesis's shrinker, deterministic)."""

    def fits(text: str) -> bool:
        return len(text) >= low and (high is None or len(text) <= high)

    try:
        return find(
            st.from_regex(pattern, fullmatch=True),
            fits,
            settings=settings(
                database=None,
                derandomize=True,
                max_examples=200,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        )
    except Exception as error:  # noqa: BLE001 - any failure means: no value from this pattern
        raise CannotMake(f"no string matches pattern {pattern!r} ({type(error).__name__})")


def _number(schema: dict[str, Any], kind: str) -> int | float:
    low = schema.get("minimum")
    high = schema.get("maximum")
    exclusive_low = schema.get("exclusiveMinimum")
    exclusive_high = schema.get("exclusiveMaximum")
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low = exclusive_low + (1 if kind == "integer" else 0.5)
    elif exclusive_low is True and isinstance(low, (int, float)):
        low = low + (1 if kind == "integer" else 0.5)
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high = exclusive_high - (1 if kind == "integer" else 0.5)
    elif exclusive_high is True and isinstance(high, (int, float)):
        high = high - (1 if kind == "integer" else 0.5)
    value: float = 1
    if isinstance(low, (int, float)) and value < low:
        value = low
    if isinstance(high, (int, float)) and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        value = math.ceil(value / step) * step
    return int(math.ceil(value)) if kind == "integer" else value


def _has_bytes(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray)):
        return True
    if isinstance(value, dict):
        return any(_has_bytes(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bytes(v) for v in value)
    return False


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


#: Check these formats too (json-schema-faker writes any string for the ones it does not know).
STRICT_FORMATS = "uuid1 uuid3 uuid4 uuid5"


def _uuid_version(version: int) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        try:
            return uuid.UUID(value).version == version
        except ValueError:
            return False

    return check


@lru_cache(maxsize=4096)
def _validator(schema: str, formats: str = "") -> Any:
    parsed = json.loads(schema)
    checker = copy.deepcopy(jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for name in formats.split():
        checker.checks(name)(_uuid_version(int(name[-1])))
    return jsonschema.Draft202012Validator(parsed, format_checker=checker)

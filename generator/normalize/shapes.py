"""What a schema looks like: small pure predicates and rewrites the normalizer and its union
resolution share (nullability, binary strings, pinned tags, defaults, pointer escapes)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import names
from ..errors import SpecError

if TYPE_CHECKING:
    from .refs import RefResolver

COMPONENT_PREFIX = "#/components/schemas/"

#: What reading a malformed part of a spec can raise: caught where that part is read, so it
#: degrades (typed ``Any``, with a warning) instead of taking the whole client down.
UNREADABLE = (SpecError, TypeError, ValueError, KeyError, AttributeError, IndexError)


def unreadable_reason(exc: BaseException) -> str:
    """What went wrong reading a part, for its warning."""
    return exc.message if isinstance(exc, SpecError) else f"{type(exc).__name__}: {exc}"


def open(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its string enums widened to ``enum | string`` (recursively)."""
    if isinstance(schema.get("enum"), list) and all(isinstance(v, str) for v in schema["enum"]):
        closed = {k: v for k, v in schema.items() if k not in ("description", "default")}
        opened: dict[str, Any] = {"anyOf": [{"type": "string", **closed}, {"type": "string"}]}
        return {**opened, **kept(schema, ("description", "default"))}
    out = dict(schema)
    for key in ("anyOf", "oneOf"):
        if isinstance(out.get(key), list):
            out[key] = [open(b) for b in out[key]]
    if isinstance(out.get("items"), dict):
        out["items"] = open(out["items"])
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = open(out["additionalProperties"])
    return out


_OBJECT_KEYWORDS = ("properties", "additionalProperties", "patternProperties")
#: Keywords a union branch may hold and still only constrain the object beside it.
_CONSTRAINT_KEYWORDS = frozenset(
    ("required", "description", "title", "minProperties", "maxProperties", "not", "$comment")
)


def has_object_keywords(schema: Mapping[str, Any]) -> bool:
    return any(schema.get(k) for k in _OBJECT_KEYWORDS)


def with_shared_properties(
    schema: dict[str, Any], key: str, hint: str, deref: Callable[[Any], Any] = lambda s: s
) -> dict[str, Any]:
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
    tags = _branch_tags(schema.get("discriminator"), branches, deref)
    options = []
    for index, branch in enumerate(branches):
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        label = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""
        title = branch.get("title") if isinstance(branch, dict) else None
        label = label or (title if isinstance(title, str) else "") or f"Option{index + 1}"
        parts = [shared, branch]
        if tags is not None:  # the tag the discriminator gave this branch, pinned on the merge
            prop, values = tags[0], tags[1][index]
            parts.append({"properties": {prop: {"type": "string", "enum": values}}})
        options.append({"title": names.pascal(hint) + names.pascal(label), "allOf": parts})
    kept_keys = kept(schema, ("description", "default"))
    if tags is not None:
        return {key: options, "discriminator": {"propertyName": tags[0]}, **kept_keys}
    return {key: options, **kept_keys}


def _branch_tags(
    discriminator: Any, branches: list[Any], deref: Callable[[Any], Any]
) -> tuple[str, list[list[str]]] | None:
    """The discriminator's property and each branch's tag values: its ``mapping`` entries,
    else the values it pins itself, else its schema name; None when a branch is inline."""
    if not isinstance(discriminator, dict) or not isinstance(
        discriminator.get("propertyName"), str
    ):
        return None
    prop = discriminator["propertyName"]
    mapping = discriminator.get("mapping")
    mapping = mapping if isinstance(mapping, dict) else {}
    tags = []
    for branch in branches:
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if not isinstance(ref, str):
            return None
        key = unescape(ref.rsplit("/", 1)[-1])
        values = [str(v) for v, target in mapping.items() if target in (ref, key)]
        if not values:
            target = deref(branch)
            properties = target.get("properties") if isinstance(target, dict) else None
            sub = properties.get(prop) if isinstance(properties, dict) else None
            values = (tag_values(sub) if isinstance(sub, dict) else None) or [key]
        tags.append(values)
    return (prop, tags) if distinct(tags) else None


_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "nullable",
        "externalDocs",
        "$comment",
    }
)


def without_annotation_parts(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the ``allOf`` parts that only annotate (``allOf: [{description: ...},
    {$ref: zip_code}]``, Lob's way of describing a reference in 3.0) lifted beside it.

    Such a part constrains nothing, so it must not turn a string into an object model.
    """
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    notes = [
        p
        for p in parts
        if isinstance(p, dict) and p and all(k in _ANNOTATIONS or k.startswith("x-") for k in p)
    ]
    if not notes:
        return schema
    out = {k: v for k, v in schema.items() if k != "allOf"}
    for note in notes:
        for key, value in note.items():
            out.setdefault(key, value)
    rest = [p for p in parts if not any(p is note for note in notes)]
    if rest:
        out["allOf"] = rest
    return out


_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def scalar_all_of(schema: dict[str, Any], resolver: RefResolver) -> dict[str, Any] | None:
    """``allOf`` whose parts all describe one scalar type (a referenced pattern refined by a
    description or a length) as that one scalar, constraints merged; ``None`` otherwise."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not parts:
        return None
    merged: dict[str, Any] = {}
    try:
        for part in parts:
            part = resolver.deref(part, "")
            if not isinstance(part, dict) or set(part) & {"allOf", "anyOf", "oneOf", "$ref"}:
                return None
            kind = part.get("type")
            if kind is not None and (kind not in _SCALARS or merged.get("type", kind) != kind):
                return None
            if has_object_keywords(part) or "items" in part:
                return None
            merged.update(part)
    except UNREADABLE:
        return None
    if merged.get("type") not in _SCALARS:
        return None
    return {**merged, **{k: v for k, v in schema.items() if k != "allOf"}}


def one_way(
    schema: Any, deref: Callable[[Any], Any] = lambda s: s, depth: int = 0
) -> dict[str, bool]:
    """``{"readOnly": True}`` or ``{"writeOnly": True}`` for a property that travels one way
    only, wherever the spec says so: on the property, beside its ``$ref`` (3.1), on a one-part
    ``allOf`` (the 3.0 spelling of a reference with siblings), or where its ``$ref`` leads."""
    if not isinstance(schema, dict) or depth > 16:
        return {}
    for key in ("readOnly", "writeOnly"):
        if schema.get(key) is True:
            return {key: True}
    if isinstance(schema.get("$ref"), str):
        try:
            return one_way(deref(schema), deref, depth + 1)
        except UNREADABLE:  # a reference that leads nowhere is reported where it is read
            return {}
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1:
        return one_way(parts[0], deref, depth + 1)
    return {}


#: Pointer tokens that say where a schema sits, not what it is about.
_STRUCTURAL = frozenset(
    (
        "paths components schemas properties items allOf anyOf oneOf content schema parameters "
        "responses requestBody additionalProperties ~nonnull webhooks callbacks default "
        "get put post delete options head patch trace query additionalOperations"
    ).split()
)


def context_words(pointer: str) -> list[str]:
    """The words of a schema's place, nearest first, as text for :func:`names.pascal`: the
    properties it sits in, its component's name, and its path's nouns (``/booklets/{id}``
    ➜ ``booklets``); structure, media types, status codes and indexes say nothing."""
    found = []
    for token in reversed([unescape(t) for t in pointer.split("/")[1:]]):
        if token in _STRUCTURAL or token.isdigit() or token.upper().endswith("XX"):
            continue
        if token.startswith("/"):  # a path: its nouns, not its parameters
            nouns = [s for s in token.split("/") if s and not s.startswith("{")]
            token = " ".join(nouns)
        elif "/" in token:  # a media type
            continue
        if token.strip():
            found.append(token)
    return found


def wants_hoist(schema: dict[str, Any], resolver: RefResolver) -> bool:
    """Inline objects with properties, and allOf merges, become named models."""
    if is_nullable(schema):
        return False
    if "allOf" in schema and not (len(schema["allOf"]) == 1 and not schema.get("properties")):
        return scalar_all_of(schema, resolver) is None
    kind = schema.get("type")
    return (
        bool(schema.get("properties"))
        and kind in (None, "object")
        and not ("anyOf" in schema or "oneOf" in schema)
    )


def is_object_model(model: Mapping[str, Any]) -> bool:
    return model.get("type") == "object" and "properties" in model


def is_nullable(schema: Mapping[str, Any]) -> bool:
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
        if isinstance(branches, list) and len(branches) > 1 and any(is_null(b) for b in branches):
            return True
    return False


def is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null"
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def strip_null(schema: Mapping[str, Any]) -> dict[str, Any]:
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
        rest_branches = [b for b in branches if not is_null(b)]
        if len(rest_branches) != 1 or not isinstance(rest_branches[0], dict):
            out[key] = rest_branches
            continue
        del out[key]
        out = {**out, **rest_branches[0]}
    return out if set(out) - {"description", "default"} else {}


def binary(schema: Mapping[str, Any]) -> dict[str, Any]:
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


def tag_values(schema: Mapping[str, Any]) -> list[str] | None:
    """The string values a discriminator property allows (``const`` or ``enum``), if pinned."""
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return list(values)
    return None


def distinct(tags: list[list[str]]) -> bool:
    flat = [value for values in tags for value in values]
    return len(flat) == len(set(flat))


def pinned_value(schema: Mapping[str, Any]) -> Any:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return enum[0]
    return None


def default(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The default of a nullable or union schema, when it is a plain scalar.

    An object default for a model-typed field would be kept as a raw dict by pydantic
    (defaults are not validated) and is a type error: such defaults are the server's
    business, so the client leaves them out and sends nothing.
    """
    value = schema.get("default")
    return {"default": value} if "default" in schema and not isinstance(value, (dict, list)) else {}


def kept(schema: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: copy.deepcopy(schema[k]) for k in keys if k in schema}


def enum_literal(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return names.literal(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:  # mypy cannot type larger literals
        return str(value)
    return None


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_text(pointer: str) -> str:
    return pointer or "/"


_FITS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def fits(value: Any, schema: Mapping[str, Any]) -> bool:
    """Whether a default can be the value of ``schema`` (a normalized one): its ``type`` and
    ``enum`` admit it. A published spec with ``default: []`` on a string would otherwise give
    a model that mypy rejects; unions and untyped schemas admit anything."""
    if isinstance(schema.get("enum"), list) and value not in schema["enum"]:
        return False
    kind = schema.get("type")
    expected = _FITS.get(kind) if isinstance(kind, str) else None
    if expected is None:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, expected)


def models_in_default(schema: Mapping[str, Any]) -> bool:
    """Whether the default holds objects where the schema has models (``default: [{...}]`` on a
    list of models): pydantic keeps a default as written, so the field would hold a dict where
    its type says a model (mypy rejects it). Such defaults are the server's business."""
    return _holds_object(schema.get("default")) and _refers(schema)


def _holds_object(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(_holds_object(v) for v in value)


def _refers(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(_refers(v) for k, v in schema.items() if k != "default")
    return isinstance(schema, list) and any(_refers(v) for v in schema)

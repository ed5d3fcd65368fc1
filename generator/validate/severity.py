"""Which validator findings a client survives (warnings) and which it cannot (errors).

Vendors publish documents with findings every day and will not fix them for us: a ``required``
list naming a property twice, a ``default`` of the wrong type, ``const`` in a 3.0 document, an
unknown keyword. The normalizer survives each of these (it drops a default that does not fit,
types what it cannot read as ``Any``, ignores unknown keywords), so they are warnings. What it
cannot survive is an error: the document's skeleton in the wrong shape (``paths`` that is not
a mapping, an operation that is a string), a parameter without a name or a location, a
validator that gives up. ``--strict`` makes every finding an error.

A finding's *kind* is a short phrase shared by findings of the same sort, so that a spec with
400 of them is summarized in one line (``400 warnings: 393 invalid default, 7 unknown keyword``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_KIND", "FATAL_KINDS", "classify"]

ERROR_KIND = "unusable document"
#: Kinds the normalizer cannot build a faithful client around.
FATAL_KINDS = frozenset(
    (
        ERROR_KIND,
        "unusable structure",
        "parameter without name or location",
        "path parameter mismatch",  # declared, not in the path: the call could not send it
    )
)

#: Keys under which a JSON Schema sits: a finding below one is about a schema, which the
#: normalizer reads leniently (an unreadable schema becomes ``Any``, with a warning).
_SCHEMA_KEYS = frozenset(
    "schema schemas items properties additionalProperties patternProperties allOf anyOf oneOf "
    "not $defs definitions prefixItems contains if then else dependentSchemas propertyNames "
    "unevaluatedProperties unevaluatedItems itemSchema".split()
)
#: Data, not description: a finding there never harms the client.
_DATA_KEYS = frozenset(("example", "examples", "default", "const", "enum", "x-"))

_BY_VALIDATOR = {
    "additionalProperties": "unknown keyword",
    "unevaluatedProperties": "unknown keyword",
    "patternProperties": "unknown keyword",
    "uniqueItems": "repeated item",
    "required": "missing field",
    "type": "wrong type",
    "enum": "unknown value",
    "format": "malformed value",
    "pattern": "malformed value",
    "minItems": "too few items",
    "minProperties": "too few items",
    "const": "unknown value",
}


def classify(error: Any, parts: tuple[str | int, ...], *, structural: bool = False) -> str:
    """The kind of a validator finding at ``parts`` (a jsonschema ``ValidationError``, or one of
    openapi-spec-validator's semantic findings)."""
    message = str(getattr(error, "message", error))
    validator = getattr(error, "validator", None)
    in_schema = any(isinstance(p, str) and p in _SCHEMA_KEYS for p in parts)
    in_data = any(isinstance(p, str) and (p in _DATA_KEYS or p.startswith("x-")) for p in parts)
    if not structural:  # openapi-spec-validator's own checks
        if "default" in parts or "is not valid for schema" in message:
            return "invalid default"
        if "unique" in message and "operation" in message.lower():
            return "duplicate operationId"
        if "was not resolved" in message or "path parameter" in message.lower():
            return "path parameter mismatch"
        return "invalid schema" if in_schema else "invalid value"
    if in_data:
        return "invalid example"
    if (
        validator == "required"
        and _names_missing(message) & {"name", "in"}
        and _in_parameter(parts)
    ):
        return "parameter without name or location"
    if validator in ("type", "oneOf", "anyOf") and not in_schema and _skeleton(parts):
        return "unusable structure"
    if in_schema and validator not in ("additionalProperties", "unevaluatedProperties"):
        return "invalid schema"
    return _BY_VALIDATOR.get(str(validator), "invalid value")


def _names_missing(message: str) -> set[str]:
    """``{'name'}`` for "'name' is a required property"."""
    head, _, rest = message.partition(" is a required property")
    return {head.strip("'\"")} if rest == "" and head else set()


def _in_parameter(parts: tuple[str | int, ...]) -> bool:
    return (
        len(parts) >= 2
        and parts[-2] == "parameters"
        and isinstance(parts[-1], int)
        or (len(parts) >= 3 and parts[0] == "components" and parts[1] == "parameters")
    )


def _skeleton(parts: tuple[str | int, ...]) -> bool:
    """The places the normalizer walks as structure: the root, ``paths`` and its path items and
    operations, their parameter lists, ``components`` and its maps."""
    if not parts:
        return True
    if len(parts) == 1:  # tags, servers, security, externalDocs: the client does without
        return parts[0] in ("paths", "components", "webhooks", "openapi")
    if parts[0] in ("paths", "webhooks"):
        return len(parts) <= 3 or (len(parts) == 4 and parts[3] == "parameters")
    if parts[0] == "components":
        return len(parts) <= 2
    return False

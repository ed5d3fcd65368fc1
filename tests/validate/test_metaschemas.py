"""generator.validate.metaschemas: the fast paths give openapi-spec-validator's verdicts and messages.

Each case is checked twice: by the fast path (crawled Python validators, jsonschema-rs first)
and by the code it stands in for, built the way openapi-spec-validator builds it.
"""

from __future__ import annotations

import copy
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from openapi_schema_validator import oas30_format_checker, oas31_format_checker
from openapi_schema_validator.validators import OAS30Validator, OAS31Validator
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.validate import metaschemas
from generator.load import load_spec

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
CORPUS = REPO.parent / "shared" / "corpus"

# Schema Objects that pass or fail the meta-schema for different reasons.
SCHEMAS: list[Any] = [
    {},
    True,
    {"type": "string", "pattern": "^[a-z]+$", "format": "uri"},
    {"type": "strin"},
    {"type": ["string", "null"], "enum": ["a", None]},
    {"pattern": "("},  # not a regex: the format check must run on both sides
    {"pattern": "(?<=a)b"},  # a regex Python accepts
    {"patternProperties": {"[": {}}},
    {"properties": []},
    {"properties": {"a": {"type": "integer", "minimum": "zero"}}},
    {"required": "name"},
    {"$ref": 5},
    {"$id": "not a uri but no checker asserts it"},
    {"items": {"anyOf": [{"type": "string"}, {"type": "bogus"}]}},
    {"allOf": []},
    {"discriminator": {"propertyName": "kind"}, "oneOf": [{"$ref": "#/components/schemas/A"}]},
    {"xml": {"name": 3}},
    {"nullable": True, "type": "string"},
    {"additionalProperties": {"$dynamicRef": "#meta"}},
    {"minLength": -1},
]


def _upstream_meta(cls: Any, format_checker: Any, schema: Any) -> str | None:
    """What openapi-spec-validator's checker says (``None``: valid), built per call as it does."""
    try:
        cls.check_schema(schema, format_checker=format_checker)
    except SchemaError as exc:
        return str(exc.message)
    return None


def _fast_meta(cls: Any, format_checker: Any, schema: Any) -> str | None:
    check = metaschemas.fast_schema_checker(
        partial(cls.check_schema, format_checker=format_checker)
    )
    try:
        check(schema)
    except SchemaError as exc:
        return str(exc.message)
    return None


def _spec_schemas() -> list[Any]:
    found: list[Any] = []
    paths = sorted((REPO / "specs").glob("*.json")) + sorted((REPO / "specs").glob("*.y*ml"))
    paths += (
        sorted(CORPUS.glob("*.json")) + sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []
    )
    for path in paths:
        if ".overlay." in path.name:
            continue
        document = load_spec(path).document
        found += list((document.get("components") or {}).get("schemas", {}).values())
    return found


@pytest.mark.parametrize(
    ("cls", "format_checker"),
    [(OAS31Validator, oas31_format_checker), (OAS30Validator, oas30_format_checker)],
    ids=["3.1", "3.0"],
)
def test_meta_checker_gives_the_same_verdicts_and_messages(cls: Any, format_checker: Any) -> None:
    cases = SCHEMAS + _spec_schemas()
    verdicts = []
    for schema in cases:
        expected = _upstream_meta(cls, format_checker, schema)
        assert _fast_meta(cls, format_checker, schema) == expected, schema
        verdicts.append(expected is None)
    assert any(verdicts) and not all(verdicts)  # both kinds were exercised


def test_meta_checker_rejects_a_pattern_python_cannot_compile() -> None:
    assert _fast_meta(OAS31Validator, oas31_format_checker, {"pattern": "("}) is not None


def _documents() -> list[dict[str, Any]]:
    valid = load_spec(REPO / "specs" / "aimable.yaml").document
    broken = []
    for mutate in (
        lambda d: d.__setitem__("info", "title"),
        lambda d: d["paths"].__setitem__("no-slash", {}),
        lambda d: d.__setitem__("servers", [{"url": 3}]),
        lambda d: next(iter(d["paths"].values())).__setitem__("get", {"responses": []}),
        lambda d: d.setdefault("components", {}).__setitem__(
            "securitySchemes", {"k": {"type": "x"}}
        ),
    ):
        document = copy.deepcopy(valid)
        mutate(document)
        broken.append(document)
    return [valid, *broken]


@pytest.mark.parametrize("spec_cls", [OpenAPIV31SpecValidator, OpenAPIV30SpecValidator])
def test_structural_errors_match_upstream(spec_cls: Any) -> None:
    schema = spec_cls.schema_validator.schema
    upstream = validator_for(schema)(schema)
    verdicts = []
    for document in _documents():
        document = dict(
            document, openapi="3.1.0" if spec_cls is OpenAPIV31SpecValidator else "3.0.3"
        )
        expected = [e.message for e in upstream.iter_errors(document)]
        assert [e.message for e in metaschemas.structural_errors(spec_cls, document)] == expected
        verdicts.append(not expected)
    assert verdicts[0] is True or spec_cls is OpenAPIV30SpecValidator
    assert not all(verdicts)


def test_the_fast_paths_are_in_use() -> None:
    """jsonschema-rs is a dependency; losing it would only be slower, so say so here."""
    assert metaschemas._structural(OpenAPIV31SpecValidator)[1] is not None
    assert metaschemas._rust_validator(OAS31Validator.META_SCHEMA, oas31_format_checker) is not None
    python = metaschemas._structural(OpenAPIV31SpecValidator)[0]
    assert python._resolver._registry._uncrawled == type(python._resolver._registry._uncrawled)()

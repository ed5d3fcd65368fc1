"""Fast paths for openapi-spec-validator's two JSON Schema checks, with the same verdicts.

openapi-spec-validator checks a document against the OpenAPI schema, then each Schema Object
against the OpenAPI dialect's meta-schema; on Notte's API that was 1.2 s of jsonschema, most of
it crawling the meta-schemas again and again: a ``$dynamicRef`` (every 3.1 schema has one) is
looked up in a registry that is crawled anew for each lookup, and a new validator with a new
registry is built for every Schema Object. Two changes, neither alters a verdict:

* the Python validators start from a registry crawled once (:func:`crawled`) and are built
  once per process;
* jsonschema-rs, given the same schemas, the same resources and the same format checks,
  answers "valid" first; only a document or schema it finds invalid goes through the Python
  validator, whose error is the one reported. Should jsonschema-rs be missing or refuse a
  schema, everything goes through Python.

The registry is reached through jsonschema's ``_resolver`` and referencing's private fields;
should a future release move them, :func:`crawled` returns the validator unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, partial
from typing import Any

from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped,unused-ignore]
from jsonschema.validators import validator_for  # type: ignore[import-untyped,unused-ignore]
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_schema_validator.validators import check_openapi_schema

__all__ = ["crawled", "fast_schema_checker", "structural_errors"]

Checker = Callable[[Any], None]


def crawled(validator: Any) -> Any:
    """``validator`` with every reference of its schema and meta-schemas crawled up front."""
    resolver = getattr(validator, "_resolver", None)
    registry = getattr(resolver, "_registry", None)
    base_uri = getattr(resolver, "_base_uri", None)
    if registry is None or base_uri is None or not hasattr(registry, "crawl"):
        return validator
    return validator.evolve(_resolver=registry.crawl().resolver(base_uri=base_uri))


def structural_errors(spec_validator_cls: Any, document: Any) -> Iterator[Any]:
    """What ``spec_validator_cls.schema_validator.iter_errors(document)`` yields."""
    python, rust = _structural(spec_validator_cls)
    if rust is not None and _rust_says_valid(rust, document):
        return iter(())
    return iter(python.iter_errors(document))


@cache
def _structural(spec_validator_cls: Any) -> tuple[Any, Any]:
    schema = spec_validator_cls.schema_validator.schema  # the OpenAPI schema of the version
    python = crawled(validator_for(schema)(schema))  # as openapi-spec-validator builds it
    return python, _rust_validator(schema, None)


def fast_schema_checker(checker: Checker) -> Checker:
    """The same check as openapi-spec-validator's ``checker`` for one Schema Object, with one
    meta-schema validator reused for every schema. Checkers of other kinds (a plain JSON
    Schema dialect named by ``$schema``) are returned unchanged."""
    func: Any = checker
    kwargs: dict[str, Any] = {}
    if isinstance(checker, partial):
        func, kwargs = checker.func, dict(checker.keywords)
    cls: Any = getattr(func, "__self__", None)
    if getattr(func, "__func__", None) is not check_openapi_schema or set(kwargs) - {
        "format_checker"
    }:
        return checker
    return _openapi_checker(cls, kwargs.get("format_checker", cls.FORMAT_CHECKER))


@cache
def _openapi_checker(cls: Any, format_checker: Any) -> Checker:
    """What ``check_openapi_schema(cls, schema, format_checker)`` does, built once."""
    meta_cls = validator_for(cls.META_SCHEMA, default=cls)
    python = crawled(
        meta_cls(cls.META_SCHEMA, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS)
    )
    rust = _rust_validator(cls.META_SCHEMA, format_checker)

    def check(schema: Any) -> None:
        if rust is not None and _rust_says_valid(rust, schema):
            return
        for error in python.iter_errors(schema):
            raise SchemaError.create_from(error)

    return check


# --------------------------------------------------------------------------- jsonschema-rs


def _rust_says_valid(rust: Any, instance: Any) -> bool:
    try:
        return bool(rust.is_valid(instance))
    except Exception:  # a value it cannot read (not JSON-like): let Python decide
        return False


def _rust_validator(schema: Any, format_checker: Any) -> Any:
    """A jsonschema-rs validator for ``schema`` that agrees with jsonschema's, or ``None``.

    Offline, with the same resources as the Python validator (the JSON Schema and OpenAPI
    meta-schemas), and the same format checks: the Python checker's own functions for the
    formats it asserts, every other format an annotation (as in Python, where a format
    without a checker always passes).
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    formats: dict[str, Callable[[str], bool]] = {}
    if format_checker is not None:
        for name in _formats_named(schema):
            if name in format_checker.checkers:
                formats[name] = partial(_conforms, format_checker, name)
            else:
                formats[name] = _anything
    try:
        registry = jsonschema_rs.Registry(
            [(uri, OPENAPI_SPECIFICATIONS.contents(uri)) for uri in OPENAPI_SPECIFICATIONS]
        )
        return jsonschema_rs.validator_for(
            schema,
            registry=registry,
            validate_formats=format_checker is not None,
            formats=formats or None,
            offline=True,
        )
    except Exception:  # a schema or an option it does not support: Python alone
        return None


def _conforms(format_checker: Any, name: str, value: Any) -> bool:
    return bool(format_checker.conforms(value, name))


def _anything(value: Any) -> bool:
    return True


def _formats_named(schema: Any) -> set[str]:
    """Every ``format`` named in ``schema`` and in the meta-schemas it can reach."""
    found: set[str] = set()
    stack = [schema] + [OPENAPI_SPECIFICATIONS.contents(uri) for uri in OPENAPI_SPECIFICATIONS]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found

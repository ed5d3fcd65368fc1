"""Check a loaded document against the OpenAPI 3.0 to 3.2 rules, reporting every finding.

openapi-spec-validator does the checking; this module turns each of its findings into a
:class:`~generator.errors.Finding` with the JSON pointer of the offending node in the file that
was read (through the Swagger 2.0 conversion's source map, when there was one) and its line, and
classifies it (:mod:`.severity`). It never lets the validator reach the network.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped,unused-ignore]
from jsonschema_path import SchemaPath
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.validators import SpecValidator

from ..errors import Finding, SpecError, pointer_from_parts
from ..load import LoadedSpec, line_of, parse_pointer, resolve_parts
from .severity import ERROR_KIND, classify
from .metaschemas import fast_schema_checker, structural_errors

__all__ = ["findings"]

Parts = tuple[str | int, ...]

#: How many findings of each check are kept (a broken file can have thousands).
_MAX_FINDINGS = 2000
_WHERE = "_clientgen_parts"
_VERSION = re.compile(r"3\.([012])\.\d+")


class _RemoteRefused(Exception):
    """Raised instead of fetching: a validated document must be self-contained."""


def _refuse(uri: str) -> Any:
    raise _RemoteRefused(uri)


_OFFLINE_HANDLERS = {"<all_urls>": _refuse, "http": _refuse, "https": _refuse, "file": _refuse}


def findings(spec: LoadedSpec) -> list[Finding]:
    """Every finding of openapi-spec-validator in ``spec``, located and classified, in one run.

    The structural check (the OpenAPI schema of the version) reports every place it rejects;
    the semantic walk (Schema Objects against the dialect, defaults, operation ids, path
    parameters) then runs too, so a spec with seven bad defaults shows all seven at once.
    """
    document = spec.document
    validator_cls = _validator_for(spec)
    out: list[Finding] = []
    for error in itertools.islice(structural_errors(validator_cls, document), _MAX_FINDINGS):
        best = _best([error]) or error
        parts = tuple(best.absolute_path)
        out.append(_finding(spec, parts, _describe(best), classify(best, parts, structural=True)))
    validator = validator_cls(document)
    try:
        for finding in itertools.islice(
            validator.root_validator(validator.schema_path), _MAX_FINDINGS
        ):
            if _repaired_later(finding):
                continue
            parts = _physical(document, getattr(finding, _WHERE, ()))
            out.append(_finding(spec, parts, _describe(finding), classify(finding, parts)))
    except _RemoteRefused as exc:
        out.append(
            _finding(
                spec,
                None,
                f"validation needs the remote document {exc} and "
                "clientgen never fetches; bundle it",
                ERROR_KIND,
            )
        )
    except RecursionError:
        out.append(
            _finding(
                spec,
                None,
                "the document nests too deeply (or recursively) for the " "validator",
                ERROR_KIND,
            )
        )
    except Exception as exc:  # the validator trips over shapes the structural check rejected
        if not out:
            out.append(
                _finding(
                    spec,
                    None,
                    f"the OpenAPI validator failed: " f"{type(exc).__name__}: {exc}",
                    ERROR_KIND,
                )
            )
    unique = {(f.pointer, f.message): f for f in out}
    return sorted(unique.values(), key=lambda f: f.sort_key)


def _finding(spec: LoadedSpec, parts: Parts | None, message: str, kind: str) -> Finding:
    """A finding at ``parts`` of the (converted) document, located in the file that was read."""
    file = str(spec.path)
    if parts is None:
        return Finding(file, None, message, kind)
    where = spec.original_parts(parts)
    return Finding(file, pointer_from_parts(where), message, kind, line_of(spec.source_text, where))


def _validator_for(spec: LoadedSpec) -> type[SpecValidator]:
    """The validator class for the document's ``openapi`` version (3.0.x, 3.1.x or 3.2.x)."""
    document, file = spec.document, str(spec.path)
    if "openapi" not in document:
        raise SpecError(
            file,
            None,
            "no 'openapi' field: is this an OpenAPI document? (expected e.g. openapi: 3.1.0)",
        )
    version = document["openapi"]
    if not isinstance(version, str):
        raise _at(
            spec,
            ("openapi",),
            f"'openapi' must be a string such as \"3.1.0\", not {version!r} (quote it in YAML)",
        )
    match = _VERSION.fullmatch(version)
    if match is None:
        raise _at(
            spec,
            ("openapi",),
            f"unsupported OpenAPI version {version!r}; clientgen reads 2.0 and 3.0.x to 3.2.x",
        )
    return _OFFLINE[match.group(1)]


def _at(spec: LoadedSpec, parts: Parts, message: str) -> SpecError:
    return _finding(spec, parts, message, ERROR_KIND).as_error()


# --------------------------------------------------------------------------- choosing a finding

_UNRESOLVED = re.compile(
    r"Path parameter '(?P<name>[^']*)' for '[^']*' operation in '(?P<url>.*)' was not resolved"
)


_DUPLICATE_ID = re.compile(r"Operation ID '[^']*' for '[^']*' in '.*' is not unique")


def _repaired_later(finding: ValidationError) -> bool:
    """Findings the normalizer repairs (with a warning) instead of refusing the document.

    A ``{name}`` in the path that no parameter declares is typed as a required string there;
    published specs have it (Notte's). A duplicate operationId only names a method, and method
    names are made unique per resource (Autotab's full spec reuses two). A declared path
    parameter missing from the path is not repaired: it stays an error.
    """
    message = str(finding.message)
    if _DUPLICATE_ID.fullmatch(message):
        return True
    match = _UNRESOLVED.fullmatch(message)
    return match is not None and "{" + match["name"] + "}" in match["url"]


# Validators whose message says only "one of several shapes failed": look inside instead.
_VAGUE = frozenset(("oneOf", "anyOf", "allOf", "not", "if", "then", "else", "$ref", "$dynamicRef"))


def _priority(error: ValidationError) -> int:
    if error.validator == "required" and error.message.startswith("'$ref' "):
        return 0  # "not a Reference Object either": true of every non-reference
    return 1 if error.validator in _VAGUE else 2


def _best(errors: Iterable[ValidationError]) -> ValidationError | None:
    """Deepest finding, the specific kind before the vague, the first among equals; then the
    same rule inside a oneOf/anyOf's alternatives, so the message names a concrete problem."""
    best: ValidationError | None = None
    for error in errors:
        if best is None or _rank(error) > _rank(best):
            best = error
    while best is not None and best.context:
        inner = _best(best.context)
        if inner is None or _priority(inner) == 0:
            break
        best = inner
    return best


def _rank(error: ValidationError) -> tuple[int, int]:
    return len(error.absolute_path), _priority(error)


def _describe(error: ValidationError) -> str:
    """The validator's message, with a huge offending fragment replaced by a short summary."""
    message = str(error.message)
    shown = repr(error.instance)
    if len(shown) > 80 and shown in message:
        message = message.replace(shown, _summary(error.instance))
    return message


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(map(str, itertools.islice(value, 6)))
        return f"this object (keys: {keys}{', …' if len(value) > 6 else ''})"
    if isinstance(value, list):
        return f"this list of {len(value)} items"
    return repr(value)[:60] + "…"


# --------------------------------------------------------------------------- locating findings


def _physical(document: Any, parts: Parts) -> Parts:
    """Turn a path the validator walked *through* ``$ref``s into where the node really is."""
    out: list[str | int] = []
    node = document
    for index in range(len(parts) + 1):
        part = parts[index] if index < len(parts) else None
        node, out = _through_refs(document, node, out, part)
        if part is None:
            break
        matched, child = resolve_parts(node, (part,))
        if not matched:
            return tuple(out) + parts[index:]
        out.append(part)
        node = child
    return tuple(out)


def _through_refs(
    document: Any, node: Any, out: list[str | int], part: str | int | None
) -> tuple[Any, list[str | int]]:
    """Follow ``node``'s local reference(s) unless ``part`` is a key of ``node`` itself."""
    for _ in range(32):  # load refused cycles; this is only a guard
        ref = node.get("$ref") if isinstance(node, dict) else None
        if (
            not isinstance(ref, str)
            or not ref.startswith("#")
            or (part is not None and str(part) in node)
        ):
            break
        target = parse_pointer(ref[1:])
        if target is None:
            break
        matched, found = resolve_parts(document, target)
        if matched < len(target):
            break
        node, out = found, list(target)
    return node, out


def _located(base: type[keywords.KeywordValidator]) -> type[keywords.KeywordValidator]:
    """A keyword validator that stamps each finding with where it was found.

    openapi-spec-validator's semantic findings (duplicate operationId, unresolved path
    parameter, bad default, ...) carry no path; the node being checked is the first SchemaPath
    argument. The innermost call stamps first, so the deepest location wins.
    """
    is_value = issubclass(base, keywords.ValueValidator)

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        for error in base.__call__(self, *args, **kwargs):
            if where is not None and not hasattr(error, _WHERE):
                prefix = tuple(where.parts) + (("default",) if is_value else ())
                setattr(error, _WHERE, prefix + tuple(error.absolute_path))
            yield error

    members: dict[str, Any] = {"__call__": __call__}
    if issubclass(base, keywords.SchemaValidator):
        members.update(
            __init__=_schema_validator_init(base), _get_schema_checker=_fast_checker(base)
        )
    return type(base.__name__, (base,), members)


class _Seen(set[int]):
    """The ids of visited schemas: openapi-spec-validator keeps them in lists and asks
    ``in`` for every schema (quadratic); a set with ``append`` is a drop-in."""

    append = set.add


def _schema_validator_init(base: type[keywords.KeywordValidator]) -> Callable[..., None]:
    def __init__(self: Any, registry: Any) -> None:
        base.__init__(self, registry)
        self.visited_schema_ids = _Seen()
        self.meta_checked_schema_ids = _Seen()

    return __init__


def _fast_checker(base: type[keywords.KeywordValidator]) -> Callable[..., Any]:
    def _get_schema_checker(self: Any, schema: Any, schema_value: Any) -> Any:
        return fast_schema_checker(base._get_schema_checker(self, schema, schema_value))  # type: ignore[attr-defined]

    return _get_schema_checker


def _offline(base: type[SpecValidator]) -> type[SpecValidator]:
    """``base`` with located keyword validators and no way to fetch remote documents."""
    located = {name: _located(cls) for name, cls in base.keyword_validators.items()}
    return type(
        base.__name__,
        (base,),
        {"resolver_handlers": _OFFLINE_HANDLERS, "keyword_validators": located},
    )


_OFFLINE: dict[str, type[SpecValidator]] = {
    "0": _offline(OpenAPIV30SpecValidator),
    "1": _offline(OpenAPIV31SpecValidator),
    "2": _offline(OpenAPIV32SpecValidator),
}

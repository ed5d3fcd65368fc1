"""Swagger 2.0 ➜ OpenAPI 3.0.3, with a source map back into the 2.0 document.

The rest of clientgen reads OpenAPI 3.x only, so a 2.0 document is converted as soon as it is
loaded. The conversion is a pure function of the loaded (bundled: local ``$ref``s only) 2.0
document. Every converted node worth locating is recorded in :attr:`Converted.source_map`, so
an error found later in the 3.0 document can name the line of the 2.0 file the user wrote.

Pointers in the source map are :data:`~.pointers.Parts` tuples: keys are ``str``, list indices
``int``; ``()`` is the document root. :func:`original_pointer` accepts a string pointer too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .pointers import Parts, parse_pointer
from .swagger2_params import (
    DEFAULT_MEDIA,
    component_parameters,
    convert_parameters,
    extensions,
    media_types,
    parameter_schema,
)
from .swagger2_schemas import Recorder, convert_schema, copy_tree, deref, rewrite_refs

__all__ = ["OPENAPI_VERSION", "Converted", "convert_swagger2", "nearest_source", "original_pointer"]

OPENAPI_VERSION = "3.0.3"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# Top-level and operation keys that mean the same in both versions and are copied as they are.
_KEPT_TOP = ("info", "tags", "externalDocs", "security")
_KEPT_OPERATION = (
    "tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security",
)  # fmt: skip
_OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


@dataclass(frozen=True)
class Converted:
    """The 3.0 document, where its nodes came from in the 2.0 one, and what was guessed."""

    document: dict[str, Any]
    source_map: Mapping[Parts, Parts]  # converted pointer ➜ original pointer
    warnings: tuple[str, ...] = ()


def convert_swagger2(swagger: Mapping[str, Any]) -> Converted:
    """Convert a bundled Swagger 2.0 document; ``swagger`` itself is left untouched.

    Raises ValueError when ``swagger`` does not say ``swagger: "2.0"``: converting anything
    else would silently produce an empty API.
    """
    if str(swagger.get("swagger")) != "2.0":
        raise ValueError(f"not a Swagger 2.0 document (swagger: {swagger.get('swagger')!r})")
    rec = Recorder()
    rec.map((), ())
    out: dict[str, Any] = {"openapi": OPENAPI_VERSION}
    rec.map(("openapi",), ("swagger",))
    for key in _KEPT_TOP:
        if key in swagger:
            out[key] = copy_tree(swagger[key], (key,), (key,), rec)
    servers = _servers(swagger, swagger.get("schemes"), rec)
    if servers:
        out["servers"] = servers
    out["paths"] = _paths(swagger, rec)
    components = _components(swagger, rec)
    if components:
        out["components"] = components
    out.update(extensions(swagger, (), (), rec))
    rewrite_refs(out, rec)
    return Converted(out, MappingProxyType(rec.source_map), tuple(rec.warnings))


def original_pointer(converted: Converted, pointer: str | Sequence[str | int]) -> Parts:
    """The original 2.0 pointer nearest to ``pointer`` in the converted document: the pointer's
    own record, else its closest recorded parent's (so ``/`` at worst)."""
    parts = parse_pointer(pointer) if isinstance(pointer, str) else tuple(pointer)
    if parts is None:
        return ()
    return nearest_source(converted.document, converted.source_map, parts)


def nearest_source(document: Any, source_map: Mapping[Parts, Parts], parts: Parts) -> Parts:
    """Where ``parts`` of a converted ``document`` came from: its own record in ``source_map``,
    else its closest recorded parent's."""
    parts = indexed(document, parts)
    for length in range(len(parts), -1, -1):
        found = source_map.get(parts[:length])
        if found is not None:
            return found
    return ()


def indexed(document: Any, parts: Parts) -> Parts:
    """``parts`` with list indices as ints, the way they are recorded (a string pointer has
    only strings)."""
    out: list[str | int] = []
    node = document
    for part in parts:
        if isinstance(node, list) and str(part).isdigit():
            out.append(int(part))
            node = node[int(part)] if int(part) < len(node) else None
        else:
            out.append(part)
            node = node.get(str(part)) if isinstance(node, dict) else None
    return tuple(out)


def _mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def _servers(swagger: Mapping[str, Any], schemes: Any, rec: Recorder) -> list[dict[str, Any]]:
    """``host``/``basePath``/``schemes`` ➜ servers: relative without a host, else one per
    scheme, https first (the one a client should pick by default)."""
    base = str(swagger.get("basePath") or "").rstrip("/")
    host = swagger.get("host")
    if not host:
        if not base:
            return []
        rec.map(("servers",), ("basePath",))
        return [{"url": base}]
    rec.map(("servers",), ("host",))
    names = [s for s in schemes if isinstance(s, str)] if isinstance(schemes, list) else []
    if not names:
        rec.warn(("host",), "no schemes: assuming https")
        names = ["https"]
    names.sort(key=lambda s: (s != "https", s != "http"))
    return [{"url": f"{s}://{host}{base}"} for s in dict.fromkeys(names)]


def _paths(swagger: Mapping[str, Any], rec: Recorder) -> dict[str, Any]:
    """Every path item; path-level parameters are merged into each operation."""
    rec.map(("paths",), ("paths",))
    out: dict[str, Any] = {}
    for path, item in (swagger.get("paths") or {}).items():
        if isinstance(item, dict):
            new, old = ("paths", path), ("paths", path)
            rec.map(new, old)
            out[path] = _path_item(swagger, item, new, old, rec)
    return out


def _path_item(
    swagger: Mapping[str, Any], item: dict[str, Any], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """One path item: its operations and extensions."""
    item, target = deref(swagger, item)
    if target is not None:
        old = target
    out: dict[str, Any] = {}
    shared = [(p, old + ("parameters", i)) for i, p in enumerate(item.get("parameters") or [])]
    for method in METHODS:
        if isinstance(item.get(method), dict):
            at, was = new + (method,), old + (method,)
            rec.map(at, was)
            out[method] = _operation(swagger, item[method], shared, at, was, rec)
    out.update(extensions(item, new, old, rec))
    return out


def _operation(
    swagger: Mapping[str, Any],
    op: dict[str, Any],
    shared: list[tuple[Any, Parts]],
    new: Parts,
    old: Parts,
    rec: Recorder,
) -> dict[str, Any]:
    """One operation: kept fields, parameters and request body, responses, servers."""
    out = {k: copy_tree(op[k], new + (k,), old + (k,), rec) for k in _KEPT_OPERATION if k in op}
    consumes = media_types(op, "consumes", media_types(swagger, "consumes", []))
    produces = media_types(op, "produces", media_types(swagger, "produces", [DEFAULT_MEDIA]))
    own = [(p, old + ("parameters", i)) for i, p in enumerate(op.get("parameters") or [])]
    params, body = convert_parameters(swagger, shared, own, consumes, new, rec)
    if params:
        out["parameters"] = params
    if body is not None:
        out["requestBody"] = body
    out["responses"] = _responses(op.get("responses") or {}, produces, new, old, rec)
    if "schemes" in op and op["schemes"] != swagger.get("schemes"):
        servers = _servers(swagger, op["schemes"], rec)
        if servers:
            rec.map(new + ("servers",), old + ("schemes",))
            out["servers"] = servers
    out.update(extensions(op, new, old, rec))
    return out


def _responses(
    responses: Mapping[Any, Any], produces: list[str], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """Responses by status code; YAML integer codes (Docker's spec) become strings."""
    new, old = new + ("responses",), old + ("responses",)
    rec.map(new, old)
    out: dict[str, Any] = {}
    for code, response in responses.items():
        at, was = new + (str(code),), old + (str(code),)
        if str(code).startswith("x-"):
            out[str(code)] = copy_tree(response, at, was, rec)
        elif isinstance(response, dict):
            out[str(code)] = _response(response, produces, at, was, rec)
    if not out:
        rec.warn(old, "no responses: a default response without content is assumed")
        out["default"] = {"description": "Default response"}
    return out


def _response(
    response: dict[str, Any], produces: list[str], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """One response: ``schema`` under every produced media type, headers with schemas."""
    rec.map(new, old)
    if "$ref" in response:
        return {"$ref": response["$ref"]}
    out: dict[str, Any] = {"description": str(response.get("description", ""))}
    rec.map(new + ("description",), old + ("description",))
    if "schema" in response:
        out["content"] = _content(response, produces, new, old, rec)
    elif response.get("examples"):
        rec.warn(old + ("examples",), "examples without a schema: dropped")
    if isinstance(response.get("headers"), dict):
        out["headers"] = {
            name: _header(h, new + ("headers", name), old + ("headers", name), rec)
            for name, h in response["headers"].items()
            if isinstance(h, dict)
        }
    out.update(extensions(response, new, old, rec))
    return out


def _content(
    response: dict[str, Any], produces: list[str], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """The response schema under every produced media type, each with its example; a media
    type that only has an example is added too (Docker's JSON errors on binary endpoints)."""
    examples = _mapping(response.get("examples"))
    extra = [m for m in examples if m not in produces]
    for media in extra:
        rec.warn(
            old + ("examples", media), f"example for {media!r}, not produced: media type added"
        )
    content = {}
    for media in [*produces, *extra]:
        at = new + ("content", media)
        rec.map(at, old + ("schema",))
        schema = convert_schema(response["schema"], at + ("schema",), old + ("schema",), rec)
        content[media] = {"schema": schema}
        if media in examples:
            was = old + ("examples", media)
            content[media]["example"] = copy_tree(examples[media], at + ("example",), was, rec)
    return content


def _header(header: dict[str, Any], new: Parts, old: Parts, rec: Recorder) -> dict[str, Any]:
    """A 2.0 response header (typed like a parameter) ➜ a 3.0 header with a schema."""
    rec.map(new, old)
    out: dict[str, Any] = {}
    if "description" in header:
        out["description"] = header["description"]
    out["schema"] = parameter_schema(header, new + ("schema",), old, rec)
    out.update(extensions(header, new, old, rec))
    return out


def _components(swagger: Mapping[str, Any], rec: Recorder) -> dict[str, Any]:
    """definitions, parameters, responses and securityDefinitions ➜ components; whatever the
    loader bundled into ``components`` from other files is converted the same way."""
    bundled = _mapping(swagger.get("components"))
    out: dict[str, Any] = {}
    schemas = _section(swagger, "definitions", ("components", "schemas"), rec)
    schemas.update(_section(bundled, "schemas", ("components", "schemas"), rec, ("components",)))
    if schemas:
        out["schemas"] = schemas
    produces = media_types(swagger, "produces", [DEFAULT_MEDIA])
    consumes = media_types(swagger, "consumes", [])
    for source, old in ((swagger, ()), (bundled, ("components",))):
        for kind, section in component_parameters(source, consumes, old, rec).items():
            out.setdefault(kind, {}).update(section)
        responses = source.get("responses")
        if isinstance(responses, dict):
            section_out = out.setdefault("responses", {})
            for name, response in responses.items():
                at, was = ("components", "responses", name), old + ("responses", name)
                section_out[name] = _response(response, produces, at, was, rec)
    schemes = _security_schemes(swagger.get("securityDefinitions") or {}, rec)
    if schemes:
        out["securitySchemes"] = schemes
    return {k: v for k, v in out.items() if v}


def _section(
    source: Mapping[str, Any], key: str, new: Parts, rec: Recorder, old: Parts = ()
) -> dict[str, Any]:
    """A map of named schemas, each converted and recorded."""
    section = source.get(key)
    if not isinstance(section, dict):
        return {}
    rec.map(new, old + (key,))
    return {n: convert_schema(s, new + (n,), old + (key, n), rec) for n, s in section.items()}


def _security_schemes(definitions: Mapping[str, Any], rec: Recorder) -> dict[str, Any]:
    """securityDefinitions ➜ securitySchemes: basic is http basic, OAuth2 gets its flow."""
    new, old = ("components", "securitySchemes"), ("securityDefinitions",)
    rec.map(new, old)
    out: dict[str, Any] = {}
    for name, scheme in definitions.items():
        if isinstance(scheme, dict):
            at, was = new + (name,), old + (name,)
            rec.map(at, was)
            out[name] = _security_scheme(scheme, at, was, rec)
    return out


def _security_scheme(
    scheme: dict[str, Any], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """One security scheme."""
    kind = scheme.get("type")
    out: dict[str, Any]
    if kind == "basic":
        out = {"type": "http", "scheme": "basic"}
    elif kind == "apiKey":
        out = {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in")}
    elif kind == "oauth2" and scheme.get("flow") in _OAUTH2_FLOWS:
        flow, urls = _OAUTH2_FLOWS[scheme["flow"]]
        body = {u: scheme.get(u, "") for u in urls}
        body["scopes"] = copy_tree(
            scheme.get("scopes") or {}, new + ("flows", flow, "scopes"), old + ("scopes",), rec
        )
        out = {"type": "oauth2", "flows": {flow: body}}
    else:
        rec.warn(
            old, f"unknown security scheme type {kind!r} (flow {scheme.get('flow')!r}): kept as is"
        )
        out = {k: v for k, v in scheme.items() if not k.startswith("x-")}
    if "description" in scheme:
        out["description"] = scheme["description"]
    out.update(extensions(scheme, new, old, rec))
    return out

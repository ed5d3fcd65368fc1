"""Swagger 2.0 ➜ OpenAPI 3.0 parameters: typed parameters get a ``schema`` and a ``style``,
``in: body`` and ``in: formData`` parameters become the operation's ``requestBody``.

Used by :mod:`.swagger2`, for operations and for the document's shared ``parameters``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .pointers import Parts
from .swagger2_schemas import Recorder, convert_schema, copy_tree, deref

__all__ = [
    "DEFAULT_MEDIA",
    "component_parameters",
    "convert_parameters",
    "extensions",
    "media_types",
]

DEFAULT_MEDIA = "application/json"
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
# Keys of a 2.0 parameter (or header, or items object) that describe its value: the schema.
_SCHEMA_KEYS = (
    "type", "format", "enum", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "multipleOf", "title", "example",
)  # fmt: skip
_DELIMITED = {"ssv": "spaceDelimited", "pipes": "pipeDelimited"}
_Located = tuple[Any, Parts]  # a parameter as written, and its pointer in the 2.0 document


def media_types(node: Mapping[str, Any], key: str, default: list[str]) -> list[str]:
    """The ``consumes``/``produces`` list of ``node``, else ``default``."""
    value = node.get(key)
    if isinstance(value, list) and value:
        return [str(v) for v in dict.fromkeys(value)]
    return default


def convert_parameters(
    swagger: Mapping[str, Any],
    shared: list[_Located],
    own: list[_Located],
    consumes: list[str],
    new: Parts,
    rec: Recorder,
) -> tuple[list[Any], dict[str, Any] | None]:
    """An operation's parameters (path-level ones merged in, the operation's winning) and its
    request body built from the body or formData parameters."""
    merged: dict[tuple[Any, Any], tuple[Any, Parts, Any, Parts | None]] = {}
    for param, old in [*shared, *own]:
        resolved, target = deref(swagger, param)
        if isinstance(resolved, dict):
            merged[(resolved.get("name"), resolved.get("in"))] = (param, old, resolved, target)
        else:
            rec.warn(old, "parameter is not an object: dropped")
    params: list[Any] = []
    bodies: list[tuple[Any, Parts, Any, Parts | None]] = []
    form: list[tuple[dict[str, Any], Parts]] = []
    for param, old, resolved, target in merged.values():
        where = resolved.get("in")
        if where == "body":
            bodies.append((param, old, resolved, target))
        elif where == "formData":
            form.append((resolved, old))
        else:
            at = new + ("parameters", len(params))
            if target is not None and _is_component(target):
                rec.map(at, old)
                params.append({"$ref": param["$ref"]})
            else:
                params.append(_parameter(resolved, at, old, rec))
    if bodies and form:
        rec.warn(form[0][1], "formData parameters beside a body parameter: ignored")
    global_consumes = media_types(swagger, "consumes", [DEFAULT_MEDIA])
    if bodies:
        param, old, resolved, target = bodies[-1]
        at = new + ("requestBody",)
        if target is not None and _is_component(target) and consumes in ([], global_consumes):
            rec.map(at, old)
            return params, {"$ref": param["$ref"]}
        return params, request_body(resolved, consumes or [DEFAULT_MEDIA], at, old, rec)
    if form:
        return params, _form_body(form, consumes, new + ("requestBody",), rec)
    return params, None


def _is_component(target: Parts) -> bool:
    """Whether a parameter reference leads to the shared ``parameters`` (so a ref stays)."""
    return target[:1] == ("parameters",) or target[:2] == ("components", "parameters")


def component_parameters(
    source: Mapping[str, Any], consumes: list[str], old: Parts, rec: Recorder
) -> dict[str, dict[str, Any]]:
    """The shared ``parameters``: typed ones ➜ components.parameters, body ones ➜
    components.requestBodies; formData ones are inlined into each request body that uses them."""
    section = source.get("parameters")
    out: dict[str, dict[str, Any]] = {"parameters": {}, "requestBodies": {}}
    if not isinstance(section, dict):
        return out
    for name, param in section.items():
        was = old + ("parameters", name)
        if not isinstance(param, dict) or param.get("in") == "formData":
            continue
        if param.get("in") == "body":
            at = ("components", "requestBodies", name)
            out["requestBodies"][name] = request_body(
                param, consumes or [DEFAULT_MEDIA], at, was, rec
            )
        else:
            out["parameters"][name] = _parameter(
                param, ("components", "parameters", name), was, rec
            )
    return out


def _parameter(param: dict[str, Any], new: Parts, old: Parts, rec: Recorder) -> dict[str, Any]:
    """A typed (query, path, header) parameter: its type becomes ``schema``, its
    ``collectionFormat`` becomes ``style``/``explode``."""
    rec.map(new, old)
    where = param.get("in")
    out: dict[str, Any] = {
        k: param[k] for k in ("name", "in", "description", "required") if k in param
    }
    if where == "query" and "allowEmptyValue" in param:
        out["allowEmptyValue"] = param["allowEmptyValue"]
    if where == "path" and param.get("required") is not True:
        rec.warn(old, "path parameter not marked required: made required, as 3.0 demands")
        out["required"] = True
    out["schema"] = parameter_schema(param, new + ("schema",), old, rec)
    out.update(_style(param, str(where), old, rec))
    out.update(extensions(param, new, old, rec))
    return out


def parameter_schema(param: Mapping[str, Any], new: Parts, old: Parts, rec: Recorder) -> Any:
    """The schema of a typed 2.0 parameter, header or items object; ``type: file`` is binary."""
    if isinstance(param.get("schema"), dict):
        return convert_schema(param["schema"], new, old + ("schema",), rec)
    rec.map(new, old)
    schema: dict[str, Any] = {}
    for key in _SCHEMA_KEYS:
        if key in param:
            schema[key] = copy_tree(param[key], new + (key,), old + (key,), rec)
    if schema.get("type") == "file":
        schema.update(type="string", format="binary")
    if isinstance(param.get("x-nullable"), bool):
        schema["nullable"] = param["x-nullable"]
    items = param.get("items")
    if isinstance(items, dict):
        if "$ref" in items:
            schema["items"] = convert_schema(items, new + ("items",), old + ("items",), rec)
        else:
            schema["items"] = parameter_schema(items, new + ("items",), old + ("items",), rec)
        if items.get("collectionFormat", "csv") != "csv":
            rec.warn(old + ("items",), "collectionFormat of nested arrays has no 3.0 form: dropped")
    return schema


def _style(param: Mapping[str, Any], where: str, old: Parts, rec: Recorder) -> dict[str, Any]:
    """collectionFormat ➜ style/explode (csv is the 2.0 default, so arrays always get one)."""
    if param.get("type") != "array":
        return {}
    fmt = param.get("collectionFormat", "csv")
    query_like = where in ("query", "formData")
    if fmt == "multi" and query_like:
        return {"style": "form", "explode": True}
    if fmt in _DELIMITED and query_like:
        return {"style": _DELIMITED[fmt], "explode": False}
    if fmt != "csv":
        rec.warn(
            old + ("collectionFormat",),
            f"collectionFormat {fmt!r} has no OpenAPI 3.0 equivalent for {where} parameters: "
            "treated as csv",
        )
    return {"style": "form", "explode": False} if query_like else {"style": "simple"}


def request_body(
    param: Mapping[str, Any], media: list[str], new: Parts, old: Parts, rec: Recorder
) -> dict[str, Any]:
    """An ``in: body`` parameter ➜ a request body with its schema under every media type."""
    rec.map(new, old)
    out: dict[str, Any] = {}
    if "description" in param:
        out["description"] = param["description"]
    schema = param.get("schema", {})
    out["content"] = {
        m: {
            "schema": convert_schema(schema, new + ("content", m, "schema"), old + ("schema",), rec)
        }
        for m in media
    }
    if param.get("required") is True:
        out["required"] = True
    if "name" in param:
        out["x-codegen-request-body-name"] = param["name"]
    out.update(extensions(param, new, old, rec))
    return out


def _form_body(
    form: list[tuple[dict[str, Any], Parts]], consumes: list[str], new: Parts, rec: Recorder
) -> dict[str, Any]:
    """formData parameters ➜ one object schema, multipart when a file is sent or asked for."""
    rec.map(new, form[0][1])
    properties: dict[str, Any] = {}
    encoding: dict[str, Any] = {}
    required: list[str] = []
    for param, old in form:
        name = str(param.get("name"))
        schema = parameter_schema(param, new + ("properties", name), old, rec)
        if "description" in param:
            schema["description"] = param["description"]
        properties[name] = schema
        if param.get("required") is True:
            required.append(name)
        style = _style(param, "formData", old, rec)
        if style:
            encoding[name] = style
    schema_out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema_out["required"] = required
    content = {}
    for media in _form_media(form, consumes, rec):
        at = new + ("content", media)
        rec.map(at + ("schema",), form[0][1])
        for name, old in ((str(p.get("name")), o) for p, o in form):
            rec.map(at + ("schema", "properties", name), old)
        content[media] = {"schema": schema_out}
        if encoding and media == _FORM:
            content[media]["encoding"] = encoding
    return {"content": content, "required": True} if required else {"content": content}


def _form_media(
    form: list[tuple[dict[str, Any], Parts]], consumes: list[str], rec: Recorder
) -> list[str]:
    """multipart/form-data whenever a file is sent; else the form types consumes names, else
    application/x-www-form-urlencoded."""
    wanted = [m for m in consumes if m in (_FORM, _MULTIPART)]
    if any(p.get("type") == "file" for p, _ in form):
        if wanted and _MULTIPART not in wanted:
            rec.warn(form[0][1], f"file upload but consumes is {consumes}: using {_MULTIPART}")
        return [_MULTIPART]
    if not wanted and consumes:
        rec.warn(form[0][1], f"formData but consumes is {consumes}: using {_FORM}")
    return wanted or [_FORM]


def extensions(node: Mapping[str, Any], new: Parts, old: Parts, rec: Recorder) -> dict[str, Any]:
    """The ``x-`` extensions of ``node``, kept everywhere (but ``x-nullable``, now a keyword)."""
    return {
        k: copy_tree(v, new + (k,), old + (k,), rec)
        for k, v in node.items()
        if isinstance(k, str) and k.startswith("x-") and k != "x-nullable"
    }

"""IR ➜ the client's public surface as plain JSON data, the same bytes for the same API.

The surface is what a user of the generated package can touch: resources by the dotted path
they are reached at (``client.projects.runs``), methods with their arguments (positional or
keyword, type, required), results, the HTTP endpoint behind each, the constructor's auth and
parameters, and every model with its fields. Models are marked by where they travel
(``request``, ``response`` or both): that decides whether a narrower type breaks callers
(requests) or a wider one does (responses). Prose (descriptions, summaries, examples) is kept
only as a digest, enough to call its change a fix without bloating the file.

Types are written as sorted sets of union *members* (``str``, ``int``, ``"a"`` for an enum
value, ``Run``, ``list[Step]``, ``None``) so that reordering a spec changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from ..ir import Api, Operation, Resource

__all__ = ["FORMAT", "Surface", "members", "surface_of"]

#: Bumped when the surface's layout changes; surfaces of another format are not compared.
FORMAT = 1

Surface = dict[str, Any]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WRAPPERS = ("Mapping[str, Any]", "NotGiven")


def surface_of(api: Api, document: Mapping[str, Any] | None = None) -> Surface:
    """The public surface of the client generated from ``api``; with the spec ``document`` it
    was built from, also a digest of the spec's prose (examples never reach the IR)."""
    requests: set[str] = set()
    responses: set[str] = set()
    models = set(api.model_names)
    resources: dict[str, Any] = {}
    for path, resource in _walk("client", api.resources):
        methods = {}
        for op in resource.operations:
            methods[op.method_name] = _method(op)
            requests.update(_named(_request_texts(op), models))
            responses.update(_named([op.result, *(a for _, a in op.errors)], models))
        resources[path] = {"doc": _digest(resource.description), "methods": methods}
    requests.update(_named([p.annotation for p in api.client_params], models))
    schemas = api.model_schemas
    use = {name: [] for name in sorted(schemas)}  # type: dict[str, list[str]]
    for name in sorted(_reachable(requests, schemas)):
        use.setdefault(name, []).append("request")
    for name in sorted(_reachable(responses, schemas)):
        use.setdefault(name, []).append("response")
    return {
        "format": FORMAT,
        "client": api.client_class,
        "package": api.package,
        "base_url": api.servers[0].url if api.servers else None,
        "auth": {s.key: _scheme(s) for s in api.schemes},
        "credentials": {c.name: c.env for c in api.credentials},
        "client_params": {p.name: members(p.annotation) for p in api.client_params},
        "resources": resources,
        "models": {
            name: _model(schemas[name], use[name]) for name in sorted(schemas) if name in use
        },
        "spec_docs": None if document is None else _digest(*sorted(_prose(document, ""))),
    }


_PROSE = frozenset(("description", "summary", "example", "examples", "externalDocs", "title"))


def _prose(node: Any, pointer: str) -> list[str]:
    """``pointer=value`` of every piece of documentation in a spec document."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{pointer}/{key}"
            if key in _PROSE and not isinstance(value, dict) or key in ("example", "examples"):
                out.append(f"{where}={json.dumps(value, sort_keys=True, default=str)}")
            else:
                out += _prose(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _prose(value, f"{pointer}/{index}")
    return out


def _walk(prefix: str, resources: tuple[Resource, ...]) -> list[tuple[str, Resource]]:
    out = []
    for resource in resources:
        path = f"{prefix}.{resource.attr}"
        out.append((path, resource))
        out += _walk(path, resource.children)
    return out


def _method(op: Operation) -> dict[str, Any]:
    args: dict[str, Any] = {}
    position = 0
    for param in op.parameters:
        if param.client_param is not None or param.credential is not None:
            continue  # filled by the client, not an argument
        entry: dict[str, Any] = {"type": members(param.annotation), "required": param.required}
        if param.location == "path":
            entry["position"] = position
            position += 1
        args[param.name] = entry
    if op.body is not None and op.body.fields:
        for field in op.body.fields:
            required = field.required and op.body.required
            args[field.name] = {"type": members(field.annotation), "required": required}
    elif op.body is not None:
        args["body"] = {"type": members(op.body.annotation), "required": op.body.required}
    # prose only: an argument added or removed without a description is no documentation change
    described = [(p.name, p.description) for p in op.parameters if p.description]
    if op.body is not None:
        described += [(f.name, f.description) for f in op.body.fields if f.description]
        described += [("", op.body.description)]
    docs = [op.summary, op.description, *(f"{n}: {d}" for n, d in sorted(described))]
    return {
        "http": f"{op.http_method.upper()} {op.path}",
        "args": args,
        "result": members(op.result if op.result_parsed else "None"),
        "security": None if op.security is None else sorted(sorted(a) for a in op.security),
        "deprecated": op.deprecated,
        "doc": _digest(*docs),
    }


def _request_texts(op: Operation) -> list[str]:
    texts = [p.annotation for p in op.parameters]
    if op.body is not None:
        texts += [op.body.annotation, op.body.model or "", *(f.annotation for f in op.body.fields)]
    return texts


def _scheme(scheme: Any) -> dict[str, Any]:
    return {
        "kind": scheme.kind,
        "credentials": list(scheme.credentials),
        "param": scheme.param,
        "location": scheme.location,
        "prefix": scheme.prefix,
        "token_url": scheme.token_url,
        "flows": sorted(scheme.flows),
        "scopes": sorted(scheme.scopes),
    }


def _model(schema: Any, use: list[str]) -> dict[str, Any]:
    schema = schema if isinstance(schema, dict) else {}
    properties = schema.get("properties")
    out: dict[str, Any] = {"use": use, "digest": _digest(_canonical(schema))}
    if isinstance(properties, dict):
        required = set(schema.get("required") or ())
        out["fields"] = {
            str(key): {"type": schema_members(sub), "required": key in required}
            for key, sub in sorted(properties.items())
        }
    else:
        out["type"] = schema_members(schema)
    return out


def _canonical(schema: Any) -> str:
    """The schema as text that does not depend on key order or the order of ``required``."""

    def norm(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: sorted(map(str, v)) if k == "required" and isinstance(v, list) else norm(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [norm(v) for v in node]
        return node

    return json.dumps(norm(schema), sort_keys=True, ensure_ascii=True, default=str)


def _digest(*texts: str) -> str:
    joined = "\0".join(" ".join(t.split()) for t in texts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# types as member sets


def members(annotation: str) -> list[str]:
    """A Python annotation as the sorted members of its union, enum values spelled out.

    ``Literal["a", "b"] | str | None`` ➜ ``['"a"', '"b"', 'None', 'str']``. The ``Mapping``
    alternative every model argument also accepts is left out: it is a convenience of the
    generated signature, not a type of the API.
    """
    out: set[str] = set()
    for part in _split(annotation.strip(), "|"):
        if part in _WRAPPERS:
            continue
        if part.startswith("Literal[") and part.endswith("]"):
            out.update(_split(part[len("Literal[") : -1], ","))
        elif part:
            out.add(part)
    return sorted(out)


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets and string literals, parts stripped."""
    parts, depth, quote, start = [], 0, "", 0
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
        index += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_FORMATS = {"date-time": "datetime", "date": "date", "binary": "bytes", "uuid": "UUID"}


def schema_members(schema: Any) -> list[str]:
    """A model's JSON schema (as normalized) as the members of its union; see :func:`members`."""
    return sorted(set(_schema_members(schema, 0)))


def _schema_members(schema: Any, depth: int) -> list[str]:
    if not isinstance(schema, dict) or depth > 40:
        return ["Any"]
    if isinstance(schema.get("$ref"), str):
        return [schema["$ref"].rsplit("/", 1)[-1]]
    out: list[str] = []
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            for branch in schema[key]:
                out += _schema_members(branch, depth + 1)
            return out + (["None"] if schema.get("nullable") else [])
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        return _schema_members(schema["allOf"][0], depth + 1)
    if "const" in schema:
        out.append(_value(schema["const"]))
    elif isinstance(schema.get("enum"), list):
        out += [_value(v) for v in schema["enum"]]
    else:
        out += _typed(schema, depth)
    if schema.get("nullable"):
        out.append("None")
    return out


def _typed(schema: dict[str, Any], depth: int) -> list[str]:
    kinds = schema.get("type")
    listed = kinds if isinstance(kinds, list) else [kinds] if isinstance(kinds, str) else []
    if not listed:
        if isinstance(schema.get("properties"), dict) or "additionalProperties" in schema:
            listed = ["object"]
        else:
            return ["Any"]
    out = []
    for kind in listed:
        if kind == "string" and schema.get("format") in _FORMATS:
            out.append(_FORMATS[str(schema["format"])])
        elif kind in _SCALARS:
            out.append(_SCALARS[kind])
        elif kind == "array":
            items = " | ".join(sorted(set(_schema_members(schema.get("items"), depth + 1))))
            out.append(f"list[{items}]")
        elif kind == "object":
            extra = schema.get("additionalProperties")
            values = (
                " | ".join(sorted(set(_schema_members(extra, depth + 1))))
                if isinstance(extra, dict)
                else "Any"
            )
            out.append(f"dict[str, {values}]")
        else:
            out.append("Any")
    return out


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


# --------------------------------------------------------------------------------------------
# which models travel where


def _named(texts: list[str], models: set[str]) -> set[str]:
    return {name for text in texts for name in _NAME.findall(_strip(text)) if name in models}


def _strip(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def _reachable(roots: set[str], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in schemas]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [r for r in _refs(schemas[name]) if r in schemas and r not in seen]
    return seen


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"].rsplit("/", 1)[-1]] if isinstance(node.get("$ref"), str) else []
        for key, value in node.items():
            if key != "$ref":
                out += _refs(value)
        return out
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []

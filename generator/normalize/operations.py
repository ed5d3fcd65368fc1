"""Paths ➜ operations with typed parameters, bodies and results, grouped into resources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .. import names
from ..errors import SpecError
from ..ir import Body, ClientParam, Operation, Parameter, Resource
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .bodies import BodyReader
from .examples import example_of
from .media import accept_of, is_form, is_json
from .naming import (
    HTTP_METHODS,
    NameChoice,
    choose_names,
    operations_of,
    resource_parts,
    tags_group,
)
from .naming import tag_parents as read_tag_parents
from .security import requirements
from .shapes import UNREADABLE, escape, unreadable_reason
from .serialization import serialization
from .wiring import Wiring, upload_body

_IDEMPOTENCY_HEADER = "idempotency-key"
_PLACEHOLDER = re.compile(r"{([^{}/]+)}")


#: Statuses whose answer is "fetch it there" (``Location``); 304 and 300 are not.
_REDIRECTS = frozenset({"301", "302", "303", "307", "308", "3XX", "3xx"})


@dataclass
class _Node:
    """A resource under construction: ``projects`` ➜ ``runs`` ➜ operations."""

    key: str
    description: str = ""
    operations: list[Operation] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)  # the resource keys from the client down
    choices: list[NameChoice] = field(default_factory=list)  # per operation, best name first


class OperationBuilder:
    def __init__(
        self,
        resolver: RefResolver,
        schemas: SchemaNormalizer,
        file: str,
        known_schemes: set[str],
        client_params: dict[str, ClientParam],
        env_prefix: str,
        arguments: names.Scope | None = None,
    ) -> None:
        self._resolver = resolver
        self._schemas = schemas
        self._file = file
        self._known = known_schemes
        self._client_params = client_params  # by JSON name
        self._arguments = arguments if arguments is not None else names.Scope()
        self._env_prefix = env_prefix
        self._root = _Node("")
        raw_tags = resolver.document.get("tags")
        tags = [t for t in raw_tags if isinstance(t, dict)] if isinstance(raw_tags, list) else []
        self._tag_descriptions = {str(t.get("name")): str(t.get("description") or "") for t in tags}
        self._tag_parents = read_tag_parents(tags)
        self._use_tags = True
        self.warnings: list[str] = []
        self.security_warnings: list[str] = []  # requirement alternatives the client cannot apply
        self._operation_ids: set[str] = set()
        self._wiring = Wiring(resolver, schemas)
        self._bodies = BodyReader(resolver, schemas)
        self._result_schema: dict[str, Any] | None = None  # the last single success schema
        self._accept: str | None = None  # the last operation's Accept header (media.accept_of)
        self._redirect = False  # the last operation answers with a redirect only
        self._declared: dict[str, list[str]] = {}  # 2xx media types by status, for the Accept

    # -- walking the spec ---------------------------------------------------------------
    def build(self) -> tuple[Resource, ...]:
        document = self._resolver.document
        global_security = document.get("security")
        found = []
        for path, item in (document.get("paths") or {}).items():
            pointer = f"/paths/{escape(path)}"
            item = self._resolver.deref(item, pointer)
            if isinstance(item, dict):
                found += [(path, item, *each) for each in operations_of(item, pointer)]
        self._use_tags = tags_group([operation for _, _, _, operation, _ in found])
        for path, item, method, operation, where in found:
            self._add(path, method, item, operation, global_security, where)
        client_names = names.Scope(
            [
                "with_raw_response",
                "with_options",
                "close",
                "aclose",
                "base_url",
                "timeout",
                "max_retries",
                *(p.name for p in self._client_params.values()),
                *(["webhooks"] if document.get("webhooks") else []),
            ]
        )
        self.warnings += self._wiring.warnings
        return self._freeze(self._root, client_names, top=True)

    def _add(
        self,
        path: str,
        method: str,
        item: Mapping[str, Any],
        op: Mapping[str, Any],
        global_security: Any,
        pointer: str,
    ) -> None:
        node = self._resource_node(op, path, method)
        raw_id = op.get("operationId")
        choices = choose_names(op, str(raw_id) if raw_id else None, method, path, node.path)
        operation_id = str(op.get("operationId") or f"{method} {path}")
        if operation_id in self._operation_ids:
            self.warnings.append(
                f"{pointer}: operationId {operation_id!r} is used twice; method names stay unique within each resource"
            )
        self._operation_ids.add(operation_id)
        base = names.pascal(operation_id)
        scope = names.Scope()
        parameters = self._parameters(path, item, op, pointer, scope)
        try:
            body = self._bodies.read(op, pointer, base, scope)
        except UNREADABLE as exc:  # a JSON body of any shape: the method is kept, typed loosely
            self._unreadable(pointer + "/requestBody", exc, "the body is typed Any")
            body = Body("application/json", "json", "Any", False)
        body = upload_body(body)
        try:
            result, parsed = self._result(op, pointer, base)
            errors = self._errors(op, pointer, base)
        except UNREADABLE as exc:
            self._unreadable(pointer + "/responses", exc, "the result is typed Any")
            (result, parsed), errors = ("Any", True), ()
            self._accept, self._redirect = None, False
        streaming, pagination, wired = self._wiring.detect(
            op, pointer, base, parameters, body, self._result_schema
        )
        result, parsed = (wired, True) if wired else (result, parsed)
        own = "security" in op  # else the global requirement, warned about once under /security
        security = requirements(
            op["security"] if own else global_security,
            self._known,
            pointer + "/security" if own else "/security",
            self._file,
            self.security_warnings,
        )
        idempotency = next(
            (
                p.json_name
                for p in parameters
                if p.location == "header" and p.json_name.lower() == _IDEMPOTENCY_HEADER
            ),
            None,
        )
        node.choices.append(choices)
        node.operations.append(
            Operation(
                method_name=choices[0],
                operation_id=operation_id,
                http_method=method.upper() if method in HTTP_METHODS else method,
                path=path,
                summary=str(op.get("summary") or ""),
                description=str(op.get("description") or ""),
                parameters=tuple(parameters),
                body=body,
                result=result,
                result_parsed=parsed,
                errors=errors,
                security=security,
                idempotency_header=idempotency,
                deprecated=bool(op.get("deprecated")),
                streaming=streaming,
                pagination=pagination,
                accept=None if streaming else self._accept,
                redirect=self._redirect and not wired,
            )
        )

    def _unreadable(self, pointer: str, exc: BaseException, outcome: str) -> None:
        self.warnings.append(f"{pointer}: cannot be read ({unreadable_reason(exc)}); {outcome}")

    def _resource_node(self, op: Mapping[str, Any], path: str, method: str) -> _Node:
        parts = resource_parts(op, path, self._tag_parents, self._use_tags, method)
        tags = op.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
        node = self._root
        for part in parts:
            node = node.children.setdefault(part, _Node(part, path=[*node.path, part]))
        description = self._tag_descriptions.get(tag, "")
        if description and not node.description:
            node.description = description
        return node

    # -- parameters -------------------------------------------------------------------
    def _parameters(
        self,
        path: str,
        item: Mapping[str, Any],
        op: Mapping[str, Any],
        pointer: str,
        scope: names.Scope,
    ) -> list[Parameter]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for owner, owner_pointer in ((item, pointer.rsplit("/", 1)[0]), (op, pointer)):
            for index, raw in enumerate(owner.get("parameters") or []):
                where = f"{owner_pointer}/parameters/{index}"
                param = self._resolver.deref(raw, where)
                if not isinstance(param, dict) or "name" not in param or "in" not in param:
                    raise SpecError(self._file, where, "a parameter needs 'name' and 'in'")
                merged[(str(param["in"]), str(param["name"]))] = (param, where)
        for name in _PLACEHOLDER.findall(path):
            if ("path", name) not in merged:  # undeclared: a string, as the URL template implies
                self.warnings.append(
                    f"{pointer}: path parameter {name!r} is not declared; typed as str"
                )
                merged[("path", name)] = (
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}},
                    pointer,
                )
        ordered = sorted(
            merged.values(),
            key=lambda pw: (not pw[0].get("required", False) and pw[0]["in"] != "path"),
        )
        return [self._parameter(param, where, scope) for param, where in ordered]

    def _parameter(self, param: dict[str, Any], where: str, scope: names.Scope) -> Parameter:
        location = param["in"]
        if location not in ("path", "query", "querystring", "header", "cookie"):
            raise SpecError(self._file, where + "/in", f"unknown parameter location {location!r}")
        json_name = str(param["name"])
        schema = param.get("schema")
        content = param.get("content")
        if schema is None and isinstance(content, dict) and content:
            media_type, media = next(iter(content.items()))
            schema = media.get("schema") if isinstance(media, dict) else None
            if location == "querystring" and not is_form(media_type):
                self.warnings.append(
                    f"{where}: a querystring parameter encoded as {media_type!r} is sent "
                    "form-encoded (its fields as the query's keys)"
                )
        normalized = self._schemas.normalize(
            schema or {}, names.pascal(json_name), where + "/schema"
        )
        annotation = self._schemas.annotation(normalized, loose_models=True)
        required = bool(param.get("required")) or location == "path"
        client_param = self._client_param(param, json_name, annotation)
        credential = param.get("x-clientgen-credential")
        return Parameter(
            name=scope.claim(names.argument(json_name, fallback="param")),
            json_name=json_name,
            location=location,
            annotation=annotation,
            required=required and credential is None,  # a client-level value: needed or not
            description=str(param.get("description") or ""),
            client_param=client_param,
            credential=names.snake(credential) if isinstance(credential, str) else None,
            deprecated=bool(param.get("deprecated")),
            example=example_of(param, self._resolver.deref(schema, where + "/schema")),
            **serialization(param, location, normalized, self._schemas.resolve_model),
        )

    def _client_param(
        self, param: Mapping[str, Any], json_name: str, annotation: str
    ) -> str | None:
        declared = param.get("x-clientgen-client-param")
        if not declared and not param.get("x-speakeasy-globals-hidden"):
            return None
        if json_name not in self._client_params:
            name = self._arguments.claim(names.snake(json_name))
            env = declared.get("env") if isinstance(declared, dict) else None
            env_name = (
                names.snake(env).upper()
                if isinstance(env, str)
                else f"{self._env_prefix}_{name.upper()}"
            )
            self._client_params[json_name] = ClientParam(
                name=name,
                json_name=json_name,
                annotation=annotation,
                env=env_name,
                description=str(param.get("description") or ""),
            )
        return self._client_params[json_name].name

    # -- responses --------------------------------------------------------------------
    def _responses(
        self, op: Mapping[str, Any], pointer: str
    ) -> list[tuple[str, dict[str, Any] | None, str]]:
        out = []
        self._declared = {}
        responses = op.get("responses")
        for status, raw in (responses if isinstance(responses, dict) else {}).items():
            where = f"{pointer}/responses/{status}"
            response = self._resolver.deref(raw, where)
            content = self._bodies.content(response, where)
            schema: dict[str, Any] | None = None
            if isinstance(content, dict) and content:
                self._declared[str(status)] = [str(m) for m in content]
                json_type = next((m for m in content if is_json(m)), None)
                if json_type is not None:
                    media = self._bodies.media(
                        content[json_type], f"{where}/content/{escape(json_type)}"
                    )
                    schema = media.get("schema", {}) or {}
                    where = f"{where}/content/{escape(json_type)}/schema"
                elif all(m.split(";")[0].strip().lower().startswith("text/") for m in content):
                    schema = {"type": "string"}  # text/plain, text/csv: the body as str
                else:
                    schema = {"type": "string", "format": "binary"}
            out.append((str(status), schema, where))
        return out

    def _result(self, op: Mapping[str, Any], pointer: str, base: str) -> tuple[str, bool]:
        responses = self._responses(op, pointer)
        success = [r for r in responses if r[0].startswith("2") or r[0].upper() == "2XX"]
        self._redirect = not success and any(r[0] in _REDIRECTS for r in responses)
        if self._redirect:  # GitHub's archive downloads: the answer is where to fetch it
            self._result_schema, self._accept = None, None
            return "str", True
        if not success:
            success = [r for r in responses if r[0] == "default"]
        annotations: list[str] = []
        parsed = False
        self._result_schema = None
        self._accept = accept_of(m for r in success for m in self._declared.get(r[0], []))
        for status, schema, where in success:
            if schema is None:
                continue
            parsed = True
            hint = base + "Response" if len(success) == 1 else f"{base}Response{status}"
            normalized = self._schemas.normalize(schema, hint, where)
            self._result_schema = normalized if len(success) == 1 else None
            text = self._schemas.annotation(normalized)
            if text not in annotations:
                annotations.append(text)
        result = " | ".join(annotations) if annotations else "None"
        if "Any" in annotations:
            result = "Any"
        return result, parsed

    def _errors(
        self, op: Mapping[str, Any], pointer: str, base: str
    ) -> tuple[tuple[str, str], ...]:
        errors = []
        for status, schema, where in self._responses(op, pointer):
            if status.startswith("2") or schema is None:
                continue
            hint = f"{base}Error{names.pascal(status, fallback='Status')}"
            errors.append(
                (status, self._schemas.annotation(self._schemas.normalize(schema, hint, where)))
            )
        return tuple(errors)

    # -- resources --------------------------------------------------------------------
    def _freeze(self, node: _Node, scope: names.Scope, top: bool = False) -> tuple[Resource, ...]:
        resources = []
        for key, child in node.children.items():
            attr = scope.claim(names.snake(key, fallback="resource"))
            class_name = self._schemas.claim_name(names.pascal(key) + "Resource")
            method_scope = names.Scope()
            operations = tuple(
                _renamed(op, _claim(method_scope, choices))
                for op, choices in zip(child.operations, child.choices, strict=True)
            )
            child_scope = names.Scope(method_scope_names(operations))
            resources.append(
                Resource(
                    attr=attr,
                    class_name=class_name,
                    description=child.description,
                    operations=operations,
                    children=self._freeze(child, child_scope),
                    module=names.module_name(attr) if top else "",
                )
            )
        return tuple(resources)


def method_scope_names(operations: tuple[Operation, ...]) -> list[str]:
    return [op.method_name for op in operations] + ["with_raw_response"]


def _claim(scope: names.Scope, choices: NameChoice) -> str:
    """The first free name of ``choices``; a number only when every one is taken."""
    free = next((name for name in choices if name not in scope), choices[0])
    return scope.claim(free)


def _renamed(op: Operation, name: str) -> Operation:
    return replace(op, method_name=name)

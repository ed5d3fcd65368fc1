"""Operation ➜ the pieces of one generated method (signature, request arguments, docs).

Templates loop over these lists; every decision about what a method looks like is
made here, in Python, so templates stay thin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..ir import Api, Body, Operation, Parameter, Resource
from ..names import literal, snake
from ..storage import LINE_LENGTH

_NAME = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


@dataclass(frozen=True)
class Overload:
    """One ``@overload`` of a method that streams on request (``stream=True``)."""

    params: tuple[str, ...]
    result: str
    async_result: str


@dataclass(frozen=True)
class MethodView:
    name: str
    const: str  # module-level Endpoint constant
    params: tuple[str, ...]  # rendered parameters after self, "*" included
    result: str
    summary: str
    description: str
    arg_docs: tuple[tuple[str, str], ...]
    endpoint_args: tuple[tuple[str, str], ...]  # keyword, python expression
    request_args: tuple[tuple[str, str], ...]  # keyword, python expression
    example: str  # one call, for READMEs
    deprecated: bool
    # streams, downloads and pages (see render/wiring.py); "request": a plain `_request` call
    kind: str = "request"  # "request" | "stream" | "download" | "page" | "choice"
    async_result: str = ""  # the async method's annotation, when it differs from `result`
    endpoint_type: str = ""  # the Endpoint's type argument, when it differs from `result`
    overloads: tuple[Overload, ...] = ()
    stream_const: str = ""  # "choice": the streamed twin of `const`
    stream_endpoint_args: tuple[tuple[str, str], ...] = ()
    condition: str = ""  # "choice": the test that picks the stream, e.g. "stream is True"
    paginator: tuple[tuple[str, str], ...] = ()  # "page": Paginator keyword arguments
    page_item: str = ""
    readme_example: str = ""  # a usage snippet, for streams, downloads, uploads and pages
    doc_example: tuple[str, ...] = ()  # docstring lines of a call with the spec's examples


def method_view(api: Api, op: Operation, const: str) -> MethodView:
    positional = [p for p in op.parameters if p.location == "path" and _is_argument(p)]
    keyword: list[str] = []
    for param in op.parameters:
        if _is_argument(param) and param not in positional:
            keyword.append(_declare(param.name, param.annotation, param.required))
    if op.body is not None and op.body.fields:
        for field in op.body.fields:
            # required by the body's schema: the body is built from these arguments, so it needs
            # them whether or not the spec marks the body itself required (Twilio's To, From)
            keyword.append(_declare(field.name, field.annotation, field.required))
    elif op.body is not None:
        keyword.append(_declare("body", op.body.annotation, op.body.required))
    if op.body is not None and op.body.choice_arg:
        choices = ", ".join(literal(m.media_type) for m in op.body.media)
        default = literal(op.body.media[0].media_type)
        keyword.append(f"{op.body.choice_arg}: Literal[{choices}] = {default}")
    keyword += [
        "extra_headers: Headers | None = None",
        "extra_query: Query | None = None",
        "timeout: Timeout | NotGiven = NOT_GIVEN",
        "max_retries: int | NotGiven = NOT_GIVEN",
    ]
    params = [f"{p.name}: {p.annotation}" for p in positional]
    keyword.sort(key=lambda text: "=" in text)  # required keywords first
    params += ["*", *keyword]
    return MethodView(
        name=op.method_name,
        const=const,
        params=tuple(params),
        result=op.result,
        summary=op.summary or op.operation_id,
        description=_description(op),
        arg_docs=_arg_docs(op),
        endpoint_args=_endpoint_args(op),
        request_args=_request_args(api, op),
        example=_example(op),
        deprecated=op.deprecated,
    )


def _description(op: Operation) -> str:
    text = op.description if op.description != op.summary else ""
    if op.redirect:
        note = "Returns the URL the server redirects to (the redirect is not followed)."
        text = f"{text}\n\n{note}" if text else note
    return text


def _is_argument(param: Parameter) -> bool:
    return param.client_param is None and param.credential is None


def _declare(name: str, annotation: str, required: bool) -> str:
    return f"{name}: {annotation}" if required else f"{name}: {annotation} | NotGiven = NOT_GIVEN"


def _arg_docs(op: Operation) -> tuple[tuple[str, str], ...]:
    docs = [(p.name, p.description) for p in op.parameters if _is_argument(p) and p.description]
    if op.body is not None:
        docs += [(f.name, f.description) for f in op.body.fields if f.description]
    return tuple(docs)


def _endpoint_args(op: Operation) -> tuple[tuple[str, str], ...]:
    security = (
        "()"
        if not op.security
        else "("
        + "".join("(" + "".join(f"{literal(s)}, " for s in alt) + "), " for alt in op.security)
        + ")"
    )
    errors = "{" + ", ".join(f"{literal(status)}: {ann}" for status, ann in op.errors) + "}"
    args = [
        ("method", literal(op.http_method)),
        ("path", literal(op.path)),
        ("result", op.result if op.result_parsed else "None"),
    ]
    if op.errors:
        args.append(("errors", errors))
    styles = query_styles(op)
    if styles:
        args.append(("query_styles", styles))
    if op.security:
        args.append(("security", security))
    if op.idempotency_header:
        args.append(("idempotency_header", literal(op.idempotency_header)))
    if op.body is not None:
        args.append(("body_encoding", literal(op.body.encoding)))
        if op.body.checked:
            args.append(("body_type", op.body.checked))
        args += _media_args(op.body)
    if op.accept:
        args.append(("accept", literal(op.accept)))
    if op.redirect:
        args.append(("redirect", "True"))
    return tuple(args)


# what the runtime sends for each encoding when an Endpoint names no media type
_DEFAULT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
    "binary": "application/octet-stream",
    "text": "text/plain",
}


def _media_args(body: Body) -> list[tuple[str, str]]:
    """``media_types=`` (a choice, or a media type other than the encoding's usual one, such as
    text/csv or application/merge-patch+json), ``body_styles=`` and ``part_types=``."""
    args = []
    media = body.media
    if len(media) > 1 or (
        media
        and media[0].media_type.split(";")[0].strip().lower() != _DEFAULT_TYPES[media[0].encoding]
    ):
        entries = ", ".join(f"{literal(m.media_type)}: {literal(m.encoding)}" for m in media)
        args.append(("media_types", "{" + entries + "}"))
    styles = [style for m in media for style in m.styles]
    if styles:
        args.append(("body_styles", "{" + ", ".join(_form_style(*s) for s in styles) + "}"))
    part_types = [part for m in media for part in m.part_types]
    if part_types:
        entries = ", ".join(f"{literal(name)}: {literal(kind)}" for name, kind in part_types)
        args.append(("part_types", "{" + entries + "}"))
    return args


def _form_style(name: str, style: str, explode: bool, reserved: bool) -> str:
    args = [literal(style)] if style != "form" else []
    if not explode and style not in ("json", "deepObject"):
        args.append("explode=False")
    if reserved:
        args.append("allow_reserved=True")
    return f"{literal(name)}: QueryStyle({', '.join(args)})"


def query_styles(op: Operation) -> str:
    """``{"color": QueryStyle(...)}`` for the query parameters the runtime's default misses."""
    entries = []
    for p in op.parameters:
        if p.location != "query" or not (
            p.structured or p.allow_reserved or p.style != "form" or not p.explode
        ):
            continue
        args = [literal(p.style)] if p.style != "form" else []
        if not p.explode and p.style != "json":
            args.append("explode=False")
        if p.allow_reserved:
            args.append("allow_reserved=True")
        entries.append(f"{literal(p.json_name)}: QueryStyle({', '.join(args)})")
    return "{" + ", ".join(entries) + "}" if entries else ""


def _value(api: Api, param: Parameter) -> str:
    if param.client_param is not None and not param.required:
        return f"self._client.{param.client_param}"  # unset: left out of the request
    if param.client_param is not None:
        env = next(c.env for c in api.client_params if c.name == param.client_param)
        return f"require(self._client.{param.client_param}, {literal(param.client_param)}, {literal(env)})"
    if param.credential is not None:
        return f"credential(self._client, {literal(param.credential)})"
    return param.name


def _mapping(api: Api, params: list[Parameter]) -> str:
    return "{" + ", ".join(f"{literal(p.json_name)}: {_value(api, p)}" for p in params) + "}"


def _request_args(api: Api, op: Operation) -> tuple[tuple[str, str], ...]:
    args: list[tuple[str, str]] = []
    for location, keyword in (
        ("path", "path_params"),
        ("query", "query"),
        ("header", "headers"),
        ("cookie", "cookies"),
    ):
        params = [p for p in op.parameters if p.location == location]
        whole = [p for p in op.parameters if p.location == "querystring" and location == "query"]
        if whole:  # 3.2: one object is the whole query string; named query parameters join it
            spread = ", ".join(f"**query_string({_value(api, p)})" for p in whole)
            named = _mapping(api, params)[1:-1]
            args.append((keyword, "{" + spread + (", " + named if named else "") + "}"))
        elif params:
            args.append((keyword, _mapping(api, params)))
    if op.body is not None and op.body.fields and op.body.model:
        args.append(("body", _build_body(op.body)))
    elif op.body is not None and op.body.fields:  # a multipart body with files, sent as it is
        values = "{" + ", ".join(f"{literal(f.json_name)}: {f.name}" for f in op.body.fields) + "}"
        args.append(("body", values))
    elif op.body is not None:
        args.append(("body", "body"))
    args.append(
        (
            "options",
            "RequestOptions(extra_headers=extra_headers, extra_query=extra_query, "
            "timeout=timeout, max_retries=max_retries"
            + (
                f", content_type={op.body.choice_arg})"
                if op.body is not None and op.body.choice_arg
                else ")"
            ),
        )
    )
    return tuple(args)


def _build_body(body: Body) -> str:
    """``build_body(Model, {json name: argument}[, {json name: argument name}])``.

    The third argument names arguments in error messages where they differ from the JSON
    names; an optional body of optional fields is not sent when none is given.
    """
    values = "{" + ", ".join(f"{literal(f.json_name)}: {f.name}" for f in body.fields) + "}"
    renamed = [f for f in body.fields if f.name != f.json_name]
    args = [body.model or "", values]
    if renamed:
        args.append(
            "{" + ", ".join(f"{literal(f.json_name)}: {literal(f.name)}" for f in renamed) + "}"
        )
    helper = "build_body"
    if not body.required and not any(f.required for f in body.fields):
        helper = "build_optional_body"
    return f"{helper}({', '.join(args)})"


def _example(op: Operation) -> str:
    parts = []
    for param in op.parameters:
        if _is_argument(param) and param.required:
            value = param.example or _placeholder(param.annotation, param.json_name)
            parts.append(f"{param.name}={value}")
    if op.body is not None and op.body.fields:
        parts += [
            f"{f.name}={f.example or _placeholder(f.annotation, f.json_name)}"
            for f in op.body.fields
            if f.required
        ]
    elif op.body is not None and op.body.required:
        parts.append(f"body={_placeholder(op.body.annotation, 'body')}")
    return ", ".join(parts)


_DOC_ARGS = 5  # a docstring's example shows the required arguments, and examples up to this
_DOC_WIDTH = LINE_LENGTH - 12  # the example's lines are indented 12 (16 for each argument)


def doc_example(op: Operation, call: str) -> tuple[str, ...]:
    """A short call of ``call`` for the method's docstring, when the spec gives examples for
    its arguments: the required ones (an example, else the README's placeholder) and optional
    ones with an example. Values are escaped literals (``names.example_literal``); a line
    that would not fit is left out (an optional argument) or leaves no example at all."""
    args: list[tuple[str, bool, bool]] = []  # (name=value, required, from the spec)
    for param in op.parameters:
        if _is_argument(param) and (param.required or param.example):
            value = param.example or _placeholder(param.annotation, param.json_name)
            args.append((f"{param.name}={value}", param.required, param.example is not None))
    if op.body is not None and op.body.fields:
        for f in op.body.fields:
            if f.required or f.example:
                value = f.example or _placeholder(f.annotation, f.json_name)
                args.append((f"{f.name}={value}", f.required, f.example is not None))
    elif op.body is not None and op.body.required:
        args.append((f"body={_placeholder(op.body.annotation, 'body')}", True, False))
    room = _DOC_ARGS - sum(required for _, required, _ in args)
    kept = []
    for text, required, from_spec in args:
        if not required and room <= 0:
            continue
        room -= 0 if required else 1
        kept.append((text.replace("\\", "\\\\"), required, from_spec))  # shown as written
    if not any(from_spec for _, _, from_spec in kept):
        return ()
    one = f"{call}({', '.join(text for text, _, _ in kept)})"
    if len("await " + one) <= _DOC_WIDTH:
        return (one,)
    lines = [f"{call}("]
    for text, required, _ in kept:
        if len(text) + 5 <= _DOC_WIDTH:
            lines.append(f"    {text},")
        elif required:
            return ()
    return (*lines, ")") if '"""' not in "".join(lines) else ()


def _placeholder(annotation: str, json_name: str) -> str:
    first_literal = _FIRST_LITERAL.match(annotation)  # first: a value may hold " | " or ","
    if first_literal:
        return first_literal.group(1)
    first = annotation.split(" | ")[0]
    if first in ("FileContent", "FileTypes"):
        return 'open("upload.bin", "rb")'
    if first == "str":
        return literal(snake(json_name, fallback="value").replace("_", "-"))
    if first == "int":
        return "1"
    if first == "float":
        return "1.0"
    if first == "bool":
        return "True"
    if first.startswith("list["):
        return "[]"
    return "{}"


_FIRST_LITERAL = re.compile(r'Literal\[("(?:[^"\\]|\\.)*"|[^,\]]+)')


def qualify_builtins(view: MethodView, shadowed: frozenset[str]) -> MethodView:
    """``view`` with builtin type names written ``builtins.X`` (a method of the class is named X)."""
    if not shadowed:
        return view
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])(' + "|".join(sorted(shadowed)) + r")\b")

    def qualify(text: str) -> str:
        return pattern.sub(lambda m: f"builtins.{m.group(1)}" if m.group(1) else m.group(0), text)

    def param(text: str) -> str:
        name, sep, rest = text.partition(": ")
        return f"{name}{sep}{qualify(rest)}" if sep else text

    return replace(
        view,
        params=tuple(param(p) for p in view.params),
        result=qualify(view.result),
        async_result=qualify(view.async_result),
        endpoint_type=qualify(view.endpoint_type),
        page_item=qualify(view.page_item),
        overloads=tuple(
            Overload(tuple(param(p) for p in o.params), qualify(o.result), qualify(o.async_result))
            for o in view.overloads
        ),
        stream_endpoint_args=tuple(
            (k, qualify(v) if k in ("result", "errors", "events") else v)
            for k, v in view.stream_endpoint_args
        ),
        endpoint_args=tuple(
            (k, qualify(v) if k in ("result", "errors") else v) for k, v in view.endpoint_args
        ),
    )


def model_names_used(texts: list[str], model_names: set[str]) -> list[str]:
    """Model classes named in annotations and expressions, sorted."""
    used: set[str] = set()
    for text in texts:
        used.update(n for n in _NAME.findall(_strip_strings(text)) if n in model_names)
    return sorted(used)


def _strip_strings(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def walk(resources: tuple[Resource, ...]) -> list[Resource]:
    out = []
    for resource in resources:
        out.append(resource)
        out += walk(resource.children)
    return out

"""Methods that stream, download or page: what :func:`signatures.method_view` gives them on top.

- A stream (SSE, JSON lines) returns ``Stream[Item]`` / ``AsyncStream[Item]`` through
  ``client._stream``; its ``Endpoint`` says ``stream=``, ``events=``, ``terminator=``.
- A download returns ``BinaryResponse`` / ``AsyncBinaryResponse`` through ``client._download``.
- A method whose response is JSON or a stream, chosen by a body field (``stream``), gets two
  ``@overload``s (``stream: Literal[True]`` ➜ the stream, ``Literal[False] | NotGiven`` ➜ the
  model) and two endpoints.
- A paginated method returns ``SyncPage[Item]`` (sync) or ``AsyncPager[Item]`` (a plain ``def``
  in async resources) with a module-level ``Paginator``.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from ..ir import Api, Operation, Pagination, Streaming
from ..names import literal
from .layout import lay_out_import
from .signatures import MethodView, Overload

_PAGINATOR_DEFAULTS = {
    "items_path": "data",
    "location": "query",
    "offset_param": "offset",
    "page_param": "page",
    "cursor_param": "cursor",
    "limit_param": "limit",
    "default_limit": None,
    "next_cursor_path": None,
    "next_url_path": None,
    "has_more_path": None,
    "total_path": None,
    "first_page": 1,
}


def wire(view: MethodView, op: Operation, call: str) -> MethodView:
    """``view`` for a streamed, downloaded or paginated ``op``; ``call``: ``client.x.y``."""
    if op.streaming is not None and op.streaming.format == "binary":
        return replace(
            view,
            kind="download",
            result="BinaryResponse",
            async_result="AsyncBinaryResponse",
            endpoint_type="bytes",
            endpoint_args=_with(view.endpoint_args, result="bytes", stream=literal("binary")),
            readme_example=(
                f"with {call}({view.example}) as response:\n"
                '    response.write_to_file("download.bin")  # or .read(), .iter_bytes()'
            ),
        )
    if op.streaming is not None and op.streaming.condition is None:
        item = op.streaming.item
        return replace(
            view,
            kind="stream",
            result=f"Stream[{item}]",
            async_result=f"AsyncStream[{item}]",
            endpoint_type=item,
            endpoint_args=_stream_args(view.endpoint_args, op.streaming),
            readme_example=_stream_example(call, view.example),
        )
    if op.streaming is not None:
        return _choice(view, op, op.streaming, call)
    if op.pagination is not None:
        return _page(view, op.pagination, call)
    if view.example and "open(" in view.example:
        return replace(view, readme_example=f"result = {call}({view.example})")
    return view


def _with(args: tuple[tuple[str, str], ...], **changes: str) -> tuple[tuple[str, str], ...]:
    out = [(k, changes.pop(k, v)) for k, v in args]
    return tuple(out + list(changes.items()))


def _stream_args(
    args: tuple[tuple[str, str], ...], streaming: Streaming
) -> tuple[tuple[str, str], ...]:
    extra = {"stream": literal(streaming.format)}
    if streaming.events:
        extra["events"] = "{" + ", ".join(f"{literal(k)}: {v}" for k, v in streaming.events) + "}"
    if streaming.terminator is not None:
        extra["terminator"] = literal(streaming.terminator)
    return _with(args, result=streaming.item, **extra)


def _stream_example(call: str, example: str) -> str:
    return (
        f"with {call}({example}) as stream:\n"
        "    for event in stream:  # async: `async with await ...` and `async for`\n"
        "        print(event)"
    )


def _choice(view: MethodView, op: Operation, streaming: Streaming, call: str) -> MethodView:
    name = streaming.condition or "stream"
    position = next(i for i, p in enumerate(view.params) if p.startswith(f"{name}: "))

    def with_param(text: str) -> tuple[str, ...]:
        return view.params[:position] + (text,) + view.params[position + 1 :]

    item = streaming.item
    if streaming.streams_by_default:
        to_stream, to_json = (
            f"{name}: Literal[True] | NotGiven = NOT_GIVEN",
            f"{name}: Literal[False]",
        )
        condition = f"{name} is not False"
    else:
        to_stream, to_json = (
            f"{name}: Literal[True]",
            f"{name}: Literal[False] | NotGiven = NOT_GIVEN",
        )
        condition = f"{name} is True"
    json_result = view.result
    example = ", ".join(p for p in (view.example, f"{name}=True") if p)
    return replace(
        view,
        kind="choice",
        result=f"{json_result} | Stream[{item}]",
        async_result=f"{json_result} | AsyncStream[{item}]",
        endpoint_type=json_result if op.result_parsed else "None",
        overloads=(
            Overload(with_param(to_stream), f"Stream[{item}]", f"AsyncStream[{item}]"),
            Overload(with_param(to_json), json_result, json_result),
        ),
        stream_const=view.const + "_STREAM",
        stream_endpoint_args=_stream_args(view.endpoint_args, streaming),
        condition=condition,
        readme_example=_stream_example(call, example),
    )


def _page(view: MethodView, page: Pagination, call: str) -> MethodView:
    args = [("style", literal(page.style))]
    for field in fields(Pagination):
        if field.name in ("style", "item", "source"):
            continue
        value = getattr(page, field.name)
        if field.name in _PAGINATOR_DEFAULTS and value != _PAGINATOR_DEFAULTS[field.name]:
            args.append((field.name, literal(value) if isinstance(value, str) else repr(value)))
    return replace(
        view,
        kind="page",
        endpoint_type=view.result,
        result=f"SyncPage[{page.item}]",
        async_result=f"AsyncPager[{page.item}]",
        paginator=tuple(args),
        page_item=page.item,
        readme_example=(
            f"for item in {call}({view.example}):  # every item, pages requested as needed\n"
            "    print(item)\n"
            f"# async: `async for item in {call}(...)`; or page by page with `.iter_pages()`"
        ),
    )


def texts(views: list[MethodView]) -> list[str]:
    """Annotations and expressions these views add (for the imports of a resource module)."""
    out: list[str] = []
    for view in views:
        out += [view.async_result, view.page_item, view.endpoint_type]
        out += [p for o in view.overloads for p in o.params]
        out += [v for _, v in view.stream_endpoint_args]
    return out


def runtime_imports(views: list[MethodView], all_texts: list[str]) -> list[str]:
    """The runtime names a resource module needs for these views."""
    kinds = {v.kind for v in views}
    joined = " ".join(all_texts + [v.result for v in views] + [v.async_result for v in views])
    lines = []
    if "download" in kinds:
        lines.append("from .._binary import AsyncBinaryResponse, BinaryResponse")
    if "page" in kinds:
        lines.append("from .._pagination import AsyncPage, AsyncPager, Paginator, SyncPage")
    streaming = [n for n in ("AsyncStream", "ServerSentEvent", "Stream") if _names(n, joined)]
    if streaming:
        lines.append(f"from .._streaming import {', '.join(streaming)}")
    return lines


def file_types(all_texts: list[str]) -> list[str]:
    """``FileContent`` / ``FileTypes`` when an upload argument names them."""
    joined = " ".join(all_texts)
    return [n for n in ("FileContent", "FileTypes") if _names(n, joined)]


def _names(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){name}\b", text) is not None


_EXPORTS = {
    "stream": ("._streaming", ("AsyncStream", "ServerSentEvent", "Stream")),
    "choice": ("._streaming", ("AsyncStream", "ServerSentEvent", "Stream")),
    "download": ("._binary", ("AsyncBinaryResponse", "BinaryResponse")),
    "page": ("._pagination", ("AsyncPage", "AsyncPager", "SyncPage")),
}
_IDENTIFIER = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])([A-Za-z_]\w*)')


def package_context(api: Api, views: list[MethodView]) -> dict[str, object]:
    """What ``_client.py``, ``__init__.py`` and the README need for streams, pages, webhooks."""
    modules: dict[str, set[str]] = {}
    for view in views:
        if view.kind in _EXPORTS:
            module, exported = _EXPORTS[view.kind]
            modules.setdefault(module, set()).update(exported)
    if api.webhooks is not None:
        modules.setdefault("._webhooks", set()).update(
            ("Webhooks", "WebhookError", "WebhookHeaderError", "WebhookPayloadError")
        )
        modules["._webhooks"].update(("WebhookSignatureError", "WebhookTimestampError"))
    exports = sorted(n for names in modules.values() for n in names)
    imports = [lay_out_import(m, sorted(n)) for m, n in sorted(modules.items())]
    return {
        "exports": exports,
        "export_imports": imports,
        "webhooks": _webhooks(api) if api.webhooks is not None else None,
        "streaming_ops": [v for v in views if v.readme_example],
    }


def _webhooks(api: Api) -> dict[str, object]:
    assert api.webhooks is not None
    models = set(api.model_names)

    def spell(text: str, prefix: str) -> str:
        return _IDENTIFIER.sub(
            lambda m: f"{prefix}{m.group(1)}" if m.group(1) in models else m.group(0), text
        )

    hooks = api.webhooks
    args: list[tuple[str, str]] = []
    if hooks.discriminator:
        mapping = ", ".join(f"{literal(e.name)}: {spell(e.model, 'models.')}" for e in hooks.events)
        args += [("events", "{" + mapping + "}"), ("discriminator", literal(hooks.discriminator))]
    else:
        args.append(("event", spell(hooks.event_type, "models.")))
    if not hooks.signed:
        args.append(("require_signature", "False"))
    return {"annotation": spell(hooks.event_type, "_models."), "args": args, "spec": hooks}


__all__ = ["file_types", "package_context", "runtime_imports", "texts", "wire"]

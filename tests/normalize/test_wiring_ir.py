"""Streams, downloads, uploads, pages and webhooks as the normalizer sees them (the IR)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.config import client_config
from generator.ir import Api, Operation
from generator.pipeline import build_api
from generator.render.signatures import walk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wiring"


def _api(spec: Path, tmp_path: Path) -> Api:
    return build_api(client_config(spec, output=tmp_path / "o", version="1"))


def _ops(api: Api) -> dict[str, Operation]:
    return {op.operation_id: op for r in walk(api.resources) for op in r.operations}


def _doc(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Path:
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths, **extra}
    spec = tmp_path / "t.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    return spec


def test_pagination_styles_from_each_extension_and_link_headers(tmp_path: Path) -> None:
    ops = _ops(_api(FIXTURES / "paged.yaml", tmp_path))
    pages = {k: op.pagination for k, op in ops.items() if op.pagination}
    assert {k: (p.style, p.items_path, p.item, p.source) for k, p in pages.items()} == {
        "list_offset": ("offset", "data", "Item", "x-speakeasy-pagination"),
        "list_pages": ("page", "data", "Item", "x-fern-pagination"),
        "list_cursor": ("cursor", "data", "Item", "x-fern-pagination"),
        "list_next": ("next_url", "results", "Item", "x-clientgen-pagination"),
        "list_link": ("link", "$", "Item", "Link header"),
    }
    assert pages["list_cursor"].next_cursor_path == "meta.next"
    assert pages["list_cursor"].cursor_param == "after"
    assert pages["list_pages"].limit_param == "per_page"


def test_streams_downloads_uploads_and_the_stream_switch(tmp_path: Path) -> None:
    ops = _ops(_api(FIXTURES / "paged.yaml", tmp_path))
    chat = ops["chat"].streaming
    assert chat is not None and (chat.format, chat.item, chat.condition) == (
        "sse",
        "Item",
        "stream",
    )
    assert chat.terminator == "[DONE]" and ops["chat"].result == "Item"
    assert ops["get_file"].streaming is not None and ops["get_file"].streaming.format == "binary"
    assert ops["put_file"].body is not None and ops["put_file"].body.annotation == "FileContent"
    upload = ops["upload"].body
    assert upload is not None and upload.model is None
    assert [f.annotation for f in upload.fields] == ["FileTypes", "str"]


def test_sse_item_schema_gives_the_event_mapping(tmp_path: Path) -> None:
    op = _ops(_api(FIXTURES / "agent-events.yaml", tmp_path))["stream_run_events"]
    assert op.streaming is not None
    assert op.streaming.events == (("step", "StepEvent"), ("done", "DoneEvent"))
    assert op.result == "StepEvent | DoneEvent"


def test_envelope_schema_raw_events_jsonl_and_switches(tmp_path: Path) -> None:
    def response(content: dict[str, Any]) -> dict[str, Any]:
        return {"responses": {"200": {"description": "ok", "content": content}}}

    item = {"type": "object", "properties": {"n": {"type": "integer"}}}
    paths = {
        "/raw": {"get": {"operationId": "raw", **response({"text/event-stream": {}})}},
        "/text": {
            "get": {
                "operationId": "text",
                **response(
                    {"text/event-stream": {"schema": {"properties": {"data": {"type": "string"}}}}}
                ),
            }
        },
        "/lines": {
            "get": {
                "operationId": "lines",
                **response({"application/x-ndjson": {"schema": {"type": "array", "items": item}}}),
            }
        },
        "/off": {
            "get": {
                "operationId": "off",
                "x-clientgen-stream": False,
                "x-clientgen-pagination": False,
                **response({"text/event-stream": {}}),
            }
        },
    }
    ops = _ops(_api(_doc(tmp_path, paths), tmp_path))
    assert ops["raw"].streaming is not None and ops["raw"].result == "ServerSentEvent"
    assert ops["text"].result == "str"
    lines = ops["lines"].streaming
    assert lines is not None and lines.format == "jsonl" and ops["lines"].result != "Any"
    assert ops["off"].streaming is None and ops["off"].pagination is None


def test_webhooks_union_is_discriminated_and_a_secret_is_offered(tmp_path: Path) -> None:
    api = _api(FIXTURES / "paged.yaml", tmp_path)
    assert api.webhooks is not None
    assert [(e.name, e.model) for e in api.webhooks.events] == [
        ("item.created", "ItemCreated"),
        ("item.deleted", "ItemDeleted"),
    ]
    assert api.webhooks.event_type == "WebhookEvent" and not api.webhooks.signed
    assert "webhook_secret" in [c.name for c in api.credentials]
    signed = _doc(
        tmp_path, {}, webhooks={}, **{"x-speakeasy-webhooks": {"security": {"type": "signature"}}}
    )
    assert _api(signed, tmp_path).webhooks is None  # no events: nothing to unwrap

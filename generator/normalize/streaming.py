"""Streamed and downloaded responses: server-sent events, JSON lines, binary bodies.

Rules, in order (the first 2xx response with content is read):

- ``x-clientgen-stream: false`` on the operation: never a stream. ``x-clientgen-stream:
  {terminator: "[DONE]", format: sse}`` on the operation or on the media type adds a terminator
  (or forces a format).
- ``text/event-stream`` ➜ ``sse``; ``application/jsonl``, ``application/x-ndjson``,
  ``application/stream+json`` ➜ ``jsonl``; ``application/json-seq`` ➜ ``json-seq``.
- ``x-fern-streaming`` (Cohere): ``format: sse`` (else JSON lines), ``terminator``,
  ``stream-condition: $request.<field>``, ``response`` (the JSON result) and
  ``response-stream`` (one item).
- The item of an SSE stream: 3.2's ``itemSchema`` (an event object: its ``data`` property,
  decoded as JSON when it declares ``contentMediaType: application/json`` / ``contentSchema``),
  else the response ``schema`` (an event envelope ``{event, data}`` read as ``itemSchema``,
  anything else as the decoded ``data``), else ``ServerSentEvent``. A ``oneOf`` item schema
  whose branches pin ``event`` to a constant gives the ``events`` mapping.
- JSON lines: ``itemSchema``, else the ``schema``'s ``items`` (an array), else the schema
  itself, else ``Any``.
- A response that also offers JSON streams only when asked: the body field named by the fern
  condition, else a boolean body field ``stream``; without one the JSON result is kept.
- No JSON and no stream type: a binary body (``application/octet-stream``, ``image/*``,
  ``application/pdf``, ``format: binary``; not ``text/*``) ➜ a download (``BinaryResponse``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..ir import Body, StreamFormat, Streaming
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .shapes import escape

STREAM_TYPES: Mapping[str, StreamFormat] = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/stream+json": "jsonl",
    "application/json-seq": "json-seq",
}
_ENVELOPE = {"event", "data", "id", "retry"}


def _base(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def _is_json(media_type: str) -> bool:
    base = _base(media_type)
    return base == "application/json" or (base.endswith("+json") and base not in STREAM_TYPES)


class StreamDetector:
    def __init__(self, resolver: RefResolver, schemas: SchemaNormalizer) -> None:
        self._resolver = resolver
        self._schemas = schemas

    def _annotation(self, schema: Any, hint: str, pointer: str) -> str:
        return self._schemas.annotation(self._schemas.normalize(schema, hint, pointer))

    def _deref(self, raw: Any, pointer: str) -> dict[str, Any]:
        value = self._resolver.deref(raw, pointer)
        return value if isinstance(value, dict) else {}

    def detect(
        self, op: Mapping[str, Any], pointer: str, base: str, body: Body | None
    ) -> tuple[Streaming | None, str | None]:
        """The operation's stream (or download), and the JSON result to use instead of the
        spec's when a fern extension names it."""
        overlay = op.get("x-clientgen-stream")
        if overlay is False:
            return None, None
        overlay = overlay if isinstance(overlay, dict) else {}
        status, content, where = self._success_content(op, pointer)
        fern = op.get("x-fern-streaming")
        if isinstance(fern, dict):
            return self._fern(op, fern, content, where, base, body, overlay)
        if content is None:
            return None, None
        streamed = [(m, STREAM_TYPES[_base(m)]) for m in content if _base(m) in STREAM_TYPES]
        forced = overlay.get("format")
        if not streamed and forced in ("sse", "jsonl", "json-seq") and content:
            streamed = [(next(iter(content)), forced)]
        if not streamed:
            return self._download(content, where), None
        media_type, fmt = streamed[0]
        mwhere = f"{where}/content/{escape(media_type)}"
        media = self._deref(content[media_type], mwhere)
        own = media.get("x-clientgen-stream")
        terminator = _terminator(own) or _terminator(overlay)
        if fmt == "sse":
            item, events = self._sse_item(media, mwhere, base)
        else:
            item, events = self._lines_item(media, mwhere, base), ()
        condition, default = None, False
        if any(_is_json(m) for m in content):
            condition, default = self._condition(op, pointer, body, "stream")
            if condition is None:
                return None, None  # JSON or a stream, and no way to ask: JSON, as before
        return (
            Streaming(
                format=fmt,
                item=item,
                events=events,
                terminator=terminator,
                condition=condition,
                streams_by_default=default,
                source=f"{status} {_base(media_type)}",
            ),
            None,
        )

    # -- the pieces ------------------------------------------------------------------
    def _success_content(
        self, op: Mapping[str, Any], pointer: str
    ) -> tuple[str, dict[str, Any] | None, str]:
        responses = op.get("responses")
        if not isinstance(responses, dict):
            return "", None, pointer
        for status, raw in responses.items():
            if not str(status).startswith("2"):
                continue
            where = f"{pointer}/responses/{status}"
            content = self._deref(raw, where).get("content")
            if isinstance(content, dict) and "$ref" in content:  # the whole map by reference
                content = self._deref(content, where + "/content")
            if isinstance(content, dict) and content:
                return str(status), content, where
        return "", None, pointer

    def _sse_item(
        self, media: dict[str, Any], where: str, base: str
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        if "itemSchema" in media:
            return self._envelope(media["itemSchema"], f"{where}/itemSchema", base)
        if "schema" not in media:
            return "ServerSentEvent", ()
        schema = self._deref(media["schema"], f"{where}/schema")
        props = schema.get("properties")
        if isinstance(props, dict) and "data" in props and set(props) <= _ENVELOPE:
            return self._envelope(media["schema"], f"{where}/schema", base)
        if not schema:
            return "ServerSentEvent", ()
        return self._annotation(media["schema"], base + "StreamEvent", f"{where}/schema"), ()

    def _envelope(self, raw: Any, where: str, base: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """An SSE event object (``event``, ``data``, ...): the type of ``data``, and the event
        names of a ``oneOf`` whose branches pin ``event``."""
        schema = self._deref(raw, where)
        branches = schema.get("oneOf") or schema.get("anyOf")
        if isinstance(branches, list) and branches:
            events: list[tuple[str, str]] = []
            items: list[str] = []
            for index, branch in enumerate(branches):
                bwhere = f"{where}/{'oneOf' if 'oneOf' in schema else 'anyOf'}/{index}"
                resolved = self._deref(branch, bwhere)
                item = self._data(resolved, bwhere, f"{base}Event{index + 1}")
                items.append(item)
                for name in _pinned(self._deref(_props(resolved).get("event"), bwhere)):
                    events.append((name, item))
            item = " | ".join(dict.fromkeys(items))
            return item, tuple(events) if len(events) >= len(branches) else ()
        return self._data(schema, where, base + "StreamEvent"), ()

    def _data(self, event: dict[str, Any], where: str, hint: str) -> str:
        data = _props(event).get("data")
        if data is None:
            return "ServerSentEvent"
        dwhere = f"{where}/properties/data"
        resolved = self._deref(data, dwhere)
        if "contentSchema" in resolved:
            return self._annotation(resolved["contentSchema"], hint, dwhere + "/contentSchema")
        media = str(resolved.get("contentMediaType") or "")
        if media and _is_json(media):
            return "Any"
        if resolved.get("type") == "string" and not media:
            return "str"
        return self._annotation(data, hint, dwhere)

    def _lines_item(self, media: dict[str, Any], where: str, base: str) -> str:
        if "itemSchema" in media:
            return self._annotation(media["itemSchema"], base + "Item", f"{where}/itemSchema")
        if "schema" not in media:
            return "Any"
        schema = self._deref(media["schema"], f"{where}/schema")
        if schema.get("type") == "array" and "items" in schema:
            return self._annotation(schema["items"], base + "Item", f"{where}/schema/items")
        if not schema:
            return "Any"
        return self._annotation(media["schema"], base + "Item", f"{where}/schema")

    def _condition(
        self, op: Mapping[str, Any], pointer: str, body: Body | None, field: str
    ) -> tuple[str | None, bool]:
        """The Python name of the body field that asks for the stream, and its default."""
        if body is None:
            return None, False
        found = next((f for f in body.fields if f.json_name == field), None)
        if found is None:
            return None, False
        default = False
        raw_body = self._deref(op.get("requestBody"), pointer + "/requestBody")
        for media in (raw_body.get("content") or {}).values():
            schema = self._deref(self._deref(media, pointer).get("schema"), pointer)
            for part in [schema, *(self._deref(s, pointer) for s in schema.get("allOf") or [])]:
                sub = self._deref(_props(part).get(field), pointer)
                default = default or sub.get("default") is True
        return found.name, default

    def _fern(
        self,
        op: Mapping[str, Any],
        fern: dict[str, Any],
        content: dict[str, Any] | None,
        where: str,
        base: str,
        body: Body | None,
        overlay: dict[str, Any],
    ) -> tuple[Streaming | None, str | None]:
        fmt: StreamFormat = "sse" if fern.get("format") == "sse" else "jsonl"
        stream_schema = fern.get("response-stream")
        if stream_schema is None:
            return None, None
        item = self._annotation(stream_schema, base + "StreamEvent", where + "/x-fern-streaming")
        result = None
        if isinstance(fern.get("response"), dict):
            result = self._annotation(fern["response"], base + "Response", where)
        condition_text = str(fern.get("stream-condition") or "")
        field = condition_text.removeprefix("$request.").strip() or "stream"
        condition, default = self._condition(op, where, body, field)
        if condition is None:
            return None, None
        streaming = Streaming(
            format=fmt,
            item=item,
            terminator=_terminator(fern) or _terminator(overlay),
            condition=condition,
            streams_by_default=default,
            source="x-fern-streaming",
        )
        return streaming, result

    def _download(self, content: dict[str, Any], where: str) -> Streaming | None:
        if any(_is_json(m) or _base(m) in ("*/*", "text/plain") for m in content):
            return None
        for media_type, raw in content.items():
            base = _base(media_type)
            media = self._deref(raw, f"{where}/content/{escape(media_type)}")
            schema = self._deref(media.get("schema"), where)
            binary = schema.get("format") == "binary" or schema.get("contentMediaType")
            if binary or not base.startswith("text/"):
                return Streaming(format="binary", item="bytes", source=f"download {base}")
        return None


def _props(schema: dict[str, Any]) -> dict[str, Any]:
    props = schema.get("properties")
    return props if isinstance(props, dict) else {}


def _pinned(schema: dict[str, Any]) -> list[str]:
    """The values a schema pins a string to (``const``, or an ``enum``)."""
    if isinstance(schema.get("const"), str):
        return [schema["const"]]
    enum = schema.get("enum")
    return [v for v in enum if isinstance(v, str)] if isinstance(enum, list) else []


def _terminator(raw: Any) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("terminator"), str):
        return str(raw["terminator"])
    return None


def upload_body(body: Body | None) -> Body | None:
    """Binary bodies and multipart file fields typed with the runtime's file types (a multipart
    body with files is sent as a plain mapping: a model would not take a path or a file)."""
    if body is None:
        return None
    if body.encoding == "binary":
        return replace(body, annotation="FileContent", checked=None)
    if body.encoding != "multipart" or not any("bytes" in f.annotation for f in body.fields):
        return body
    fields = tuple(
        replace(f, annotation=names_bytes(f.annotation)) if "bytes" in f.annotation else f
        for f in body.fields
    )
    return replace(body, fields=fields, model=None)


def names_bytes(annotation: str) -> str:
    return re.sub(r"\bbytes\b", "FileTypes", annotation)


__all__ = ["STREAM_TYPES", "StreamDetector", "upload_body"]

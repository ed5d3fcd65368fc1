"""Framing of streamed bodies: server-sent events (WHATWG HTML, 9.2) and JSON lines/sequences.

Decoders are fed the body chunk by chunk as it arrives and hand back the events completed so
far, so nothing waits for (or holds) the whole stream. They do no I/O and know nothing of types:
`_streaming` turns events into results. JSON lines and RFC 7464 records come out as events too
(`data` is the JSON text), so one path decodes every format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["RecordDecoder", "SSEDecoder", "ServerSentEvent", "StreamDecoder"]

_LINE_ENDS = (b"\n", b"\r")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event. `id` is the last event ID seen so far (it persists, as in browsers)."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None
    """Reconnection time in milliseconds, when this event's block set one."""
    raw: str = field(default="", repr=False, compare=False)
    """The event's lines as received (for error reports)."""

    def json(self) -> Any:
        """`data` decoded as JSON."""
        return json.loads(self.data)


class StreamDecoder(Protocol):
    def feed(self, chunk: bytes) -> list[ServerSentEvent]: ...

    def flush(self) -> list[ServerSentEvent]: ...


class _Lines:
    """Splits bytes into lines ending in CRLF, LF or CR, also when a CRLF straddles two chunks."""

    def __init__(self) -> None:
        self._rest = b""
        self._after_cr = False

    def feed(self, chunk: bytes) -> list[bytes]:
        if self._after_cr and chunk[:1] == b"\n":
            chunk = chunk[1:]  # the LF of a CRLF whose CR ended the previous chunk
        self._after_cr = False
        if not chunk:
            return []
        lines = (self._rest + chunk).splitlines(keepends=True)  # bytes: only CR, LF, CRLF
        self._rest = b"" if lines[-1].endswith(_LINE_ENDS) else lines.pop()
        if lines and lines[-1].endswith(b"\r"):
            self._after_cr = True
        return [line.rstrip(b"\r\n") for line in lines]


class SSEDecoder:
    """The event-stream parser of the WHATWG spec, incremental.

    An event is dispatched on a blank line only (an unfinished event at the end is dropped);
    comments (`:` lines, the usual keep-alives) and unknown fields are ignored; a BOM is skipped.
    """

    def __init__(self) -> None:
        self._lines = _Lines()
        self._started = False
        self._event = ""
        self._data: list[str] = []
        self._raw: list[str] = []
        self._block_retry: int | None = None
        self._id_buffer: str | None = None
        self.last_event_id: str | None = None
        """The ID of the last event dispatched (an `id` line counts at the blank line after it)."""
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        events = []
        for line in self._lines.feed(chunk):
            event = self._line(line.decode("utf-8", "replace"))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """Nothing: a stream that ends without a blank line does not dispatch its last event."""
        return []

    def _line(self, line: str) -> ServerSentEvent | None:
        if not self._started:
            self._started = True
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        self._raw.append(line)
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id_buffer = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = self._block_retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event, raw, retry = self._data, self._event, self._raw, self._block_retry
        self._data, self._event, self._raw, self._block_retry = [], "", [], None
        self.last_event_id = self._id_buffer
        if not data:
            return None
        return ServerSentEvent(
            event=event or "message",
            data="\n".join(data),
            id=self.last_event_id,
            retry=retry,
            raw="\n".join(raw),
        )


class RecordDecoder:
    """JSON values one per record: lines (`application/jsonl`, `application/x-ndjson`) or
    RFC 7464 sequences (`application/json-seq`, records start with 0x1E). Blank records are
    skipped; a last record without its terminator still counts."""

    def __init__(self, separator: bytes) -> None:
        self._separator = separator
        self._rest = b""

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        records = (self._rest + chunk).split(self._separator)
        self._rest = records.pop()
        return [event for event in map(_record, records) if event is not None]

    def flush(self) -> list[ServerSentEvent]:
        rest, self._rest = self._rest, b""
        event = _record(rest)
        return [] if event is None else [event]


def _record(record: bytes) -> ServerSentEvent | None:
    text = record.decode("utf-8", "replace").strip()
    return ServerSentEvent(data=text, raw=text) if text else None

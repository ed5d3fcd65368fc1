"""`Stream[T]` and `AsyncStream[T]`: results decoded one by one as a streamed 2xx body arrives.

The body is framed by its content type (`text/event-stream`, JSON lines, JSON sequences; the
endpoint's `stream` format when the server sends none) and each event becomes a `T`: the
`ServerSentEvent` itself, the JSON `data` validated against the endpoint's `result`, or, when the
endpoint maps SSE event names to types (`events=`), against the type of its name (events of other
names are skipped). A `data` equal to the endpoint's `terminator` (e.g. `[DONE]`) ends the stream.

Leaving the iteration (end, `break` inside `with`, an error) closes the response. A bad event
raises `APIResponseValidationError` with the event's raw text in `.body`; a connection lost
mid-stream raises `APIConnectionError`. `reconnect()` sends the request again with
`Last-Event-ID` so the server can resume after the last event seen.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import httpx
from pydantic_core import ValidationError

from ._binary import ErrorFactory
from ._endpoint import Endpoint
from ._exceptions import APIResponseValidationError
from ._response import _summary
from ._sse import RecordDecoder, ServerSentEvent, SSEDecoder, StreamDecoder
from ._types import StreamFormat

__all__ = ["AsyncStream", "ServerSentEvent", "Stream", "stream_format"]

T = TypeVar("T")

_SKIP: Any = object()
_STOP: Any = object()
_FORMATS: dict[str, StreamFormat] = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
    "application/json-seq": "json-seq",
}


def stream_format(content_type: str | None, declared: StreamFormat | None) -> StreamFormat:
    """How to frame a body: by its content type, else as the endpoint declares, else SSE."""
    media = (content_type or "").partition(";")[0].strip().lower()
    return _FORMATS.get(media) or declared or "sse"


class _Decoding(Generic[T]):
    """Framing plus typing of one streamed body; shared by the sync and async streams."""

    def __init__(self, endpoint: Endpoint[T], response: httpx.Response, errors: ErrorFactory):
        self.endpoint, self.response, self.errors = endpoint, response, errors
        kind = stream_format(response.headers.get("content-type"), endpoint.stream)
        self.sse = SSEDecoder() if kind == "sse" else None
        separator = b"\x1e" if kind == "json-seq" else b"\n"
        self.framer: StreamDecoder = self.sse or RecordDecoder(separator)

    def decode(self, event: ServerSentEvent) -> Any:
        """The `T` of one event, or `_SKIP` (an event name not declared), or `_STOP`."""
        endpoint = self.endpoint
        if endpoint.terminator is not None and event.data == endpoint.terminator:
            return _STOP
        if self.sse is not None and endpoint.events:
            if event.event not in endpoint.events:
                return _SKIP
            annotation = endpoint.events[event.event]
        else:
            annotation = endpoint.result
        if annotation is ServerSentEvent:
            return event
        if annotation is str:
            return event.data
        adapter = endpoint.event_adapter(event.event) if endpoint.events else None
        try:
            return (adapter or endpoint.result_adapter()).validate_json(event.data)
        except ValidationError as exc:
            raise self._invalid(event, annotation, exc) from None

    def _invalid(
        self, event: ServerSentEvent, annotation: Any, exc: ValidationError
    ) -> APIResponseValidationError:
        if any(error["type"] == "json_invalid" for error in exc.errors()):
            problem = "that is not valid JSON"
        else:
            name = getattr(annotation, "__name__", None) or repr(annotation)
            problem = f"that does not match {name}: {_summary(exc)}"
        label = f"an event {event.event!r}" if self.sse is not None else "a record"
        message = f"{self.errors._where(self.response.request)} sent {label} {problem}"
        error = APIResponseValidationError(message, response=self.response, body=event.raw)
        return self.errors._shield(error)

    def results(self, events: list[ServerSentEvent]) -> Iterator[Any]:
        for event in events:
            item = self.decode(event)
            if item is not _SKIP:
                yield item

    @property
    def last_event_id(self) -> str | None:
        return None if self.sse is None else self.sse.last_event_id

    @property
    def retry(self) -> int | None:
        return None if self.sse is None else self.sse.retry


class _BaseStream(Generic[T]):
    def __init__(
        self, response: httpx.Response, endpoint: Endpoint[T], errors: ErrorFactory
    ) -> None:
        self.response = response
        self._decoding = _Decoding(endpoint, response, errors)
        self._errors = errors

    @property
    def last_event_id(self) -> str | None:
        """The last SSE event ID received (`None` before any, and for JSON lines)."""
        return self._decoding.last_event_id

    @property
    def retry(self) -> int | None:
        """The reconnection time in milliseconds the server last asked for, if any."""
        return self._decoding.retry

    def __repr__(self) -> str:
        response = self.response
        return f"<{type(self).__name__} [{response.status_code} {response.reason_phrase}]>"


class Stream(_BaseStream[T]):
    """Results of a streamed body, in order: `for item in stream`, best inside `with stream:`."""

    def __init__(
        self,
        response: httpx.Response,
        endpoint: Endpoint[T],
        errors: ErrorFactory,
        reopen: Callable[[str | None], Stream[T]] | None = None,
    ) -> None:
        super().__init__(response, endpoint, errors)
        self._reopen = reopen
        self._iterator = self._iterate()

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def _iterate(self) -> Generator[T, None, None]:
        decoding, response = self._decoding, self.response
        try:
            for chunk in response.iter_bytes():
                for item in decoding.results(decoding.framer.feed(chunk)):
                    if item is _STOP:
                        return
                    yield item
            for item in decoding.results(decoding.framer.flush()):
                if item is _STOP:
                    return
                yield item
        except httpx.TransportError as error:
            raise self._errors._connection_error(error, response.request) from error
        finally:
            response.close()

    def close(self) -> None:
        """Stop reading and close the response (also what leaving `with` does)."""
        self._iterator.close()
        self.response.close()

    def reconnect(self) -> Stream[T]:
        """Close this stream and send the request again, with `Last-Event-ID` when events had IDs.

        For a stream cut off mid-way (`APIConnectionError`): the new stream continues where the
        server resumes. It does not wait: `retry` holds the delay the server asked for.
        """
        self.close()
        if self._reopen is None:
            raise TypeError("this stream was not made by a client call; it cannot reconnect")
        return self._reopen(self.last_event_id or None)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_BaseStream[T]):
    """`Stream` of async clients: `async for item in stream`, inside `async with stream:`."""

    def __init__(
        self,
        response: httpx.Response,
        endpoint: Endpoint[T],
        errors: ErrorFactory,
        reopen: Callable[[str | None], Awaitable[AsyncStream[T]]] | None = None,
    ) -> None:
        super().__init__(response, endpoint, errors)
        self._reopen = reopen
        self._iterator = self._iterate()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def _iterate(self) -> AsyncGenerator[T, None]:
        decoding, response = self._decoding, self.response
        try:
            async for chunk in response.aiter_bytes():
                for item in decoding.results(decoding.framer.feed(chunk)):
                    if item is _STOP:
                        return
                    yield item
            for item in decoding.results(decoding.framer.flush()):
                if item is _STOP:
                    return
                yield item
        except httpx.TransportError as error:
            raise self._errors._connection_error(error, response.request) from error
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Stop reading and close the response (also what leaving `async with` does)."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def reconnect(self) -> AsyncStream[T]:
        """Close this stream and send the request again (see `Stream.reconnect`)."""
        await self.aclose()
        if self._reopen is None:
            raise TypeError("this stream was not made by a client call; it cannot reconnect")
        return await self._reopen(self.last_event_id or None)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

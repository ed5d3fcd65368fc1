"""Streams over real HTTP: server-sent events, JSON lines, cut-off streams, reconnecting."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Annotated, Any, Literal

import pytest
from conftest import Harness
from pydantic import BaseModel, Field
from runtime_server import CutOff, Reply, read_body, send_chunked


class Tick(BaseModel):
    n: int
    text: str = ""


class Done(BaseModel):
    total: int


class Delta(BaseModel):
    type: Literal["delta"]
    text: str


class Stop(BaseModel):
    type: Literal["stop"]
    reason: str


Item = Annotated[Delta | Stop, Field(discriminator="type")]


def endpoint(api: Harness, result: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("stream", "sse")
    return api.rt._base_client.Endpoint(method="GET", path="/events", result=result, **kwargs)


async def open_stream(api: Harness, endpoint: Any, client: Any = None, **kwargs: Any) -> Any:
    return await api((client or api.client())._stream(endpoint, **kwargs))


async def drain(
    api: Harness, stream: Any, into: list[Any] | None = None, each: Callable[[], None] = str
) -> list[Any]:
    """Every item, inside the stream's context manager; `each` runs after each item arrives."""
    items = [] if into is None else into
    if api.is_async:
        async with stream:
            async for item in stream:
                items.append(item)
                each()
    else:
        with stream:
            for item in stream:
                items.append(item)
                each()
    return items


def pieces(data: bytes, seed: int) -> Iterator[bytes]:
    """`data` in random pieces of 1 to 64 bytes, so lines and CRLFs straddle chunks."""
    rng, at = random.Random(seed), 0
    while at < len(data):
        size = rng.randint(1, 64)
        yield data[at : at + size]
        at += size


Chunks = Callable[[BaseHTTPRequestHandler], Iterator[bytes]]


def serve(api: Harness, chunks: Chunks, content_type: str = "text/event-stream") -> None:
    def route(handler: BaseHTTPRequestHandler) -> None:
        read_body(handler, len)
        send_chunked(handler, chunks(handler), headers={"Content-Type": content_type})

    api.server.raw["/events"] = route


async def test_a_thousand_events_arrive_typed(api: Harness) -> None:
    body = "".join(
        f'id: {n}\r\ndata: {{"n": {n},\r\ndata: "text": "t{n}"}}\r\n\r\n' for n in range(1000)
    ).encode()
    serve(api, lambda handler: pieces(body, 1))

    stream = await open_stream(api, endpoint(api, Tick))
    items = await drain(api, stream)

    assert [item.n for item in items] == list(range(1000))
    assert all(isinstance(item, Tick) for item in items) and items[-1].text == "t999"
    assert stream.last_event_id == "999" and stream.response.is_closed
    (seen,) = api.server.seen
    assert seen.headers["accept"] == "text/event-stream"


async def test_events_by_name_keep_alives_and_a_terminator(api: Harness) -> None:
    release = threading.Event()

    def chunks(handler: BaseHTTPRequestHandler) -> Iterator[bytes]:
        yield b": keep-alive\n\n"
        yield b'event: tick\ndata: {"n": 1}\n\n'
        yield b":\n\n"
        yield b"event: noise\ndata: not declared, skipped\n\n"
        yield b'event: done\ndata: {"total": 1}\n\n'
        yield b"data: [DONE]\n\n"
        release.wait(10)  # the stream must end at [DONE], not when the server hangs up
        yield b'event: tick\ndata: {"n": 2}\n\n'

    serve(api, chunks)
    ep = endpoint(api, Any, events={"tick": Tick, "done": Done}, terminator="[DONE]")
    started = time.monotonic()
    try:
        items = await drain(api, await open_stream(api, ep))
    finally:
        release.set()

    assert items == [Tick(n=1), Done(total=1)]
    assert time.monotonic() - started < 5


async def test_a_union_discriminated_by_a_type_property(api: Harness) -> None:
    body = (
        b'data: {"type": "delta", "text": "Hel"}\n\n'
        b'data: {"type":"delta","text":"lo"}\n\n'
        b'data: {"type": "stop", "reason": "end"}\n\n'
    )
    serve(api, lambda handler: iter([body]))

    items = await drain(api, await open_stream(api, endpoint(api, Item)))

    assert items == [
        Delta(type="delta", text="Hel"),
        Delta(type="delta", text="lo"),
        Stop(type="stop", reason="end"),
    ]


RAW_BODY = (
    "\ufeff: a comment\r"
    "event: greet\r"
    "data: first\r"
    "data:second\r"
    "data\r"
    "id: 7\r"
    "retry: 1500\r"
    "unknown: ignored\r"
    "\r"
    "data: keeps the last id\n"
    "\n"
    "id\n"
    "data:  two spaces\n"
    "\n"
    "event: no data, so no event\n"
    "\n"
    "data: unfinished, so dropped"
).encode()


async def test_raw_events_follow_the_whatwg_rules(api: Harness) -> None:
    sse = api.rt._sse.ServerSentEvent
    serve(api, lambda handler: pieces(RAW_BODY, 2))

    stream = await open_stream(api, endpoint(api, sse))
    items = await drain(api, stream)

    assert items == [
        sse(event="greet", data="first\nsecond\n", id="7", retry=1500),
        sse(data="keeps the last id", id="7"),
        sse(data=" two spaces", id=""),
    ]
    assert items[0].raw.startswith(": a comment\nevent: greet")
    assert stream.retry == 1500 and stream.last_event_id == ""
    assert sse(data='{"a": [1]}').json() == {"a": [1]}


def test_the_decoder_gives_the_same_events_however_the_bytes_are_cut(rt: Any) -> None:
    body = RAW_BODY.replace(b"\r", b"\r\n")  # CRLF everywhere: a chunk may end between CR and LF

    def decode(chunks: list[bytes]) -> list[Any]:
        decoder = rt._sse.SSEDecoder()
        return [event for chunk in chunks for event in decoder.feed(chunk)]

    whole = decode([body])
    assert [event.data for event in whole] == [
        "first\nsecond\n",
        "keeps the last id",
        " two spaces",
    ]
    for cut in range(len(body) + 1):
        assert decode([body[:cut], body[cut:]]) == whole, cut
    assert decode([bytes([b]) for b in body]) == whole


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/jsonl", b'{"n": 0}\n\n{"n": 1}\r\n  \n{"n": 2}'),
        ("application/x-ndjson; charset=utf-8", b'{"n": 0}\n{"n": 1}\n{"n": 2}\n'),
        ("application/json-seq", b'\x1e{"n": 0}\n\x1e{"n": 1}\n\x1e\n\x1e{"n": 2}\n'),
    ],
)
async def test_json_lines_and_sequences(api: Harness, content_type: str, body: bytes) -> None:
    serve(api, lambda handler: pieces(body, 3), content_type)

    items = await drain(api, await open_stream(api, endpoint(api, Tick, stream="jsonl")))

    assert items == [Tick(n=0), Tick(n=1), Tick(n=2)]
    (seen,) = api.server.seen
    assert seen.headers["accept"] == "application/jsonl, application/x-ndjson"


async def test_the_first_event_arrives_before_the_server_sends_the_last(api: Harness) -> None:
    first_arrived, waited = threading.Event(), []

    def chunks(handler: BaseHTTPRequestHandler) -> Iterator[bytes]:
        yield b'data: {"n": 0}\n\n'
        waited.append(first_arrived.wait(10))  # set by the client once it holds event 0
        yield b'data: {"n": 1}\n\n'

    serve(api, chunks)

    items = await drain(api, await open_stream(api, endpoint(api, Tick)), each=first_arrived.set)

    assert items == [Tick(n=0), Tick(n=1)] and waited == [True]


def resumable(handler: BaseHTTPRequestHandler) -> Iterator[bytes]:
    """Five events from after `Last-Event-ID`; the first connection is cut in the sixth."""
    start = int(handler.headers.get("Last-Event-ID", "-1")) + 1
    for n in range(start, start + 5):
        yield f'id: {n}\ndata: {{"n": {n}}}\n\n'.encode()
    if start == 0:
        yield b'id: 5\ndata: {"n": 5, "te'
        raise CutOff


async def test_a_cut_off_stream_raises_after_the_events_before_the_cut(api: Harness) -> None:
    serve(api, resumable)
    stream = await open_stream(api, endpoint(api, Tick))
    items: list[Any] = []

    with pytest.raises(api.rt.errors.APIConnectionError) as caught:
        await drain(api, stream, items)

    assert [item.n for item in items] == [0, 1, 2, 3, 4]
    assert "RemoteProtocolError" in str(caught.value) and stream.response.is_closed
    assert len(api.server.seen) == 1  # a stream is never retried once handed over

    resumed = await api(stream.reconnect())
    assert [item.n for item in await drain(api, resumed)] == [5, 6, 7, 8, 9]
    assert [seen.headers.get("last-event-id") for seen in api.server.seen] == [None, "4"]


async def test_break_inside_with_closes_the_response(api: Harness) -> None:
    serve(api, lambda handler: iter([b'data: {"n": %d}\n\n' % n for n in range(100)]))
    stream = await open_stream(api, endpoint(api, Tick))

    if api.is_async:
        async with stream:
            async for item in stream:
                break
    else:
        with stream:
            for item in stream:
                break

    assert item == Tick(n=0) and stream.response.is_closed


@pytest.mark.parametrize(
    ("data", "problem"),
    [('{"n": ', "not valid JSON"), ('{"n": "x"}', "does not match Tick: n: Input should be")],
)
async def test_a_malformed_event_raises_with_its_raw_text(
    api: Harness, data: str, problem: str
) -> None:
    serve(api, lambda handler: iter([f'data: {{"n": 1}}\n\nid: 2\ndata: {data}\n\n'.encode()]))
    stream = await open_stream(api, endpoint(api, Tick))
    items: list[Any] = []

    with pytest.raises(api.rt.errors.APIResponseValidationError) as caught:
        await drain(api, stream, items)

    assert items == [Tick(n=1)] and caught.value.body == f"id: 2\ndata: {data}"
    assert problem in str(caught.value) and caught.value.status_code == 200
    assert str(caught.value).startswith(f"GET {api.server.url}/events sent an event 'message'")


async def test_errors_before_the_stream_starts_are_status_errors_and_retried(api: Harness) -> None:
    error_model = api.rt.Error
    ep = endpoint(api, Tick, errors={"404": error_model})
    api.server.script(Reply(404, json={"error": "missing", "message": "no such stream"}))

    with pytest.raises(api.rt.errors.NotFoundError) as caught:
        await open_stream(api, ep)
    assert caught.value.parsed == error_model(error="missing", message="no such stream")

    events = Reply(200, body=b'data: {"n": 1}\n\n', headers={"Content-Type": "text/event-stream"})
    api.server.script(Reply(503, json={"error": "busy", "message": "later"}), events)
    assert await drain(api, await open_stream(api, ep)) == [Tick(n=1)]
    assert len(api.server.seen) == 3


async def test_a_stream_whose_body_cannot_be_resent_does_not_reconnect(api: Harness) -> None:
    serve(api, lambda handler: iter([b'data: {"n": 1}\n\n']))
    ep = endpoint(api, Tick, body_encoding="binary")
    body: Any = iter([b"once"])
    if api.is_async:

        async def once() -> Any:
            yield b"once"

        body = once()
    stream = await open_stream(api, ep, body=body)
    assert await drain(api, stream) == [Tick(n=1)]

    with pytest.raises(api.rt.errors.APIError, match="cannot be sent again"):
        await api(stream.reconnect())
    assert len(api.server.seen) == 1

"""A real HTTP(S) server on 127.0.0.1: each test scripts its answers; it records arrivals."""

from __future__ import annotations

import collections
import contextlib
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_UNSET = object()


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    json: object = _UNSET
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False
    """Drop the connection (TCP reset) instead of answering."""


@dataclass
class Seen:
    """One request as it reached the server."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    def json(self) -> object:
        return json.loads(self.body)


Route = Callable[[Seen], Reply]
RawRoute = Callable[[BaseHTTPRequestHandler], None]
"""Handles the whole exchange itself: reads the body (`read_body`) and writes the answer."""


class CutOff(Exception):
    """Raised by a chunk iterator given to `send_chunked`: drop the connection there."""


def read_body(handler: BaseHTTPRequestHandler, sink: Callable[[bytes], object]) -> int:
    """Feed the request body to `sink` piece by piece (Content-Length or chunked); its size."""
    size = 0
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        while True:
            length = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if length == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return size
            size += _copy(handler, length, sink)
            handler.rfile.readline()
    return _copy(handler, int(handler.headers.get("Content-Length") or 0), sink)


def _copy(handler: BaseHTTPRequestHandler, length: int, sink: Callable[[bytes], object]) -> int:
    left = length
    while left:
        piece = handler.rfile.read(min(left, 1 << 20))
        if not piece:
            raise ConnectionError("the body ended early")
        sink(piece)
        left -= len(piece)
    return length


def send_chunked(
    handler: BaseHTTPRequestHandler,
    chunks: Iterable[bytes],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> None:
    """An HTTP/1.1 chunked answer, each chunk flushed as it comes; `CutOff` drops the line."""
    handler.protocol_version = "HTTP/1.1"
    handler.close_connection = True
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Connection", "close")
    handler.end_headers()
    try:
        for chunk in chunks:
            if chunk:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                handler.wfile.flush()
    except CutOff:
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)
        return
    handler.wfile.write(b"0\r\n\r\n")
    handler.wfile.flush()


class ScriptedServer:
    """Answers from `routes` (by path) first, else from the `script` queue, else 500."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.raw: dict[str, RawRoute] = {}
        self.seen: list[Seen] = []
        self._script: collections.deque[Reply] = collections.deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def _answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get(seen.path)
            if route is None and self._script:
                return self._script.popleft()
        if route is not None:
            return route(seen)
        return Reply(500, json={"error": "unscripted", "message": seen.target})


def _handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            raw = server.raw.get(urlsplit(self.path).path)
            if raw is not None:
                with server._lock:
                    server.seen.append(
                        Seen(self.command, self.path, headers, b"", time.monotonic())
                    )
                raw(self)
                return
            pieces: list[bytes] = []
            read_body(self, pieces.append)
            body = b"".join(pieces)
            seen = Seen(self.command, self.path, headers, body, time.monotonic())
            reply = server._answer(seen)
            if reply.delay and server._stopping.wait(reply.delay):
                return
            if reply.reset:
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.close_connection = True
                self.connection.close()
                return
            content = reply.body.encode() if isinstance(reply.body, str) else reply.body
            out_headers = dict(reply.headers)
            if reply.json is not _UNSET:
                content = json.dumps(reply.json).encode()
                out_headers.setdefault("Content-Type", "application/json")
            try:
                self.send_response(reply.status)
                for name, value in out_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def __getattr__(self, name: str) -> Callable[[], None]:
            """Any other method (QUERY, COPY, ...) is answered the same way."""
            if name.startswith("do_"):
                return self._handle
            raise AttributeError(name)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def handle(self) -> None:
            with contextlib.suppress(OSError):
                super().handle()

    return Handler

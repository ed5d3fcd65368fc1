"""A GENERATED client keeps caller-supplied values in their place, on the wire.

One package is generated from a small spec (path, query, header and cookie parameters, an
API key in a header) and used against a loopback server that records the raw bytes of each
request. Path parameters are percent-encoded so ``../admin`` cannot change the path, query
keys and values are encoded, a header value (a parameter, ``extra_headers``,
``default_headers`` or the API key itself) holding CR, LF or NUL is refused before anything
is sent, and TLS certificates are verified unless the caller says otherwise.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from generator.config import client_config
from generator.pipeline import generate

SPEC = """\
openapi: 3.1.0
info: {title: Safety, version: "1.0.0"}
servers: [{url: "https://api.example.com"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
security: [{key: []}]
paths:
  /files/{file_id}:
    get:
      operationId: getFile
      tags: [files]
      parameters:
        - {name: file_id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object}}}
"""


@dataclass
class Recorded:
    """What a loopback server received: the raw bytes of each request, and connections."""

    requests: list[bytes] = field(default_factory=list)
    connections: int = 0

    def line(self) -> str:
        return self.requests[-1].split(b"\r\n", 1)[0].decode("latin-1")

    def target(self) -> str:
        return self.line().split(" ")[1]

    def headers(self) -> list[tuple[str, str]]:
        head = self.requests[-1].split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
        return [(k, v.strip()) for k, _, v in (h.partition(":") for h in head)]


class RawServer:
    """HTTP/1.1 on 127.0.0.1 that records raw request bytes and answers ``{}``; TLS if given a context."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.recorded = Recorded()
        self._context = context
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self._context else 'http'}://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except OSError:
                continue
            self.recorded.connections += 1
            try:
                conn.settimeout(5)
                if self._context is not None:
                    conn = self._context.wrap_socket(conn, server_side=True)
                self._answer(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def _answer(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        self.recorded.requests.append(data)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            b"Connection: close\r\n\r\n{}"
        )

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("safety")
    (root / "safety.yaml").write_text(SPEC, encoding="utf-8")
    generate(
        client_config(
            root / "safety.yaml", output=root / "out", package="safety_api", version="1.0.0"
        )
    )
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("safety_api")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n == "safety_api" or n.startswith("safety_api.")]:
            del sys.modules[name]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RawServer]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    running = RawServer()
    yield running
    running.close()


def client(pkg: ModuleType, server: RawServer, **options: object) -> object:
    return pkg.Safety(api_key="K", base_url=server.url, max_retries=0, **options)


# --------------------------------------------------------------------------- path parameters

HOSTILE_SEGMENTS = [
    "../admin",
    "..",
    ".",
    "a/b",
    "..%2fadmin",
    "%2e%2e",
    "?admin=1",
    "#frag",
    "a b",
    "ü/ß",
    "\\..\\admin",
    "a;b=c",
    "//evil.example.com",
    "@evil.example.com",
    "%00",
    "\r\nX: y",
]


@pytest.mark.parametrize("value", HOSTILE_SEGMENTS)
def test_a_path_parameter_stays_one_segment(pkg: ModuleType, server: RawServer, value: str) -> None:
    client(pkg, server).files.get(value)
    target = server.recorded.target()
    path = urlsplit(target).path
    assert not urlsplit(target).query and "#" not in target
    assert path.startswith("/files/") and path.count("/") == 2, target
    segment = path.removeprefix("/files/")
    assert unquote(segment) == value
    assert segment not in (".", "..")


async def test_the_async_client_encodes_path_parameters_too(
    pkg: ModuleType, server: RawServer
) -> None:
    async with pkg.AsyncSafety(api_key="K", base_url=server.url, max_retries=0) as async_client:
        await async_client.files.get("../admin")
    assert server.recorded.target() == "/files/..%2Fadmin"


# --------------------------------------------------------------------------- query


def test_query_keys_and_values_are_encoded(pkg: ModuleType, server: RawServer) -> None:
    value = "a&b=c#d?e f/+%;\u00fc"
    client(pkg, server).files.get("f", q=value, tags=["x&y", "z=1"], extra_query={"k&=#": "v&=#"})
    query = urlsplit(server.recorded.target()).query
    assert "&b=" not in query and "#" not in server.recorded.target()
    assert parse_qsl(query, keep_blank_values=True) == [
        ("q", value),
        ("tags", "x&y"),
        ("tags", "z=1"),
        ("k&=#", "v&=#"),
    ]


# --------------------------------------------------------------------------- headers

SPLITTERS = ["a\r\nX-Evil: 1", "a\nX-Evil: 1", "a\rX-Evil: 1", "a\0b"]


@pytest.mark.parametrize("value", SPLITTERS)
@pytest.mark.parametrize(
    "where", ["parameter", "extra_headers", "default_headers", "api_key", "cookie"]
)
def test_header_values_with_cr_or_lf_are_refused_before_sending(
    pkg: ModuleType, server: RawServer, value: str, where: str
) -> None:
    with pytest.raises((ValueError, pkg.errors.APIError)) as info:
        if where == "default_headers":
            client(pkg, server, default_headers={"X-Default": value}).files.get("f")
        elif where == "api_key":
            pkg.Safety(api_key=value, base_url=server.url, max_retries=0).files.get("f")
        elif where == "extra_headers":
            client(pkg, server).files.get("f", extra_headers={"X-Extra": value})
        elif where == "cookie":
            client(pkg, server).files.get("f", session=value)
            raise ValueError("sent")  # a cookie value is encoded rather than refused: checked below
        else:
            client(pkg, server).files.get("f", x_trace=value)
    if where == "cookie":
        assert str(info.value) == "sent"
        cookie = dict(server.recorded.headers())["Cookie"]
        assert (
            "\r" not in cookie
            and "\n" not in cookie
            and "\0" not in cookie
            and "X-Evil" not in dict(server.recorded.headers())
        )
        return
    assert server.recorded.connections == 0, "the request was sent"
    if where == "api_key":
        assert value not in str(info.value), "the message shows the credential"


async def test_the_async_client_refuses_split_headers_too(
    pkg: ModuleType, server: RawServer
) -> None:
    async with pkg.AsyncSafety(api_key="K", base_url=server.url, max_retries=0) as async_client:
        with pytest.raises(ValueError):
            await async_client.files.get("f", x_trace="a\r\nX-Evil: 1")
    assert server.recorded.connections == 0


def test_ordinary_headers_arrive_as_sent(pkg: ModuleType, server: RawServer) -> None:
    client(pkg, server).files.get("f", x_trace='trace: 1; a=b "quoted"')
    headers = dict(server.recorded.headers())
    assert headers["X-Trace"] == 'trace: 1; a=b "quoted"' and headers["X-Api-Key"] == "K"


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_tls_is_verified_by_default(
    pkg: ModuleType, self_signed: ssl.SSLContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    for signature in (inspect.signature(pkg.Safety), inspect.signature(pkg.AsyncSafety)):
        assert signature.parameters["verify"].default is True
    tls = RawServer(self_signed)
    try:
        with pytest.raises(pkg.errors.APIConnectionError):
            pkg.Safety(api_key="K", base_url=tls.url, max_retries=0).files.get("f")

        async def call() -> None:
            async with pkg.AsyncSafety(
                api_key="K", base_url=tls.url, max_retries=0
            ) as async_client:
                await async_client.files.get("f")

        with pytest.raises(pkg.errors.APIConnectionError):
            asyncio.run(call())
        assert (
            tls.recorded.requests == []
        ), "a request went to a server whose certificate is not trusted"
        pkg.Safety(api_key="K", base_url=tls.url, max_retries=0, verify=False).files.get("f")
        assert (
            len(tls.recorded.requests) == 1
        )  # the server itself works: only verification refused it
    finally:
        tls.close()

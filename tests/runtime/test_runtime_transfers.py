"""Downloads and uploads over real HTTP: streamed bodies, files from disk, and safe retries."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Harness
from runtime_server import Reply, Seen

DATA = bytes(range(256)) * 1000


def download_endpoint(api: Harness) -> Any:
    return api.rt._base_client.Endpoint(
        method="GET",
        path="/files/{id}",
        result=bytes,
        stream="binary",
        errors={"404": api.rt.Error},
    )


def upload_endpoint(api: Harness, encoding: str = "binary", method: str = "PUT") -> Any:
    return api.rt._base_client.Endpoint(
        method=method, path="/blobs", result=Any, body_encoding=encoding
    )


def echo_body(seen: Seen) -> Reply:
    return Reply(
        json={
            "sha256": hashlib.sha256(seen.body).hexdigest(),
            "content_type": seen.headers.get("content-type"),
            "content_length": seen.headers.get("content-length"),
        }
    )


async def collect(api: Harness, chunks: Any) -> list[bytes]:
    if api.is_async:
        return [chunk async for chunk in chunks]
    return list(chunks)


async def test_a_download_is_streamed_to_the_caller(api: Harness, tmp_path: Path) -> None:
    file = Reply(200, body=DATA, headers={"Content-Type": "application/pdf"})
    api.server.script(file, file, file, file)
    client = api.client()
    ep = download_endpoint(api)

    response = await api(client._download(ep, path_params={"id": "a"}))
    assert (response.status_code, response.content_type) == (200, "application/pdf")
    assert response.headers["content-length"] == str(len(DATA))
    assert not response.response.is_stream_consumed  # nothing read before the caller asks
    assert await api(response.read()) == DATA

    response = await api(client._download(ep, path_params={"id": "a"}))
    chunks = await collect(api, response.iter_bytes(1000))
    assert {len(chunk) for chunk in chunks[:-1]} == {1000} and b"".join(chunks) == DATA
    assert response.response.is_closed

    response = await api(client._download(ep, path_params={"id": "a"}))
    await api(response.write_to_file(tmp_path / "out.pdf"))
    assert (tmp_path / "out.pdf").read_bytes() == DATA and response.response.is_closed

    response = await api(client._download(ep, path_params={"id": "a"}))
    if api.is_async:
        async with response:
            pass
    else:
        with response:
            pass
    assert response.response.is_closed and api.server.seen[0].headers["accept"] == "*/*"


async def test_a_download_error_status_is_raised_with_its_body(api: Harness) -> None:
    api.server.script(Reply(404, json={"error": "missing", "message": "no file"}))

    with pytest.raises(api.rt.errors.NotFoundError) as caught:
        await api(api.client()._download(download_endpoint(api), path_params={"id": "x"}))

    assert caught.value.parsed == api.rt.Error(error="missing", message="no file")
    assert "no file" in caught.value.body


def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    return path


@pytest.mark.parametrize("kind", ["bytes", "path", "file", "generator"])
async def test_an_octet_stream_body_from_each_kind_of_content(
    api: Harness, tmp_path: Path, kind: str
) -> None:
    api.server.routes["/blobs"] = echo_body
    path = a_file(tmp_path)
    with path.open("rb") as opened:
        content = {
            "bytes": DATA,
            "path": path,
            "file": opened,
            "generator": gen(DATA),
        }[kind]
        if api.is_async and kind == "generator":
            content = agen(DATA)

        echoed = await api(api.client()._request(upload_endpoint(api), body=content))

    assert echoed["sha256"] == hashlib.sha256(DATA).hexdigest()
    assert echoed["content_type"] == "application/octet-stream"
    if kind != "generator":
        assert echoed["content_length"] == str(len(DATA))


def gen(data: bytes) -> Iterator[bytes]:
    for at in range(0, len(data), 4096):
        yield data[at : at + 4096]


async def agen(data: bytes) -> Any:
    for at in range(0, len(data), 4096):
        yield data[at : at + 4096]


async def test_multipart_file_parts_from_paths_files_and_tuples(
    api: Harness, tmp_path: Path
) -> None:
    api.server.routes["/blobs"] = lambda seen: Reply(json={"body": seen.body.decode("latin-1")})
    path = a_file(tmp_path)
    body = {
        "plain": path,
        "named": ("report.csv", path, "text/csv"),
        "pair": ("pair.bin", b"pair-bytes"),
        "buffer": io.BytesIO(b"buffer-bytes"),
        "note": "a plain field",
    }

    echoed = await api(api.client()._request(upload_endpoint(api, "multipart", "POST"), body=body))

    text = echoed["body"]
    assert text.count(DATA.decode("latin-1")) == 2
    assert 'name="plain"; filename="data.bin"' in text
    assert 'name="named"; filename="report.csv"\r\nContent-Type: text/csv' in text
    assert 'filename="pair.bin"' in text and "pair-bytes" in text and "buffer-bytes" in text
    assert 'name="note"\r\n\r\na plain field' in text


def busy() -> Reply:
    return Reply(503, json={"error": "busy", "message": "later"})


async def test_a_generator_body_is_not_retried_after_a_503(api: Harness) -> None:
    api.server.script(busy(), Reply(json={}))
    body: Any = agen(DATA) if api.is_async else gen(DATA)

    with pytest.raises(api.rt.errors.InternalServerError):
        await api(api.client()._request(upload_endpoint(api), body=body))

    (seen,) = api.server.seen
    assert seen.body == DATA


@pytest.mark.parametrize("kind", ["path", "file"])
async def test_a_path_or_seekable_file_is_rewound_and_retried(
    api: Harness, tmp_path: Path, kind: str
) -> None:
    api.server.script(busy(), busy())
    path = a_file(tmp_path)
    with path.open("rb") as opened:
        opened.seek(100)  # a file is sent from where it stands, on every attempt
        content, expected = (path, DATA) if kind == "path" else (opened, DATA[100:])
        api.server.script(echo_body(_seen(expected)))

        echoed = await api(api.client()._request(upload_endpoint(api), body=content))

    assert echoed["sha256"] == hashlib.sha256(expected).hexdigest()
    assert [seen.body for seen in api.server.seen] == [expected] * 3


def _seen(body: bytes) -> Seen:
    return Seen("PUT", "/blobs", {"content-type": "application/octet-stream"}, body, 0.0)


class Pipe(io.RawIOBase):
    """A readable stream that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._chunks: Iterator[bytes] = iter([data])

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return next(self._chunks, b"")


async def test_a_file_that_cannot_seek_is_sent_once(api: Harness) -> None:
    api.server.script(busy(), Reply(json={}))
    ep = upload_endpoint(api, "multipart", "PUT")

    with pytest.raises(api.rt.errors.InternalServerError):
        await api(api.client()._request(ep, body={"file": ("f.bin", Pipe(b"once"))}))

    (seen,) = api.server.seen
    assert b"once" in seen.body

"""Uploads: file content streamed from disk, and whether a body can be sent a second time.

A path is never read whole: an `application/octet-stream` body reads it in chunks (opening it
afresh on each attempt), a multipart part gets the open file, which httpx reads in chunks. A
retry must not resend a half-consumed stream, so each prepared body says how to rewind it:
seekable files go back to where they started, paths and bytes need nothing, and generators or
pipes cannot be rewound, so such calls are sent once (`Upload.replay` is `None`).
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ._encoding import BodyParts

__all__ = ["Upload", "prepare_upload"]

CHUNK_SIZE = 1 << 16


@dataclass
class Upload:
    """A body ready for httpx, the headers it adds, and how to send it again."""

    parts: BodyParts
    headers: dict[str, str] = field(default_factory=dict)
    replay: Callable[[], None] | None = None
    """Called before a repeated attempt; `None`: the body can be sent only once."""
    opened: list[IO[bytes]] = field(default_factory=list)
    """Files opened here from paths; `close()` closes them once the call is sent."""

    def close(self) -> None:
        for file in self.opened:
            file.close()


def _nothing() -> None:
    pass


def _read(path: os.PathLike[str]) -> Iterator[bytes]:
    with open(path, "rb") as file:
        yield from iter(lambda: file.read(CHUNK_SIZE), b"")


class _PathChunks:
    """A file's content in chunks, from the start on every iteration (so every attempt)."""

    def __init__(self, path: os.PathLike[str]) -> None:
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        return _read(self.path)


class _AsyncPathChunks:
    """`_PathChunks` for `httpx.AsyncClient`, which only takes async iterables."""

    def __init__(self, path: os.PathLike[str]) -> None:
        self.path = path

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in _read(self.path):
            yield chunk


class _AsyncFileChunks:
    """An open binary file as an async iterable of chunks, from where it stands."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in iter(lambda: self.file.read(CHUNK_SIZE), b""):
            yield chunk


def prepare_upload(parts: BodyParts, asynchronous: bool) -> Upload:
    """Turn paths into streams, and find out whether (and how) the body can be replayed."""
    upload = Upload(parts, replay=_nothing)
    if "content" in parts:
        _content(upload, parts["content"], asynchronous)
    if "files" in parts:
        upload.parts = {**parts, "files": [_file_part(upload, *item) for item in parts["files"]]}
    return upload


def _content(upload: Upload, content: Any, asynchronous: bool) -> None:
    if isinstance(content, (bytes, bytearray, str, list, tuple)):
        return
    if isinstance(content, os.PathLike):
        upload.headers["Content-Length"] = str(os.stat(content).st_size)
        chunks = _AsyncPathChunks(content) if asynchronous else _PathChunks(content)
        upload.parts = {**upload.parts, "content": chunks}
        return
    if hasattr(content, "read"):
        upload.replay = _rewinder(content)
        length = _remaining(content)
        if length is not None:
            upload.headers["Content-Length"] = str(length)
        if asynchronous:
            upload.parts = {**upload.parts, "content": _AsyncFileChunks(content)}
        return
    upload.replay = None  # an iterator or generator: consumed by the first attempt


def _file_part(upload: Upload, name: str, value: Any) -> tuple[str, Any]:
    if isinstance(value, tuple):
        filename, content, *rest = value
    else:
        filename, content, rest = None, value, []
    if isinstance(content, os.PathLike):
        filename = os.path.basename(content) if filename is None else filename
        content = open(content, "rb")
        upload.opened.append(content)
    elif hasattr(content, "read") and _rewinder(content) is None:
        upload.replay = None  # httpx rewinds seekable files itself
    elif not isinstance(value, tuple):
        return (name, value)
    return (name, (filename, content, *rest))


def _rewinder(file: Any) -> Callable[[], None] | None:
    """How to put a file back where it is now, or `None` when it cannot seek."""
    try:
        if not file.seekable():
            return None
        position = file.tell()
    except (AttributeError, OSError, ValueError):
        return None
    return lambda: file.seek(position)


def _remaining(file: Any) -> int | None:
    """Bytes left to read in a regular file (so httpx can send a `Content-Length`)."""
    try:
        position: int = file.tell()
        return max(0, os.fstat(file.fileno()).st_size - position)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None

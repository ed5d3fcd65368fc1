"""Small types shared by the runtime and the generated code."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from typing import IO, Literal, TypeAlias, final

import httpx

__all__ = [
    "NOT_GIVEN",
    "BodyEncoding",
    "Cert",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Query",
    "Security",
    "StreamFormat",
    "Timeout",
    "Verify",
]


@final
class NotGiven:
    """The type of `NOT_GIVEN`: "the caller passed nothing", as opposed to an explicit `None`.

    Optional parameters default to it so that `None` can still be sent when a spec allows null.
    It is falsy, and copying or pickling it gives back the one module-level instance.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout | None
"""Seconds for every phase, a detailed `httpx.Timeout`, or `None` for no timeout at all."""

Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]

Cert: TypeAlias = str | tuple[str, str] | tuple[str, str, str | None]
"""A client certificate: a PEM file, or (certificate file, key file[, key password])."""

Verify: TypeAlias = bool | ssl.SSLContext

BodyEncoding: TypeAlias = Literal["json", "form", "multipart", "binary", "text"]
"""How a request body is sent: JSON, a form, multipart parts, bytes as they are, or text."""

StreamFormat: TypeAlias = Literal["sse", "jsonl", "json-seq", "binary"]
"""How a streamed response body is framed: server-sent events, JSON lines or sequences, bytes."""

Security: TypeAlias = tuple[tuple[str, ...], ...]
"""An OR of ANDs of security scheme names; `()` means no auth."""

FileContent: TypeAlias = IO[bytes] | bytes | os.PathLike[str]
"""Upload content: bytes, an open binary file, or a path (streamed from disk, never read whole)."""
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
"""A multipart file part: the content, or (filename, content[, content type])."""

"""Downloads: a 2xx response whose body stays on the socket until the caller reads it.

`BinaryResponse.write_to_file` copies the body to disk chunk by chunk, so a file of any size
costs one chunk of memory; only `read()` holds the whole body. A connection lost mid-body raises
`APIConnectionError`, as it would before the headers.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Protocol, TypeVar

import httpx

from ._exceptions import APIConnectionError, APIError

__all__ = ["AsyncBinaryResponse", "BinaryResponse", "ErrorFactory"]

DEFAULT_CHUNK_SIZE = 1 << 16
_E = TypeVar("_E", bound=APIError)


class ErrorFactory(Protocol):
    """What streamed responses need from their client (`BaseClient` has it) to raise errors."""

    def _connection_error(
        self, error: httpx.TransportError, request: httpx.Request
    ) -> APIConnectionError: ...

    def _shield(self, error: _E) -> _E: ...

    def _where(self, request: httpx.Request) -> str: ...


class _BaseBinaryResponse:
    def __init__(self, response: httpx.Response, errors: ErrorFactory) -> None:
        self.response = response
        self._errors = errors

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value

    def _failed(self, error: httpx.TransportError) -> APIConnectionError:
        return self._errors._connection_error(error, self.response.request)

    def __repr__(self) -> str:
        response = self.response
        return f"<{type(self).__name__} [{response.status_code} {response.reason_phrase}]>"


class BinaryResponse(_BaseBinaryResponse):
    """A streamed 2xx body; close it (or use `with`) when not reading it to the end."""

    def read(self) -> bytes:
        """The whole body, in memory."""
        try:
            return self.response.read()
        except httpx.TransportError as error:
            raise self._failed(error) from error

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks (of `chunk_size` bytes, except the last), as it arrives."""
        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.TransportError as error:
            raise self._failed(error) from error
        finally:
            self.response.close()

    def write_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> None:
        """Stream the body into `path` (created or truncated)."""
        with open(path, "wb") as file:
            for chunk in self.iter_bytes(chunk_size):
                file.write(chunk)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(_BaseBinaryResponse):
    """`BinaryResponse` of async clients."""

    async def read(self) -> bytes:
        """The whole body, in memory."""
        try:
            return await self.response.aread()
        except httpx.TransportError as error:
            raise self._failed(error) from error

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks (of `chunk_size` bytes, except the last), as it arrives."""
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as error:
            raise self._failed(error) from error
        finally:
            await self.response.aclose()

    async def write_to_file(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> None:
        """Stream the body into `path` (created or truncated); writes block, as `open` does."""
        with open(path, "wb") as file:
            async for chunk in self.iter_bytes(chunk_size):
                file.write(chunk)

    async def aclose(self) -> None:
        await self.response.aclose()

    async def close(self) -> None:
        """The same as `aclose()`."""
        await self.response.aclose()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

"""The base classes of generated clients, and the one call generated code makes: `_request`.

A call is prepared once (URL, query, headers, body, idempotency key, the security schemes to
use; a missing credential fails there, before anything is sent), then sent in attempts. Each
attempt applies auth afresh, so a refreshed OAuth2 token is picked up.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import httpx

from ._auth import AuthParts, AuthScheme, OAuth2Auth
from ._binary import AsyncBinaryResponse, BinaryResponse
from ._core import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, BaseClient, Call, RequestOptions
from ._endpoint import Endpoint
from ._exceptions import APIError
from ._oauth2 import TokenCache
from ._response import APIResponse, AsyncAPIResponse, raw_response_requested, redirect_location
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Cert, Headers, NotGiven, Query, Timeout, Verify

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "Endpoint",
    "RequestOptions",
    "SyncAPIClient",
]

T = TypeVar("T")
_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")
_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")


class SyncAPIClient(BaseClient[httpx.Client]):
    """Base class of generated synchronous clients."""

    def _make_http_client(self) -> httpx.Client:
        return httpx.Client(**self._http_client_options())

    def close(self) -> None:
        """Close the http client, unless it was passed in (its owner closes it)."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def with_options(
        self: _SyncClientT,
        *,
        base_url: str | NotGiven = NOT_GIVEN,
        credentials: Mapping[str, str | None] | NotGiven = NOT_GIVEN,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | NotGiven = NOT_GIVEN,
        cert: Cert | None | NotGiven = NOT_GIVEN,
        verify: Verify | NotGiven = NOT_GIVEN,
    ) -> _SyncClientT:
        """A copy of this client with some settings changed (see `BaseClient._copy`)."""
        clone = self._copy(
            base_url=base_url,
            credentials=credentials,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )
        return cast(_SyncClientT, clone)

    def _request(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> T:
        """Send one operation and return its parsed result (or an `APIResponse` when raw)."""
        raw = raw_response_requested()
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        try:
            response = self._send(call)
        finally:
            call.done()
        if not (response.is_success or (endpoint.redirect and redirect_location(response))):
            raise self._status_error(call, response)
        parse = self._parser(call, response)
        return cast(T, APIResponse(response, parse)) if raw else cast(T, parse())

    def _send(self, call: Call, stream: bool = False) -> httpx.Response:
        """Send `call`, retrying as allowed; `stream`: the body of the answer is left unread."""
        retries, attempt, reauthenticated = 0, 0, False
        while True:
            attempt += 1
            parts, tokens = self._authorize(call.schemes)
            request = self._build_request(call, parts)
            started = time.monotonic()
            try:
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as error:
                self._log(request, type(error).__name__, f"attempt {attempt}", started)
                delay = self._retry_delay(call, retries, error=error)
                if delay is None:
                    raise self._connection_error(error, request) from error
            else:
                self._log(request, response.status_code, f"attempt {attempt}", started)
                if response.status_code == 401 and tokens and not reauthenticated and call.rewind():
                    reauthenticated = True
                    response.close()
                    for cache, token in tokens:
                        cache.discard(token)
                    continue
                delay = self._retry_delay(call, retries, response=response)
                if delay is None:
                    return response
                response.close()
            retries += 1
            call.rewind()  # `_retry_delay` said yes: the body can be rewound
            self._log_retry(request, delay, retries, call.max_retries)
            time.sleep(delay)

    def _stream(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> Stream[T]:
        """Send a streamed operation (SSE, JSON lines): a `Stream` of `endpoint.result` items."""
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        return cast(Stream[T], self._open_stream(call))

    def _download(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> BinaryResponse:
        """Send an operation whose 2xx body is returned unread, as a `BinaryResponse`."""
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        return BinaryResponse(self._open(call), self)

    def _open(self, call: Call) -> httpx.Response:
        """Send `call`; the 2xx response with its body unread (non-2xx raise, as in `_request`)."""
        try:
            response = self._send(call, stream=True)
        finally:
            call.done()
        if not response.is_success:
            try:
                response.read()
            except httpx.TransportError as error:
                raise self._connection_error(error, response.request) from error
            finally:
                response.close()
            raise self._status_error(call, response)
        return response

    def _open_stream(self, call: Call) -> Stream[Any]:
        reopen = functools.partial(self._reopen_stream, call)
        return Stream(self._open(call), call.endpoint, self, reopen)

    def _reopen_stream(self, call: Call, last_event_id: str | None) -> Stream[Any]:
        return self._open_stream(_resumed(call, last_event_id))

    def _authorize(
        self, schemes: tuple[AuthScheme, ...]
    ) -> tuple[AuthParts, list[tuple[TokenCache, str]]]:
        parts, fetched = AuthParts(), []
        for scheme in schemes:
            oauth2 = self._token_scheme(scheme)
            if oauth2 is None:
                scheme.apply(parts, self._secrets)
                continue
            cache = self._secrets.token_cache(oauth2)
            token = self._oauth2_token(oauth2, cache)
            parts.bearer(token)
            fetched.append((cache, token))
        return parts, fetched

    def _oauth2_token(self, scheme: OAuth2Auth, cache: TokenCache) -> str:
        with cache.lock:
            token = cache.fresh_token(time.monotonic())
            if token is not None:
                return token
            request = self._token_request(scheme)
            started = time.monotonic()
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                raise self._connection_error(error, request, keep_body=False) from error
            return self._store_token(cache, response, started)


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """Base class of generated asynchronous clients."""

    def _make_http_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self._http_client_options())

    async def aclose(self) -> None:
        """Close the http client, unless it was passed in (its owner closes it)."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def with_options(
        self: _AsyncClientT,
        *,
        base_url: str | NotGiven = NOT_GIVEN,
        credentials: Mapping[str, str | None] | NotGiven = NOT_GIVEN,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | NotGiven = NOT_GIVEN,
        http_client: httpx.AsyncClient | NotGiven = NOT_GIVEN,
        cert: Cert | None | NotGiven = NOT_GIVEN,
        verify: Verify | NotGiven = NOT_GIVEN,
    ) -> _AsyncClientT:
        """A copy of this client with some settings changed (see `BaseClient._copy`)."""
        clone = self._copy(
            base_url=base_url,
            credentials=credentials,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )
        return cast(_AsyncClientT, clone)

    async def _request(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> T:
        """Send one operation and return its parsed result (or an `AsyncAPIResponse` when raw)."""
        raw = raw_response_requested()
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        try:
            response = await self._send(call)
        finally:
            call.done()
        if not (response.is_success or (endpoint.redirect and redirect_location(response))):
            raise self._status_error(call, response)
        parse = self._parser(call, response)
        return cast(T, AsyncAPIResponse(response, parse)) if raw else cast(T, parse())

    async def _send(self, call: Call, stream: bool = False) -> httpx.Response:
        """Send `call`, retrying as allowed; `stream`: the body of the answer is left unread."""
        retries, attempt, reauthenticated = 0, 0, False
        while True:
            attempt += 1
            parts, tokens = await self._authorize(call.schemes)
            request = self._build_request(call, parts)
            started = time.monotonic()
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as error:
                self._log(request, type(error).__name__, f"attempt {attempt}", started)
                delay = self._retry_delay(call, retries, error=error)
                if delay is None:
                    raise self._connection_error(error, request) from error
            else:
                self._log(request, response.status_code, f"attempt {attempt}", started)
                if response.status_code == 401 and tokens and not reauthenticated and call.rewind():
                    reauthenticated = True
                    await response.aclose()
                    for cache, token in tokens:
                        cache.discard(token)
                    continue
                delay = self._retry_delay(call, retries, response=response)
                if delay is None:
                    return response
                await response.aclose()
            retries += 1
            call.rewind()  # `_retry_delay` said yes: the body can be rewound
            self._log_retry(request, delay, retries, call.max_retries)
            await _sleep(delay)

    async def _stream(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> AsyncStream[T]:
        """Send a streamed operation (SSE, JSON lines): an `AsyncStream` of `endpoint.result` items."""
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        return cast(AsyncStream[T], await self._open_stream(call))

    async def _download(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> AsyncBinaryResponse:
        """Send an operation whose 2xx body is returned unread, as an `AsyncBinaryResponse`."""
        call = self._prepare(endpoint, path_params, query, headers, cookies, body, options)
        return AsyncBinaryResponse(await self._open(call), self)

    async def _open(self, call: Call) -> httpx.Response:
        """Send `call`; the 2xx response with its body unread (non-2xx raise, as in `_request`)."""
        try:
            response = await self._send(call, stream=True)
        finally:
            call.done()
        if not response.is_success:
            try:
                await response.aread()
            except httpx.TransportError as error:
                raise self._connection_error(error, response.request) from error
            finally:
                await response.aclose()
            raise self._status_error(call, response)
        return response

    async def _open_stream(self, call: Call) -> AsyncStream[Any]:
        reopen = functools.partial(self._reopen_stream, call)
        return AsyncStream(await self._open(call), call.endpoint, self, reopen)

    async def _reopen_stream(self, call: Call, last_event_id: str | None) -> AsyncStream[Any]:
        return await self._open_stream(_resumed(call, last_event_id))

    async def _authorize(
        self, schemes: tuple[AuthScheme, ...]
    ) -> tuple[AuthParts, list[tuple[TokenCache, str]]]:
        parts, fetched = AuthParts(), []
        for scheme in schemes:
            oauth2 = self._token_scheme(scheme)
            if oauth2 is None:
                scheme.apply(parts, self._secrets)
                continue
            cache = self._secrets.token_cache(oauth2)
            token = await self._oauth2_token(oauth2, cache)
            parts.bearer(token)
            fetched.append((cache, token))
        return parts, fetched

    async def _oauth2_token(self, scheme: OAuth2Auth, cache: TokenCache) -> str:
        async with cache.async_lock:
            token = cache.fresh_token(time.monotonic())
            if token is not None:
                return token
            request = self._token_request(scheme)
            started = time.monotonic()
            try:
                response = await self._http.send(request)
            except httpx.TransportError as error:
                raise self._connection_error(error, request, keep_body=False) from error
            return self._store_token(cache, response, started)


def _resumed(call: Call, last_event_id: str | None) -> Call:
    """`call` to send again after a stream broke off, asking to resume after `last_event_id`."""
    if not call.rewind():
        raise APIError("the request body cannot be sent again, so the stream cannot reconnect")
    if last_event_id is None:
        return call
    headers = {**call.headers, "last-event-id": ("Last-Event-ID", last_event_id)}
    return dataclasses.replace(call, headers=headers)


async def _sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: sync clients never need it, and it is a slow import

    await asyncio.sleep(seconds)

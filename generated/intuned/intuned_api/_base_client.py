"""The base classes of generated clients, and the one call generated code makes: `_request`.

A call is prepared once (URL, query, headers, body, idempotency key, the security schemes to
use; a missing credential fails there, before anything is sent), then sent in attempts. Each
attempt applies auth afresh, so a refreshed OAuth2 token is picked up.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TypeVar, cast

import httpx

from ._auth import AuthParts, AuthScheme, OAuth2Auth
from ._core import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, BaseClient, Call, RequestOptions
from ._endpoint import Endpoint
from ._oauth2 import TokenCache
from ._response import APIResponse, AsyncAPIResponse, raw_response_requested
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
        response = self._send(call)
        if not response.is_success:
            raise self._status_error(call, response)
        parse = self._parser(call, response)
        return cast(T, APIResponse(response, parse)) if raw else cast(T, parse())

    def _send(self, call: Call) -> httpx.Response:
        retries, attempt, reauthenticated = 0, 0, False
        while True:
            attempt += 1
            parts, tokens = self._authorize(call.schemes)
            request = self._build_request(call, parts)
            started = time.monotonic()
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                self._log(request, type(error).__name__, f"attempt {attempt}", started)
                delay = self._retry_delay(call, retries, error=error)
                if delay is None:
                    raise self._connection_error(error, request) from error
            else:
                self._log(request, response.status_code, f"attempt {attempt}", started)
                if response.status_code == 401 and tokens and not reauthenticated:
                    reauthenticated = True
                    for cache, token in tokens:
                        cache.discard(token)
                    continue
                delay = self._retry_delay(call, retries, response=response)
                if delay is None:
                    return response
            retries += 1
            self._log_retry(request, delay, retries, call.max_retries)
            time.sleep(delay)

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
                raise self._connection_error(error, request) from error
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
        response = await self._send(call)
        if not response.is_success:
            raise self._status_error(call, response)
        parse = self._parser(call, response)
        return cast(T, AsyncAPIResponse(response, parse)) if raw else cast(T, parse())

    async def _send(self, call: Call) -> httpx.Response:
        retries, attempt, reauthenticated = 0, 0, False
        while True:
            attempt += 1
            parts, tokens = await self._authorize(call.schemes)
            request = self._build_request(call, parts)
            started = time.monotonic()
            try:
                response = await self._http.send(request)
            except httpx.TransportError as error:
                self._log(request, type(error).__name__, f"attempt {attempt}", started)
                delay = self._retry_delay(call, retries, error=error)
                if delay is None:
                    raise self._connection_error(error, request) from error
            else:
                self._log(request, response.status_code, f"attempt {attempt}", started)
                if response.status_code == 401 and tokens and not reauthenticated:
                    reauthenticated = True
                    for cache, token in tokens:
                        cache.discard(token)
                    continue
                delay = self._retry_delay(call, retries, response=response)
                if delay is None:
                    return response
            retries += 1
            self._log_retry(request, delay, retries, call.max_retries)
            await _sleep(delay)

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
                raise self._connection_error(error, request) from error
            return self._store_token(cache, response, started)


async def _sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: sync clients never need it, and it is a slow import

    await asyncio.sleep(seconds)

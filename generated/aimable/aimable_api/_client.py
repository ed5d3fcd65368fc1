"""Clients for Aimable API: `Aimable` and `AsyncAimable`."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import httpx

from ._auth import ApiKeyAuth, AuthScheme, BearerAuth, Credential
from ._base_client import DEFAULT_MAX_RETRIES, AsyncAPIClient, SyncAPIClient
from ._types import NOT_GIVEN, Cert, NotGiven, Timeout, Verify

if TYPE_CHECKING:  # resources (and the models they use) load on first use: a fast import
    from .resources.executions import AsyncExecutionsResource, ExecutionsResource

__all__ = ["Aimable", "AsyncAimable"]

_CREDENTIALS = (Credential("api_key", env="AIMABLE_API_KEY", secret=True),)
_SCHEMES: Mapping[str, AuthScheme] = {
    "bearerAuth": BearerAuth(credential="api_key"),
    "apiKeyAuth": ApiKeyAuth(param="X-API-Key", location="header", credential="api_key", prefix=""),
}
_DEFAULT_BASE_URL: str | None = None
_BASE_URL_ENV = "AIMABLE_BASE_URL"


class Aimable(SyncAPIClient):
    """Synchronous client: Aimable API.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `AIMABLE_API_KEY`, `base_url` from `AIMABLE_BASE_URL`.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        cert: Cert | None = None,
        verify: Verify = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url=_DEFAULT_BASE_URL,
            env_base_url=_BASE_URL_ENV,
            credentials={"api_key": api_key},
            credential_specs=_CREDENTIALS,
            schemes=_SCHEMES,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )

    @cached_property
    def executions(self) -> ExecutionsResource:
        """Operations on executions."""
        from .resources.executions import ExecutionsResource

        return ExecutionsResource(self)


class AsyncAimable(AsyncAPIClient):
    """Asynchronous client: Aimable API.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `AIMABLE_API_KEY`, `base_url` from `AIMABLE_BASE_URL`.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        cert: Cert | None = None,
        verify: Verify = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url=_DEFAULT_BASE_URL,
            env_base_url=_BASE_URL_ENV,
            credentials={"api_key": api_key},
            credential_specs=_CREDENTIALS,
            schemes=_SCHEMES,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )

    @cached_property
    def executions(self) -> AsyncExecutionsResource:
        """Operations on executions."""
        from .resources.executions import AsyncExecutionsResource

        return AsyncExecutionsResource(self)

"""Clients for Ziet API: `Ziet` and `AsyncZiet`."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import httpx

from ._auth import ApiKeyAuth, AuthScheme, Credential
from ._base_client import DEFAULT_MAX_RETRIES, AsyncAPIClient, SyncAPIClient
from ._types import NOT_GIVEN, Cert, NotGiven, Timeout, Verify

if TYPE_CHECKING:  # resources (and the models they use) load on first use: a fast import
    from .resources.runs import AsyncRunsResource, RunsResource

__all__ = ["Ziet", "AsyncZiet"]

_CREDENTIALS = (Credential("api_key", env="ZIET_API_KEY", secret=True),)
_SCHEMES: Mapping[str, AuthScheme] = {
    "apiKey": ApiKeyAuth(
        param="Authorization", location="header", credential="api_key", prefix="Api-Key "
    ),
}
_DEFAULT_BASE_URL: str | None = "https://api.ziet.ai/v1"
_BASE_URL_ENV = "ZIET_BASE_URL"


class Ziet(SyncAPIClient):
    """Synchronous client: Ziet API.

    Ziet is a serverless platform for AI agents and applications. Build intelligent agents
    with @Agent and @Action decorators, or serverless APIs with @Endpoint and Database.
    Deploy with a single command—no infrastructure to manage.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `ZIET_API_KEY`, `base_url` from `ZIET_BASE_URL` (default: https://api.ziet.ai/v1).
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
    def runs(self) -> RunsResource:
        """Execute agents"""
        from .resources.runs import RunsResource

        return RunsResource(self)


class AsyncZiet(AsyncAPIClient):
    """Asynchronous client: Ziet API.

    Ziet is a serverless platform for AI agents and applications. Build intelligent agents
    with @Agent and @Action decorators, or serverless APIs with @Endpoint and Database.
    Deploy with a single command—no infrastructure to manage.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `ZIET_API_KEY`, `base_url` from `ZIET_BASE_URL` (default: https://api.ziet.ai/v1).
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
    def runs(self) -> AsyncRunsResource:
        """Execute agents"""
        from .resources.runs import AsyncRunsResource

        return AsyncRunsResource(self)

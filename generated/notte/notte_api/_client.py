"""Clients for Notte API: `Notte` and `AsyncNotte`."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import httpx

from ._auth import AuthScheme, Credential, OAuth2Auth
from ._base_client import DEFAULT_MAX_RETRIES, AsyncAPIClient, SyncAPIClient
from ._types import NOT_GIVEN, Cert, NotGiven, Timeout, Verify

if TYPE_CHECKING:  # resources (and the models they use) load on first use: a fast import
    from .resources.functions import AsyncFunctionsResource, FunctionsResource

__all__ = ["Notte", "AsyncNotte"]

_CREDENTIALS = (
    Credential("api_key", env="NOTTE_API_KEY", secret=True),
    Credential("username", env="NOTTE_USERNAME", secret=False),
    Credential("password", env="NOTTE_PASSWORD", secret=True),
)
_SCHEMES: Mapping[str, AuthScheme] = {
    "OAuth2PasswordBearer": OAuth2Auth(
        token_url="token", flows=("password",), scopes=(), credential="api_key"
    ),
}
_DEFAULT_BASE_URL: str | None = "https://api.notte.cc"
_BASE_URL_ENV = "NOTTE_BASE_URL"


class Notte(SyncAPIClient):
    """Synchronous client: Notte API.

    Notte API is a REST API that allows you to interact with Notte. It is used to create
    cloud browser sessions, scrape webpages, and run web ai agents to act on your behalf on
    the internet.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `NOTTE_API_KEY`, `username` from `NOTTE_USERNAME`, `password` from
    `NOTTE_PASSWORD`, `base_url` from `NOTTE_BASE_URL` (default: https://api.notte.cc).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
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
            credentials={"api_key": api_key, "username": username, "password": password},
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
    def functions(self) -> FunctionsResource:
        """Functions management (create, delete, list, etc.)"""
        from .resources.functions import FunctionsResource

        return FunctionsResource(self)


class AsyncNotte(AsyncAPIClient):
    """Asynchronous client: Notte API.

    Notte API is a REST API that allows you to interact with Notte. It is used to create
    cloud browser sessions, scrape webpages, and run web ai agents to act on your behalf on
    the internet.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `NOTTE_API_KEY`, `username` from `NOTTE_USERNAME`, `password` from
    `NOTTE_PASSWORD`, `base_url` from `NOTTE_BASE_URL` (default: https://api.notte.cc).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
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
            credentials={"api_key": api_key, "username": username, "password": password},
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
    def functions(self) -> AsyncFunctionsResource:
        """Functions management (create, delete, list, etc.)"""
        from .resources.functions import AsyncFunctionsResource

        return AsyncFunctionsResource(self)

"""Clients for Autotab API: `Autotab` and `AsyncAutotab`."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import httpx

from ._auth import AuthScheme, BearerAuth, Credential
from ._base_client import DEFAULT_MAX_RETRIES, AsyncAPIClient, SyncAPIClient
from ._types import NOT_GIVEN, Cert, NotGiven, Timeout, Verify

if TYPE_CHECKING:  # resources (and the models they use) load on first use: a fast import
    from .resources.run import AsyncRunResource, RunResource

__all__ = ["Autotab", "AsyncAutotab"]

_CREDENTIALS = (Credential("api_key", env="AUTOTAB_API_KEY", secret=True),)
_SCHEMES: Mapping[str, AuthScheme] = {
    "HTTPBearer": BearerAuth(credential="api_key"),
}
_DEFAULT_BASE_URL: str | None = "https://api.autotab.com/v1"
_BASE_URL_ENV = "AUTOTAB_BASE_URL"


class Autotab(SyncAPIClient):
    """Synchronous client: Autotab API.

    AI that does your repetitive work end to end, with superhuman reliability.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `AUTOTAB_API_KEY`, `base_url` from `AUTOTAB_BASE_URL` (default:
    https://api.autotab.com/v1).
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
    def run(self) -> RunResource:
        """Operations on run."""
        from .resources.run import RunResource

        return RunResource(self)


class AsyncAutotab(AsyncAPIClient):
    """Asynchronous client: Autotab API.

    AI that does your repetitive work end to end, with superhuman reliability.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `AUTOTAB_API_KEY`, `base_url` from `AUTOTAB_BASE_URL` (default:
    https://api.autotab.com/v1).
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
    def run(self) -> AsyncRunResource:
        """Operations on run."""
        from .resources.run import AsyncRunResource

        return AsyncRunResource(self)

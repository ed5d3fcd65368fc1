"""Clients for Intuned Client: `Intuned` and `AsyncIntuned`."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import httpx

from ._auth import ApiKeyAuth, AuthScheme, Credential
from ._base_client import DEFAULT_MAX_RETRIES, AsyncAPIClient, SyncAPIClient
from ._payload import client_param
from ._types import NOT_GIVEN, Cert, NotGiven, Timeout, Verify

if TYPE_CHECKING:  # resources (and the models they use) load on first use: a fast import
    from .resources.projects import AsyncProjectsResource, ProjectsResource

__all__ = ["Intuned", "AsyncIntuned"]

_CREDENTIALS = (Credential("api_key", env="INTUNED_API_KEY", secret=True),)
_SCHEMES: Mapping[str, AuthScheme] = {
    "api_key": ApiKeyAuth(param="x-api-key", location="header", credential="api_key", prefix=""),
}
_DEFAULT_BASE_URL: str | None = "https://app.intuned.io/api/v1/workspace"
_BASE_URL_ENV = "INTUNED_BASE_URL"


class Intuned(SyncAPIClient):
    """Synchronous client: Intuned Client.

    Programmatically trigger automations, manage Jobs, and handle AuthSessions.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `INTUNED_API_KEY`, `workspace_id` from `INTUNED_WORKSPACE_ID`, `base_url` from
    `INTUNED_BASE_URL` (default: https://app.intuned.io/api/v1/workspace).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        workspace_id: str | None = None,
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
        self.workspace_id = client_param(workspace_id, "workspace_id", "INTUNED_WORKSPACE_ID")

    @cached_property
    def projects(self) -> ProjectsResource:
        """Operations on projects."""
        from .resources.projects import ProjectsResource

        return ProjectsResource(self)


class AsyncIntuned(AsyncAPIClient):
    """Asynchronous client: Intuned Client.

    Programmatically trigger automations, manage Jobs, and handle AuthSessions.

    Arguments not passed are read from the environment when the client is built: `api_key`
    from `INTUNED_API_KEY`, `workspace_id` from `INTUNED_WORKSPACE_ID`, `base_url` from
    `INTUNED_BASE_URL` (default: https://app.intuned.io/api/v1/workspace).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        workspace_id: str | None = None,
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
        self.workspace_id = client_param(workspace_id, "workspace_id", "INTUNED_WORKSPACE_ID")

    @cached_property
    def projects(self) -> AsyncProjectsResource:
        """Operations on projects."""
        from .resources.projects import AsyncProjectsResource

        return AsyncProjectsResource(self)

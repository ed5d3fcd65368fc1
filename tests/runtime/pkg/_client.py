"""A hand-written stand-in for what the generator emits around the runtime.

The tests copy `templates/runtime/*.py` and this file into a throwaway package `rtpkg`, so it
imports the runtime relatively, exactly like a generated `_client.py` and its resources do.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from ._auth import (
    ApiKeyAuth,
    AuthScheme,
    BasicAuth,
    BearerAuth,
    Credential,
    MutualTLSAuth,
    OAuth2Auth,
)
from ._base_client import (
    DEFAULT_MAX_RETRIES,
    AsyncAPIClient,
    Endpoint,
    RequestOptions,
    SyncAPIClient,
)
from ._pagination import AsyncPage, AsyncPager, Paginator, SyncPage
from ._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from ._types import NOT_GIVEN, Cert, Headers, NotGiven, Query, Timeout, Verify
from ._webhooks import Webhooks


class Run(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    status: str
    agent_id: str | None = Field(default=None, alias="agentId")


class RunInput(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    prompt: str
    max_steps: int | None = Field(default=None, alias="maxSteps")
    tags: list[str] | None = None


class Error(BaseModel):
    error: str
    message: str


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str


class HTTPValidationError(BaseModel):
    detail: list[ValidationIssue]


class Item(BaseModel):
    id: str
    n: int


class RunCompleted(BaseModel):
    type: Literal["run.completed"] = "run.completed"
    run: Run


class RunFailed(BaseModel):
    type: Literal["run.failed"] = "run.failed"
    run_id: str
    reason: str


Event = Annotated[RunCompleted | RunFailed, Field(discriminator="type")]
"""The union of the spec's webhook payloads, as the generator would write it."""


CREDENTIALS = (
    Credential("api_key", env="RT_API_KEY"),
    Credential("username", env="RT_USERNAME", secret=False),
    Credential("password", env="RT_PASSWORD"),
    Credential("client_id", env="RT_CLIENT_ID", secret=False),
    Credential("client_secret", env="RT_CLIENT_SECRET"),
    Credential("webhook_secret", env="RT_WEBHOOK_SECRET"),
)
SCHEMES: Mapping[str, AuthScheme] = {
    "apiKey": ApiKeyAuth("Authorization", "header", prefix="Api-Key "),
    "headerKey": ApiKeyAuth("X-Api-Key", "header"),
    "queryKey": ApiKeyAuth("api_key", "query"),
    "cookieKey": ApiKeyAuth("session", "cookie"),
    "bearer": BearerAuth(),
    "basic": BasicAuth(),
    "oauth2": OAuth2Auth(token_url="oauth/token", flows=("client_credentials", "password")),
    "mtls": MutualTLSAuth(),
}
_ERRORS: Mapping[str, Any] = {"404": Error, "4XX": Error, "default": Error}

GET_RUN = Endpoint[Run](
    method="GET",
    path="/runs/{id}",
    result=Run,
    errors=_ERRORS,
    security=(("apiKey",),),
)
INVOKE_RUN = Endpoint[Run](
    method="POST",
    path="/runs/{id}/invoke",
    result=Run,
    errors={"422": HTTPValidationError, **_ERRORS},
    security=(("apiKey",),),
    idempotency_header="Idempotency-Key",
    body_encoding="json",
)
CREATE_RUN = Endpoint[Run](
    method="POST",
    path="/runs",
    result=Run,
    errors=_ERRORS,
    security=(("apiKey",),),
    body_encoding="json",
)
DELETE_RUN = Endpoint[None](
    method="DELETE", path="/runs/{id}", result=None, security=(("apiKey",),)
)
LIST_RUNS = Endpoint[list[Run]](
    method="GET", path="/runs", result=list[Run], security=(("apiKey",),)
)
LIST_ITEMS = Endpoint[Any](method="GET", path="/items", result=Any, security=(("apiKey",),))
LIST_ITEMS_PAGES = Paginator(
    style="cursor", items_path="data", next_cursor_path="meta.next_cursor", has_more_path="has_more"
)


def _options(
    extra_headers: Headers | None,
    extra_query: Query | None,
    timeout: Timeout | NotGiven,
    max_retries: int | NotGiven,
) -> RequestOptions:
    return RequestOptions(
        extra_headers=extra_headers,
        extra_query=extra_query,
        timeout=timeout,
        max_retries=max_retries,
    )


class Runs:
    def __init__(self, client: RtClient) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> RunsWithRawResponse:
        return RunsWithRawResponse(self)

    def get(
        self,
        id: str,
        *,
        expand: list[str] | NotGiven = NOT_GIVEN,
        verbose: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        return self._client._request(
            GET_RUN,
            path_params={"id": id},
            query={"expand": expand, "verbose": verbose},
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )

    def invoke(
        self,
        id: str,
        *,
        prompt: str,
        max_steps: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        given = {"prompt": prompt, "maxSteps": max_steps}
        body = RunInput.model_validate({k: v for k, v in given.items() if v is not NOT_GIVEN})
        return self._client._request(
            INVOKE_RUN,
            path_params={"id": id},
            headers={"Idempotency-Key": idempotency_key},
            body=body,
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )

    def create(
        self,
        *,
        body: RunInput | Mapping[str, object],
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> Run:
        return self._client._request(
            CREATE_RUN,
            body=body,
            options=_options(extra_headers, None, NOT_GIVEN, max_retries),
        )

    def delete(self, id: str) -> None:
        return self._client._request(DELETE_RUN, path_params={"id": id})

    def list_runs(self) -> list[Run]:
        return self._client._request(LIST_RUNS)


class RunsWithRawResponse:
    def __init__(self, resource: Runs) -> None:
        self.get = to_raw_response_wrapper(resource.get)
        self.invoke = to_raw_response_wrapper(resource.invoke)
        self.delete = to_raw_response_wrapper(resource.delete)


class AsyncRuns:
    def __init__(self, client: AsyncRtClient) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncRunsWithRawResponse:
        return AsyncRunsWithRawResponse(self)

    async def get(
        self,
        id: str,
        *,
        expand: list[str] | NotGiven = NOT_GIVEN,
        verbose: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        return await self._client._request(
            GET_RUN,
            path_params={"id": id},
            query={"expand": expand, "verbose": verbose},
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )

    async def invoke(
        self,
        id: str,
        *,
        prompt: str,
        max_steps: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        given = {"prompt": prompt, "maxSteps": max_steps}
        body = RunInput.model_validate({k: v for k, v in given.items() if v is not NOT_GIVEN})
        return await self._client._request(
            INVOKE_RUN,
            path_params={"id": id},
            headers={"Idempotency-Key": idempotency_key},
            body=body,
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )

    async def create(
        self,
        *,
        body: RunInput | Mapping[str, object],
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> Run:
        return await self._client._request(
            CREATE_RUN,
            body=body,
            options=_options(extra_headers, None, NOT_GIVEN, max_retries),
        )

    async def delete(self, id: str) -> None:
        return await self._client._request(DELETE_RUN, path_params={"id": id})

    async def list_runs(self) -> list[Run]:
        return await self._client._request(LIST_RUNS)


class AsyncRunsWithRawResponse:
    def __init__(self, resource: AsyncRuns) -> None:
        self.get = async_to_raw_response_wrapper(resource.get)
        self.invoke = async_to_raw_response_wrapper(resource.invoke)
        self.delete = async_to_raw_response_wrapper(resource.delete)


class Items:
    def __init__(self, client: RtClient) -> None:
        self._client = client

    def list(
        self,
        *,
        cursor: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        q: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[Item]:
        return SyncPage.first(
            self._client,
            LIST_ITEMS,
            LIST_ITEMS_PAGES,
            Item,
            query={"cursor": cursor, "limit": limit, "q": q},
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )


class AsyncItems:
    def __init__(self, client: AsyncRtClient) -> None:
        self._client = client

    def list(
        self,
        *,
        cursor: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        q: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[Item]:
        return AsyncPage.first(
            self._client,
            LIST_ITEMS,
            LIST_ITEMS_PAGES,
            Item,
            query={"cursor": cursor, "limit": limit, "q": q},
            options=_options(extra_headers, extra_query, timeout, max_retries),
        )


class RtClient(SyncAPIClient):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.Client | None = None,
        cert: Cert | None = None,
        verify: Verify = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url=None,
            env_base_url="RT_BASE_URL",
            credentials={
                "api_key": api_key,
                "username": username,
                "password": password,
                "client_id": client_id,
                "client_secret": client_secret,
                "webhook_secret": webhook_secret,
            },
            credential_specs=CREDENTIALS,
            schemes=SCHEMES,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )

    @property
    def runs(self) -> Runs:
        return Runs(self)

    @property
    def items(self) -> Items:
        return Items(self)

    @functools.cached_property
    def webhooks(self) -> Webhooks[Event]:
        return Webhooks(self, event=Event)


class AsyncRtClient(AsyncAPIClient):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.AsyncClient | None = None,
        cert: Cert | None = None,
        verify: Verify = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url=None,
            env_base_url="RT_BASE_URL",
            credentials={
                "api_key": api_key,
                "username": username,
                "password": password,
                "client_id": client_id,
                "client_secret": client_secret,
                "webhook_secret": webhook_secret,
            },
            credential_specs=CREDENTIALS,
            schemes=SCHEMES,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            cert=cert,
            verify=verify,
        )

    @property
    def runs(self) -> AsyncRuns:
        return AsyncRuns(self)

    @property
    def items(self) -> AsyncItems:
        return AsyncItems(self)

    @functools.cached_property
    def webhooks(self) -> Webhooks[Event]:
        return Webhooks(self, event=Event)

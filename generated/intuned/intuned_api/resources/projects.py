"""The projects resource."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from .._base_client import RequestOptions
from .._endpoint import Endpoint
from .._payload import build_body, require
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ..models import (
    CredentialsBasedAuthSessionInput,
    RunApiStartRequest,
    RunApiStartRequestRetry,
    RunApiStartResponse,
    RuntimeBasedAuthSessionInput,
    S3SinkConfiguration,
    WebhookSinkConfiguration,
)

if TYPE_CHECKING:
    from .._client import AsyncIntuned, Intuned

__all__ = [
    "ProjectsResource",
    "AsyncProjectsResource",
    "RunsResource",
    "AsyncRunsResource",
]

_RUNS_START = Endpoint[RunApiStartResponse](
    method="POST",
    path="/{workspaceId}/projects/{projectName}/run/start",
    result=RunApiStartResponse,
    security=(("api_key",),),
    body_encoding="json",
)


class ProjectsResource:
    """Operations on projects."""

    def __init__(self, client: Intuned) -> None:
        self._client = client

    @property
    def runs(self) -> RunsResource:
        return RunsResource(self._client)

    @property
    def with_raw_response(self) -> ProjectsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return ProjectsResourceWithRawResponse(self)


class ProjectsResourceWithRawResponse:
    def __init__(self, resource: ProjectsResource) -> None:
        self.runs = RunsResourceWithRawResponse(resource.runs)


class RunsResource:
    """Run APIs"""

    def __init__(self, client: Intuned) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> RunsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return RunsResourceWithRawResponse(self)

    def start(
        self,
        project_name: str,
        *,
        parameters: dict[str, Any],
        api: str,
        proxy: str | None | NotGiven = NOT_GIVEN,
        save_trace: bool | NotGiven = NOT_GIVEN,
        request_timeout: int | NotGiven = NOT_GIVEN,
        retry: RunApiStartRequestRetry | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        auth_session: (
            RuntimeBasedAuthSessionInput
            | CredentialsBasedAuthSessionInput
            | Mapping[str, Any]
            | NotGiven
        ) = NOT_GIVEN,
        sink: (
            WebhookSinkConfiguration | S3SinkConfiguration | Mapping[str, Any] | NotGiven
        ) = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunApiStartResponse:
        """Run API - Start

        Start a Run for a Project.

        Args:
            project_name: The name you assigned when creating the Project.
            parameters: The parameters to be passed to the API.
            api: The name of the API to be executed. This is the file path relative to
                the `api` folder inside your project.
            proxy: Proxy URL to be used for the API call. This is optional and can be
                used to route the API call through a proxy server.
            request_timeout: Timeout for the API request in seconds. Default is 10
                minutes (600 seconds).
            auth_session: AuthSession config to be used with the run. This is a required
                field if the AuthSession is enabled on the project.
            sink: Optional sink configuration for the run. Can be a webhook or S3 sink.

        Example:
            client.projects.runs.start(
                project_name="my-project",
                parameters={},
                api="api",
                proxy="http://username:password@domain:port",
                request_timeout=600,
            )
        """
        return self._client._request(
            _RUNS_START,
            path_params={
                "workspaceId": require(
                    self._client.workspace_id, "workspace_id", "INTUNED_WORKSPACE_ID"
                ),
                "projectName": project_name,
            },
            body=build_body(
                RunApiStartRequest,
                {
                    "parameters": parameters,
                    "api": api,
                    "proxy": proxy,
                    "saveTrace": save_trace,
                    "requestTimeout": request_timeout,
                    "retry": retry,
                    "authSession": auth_session,
                    "sink": sink,
                },
                {
                    "saveTrace": "save_trace",
                    "requestTimeout": "request_timeout",
                    "authSession": "auth_session",
                },
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class RunsResourceWithRawResponse:
    def __init__(self, resource: RunsResource) -> None:
        self.start = to_raw_response_wrapper(resource.start)


class AsyncProjectsResource:
    """Operations on projects."""

    def __init__(self, client: AsyncIntuned) -> None:
        self._client = client

    @property
    def runs(self) -> AsyncRunsResource:
        return AsyncRunsResource(self._client)

    @property
    def with_raw_response(self) -> AsyncProjectsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncProjectsResourceWithRawResponse(self)


class AsyncProjectsResourceWithRawResponse:
    def __init__(self, resource: AsyncProjectsResource) -> None:
        self.runs = AsyncRunsResourceWithRawResponse(resource.runs)


class AsyncRunsResource:
    """Run APIs"""

    def __init__(self, client: AsyncIntuned) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncRunsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncRunsResourceWithRawResponse(self)

    async def start(
        self,
        project_name: str,
        *,
        parameters: dict[str, Any],
        api: str,
        proxy: str | None | NotGiven = NOT_GIVEN,
        save_trace: bool | NotGiven = NOT_GIVEN,
        request_timeout: int | NotGiven = NOT_GIVEN,
        retry: RunApiStartRequestRetry | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        auth_session: (
            RuntimeBasedAuthSessionInput
            | CredentialsBasedAuthSessionInput
            | Mapping[str, Any]
            | NotGiven
        ) = NOT_GIVEN,
        sink: (
            WebhookSinkConfiguration | S3SinkConfiguration | Mapping[str, Any] | NotGiven
        ) = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunApiStartResponse:
        """Run API - Start

        Start a Run for a Project.

        Args:
            project_name: The name you assigned when creating the Project.
            parameters: The parameters to be passed to the API.
            api: The name of the API to be executed. This is the file path relative to
                the `api` folder inside your project.
            proxy: Proxy URL to be used for the API call. This is optional and can be
                used to route the API call through a proxy server.
            request_timeout: Timeout for the API request in seconds. Default is 10
                minutes (600 seconds).
            auth_session: AuthSession config to be used with the run. This is a required
                field if the AuthSession is enabled on the project.
            sink: Optional sink configuration for the run. Can be a webhook or S3 sink.

        Example:
            await client.projects.runs.start(
                project_name="my-project",
                parameters={},
                api="api",
                proxy="http://username:password@domain:port",
                request_timeout=600,
            )
        """
        return await self._client._request(
            _RUNS_START,
            path_params={
                "workspaceId": require(
                    self._client.workspace_id, "workspace_id", "INTUNED_WORKSPACE_ID"
                ),
                "projectName": project_name,
            },
            body=build_body(
                RunApiStartRequest,
                {
                    "parameters": parameters,
                    "api": api,
                    "proxy": proxy,
                    "saveTrace": save_trace,
                    "requestTimeout": request_timeout,
                    "retry": retry,
                    "authSession": auth_session,
                    "sink": sink,
                },
                {
                    "saveTrace": "save_trace",
                    "requestTimeout": "request_timeout",
                    "authSession": "auth_session",
                },
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncRunsResourceWithRawResponse:
    def __init__(self, resource: AsyncRunsResource) -> None:
        self.start = async_to_raw_response_wrapper(resource.start)

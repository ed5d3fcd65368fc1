"""Functions management (create, delete, list, etc.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._base_client import RequestOptions
from .._endpoint import Endpoint
from .._payload import build_body, credential
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ..models import HttpValidationError, RunFunctionRequest

if TYPE_CHECKING:
    from .._client import AsyncNotte, Notte

__all__ = [
    "FunctionsResource",
    "AsyncFunctionsResource",
]

_FUNCTIONS_RUN_START = Endpoint[Any](
    method="POST",
    path="/functions/{function_id}/runs/start",
    result=Any,
    errors={"422": HttpValidationError},
    security=(("OAuth2PasswordBearer",),),
    body_encoding="json",
)


class FunctionsResource:
    """Functions management (create, delete, list, etc.)"""

    def __init__(self, client: Notte) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> FunctionsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return FunctionsResourceWithRawResponse(self)

    def run_start(
        self,
        function_id: str,
        *,
        workflow_id: str,
        variables: dict[str, Any],
        x_notte_request_origin: str | None | NotGiven = NOT_GIVEN,
        x_notte_sdk_version: str | None | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Function Run Start

        Args:
            workflow_id: The ID of the function to run
            variables: The variables to run the workflow with
            stream: Whether to stream logs, or only return final response
        """
        return self._client._request(
            _FUNCTIONS_RUN_START,
            path_params={"function_id": function_id},
            headers={
                "x-notte-api-key": credential(self._client, "api_key"),
                "x-notte-request-origin": x_notte_request_origin,
                "x-notte-sdk-version": x_notte_sdk_version,
            },
            body=build_body(
                RunFunctionRequest,
                {"workflow_id": workflow_id, "variables": variables, "stream": stream},
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class FunctionsResourceWithRawResponse:
    def __init__(self, resource: FunctionsResource) -> None:
        self.run_start = to_raw_response_wrapper(resource.run_start)


class AsyncFunctionsResource:
    """Functions management (create, delete, list, etc.)"""

    def __init__(self, client: AsyncNotte) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncFunctionsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncFunctionsResourceWithRawResponse(self)

    async def run_start(
        self,
        function_id: str,
        *,
        workflow_id: str,
        variables: dict[str, Any],
        x_notte_request_origin: str | None | NotGiven = NOT_GIVEN,
        x_notte_sdk_version: str | None | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Function Run Start

        Args:
            workflow_id: The ID of the function to run
            variables: The variables to run the workflow with
            stream: Whether to stream logs, or only return final response
        """
        return await self._client._request(
            _FUNCTIONS_RUN_START,
            path_params={"function_id": function_id},
            headers={
                "x-notte-api-key": credential(self._client, "api_key"),
                "x-notte-request-origin": x_notte_request_origin,
                "x-notte-sdk-version": x_notte_sdk_version,
            },
            body=build_body(
                RunFunctionRequest,
                {"workflow_id": workflow_id, "variables": variables, "stream": stream},
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncFunctionsResourceWithRawResponse:
    def __init__(self, resource: AsyncFunctionsResource) -> None:
        self.run_start = async_to_raw_response_wrapper(resource.run_start)

"""Execute agents"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base_client import RequestOptions
from .._endpoint import Endpoint
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ..models import Error, Run

if TYPE_CHECKING:
    from .._client import AsyncZiet, Ziet

__all__ = [
    "RunsResource",
    "AsyncRunsResource",
]

_RUNS_INVOKE = Endpoint[Run](
    method="POST",
    path="/runs/{id}/invoke",
    result=Run,
    errors={"400": Error, "401": Error, "404": Error},
    security=(("apiKey",),),
)


class RunsResource:
    """Execute agents"""

    def __init__(self, client: Ziet) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> RunsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return RunsResourceWithRawResponse(self)

    def invoke(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        """Start run

        Begin execution of a created run. The agent will start making decisions and
        executing actions.
        """
        return self._client._request(
            _RUNS_INVOKE,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class RunsResourceWithRawResponse:
    def __init__(self, resource: RunsResource) -> None:
        self.invoke = to_raw_response_wrapper(resource.invoke)


class AsyncRunsResource:
    """Execute agents"""

    def __init__(self, client: AsyncZiet) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncRunsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncRunsResourceWithRawResponse(self)

    async def invoke(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Run:
        """Start run

        Begin execution of a created run. The agent will start making decisions and
        executing actions.
        """
        return await self._client._request(
            _RUNS_INVOKE,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncRunsResourceWithRawResponse:
    def __init__(self, resource: AsyncRunsResource) -> None:
        self.invoke = async_to_raw_response_wrapper(resource.invoke)

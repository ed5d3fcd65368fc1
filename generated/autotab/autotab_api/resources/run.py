"""The run resource."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base_client import RequestOptions
from .._endpoint import Endpoint
from .._payload import build_body
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ..models import HttpValidationError, RunSession, RunSkillRequest

if TYPE_CHECKING:
    from .._client import AsyncAutotab, Autotab

__all__ = [
    "RunResource",
    "AsyncRunResource",
]

_RUN_START = Endpoint[RunSession | None](
    method="POST",
    path="/run/",
    result=RunSession | None,
    errors={"422": HttpValidationError},
    security=(("HTTPBearer",),),
    body_encoding="json",
)


class RunResource:
    """Operations on run."""

    def __init__(self, client: Autotab) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> RunResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return RunResourceWithRawResponse(self)

    def start(
        self,
        *,
        skill_id: str,
        inputs: dict[str, str] | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunSession | None:
        """Start"""
        return self._client._request(
            _RUN_START,
            body=build_body(RunSkillRequest, {"skill_id": skill_id, "inputs": inputs}),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class RunResourceWithRawResponse:
    def __init__(self, resource: RunResource) -> None:
        self.start = to_raw_response_wrapper(resource.start)


class AsyncRunResource:
    """Operations on run."""

    def __init__(self, client: AsyncAutotab) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncRunResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncRunResourceWithRawResponse(self)

    async def start(
        self,
        *,
        skill_id: str,
        inputs: dict[str, str] | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunSession | None:
        """Start"""
        return await self._client._request(
            _RUN_START,
            body=build_body(RunSkillRequest, {"skill_id": skill_id, "inputs": inputs}),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncRunResourceWithRawResponse:
    def __init__(self, resource: AsyncRunResource) -> None:
        self.start = async_to_raw_response_wrapper(resource.start)

"""The executions resource."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._base_client import RequestOptions
from .._endpoint import Endpoint
from .._payload import build_body
from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper
from .._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ..models import ExecutionEnvelope, StartExecutionRequest

if TYPE_CHECKING:
    from .._client import AsyncAimable, Aimable

__all__ = [
    "ExecutionsResource",
    "AsyncExecutionsResource",
]

_EXECUTIONS_START_STANDALONE = Endpoint[ExecutionEnvelope](
    method="POST",
    path="/v1/spaces/{space_id}/skills/{slug}/executions",
    result=ExecutionEnvelope,
    security=(("bearerAuth",), ("apiKeyAuth",)),
    idempotency_header="Idempotency-Key",
    body_encoding="json",
)


class ExecutionsResource:
    """Operations on executions."""

    def __init__(self, client: Aimable) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> ExecutionsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return ExecutionsResourceWithRawResponse(self)

    def start_standalone(
        self,
        space_id: str,
        slug: str,
        *,
        inputs: dict[str, Any],
        idempotency_key: str | NotGiven = NOT_GIVEN,
        file_source_ids: list[str] | NotGiven = NOT_GIVEN,
        model: str | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ExecutionEnvelope:
        """Start Standalone Execution Route

        Args:
            inputs: Validated against the skill version's manifest inputs schema.
            file_source_ids: Filenames (relative to the caller's personal collection) to
                stage into the skill workspace's `inputs/materials/` directory before
                execution. Same semantics as chat's `uploaded_files` field — files must have
                been uploaded previously via `POST /v1/files/`. Missing files are skipped.
            model: Optional tenant_model alias to run this skill against. When set,
                overrides the space's default model for this execution only. The alias must
                be in the space's allow-list. If unset (typical for automation / scheduled
                runs) the pipeline uses the space's default model.
        """
        return self._client._request(
            _EXECUTIONS_START_STANDALONE,
            path_params={"space_id": space_id, "slug": slug},
            headers={"Idempotency-Key": idempotency_key},
            body=build_body(
                StartExecutionRequest,
                {"inputs": inputs, "file_source_ids": file_source_ids, "model": model},
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class ExecutionsResourceWithRawResponse:
    def __init__(self, resource: ExecutionsResource) -> None:
        self.start_standalone = to_raw_response_wrapper(resource.start_standalone)


class AsyncExecutionsResource:
    """Operations on executions."""

    def __init__(self, client: AsyncAimable) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncExecutionsResourceWithRawResponse:
        """The same methods, each returning the HTTP response with its parsed result."""
        return AsyncExecutionsResourceWithRawResponse(self)

    async def start_standalone(
        self,
        space_id: str,
        slug: str,
        *,
        inputs: dict[str, Any],
        idempotency_key: str | NotGiven = NOT_GIVEN,
        file_source_ids: list[str] | NotGiven = NOT_GIVEN,
        model: str | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ExecutionEnvelope:
        """Start Standalone Execution Route

        Args:
            inputs: Validated against the skill version's manifest inputs schema.
            file_source_ids: Filenames (relative to the caller's personal collection) to
                stage into the skill workspace's `inputs/materials/` directory before
                execution. Same semantics as chat's `uploaded_files` field — files must have
                been uploaded previously via `POST /v1/files/`. Missing files are skipped.
            model: Optional tenant_model alias to run this skill against. When set,
                overrides the space's default model for this execution only. The alias must
                be in the space's allow-list. If unset (typical for automation / scheduled
                runs) the pipeline uses the space's default model.
        """
        return await self._client._request(
            _EXECUTIONS_START_STANDALONE,
            path_params={"space_id": space_id, "slug": slug},
            headers={"Idempotency-Key": idempotency_key},
            body=build_body(
                StartExecutionRequest,
                {"inputs": inputs, "file_source_ids": file_source_ids, "model": model},
            ),
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncExecutionsResourceWithRawResponse:
    def __init__(self, resource: AsyncExecutionsResource) -> None:
        self.start_standalone = async_to_raw_response_wrapper(resource.start_standalone)

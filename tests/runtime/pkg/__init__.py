"""A hand-written stand-in for a generated package's `__init__.py`."""

from . import _exceptions as errors
from ._client import AsyncRtClient, Error, HTTPValidationError, RtClient, Run, RunInput
from ._response import APIResponse, AsyncAPIResponse
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "NOT_GIVEN",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncRtClient",
    "Error",
    "HTTPValidationError",
    "NotGiven",
    "RtClient",
    "Run",
    "RunInput",
    "errors",
]

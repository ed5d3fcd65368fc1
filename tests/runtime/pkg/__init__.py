"""A hand-written stand-in for a generated package's `__init__.py`."""

from . import _exceptions as errors
from ._binary import AsyncBinaryResponse, BinaryResponse
from ._client import AsyncRtClient, Error, HTTPValidationError, RtClient, Run, RunInput
from ._response import APIResponse, AsyncAPIResponse
from ._sse import ServerSentEvent
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "NOT_GIVEN",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncBinaryResponse",
    "AsyncStream",
    "BinaryResponse",
    "AsyncRtClient",
    "Error",
    "HTTPValidationError",
    "NotGiven",
    "RtClient",
    "Run",
    "RunInput",
    "ServerSentEvent",
    "Stream",
    "errors",
]

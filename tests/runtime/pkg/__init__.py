"""A hand-written stand-in for a generated package's `__init__.py`."""

from . import _exceptions as errors
from ._binary import AsyncBinaryResponse, BinaryResponse
from ._client import (
    AsyncRtClient,
    Error,
    Event,
    HTTPValidationError,
    Item,
    RtClient,
    Run,
    RunCompleted,
    RunFailed,
    RunInput,
)
from ._pagination import AsyncPage, AsyncPager, SyncPage
from ._response import APIResponse, AsyncAPIResponse
from ._sse import ServerSentEvent
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, NotGiven
from ._webhooks import (
    WebhookError,
    WebhookHeaderError,
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookTimestampError,
)

__all__ = [
    "NOT_GIVEN",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncBinaryResponse",
    "AsyncPage",
    "AsyncPager",
    "AsyncRtClient",
    "AsyncStream",
    "BinaryResponse",
    "Error",
    "Event",
    "HTTPValidationError",
    "Item",
    "NotGiven",
    "RtClient",
    "Run",
    "RunCompleted",
    "RunFailed",
    "RunInput",
    "ServerSentEvent",
    "Stream",
    "SyncPage",
    "WebhookError",
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "errors",
]

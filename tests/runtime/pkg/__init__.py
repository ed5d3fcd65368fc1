"""A hand-written stand-in for a generated package's `__init__.py`."""

from . import _exceptions as errors
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
    "AsyncPage",
    "AsyncPager",
    "AsyncRtClient",
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
    "SyncPage",
    "WebhookError",
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "errors",
]

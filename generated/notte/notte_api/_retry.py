"""When to try a request again, and how long to wait first."""

from __future__ import annotations

import email.utils
import math
import random
import time

import httpx

__all__ = [
    "IDEMPOTENT_METHODS",
    "backoff",
    "is_retryable_error",
    "is_retryable_status",
    "retry_after",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
"""Methods safe to repeat; POST and PATCH are repeated only with an idempotency key."""


def is_retryable_status(status_code: int) -> bool:
    """Timeouts, conflicts, rate limits and server errors are worth another try."""
    return status_code in (408, 409, 429) or status_code >= 500


def is_retryable_error(error: httpx.TransportError) -> bool:
    """Timeouts and failed or dropped connections; not malformed requests or bad URLs."""
    return isinstance(
        error, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
    )


def backoff(retries_done: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter (up to a quarter shorter), so clients drift apart."""
    delay = min(cap, base * 2.0**retries_done)
    return delay * (1.0 - 0.25 * random.random())


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait, from `Retry-After` as seconds or an HTTP date."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            date = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = date.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None

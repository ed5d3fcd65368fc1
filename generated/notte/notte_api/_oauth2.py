"""OAuth2 access tokens fetched by the client-credentials and password flows."""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, ClassVar

import httpx

if TYPE_CHECKING:
    import asyncio

__all__ = ["TokenCache", "read_token"]


class TokenCache:
    """The token fetched for one scheme, valid until shortly before it expires.

    The locks make concurrent callers share one fetch instead of racing for tokens.
    """

    margin: ClassVar[float] = 30.0
    """Seconds before expiry at which a token counts as stale (at most half its lifetime)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        self._token: str | None = None
        self._stale_at = math.inf

    @property
    def async_lock(self) -> asyncio.Lock:
        """Made on first use, so that sync clients never import asyncio (a slow import)."""
        if self._async_lock is None:
            with self.lock:
                if self._async_lock is None:
                    import asyncio

                    self._async_lock = asyncio.Lock()
        return self._async_lock

    @property
    def token(self) -> str | None:
        return self._token

    def fresh_token(self, now: float) -> str | None:
        return self._token if now < self._stale_at else None

    def store(self, token: str, expires_in: float | None, now: float) -> None:
        self._token = token
        if expires_in is None:
            self._stale_at = math.inf
        else:
            self._stale_at = now + expires_in - min(self.margin, expires_in / 2)

    def discard(self, token: str) -> None:
        """Forget `token` (rejected with a 401) unless another caller already replaced it."""
        if self._token == token:
            self._stale_at = -math.inf


def read_token(response: httpx.Response) -> tuple[str, float | None] | None:
    """The access token and its lifetime in seconds from a token response, if it has one."""
    try:
        payload = response.json()
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    token, lifetime = payload.get("access_token"), payload.get("expires_in")
    if not isinstance(token, str) or not token:
        return None
    if isinstance(lifetime, str) and lifetime.isdigit():
        return token, float(lifetime)
    if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
        return token, float(lifetime)
    return token, None

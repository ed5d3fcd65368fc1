"""Receiving webhooks: Standard Webhooks signatures checked, then the body parsed into an event.

Signatures follow https://www.standardwebhooks.com: headers `webhook-id`, `webhook-timestamp`,
`webhook-signature`; the signed content is `{id}.{timestamp}.{body}`; each signature is
`v1,` + base64 HMAC-SHA256 keyed with the secret (`whsec_` + base64, the prefix optional).
The secret is the client's `webhook_secret` credential (argument or `<PREFIX>_WEBHOOK_SECRET`),
so it lives in its `SecretStore`: never in a `repr` and redacted from messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from pydantic_core import ValidationError

from ._auth import SecretStore
from ._exceptions import APIError, ConfigurationError, MissingCredentialError
from ._response import _summary

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = [
    "WebhookError",
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "Webhooks",
    "signature",
]

E = TypeVar("E")

DEFAULT_TOLERANCE = 300.0
"""Seconds a delivery's timestamp may be off from now, either way (the specification's 5 min)."""
_PREFIX = "whsec_"


class WebhookError(APIError):
    """Root of the errors raised while checking or parsing a webhook delivery."""


class WebhookHeaderError(WebhookError):
    """A `webhook-id`, `webhook-timestamp` or `webhook-signature` header is missing."""


class WebhookTimestampError(WebhookError):
    """The timestamp is not a number, or too far from now (a replayed or delayed delivery)."""


class WebhookSignatureError(WebhookError):
    """No `v1` signature matches: a tampered body, a wrong secret, or no `v1` signature at all."""


class WebhookPayloadError(WebhookError):
    """The verified body is not JSON, or does not match any event the API declares."""


class _HasSecrets(Protocol):
    @property
    def _secrets(self) -> SecretStore: ...

    @property
    def _env_vars(self) -> Mapping[str, str]: ...


def signature(secret: str, msg_id: str, timestamp: int | str, body: bytes | str) -> str:
    """The `v1,<base64>` signature of one delivery (for senders, and for users' tests).

    `timestamp` is signed as written: a received header is used verbatim.
    """
    content = f"{msg_id}.{timestamp}.".encode() + (body.encode() if isinstance(body, str) else body)
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def _key(secret: str) -> bytes:
    """The HMAC key: the base64 part of `whsec_...`, padded as the reference libraries do."""
    text = secret[len(_PREFIX) :] if secret.startswith(_PREFIX) else secret
    try:
        key = base64.b64decode(text + "==")
    except (binascii.Error, ValueError):
        raise ConfigurationError("the webhook secret is not base64 (whsec_...)") from None
    if not key:
        raise ConfigurationError("the webhook secret is empty")
    return key


class Webhooks(Generic[E]):
    """`client.webhooks`: `verify` a delivery, or `unwrap` it into a typed event.

    `event` is the annotation events validate against (a discriminated union, usually); or
    `events` maps the value of the body's `discriminator` property to each event's type.
    With neither, `unwrap` returns the decoded JSON.
    """

    def __init__(
        self,
        client: _HasSecrets | None = None,
        *,
        event: Any = None,
        events: Mapping[str, Any] | None = None,
        discriminator: str | None = None,
        secret: str | None = None,
        credential: str = "webhook_secret",
        require_signature: bool = True,
    ) -> None:
        """`require_signature=False` (an API that declares no signatures): `unwrap` verifies
        only when a secret is known (argument, `secret=`, or the client's credential)."""
        self._require_signature = require_signature
        if events is not None and not discriminator:
            raise ValueError("events= needs discriminator=, the property that names the event")
        self._client, self._secret, self._credential = client, secret, credential
        self._event, self._events, self._discriminator = event, events, discriminator
        self._adapters: dict[str, TypeAdapter[Any]] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def verify(
        self,
        body: bytes | str,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: float | timedelta = DEFAULT_TOLERANCE,
    ) -> None:
        """Raise unless `headers` carry a valid, timely `v1` signature of exactly `body`.

        `body` must be the raw request body as received: re-serialized JSON does not verify.
        """
        lowered = {name.lower(): value for name, value in headers.items()}
        values = [lowered.get(f"webhook-{name}", "").strip() for name in ("id", "timestamp")]
        msg_id, stamp = values
        signatures = lowered.get("webhook-signature", "").split()
        missing = [n for n, v in zip(("id", "timestamp"), values) if not v]
        if missing or not signatures:
            names = [f"webhook-{n}" for n in missing] + (
                [] if signatures else ["webhook-signature"]
            )
            raise WebhookHeaderError(f"webhook delivery without {', '.join(names)} header")
        _check_timestamp(stamp, tolerance)
        key = self._secret_value(secret)
        expected = base64.b64decode(signature(key, msg_id, stamp, body)[3:])
        versioned = [s.partition(",") for s in signatures]
        candidates = [_b64(sig) for version, _, sig in versioned if version == "v1"]
        if not candidates:
            raise WebhookSignatureError("webhook delivery without a v1 signature")
        matches = [hmac.compare_digest(expected, c) for c in candidates]  # no early exit
        if not any(matches):
            raise WebhookSignatureError("no webhook signature matches the body and the secret")

    def unwrap(
        self,
        body: bytes | str,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: float | timedelta = DEFAULT_TOLERANCE,
    ) -> E:
        """`verify` the delivery, then parse its body into the API's event type."""
        client = self._client
        known = (
            secret or self._secret or (client._secrets.get(self._credential) if client else None)
        )
        if self._require_signature or known:
            self.verify(body, headers, secret=secret, tolerance=tolerance)
        return self.parse(body)

    def parse(self, body: bytes | str) -> E:
        """The event in a body, unverified (for bodies `verify` has already checked)."""
        try:
            data = json.loads(body)
        except ValueError:
            raise WebhookPayloadError("webhook body is not valid JSON") from None
        annotation, key = self._event, "event"
        if self._events is not None:
            name = data.get(self._discriminator) if isinstance(data, dict) else None
            if not isinstance(name, str) or name not in self._events:
                tag = f"{self._discriminator}={name!r}"
                raise WebhookPayloadError(f"webhook body names no known event ({tag})")
            annotation, key = self._events[name], name
        if annotation is None:
            return cast(E, data)
        try:
            return cast(E, self._adapter(key, annotation).validate_python(data))
        except ValidationError as exc:
            name = getattr(annotation, "__name__", None) or "the event type"
            message = f"webhook body does not match {name}: {_summary(exc)}"
            raise WebhookPayloadError(message) from None

    def sign(
        self,
        body: bytes | str,
        *,
        secret: str | None = None,
        msg_id: str | None = None,
        timestamp: int | datetime | None = None,
    ) -> dict[str, str]:
        """The headers of a signed delivery of `body` (for tests of users' webhook handlers)."""
        msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
        if isinstance(timestamp, datetime):
            timestamp = int(timestamp.timestamp())
        stamp = int(time.time()) if timestamp is None else timestamp
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": signature(self._secret_value(secret), msg_id, stamp, body),
        }

    def _secret_value(self, secret: str | None) -> str:
        client, name = self._client, self._credential
        value = secret or self._secret or (client._secrets.get(name) if client else None)
        if value:
            return value
        env = client._env_vars.get(name) if client else None
        owner = type(client).__name__ if client else "Webhooks"
        how = f"pass {name}=..." + (f" or set {env}" if env else "")
        raise MissingCredentialError(
            f"{owner} has no webhook secret: {how}",
            arguments=(name,),
            env_vars=(env,) if env else (),
        )

    def _adapter(self, key: str, annotation: Any) -> TypeAdapter[Any]:
        adapter = self._adapters.get(key)
        if adapter is None:
            from pydantic import TypeAdapter  # on first use, as `Endpoint` does

            adapter = self._adapters[key] = TypeAdapter(annotation)
        return adapter


def _check_timestamp(value: str, tolerance: float | timedelta) -> None:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise WebhookTimestampError("webhook-timestamp is not a Unix time in seconds")
    window = tolerance.total_seconds() if isinstance(tolerance, timedelta) else tolerance
    drift = time.time() - seconds
    if drift > window:
        raise WebhookTimestampError(f"webhook timestamp is {drift:.0f} s old (limit {window:.0f})")
    if -drift > window:
        raise WebhookTimestampError(
            f"webhook timestamp is {-drift:.0f} s ahead (limit {window:.0f})"
        )


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""

"""Webhooks: Standard Webhooks signatures, checked against the published test vector."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from runtime_server import Reply, ScriptedServer

# The test vector of the Standard Webhooks reference libraries: repository
# standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py,
# `test_sign_function` (the JavaScript, Go and Rust libraries' tests use the same values).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_PAYLOAD = '{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

SECRET = "whsec_" + base64.b64encode(b"rt-webhook-signing-key-0123456789").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"someone-else-entirely-9876543210").decode()


def reference_sign(secret: str, msg_id: str, timestamp: int | str, payload: bytes | str) -> str:
    """The specification's algorithm, written out independently of the runtime.

    The key is the base64 part of the secret after `whsec_`; the signed content is
    `{msg_id}.{timestamp}.{payload}`; the signature is `v1,` + base64(HMAC-SHA256(key, content)).
    """
    key = base64.b64decode(secret.removeprefix("whsec_"))
    body = payload.encode() if isinstance(payload, str) else payload
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def delivery(
    event: dict[str, Any], secret: str = SECRET, age: float = 0.0
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    stamp = int(time.time() - age)
    headers = {
        "Webhook-Id": "msg_1",
        "Webhook-Timestamp": str(stamp),
        "Webhook-Signature": reference_sign(secret, "msg_1", stamp, body),
    }
    return body, headers


COMPLETED = {"type": "run.completed", "run": {"id": "r1", "status": "done"}}
FAILED = {"type": "run.failed", "run_id": "r2", "reason": "timeout"}


def test_the_reference_algorithm_and_the_runtime_match_the_published_vector(rt: Any) -> None:
    args = (VECTOR_MSG_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD)
    assert reference_sign(VECTOR_SECRET, *args) == VECTOR_SIGNATURE
    assert rt._webhooks.signature(VECTOR_SECRET, *args) == VECTOR_SIGNATURE
    assert rt._webhooks.signature(VECTOR_SECRET.removeprefix("whsec_"), *args) == VECTOR_SIGNATURE

    hooks = rt._webhooks.Webhooks(secret=VECTOR_SECRET)
    headers = hooks.sign(VECTOR_PAYLOAD, msg_id=VECTOR_MSG_ID, timestamp=VECTOR_TIMESTAMP)
    assert headers["webhook-signature"] == VECTOR_SIGNATURE
    forever = timedelta(days=365 * 100)  # the vector's timestamp is from 2021
    assert hooks.unwrap(VECTOR_PAYLOAD, headers, tolerance=forever) == {"test": 2432232314}
    with pytest.raises(rt.WebhookTimestampError):
        hooks.verify(VECTOR_PAYLOAD, headers)


def test_deliveries_received_over_http_unwrap_to_their_typed_events(rt: Any) -> None:
    client = rt.RtClient(api_key="k", base_url="http://rt.test", webhook_secret=SECRET)
    received: list[Any] = []
    with ScriptedServer() as receiver:

        def handler(seen: Any) -> Reply:
            received.append(client.webhooks.unwrap(seen.body, seen.headers))
            return Reply(204)

        receiver.routes["/hook"] = handler
        with httpx.Client() as sender:
            for event in (COMPLETED, FAILED):
                body, headers = delivery(event)
                assert sender.post(receiver.url + "/hook", content=body, headers=headers).is_success

    completed, failed = received
    assert isinstance(completed, rt.RunCompleted) and completed.run.id == "r1"
    assert isinstance(failed, rt.RunFailed) and failed.reason == "timeout"
    client.close()


def test_each_kind_of_bad_delivery_raises_its_own_error(rt: Any) -> None:
    client = rt.RtClient(api_key="k", base_url="http://rt.test", webhook_secret=SECRET)
    hooks = client.webhooks
    body, headers = delivery(COMPLETED)

    tampered = body.replace(b"r1", b"r9")
    with pytest.raises(rt.WebhookSignatureError):
        hooks.unwrap(tampered, headers)
    with pytest.raises(rt.WebhookSignatureError) as wrong:
        hooks.unwrap(*delivery(COMPLETED, secret=OTHER_SECRET))
    assert SECRET not in str(wrong.value) and OTHER_SECRET not in str(wrong.value)
    with pytest.raises(rt.WebhookSignatureError):
        hooks.unwrap(body, headers, secret=OTHER_SECRET)
    with pytest.raises(rt.WebhookSignatureError, match="v1"):
        only_v2 = headers["Webhook-Signature"].replace("v1,", "v2,")
        hooks.unwrap(body, {**headers, "Webhook-Signature": only_v2})

    with pytest.raises(rt.WebhookTimestampError, match="old"):
        hooks.unwrap(*delivery(COMPLETED, age=6 * 60))
    with pytest.raises(rt.WebhookTimestampError, match="ahead"):
        hooks.unwrap(*delivery(COMPLETED, age=-6 * 60))
    with pytest.raises(rt.WebhookTimestampError):
        hooks.unwrap(body, {**headers, "Webhook-Timestamp": "soon"})
    hooks.unwrap(*delivery(COMPLETED, age=4 * 60))  # inside the five minutes

    for name in ("Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"):
        partial = {k: v for k, v in headers.items() if k != name}
        with pytest.raises(rt.WebhookHeaderError, match=name.lower()):
            hooks.unwrap(body, partial)

    with pytest.raises(rt.WebhookPayloadError, match="not valid JSON"):
        hooks.unwrap(*delivery_of(b"not json"))
    with pytest.raises(rt.WebhookPayloadError, match="does not match"):
        hooks.unwrap(*delivery_of(json.dumps({"type": "run.exploded"}).encode()))

    errors = (rt.WebhookSignatureError, rt.WebhookTimestampError, rt.WebhookHeaderError)
    for cls in (*errors, rt.WebhookPayloadError):
        assert issubclass(cls, rt.errors.APIError) and issubclass(cls, rt.WebhookError)
    client.close()


def delivery_of(body: bytes) -> tuple[bytes, dict[str, str]]:
    stamp = int(time.time())
    return body, {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(stamp),
        "webhook-signature": reference_sign(SECRET, "msg_2", stamp, body),
    }


def test_any_matching_v1_signature_among_several_passes(rt: Any) -> None:
    hooks = rt._webhooks.Webhooks(secret=SECRET)
    body, headers = delivery(FAILED)
    valid = headers["Webhook-Signature"]
    wrong = reference_sign(OTHER_SECRET, "msg_1", headers["Webhook-Timestamp"], body)
    signatures = f"{wrong} {valid} v2,{valid[3:]} v1,not-base64"

    assert hooks.unwrap(body, {**headers, "Webhook-Signature": signatures}) == FAILED
    with pytest.raises(rt.WebhookSignatureError):
        hooks.verify(body, {**headers, "Webhook-Signature": f"{wrong} v2,{valid[3:]}"})


def test_the_secret_comes_from_the_argument_the_env_var_or_the_call(
    rt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, headers = delivery(COMPLETED)
    without = rt.AsyncRtClient(api_key="k", base_url="http://rt.test")
    with pytest.raises(rt.errors.MissingCredentialError) as missing:
        without.webhooks.verify(body, headers)
    assert "webhook_secret=" in str(missing.value) and "RT_WEBHOOK_SECRET" in str(missing.value)
    assert missing.value.env_vars == ("RT_WEBHOOK_SECRET",)
    without.webhooks.verify(body, headers, secret=SECRET)

    monkeypatch.setenv("RT_WEBHOOK_SECRET", SECRET.removeprefix("whsec_"))  # no prefix: fine
    from_env = rt.RtClient(api_key="k", base_url="http://rt.test")
    assert isinstance(from_env.webhooks.unwrap(body, headers), rt.RunCompleted)
    assert SECRET.removeprefix("whsec_") not in repr(from_env) + repr(from_env.webhooks)

    rotated = from_env.with_options(credentials={"webhook_secret": OTHER_SECRET})
    with pytest.raises(rt.WebhookSignatureError):
        rotated.webhooks.verify(body, headers)
    rotated.webhooks.verify(*delivery(COMPLETED, secret=OTHER_SECRET))
    from_env.close()


def test_events_can_be_chosen_by_a_name_mapping(rt: Any) -> None:
    hooks = rt._webhooks.Webhooks(
        secret=SECRET,
        events={"run.completed": rt.RunCompleted, "run.failed": rt.RunFailed},
        discriminator="type",
    )
    assert isinstance(hooks.unwrap(*delivery(FAILED)), rt.RunFailed)
    with pytest.raises(rt.WebhookPayloadError, match="no known event"):
        hooks.unwrap(*delivery({"type": "run.paused"}))
    with pytest.raises(ValueError, match="discriminator"):
        rt._webhooks.Webhooks(events={"a": rt.RunFailed})

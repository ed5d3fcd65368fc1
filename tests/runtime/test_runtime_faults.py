"""The fault matrix over real HTTP: retries, timeouts, broken bodies and declared errors.

Every test runs twice, with the sync and with the async client (the `api` fixture).
"""

from __future__ import annotations

import time
import uuid

import pytest
from conftest import Harness
from runtime_server import Reply

RUN = {"id": "r1", "status": "running", "agentId": "a1"}


async def test_429_with_retry_after_is_retried_once_after_the_wait(api: Harness) -> None:
    api.server.script(
        Reply(429, json={"error": "rate", "message": "slow down"}, headers={"Retry-After": "1"}),
        Reply(200, json=RUN),
    )
    run = await api(api.client().runs.get("r1"))

    assert run.id == "r1" and run.agent_id == "a1"
    first, second = api.server.seen
    assert 0.95 <= second.at - first.at < 1.6


async def test_503_twice_then_200_is_two_retries(api: Harness) -> None:
    api.server.script(Reply(503), Reply(503), Reply(200, json=RUN))

    run = await api(api.client().runs.get("r1"))

    assert run.status == "running"
    assert len(api.server.seen) == 3


async def test_retries_stop_at_max_retries(api: Harness) -> None:
    api.server.script(*[Reply(503, json={"error": "down", "message": "later"})] * 3)

    with pytest.raises(api.rt.errors.InternalServerError) as caught:
        await api(api.client(max_retries=1).runs.get("r1"))

    assert caught.value.status_code == 503
    assert len(api.server.seen) == 2


async def test_retry_after_beyond_the_cap_is_not_waited_for(api: Harness) -> None:
    api.server.script(Reply(429, headers={"Retry-After": "3600"}), Reply(200, json=RUN))

    started = time.monotonic()
    with pytest.raises(api.rt.errors.RateLimitError) as caught:
        await api(api.client().runs.get("r1"))

    assert time.monotonic() - started < 1
    assert caught.value.headers["retry-after"] == "3600"
    assert len(api.server.seen) == 1


async def test_a_reset_connection_is_retried_for_get(api: Harness) -> None:
    api.server.script(Reply(reset=True), Reply(200, json=RUN))

    assert (await api(api.client().runs.get("r1"))).id == "r1"
    assert len(api.server.seen) == 2


async def test_a_reset_connection_is_not_retried_for_post_without_key(api: Harness) -> None:
    api.server.script(Reply(reset=True), Reply(200, json=RUN))

    with pytest.raises(api.rt.errors.APIConnectionError) as caught:
        await api(api.client().runs.create(body={"prompt": "go"}))

    assert not isinstance(caught.value, api.rt.errors.APITimeoutError)
    assert "POST" in str(caught.value) and "/runs" in str(caught.value)
    assert len(api.server.seen) == 1


async def test_a_503_is_not_retried_for_post_without_key(api: Harness) -> None:
    api.server.script(Reply(503), Reply(200, json=RUN))

    with pytest.raises(api.rt.errors.InternalServerError):
        await api(api.client().runs.create(body={"prompt": "go"}))
    assert len(api.server.seen) == 1


async def test_post_with_a_generated_idempotency_key_is_retried_with_the_same_key(
    api: Harness,
) -> None:
    api.server.script(Reply(reset=True), Reply(503), Reply(200, json=RUN))

    await api(api.client().runs.invoke("r1", prompt="go"))

    keys = [seen.headers["idempotency-key"] for seen in api.server.seen]
    assert len(keys) == 3 and len(set(keys)) == 1
    uuid.UUID(keys[0])


async def test_each_call_gets_its_own_idempotency_key(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN), Reply(200, json=RUN))
    client = api.client()

    await api(client.runs.invoke("r1", prompt="a"))
    await api(client.runs.invoke("r1", prompt="b"))

    first, second = (seen.headers["idempotency-key"] for seen in api.server.seen)
    assert first != second


@pytest.mark.parametrize("how", ["argument", "extra_headers"])
async def test_a_callers_idempotency_key_is_used_on_every_attempt(api: Harness, how: str) -> None:
    api.server.script(Reply(reset=True), Reply(200, json=RUN))
    given = (
        {"idempotency_key": "mine-1"}
        if how == "argument"
        else {"extra_headers": {"idempotency-key": "mine-1"}}
    )

    await api(api.client().runs.invoke("r1", prompt="go", **given))

    assert [seen.headers["idempotency-key"] for seen in api.server.seen] == ["mine-1"] * 2


async def test_post_without_declared_header_is_retried_when_the_caller_sends_a_key(
    api: Harness,
) -> None:
    api.server.script(Reply(reset=True), Reply(200, json=RUN))

    await api(api.client().runs.create(body={}, extra_headers={"Idempotency-Key": "k-9"}))

    assert len(api.server.seen) == 2


async def test_a_slow_response_times_out_within_the_timeout(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN, delay=3))
    client = api.client(timeout=0.3)

    started = time.monotonic()
    with pytest.raises(api.rt.errors.APITimeoutError) as caught:
        await api(client.runs.get("r1", max_retries=0))

    assert time.monotonic() - started < 0.3 + 0.5
    assert isinstance(caught.value, api.rt.errors.APIConnectionError)
    assert "timed out" in str(caught.value)


async def test_a_per_call_timeout_overrides_the_clients_and_timeouts_are_retried(
    api: Harness,
) -> None:
    api.server.script(Reply(200, json=RUN, delay=3), Reply(200, json=RUN))
    client = api.client(timeout=10)

    started = time.monotonic()
    run = await api(client.runs.get("r1", timeout=0.3))

    assert run.id == "r1"
    assert time.monotonic() - started < 0.3 + 0.5
    assert len(api.server.seen) == 2


async def test_malformed_json_in_a_2xx_keeps_the_body(api: Harness) -> None:
    api.server.script(
        Reply(200, body='{"id": "r1", ', headers={"Content-Type": "application/json"})
    )

    with pytest.raises(api.rt.errors.APIResponseValidationError) as caught:
        await api(api.client().runs.get("r1"))

    error = caught.value
    assert "not valid JSON" in str(error) and "GET" in str(error)
    assert error.body == '{"id": "r1", '
    assert error.status_code == 200


async def test_an_html_page_in_a_2xx_keeps_the_body(api: Harness) -> None:
    page = "<!doctype html><html><body>Maintenance</body></html>"
    api.server.script(Reply(200, body=page, headers={"Content-Type": "text/html"}))

    with pytest.raises(api.rt.errors.APIResponseValidationError) as caught:
        await api(api.client().runs.get("r1"))

    assert "not valid JSON" in str(caught.value) and "text/html" in str(caught.value)
    assert caught.value.body == page


async def test_a_body_that_does_not_match_the_schema(api: Harness) -> None:
    api.server.script(Reply(200, json={"id": "r1", "status": 7}))

    with pytest.raises(api.rt.errors.APIResponseValidationError) as caught:
        await api(api.client().runs.get("r1"))

    message = str(caught.value)
    assert "does not match Run" in message and "status" in message
    assert caught.value.body == '{"id": "r1", "status": 7}'


async def test_a_422_carries_the_declared_model(api: Harness) -> None:
    detail = {"detail": [{"loc": ["body", "prompt"], "msg": "field required"}]}
    api.server.script(Reply(422, json=detail))

    with pytest.raises(api.rt.errors.UnprocessableEntityError) as caught:
        await api(api.client().runs.invoke("r1", prompt=""))

    error = caught.value
    assert isinstance(error.parsed, api.rt.HTTPValidationError)
    assert error.parsed.detail[0].msg == "field required"
    assert error.status_code == 422 and error.headers["content-type"] == "application/json"
    assert "field required" in error.body and "422" in str(error)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(404, "NotFoundError"), (403, "PermissionDeniedError"), (500, "InternalServerError")],
)
async def test_declared_errors_are_found_by_status_then_range_then_default(
    api: Harness, status: int, kind: str
) -> None:
    api.server.script(Reply(status, json={"error": "e", "message": "m"}))

    with pytest.raises(getattr(api.rt.errors, kind)) as caught:
        await api(api.client(max_retries=0).runs.get("r1"))

    assert caught.value.parsed == api.rt.Error(error="e", message="m")


async def test_an_undeclared_error_body_is_kept_as_json_or_none(api: Harness) -> None:
    api.server.script(
        Reply(418, json={"teapot": True}),
        Reply(502, body="<html>Bad gateway</html>", headers={"Content-Type": "text/html"}),
    )
    client = api.client(max_retries=0)

    with pytest.raises(api.rt.errors.APIStatusError) as teapot:
        await api(client.runs.delete("r1"))
    with pytest.raises(api.rt.errors.InternalServerError) as gateway:
        await api(client.runs.delete("r1"))

    assert type(teapot.value) is api.rt.errors.APIStatusError
    assert teapot.value.parsed == {"teapot": True}
    assert gateway.value.parsed is None and "HTML page" in str(gateway.value)
    assert gateway.value.body == "<html>Bad gateway</html>"


async def test_a_declared_model_that_does_not_fit_falls_back_to_json(api: Harness) -> None:
    api.server.script(Reply(404, json={"detail": "no such run"}))

    with pytest.raises(api.rt.errors.NotFoundError) as caught:
        await api(api.client().runs.get("r1"))

    assert caught.value.parsed == {"detail": "no such run"}

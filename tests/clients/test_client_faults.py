"""The runtime's behaviour under faults, through the generated vendor clients (sync and async).

A real HTTP server on 127.0.0.1 scripts the answers and records what arrives, so attempts,
waits and headers are observed at the server, not inferred from the client.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.runtime_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
SPACE = "550e8400-e29b-41d4-a716-446655440000"
EXECUTION_PATH = f"/v1/spaces/{SPACE}/skills/report/executions"
EXECUTION = {
    "data": {
        "id": SPACE,
        "tenant_id": SPACE,
        "space_id": SPACE,
        "principal_id": SPACE,
        "skill_slug": "report",
        "skill_version": None,
        "source": "standalone",
        "state": "queued",
        "parent_execution_id": None,
        "created_at": "2024-01-01T00:00:00Z",
        "started_at": None,
        "finished_at": None,
        "failure_reason": None,
        "resource_usage": {
            "input_tokens": 0,
            "output_tokens": 0,
            "cost_usd": "0",
            "wallclock_ms": None,
            "iteration_count": 0,
        },
        "inputs": {},
        "outputs": {},
        "error": None,
        "artifacts": [],
        "sub_executions": [],
        "chat_thread_id": None,
        "chat_message_id": None,
        "chat_tool_call_id": None,
        "workspace_archive_id": None,
        "langfuse_trace_id": None,
        "idempotency_key": None,
    }
}
RUN = {"id": "run_1", "agent_id": "ag_1", "status": "running", "created_at": "2024-01-01T00:00:00Z"}


def _package(vendor: str) -> Any:
    folder = str(ROOT / "generated" / vendor)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(f"{vendor}_api")


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


def _call(mode: str, make: Any, call: Any) -> Any:
    """Run one call on a fresh sync or async client; the client is closed afterwards."""
    if mode == "sync":
        with make("") as client:
            return call(client)

    async def run() -> Any:
        async with make("Async") as client:
            return await call(client)

    return asyncio.run(run())


MODES = ["sync", "async"]


def _aimable(server: ScriptedServer, **options: Any) -> Any:
    api = _package("aimable")
    api.Aimable._backoff_base = api.AsyncAimable._backoff_base = 0.01
    return lambda prefix: getattr(api, f"{prefix}Aimable")(
        base_url=server.url, api_key="k", **options
    )


def _start(client: Any) -> Any:
    return client.executions.start_standalone(space_id=SPACE, slug="report", inputs={"topic": "x"})


@pytest.mark.parametrize("mode", MODES)
def test_429_with_retry_after_is_retried_once_after_the_wait(
    server: ScriptedServer, mode: str
) -> None:
    server.script(
        Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "1"}),
        Reply(201, json=EXECUTION),
    )
    result = _call(mode, _aimable(server), _start)
    assert result.data.state == "queued"
    first, second = server.to(EXECUTION_PATH)
    assert 0.95 <= second.at - first.at < 2.0
    # POST is retried only because the operation declares Idempotency-Key: one key, both attempts.
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] != ""


@pytest.mark.parametrize("mode", MODES)
def test_503_twice_then_success(server: ScriptedServer, mode: str) -> None:
    server.script(Reply(503), Reply(503), Reply(201, json=EXECUTION))
    assert _call(mode, _aimable(server), _start).data.id == SPACE
    assert len(server.to(EXECUTION_PATH)) == 3


@pytest.mark.parametrize("mode", MODES)
def test_a_caller_key_is_sent_unchanged_on_every_attempt(server: ScriptedServer, mode: str) -> None:
    server.script(Reply(reset=True), Reply(201, json=EXECUTION))
    _call(
        mode,
        _aimable(server),
        lambda c: c.executions.start_standalone(
            space_id=SPACE, slug="report", inputs={}, idempotency_key="mine-1"
        ),
    )
    assert [s.headers["idempotency-key"] for s in server.to(EXECUTION_PATH)] == ["mine-1", "mine-1"]


@pytest.mark.parametrize("mode", MODES)
def test_reset_on_post_without_key_is_not_retried(server: ScriptedServer, mode: str) -> None:
    api = _package("ziet")
    server.script(Reply(reset=True), Reply(200, json=RUN))
    make = lambda p: getattr(api, f"{p}Ziet")(base_url=server.url, api_key="k")  # noqa: E731
    with pytest.raises(api.errors.APIConnectionError):
        _call(mode, make, lambda c: c.runs.invoke(id="run_1"))
    assert len(server.to("/runs/run_1/invoke")) == 1


@pytest.mark.parametrize("mode", MODES)
def test_slow_response_times_out(server: ScriptedServer, mode: str) -> None:
    api = _package("ziet")
    server.script(*[Reply(200, json=RUN, delay=2.0)] * 3)
    make = lambda p: getattr(api, f"{p}Ziet")(
        base_url=server.url, api_key="k", timeout=0.3, max_retries=0
    )  # noqa: E731
    import time

    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError):
        _call(mode, make, lambda c: c.runs.invoke(id="run_1"))
    assert time.monotonic() - started < 0.3 + 0.7


@pytest.mark.parametrize("mode", MODES)
def test_html_page_and_malformed_json_keep_the_body(server: ScriptedServer, mode: str) -> None:
    api = _package("ziet")
    make = lambda p: getattr(api, f"{p}Ziet")(base_url=server.url, api_key="k")  # noqa: E731
    server.script(
        Reply(200, body="<html>maintenance</html>", headers={"Content-Type": "text/html"})
    )
    with pytest.raises(api.errors.APIResponseValidationError) as html:
        _call(mode, make, lambda c: c.runs.invoke(id="run_1"))
    assert "<html>maintenance</html>" in html.value.body
    server.script(Reply(200, body='{"id": "run_1", ', headers={"Content-Type": "application/json"}))
    with pytest.raises(api.errors.APIResponseValidationError) as broken:
        _call(mode, make, lambda c: c.runs.invoke(id="run_1"))
    assert broken.value.body == '{"id": "run_1", '


@pytest.mark.parametrize("mode", MODES)
def test_declared_error_bodies_are_parsed(server: ScriptedServer, mode: str) -> None:
    ziet = _package("ziet")
    server.script(Reply(404, json={"error": "not_found", "message": "no such run"}))
    make = lambda p: getattr(ziet, f"{p}Ziet")(base_url=server.url, api_key="k")  # noqa: E731
    with pytest.raises(ziet.errors.NotFoundError) as missing:
        _call(mode, make, lambda c: c.runs.invoke(id="nope"))
    assert isinstance(missing.value.parsed, ziet.models.Error)
    assert missing.value.parsed.message == "no such run" and missing.value.status_code == 404

    autotab = _package("autotab")
    detail = {"detail": [{"loc": ["body", "skill_id"], "msg": "field required", "type": "missing"}]}
    server.script(Reply(422, json=detail))
    make = lambda p: getattr(autotab, f"{p}Autotab")(base_url=server.url, api_key="k")  # noqa: E731
    with pytest.raises(autotab.errors.UnprocessableEntityError) as invalid:
        _call(mode, make, lambda c: c.run.start(skill_id="s"))
    assert isinstance(invalid.value.parsed, autotab.models.HttpValidationError)
    assert invalid.value.parsed.detail[0].loc == ["body", "skill_id"]


@pytest.mark.parametrize("mode", MODES)
def test_nullable_result_and_raw_response(server: ScriptedServer, mode: str) -> None:
    autotab = _package("autotab")
    make = lambda p: getattr(autotab, f"{p}Autotab")(base_url=server.url, api_key="k")  # noqa: E731
    server.script(Reply(200, json=None))
    assert _call(mode, make, lambda c: c.run.start(skill_id="s")) is None
    server.script(Reply(200, json=None, headers={"X-Request-Id": "r-1"}))
    raw = _call(mode, make, lambda c: c.run.with_raw_response.start(skill_id="s"))
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "r-1"
    sent = server.seen[-1]
    assert sent.headers["user-agent"].startswith("autotab-api/")
    assert sent.json() == {"skill_id": "s"}  # only what the caller set


def test_wrong_argument_types_fail_before_sending(server: ScriptedServer) -> None:
    intuned = _package("intuned")
    client = intuned.Intuned(base_url=server.url, api_key="k", workspace_id=SPACE)
    with pytest.raises(ValueError, match="maximumAttempts|maximum_attempts"):
        client.projects.runs.start(
            project_name="p", api="a", parameters={}, retry={"maximum_attempts": "many"}
        )
    with pytest.raises(ValueError, match="sink"):
        client.projects.runs.start(project_name="p", api="a", parameters={}, sink={"type": "ftp"})
    assert server.seen == []


def test_notte_needs_no_base_url_and_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, server: ScriptedServer
) -> None:
    """Notte's document has `servers: []`; the overlay declares the API's documented server."""
    notte = _package("notte")
    monkeypatch.delenv("NOTTE_BASE_URL", raising=False)
    assert notte.Notte(api_key="k").base_url == "https://api.notte.cc"
    monkeypatch.setenv("NOTTE_BASE_URL", server.url)  # read when the client is built, not at import
    monkeypatch.setenv("NOTTE_API_KEY", "from-env")
    client = notte.Notte()
    assert client.base_url == server.url
    server.script(Reply(200, json={"result": 1}))
    client.functions.run_start(function_id="f", workflow_id="w", variables={})
    assert server.seen[-1].headers["authorization"] == "Bearer from-env"
    assert server.seen[-1].headers["x-notte-api-key"] == "from-env"
    assert "from-env" not in repr(client)


def test_with_options_and_per_call_overrides(server: ScriptedServer) -> None:
    ziet = _package("ziet")
    client = ziet.Ziet(base_url=server.url, api_key="k", max_retries=0)
    patient = client.with_options(max_retries=1, default_headers={"X-Team": "core"})
    server.script(Reply(503))
    with pytest.raises(ziet.errors.InternalServerError) as failed:
        client.runs.invoke(id="r")
    assert "/runs/r/invoke" in str(failed.value)  # a short key does not garble messages
    assert len(server.seen) == 1 and patient.max_retries == 1 and client.max_retries == 0
    server.script(Reply(200, json=RUN))
    patient.runs.invoke(id="r", extra_headers={"X-Trace": "t1"}, extra_query={"debug": "1"})
    last = server.seen[-1]
    assert last.headers["x-team"] == "core" and last.headers["x-trace"] == "t1"
    assert last.query == {"debug": ["1"]}

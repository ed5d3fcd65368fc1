"""What goes on the wire, and the client's life cycle: encoding, raw responses, copies, logs."""

from __future__ import annotations

import datetime
import functools
import logging
from typing import Any

import httpx
import pytest
from conftest import Harness
from runtime_server import Reply

RUN = {"id": "r1", "status": "running"}


def endpoint(api: Harness, **fields: Any) -> Any:
    defaults: dict[str, Any] = {"method": "POST", "path": "/things", "result": Any}
    return api.rt._base_client.Endpoint(**{**defaults, **fields})


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target"),
    [
        ("../admin", "/runs/..%2Fadmin"),
        ("..", "/runs/%2E%2E"),
        ("a b?c#d", "/runs/a%20b%3Fc%23d"),
        ("ünï", "/runs/%C3%BCn%C3%AF"),
    ],
)
async def test_path_parameters_cannot_change_the_path(
    api: Harness, value: str, target: str
) -> None:
    api.server.script(Reply(200, json=RUN))

    await api(api.client().runs.get(value))

    assert api.server.seen[0].target == target


async def test_an_empty_path_parameter_is_refused(api: Harness) -> None:
    with pytest.raises(ValueError, match="'id' must not be empty"):
        await api(api.client().runs.get(""))
    assert api.server.seen == []


async def test_query_values_are_encoded_and_unset_ones_dropped(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN), Reply(200, json=RUN))
    client = api.client()

    await api(client.runs.get("r1", expand=["a&b", "c=d"], verbose=True))
    await api(client.runs.get("r1", extra_query={"x": "1 2"}))

    first, second = api.server.seen
    assert first.query == {"expand": ["a&b", "c=d"], "verbose": ["true"]}
    assert second.target == "/runs/r1?x=1%202"  # RFC 3986, as OpenAPI writes spaces


async def test_header_values_with_cr_or_lf_are_refused_before_sending(api: Harness) -> None:
    client = api.client()

    with pytest.raises(ValueError, match="X-Trace"):
        await api(client.runs.get("r1", extra_headers={"X-Trace": "a\nInjected: yes"}))
    with pytest.raises(ValueError, match="Idempotency-Key"):
        await api(client.runs.invoke("r1", prompt="p", idempotency_key="k\r\n"))
    assert api.server.seen == []


async def test_headers_user_agent_and_precedence(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN))
    client = api.client(default_headers={"X-Team": "a", "X-Env": "prod"})

    await api(client.runs.get("r1", extra_headers={"x-env": "dev"}))

    headers = api.server.seen[0].headers
    assert headers["user-agent"] == "rt-pkg/1.2.3 (python httpx)"
    assert headers["x-team"] == "a" and headers["x-env"] == "dev"
    assert headers["accept"] == "application/json"


async def test_a_model_body_sends_only_what_the_caller_set_by_alias(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN), Reply(200, json=RUN))
    client = api.client()

    await api(client.runs.invoke("r1", prompt="go"))
    await api(client.runs.invoke("r1", prompt="go", max_steps=3))

    assert [seen.json() for seen in api.server.seen] == [
        {"prompt": "go"},
        {"prompt": "go", "maxSteps": 3},
    ]
    assert api.server.seen[0].headers["content-type"] == "application/json"


async def test_models_inside_dicts_and_lists_are_dumped_the_same_way(api: Harness) -> None:
    api.server.routes["/things"] = lambda seen: Reply(200, json=seen.json())
    run_input = api.rt.RunInput(prompt="p", max_steps=None)
    when = datetime.date(2026, 1, 2)
    body = {"items": [run_input, {"nested": run_input}], "when": when, "unset": api.rt.NOT_GIVEN}

    echoed = await api(api.client()._request(endpoint(api, body_encoding="json"), body=body))

    dumped = {"prompt": "p", "maxSteps": None}
    assert echoed == {"items": [dumped, {"nested": dumped}], "when": "2026-01-02"}


async def test_form_multipart_and_binary_bodies(api: Harness) -> None:
    api.server.script(Reply(200, json={}), Reply(200, json={}), Reply(200, json={}))
    client = api.client()

    await api(client._request(endpoint(api, body_encoding="form"), body={"a": 1, "b": [True, "x"]}))
    multipart = {"name": "n", "file": ("f.txt", b"hello", "text/plain")}
    await api(client._request(endpoint(api, body_encoding="multipart"), body=multipart))
    await api(client._request(endpoint(api, body_encoding="binary"), body=b"\x00\x01"))

    form, parts, binary = api.server.seen
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form.body == b"a=1&b=true&b=x"
    assert parts.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="name"\r\n\r\nn\r\n' in parts.body
    assert b'name="file"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nhello' in parts.body
    assert binary.body == b"\x00\x01"
    assert binary.headers["content-type"] == "application/octet-stream"


# -- the response -----------------------------------------------------------------------------


async def test_results_none_list_and_nullable(api: Harness) -> None:
    api.server.script(
        Reply(204),
        Reply(200, json=[RUN, RUN]),
        Reply(200),
        Reply(200),
    )
    client = api.client()
    nullable = endpoint(api, method="GET", result=api.rt.Run | None)

    assert await api(client.runs.delete("r1")) is None
    assert [run.id for run in await api(client.runs.list_runs())] == ["r1", "r1"]
    assert await api(client._request(nullable)) is None
    with pytest.raises(api.rt.errors.APIResponseValidationError, match="an empty body"):
        await api(client.runs.get("r1"))


async def test_with_raw_response_gives_status_headers_and_the_parsed_result(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN, headers={"X-Request-Id": "req-1"}), Reply(204))
    client = api.client()

    raw = await api(client.runs.with_raw_response.get("r1"))
    raw_delete = await api(client.runs.with_raw_response.delete("r1"))

    assert isinstance(raw, api.rt.AsyncAPIResponse if api.is_async else api.rt.APIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req-1"
    assert isinstance(raw.http_response, httpx.Response)
    run = await api(raw.parse())
    assert run == api.rt.Run(id="r1", status="running") and await api(raw.parse()) is run
    assert raw_delete.status_code == 204 and await api(raw_delete.parse()) is None
    # Outside the wrapper the same method parses again.
    api.server.script(Reply(200, json=RUN))
    assert isinstance(await api(client.runs.get("r1")), api.rt.Run)


async def test_raw_responses_still_raise_status_errors(api: Harness) -> None:
    api.server.script(Reply(404, json={"error": "e", "message": "m"}))

    with pytest.raises(api.rt.errors.NotFoundError):
        await api(api.client().runs.with_raw_response.get("r1"))


# -- configuration and life cycle -------------------------------------------------------------


def test_no_base_url_names_the_variable(rt: Any) -> None:
    with pytest.raises(rt.errors.ConfigurationError) as caught:
        rt.RtClient(api_key="k")
    assert str(caught.value) == "RtClient has no base URL: pass base_url=... or set RT_BASE_URL"
    with pytest.raises(rt.errors.ConfigurationError, match="absolute http"):
        rt.RtClient(api_key="k", base_url="api.example.com")


def test_the_base_url_comes_from_env_when_the_client_is_built(
    rt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RT_BASE_URL", "http://127.0.0.1:9/v1/")
    with rt.RtClient(api_key="k") as client:
        assert client.base_url == "http://127.0.0.1:9/v1"
    with rt.RtClient(api_key="k", base_url="http://127.0.0.1:8") as client:
        assert client.base_url == "http://127.0.0.1:8"


def test_defaults_are_finite_and_validated(rt: Any) -> None:
    with rt.RtClient(base_url="http://127.0.0.1:9") as client:
        assert client.timeout == httpx.Timeout(60.0, connect=5.0)
        assert client.max_retries == 2
    with pytest.raises(rt.errors.ConfigurationError, match="max_retries"):
        rt.RtClient(base_url="http://127.0.0.1:9", max_retries=-1)


async def test_with_options_copies_without_touching_the_original(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN), Reply(200, json=RUN))
    client = api.client(timeout=9, default_headers={"X-A": "1"})

    copy = client.with_options(timeout=2, max_retries=0, default_headers={"X-B": "2"})
    await api(copy.runs.get("r1"))
    await api(client.runs.get("r1"))

    assert (copy.timeout, copy.max_retries) == (httpx.Timeout(2), 0)
    assert (client.timeout, client.max_retries) == (httpx.Timeout(9), 2)
    assert copy.runs._client is copy and copy._http is client._http
    from_copy, from_original = api.server.seen
    assert from_copy.headers["x-a"] == "1" and from_copy.headers["x-b"] == "2"
    assert "x-b" not in from_original.headers


async def test_with_options_can_swap_credentials(api: Harness) -> None:
    api.server.script(Reply(200, json=RUN), Reply(200, json=RUN))
    client = api.client(api_key="old")

    await api(client.with_options(credentials={"api_key": "new"}).runs.get("r1"))
    await api(client.runs.get("r1"))

    assert [s.headers["authorization"] for s in api.server.seen] == ["Api-Key new", "Api-Key old"]


def test_a_copy_rebuilds_cached_properties_around_itself(rt: Any) -> None:
    class Client(rt.RtClient):  # type: ignore[misc, name-defined]
        @functools.cached_property
        def runs(self) -> Any:
            return rt._client.Runs(self)

    with Client(base_url="http://127.0.0.1:9") as client:
        assert client.runs._client is client
        copy = client.with_options(max_retries=0)
        assert copy.runs._client is copy and client.runs._client is client


def test_a_copy_does_not_close_the_shared_client(rt: Any) -> None:
    client = rt.RtClient(base_url="http://127.0.0.1:9")
    with client.with_options(max_retries=1):
        pass
    assert not client._http.is_closed
    with client:
        pass
    assert client._http.is_closed


def test_an_injected_http_client_is_used_and_left_open(rt: Any) -> None:
    injected = httpx.Client()
    with rt.RtClient(base_url="http://127.0.0.1:9", http_client=injected) as client:
        assert client._http is injected
    assert not injected.is_closed
    injected.close()


async def test_async_context_manager_and_injected_client(rt: Any) -> None:
    injected = httpx.AsyncClient()
    async with rt.AsyncRtClient(base_url="http://127.0.0.1:9", http_client=injected):
        pass
    assert not injected.is_closed
    async with rt.AsyncRtClient(base_url="http://127.0.0.1:9") as own:
        pass
    assert own._http.is_closed
    await injected.aclose()


async def test_debug_logs_name_method_url_status_attempt_and_time(
    api: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="rtpkg")
    api.server.script(Reply(503), Reply(200, json=RUN))

    await api(api.client().runs.get("r1"))

    lines = [r.getMessage() for r in caplog.records if r.name == "rtpkg"]
    url = f"{api.server.url}/runs/r1"
    assert lines[0].startswith(f"GET {url} -> 503 (attempt 1, ") and lines[0].endswith(" ms)")
    assert lines[1].startswith(f"retrying GET {url} in ") and lines[1].endswith("(retry 1 of 2)")
    assert lines[2].startswith(f"GET {url} -> 200 (attempt 2, ")

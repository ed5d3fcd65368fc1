"""Every operation of every vendor client, sync and async, against Prism (`prism mock --errors`).

Prism validates each request against the vendor's spec (path, query, headers, body and the
presence of credentials) and answers 4xx when anything is off, which the client raises as an
`APIStatusError`; so a call that returns a parsed result is a request Prism accepted.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.prism import prism_available, run_prism

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)"),
]


def _client_module(vendor: str, package: str) -> Any:
    folder = str(ROOT / "generated" / vendor)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(package)


@pytest.fixture(scope="module")
def prism_urls() -> Iterator[dict[str, str]]:
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield {v: stack.enter_context(run_prism(ROOT / "specs" / f"{v}.yaml")) for v in VENDORS}


class Recorder:
    """Collects the requests a client sends, via an httpx event hook (the wire is still real)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def sync(self, request: httpx.Request) -> None:
        self.requests.append(request)

    async def async_(self, request: httpx.Request) -> None:
        self.requests.append(request)


def _clients(module: Any, cls: str, base_url: str, **kwargs: Any) -> tuple[Any, Any, Recorder]:
    recorder = Recorder()
    sync = getattr(module, cls)(
        base_url=base_url,
        http_client=httpx.Client(event_hooks={"request": [recorder.sync]}),
        **kwargs,
    )
    async_ = getattr(module, f"Async{cls}")(
        base_url=base_url,
        http_client=httpx.AsyncClient(event_hooks={"request": [recorder.async_]}),
        **kwargs,
    )
    return sync, async_, recorder


def _both(sync_call: Callable[[], Any], async_call: Callable[[], Any]) -> list[Any]:
    return [sync_call(), asyncio.run(async_call())]


VENDORS = ("autotab", "intuned", "notte", "ziet", "aimable")


def test_autotab_run_start(prism_urls: dict[str, str]) -> None:
    api = _client_module("autotab", "autotab_api")
    sync, async_, rec = _clients(api, "Autotab", prism_urls["autotab"], api_key="sk-autotab")
    args = {
        "skill_id": "skill_fe517503-384a-45c5-87a3-94f98126e626",
        "inputs": {"query": "OpenAI news"},
    }
    results = _both(lambda: sync.run.start(**args), lambda: async_.run.start(**args))
    for result in results:
        assert result is None or isinstance(result, api.models.RunSession)
    for request in rec.requests:
        assert request.method == "POST" and request.url.path == "/run/"
        assert request.headers["authorization"] == "Bearer sk-autotab"


def test_intuned_run_start(prism_urls: dict[str, str]) -> None:
    api = _client_module("intuned", "intuned_api")
    workspace = "123e4567-e89b-12d3-a456-426614174000"
    sync, async_, rec = _clients(
        api, "Intuned", prism_urls["intuned"], api_key="in-key", workspace_id=workspace
    )
    args: dict[str, Any] = {
        "project_name": "my-project",
        "api": "my-awesome-api",
        "parameters": {"param1": "value1"},
        "retry": {"maximum_attempts": 3},
        "sink": {"type": "webhook", "url": "https://example.com/hook"},
    }
    results = _both(
        lambda: sync.projects.runs.start(**args), lambda: async_.projects.runs.start(**args)
    )
    for result in results:
        assert isinstance(result, api.models.RunApiStartResponse)
        assert result.status == "pending" and isinstance(result.run_id, str)
    for request in rec.requests:
        assert request.url.path == f"/{workspace}/projects/my-project/run/start"
        assert request.headers["x-api-key"] == "in-key"
        body = httpx.Response(200, content=request.content).json()
        assert body["retry"] == {"maximumAttempts": 3}  # snake_case in, JSON names out
        assert body["sink"] == {"type": "webhook", "url": "https://example.com/hook"}
        assert "saveTrace" not in body  # nothing the caller did not set


def test_notte_function_run_start(prism_urls: dict[str, str]) -> None:
    api = _client_module("notte", "notte_api")
    sync, async_, rec = _clients(api, "Notte", prism_urls["notte"], api_key="nt-key")
    args = {
        "function_id": "fn_123",
        "workflow_id": "wf_1",
        "variables": {"url": "https://shop.notte.cc/"},
    }
    results = _both(
        lambda: sync.functions.run_start(**args), lambda: async_.functions.run_start(**args)
    )
    assert len(results) == 2  # Notte documents an untyped result: any JSON is accepted
    for request in rec.requests:
        assert request.url.path == "/functions/fn_123/runs/start"
        assert request.headers["authorization"] == "Bearer nt-key"
        assert request.headers["x-notte-api-key"] == "nt-key"


def test_ziet_run_invoke(prism_urls: dict[str, str]) -> None:
    api = _client_module("ziet", "ziet_api")
    sync, async_, rec = _clients(api, "Ziet", prism_urls["ziet"], api_key="sk_live_abc")
    results = _both(lambda: sync.runs.invoke(id="run_1"), lambda: async_.runs.invoke(id="run_1"))
    for result in results:
        assert isinstance(result, api.models.Run)
    for request in rec.requests:
        assert request.url.path == "/runs/run_1/invoke"
        # Prism checks only that the header is there; the documented format is ours to check.
        assert request.headers["authorization"] == "Api-Key sk_live_abc"


def test_aimable_execution_start(prism_urls: dict[str, str]) -> None:
    api = _client_module("aimable", "aimable_api")
    space = "550e8400-e29b-41d4-a716-446655440000"
    sync, async_, rec = _clients(api, "Aimable", prism_urls["aimable"], api_key="am-key")
    args: dict[str, Any] = {"space_id": space, "slug": "weekly-report", "inputs": {"topic": "x"}}
    resource = next(iter(_resources(sync)))
    async_resource = getattr(async_, resource)
    method = _only_method(getattr(sync, resource))
    results = _both(
        lambda: getattr(getattr(sync, resource), method)(**args),
        lambda: getattr(async_resource, method)(**args),
    )
    for result in results:
        assert type(result).__name__ != "dict" and hasattr(result, "data")
    for request in rec.requests:
        assert request.url.path == f"/v1/spaces/{space}/skills/weekly-report/executions"
        assert request.headers["authorization"] == "Bearer am-key"
        assert request.headers["idempotency-key"]  # generated once per call


def test_missing_credentials_fail_before_sending(prism_urls: dict[str, str]) -> None:
    api = _client_module("ziet", "ziet_api")
    sync, _, rec = _clients(api, "Ziet", prism_urls["ziet"])
    with pytest.raises(api.errors.MissingCredentialError, match="ZIET_API_KEY"):
        sync.runs.invoke(id="run_1")
    assert rec.requests == []


def test_prism_rejects_a_wrong_body(prism_urls: dict[str, str]) -> None:
    """The harness itself can fail: a request Prism finds invalid raises a status error."""
    api = _client_module("ziet", "ziet_api")
    client = api.Ziet(base_url=prism_urls["ziet"], api_key="k")
    with pytest.raises(api.errors.APIStatusError):
        client.runs.invoke(id="run_1", extra_headers={"Authorization": ""})


def _resources(client: Any) -> list[str]:
    kinds = (property, functools.cached_property)
    return [n for n in dir(type(client)) if isinstance(getattr(type(client), n), kinds)]


def _only_method(resource: Any) -> str:
    names = [n for n in dir(type(resource)) if not n.startswith("_") and n != "with_raw_response"]
    callables = [n for n in names if callable(getattr(resource, n))]
    assert len(callables) == 1, callables
    return callables[0]

"""A client for the whole Notte API (67 operations, 147 schemas): complete, typed, and accepted by Prism.

Uses ``../shared/corpus/notte-full-openapi.json`` and skips cleanly without it. The spec has two
path parameters no parameter declares (``function_id`` of ``PATCH
/functions/{function_id}/runs/{run_id}``, ``filename`` of ``POST /storage/uploads/{filename}``);
the validator lets them through and the normalizer types them as strings, with a warning.

Prism runs without ``--errors``: it still answers 4xx to any request that does not match the
spec, but does not turn its own generated responses into 500s (it writes values that fail its
own ``format: duration`` check). ``test_prism_refuses_a_bad_request`` shows it does check.
"""

from __future__ import annotations

import typing

import asyncio
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.config import client_config
from generator.ir import Api, Operation
from generator.load import load_spec
from generator.normalize.operations import HTTP_METHODS
from generator.pipeline import generate_files
from generator.render.signatures import walk
from generator.validate import validate_spec
from generator.write import write_package
from tests.prism import prism_available, run_prism

ROOT = Path(__file__).resolve().parents[2]
NOTTE_FULL = ROOT.parent / "shared" / "corpus" / "notte-full-openapi.json"
PACKAGE = "notte_full_api"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    not NOTTE_FULL.is_file(),
    reason="../shared/corpus/notte-full-openapi.json is not beside the repository",
)


@dataclass(frozen=True)
class Client:
    api: Api
    package: ModuleType
    folder: Path

    def operations(self) -> list[Operation]:
        return [op for resource in walk(self.api.resources) for op in resource.operations]


@pytest.fixture(scope="module")
def notte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    folder = tmp_path_factory.mktemp("notte-full") / "client"
    config = client_config(NOTTE_FULL, output=folder, package=PACKAGE, version="0.1.0")
    generated = generate_files(config)
    write_package(folder, generated.files)
    sys.path.insert(0, str(folder))
    try:
        yield Client(generated.api, importlib.import_module(PACKAGE), folder)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _spec() -> dict[str, Any]:
    return load_spec(NOTTE_FULL).document


def _spec_operations() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in _spec()["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


# --------------------------------------------------------------------------- complete and typed


def test_the_validator_accepts_the_spec_and_the_normalizer_repairs_it(notte: Client) -> None:
    validate_spec(load_spec(NOTTE_FULL))  # raises SpecError if it refused the document
    repaired = [str(w) for w in notte.api.warnings if "is not declared" in w.message]
    assert len(repaired) == 2
    assert any("runs~1{run_id}/patch" in w and "'function_id'" in w for w in repaired)
    assert any("uploads~1{filename}/post" in w and "'filename'" in w for w in repaired)
    op = next(o for o in notte.operations() if o.operation_id == "function_run_update_metadata")
    assert {
        p.json_name: (p.location, p.annotation, p.required)
        for p in op.parameters
        if p.location == "path"
    } == {"run_id": ("path", "str", True), "function_id": ("path", "str", True)}


def test_all_67_operations_are_generated(notte: Client) -> None:
    spec = _spec_operations()
    ops = notte.operations()
    assert len(spec) == 67 and len(ops) == 67
    assert {(op.http_method, op.path) for op in ops} == set(spec)
    assert {op.operation_id for op in ops} == {o["operationId"] for o in spec.values()}
    for resource in walk(notte.api.resources):
        for op in resource.operations:
            assert callable(
                getattr(_resource(notte.package, notte.api, resource.attr), op.method_name)
            )


def _resource(package: ModuleType, api: Api, attr: str) -> Any:
    client = getattr(package, api.client_class)(api_key="k", base_url="http://test.invalid")
    return getattr(client, attr)


def test_nothing_is_untyped_where_the_spec_has_a_type(notte: Client) -> None:
    spec = _spec_operations()
    for op in notte.operations():
        raw = spec[(op.http_method, op.path)]
        where = f"{op.http_method} {op.path}"
        untyped = _untyped_success(raw)
        assert (op.result == "Any") == untyped, f"{where}: result {op.result}"
        if "requestBody" in raw:
            assert op.body is not None and not _has_any(
                op.body.annotation.replace("Mapping[str, Any]", "")
            ), where
        for param in op.parameters:
            assert not _has_any(param.annotation), f"{where}: parameter {param.json_name}"


def _has_any(annotation: str) -> bool:
    return "Any" in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", annotation)


def _untyped_success(operation: dict[str, Any]) -> bool:
    """Whether every 2xx JSON response of ``operation`` has an empty schema (``{}``)."""
    schemas = [
        media.get("schema")
        for status, response in operation["responses"].items()
        if str(status).startswith("2")
        for media in (response.get("content") or {}).values()
    ]
    return bool(schemas) and all(s in ({}, None) for s in schemas)


def test_the_declared_discriminators_become_discriminated_unions(notte: Client) -> None:
    declared = [
        u for u in notte.api.unions if u.kind == "discriminated" and u.detail.endswith("(declared)")
    ]
    assert len(declared) == 7, declared  # the spec has 7 discriminators
    assert all(u.detail.startswith("on 'type'") for u in declared)
    models = notte.package.models
    annotation = models.ActionSpace.model_fields["actions"].annotation
    if typing.get_origin(annotation) is not list:  # `list[Action] | None`: readOnly, so optional
        annotation = next(a for a in typing.get_args(annotation) if typing.get_origin(a) is list)
    action = typing.get_args(annotation)[0]
    assert action.__value__.__metadata__[0].discriminator == "type"
    assert models.ApiExecutionResponse.model_fields["action"].discriminator == "type"


def test_the_models_parse_what_a_server_sends(notte: Client) -> None:
    models = notte.package.models
    selector = {
        "playwright_selector": "#q",
        "css_selector": "#q",
        "xpath_selector": "//q",
        "in_iframe": False,
        "in_shadow_root": False,
        "iframe_parent_css_selectors": [],
    }
    action = {"type": "fill", "value": "secret", "selector": selector}
    response = models.ApiExecutionResponse.model_validate(
        {
            "success": True,
            "message": "ok",
            "action": action,
            "something_new": 1,
            "started_at": "2025-01-01T00:00:00Z",
            "ended_at": "2025-01-01T00:00:01.5Z",
        }
    )
    assert type(response.action).__name__ == "FillActionOutput"
    assert type(response.action.selector).__name__ == "NodeSelectors"
    assert response.model_extra == {"something_new": 1}


@pytest.mark.slow
def test_mypy_strict_passes(notte: Client) -> None:
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", PACKAGE],
        capture_output=True,
        text=True,
        cwd=notte.folder,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- against Prism


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def sync(self, request: httpx.Request) -> None:
        request.read()
        self.requests.append(request)

    async def async_(self, request: httpx.Request) -> None:
        await request.aread()
        self.requests.append(request)


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    if not prism_available():
        pytest.skip("Prism is not installed (run .ci/install)")
    with run_prism(NOTTE_FULL, errors=False) as url:
        yield url


GOTO = {"type": "goto", "url": "https://example.com"}
COOKIE = {
    "name": "n",
    "value": "v",
    "domain": "example.com",
    "path": "/",
    "httpOnly": True,
    "sameSite": "Lax",
}
CARD = {
    "card_holder_name": "A",
    "card_number": "4111111111111111",
    "card_cvv": "123",
    "card_full_expiration": "12/30",
}

#: (resource.method, keyword arguments, path Prism saw): 22 operations across 13 resources.
CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("health.check", {}, "/health"),
    ("sessions.list", {"page_size": 5}, "/sessions"),
    (
        "sessions.start",
        {
            "headless": True,
            "proxies": [
                {"type": "notte", "country": "us"},
                {"type": "external", "server": "http://proxy:8080"},
            ],
        },
        "/sessions/start",
    ),
    ("sessions.status", {"session_id": "s1"}, "/sessions/s1"),
    ("sessions.cookies_set", {"session_id": "s1", "cookies": [COOKIE]}, "/sessions/s1/cookies"),
    ("sessions.page_execute", {"session_id": "s1", "body": GOTO}, "/sessions/s1/page/execute"),
    (
        "sessions.page_scrape",
        {"session_id": "s1", "scrape_links": False},
        "/sessions/s1/page/scrape",
    ),
    ("agents.start", {"task": "find the price", "session_id": "s1"}, "/agents/start"),
    ("agents.list", {}, "/agents"),
    ("functions.create", {"file": b"print('hi')\n", "name": "hello"}, "/functions"),
    (
        "functions.run_update_metadata",
        {"function_id": "f1", "run_id": "r1", "status": "closed"},
        "/functions/f1/runs/r1",
    ),
    (
        "functions.schedule_set",
        {"function_id": "f1", "cron": "0 * * * *", "variables": None},
        "/functions/f1/schedule",
    ),
    ("vaults.create", {"name": "v"}, "/vaults/create"),
    (
        "vaults.credentials_add",
        {"vault_id": "v1", "url": "https://example.com", "credentials": {"password": "p"}},
        "/vaults/v1/credentials",
    ),
    ("vaults.credit_card_set", {"vault_id": "v1", "credit_card": CARD}, "/vaults/v1/card"),
    ("profiles.create", {"name": "p"}, "/profiles/create"),
    ("personas.emails_list", {"persona_id": "p1"}, "/personas/p1/emails"),
    ("prompts.improve", {"prompt": "buy milk"}, "/prompts/improve"),
    ("usage.get", {}, "/usage"),
    ("storage.file_upload", {"filename": "a.txt", "file": b"hello"}, "/storage/uploads/a.txt"),
    (
        "storage.file_download",
        {"session_id": "s1", "filename": "a.txt"},
        "/storage/s1/downloads/a.txt",
    ),
    ("scrape.webpage", {"url": "https://example.com"}, "/scrape"),
]
ASYNC_CALLS = [
    "sessions.start",
    "sessions.page_execute",
    "functions.run_update_metadata",
    "storage.file_upload",
    "vaults.credentials_add",
]


def _method(client: Any, dotted: str) -> Callable[..., Any]:
    resource, method = dotted.split(".")
    return getattr(getattr(client, resource), method)  # type: ignore[no-any-return]


def _clients(notte: Client, url: str) -> tuple[Any, Any, Recorder]:
    recorder = Recorder()
    cls = notte.api.client_class
    sync = getattr(notte.package, cls)(
        api_key="nt-key",
        base_url=url,
        http_client=httpx.Client(event_hooks={"request": [recorder.sync]}),
    )
    async_ = getattr(notte.package, "Async" + cls)(
        api_key="nt-key",
        base_url=url,
        http_client=httpx.AsyncClient(event_hooks={"request": [recorder.async_]}),
    )
    return sync, async_, recorder


def test_the_sample_spans_the_api() -> None:
    assert len(CALLS) >= 15 and len({c[0].split(".")[0] for c in CALLS}) >= 10
    assert set(ASYNC_CALLS) <= {c[0] for c in CALLS}


@pytest.mark.slow
@pytest.mark.parametrize(("call", "kwargs", "path"), CALLS, ids=[c[0] for c in CALLS])
def test_prism_accepts_the_call(
    notte: Client, prism_url: str, call: str, kwargs: dict[str, Any], path: str
) -> None:
    sync, async_, recorder = _clients(notte, prism_url)
    result = _method(sync, call)(**kwargs)
    if call in ASYNC_CALLS:
        async_result = asyncio.run(_method(async_, call)(**kwargs))
        assert type(async_result) is type(result)
    op = next(
        o
        for r in walk(notte.api.resources)
        for o in r.operations
        if f"{r.attr}.{o.method_name}" == call
    )
    if op.result not in ("Any", "None"):
        assert result is not None
    secured = bool(op.security) and all(op.security or ())  # no anonymous alternative
    for request in recorder.requests:
        assert request.url.path == path
        assert request.headers.get("authorization") == ("Bearer nt-key" if secured else None)


@pytest.mark.slow
def test_the_undeclared_path_parameters_reach_the_url(notte: Client, prism_url: str) -> None:
    sync, _, recorder = _clients(notte, prism_url)
    sync.functions.run_update_metadata(function_id="f/1", run_id="r 1", status="active")
    sync.storage.file_upload(filename="../x.txt", file=b"x")
    assert [r.url.raw_path for r in recorder.requests] == [
        b"/functions/f%2F1/runs/r%201",
        b"/storage/uploads/..%2Fx.txt",
    ]
    assert recorder.requests[1].headers["content-type"].startswith("multipart/form-data")
    assert b"filename=" in recorder.requests[1].content  # a file part, not a plain field


@pytest.mark.slow
def test_prism_refuses_a_bad_request(notte: Client, prism_url: str) -> None:
    """The control: what the client would never send, Prism refuses (so 2xx above means valid)."""
    response = httpx.post(
        f"{prism_url}/scrape", json={"no_url": True}, headers={"Authorization": "Bearer k"}
    )
    assert response.status_code == 422
    response = httpx.post(
        f"{prism_url}/sessions/s1/page/execute",
        json={"type": "goto"},
        headers={"Authorization": "Bearer k"},
    )
    assert response.status_code == 422


@pytest.mark.slow
def test_a_model_body_sends_its_tag(notte: Client, prism_url: str) -> None:
    sync, _, recorder = _clients(notte, prism_url)
    sync.sessions.page_execute(
        session_id="s1", body=notte.package.models.GotoAction(url="https://example.com")
    )
    assert json.loads(recorder.requests[0].content)["type"] == "goto"

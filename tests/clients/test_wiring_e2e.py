"""Generated streams, pages and webhooks, end to end: a loopback server, Prism, mypy."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import client_config
from generator.pipeline import generate
from tests.prism import prism_available, run_prism
from tests.runtime.runtime_server import Reply, ScriptedServer, Seen

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wiring"
SECRET = "whsec_" + base64.b64encode(b"wiring-webhook-key-0123456789abc").decode()
ITEMS = [{"id": n} for n in range(1, 8)]


def _generate(spec: Path, out: Path, package: str) -> Any:
    generate(client_config(spec, output=out, package=package, version="1.0.0"))
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("paged")
    return _generate(FIXTURES / "paged.yaml", out, "wiring_paged_api"), out


def _number(seen: Seen, name: str, default: int) -> int:
    return int(seen.query.get(name, [str(default)])[0])


def _routes(server: ScriptedServer) -> None:
    def offset(seen: Seen) -> Reply:
        start, limit = _number(seen, "offset", 0), _number(seen, "limit", 2)
        return Reply(json={"data": ITEMS[start : start + limit]})

    def pages(seen: Seen) -> Reply:
        page, size = _number(seen, "page", 1), _number(seen, "per_page", 2)
        return Reply(json={"data": ITEMS[(page - 1) * size : page * size]})

    def cursor(seen: Seen) -> Reply:
        start = _number(seen, "after", 0)
        nxt = str(start + 3) if start + 3 < len(ITEMS) else None
        return Reply(json={"data": ITEMS[start : start + 3], "meta": {"next": nxt}})

    def next_url(seen: Seen) -> Reply:
        start = _number(seen, "from", 0)
        nxt = f"/next?from={start + 3}" if start + 3 < len(ITEMS) else None
        return Reply(json={"results": ITEMS[start : start + 3], "next": nxt})

    def link(seen: Seen) -> Reply:
        page, size = _number(seen, "page", 1), _number(seen, "per_page", 2)
        headers = {}
        if page * size < len(ITEMS):
            headers["Link"] = f'<{server.url}/link?page={page + 1}&per_page={size}>; rel="next"'
        return Reply(body=json.dumps(ITEMS[(page - 1) * size : page * size]), headers=headers)

    server.routes.update(
        {"/offset": offset, "/pages": pages, "/cursor": cursor, "/next": next_url, "/link": link}
    )


CALLS = {
    "list_offset": {"limit": 2},
    "list_pages": {"per_page": 2},
    "list_cursor": {},
    "list_next": {},
    "list_link": {"per_page": 2},
}


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_style_yields_every_item_once_in_order_sync_and_async(
    paged: tuple[Any, Path], method: str
) -> None:
    module = paged[0]
    with ScriptedServer() as server:
        _routes(server)
        client = module.WiringPaged(base_url=server.url)
        page = getattr(client.items, method)(**CALLS[method])
        assert type(page).__name__ == "SyncPage"
        assert [item.id for item in page] == [i["id"] for i in ITEMS]

        async def collect() -> list[int]:
            async with module.AsyncWiringPaged(base_url=server.url) as aclient:
                return [item.id async for item in getattr(aclient.items, method)(**CALLS[method])]

        assert asyncio.run(collect()) == [i["id"] for i in ITEMS]


def test_streams_downloads_and_uploads_against_a_loopback_server(paged: tuple[Any, Path]) -> None:
    module = paged[0]
    with ScriptedServer() as server:
        stream_body = 'data: {"id": 1}\n\ndata: {"id": 2}\n\ndata: [DONE]\n\n'

        def chat(seen: Seen) -> Reply:
            if json.loads(seen.body).get("stream"):
                return Reply(body=stream_body, headers={"Content-Type": "text/event-stream"})
            return Reply(json={"id": 9})

        server.routes["/chat"] = chat
        server.routes["/files/f1"] = lambda seen: (
            Reply(body=b"%PDF-1", headers={"Content-Type": "application/pdf"})
            if seen.method == "GET"
            else Reply(204, body=b"")
        )
        server.routes["/upload"] = lambda seen: Reply(json={"id": len(seen.body)})
        client = module.WiringPaged(base_url=server.url)
        assert client.chat.create(prompt="hi").id == 9
        with client.chat.create(prompt="hi", stream=True) as stream:
            assert [item.id for item in stream] == [1, 2]
        with client.files.get("f1") as download:
            assert download.read() == b"%PDF-1"
        client.files.put("f1", body=b"raw bytes")
        assert server.to("/files/f1")[-1].body == b"raw bytes"
        assert client.files.upload(file=("a.txt", b"hello"), purpose="test").id > 0
        assert b"hello" in server.to("/upload")[-1].body


def _sign(body: bytes, secret: str = SECRET) -> dict[str, str]:
    msg_id, stamp = "msg_1", str(int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    signature = "v1," + base64.b64encode(digest).decode()
    return {"webhook-id": msg_id, "webhook-timestamp": stamp, "webhook-signature": signature}


def test_webhooks_unwrap_signed_deliveries_to_their_models(paged: tuple[Any, Path]) -> None:
    module = paged[0]
    client = module.WiringPaged(base_url="http://127.0.0.1:9", webhook_secret=SECRET)
    body = json.dumps({"type": "item.deleted", "id": 4}).encode()
    event = client.webhooks.unwrap(body, _sign(body))
    assert type(event).__name__ == "ItemDeleted" and event.id == 4
    created = json.dumps({"type": "item.created", "data": {"id": 1}}).encode()
    assert type(client.webhooks.unwrap(created, _sign(created))).__name__ == "ItemCreated"
    with pytest.raises(module.WebhookSignatureError):
        client.webhooks.unwrap(body, _sign(body, "whsec_" + base64.b64encode(b"x" * 24).decode()))
    # no signature declared, no secret: unwrap only parses
    unsigned = module.WiringPaged(base_url="http://127.0.0.1:9")
    assert unsigned.webhooks.unwrap(body, {}).id == 4


def test_a_document_with_only_webhooks_makes_a_package_with_events(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Hooks", "version": "1.0.0"},
        "x-clientgen-webhooks": {"signature": "standard-webhooks"},
        "webhooks": {
            "order.paid": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["type", "amount"],
                                    "properties": {
                                        "type": {"const": "order.paid"},
                                        "amount": {"type": "integer"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "order.refunded": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Refund"}}
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Refund": {
                    "type": "object",
                    "required": ["type", "reason"],
                    "properties": {
                        "type": {"const": "order.refunded"},
                        "reason": {"type": "string"},
                    },
                }
            }
        },
    }
    spec = tmp_path / "hooks.yaml"
    spec.write_text(yaml.safe_dump(document))
    module = _generate(spec, tmp_path / "out", "wiring_hooks_api")
    client = module.WiringHooks(base_url="http://127.0.0.1:9", webhook_secret=SECRET)
    body = json.dumps({"type": "order.refunded", "reason": "late"}).encode()
    assert client.webhooks.unwrap(body, _sign(body)).reason == "late"
    paid = json.dumps({"type": "order.paid", "amount": 5}).encode()
    assert client.webhooks.unwrap(paid, _sign(paid)).amount == 5
    with pytest.raises(module.errors.MissingCredentialError):
        module.WiringHooks(base_url="http://127.0.0.1:9").webhooks.unwrap(paid, _sign(paid))
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "client.webhooks.unwrap" in readme and "`order.refunded`" in readme


@pytest.mark.slow
def test_generated_wiring_package_passes_mypy_strict(paged: tuple[Any, Path]) -> None:
    out = paged[1]
    usage = out / "usage_check.py"
    usage.write_text(
        "from wiring_paged_api import WiringPaged as Paged, Stream\n"
        "from wiring_paged_api.models import Item\n"
        "c = Paged()\n"
        "a: Item = c.chat.create(prompt='x')\n"
        "b: Item = c.chat.create(prompt='x', stream=False)\n"
        "s: Stream[Item] = c.chat.create(prompt='x', stream=True)\n"
        "ids: list[int] = [i.id for i in c.items.list_cursor()]\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "wiring_paged_api", "usage_check.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("agent")
    return _generate(FIXTURES / "agent-events.yaml", out, "wiring_agent_api")


@pytest.mark.slow
@pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)")
def test_run_events_stream_from_prism_parses_its_example_events(agent: Any) -> None:
    with run_prism(FIXTURES / "agent-events.yaml") as url:
        client = agent.WiringAgent(base_url=url)
        with client.runs.stream_events("run_123") as stream:
            events = list(stream)
        assert [type(e).__name__ for e in events] == ["StepEvent", "StepEvent", "DoneEvent"]
        assert [e.index for e in events[:2]] == [1, 2] and events[2].status == "succeeded"

        async def collect() -> list[Any]:
            async with agent.AsyncWiringAgent(base_url=url) as aclient:
                async with await aclient.runs.stream_events("run_123") as astream:
                    return [event async for event in astream]

        assert [type(e).__name__ for e in asyncio.run(collect())] == [
            "StepEvent",
            "StepEvent",
            "DoneEvent",
        ]


@pytest.mark.slow
def test_a_3_2_document_with_item_schema_gives_a_typed_stream_that_passes_mypy(
    tmp_path: Path,
) -> None:
    """OpenAPI 3.2's ``itemSchema`` (the agent spec, declared 3.2): the run-events method returns
    ``Stream`` of the event union, and the package and a caller pass ``mypy --strict``."""
    document = yaml.safe_load((FIXTURES / "agent-events.yaml").read_text(encoding="utf-8"))
    document["openapi"] = "3.2.0"
    spec = tmp_path / "agent-3.2.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    out = tmp_path / "out"
    outcome = generate(client_config(spec, output=out, package="agent32_api", version="1.0.0"))
    assert not [w for w in outcome.warnings if "itemSchema" in w.message], outcome.warnings
    source = (out / "agent32_api" / "resources" / "runs.py").read_text(encoding="utf-8")
    assert "def stream_events(" in source and "-> Stream[" in source
    (out / "usage_check.py").write_text(
        "from agent32_api import Agent32, Stream\n"
        "c = Agent32()\n"
        "s = c.runs.stream_events('run_1')\n"
        "for event in s:\n"
        "    print(type(event).__name__)\n"
        "reveal_type(s)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "agent32_api", "usage_check.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Stream[" in result.stdout and "Any" not in result.stdout.split("Revealed type")[-1]

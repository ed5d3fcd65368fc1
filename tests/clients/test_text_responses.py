"""A ``text/*`` response is the body as ``str`` (not bytes, not JSON), sync and async."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import yaml

from generator.config import client_config
from generator.pipeline import generate
from tests.runtime.runtime_server import Reply, ScriptedServer

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Reports", "version": "1"},
    "paths": {
        "/report": {
            "get": {
                "operationId": "getReport",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    }
                },
            }
        }
    },
}


async def test_a_text_response_is_returned_as_str(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    generate(client_config(tmp_path / "spec.yaml", output=tmp_path / "out", package="reports_api"))
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        module = importlib.import_module("reports_api")
        csv = "id,name\n1,Ada\n"
        with ScriptedServer() as server:
            server.routes["/report"] = lambda seen: Reply(
                body=csv, headers={"Content-Type": "text/csv; charset=utf-8"}
            )
            with module.Reports(base_url=server.url) as client:
                assert client.report.get() == csv
            async with module.AsyncReports(base_url=server.url) as aclient:
                assert await aclient.report.get() == csv
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n.split(".")[0] == "reports_api"]:
            del sys.modules[name]

"""OpenAPI 3.2 through a generated client: the ``query`` method, ``additionalOperations``, an
``in: querystring`` parameter and nested tags (``parent``), against a loopback server that
records the method, path and query string of every call."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generator.config import client_config
from generator.pipeline import generate
from tests.runtime.runtime_server import Reply, ScriptedServer

PET = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
OK_PET = {"200": {"description": "ok", "content": {"application/json": {"schema": PET}}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
SPEC = {
    "openapi": "3.2.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "tags": [
        {"name": "pets"},
        {"name": "toys", "parent": "pets"},
        {"name": "squeaky", "parent": "toys"},
    ],
    "paths": {
        "/pets/{id}": {
            "parameters": [ID],
            "get": {"operationId": "getPet", "tags": ["pets"], "responses": OK_PET},
            "query": {
                "operationId": "queryPets",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"name": {"type": "string"}}}
                        }
                    },
                },
                "responses": OK_PET,
            },
            "additionalOperations": {
                "COPY": {
                    "operationId": "copyPet",
                    "tags": ["pets"],
                    "parameters": [
                        {
                            "name": "to",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"204": {"description": "copied"}},
                }
            },
        },
        "/pets/{id}/toys": {
            "parameters": [ID],
            "get": {
                "operationId": "listToys",
                "tags": ["toys"],
                "parameters": [
                    {
                        "name": "filter",
                        "in": "querystring",
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "color": {"type": "string"},
                                        "size": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": PET}}
                        },
                    }
                },
            },
        },
        "/squeaks": {
            "get": {
                "operationId": "listSqueaks",
                "tags": ["squeaky"],
                "responses": {"204": {"description": "none"}},
            }
        },
    },
}


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("oas32")
    (root / "pets.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    config = client_config(root / "pets.yaml", output=root / "out", package="pets32_api")
    outcome = generate(config)
    assert not outcome.warnings, outcome.warnings
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("pets32_api")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n.split(".")[0] == "pets32_api"]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


def test_nested_tags_become_nested_resources(pets: Any) -> None:
    client = pets.Pets32(base_url="http://127.0.0.1:9")
    assert callable(client.pets.get) and callable(client.pets.query) and callable(client.pets.copy)
    assert callable(client.pets.toys.list)
    assert callable(client.pets.toys.squeaky.list_squeaks)


def test_the_query_method_sends_query_with_its_body(pets: Any, server: ScriptedServer) -> None:
    server.script(Reply(json={"id": "p1"}))
    with pets.Pets32(base_url=server.url) as client:
        assert client.pets.query("p1", name="Rex").id == "p1"
    (seen,) = server.seen
    assert (seen.method, seen.target, seen.json()) == ("QUERY", "/pets/p1", {"name": "Rex"})


def test_an_additional_operation_sends_its_own_method(pets: Any, server: ScriptedServer) -> None:
    server.script(Reply(204))
    with pets.Pets32(base_url=server.url) as client:
        assert client.pets.copy("p 1", to="shop") is None
    (seen,) = server.seen
    assert (seen.method, seen.target) == ("COPY", "/pets/p%201?to=shop")


@pytest.mark.parametrize(
    ("filter_", "target"),
    [
        ({"color": "red", "size": 2}, "/pets/p1/toys?color=red&size=2"),
        ({"color": "dark blue"}, "/pets/p1/toys?color=dark%20blue"),
        (None, "/pets/p1/toys"),
    ],
)
async def test_a_querystring_parameter_is_the_whole_query(
    pets: Any, server: ScriptedServer, filter_: dict[str, Any] | None, target: str
) -> None:
    server.script(Reply(json=[{"id": "t1"}]), Reply(json=[{"id": "t1"}]))
    extra = {} if filter_ is None else {"filter": filter_}
    with pets.Pets32(base_url=server.url) as client:
        assert [t.id for t in client.pets.toys.list("p1", **extra)] == ["t1"]
    async with pets.AsyncPets32(base_url=server.url) as client:
        assert [t.id for t in await client.pets.toys.list("p1", **extra)] == ["t1"]
    assert [(s.method, s.target) for s in server.seen] == [("GET", target)] * 2

"""Operations ➜ methods: names, resources, parameters, server variables; checked on generated code."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import client_config
from generator.pipeline import build_api, generate

BIN = Path(sys.executable).parent


def _spec(tmp_path: Path, document: dict[str, Any], name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _generate(tmp_path: Path, document: dict[str, Any], package: str) -> Any:
    spec = _spec(tmp_path, document)
    out = tmp_path / "out"
    generate(client_config(spec, output=out, package=package, version="1.0.0"))
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


def _op(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "responses": {"204": {"description": "done"}}, **extra}


def test_method_names_drop_their_resource_words_and_dotted_tags_nest(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1.0.0"},
        "paths": {
            "/functions/{function_id}/runs/start": {
                "post": _op("function_run_start", tags=["functions"])
            },
            "/projects/{p}/runs": {"get": _op("listProjectRuns", tags=["projects.runs"])},
            "/sessions": {"get": _op("sessions_list", tags=["sessions"])},
            "/health": {"get": _op("health_check")},
        },
    }
    api = build_api(client_config(_spec(tmp_path, document), output=tmp_path / "o", version="1"))
    tree = {
        r.attr: ([o.method_name for o in r.operations], [c.attr for c in r.children])
        for r in api.resources
    }
    assert tree["functions"] == (["run_start"], [])
    assert tree["projects"] == ([], ["runs"])
    assert [o.method_name for o in api.resources[1].children[0].operations] == ["list_project"]
    assert tree["sessions"] == (["list"], [])
    assert tree["health"] == (["check"], [])  # untagged: named after the first path segment


def test_a_method_named_list_keeps_list_annotations_working(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/items": {
                "get": {
                    "operationId": "items_list",
                    "tags": ["items"],
                    "parameters": [
                        {
                            "name": "ids",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"type": "string"}}
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    module = _generate(tmp_path, document, "listy_api")
    assert callable(module.Listy().items.list)
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "listy_api"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_undeclared_path_parameters_are_synthesized_with_a_warning(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1.0.0"},
        "paths": {"/runs/{run_id}": {"patch": _op("run_update", tags=["runs"])}},
    }
    api = build_api(client_config(_spec(tmp_path, document), output=tmp_path / "o", version="1"))
    (param,) = api.resources[0].operations[0].parameters
    assert (param.name, param.location, param.annotation, param.required) == (
        "run_id",
        "path",
        "str",
        True,
    )
    assert any("run_id" in w.message for w in api.warnings)


def test_server_variables_are_client_arguments(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Regional", "version": "1.0.0"},
        "servers": [
            {
                "url": "{scheme}://{region}.example.com/v1",
                "variables": {
                    "scheme": {"default": "https", "enum": ["https", "http"]},
                    "region": {"default": "eu"},
                },
            }
        ],
        "paths": {"/ping": {"get": _op("ping")}},
    }
    module = _generate(tmp_path, document, "regional_api")
    assert module.Regional().base_url == "https://eu.example.com/v1"
    assert module.Regional(region="us", scheme="http").base_url == "http://us.example.com/v1"
    assert module.Regional(base_url="https://proxy.local").base_url == "https://proxy.local"


def test_generate_prints_normalizer_warnings(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Demo", "version": "1.0.0"},
        "components": {"securitySchemes": {"digest": {"type": "http", "scheme": "digest"}}},
        "security": [{"digest": []}],
        "paths": {"/ping": {"get": _op("ping")}},
    }
    spec = _spec(tmp_path, document)
    result = subprocess.run(
        [str(BIN / "clientgen"), "generate", str(spec), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "digest" in result.stderr


@pytest.mark.parametrize("version", ["1.0.0", "2024.1", "0.1.0rc1"])
def test_package_version_comes_from_the_spec_when_valid(tmp_path: Path, version: str) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "V", "version": version}, "paths": {}}
    api = build_api(client_config(_spec(tmp_path, document), output=tmp_path / "o"))
    assert api.version == version


@pytest.mark.parametrize(
    ("spec_version", "package_version"),
    [
        ("2023-08-16", "2023.8.16"),
        ("1.0.27-SNAPSHOT", "1.0.27.dev0"),
        ("v2", "2"),
        ("2020-09-14_1.697.4", "2020.9.14.1.697.4"),
        ("2026-10", "2026.10"),  # PEP 440 would read a post-release
        ("1.0 beta", "1.0b0"),
        ("1.0.0-rc.1", "1.0.0rc1"),
        ("1.0.0+build.5", "1.0.0"),  # no index takes a local version
        ("latest", "0.0.0"),
    ],
)
def test_a_spec_version_that_is_not_pep_440_becomes_the_closest_with_a_warning(
    tmp_path: Path, spec_version: str, package_version: str
) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "V", "version": spec_version}, "paths": {}}
    api = build_api(client_config(_spec(tmp_path, document), output=tmp_path / "o"))
    assert api.version == package_version
    (warning,) = [w for w in api.warnings if w.kind == "package version"]
    assert warning.pointer == "/info/version" and repr(spec_version) in warning.message


def test_a_configured_version_wins_and_must_be_pep_440(tmp_path: Path) -> None:
    from generator.errors import ConfigError

    document = {"openapi": "3.1.0", "info": {"title": "V", "version": "latest"}, "paths": {}}
    spec = _spec(tmp_path, document)
    api = build_api(client_config(spec, output=tmp_path / "o", version="3.1.4"))
    assert api.version == "3.1.4" and not api.warnings
    with pytest.raises(ConfigError, match="'latest' is not a PEP 440 version"):
        client_config(spec, output=tmp_path / "o", version="latest")


def test_tags_named_like_windows_devices_get_module_files_windows_can_create(
    tmp_path: Path,
) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Devices", "version": "1.0.0"},
        "paths": {
            "/con": {"get": _op("listConsoles", tags=["con"])},
            "/printers": {"get": _op("listPrinters", tags=["LPT1"])},
            "/items": {"get": _op("listItems", tags=["console"])},
        },
    }
    package = _generate(tmp_path, document, "devices_api")
    modules = sorted(p.name for p in (tmp_path / "out" / "devices_api" / "resources").glob("*.py"))
    assert modules == ["__init__.py", "con_.py", "console.py", "lpt1_.py"]
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    client = package.Devices(base_url="http://test", http_client=httpx.Client(transport=transport))
    assert client.con.list_consoles() is None and client.lpt1.list_printers() is None
    assert client.console.list_items() is None


def test_an_optional_client_level_value_is_left_out_until_it_is_set(tmp_path: Path) -> None:
    string = {"type": "string"}
    region = {"name": "region", "in": "query", "schema": string, "x-clientgen-client-param": True}
    tenant = {
        "name": "tenant",
        "in": "header",
        "required": True,
        "schema": string,
        "x-clientgen-client-param": True,
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Scoped", "version": "1.0.0"},
        "paths": {"/items": {"get": _op("listItems", parameters=[region, tenant])}},
    }
    package = _generate(tmp_path, document, "scoped_api")
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    def client(**values: str) -> Any:
        transport = httpx.MockTransport(handler)
        return package.Scoped(
            base_url="http://test", http_client=httpx.Client(transport=transport), **values
        )

    client(tenant="t1").items.list()
    assert "region" not in seen[-1].url.params and seen[-1].headers["tenant"] == "t1"
    client(tenant="t1", region="eu").items.list()
    assert seen[-1].url.params["region"] == "eu"
    errors = importlib.import_module("scoped_api.errors")
    with pytest.raises(errors.ConfigurationError, match="tenant"):
        client(region="eu").items.list()  # the required one is still required

"""The vendor specs in specs/: extracted byte for byte from the seed pages (or written faithfully
from Aimable's page), valid, with their overlays; and the Prism harness serving them."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from generator.load import extract_openapi_from_page, load_spec
from generator.validate import validate_spec
from tests.prism import prism_available, run_prism

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SEEDS = ROOT.parent / "shared" / "seeds"
EXTRACTED = {
    "autotab": "autotab-run-start.md",
    "intuned": "intuned-run-start.md",
    "notte": "notte-function-run-start.md",
    "ziet": "ziet-run-invoke.md",
}
ALL_SPECS = sorted(p for p in SPECS.glob("*.yaml") if not p.name.endswith(".overlay.yaml"))
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="shared/seeds is not beside the repository"
)


def overlays_for(spec: Path) -> tuple[Path, ...]:
    overlay = spec.with_name(spec.stem + ".overlay.yaml")
    return (overlay,) if overlay.exists() else ()


@needs_seeds
@pytest.mark.parametrize("name", sorted(EXTRACTED))
def test_spec_is_exactly_the_yaml_embedded_in_its_seed_page(name: str) -> None:
    seed = SEEDS / EXTRACTED[name]
    page = seed.read_bytes().decode("utf-8")
    assert (
        extract_openapi_from_page(page, str(seed)).encode("utf-8")
        == (SPECS / f"{name}.yaml").read_bytes()
    )


def test_the_five_vendor_specs_are_there() -> None:
    assert [p.stem for p in ALL_SPECS] == ["aimable", "autotab", "intuned", "notte", "ziet"]


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda p: p.stem)
def test_every_spec_validates_with_and_without_its_overlay(spec: Path) -> None:
    validate_spec(load_spec(spec))
    validate_spec(load_spec(spec, overlays_for(spec)))


def test_ziet_overlay_declares_the_api_key_prefix() -> None:
    document = load_spec(SPECS / "ziet.yaml", overlays_for(SPECS / "ziet.yaml")).document
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert scheme["x-clientgen-prefix"] == "Api-Key " and scheme["name"] == "Authorization"


def test_notte_overlay_fills_the_api_key_header_from_the_credential() -> None:
    document = load_spec(SPECS / "notte.yaml", overlays_for(SPECS / "notte.yaml")).document
    marked = [
        parameter
        for path_item in document["paths"].values()
        for operation in path_item.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "x-notte-api-key"
    ]
    assert marked and all(p["x-clientgen-credential"] == "api_key" for p in marked)


def test_intuned_overlay_makes_workspace_a_client_param_and_names_start() -> None:
    document = load_spec(SPECS / "intuned.yaml", overlays_for(SPECS / "intuned.yaml")).document
    operation = document["paths"]["/{workspaceId}/projects/{projectName}/run/start"]["post"]
    workspace = next(p for p in operation["parameters"] if p["name"] == "workspaceId")
    assert workspace["x-clientgen-client-param"] == {"env": "INTUNED_WORKSPACE_ID"}
    assert workspace["x-speakeasy-globals-hidden"] is True
    assert operation["x-clientgen-name"] == "start" and operation["operationId"] == "runApiStart"


# --------------------------------------------------------------------------- Aimable, by hand


def _aimable() -> dict[str, Any]:
    return load_spec(SPECS / "aimable.yaml").document


def _page() -> str:
    return (SEEDS / "aimable-execution-start.txt").read_text(encoding="utf-8")


def _page_json(after: str, before: str) -> Any:
    page = _page()
    start = page.index(after) + len(after)
    return json.loads(page[start : page.index(before, start)])


def test_aimable_operation() -> None:
    document = _aimable()
    assert document["openapi"] == "3.1.0" and "servers" not in document
    operation = document["paths"]["/v1/spaces/{space_id}/skills/{slug}/executions"]["post"]
    assert operation["summary"] == "Start Standalone Execution Route"
    assert operation["operationId"] == "startStandaloneExecution" and operation["tags"] == [
        "executions"
    ]
    parameters = {(p["name"], p["in"]): p for p in operation["parameters"]}
    assert set(parameters) == {
        ("space_id", "path"),
        ("slug", "path"),
        ("Idempotency-Key", "header"),
    }
    assert parameters[("space_id", "path")]["schema"] == {"type": "string", "format": "uuid"}
    assert parameters[("Idempotency-Key", "header")]["required"] is False
    assert set(operation["responses"]) == {"201"}  # the page's "Error Responses" section is empty
    assert document["security"] == [{"bearerAuth": []}, {"apiKeyAuth": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKeyAuth"] == {
        **schemes["apiKeyAuth"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }


@needs_seeds
def test_aimable_request_body_is_the_page_s() -> None:
    body = _aimable()["paths"]["/v1/spaces/{space_id}/skills/{slug}/executions"]["post"][
        "requestBody"
    ]
    assert body["required"] is True
    schema = _aimable()["components"]["schemas"]["StartExecutionRequest"]
    assert set(schema["properties"]) == set(_page_json("-d '", "'\n"))
    assert schema["required"] == ["inputs"]
    page = " ".join(_page().split())
    for prop in schema["properties"].values():
        assert prop["description"] in page  # copied verbatim
    assert schema["properties"]["model"]["type"] == ["string", "null"]
    assert schema["properties"]["file_source_ids"] == {
        **schema["properties"]["file_source_ids"],
        "type": "array",
        "items": {"type": "string"},
    }


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _assert_matches_example(
    document: dict[str, Any], schema: dict[str, Any], example: dict[str, Any], where: str
) -> None:
    """Same fields as the page's example; `{}` means nullable; uuid and date-time formats."""
    schema = _resolve(document, schema)
    assert set(schema["properties"]) == set(example), where
    for name, value in example.items():
        field = _resolve(document, schema["properties"][name])
        types = field["type"] if isinstance(field["type"], list) else [field["type"]]
        if value == {}:
            assert "null" in types, f"{where}.{name}"
        elif isinstance(value, str) and re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value
        ):
            assert field["format"] == "uuid", f"{where}.{name}"
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", value):
            assert field["format"] == "date-time", f"{where}.{name}"
        elif isinstance(value, dict):
            _assert_matches_example(document, field, value, f"{where}.{name}")
        elif isinstance(value, list):
            _assert_matches_example(document, field["items"], value[0], f"{where}.{name}[]")
        else:
            assert {"string": str, "integer": int}[types[0]] is type(value), f"{where}.{name}"
            assert "enum" not in field, f"{where}.{name}: the page lists no values"


@needs_seeds
def test_aimable_response_has_every_field_the_page_shows() -> None:
    document = _aimable()
    response = document["paths"]["/v1/spaces/{space_id}/skills/{slug}/executions"]["post"][
        "responses"
    ]["201"]
    envelope = _resolve(document, response["content"]["application/json"]["schema"])
    assert envelope["required"] == ["data"]
    example = _page_json("201(generated)\n", "\n\nError Responses")
    _assert_matches_example(document, envelope, example, "201")


# --------------------------------------------------------------------------- Prism harness


def _post(url: str, headers: dict[str, str], body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
@pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)")
def test_prism_serves_ziet_and_checks_auth() -> None:
    with run_prism(SPECS / "ziet.yaml") as base_url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        status, body = _post(f"{base_url}/runs/abc/invoke", {"Authorization": "Api-Key x"})
        assert status == 200 and json.loads(body)["status"] in {
            "created",
            "running",
            "waiting_approval",
            "completed",
            "failed",
            "cancelled",
        }
        status, _ = _post(f"{base_url}/runs/abc/invoke", {})
        assert status == 401


@pytest.mark.slow
@pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)")
def test_prism_serves_aimable_with_either_credential() -> None:
    url_path = "/v1/spaces/550e8400-e29b-41d4-a716-446655440000/skills/my-skill/executions"
    body = json.dumps({"inputs": {"q": 1}, "model": None}).encode()
    json_header = {"Content-Type": "application/json"}
    with run_prism(SPECS / "aimable.yaml") as base_url:
        for credential in ({"Authorization": "Bearer t"}, {"X-API-Key": "k"}):
            status, answer = _post(
                base_url + url_path, {**json_header, **credential, "Idempotency-Key": "once"}, body
            )
            assert status == 201 and "data" in json.loads(answer)
        assert _post(base_url + url_path, json_header, body)[0] == 401
        assert (
            _post(base_url + url_path, {**json_header, "X-API-Key": "k"}, b"{}")[0] == 422
        )  # inputs missing


@pytest.mark.slow
@pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)")
def test_prism_that_cannot_start_fails_with_its_output(tmp_path: Path) -> None:
    from tests.prism import PrismError

    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [an, openapi, document\n", encoding="utf-8")
    with pytest.raises(PrismError) as info, run_prism(bad):
        pass
    assert "Prism did not start" in str(info.value) and str(bad) in str(info.value)

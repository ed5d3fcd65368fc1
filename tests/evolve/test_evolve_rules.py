"""One rule, one pair of specs: tests/evolve/specs/evo.yaml and a copy with exactly one change.

Each case asserts the classification of every change found and the bump they call for, so a
rule that fires too eagerly (or not at all) shows up here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import client_config
from generator.evolve import Change, bump_for, compare, next_version, render_text, surface_of
from generator.pipeline import build_api_and_document

BASE = Path(__file__).parent / "specs" / "evo.yaml"
Spec = dict[str, Any]


def _surface(spec: Spec, folder: Path, name: str) -> dict[str, Any]:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    config = client_config(path, output=folder / "out", package="evo_api")
    return surface_of(*build_api_and_document(config))


def _diff(change: Callable[[Spec], None], tmp_path: Path) -> tuple[list[Change], str]:
    old = yaml.safe_load(BASE.read_text())
    new = copy.deepcopy(old)
    change(new)
    changes = compare(_surface(old, tmp_path, "old"), _surface(new, tmp_path, "new"))
    return changes, bump_for((c.kind for c in changes), old["info"]["version"])


def _runs(spec: Spec) -> dict[str, Any]:
    return spec["paths"]["/projects/{project}/runs"]["post"]  # type: ignore[no-any-return]


def _get(spec: Spec) -> dict[str, Any]:
    return spec["paths"]["/projects/{project}/runs/{run}"]["get"]  # type: ignore[no-any-return]


def _schema(spec: Spec, name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]  # type: ignore[no-any-return]


def _move_path(spec: Spec) -> None:
    spec["paths"]["/v2/projects/{project}/runs"] = spec["paths"].pop("/projects/{project}/runs")


#: rule ➜ (the one change, the kind every change must have, the bump, a (subject, detail) expected)
CASES: dict[str, tuple[Callable[[Spec], None], str, str, tuple[str, str]]] = {
    "resource removed": (
        lambda s: s.update(paths={}),
        "breaking",
        "major",
        ("client.runs", "resource removed"),
    ),
    "method removed": (
        lambda s: s["paths"].pop("/projects/{project}/runs/{run}"),
        "breaking",
        "major",
        ("client.runs.get()", "method removed"),
    ),
    "new required argument": (
        lambda s: _runs(s)["parameters"].append(
            {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        "breaking",
        "major",
        ("client.runs.start(region=...)", "new required argument"),
    ),
    "argument type narrowed": (
        lambda s: _runs(s)["parameters"][1].update(schema={"type": "boolean", "enum": [True]}),
        "breaking",
        "major",
        ("client.runs.start(verbose=...)", "type narrowed: bool ➜ True"),
    ),
    "field type narrowed": (
        lambda s: _schema(s, "StartRun")["properties"].update(count={"type": "integer"}),
        "breaking",
        "major",
        ("models.StartRun.count", "type narrowed: float ➜ int"),
    ),
    "enum value removed from a request type": (
        lambda s: _get(s)["parameters"][2]["schema"].update(enum=["low"]),
        "breaking",
        "major",
        ("client.runs.get(level=...)", 'enum value removed: "high"'),
    ),
    "response field required now optional": (
        lambda s: _schema(s, "Run").update(required=["id"]),
        "breaking",
        "major",
        ("models.Run.status", "was required, now optional"),
    ),
    "response field removed": (
        lambda s: _schema(s, "Run")["properties"].pop("note"),
        "breaking",
        "major",
        ("models.Run.note", "field removed"),
    ),
    "auth changed": (
        lambda s: s["components"]["securitySchemes"]["key"].update(name="X-Api-Key"),
        "breaking",
        "major",
        ("Evo()", "auth scheme 'key' changed: param 'X-Key' ➜ 'X-Api-Key'"),
    ),
    "path moved": (
        _move_path,
        "breaking",
        "major",
        (
            "client.runs.start()",
            "path moved: POST /projects/{project}/runs ➜ POST /v2/projects/{project}/runs",
        ),
    ),
    "new method": (
        lambda s: s["paths"]["/projects/{project}/runs/{run}"].update(
            delete={
                "operationId": "deleteRun",
                "tags": ["runs"],
                "parameters": _get(s)["parameters"][:2],
                "responses": {"204": {"description": "gone"}},
            }
        ),
        "feature",
        "minor",
        ("client.runs.delete()", "new method (DELETE /projects/{project}/runs/{run})"),
    ),
    "new optional argument": (
        lambda s: _runs(s)["parameters"].append(
            {"name": "region", "in": "query", "schema": {"type": "string"}}
        ),
        "feature",
        "minor",
        ("client.runs.start(region=...)", "new optional argument"),
    ),
    "new response field": (
        lambda s: _schema(s, "Run")["properties"].update(created={"type": "string"}),
        "feature",
        "minor",
        ("models.Run.created", "new field"),
    ),
    "new enum value in a response's open enum": (
        lambda s: _schema(s, "Run")["properties"]["status"]["enum"].append("failed"),
        "feature",
        "minor",
        ("models.Run.status", 'enum value added (open enum): "failed"'),
    ),
    "docs: summary": (
        lambda s: _runs(s).update(summary="Start a run, now"),
        "fix",
        "patch",
        ("client.runs.start()", "documentation changed"),
    ),
    "docs: description of a field": (
        lambda s: _schema(s, "Run")["properties"]["id"].update(description="The run's id."),
        "fix",
        "patch",
        ("models.Run", "description or constraints changed"),
    ),
    "docs: example": (
        lambda s: _schema(s, "StartRun").update(example={"name": "nightly"}),
        "fix",
        "patch",
        ("spec", "documentation or examples changed"),
    ),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_one_change_gives_exactly_its_classification(rule: str, tmp_path: Path) -> None:
    change, kind, bump, expected = CASES[rule]
    changes, found = _diff(change, tmp_path)
    assert changes, "no change found"
    assert {c.kind for c in changes} == {kind}, changes
    assert found == bump
    assert expected in {(c.subject, c.detail) for c in changes}, changes


def test_reordered_keys_and_new_descriptions_are_at_most_a_patch(tmp_path: Path) -> None:
    def shuffle(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: shuffle(node[k]) for k in reversed(list(node))}
        return [shuffle(v) for v in node] if isinstance(node, list) else node

    def change(spec: Spec) -> None:
        spec["info"]["description"] = "A different description."
        _schema(spec, "Run")["properties"]["note"]["description"] = "Anything."
        _schema(spec, "Run")["required"].reverse()
        _runs(spec)["description"] = "Starts it."
        reordered = shuffle(spec)
        spec.clear()
        spec.update(reordered)

    changes, bump = _diff(change, tmp_path)
    assert bump in ("patch", "none")
    assert {c.kind for c in changes} <= {"fix"}

    unchanged, bump = _diff(lambda s: s.update(shuffle(s)), tmp_path)
    assert unchanged == [] and bump == "none"


def test_before_1_0_a_breaking_change_is_a_minor_bump(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        spec["paths"].pop("/projects/{project}/runs/{run}")

    changes, _ = _diff(change, tmp_path)
    assert bump_for([c.kind for c in changes], "0.4.2") == "minor"
    assert next_version("0.4.2", "minor") == "0.5.0"
    assert bump_for([c.kind for c in changes], "1.4.2") == "major"
    assert next_version("1.4.2", "major") == "2.0.0"
    assert bump_for(["fix"], "0.4.2") == "patch" and next_version("0.4.2", "patch") == "0.4.3"


def test_the_report_groups_by_resource_and_ends_with_the_bump(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        _runs(spec)["parameters"].append(
            {"name": "proxy", "in": "query", "schema": {"type": "string"}}
        )
        _schema(spec, "Run")["properties"].pop("note")

    changes, bump = _diff(change, tmp_path)
    text = render_text(changes, bump, "1.0.0", next_version("1.0.0", bump))
    lines = text.splitlines()
    assert lines[-1] == "bump: major"
    assert lines[-2] == "version: 1.0.0 ➜ 2.0.0"
    assert "client.runs" in lines and "models" in lines
    assert "  feature   client.runs.start(proxy=...): new optional argument" in lines
    assert "  breaking  models.Run.note: field removed" in lines


def test_response_widening_of_a_closed_type_is_breaking(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        _schema(spec, "Run")["properties"]["id"] = {"type": "string", "nullable": True}

    changes, bump = _diff(change, tmp_path)
    assert [(c.kind, c.subject) for c in changes] == [("breaking", "models.Run.id")]
    assert bump == "major"


def test_request_widening_and_optional_arguments_are_features(tmp_path: Path) -> None:
    def change(spec: Spec) -> None:
        _get(spec)["parameters"][2]["schema"]["enum"].append("medium")
        _schema(spec, "StartRun").pop("required")

    changes, bump = _diff(change, tmp_path)
    assert {c.kind for c in changes} == {"feature"} and bump == "minor"
    found = {(c.subject, c.detail) for c in changes}
    assert ("client.runs.get(level=...)", 'enum value added: "medium"') in found
    assert ("client.runs.start(name=...)", "argument now optional") in found

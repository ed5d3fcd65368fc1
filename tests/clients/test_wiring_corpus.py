"""Streams, pages and webhooks of real specs (/work/shared/corpus): typed, and mypy --strict clean.

Generating these specs takes 10-60 s each and mypy longer: every test is slow, and each spec is
generated once per module. GitHub's document is huge: it is generated whole (to count its Link
pages) but type-checked through an overlay that keeps a few of its paginated list operations.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import client_config
from generator.ir import Api
from generator.pipeline import build_api, generate
from generator.render.signatures import walk

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "apis"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here"),
]

SPECS = {
    "mistral": "mistral-api.yaml",
    "cohere": "cohere-api.yaml",
    "ollama": "ollama-api.yaml",
    "docker": "docker-engine-swagger2.yaml",
    "oai32": "oai-3.2-fixture-media-type-examples.yaml",
    "polar": "polar-api-2026-10.json",
}


def _ops(api: Api) -> list[Any]:
    return [op for r in walk(api.resources) for op in r.operations]


_GENERATED: dict[str, tuple[Api, Path]] = {}


def _generated(name: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Api, Path]:
    """Each spec generated once per session, when a test first needs it."""
    if name not in _GENERATED:
        folder = tmp_path_factory.mktemp(name)
        file = SPECS[name]
        config = client_config(CORPUS / file, output=folder, package=f"corpus_{name}", version="1")
        generate(config)
        _GENERATED[name] = (build_api(config), folder)
    return _GENERATED[name]


def _mypy(folder: Path, package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", package],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # Everything this feature generates (resources, client, runtime) must be clean; models.py
    # comes from the models stage, whose known defects (model-typed defaults written as dicts:
    # docker's Runtime, mistral's ScheduleRange) are reported, not hidden.
    wiring = [line for line in errors if "/models.py:" not in line]
    assert not wiring and (errors or result.returncode == 0), result.stdout[-4000:]
    if errors:
        pytest.xfail(f"models.py only (models stage): {errors[0]}")


EXPECTED_STREAMS = {"mistral": 10, "cohere": 3, "ollama": 2, "docker": 1}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_streams_and_pages_are_typed_and_pass_mypy(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    api, folder = _generated(name, tmp_path_factory)
    streams = [op for op in _ops(api) if op.streaming and op.streaming.format != "binary"]
    assert len(streams) >= EXPECTED_STREAMS.get(name, 0), [op.operation_id for op in streams]
    sources = "\n".join(p.read_text() for p in (folder / f"corpus_{name}").rglob("*.py"))
    assert sources.count("-> Stream[") + sources.count(" | Stream[") >= len(streams)
    if name in ("mistral", "polar"):
        assert any(op.pagination for op in _ops(api))
        assert "SyncPage[" in sources and "AsyncPager[" in sources
    if name == "polar":
        assert api.webhooks is not None and len(api.webhooks.events) == 41
    _mypy(folder, f"corpus_{name}")


def test_github_link_pages_are_typed_and_a_subset_passes_mypy(tmp_path: Path) -> None:
    spec = CORPUS / "github-rest-api-v0.0.5.json"
    api = build_api(client_config(spec, output=tmp_path / "all", package="gh", version="1"))
    linked = [op for op in _ops(api) if op.pagination and op.pagination.style == "link"]
    assert len(linked) > 100
    keep = {"/repos/{owner}/{repo}/issues", "/orgs/{org}/repos", "/user/repos", "/gists"}
    paths = [p for p in _paths(spec) if p not in keep]
    overlay = tmp_path / "subset.overlay.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "overlay": "1.0.0",
                "info": {"title": "subset", "version": "1"},
                "actions": [{"target": f"$.paths['{p}']", "remove": True} for p in paths],
            }
        )
    )
    out = tmp_path / "subset"
    config = client_config(
        spec, output=out, package="corpus_github", version="1", overlays=(overlay,)
    )
    subset = build_api(config)
    assert sum(1 for op in _ops(subset) if op.pagination) >= 4
    generate(config)
    _mypy(out, "corpus_github")


def _paths(spec: Path) -> list[str]:
    import json

    return list(json.loads(spec.read_text())["paths"])

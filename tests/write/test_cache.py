"""The whole-output cache: used only while every input is unchanged, never trusted blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline, storage
from generator.write import cache
from generator.config import client_config

SPEC = """\
openapi: 3.1.0
info: {title: Cached, version: 1.0.0}
paths:
  /things:
    get:
      operationId: list_things
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'shared.yaml#/Thing'}
"""
SHARED = "Thing:\n  type: object\n  properties:\n    name: {type: string}\n"
OVERLAY = """\
overlay: 1.0.0
info: {title: rename, version: 1.0.0}
actions:
  - target: $.paths['/things'].get
    update: {x-clientgen-name: all}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "shared.yaml").write_text(SHARED)
    (tmp_path / "overlay.yaml").write_text(OVERLAY)
    return tmp_path


def _config(root: Path):  # type: ignore[no-untyped-def]
    return client_config(
        root / "spec.yaml",
        output=root / "out",
        package="cached_api",
        version="1.0",
        overlays=(root / "overlay.yaml",),
    )


def _pipeline_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    runs: list[int] = []
    real = pipeline._fresh_files  # the pipeline itself, whichever entry point runs it

    def counting(*args, **options):  # type: ignore[no-untyped-def]
        runs.append(1)
        return real(*args, **options)

    monkeypatch.setattr(pipeline, "_fresh_files", counting)
    return runs


def test_an_unchanged_client_skips_the_pipeline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _pipeline_runs(monkeypatch)
    config = _config(project)
    assert pipeline.generate(config).changes
    assert pipeline.generate(config, check=True).changes == []
    assert pipeline.generate(config).changes == []
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("changed", "old", "new"),
    [
        ("spec.yaml", "title: Cached", "title: Renamed"),
        ("shared.yaml", "name", "label"),
        ("overlay.yaml", "x-clientgen-name: all", "x-clientgen-name: everything"),
    ],
)
def test_any_changed_input_file_runs_the_pipeline_again(
    project: Path, monkeypatch: pytest.MonkeyPatch, changed: str, old: str, new: str
) -> None:
    runs = _pipeline_runs(monkeypatch)
    config = _config(project)
    pipeline.generate(config)
    target = project / changed
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new))
    stale = pipeline.generate(config, check=True)
    assert len(runs) == 2
    assert stale.changes, "the edit must show as a stale output"


def test_a_corrupt_entry_is_ignored(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(project)
    pipeline.generate(config)
    for entry in (project / "cache" / "outputs").glob("*.json"):
        entry.write_text("{not json")
    runs = _pipeline_runs(monkeypatch)
    assert pipeline.generate(config, check=True).changes == []
    assert len(runs) == 1


def test_a_hand_edited_output_is_reported_and_restored(project: Path) -> None:
    config = _config(project)
    pipeline.generate(config)
    readme = project / "out" / "README.md"
    original = readme.read_text()
    readme.write_text("edited by hand\n")
    assert [c.path for c in pipeline.generate(config, check=True).changes] == ["README.md"]
    pipeline.generate(config)
    assert readme.read_text() == original


def test_the_cache_records_every_file_read(project: Path) -> None:
    generated = pipeline.generate_files(_config(project))
    assert {p.name for p in generated.inputs} == {"spec.yaml", "shared.yaml", "overlay.yaml"}
    assert storage.cache_root() == project / "cache"


def _fill(root: Path, count: int, size: int) -> list[Path]:
    """``count`` cache-like files of ``size`` bytes, the first one the oldest."""
    paths = []
    for index in range(count):
        path = root / "black" / f"{index:02d}" / f"entry{index}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000_000 + index, 1_000_000 + index))
        paths.append(path)
    return paths


def test_prune_removes_the_oldest_entries_down_to_80_percent(tmp_path: Path) -> None:
    paths = _fill(tmp_path, 10, 1000)
    assert cache.prune(tmp_path, 20_000) == 0  # under the limit: nothing goes
    freed = cache.prune(tmp_path, 5_000)
    assert freed == 6_000
    assert [p.exists() for p in paths] == [False] * 6 + [True] * 4


def test_prune_leaves_symbolic_links_and_what_they_point_to(tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"y" * 5000)
    os.utime(outside, (1, 1))
    root = tmp_path / "cache"
    _fill(root, 3, 1000)
    (root / "link").symlink_to(outside)
    (root / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    cache.prune(root, 1000)
    assert outside.read_bytes() == b"y" * 5000 and (root / "link").is_symlink()


def test_a_run_that_writes_prunes_at_most_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CLIENTGEN_CACHE_MAX_MB", "0.004")  # about 4 KB
    paths = _fill(tmp_path, 10, 1000)
    cache.prune_if_due(now=2_000_000)
    assert sum(p.exists() for p in paths) == 3  # 80% of 4,194 bytes: three entries stay
    paths = _fill(tmp_path, 10, 1000)
    cache.prune_if_due(now=2_000_000 + 3600)  # an hour later: not due
    assert all(p.exists() for p in paths)
    cache.prune_if_due(now=2_000_000 + 25 * 3600)
    assert sum(p.exists() for p in paths) == 3


def _named_spec(schema: str) -> str:
    return (
        '{"openapi": "3.1.0", "info": {"title": "T", "version": "1.0.0"}, "paths": {},'
        f' "components": {{"schemas": {{"{schema}": {{"type": "object",'
        ' "properties": {"x": {"type": "string"}}}}}}'
    )


def test_the_same_relative_spec_path_in_two_folders_never_shares_an_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd a && generate spec.json`, then `cd b && generate spec.json`: b gets b's client."""
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    for folder, schema in (("a", "Alpha"), ("b", "Beta")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "spec.json").write_text(_named_spec(schema))
    models = {}
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        config = client_config(Path("spec.json"), output=Path("out"), package="p", version="1")
        pipeline.generate(config)
        models[folder] = (tmp_path / folder / "out" / "p" / "models.py").read_text()
    assert "class Alpha" in models["a"] and "class Beta" not in models["a"]
    assert "class Beta" in models["b"] and "class Alpha" not in models["b"]


_FOLDER = st.text("abcxyz", min_size=1, max_size=3)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    runs=st.lists(
        st.tuples(_FOLDER, st.sampled_from(["Alpha", "Beta", "Gamma"])), min_size=2, max_size=6
    ),
    relative_output=st.booleans(),
)
def test_a_cache_hit_is_always_the_output_of_the_same_files(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    runs: list[tuple[str, str]],
    relative_output: bool,
) -> None:
    """Whatever folders and specs come in whatever order, an entry is handed back only for the
    very files (resolved path and contents) that produced it."""
    root = tmp_path_factory.mktemp("pairs")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(root / "cache"))
    for folder, schema in runs:
        where = root / folder
        where.mkdir(exist_ok=True)
        (where / "spec.json").write_text(_named_spec(schema))
        monkeypatch.chdir(where)
        output = Path("out") if relative_output else root / "out"
        config = client_config(Path("spec.json"), output=output, package="p", version="1")
        hit = cache.lookup(config)
        if hit is not None:
            assert hit.files == {"models.py": f"class {schema}"}, (folder, schema)
        cache.store(
            config, [Path("spec.json")], cache.CachedOutput({"models.py": f"class {schema}"}, ())
        )

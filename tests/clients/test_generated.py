"""The committed clients in generated/: a snapshot of the generator, and products in their own right."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.render import package as render
from generator.config import load_project
from generator.pipeline import generate_files
from generator.write import MANIFEST, compare, read_manifest

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = load_project(ROOT / "pyproject.toml")
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_generated_matches_the_generator(config) -> None:  # type: ignore[no-untyped-def]
    """The snapshot: regenerating changes nothing, and the manifest lists exactly the files."""
    files = generate_files(config).files
    changes = compare(config.output, files)
    assert (
        changes == []
    ), f"generated/{config.name} is stale: run `clientgen generate`\n" + "\n".join(
        f"{c.kind} {c.path}\n{c.diff}" for c in changes[:5]
    )
    assert sorted(read_manifest(config.output)) == sorted(files)


_MODELS_BUILT = """
import json, pydantic, {package}.models as models
classes = [v for v in vars(models).values() if isinstance(v, type)
           and issubclass(v, pydantic.BaseModel) and v.__module__ == models.__name__]
built_at_import = sorted(c.__name__ for c in classes if c.__pydantic_complete__)
used = classes[0]
try:
    used.model_validate({{}})  # valid or not: validating needs the validator
except pydantic.ValidationError:
    pass
print(json.dumps([len(classes), built_at_import, used.__pydantic_complete__]))
"""


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_models_build_their_validators_on_first_use(config) -> None:  # type: ignore[no-untyped-def]
    """Importing the models builds no validator (a big API's client imports fast); using a
    model builds it."""
    code = _MODELS_BUILT.format(package=config.package)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(config.output)},
        capture_output=True,
        text=True,
        check=True,
    )
    count, built_at_import, used_built = json.loads(done.stdout)
    assert count > 0
    assert built_at_import == []
    assert used_built is True


def test_a_template_change_is_caught_by_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = tmp_path / "templates"
    shutil.copytree(render.templates_dir(), changed)
    readme = changed / "package" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nA line the snapshot has not seen.\n")
    monkeypatch.setattr(render, "templates_dir", lambda: changed)
    render._environment.cache_clear()
    try:
        changes = compare(CONFIGS[0].output, generate_files(CONFIGS[0]).files)
    finally:
        render._environment.cache_clear()
    assert [c.path for c in changes] == ["README.md"]
    assert "A line the snapshot has not seen." in changes[0].diff


def test_generation_is_deterministic(tmp_path: Path) -> None:
    """Same input, same bytes: two processes with different hash seeds, compared byte for byte."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "CLIENTGEN_CACHE_DIR": str(tmp_path / f"cache{seed}"),
        }
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                str(ROOT / "specs" / "intuned.yaml"),
                "-o",
                str(out),
                "--package",
                "intuned_api",
                "--overlay",
                str(ROOT / "specs" / "intuned.overlay.yaml"),
                "--version",
                "1.0",
            ],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1]
    assert all(b"\r" not in data for data in outputs[0].values())


@pytest.mark.slow
def test_mypy_strict_passes_on_every_generated_package() -> None:
    packages = [str(c.output / c.package) for c in CONFIGS]
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", *packages],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_black_check_passes_on_generated() -> None:
    result = subprocess.run(
        [str(BIN / "black"), "--check", "--quiet", "--line-length", "100", "generated"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_each_package_builds_installs_and_imports_in_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheels = tmp_path / "wheels"
    for config in CONFIGS:
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(config.output)],
            check=True,
            capture_output=True,
        )
    built = sorted(wheels.glob("*.whl"))
    assert len(built) == len(CONFIGS)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *map(str, built)], check=True)
    code = "; ".join(f"import {c.package}" for c in CONFIGS) + "; print('ok')"
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_manifest_is_present() -> None:
    for config in CONFIGS:
        assert (config.output / MANIFEST).is_file()


@pytest.mark.slow
def test_clientgen_itself_passes_mypy_strict() -> None:
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "generator"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr

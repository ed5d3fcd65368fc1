"""`clientgen diff`, the surface record `generate` keeps, and `clientgen version-check`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.config import load_project
from generator.evolve import check_tree
from generator.evolve.record import CHANGELOG_FILE, SURFACE_FILE

BASE = Path(__file__).parent / "specs" / "evo.yaml"

PYPROJECT = """\
[tool.clientgen]
output = "generated"

[[tool.clientgen.clients]]
name = "evo"
spec = "specs/evo.yaml"
package = "evo_api"
version = "{version}"
"""


def _breaking(spec_path: Path) -> None:
    """Remove get(), add an optional argument to start()."""
    spec = yaml.safe_load(spec_path.read_text())
    spec["paths"].pop("/projects/{project}/runs/{run}")
    spec["paths"]["/projects/{project}/runs"]["post"]["parameters"].append(
        {"name": "proxy", "in": "query", "schema": {"type": "string"}}
    )
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))


def _run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_diff_of_two_specs_text_json_and_fail_on(tmp_path: Path) -> None:
    new = tmp_path / "evo-new.yaml"
    new.write_text(BASE.read_text())
    _breaking(new)
    code, out, err = _run("diff", str(BASE), str(new))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == "bump: major" and lines[-2] == "version: 1.0.0 ➜ 2.0.0"
    assert "  breaking  client.runs.get(): method removed" in lines
    assert "  feature   client.runs.start(proxy=...): new optional argument" in lines

    code, out, _ = _run("diff", str(BASE), str(new), "--format", "json")
    data = json.loads(out)
    assert data["bump"] == "major" and data["next_version"] == "2.0.0"
    assert {"kind": "breaking", "group": "client.runs", "subject": "client.runs.get()"}.items() <= (
        data["changes"][0].items()
    )
    assert _run("diff", str(BASE), str(new), "--fail-on", "breaking")[0] == 1
    assert _run("diff", str(BASE), str(new), "--fail-on", "feature")[0] == 1
    assert _run("diff", str(BASE), str(BASE), "--fail-on", "feature")[0] == 0
    code, out, _ = _run("diff", str(BASE), str(BASE))
    assert out.splitlines()[-1] == "bump: none"


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
    ).stdout


def _project(root: Path, version: str = "1.0.0") -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "evo.yaml").write_text(BASE.read_text())
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=version))
    return root


def test_diff_against_a_git_revision(tmp_path: Path) -> None:
    repo = _project(tmp_path / "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "v1")
    _breaking(repo / "specs" / "evo.yaml")
    code, out, err = _run("diff", "--client", "evo", "--against", "HEAD", cwd=repo)
    assert code == 0, err
    assert "  breaking  client.runs.get(): method removed" in out.splitlines()
    assert out.splitlines()[-1] == "bump: major"
    code, _, err = _run("diff", "--client", "evo", "--against", "no-such-rev", cwd=repo)
    assert code == 1 and "git archive failed" in err


def _set_version(root: Path, version: str) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=version))


def test_generate_records_the_surface_and_build_refuses_an_unbumped_break(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path / "ws")
    [config] = load_project(root / "pyproject.toml")
    code, _, err = _run("generate", cwd=root)
    assert code == 0, err
    record = json.loads((config.output / SURFACE_FILE).read_text())
    assert record["version"] == "1.0.0" and record["baseline"] is None
    assert "client.runs" in record["surface"]["resources"]
    assert check_tree(config.output).problem is None  # type: ignore[union-attr]

    # a breaking change with a minor bump: generate says so, version-check and build refuse
    _breaking(root / "specs" / "evo.yaml")
    _set_version(root, "1.1.0")
    code, _, err = _run("generate", cwd=root)
    assert code == 0
    assert "client.runs.get(): method removed" in err
    assert "bump: major since 1.0.0: next version 2.0.0 (it is 1.1.0)" in err
    code, _, err = _run("version-check", cwd=root)
    assert code == 1 and "client.runs.get(): method removed" in err and "2.0.0" in err
    code, _, err = _run("build", "--dist", str(tmp_path / "dist"), cwd=root)
    assert code == 1 and "refusing" in err and "method removed" in err
    assert not (tmp_path / "dist").exists()

    # raised to 2.0.0: the baseline stays 1.0.0 (1.1.0 was never releasable), all is well
    _set_version(root, "2.0.0")
    code, _, err = _run("generate", cwd=root)
    assert code == 0, err
    verdict = check_tree(config.output)
    assert verdict is not None and verdict.base == "1.0.0" and verdict.problem is None
    assert _run("version-check", cwd=root)[0] == 0
    changelog = (config.output / CHANGELOG_FILE).read_text()
    assert changelog.startswith("# Changelog\n\n## 2.0.0\n\nChanges since 1.0.0.\n")
    assert "## 1.1.0" not in changelog and "## 1.0.0\n\nFirst generated version." in changelog
    assert "- `client.runs.get()`: method removed" in changelog

    # the same inputs again: the same bytes, and --check agrees
    before = {p.name: p.read_bytes() for p in config.output.iterdir() if p.is_file()}
    assert _run("generate", cwd=root)[0] == 0
    assert before == {p.name: p.read_bytes() for p in config.output.iterdir() if p.is_file()}
    assert _run("generate", "--check", cwd=root)[0] == 0

    # a compatible change at 2.1.0: the baseline moves to 2.0.0, earlier entries stay
    spec = yaml.safe_load((root / "specs" / "evo.yaml").read_text())
    spec["components"]["schemas"]["Run"]["properties"]["created"] = {"type": "string"}
    (root / "specs" / "evo.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    _set_version(root, "2.1.0")
    code, _, err = _run("generate", cwd=root)
    assert "models.Run.created: new field" in err and "refuse" not in err
    verdict = check_tree(config.output)
    assert verdict is not None and verdict.base == "2.0.0" and verdict.bump == "minor"
    changelog = (config.output / CHANGELOG_FILE).read_text()
    assert [line for line in changelog.splitlines() if line.startswith("## ")] == [
        "## 2.1.0",
        "## 2.0.0",
        "## 1.0.0",
    ]


def test_an_unbumped_change_is_refused_and_allow_version_overrides(tmp_path: Path) -> None:
    root = _project(tmp_path / "ws", version="0.3.0")
    [config] = load_project(root / "pyproject.toml")
    assert _run("generate", cwd=root)[0] == 0
    _breaking(root / "specs" / "evo.yaml")
    code, _, err = _run("generate", cwd=root)
    assert "bump: minor since 0.3.0: next version 0.4.0 (it is 0.3.0)" in err  # 0.x: minor
    verdict = check_tree(config.output)
    assert verdict is not None and verdict.problem is not None and "unchanged" in verdict.problem
    code, _, err = _run("build", "--dist", str(tmp_path / "dist"), cwd=root)
    assert code == 1 and "--allow-version" in err


@pytest.mark.parametrize("bad", ["not json", '{"clientgen_surface": 99}'])
def test_an_unreadable_record_is_a_first_generation(tmp_path: Path, bad: str) -> None:
    root = _project(tmp_path / "ws")
    [config] = load_project(root / "pyproject.toml")
    assert _run("generate", cwd=root)[0] == 0
    (config.output / SURFACE_FILE).write_text(bad)
    assert _run("generate", cwd=root)[0] == 0
    assert json.loads((config.output / SURFACE_FILE).read_text())["baseline"] is None

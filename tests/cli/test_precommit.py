"""The pre-commit hooks, run by real `pre-commit` in a temporary git repository.

The hook repository is a clone of this repository's committed HEAD, so what is tested is
what another project would get from `repo: <this repo>` at that revision.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow

PYPROJECT = """\
[tool.clientgen]
output = "generated"

[[tool.clientgen.clients]]
name = "ziet"
spec = "specs/ziet.yaml"
package = "ziet_api"
env_prefix = "ZIET"
version = "0.1.0"
overlays = ["specs/ziet.overlay.yaml"]
"""


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


def _pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("precommit")
    hooks = base / "hooks"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(hooks)], check=True)
    rev = _git(hooks, "rev-parse", "HEAD").strip()
    repo = base / "project"
    (repo / "specs").mkdir(parents=True)
    for name in ("ziet.yaml", "ziet.overlay.yaml"):
        shutil.copy(ROOT / "specs" / name, repo / "specs" / name)
    (repo / "pyproject.toml").write_text(PYPROJECT)
    _git(repo, "init", "-q")
    subprocess.run([str(BIN / "clientgen"), "generate"], cwd=repo, check=True, capture_output=True)
    return repo, hooks, rev


def _config(repo: Path, hooks: Path, rev: str, hook_id: str) -> None:
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n"
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "state", "--allow-empty")


def test_check_hook_passes_when_fresh_and_fails_when_stale(
    project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    repo, hooks, rev = project
    home = tmp_path / "pre-commit-home"
    _config(repo, hooks, rev, "clientgen-check")
    fresh = _pre_commit(repo, home, "run", "--all-files")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr

    spec = repo / "specs" / "ziet.yaml"
    spec.write_text(spec.read_text().replace("summary: Start run", "summary: Start the run now"))
    stale = _pre_commit(repo, home, "run", "--all-files")
    assert stale.returncode == 1
    assert "out of date" in stale.stdout and "ziet_api/resources/runs.py" in stale.stdout
    assert (
        "Start the run now" not in (repo / "generated/ziet/ziet_api/resources/runs.py").read_text()
    )

    _config(repo, hooks, rev, "clientgen-generate")
    regenerate = _pre_commit(repo, home, "run", "--all-files")
    assert regenerate.returncode == 1  # files changed: pre-commit fails the commit once
    assert "Start the run now" in (repo / "generated/ziet/ziet_api/resources/runs.py").read_text()
    _git(repo, "add", "-A")
    again = _pre_commit(repo, home, "run", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr


def test_version_check_hook_fails_until_the_version_follows_the_change(
    project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, hooks, rev = project
    repo = tmp_path / "versioned"
    (repo / "specs").mkdir(parents=True)
    for name in ("ziet.yaml", "ziet.overlay.yaml"):
        shutil.copy(ROOT / "specs" / name, repo / "specs" / name)
    (repo / "pyproject.toml").write_text(PYPROJECT)
    _git(repo, "init", "-q")

    def generate() -> None:  # this checkout's clientgen, whichever one the venv has installed
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate"],
            cwd=repo,
            check=True,
            capture_output=True,
            env=env,
        )

    generate()
    home = tmp_path / "pre-commit-home"
    _config(repo, hooks, rev, "clientgen-version-check")
    assert _pre_commit(repo, home, "run", "--all-files").returncode == 0

    # auth changed (breaking; before 1.0 that needs a minor bump), released as a patch: refused
    spec = repo / "specs" / "ziet.yaml"
    text = spec.read_text()
    assert "      name: Authorization\n" in text
    spec.write_text(text.replace("      name: Authorization\n", "      name: X-Api-Key\n"))
    (repo / "pyproject.toml").write_text(PYPROJECT.replace('"0.1.0"', '"0.1.1"'))
    generate()
    _git(repo, "add", "-A")
    refused = _pre_commit(repo, home, "run", "--all-files")
    assert refused.returncode == 1
    assert "breaking" in refused.stdout and "0.2.0" in refused.stdout

    (repo / "pyproject.toml").write_text(PYPROJECT.replace('"0.1.0"', '"0.2.0"'))
    generate()
    _git(repo, "add", "-A")
    fine = _pre_commit(repo, home, "run", "--all-files")
    assert fine.returncode == 0, fine.stdout + fine.stderr

"""The command ends without interpreter teardown (``generator.cli.run``), and that changes
nothing a caller can see: exit statuses, output, and what profilers and tracers write at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "generator"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )


def test_success_prints_and_exits_zero() -> None:
    done = _run("--version")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("clientgen, version")


def test_a_user_error_exits_one_with_its_message(tmp_path: Path) -> None:
    done = _run("validate", str(tmp_path / "missing.yaml"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "missing.yaml" in done.stderr


def test_a_usage_error_exits_two() -> None:
    done = _run("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr


def test_a_profiled_run_still_writes_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "generator", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0

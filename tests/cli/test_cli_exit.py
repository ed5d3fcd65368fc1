"""The command ends without interpreter teardown (``generator.cli.entry.run``), and that changes
nothing a caller can see: exit statuses, output, what profilers and tracers write at exit, and
no helper process outlives it (the one forked ahead for a ``generate`` included)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "generator"]
REPO = Path(__file__).resolve().parents[2]


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


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (a forked helper inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                pass
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="lists processes by /proc")
def test_no_helper_outlives_a_generate(tmp_path: Path) -> None:
    marker = f"CLIENTGEN_TEST_RUN={uuid.uuid4().hex}"
    env = dict(
        os.environ,
        CLIENTGEN_JOBS="2",  # dmcg's helper, forked before the command line is parsed
        CLIENTGEN_CACHE_DIR=str(tmp_path / "cache"),
        CLIENTGEN_TEST_RUN=marker.split("=")[1],
    )
    spec = REPO / "specs" / "notte.yaml"
    overlay = REPO / "specs" / "notte.overlay.yaml"
    out = tmp_path / "out"
    runs = {
        "cold": [str(spec), "--overlay", str(overlay), "-o", str(out)],
        "warm": [str(spec), "--overlay", str(overlay), "-o", str(out)],  # up to date: no use
        "broken": [
            str(REPO / "tests" / "broken" / "unknown-version.yaml"),
            "-o",
            str(tmp_path / "b"),
        ],
    }
    for name, args in runs.items():
        done = subprocess.run(
            [*CLI, "generate", *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == (1 if name == "broken" else 0), done.stderr
        assert name != "warm" or "up to date" in done.stdout
        assert _processes_with(marker) == [], name

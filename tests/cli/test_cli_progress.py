"""The progress line: silent for a quick client or a non-terminal stderr, then one line a stage."""

from __future__ import annotations

import time

import pytest

from generator.cli.progress import Progress


def test_a_quick_client_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with Progress("quick", enabled=True, delay=5.0) as report:
        report("reading the spec")
        report("formatting 3 files")
    assert capsys.readouterr().err == ""


def test_a_slow_client_shows_the_stage_under_way_then_each_new_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Progress("slow", enabled=True, delay=0.05) as report:
        report("reading the spec")
        report("modelling 2,000 schemas")
        time.sleep(0.3)
        report("formatting 28 files")
    lines = [line.rsplit(" (", 1)[0] for line in capsys.readouterr().err.splitlines()]
    assert lines == ["slow: modelling 2,000 schemas", "slow: formatting 28 files", "slow: done"]


def test_off_unless_asked_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Progress("piped", enabled=None, delay=0.01) as report:  # capsys: not a terminal
        report("modelling")
        time.sleep(0.1)
    assert capsys.readouterr().err == ""

"""Fixtures shared by the end-to-end client tests, and the Prism sweep's counts in the summary."""

from __future__ import annotations

import pytest

from tests.clients.corpus_clients import corpus

__all__ = ["corpus"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The per-spec counts of ``test_prism_sweep.py`` (recorded by workers under xdist too)."""
    lines = sorted(
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "sweep"
    )
    if lines:
        terminalreporter.section("Prism sweep over the corpus")
        for line in lines:
            terminalreporter.write_line(line)

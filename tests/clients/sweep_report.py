"""A pytest plugin: the Prism sweep's per-spec counts in the terminal summary.

Loaded with ``-p tests.clients.sweep_report`` (pyproject's ``addopts``) rather than from a
conftest, so that the xdist controller, which collects nothing, prints them too.
"""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The lines ``test_prism_sweep.py`` records as the ``sweep`` property, one per spec."""
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

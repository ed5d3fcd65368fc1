"""`clientgen diff` between two dated versions of real specs: an earlier one in
tests/fixtures/evolve/ (see PROVENANCE.md there) and the later one in ../shared/corpus/.

Skips cleanly when ../shared/corpus/ is not beside the repository.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests" / "fixtures" / "evolve"
CORPUS = ROOT.parent / "shared" / "corpus"


def _diff(old: Path, new: Path) -> list[str]:
    if not new.is_file():
        pytest.skip(f"{new} is not there (../shared/corpus/ holds the later version)")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_ollama_from_2025_11_to_2026_07_is_a_feature_release() -> None:
    lines = _diff(OLD / "ollama-api-2025-11-14.yaml", CORPUS / "apis" / "ollama-api.yaml")
    assert lines[-1] == "bump: minor"  # info.version 0.1.0, and nothing broke anyway
    assert lines[-3] == "15 change(s): 0 breaking, 12 feature, 3 fix"
    for expected in (
        '  feature   client.api.chat(think=...): enum value added: "max"',
        "  feature   client.api.create(renderer=...): new optional argument",
        "  feature   models.ModelSummary.remote_host: new field",
        "  fix       client.api.generate(): documentation changed",
    ):
        assert expected in lines


def test_notte_from_2026_01_to_2026_04_breaks_and_is_fast() -> None:
    old, new = OLD / "notte-openapi-2026-01-10.json", CORPUS / "notte-full-openapi.json"
    _diff(old, new)  # warms the caches (the validator's verdicts)
    started = time.perf_counter()
    lines = _diff(old, new)
    elapsed = time.perf_counter() - started
    assert lines[-2:] == ["version: 1.4.40 ➜ 2.0.0", "bump: major"]
    for expected in (
        "  breaking  client.workflows: resource removed",
        "  feature   client.functions: new resource with create(), delete(), delete_schedule(), "
        "download_url(), fork(), list(), list_runs(), run_get_metadata(), run_start(), run_stop(), "
        "run_update_metadata(), schedule_set(), update()",
        "  breaking  client.agents.stop(session_id=...): type narrowed: None | str ➜ str",
        "  breaking  client.sessions.start(timeout_minutes=...): argument removed",
        "  feature   client.sessions.start(vault_id=...): new optional argument",
        "  breaking  models.SessionResponse.timeout_minutes: was required, now optional",
        '  feature   models.SessionResponse.browser_type: enum value added (open enum): "chrome-turbo"',
        "  breaking  models.ActionSpace.actions: type widened: list items added EvaluateJsAction",
    ):
        assert expected in lines
    assert elapsed < 5, f"clientgen diff took {elapsed:.1f}s on warm caches"

"""Hostile API descriptions: no payload ever runs, spec text stays text, nothing leaves the folder.

The corpus is ``tests/hostile/cases.py``. Every case is generated in-process (the whole
pipeline, written with the real writer), then one fresh interpreter
(``tests/hostile/checker.py``) imports every generated package, builds its clients against a
loopback server, calls an operation and runs the case's checks. A payload would create a
marker file: it is looked for after generation, after import and after use. The folder the
cases are generated in is listed before and after each generation: only the case's own
output folder may change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import client_config
from generator.errors import ClientgenError
from generator.pipeline import generate
from tests.hostile.cases import MARKER_NAME, Case, build_cases

TESTS = Path(__file__).resolve().parents[1]
CHECKER = TESTS / "hostile" / "checker.py"
BIN = Path(sys.executable).parent
CASES = build_cases("/nonexistent/marker")  # ids and options only; payloads are rebuilt per run


@dataclass
class Outcome:
    case: Case
    folder: Path
    package: str
    error: str | None = None  # the ClientgenError message, when generation refused
    problems: list[str] | None = None


def listing(root: Path, *skip: Path) -> dict[str, int]:
    """Every path under ``root`` (but ``skip``) with its size: what a stray write would change."""
    found = {}
    for path in root.rglob("*"):
        if any(path == s or s in path.parents for s in skip):
            continue
        found[str(path.relative_to(root))] = path.stat().st_size if path.is_file() else -1
    return found


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return {**env, "NO_PROXY": "127.0.0.1,localhost", "PYTHONDONTWRITEBYTECODE": "1", **extra}


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("hostile")
    parent = root.parent
    markers = root / "markers"
    markers.mkdir()
    (root / "cases").mkdir()
    marker = markers / MARKER_NAME
    cache = tmp_path_factory.mktemp("black-cache")
    monkeypatch_module.setenv("CLIENTGEN_CACHE_DIR", str(cache))
    outcomes: dict[str, Outcome] = {}
    started = time.perf_counter()
    for index, case in enumerate(build_cases(str(marker))):
        package = case.package or f"hz_{index}"
        folder = root / "cases" / case.id
        spec_folder = root / "specs" / case.id
        spec_folder.mkdir(parents=True)
        spec_file = spec_folder / f"{package.replace('/', '_').replace('.', '_')}.json"
        spec_file.write_text(
            json.dumps(case.spec, indent=1), encoding="utf-8", errors="surrogatepass"
        )
        before, parent_before = listing(root, folder), listing(parent, root, cache)
        outcome = Outcome(case, folder, package)
        try:
            config = client_config(spec_file, output=folder, package=package, version=case.version)
            generate(config)
        except ClientgenError as exc:
            outcome.error = str(exc)
        assert not marker.exists(), f"{case.id}: the payload ran during generation"
        assert (
            listing(root, folder) == before
        ), f"{case.id}: generation wrote outside its output folder"
        assert (
            listing(parent, root, cache) == parent_before
        ), f"{case.id}: generation wrote outside its tmp folder"
        outcomes[case.id] = outcome
    generated = time.perf_counter() - started
    jobs = [
        {
            "id": o.case.id,
            "folder": str(o.folder),
            "package": o.package,
            "kwargs": o.case.kwargs,
            "checks": list(o.case.checks),
            "marker": str(marker),
        }
        for o in outcomes.values()
        if o.error is None
    ]
    jobs_file, results_file = root / "jobs.json", root / "results.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    before = listing(root)
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(jobs_file), str(results_file)],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env(),
        cwd=root / "markers",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = listing(root)
    assert set(after) - set(before) == {"results.json"}, "using the clients wrote files"
    for case_id, problems in json.loads(results_file.read_text(encoding="utf-8")).items():
        outcomes[case_id].problems = problems
    assert not marker.exists()
    print(
        f"\nhostile corpus: {len(outcomes)} cases generated in {generated:.1f} s, checked in {time.perf_counter() - started - generated:.1f} s"
    )
    return outcomes


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(c.refuse is None for c in CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, hostile: dict[str, Outcome]) -> None:
    outcome = hostile[case.id]
    if case.refuse is not None:
        assert outcome.error is not None, f"{case.id} should have been refused"
        assert __import__("re").search(case.refuse, outcome.error), outcome.error
        assert "Traceback" not in outcome.error and "\n" not in outcome.error
        assert not outcome.folder.exists(), "a refused spec must write nothing"
        return
    assert outcome.error is None, f"{case.id} was refused: {outcome.error}"
    assert outcome.problems == [], "\n".join(outcome.problems or ["not checked"])
    written = [p for p in outcome.folder.rglob("*")]
    assert all(outcome.folder in p.resolve().parents for p in written)
    assert all(len(p.name) <= 100 for p in written)


def test_mypy_strict_on_a_sample(hostile: dict[str, Outcome], tmp_path: Path) -> None:
    """The sample: cases whose names collide with what generated code uses, or are hostile text."""
    sample = [o for o in hostile.values() if o.case.mypy and o.error is None]
    assert len(sample) >= 5
    packages = [str(o.folder / o.package) for o in sample]
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy"),
            *packages,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=clean_env(),
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_readme_security_section_names_tests_that_exist() -> None:
    """README's "Security: untrusted specs" promises are each backed by a test file here."""
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Security: untrusted specs", 1)[1].split("\n## ", 1)[0]
    named = set(__import__("re").findall(r"`(tests/[\w/]+\.py)`", section))
    assert {
        "tests/clients/test_hostile.py",
        "tests/clients/test_fuzz.py",
        "tests/cli/test_cli_errors.py",
        "tests/write/test_write.py",
        "tests/clients/test_client_safety.py",
    } <= named
    assert all((TESTS.parent / path).is_file() for path in named)
    for claim in (
        "percent-encode path parameters",
        "CR or LF",
        "verify TLS by default",
        "never removed",
        "remote `$ref`s are refused",
        "runs nothing that came from the spec",
    ):
        assert claim in " ".join(section.split()), claim

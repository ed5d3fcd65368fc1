"""generator.speed.lanes: helper processes change how fast, never what.

The command line runs in subprocesses (no test-runner threads: helpers need fork) with
``CLIENTGEN_JOBS=1`` (everything in-process), ``2`` (datamodel-code-generator's own helper,
the validator in-process after it) and ``3`` (that helper and one more), each with its own
empty cache, and the outputs must be byte for byte the same; broken specs must give the same
one-line error every way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.speed import lanes as lanes_module
from generator.speed.forked import ForkedHelper
from generator.speed.lanes import Job, Lanes, head_start, helpers_for, stop_head_starts

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
CORPUS = REPO.parent / "shared" / "corpus"


def _generate(
    tmp: Path, jobs: int, spec: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp / f"out-{jobs}"
    env = dict(os.environ, CLIENTGEN_JOBS=str(jobs), CLIENTGEN_CACHE_DIR=str(tmp / f"cache-{jobs}"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--package",
            "lanes_api",
            *extra,
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, out


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


SPECS = [
    (
        "notte",
        REPO / "specs" / "notte.yaml",
        ("--overlay", str(REPO / "specs" / "notte.overlay.yaml")),
    )
]
if (CORPUS / "notte-full-openapi.json").exists():
    SPECS.append(("notte-full", CORPUS / "notte-full-openapi.json", ()))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "spec", "extra"), SPECS, ids=[s[0] for s in SPECS])
def test_helpers_give_the_same_bytes(
    tmp_path: Path, name: str, spec: Path, extra: tuple[str, ...]
) -> None:
    alone, alone_out = _generate(tmp_path, 1, spec, *extra)
    assert alone.returncode == 0, alone.stderr
    tree = _tree(alone_out)
    assert len(tree) > 15
    for jobs in (2, 3):
        helped, helped_out = _generate(tmp_path, jobs, spec, *extra)
        assert helped.returncode == 0, helped.stderr
        assert alone.stderr == helped.stderr  # the same warnings, in the same order
        assert _tree(helped_out) == tree


@pytest.mark.slow
@pytest.mark.parametrize(
    "broken", ["param-without-in.yaml", "unresolved-path-param.yaml", "unknown-version.yaml"]
)
def test_helpers_report_the_validators_error(tmp_path: Path, broken: str) -> None:
    alone, alone_out = _generate(tmp_path, 1, TESTS / "broken" / broken)
    assert alone.returncode == 1 and alone.stderr.startswith("error: ")
    for jobs in (2, 3):
        helped, helped_out = _generate(tmp_path, jobs, TESTS / "broken" / broken)
        assert helped.returncode == 1
        assert helped.stderr == alone.stderr
        assert not helped_out.exists()
    assert not alone_out.exists()


def _boom(text: str) -> str:
    raise ValueError(text)


def _exit_in_helper(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # a helper killed mid-job
    return 42


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _double(x: int) -> int:
    return 2 * x


def test_a_job_returns_or_raises_the_same_in_a_helper_and_inline() -> None:
    for helpers in (0, 2):
        with Lanes(helpers) as lanes:
            assert lanes.parallel is (helpers > 0)
            assert [lanes.submit(_double, n).result() for n in range(5)] == [0, 2, 4, 6, 8]
            with pytest.raises(ValueError, match="bad"):
                lanes.submit(_boom, "bad").result()


_WARMED_IN: int | None = None  # set by _warm_up in the process that ran it


def _warm_up() -> None:
    global _WARMED_IN
    _WARMED_IN = os.getpid()


def _warmed_in() -> int | None:
    return _WARMED_IN


def test_a_dedicated_helper_is_warmed_up_once_and_taken_from_the_pool() -> None:
    with Lanes(0) as inline:
        assert inline.dedicated(_warm_up) is inline and _WARMED_IN is None  # nothing to warm
    with Lanes(2) as lanes:
        lane = lanes.dedicated(_warm_up)
        assert lane.parallel and lanes.dedicated(_warm_up) is lane
        assert lanes.parallel  # one helper left in the pool
        warmed = lane.submit(_warmed_in).result()
        assert warmed is not None and warmed != os.getpid()  # the same helper ran the warm-up
        assert lane.submit(_warmed_in).result() == warmed
    with Lanes(1) as lanes:
        lanes.dedicated(_warm_up)
        assert not lanes.parallel  # its only helper went to the dedicated lane
        assert lanes.submit(os.getpid).result() == os.getpid()


def test_a_job_whose_helper_dies_runs_again_here() -> None:
    with Lanes(1) as lanes:
        job: Job[int] = lanes.submit(_exit_in_helper, os.getpid())
        assert job.result() == 42
        assert lanes.submit(_double, 4).result() == 8  # the pool broke: inline from now on


def test_a_job_no_helper_has_started_can_be_taken_back() -> None:
    with Lanes(1) as lanes:
        busy = lanes.submit(_sleep_then_pid, 0.5)
        queued = [lanes.submit(_sleep_then_pid, 0.0) for _ in range(6)]
        time.sleep(0.2)  # the pool hands the helper what it takes ahead
        taken = [job.steal() for job in reversed(queued)]
        assert any(taken) and not all(taken)
        helper = busy.result()
        assert helper != os.getpid()
        assert {job.result() for job in queued} == {os.getpid(), helper}
        assert not busy.steal() and not queued[0].steal()  # finished: nothing to take


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _unpicklable(parent: int) -> object:
    return lambda: os.getpid() == parent  # a helper cannot send a lambda back


def test_a_dedicated_helper_redoes_here_what_it_cannot_finish_or_send() -> None:
    with Lanes(2) as lanes:
        lane = lanes.dedicated(_warm_up)
        made_here = lane.submit(_unpicklable, os.getpid()).result()
        assert callable(made_here) and made_here()  # run again in this process
        assert lane.submit(_exit_in_helper, os.getpid()).result() == 42  # the helper died
        assert lane.submit(_double, 5).result() == 10  # inline from now on
        with pytest.raises(ValueError, match="still raised"):
            lane.submit(_boom, "still raised").result()


def _wait_for(path: str) -> None:
    """A warm-up that lasts until ``path`` exists (at most 20 s), and says which it was."""
    deadline = time.monotonic() + 20
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    global _WARMED_IN
    _WARMED_IN = os.getpid() if os.path.exists(path) else None


def test_a_large_call_does_not_wait_for_the_warm_up(tmp_path: Path) -> None:
    """A call far larger than a pipe holds is taken while the helper is still warming up:
    this process goes on (here: it ends the warm-up) instead of blocking on the pipe."""
    released = tmp_path / "released"

    def warm_up() -> None:
        _wait_for(str(released))

    helper = ForkedHelper(warm_up)
    try:
        big = "x" * 8_000_000
        pending = helper.submit(len, (big,))
        released.touch()  # reached only if the submission did not block
        assert pending.result() == len(big)
        assert helper.submit(_warmed_in, ()).result() == helper.pid  # released, not timed out
    finally:
        helper.close()
    assert helper.pid is None


def _no_fork() -> int:
    raise BlockingIOError(11, "Resource temporarily unavailable")


def test_a_helper_that_cannot_be_forked_leaves_the_work_inline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed = os.path.isdir("/proc/self/fd")
    descriptors = len(os.listdir("/proc/self/fd")) if listed else 0
    monkeypatch.setattr(os, "fork", _no_fork)
    with pytest.raises(OSError):
        ForkedHelper(_warm_up)
    if listed:
        assert len(os.listdir("/proc/self/fd")) == descriptors  # its pipes were closed
    head_start(_warm_up)  # no helper, and no error
    assert not lanes_module._head_started
    with Lanes(1) as lanes:
        lane = lanes.dedicated(_warm_up)
        assert lane is lanes  # no helper of its own
        assert lane.submit(os.getpid).result() == os.getpid()  # nor a pool: inline
        assert not lanes.parallel


def test_a_head_start_is_adopted_or_stopped() -> None:
    if helpers_for() == 0:
        pytest.skip("one CPU (or no fork): nothing is forked ahead")
    head_start(_warm_up)
    started = lanes_module._head_started[_warm_up].pid
    assert started is not None and _alive(started)
    with Lanes(helpers_for()) as lanes:
        lane = lanes.dedicated(_warm_up)
        assert lane.submit(_warmed_in).result() == started  # the one forked ahead, warmed up
        assert lane.submit(os.getpid).result() == started
        assert not lanes_module._head_started
    assert not _alive(started)  # stopped with the lanes
    head_start(_warm_up)
    unused = lanes_module._head_started[_warm_up].pid
    assert unused is not None
    stop_head_starts()
    assert not _alive(unused) and not lanes_module._head_started


def test_one_helper_per_other_cpu_unless_told_or_threaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linux = sys.platform == "linux"
    monkeypatch.delenv("CLIENTGEN_JOBS", raising=False)
    monkeypatch.setattr("threading.active_count", lambda: 1)
    for cpus, expected in ((1, 0), (2, 1), (3, 2), (16, 3)):
        monkeypatch.setattr(
            os, "sched_getaffinity", lambda pid, n=cpus: set(range(n)), raising=False
        )
        assert helpers_for() == (expected if linux else 0)
    monkeypatch.setenv("CLIENTGEN_JOBS", "1")
    assert helpers_for() == 0
    monkeypatch.setenv("CLIENTGEN_JOBS", "3")
    assert helpers_for() == (2 if linux else 0)
    monkeypatch.setattr("threading.active_count", lambda: 2)  # forking with threads is unsafe
    assert helpers_for() == 0

"""Independent work side by side: forked helper processes, or inline when there are none.

A cold generation of a big spec is mostly independent costs: the validator (with its imports),
datamodel-code-generator (with its own), and formatting. With helpers, dmcg runs in a helper of
its own (:meth:`Lanes.dedicated`), warmed up while the main process reads the spec (the
executable forks it before it even imports the command line: :func:`head_start`); the pool's
helpers validate and format meanwhile, and the main process formats too, taking the batches
no helper has started (:meth:`Job.steal`). Every job is a pure function of its arguments, so
the output does not depend on how many helpers ran (a test compares the ways); without fork
(not Linux, threads running, one core) every job runs inline, at submission, in order.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from .forked import ForkedHelper, HelperLost

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["Job", "Lane", "Lanes", "head_start", "helpers_for", "stop_head_starts"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def helpers_for() -> int:
    """How many helper processes to use (0: inline): one per CPU besides this process, which
    takes work off the queue too (:meth:`Job.steal`), at most three. Even a small spec gains
    (the validator's imports alone take as long as modelling it).

    ``CLIENTGEN_JOBS`` overrides the decision: the number of processes in all (``1``: no
    helpers, everything in-process).
    """
    if sys.platform != "linux" or threading.active_count() > 1:
        return 0  # fork is the cheap start method, and it is only safe without threads
    setting = os.environ.get("CLIENTGEN_JOBS", "").strip()
    if setting:
        try:
            jobs = int(setting)
        except ValueError:
            jobs = 1
        return max(0, jobs - 1)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(cpus - 1, 3)


class _Pending(Protocol[T_co]):
    """A call handed to a helper: a pool's future, or a dedicated helper's pending call."""

    def cancel(self) -> bool: ...

    def result(self) -> T_co: ...


class Job(Generic[T]):
    """One submitted call; :meth:`result` returns its value or raises its exception."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...], pending: _Pending[T] | None):
        self._fn, self._args, self._pending = fn, args, pending
        self._value: T | None = None
        self._error: Exception | None = None
        self._finished = False
        if pending is None:
            self._run_here()

    def _run_here(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except Exception as exc:  # raised again by result(), as a helper's would be
            self._error = exc
        self._finished = True

    def steal(self) -> bool:
        """Run the job here if no helper has started it yet (a caller with nothing else to do
        takes work off the queue instead of waiting); whether it did."""
        if self._finished or self._pending is None or not self._pending.cancel():
            return False
        self._run_here()
        return True

    def result(self) -> T:
        if not self._finished:
            assert self._pending is not None
            try:
                self._value = self._pending.result()
                self._finished = True
            except OSError:  # the helper died (e.g. killed), or its pipe broke: redo it here
                self._run_here()
            except Exception as exc:
                self._error, self._finished = exc, True
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


class _PoolCall(Generic[T]):
    """A call handed to the pool; a pool that lost its helper says so as :class:`HelperLost`."""

    def __init__(self, future: Future[T]) -> None:
        self._future = future

    def cancel(self) -> bool:
        return self._future.cancel()

    def result(self) -> T:
        from concurrent.futures import BrokenExecutor

        try:
            return self._future.result()
        except BrokenExecutor as exc:
            raise HelperLost("a pool helper died") from exc


def _yield_to_the_main_process() -> None:
    """The pool's helpers run at a lower priority: the main process and the dedicated helpers
    hold the longest chains of work (reading the spec, modelling), and the pool's jobs fill
    the time they leave."""
    try:
        os.nice(5)
    except OSError:
        pass


class Lane(Protocol):
    """Where a kind of work runs: :class:`Lanes` (a pool, or inline), or a dedicated helper."""

    @property
    def parallel(self) -> bool: ...

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]: ...


#: Dedicated helpers forked at the start of the command (:func:`head_start`), by warm-up,
#: until a :class:`Lanes` adopts them.
_head_started: dict[Callable[[], None], ForkedHelper] = {}


def head_start(warm_up: Callable[[], None]) -> None:
    """Fork the dedicated helper for ``warm_up`` now, before the caller's own imports, when
    helpers are to be used: its warm-up then overlaps them. The first
    :meth:`Lanes.dedicated` with the same ``warm_up`` adopts it; :func:`stop_head_starts`
    stops it if none did (e.g. every client was up to date)."""
    if warm_up not in _head_started and helpers_for() > 0:
        try:
            _head_started[warm_up] = ForkedHelper(warm_up)
        except OSError:  # e.g. out of processes: the run forks later, or works inline
            pass


def stop_head_starts() -> None:
    for helper in _head_started.values():
        helper.close()
    _head_started.clear()


class _Dedicated:
    """A lane served by one forked helper, in order."""

    parallel = True

    def __init__(self, helper: ForkedHelper) -> None:
        self._helper = helper
        self._lost = False

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        if not self._lost:
            try:
                return Job(fn, args, self._helper.submit(fn, args))
            except HelperLost:
                self._lost = True  # inline from now on
        return Job(fn, args, None)

    def close(self) -> None:
        self._helper.close()


class Lanes:
    """A pool of forked helpers (``helpers`` > 0) or an inline runner (``helpers`` == 0), and
    dedicated helpers for one kind of work each (:meth:`dedicated`).

    Nothing is forked until the first job: a run that finds every client up to date (the
    output cache) starts no pool, and stops the helper it forked ahead (:func:`head_start`)
    unused. One pool serves every client of a run, so the helpers import the validator and
    black once.
    """

    def __init__(self, helpers: int) -> None:
        self._helpers = helpers
        self._pool: ProcessPoolExecutor | None = None  # forked at the first submission
        self._dedicated: dict[Callable[[], None], _Dedicated] = {}

    @property
    def parallel(self) -> bool:
        return self._helpers > 0

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        """Run ``fn(*args)`` in a helper, or now when there is none (or the pool broke)."""
        if self._helpers > 0:
            try:
                return Job(fn, args, _PoolCall(self._started().submit(fn, *args)))
            except (OSError, RuntimeError):  # RuntimeError: a broken pool, or shut down
                self.close()
                self._helpers = 0
        return Job(fn, args, None)

    def dedicated(self, warm_up: Callable[[], None]) -> Lane:
        """A helper of its own for one kind of work, forked now (or adopted from
        :func:`head_start`) and warmed up with ``warm_up`` while this process goes on, so that
        work it is given later finds its imports and first-call setup done; the same helper
        for every later call with the same ``warm_up`` (every client of a run). It is one of
        the helpers this pool was given (the pool keeps the others, possibly none) and runs at
        this process's priority, above the pool's: it is meant for the longest chain of work.
        Inline (``warm_up`` not run) without helpers."""
        if self._helpers == 0:
            return self
        lane = self._dedicated.get(warm_up)
        if lane is None:
            try:
                helper = _head_started.pop(warm_up, None) or ForkedHelper(warm_up)
            except OSError:  # e.g. out of processes
                return self
            lane = self._dedicated[warm_up] = _Dedicated(helper)
            if self._pool is None:
                self._helpers -= 1  # one process per CPU in all: it is one of them
        return lane

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            gc.freeze()  # helpers share the parent's heap copy-on-write: keep collectors off it
            self._pool = ProcessPoolExecutor(
                max_workers=self._helpers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_yield_to_the_main_process,
            )
        return self._pool

    def close(self) -> None:
        for lane in self._dedicated.values():
            lane.close()
        self._dedicated.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()

    def __enter__(self) -> Lanes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

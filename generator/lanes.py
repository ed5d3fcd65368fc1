"""Independent work side by side: forked helper processes, or inline when there are none.

A cold generation of a big spec is mostly independent costs: the validator (with its imports),
datamodel-code-generator (with its own), and formatting. With helpers, dmcg runs in a helper of
its own (:meth:`Lanes.dedicated`), warmed up while the main process reads the spec; the pool's
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
from concurrent.futures import BrokenExecutor, Future
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["Job", "Lanes", "helpers_for"]

T = TypeVar("T")


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


class Job(Generic[T]):
    """One submitted call; :meth:`result` returns its value or raises its exception."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...], future: Future[T] | None):
        self._fn, self._args, self._future = fn, args, future
        self._value: T | None = None
        self._error: Exception | None = None
        self._finished = False
        if future is None:
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
        if self._finished or self._future is None or not self._future.cancel():
            return False
        self._run_here()
        return True

    def result(self) -> T:
        if not self._finished:
            assert self._future is not None
            try:
                self._value = self._future.result()
                self._finished = True
            except (BrokenExecutor, OSError):  # the helper died (e.g. killed): redo it here
                self._run_here()
            except Exception as exc:
                self._error, self._finished = exc, True
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def _yield_to_the_main_process() -> None:
    """The pool's helpers run at a lower priority: the main process and the dedicated helpers
    hold the longest chains of work (reading the spec, modelling), and the pool's jobs fill
    the time they leave."""
    try:
        os.nice(5)
    except OSError:
        pass


class Lanes:
    """A pool of forked helpers (``helpers`` > 0) or an inline runner (``helpers`` == 0), and
    dedicated helpers for one kind of work each (:meth:`dedicated`).

    Nothing is forked until the first job: a run that finds every client up to date (the
    output cache) starts no process. One pool serves every client of a run, so the helpers
    import the validator and black once.
    """

    def __init__(self, helpers: int, *, yielding: bool = True) -> None:
        self._helpers = helpers
        self._yielding = yielding  # helpers at a lower priority than this process
        self._pool: ProcessPoolExecutor | None = None  # forked at the first submission
        self._dedicated: dict[Callable[[], None], Lanes] = {}

    @property
    def parallel(self) -> bool:
        return self._helpers > 0

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        """Run ``fn(*args)`` in a helper, or now when there is none (or the pool broke)."""
        if self._helpers > 0:
            try:
                return Job(fn, args, self._started().submit(fn, *args))
            except (BrokenExecutor, OSError, RuntimeError):
                self.close()
                self._helpers = 0
        return Job(fn, args, None)

    def dedicated(self, warm_up: Callable[[], None]) -> Lanes:
        """A helper of its own for one kind of work, forked now and warmed up with
        ``warm_up()`` while this process goes on, so that work it is given later finds its
        imports and first-call setup done; the same helper for every later call with the same
        ``warm_up`` (every client of a run). It is one of the helpers this pool was given
        (the pool keeps the others, possibly none) and runs at this process's priority, above
        the pool's: it is meant for the longest chain of work. Inline (``warm_up`` not run)
        without helpers."""
        if self._helpers == 0:
            return self
        lane = self._dedicated.get(warm_up)
        if lane is None:
            lane = self._dedicated[warm_up] = Lanes(1, yielding=False)
            lane.submit(warm_up)
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
                initializer=_yield_to_the_main_process if self._yielding else None,
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

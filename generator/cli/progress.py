"""A progress line on stderr for a client that takes more than a few seconds.

Nothing is shown for a quick run, nor when stderr is not a terminal (pre-commit, CI, pipes)
unless ``--progress`` asks for it: a run that needs no waiting should print no noise. Past
the delay, the stage under way is shown once, then each new stage as it starts.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType

import click

__all__ = ["Progress"]

#: Seconds a client may take before its stages are reported.
DELAY = 3.0


class Progress:
    """Callable with a stage's description; a context manager around one client's run."""

    def __init__(self, label: str, enabled: bool | None, delay: float = DELAY) -> None:
        self._label = label
        self._enabled = sys.stderr.isatty() if enabled is None else enabled
        self._delay = delay
        self._lock = threading.Lock()
        self._stage: str | None = None
        self._shown = False
        self._started = time.monotonic()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Progress:
        if self._enabled:
            self._timer = threading.Timer(self._delay, self._late)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._shown and kind is None:
                self._show("done")
            self._enabled = False

    def __call__(self, stage: str) -> None:
        with self._lock:
            self._stage = stage
            if self._shown and self._enabled:
                self._show(stage)

    def _late(self) -> None:
        with self._lock:
            if self._enabled and self._stage is not None:
                self._shown = True
                self._show(self._stage)

    def _show(self, stage: str) -> None:
        elapsed = time.monotonic() - self._started
        click.echo(f"{self._label}: {stage} ({elapsed:.0f} s)", err=True)

"""Running the validator beside the other stages, and still hearing from it first.

The validator's imports and checks take as long as modelling a small spec, so with helper
processes it runs in one of them while this process normalizes and renders. Nothing made from
the spec is used before the validator has accepted it, and a stage that trips over an invalid
spec reports the validator's finding instead of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from .lanes import Job, Lanes

__all__ = ["Check", "import_shared"]

T = TypeVar("T")
R = TypeVar("R")


class Check(Generic[T, R]):
    """A check of ``subject`` by ``check`` (raising on failure, else returning what it found),
    run at most once: in a pool helper when there is one, else in this process when
    :meth:`start` is called."""

    def __init__(self, lanes: Lanes, check: Callable[[T], R], subject: T) -> None:
        self._lanes, self._check, self._subject = lanes, check, subject
        self._job: Job[R] | None = None

    def start(self) -> None:
        if self._job is None:
            self._job = self._lanes.submit(self._check, self._subject)
            if not self._lanes.parallel:
                self._job.result()  # it ran already: a failed check stops here

    def result(self) -> R:
        """Wait for the check: what it found, or its exception raised here."""
        self.start()
        assert self._job is not None
        return self._job.result()

    @contextmanager
    def first(self) -> Iterator[None]:
        """Whatever goes wrong inside, the check's own finding is reported first."""
        try:
            yield
        except Exception:
            self.result()
            raise


def import_shared() -> None:
    """Import, before the helpers fork, what both they and this process use: pydantic's models
    (datamodel-code-generator's, the validator's settings). Imported once, shared. Not black:
    only a piece that is not black's layout already needs it (:mod:`generator.format.settled`),
    rarely."""
    from pydantic import BaseModel  # noqa: F401

"""One forked helper process that runs calls sent down a pipe, one at a time, in order.

What :class:`concurrent.futures.ProcessPoolExecutor` does for the pool, cut down to what a
dedicated helper (:meth:`.lanes.Lanes.dedicated`) needs, so that the executable can
fork it first thing: the fork needs no import (the executor's imports take 60 ms, and it
starts a thread in this process), and the helper's warm-up starts at once, while this process
is still importing the command line.

A call and its reply travel as pickles, each framed by its length. A reply that cannot be
pickled, or a helper that died, surfaces as :class:`HelperLost`: the caller runs the call
itself instead.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from typing import Any

__all__ = ["ForkedHelper", "HelperLost"]

_LENGTH = 8  # bytes of a frame's length prefix


class HelperLost(OSError):
    """The helper died, or could not send its reply back: run the call here instead."""


class ForkedHelper:
    """A helper forked now that runs ``warm_up()`` first, then the calls it is given."""

    def __init__(self, warm_up: Callable[[], None]) -> None:
        calls_read, calls_write = os.pipe()
        replies_read, replies_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # e.g. out of processes: the caller works without this helper
            for fd in (calls_read, calls_write, replies_read, replies_write):
                os.close(fd)
            raise
        if pid == 0:  # the helper
            status = 1
            try:
                os.close(calls_write)
                os.close(replies_read)
                _detach_standard_streams()
                _serve(warm_up, calls_read, replies_write)
                status = 0
            finally:
                os._exit(status)  # never this process's exit handlers or buffered output
        os.close(calls_read)
        os.close(replies_write)
        self._pid: int | None = pid
        self._calls, self._replies = calls_write, replies_read
        self._sent = 0  # calls sent so far
        self._received: list[tuple[bool | None, Any]] = []  # their replies, in order

    @property
    def pid(self) -> int | None:
        """The helper's process id; ``None`` once stopped."""
        return self._pid

    def submit(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> PendingCall:
        """Send ``fn(*args)`` (picklable by reference) to the helper; raises
        :class:`HelperLost` if it is gone."""
        import pickle

        if self._pid is None:
            raise HelperLost("the helper was stopped")
        _write_frame(self._calls, pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL))
        self._sent += 1
        return PendingCall(self, self._sent - 1)

    def reply(self, index: int) -> Any:
        """The value of call ``index``, or the exception it raised, raised here."""
        import pickle

        while len(self._received) <= index:
            frame = _read_frame(self._replies) if self._pid is not None else None
            if frame is None:
                raise HelperLost("the helper died")
            self._received.append(pickle.loads(frame))
        ok, payload = self._received[index]
        if ok is None:
            raise HelperLost("the helper could not send its reply")
        if not ok:
            raise payload
        return payload

    def close(self) -> None:
        """Stop the helper (whatever it is doing: every reply wanted has been read) and reap it."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):  # reaped already (SIGCHLD ignored)
            pass
        self._pid = None
        os.close(self._calls)
        os.close(self._replies)


class PendingCall:
    """A call sent to a :class:`ForkedHelper`; the helper runs it when it gets to it."""

    def __init__(self, helper: ForkedHelper, index: int) -> None:
        self._helper, self._index = helper, index

    def cancel(self) -> bool:
        return False  # sent already: the helper takes its calls in order, none back

    def result(self) -> Any:
        return self._helper.reply(self._index)


# ----------------------------------------------------------------------------- in the helper
def _detach_standard_streams() -> None:
    """Point the helper's standard streams at the null device: it has nothing to say (its
    replies carry errors), and it must not hold a caller's pipes open, e.g. while a warm-up
    no one needs finishes after an abrupt end of this process."""
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    os.close(null)


def _serve(warm_up: Callable[[], None], calls: int, replies: int) -> None:
    """Warm up, then run each call received and send its reply, until the pipe closes or the
    caller is gone (other children of it may hold the pipe open).

    A thread takes calls off the pipe meanwhile: the caller never blocks on a full pipe while
    the helper is still warming up."""
    gc.freeze()  # the collector here leaves the inherited heap alone: no copy-on-write
    caller = os.getppid()
    import pickle
    import queue
    import threading

    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def receive() -> None:
        while (frame := _read_frame(calls)) is not None:
            inbox.put(frame)
        inbox.put(None)

    threading.Thread(target=receive, daemon=True).start()
    try:
        warm_up()
    except Exception:  # noqa: S110 - a call that needs what failed reports it itself
        pass
    while True:
        try:
            frame = inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != caller:
                return
            continue
        if frame is None:
            return
        fn, args = pickle.loads(frame)
        reply: tuple[bool | None, Any]
        try:
            reply = (True, fn(*args))
        except Exception as exc:
            reply = (False, exc)
        try:
            data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception:  # e.g. an exception that does not pickle: the caller reruns it
            data = pickle.dumps((None, None))
        _write_frame(replies, data)


# ----------------------------------------------------------------------------- frames
def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BrokenPipeError:
            raise HelperLost("the helper died") from None


def _read_frame(fd: int) -> bytes | None:
    """The next frame's data, or ``None`` when the pipe closed (before a whole frame)."""
    head = _read_exactly(fd, _LENGTH)
    if head is None:
        return None
    return _read_exactly(fd, int.from_bytes(head, "big"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)

"""What a failed tool printed, cut down to what belongs in an error message."""

from __future__ import annotations

import subprocess

__all__ = ["process_output", "tail"]

#: Lines of a failing tool's output kept in an error: enough to see the cause, not a wall of text.
_TAIL_LINES = 25


def process_output(exc: BaseException) -> str:
    """Whatever a failed subprocess printed, when the exception carries it."""
    inner = getattr(exc, "exception", None)
    if isinstance(inner, subprocess.CalledProcessError):
        exc = inner
    chunks = []
    for stream in ("output", "stderr"):
        value = getattr(exc, stream, None)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str) and value.strip() and value not in chunks:
            chunks.append(value)
    return "\n".join(chunks)


def tail(text: str, lines: int = _TAIL_LINES) -> str:
    """The last lines of a tool's output, indented, where the cause of a failure usually is."""
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept)

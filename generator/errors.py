"""The errors clientgen shows to a user: values that say where the problem is, never tracebacks.

Every stage turns whatever went wrong into one of these, so the CLI can print one clear
paragraph (``specs/x.yaml:12: /paths/~1a/get: message``) and exit non-zero.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_MESSAGE",
    "ClientgenError",
    "ConfigError",
    "Finding",
    "SpecError",
    "SpecErrors",
    "pointer_from_parts",
    "summary",
]

#: Longest message kept; a longer one (usually a huge offending fragment) is cut.
MAX_MESSAGE = 600


def _one_paragraph(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse whitespace runs (newlines included) and cut overly long text."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 15].rstrip() + " … (truncated)"
    return flat


def _short_pointer(pointer: str, limit: int = 160) -> str:
    """The root as ``/``; a very long pointer (a deep nesting error) with its middle elided."""
    if not pointer:
        return "/"
    if len(pointer) <= limit:
        return pointer
    return f"{pointer[:80]}…{pointer[-60:]} ({pointer.count('/')} levels)"


def pointer_from_parts(parts: Any) -> str:
    """Build an RFC 6901 JSON pointer (``/paths/~1runs/post``) from path segments."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class ClientgenError(Exception):
    """Base of every error clientgen raises on purpose; anything else is a bug."""


class SpecError(ClientgenError):
    """A problem in an API description (or an overlay), located by file, JSON pointer and line.

    The fields are read-only: an error is a value that can be compared, pickled and shown.
    """

    def __init__(
        self,
        file: str | os.PathLike[str],
        pointer: str | None = None,
        message: str = "",
        *,
        line: int | None = None,
    ) -> None:
        self._file = os.fspath(file)
        self._pointer = pointer
        self._line = line
        self._message = _one_paragraph(message) or "invalid API description"
        super().__init__(self._file, self._pointer, self._message, self._line)

    @property
    def file(self) -> str:
        """The file the problem is in, as it was given (relative paths stay relative)."""
        return self._file

    @property
    def pointer(self) -> str | None:
        """JSON pointer of the offending node (``/paths/~1runs/post``), when known."""
        return self._pointer

    @property
    def line(self) -> int | None:
        """1-based line in ``file``, when it could be computed."""
        return self._line

    @property
    def message(self) -> str:
        """What is wrong, in one paragraph, without the location."""
        return self._message

    def with_line(self, line: int | None) -> SpecError:
        """A copy carrying ``line`` (errors are values: this one is left as it is)."""
        return type(self)(self._file, self._pointer, self._message, line=line)

    def __str__(self) -> str:
        where = self._file if self._line is None else f"{self._file}:{self._line}"
        if self._pointer is not None:
            where += f": {_short_pointer(self._pointer)}"
        return f"{where}: {self._message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(file={self._file!r}, pointer={self._pointer!r}, "
            f"line={self._line!r}, message={self._message!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpecError):
            return NotImplemented
        return (self._file, self._pointer, self._line, self._message) == (
            other._file,
            other._pointer,
            other._line,
            other._message,
        )

    def __hash__(self) -> int:
        return hash((self._file, self._pointer, self._line, self._message))

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_spec_error,
            (type(self), self._file, self._pointer, self._message, self._line),
        )


def _rebuild_spec_error(
    cls: type[SpecError], file: str, pointer: str | None, message: str, line: int | None
) -> SpecError:
    """Unpickle helper: keyword-only ``line`` cannot travel through ``args``."""
    return cls(file, pointer, message, line=line)


class ConfigError(ClientgenError):
    """A problem in clientgen's own configuration (``[tool.clientgen]``, command-line options)."""

    def __init__(self, message: str, *, file: str | os.PathLike[str] | None = None) -> None:
        self.file = None if file is None else os.fspath(file)
        self.message = _one_paragraph(message) or "invalid configuration"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message if self.file is None else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """Something imperfect in an API description that the client survives: where it is, what
    kind of problem it is (for the summary), and what clientgen made of it.

    A finding is a warning by default; ``--strict`` turns every one into an error.
    """

    file: str
    pointer: str | None
    message: str
    kind: str
    line: int | None = None

    def __str__(self) -> str:
        return str(self.as_error())

    def as_error(self) -> SpecError:
        return SpecError(self.file, self.pointer, self.message, line=self.line)

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        """Findings are listed by file, then line, then pointer: the order they are read in."""
        return (self.file, self.line or 0, self.pointer or "", self.message)


def summary(findings: Iterable[Finding]) -> str:
    """``12 warnings: 7 invalid default, 5 unknown keyword`` (most frequent kind first)."""
    counts = Counter(f.kind for f in findings)
    total = sum(counts.values())
    kinds = ", ".join(
        f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return f"{total} warning{'s' if total != 1 else ''}: {kinds}"


class SpecErrors(ClientgenError):
    """Several problems found in one run, each located; all are shown at once, sorted."""

    def __init__(self, errors: Iterable[SpecError | Finding]) -> None:
        items = [e.as_error() if isinstance(e, Finding) else e for e in errors]
        self.errors: tuple[SpecError, ...] = tuple(
            sorted(items, key=lambda e: (e.file, e.line or 0, e.pointer or "", e.message))
        )
        super().__init__(self.errors)

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"{count} problem{'s' if count != 1 else ''} in the API description"
        return head + "".join(f"\n  {error}" for error in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (SpecErrors, (self.errors,))

"""black, with a content-hash cache so unchanged files cost nothing.

Formatting is the most expensive stage on large specs; the cache (keyed by the
source text, black's version and mode) makes regeneration of an unchanged spec and
``--check`` nearly free, and black is imported only when something is not cached.

What is not cached is formatted piece by piece (:mod:`generator.chunks`: top-level classes
and functions, each cached too, so a changed schema re-formats one class), with the cyclic
garbage collector paused (black builds large cyclic trees, and collections kept rescanning
them and the rest of the pipeline's heap: two to three times black's own time, for the same
output) and, when the pipeline has helper processes (:mod:`generator.lanes`), by them, biggest
piece first. Each piece goes through the same ``black.format_str`` call either way and the
joined pieces are black's output for the whole file, so the output does not depend on how many
processes ran.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .cache import cache_root
from .chunks import join, split
from .errors import ClientgenError
from .lanes import Job, Lanes

_LINE_LENGTH = 100


def _black_version() -> str:
    try:
        from _black_version import version  # what black.__version__ is, without importing black
    except ImportError:  # pragma: no cover - every black release ships it
        import black

        version = black.__version__
    return str(version)


_SALT = f"black {_black_version()} line-length={_LINE_LENGTH} target-versions=py310".encode()
_MODE: Any = None


def _cache_path(source: str) -> Path:
    key = hashlib.sha256(_SALT + source.encode("utf-8")).hexdigest()
    return cache_root() / "black" / key[:2] / key


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):  # missing or unreadable: a miss
        return None


def _black_format(source: str) -> str:
    """``black.format_str`` with clientgen's mode, the garbage collector paused meanwhile."""
    global _MODE
    import black

    if _MODE is None:
        _MODE = black.Mode(line_length=_LINE_LENGTH, target_versions={black.TargetVersion.PY310})
    enabled = gc.isenabled()
    gc.disable()
    try:
        return str(black.format_str(source, mode=_MODE))
    finally:
        if enabled:
            gc.enable()


def _invalid(name: str, exc: object) -> ClientgenError:
    return ClientgenError(f"generated {name} is not valid Python ({exc}); this is a clientgen bug")


def format_python(source: str, *, name: str = "<generated>") -> str:
    """``source`` formatted by black; cached by content hash, whole and piece by piece."""
    return format_files({name: source})[name]


def cached_text(kind: str, key: str) -> str | None:
    """A cache entry of another stage (``kind``: a folder name), or ``None``."""
    return _read(cache_root() / kind / key[:2] / key)


def store_text(kind: str, key: str, text: str) -> None:
    _store(cache_root() / kind / key[:2] / key, text)


def _store(path: Path, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply skipped."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, UnicodeError):  # e.g. a lone surrogate, refused later by the caller
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def format_files(files: Mapping[str, str], lanes: Lanes | None = None) -> dict[str, str]:
    """Every ``.py`` file formatted; other files unchanged."""
    formatting = Formatting(lanes)
    formatting.add(files)
    return formatting.result()


#: Pieces are sent to helpers in batches of about this much source: few round trips, and
#: small enough to share the last file (the models, after datamodel-code-generator) evenly.
_BATCH_CHARS = 12_000


class Formatting:
    """Files being formatted: cache hits at once, the rest by black piece by piece
    (:mod:`.chunks`), in helpers when ``lanes`` has them (biggest first), so formatting
    overlaps whatever the caller does next. A file whose pieces are all cached costs no black.
    """

    def __init__(self, lanes: Lanes | None = None) -> None:
        self._lanes = lanes or Lanes(0)  # no helpers: each batch is formatted when added
        self._done: dict[str, str] = {}
        self._files: dict[str, tuple[Path, list[str]]] = {}  # path ➜ its cache entry, pieces
        self._formatted: dict[str, str] = {}  # piece ➜ formatted piece
        self._jobs: list[tuple[list[str], Job[list[tuple[str | None, str]]]]] = []

    def add(self, files: Mapping[str, str]) -> None:
        todo: list[str] = []
        for path, text in files.items():
            if not (path.endswith(".py") and text):
                self._done[path] = text
                continue
            cached = _cache_path(text)
            hit = _read(cached)
            if hit is not None:
                self._done[path] = hit
                continue
            pieces = split(text)
            self._files[path] = (cached, pieces)
            for piece in pieces:
                if piece not in self._formatted:
                    piece_hit = _read(_cache_path(piece))
                    if piece_hit is None:
                        todo.append(piece)
                    self._formatted[piece] = piece_hit or ""
        todo = sorted(set(todo), key=len, reverse=True)
        for batch in _batches(todo):
            self._jobs.append((batch, self._lanes.submit(_format_pieces, batch)))

    def result(self) -> dict[str, str]:
        """Every added file, formatted (waits for the helpers)."""
        failed: dict[str, str] = {}
        for batch, job in self._jobs:
            for piece, (formatted, error) in zip(batch, job.result()):
                if formatted is None:
                    failed[piece] = error
                else:
                    _store(_cache_path(piece), formatted)
                    self._formatted[piece] = formatted
        self._jobs.clear()
        for path, (cached, pieces) in self._files.items():
            bad = next((failed[p] for p in pieces if p in failed), None)
            if bad is not None:
                raise _invalid(path, bad)
            formatted = join([self._formatted[p] for p in pieces])
            _store(cached, formatted)
            self._done[path] = formatted
        self._files.clear()
        return dict(self._done)


def _batches(pieces: list[str]) -> list[list[str]]:
    """Consecutive runs of ``pieces`` of about ``_BATCH_CHARS`` each (a big piece alone)."""
    batches: list[list[str]] = []
    size = _BATCH_CHARS
    for piece in pieces:
        if size >= _BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(piece)
        size += len(piece)
    return batches


def _format_pieces(pieces: list[str]) -> list[tuple[str | None, str]]:
    """Each piece formatted, or ``None`` and black's complaint (reported with the file name)."""
    out: list[tuple[str | None, str]] = []
    for piece in pieces:
        try:
            out.append((_black_format(piece), ""))
        except Exception as exc:
            out.append((None, str(exc)))
    return out

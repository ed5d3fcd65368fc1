"""black, run in-process, with a content-hash cache so unchanged files cost nothing.

Formatting is the most expensive stage on large specs; the cache (keyed by the
source text, black's version and mode) makes regeneration of an unchanged spec and
``--check`` nearly free, and black is imported only when something is not cached.

What is not cached is formatted with the cyclic garbage collector paused (black builds
large cyclic trees, and collections kept rescanning them and the rest of the pipeline's
heap: two to three times black's own time on big files, for the same output) and, when
there is enough of it, by forked worker processes, biggest file first. Every file is
formatted on its own by the same ``black.format_str`` call either way, so the output
does not depend on how many processes ran.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import threading
from pathlib import Path
from typing import Any

from .cache import cache_root
from .errors import ClientgenError

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

#: Below this much unformatted source (about 8,000 lines), worker processes cost more than
#: they save. ``CLIENTGEN_FORMAT_JOBS`` overrides the decision: 1 formats in-process.
_PARALLEL_MIN_CHARS = 300_000


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
    """``source`` formatted by black; the result is cached by content hash."""
    cached = _cache_path(source)
    hit = _read(cached)
    if hit is not None:
        return hit
    try:
        formatted = _black_format(source)
    except Exception as exc:  # black raises InvalidInput and friends: a generator bug
        raise _invalid(name, exc) from exc
    _store(cached, formatted)
    return formatted


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


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Every ``.py`` file formatted; other files unchanged."""
    out = dict(files)
    todo: dict[str, Path] = {}
    for path, text in files.items():
        if path.endswith(".py") and text:
            cached = _cache_path(text)
            hit = _read(cached)
            if hit is None:
                todo[path] = cached
            else:
                out[path] = hit
    if not todo:
        return out
    order = sorted(todo, key=lambda p: len(files[p]), reverse=True)  # biggest first
    results = _format_in_workers([files[p] for p in order])
    if results is None:  # in-process
        for path in order:
            out[path] = format_python(files[path], name=path)
        return out
    for path, (formatted, error) in zip(order, results):
        if formatted is None:
            raise _invalid(path, error)
        _store(todo[path], formatted)
        out[path] = formatted
    return out


def _jobs(sources: list[str]) -> int:
    """How many worker processes to format ``sources`` with (1: in-process)."""
    if len(sources) < 2 or sys.platform != "linux" or threading.active_count() > 1:
        return 1  # fork is the cheap start method, and it is only safe without threads
    setting = os.environ.get("CLIENTGEN_FORMAT_JOBS", "").strip()
    if setting:
        try:
            return max(1, min(int(setting), len(sources)))
        except ValueError:
            return 1
    if sum(len(s) for s in sources) < _PARALLEL_MIN_CHARS:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, len(sources)))


def _format_in_worker(source: str) -> tuple[str | None, str]:
    try:
        return _black_format(source), ""
    except Exception as exc:  # reported by the parent, with the file's name
        return None, str(exc)


def _format_in_workers(sources: list[str]) -> list[tuple[str | None, str]] | None:
    """``sources`` formatted by forked workers, in order; ``None`` to format in-process."""
    jobs = _jobs(sources)
    if jobs < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import black  # noqa: F401 - imported once here, inherited by the workers

    gc.freeze()  # the workers share this heap copy-on-write: keep their collector off it
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(_format_in_worker, sources))
    except (BrokenProcessPool, OSError):  # no processes to be had: do it here
        return None
    finally:
        gc.unfreeze()

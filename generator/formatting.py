"""black, run in-process, with a content-hash cache so unchanged files cost nothing.

Formatting is the most expensive stage on large specs; the cache (keyed by the
source text, black's version and mode) makes regeneration of an unchanged spec and
``--check`` nearly free.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import black

from .errors import ClientgenError

_MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310})
_SALT = f"black {black.__version__} {_MODE!r}".encode()


def cache_dir() -> Path:
    root = os.environ.get("CLIENTGEN_CACHE_DIR")
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen" / "black"


def format_python(source: str, *, name: str = "<generated>") -> str:
    """``source`` formatted by black; the result is cached by content hash."""
    key = hashlib.sha256(_SALT + source.encode("utf-8")).hexdigest()
    cached = cache_dir() / key[:2] / key
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        formatted = black.format_str(source, mode=_MODE)
    except Exception as exc:  # black raises InvalidInput and friends: a generator bug
        raise ClientgenError(f"generated {name} is not valid Python ({exc}); this is a clientgen bug") from exc
    _store(cached, formatted)
    return formatted


def _store(path: Path, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Every ``.py`` file formatted; other files unchanged."""
    return {
        path: format_python(text, name=path) if path.endswith(".py") and text else text
        for path, text in files.items()
    }

"""clientgen's own files: the templates it ships, and the cache folder every stage may use.

Both sides of a stage's cache (the models' and black's results, the whole-output entries of
:mod:`generator.write.cache`) go through :func:`read_entry` and :func:`write_entry`: a cache
that cannot be read is a miss, one that cannot be written is skipped, and a file is never seen
half-written.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The width of generated code: black's line length, and the one the templates and
#: datamodel-code-generator lay code out for.
LINE_LENGTH = 100


def templates_dir() -> Path:
    """Templates ship inside the wheel (``generator/templates``) or beside the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "package").is_dir():
            return candidate
    raise FileNotFoundError("clientgen's templates folder is missing from this installation")


def cache_root() -> Path:
    """``$CLIENTGEN_CACHE_DIR``, else the user's cache folder (XDG)."""
    root = os.environ.get("CLIENTGEN_CACHE_DIR")
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen"


def read_entry(path: Path) -> str | None:
    """A cache file's text, or ``None`` when it is missing or unreadable (a miss)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def write_entry(path: Path, text: str) -> None:
    """Write a cache file atomically; a cache that cannot be written is simply skipped."""
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


def cached_text(kind: str, key: str) -> str | None:
    """A stage's cache entry (``kind``: a folder name, ``key``: a hex digest), or ``None``."""
    return read_entry(cache_root() / kind / key[:2] / key)


def store_text(kind: str, key: str, text: str) -> None:
    write_entry(cache_root() / kind / key[:2] / key, text)

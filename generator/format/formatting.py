"""black, remembering what it formatted so that unchanged code costs nothing.

Formatting was the most expensive stage on large specs, though it changes almost nothing:
the templates, :mod:`generator.render.layout` and dmcg's formatter already write black's layout. A
piece that :mod:`.settled` shows to be black's output already is kept as it is,
without black; black formats the others. Files are formatted piece by piece
(:mod:`.chunks`: top-level classes and functions), and the formatted pieces of each
client are remembered (keyed by the source text, black's version and mode), so a changed
schema re-formats one class. Pieces are formatted with the cyclic garbage collector paused
(black builds large cyclic trees, and collections kept rescanning them and the rest of the
pipeline's heap: two to three times black's own time, for the same output) and, when the
pipeline has helper processes (:mod:`generator.speed.lanes`), by them, biggest piece first. Each
piece goes through the same ``black.format_str`` call either way and the joined pieces are
black's output for the whole file, so the output does not depend on how many processes ran.
black is imported only when a piece is neither remembered nor settled.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ClientgenError
from ..speed.gcpause import paused
from ..speed.lanes import Job, Lanes
from ..storage import LINE_LENGTH, cache_root, read_entry, write_entry
from .chunks import join, split
from .settled import settled


def _black_version() -> str:
    try:
        from _black_version import (
            version,  # what black.__version__ is, without importing black
        )
    except ImportError:  # pragma: no cover - every black release ships it
        import black

        version = black.__version__
    return str(version)


_SALT = f"black {_black_version()} line-length={LINE_LENGTH} target-versions=py310"
_MODE: Any = None


def _digest(text: str) -> str:
    # surrogatepass: a folder name that is not UTF-8 (Linux keeps its bytes as surrogates)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _pack_path(memory: str) -> Path:
    """The file holding the formatted pieces of one client's last run (see :class:`Formatting`)."""
    return cache_root() / "black" / f"{_digest(_SALT + chr(0) + memory)}.json"


def _load_pack(path: Path) -> dict[str, str]:
    """A pack's pieces (digest ➜ formatted piece); empty when missing, corrupt or of another black."""
    text = read_entry(path)
    if text is None:
        return {}
    try:
        pack = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(pack, dict) or pack.get("salt") != _SALT:
        return {}
    pieces = pack.get("pieces")
    if not isinstance(pieces, dict):
        return {}
    return {str(k): v for k, v in pieces.items() if isinstance(v, str)}


def _black_format(source: str) -> str:
    """``black.format_str`` with clientgen's mode, the garbage collector paused meanwhile."""
    global _MODE
    import black

    if _MODE is None:
        _MODE = black.Mode(line_length=LINE_LENGTH, target_versions={black.TargetVersion.PY310})
    with paused():
        return str(black.format_str(source, mode=_MODE))


def _invalid(name: str, exc: object) -> ClientgenError:
    return ClientgenError(f"generated {name} is not valid Python ({exc}); this is a clientgen bug")


def format_files(
    files: Mapping[str, str], lanes: Lanes | None = None, *, memory: str = "default"
) -> dict[str, str]:
    """Every ``.py`` file formatted; other files unchanged."""
    formatting = Formatting(lanes, memory=memory)
    formatting.add(files)
    return formatting.result()


#: Pieces are sent to helpers in batches of about this much source: few round trips, and small
#: enough to share the last file (the models, after datamodel-code-generator) evenly. A helper
#: is handed up to three batches ahead, which this process can no longer take over.
_BATCH_CHARS = 6_000


class Formatting:
    """Files being formatted by black piece by piece (:mod:`.chunks`), in helpers when
    ``lanes`` has them (biggest first), so formatting overlaps whatever the caller does next.

    The formatted pieces are remembered in one file per ``memory`` (a client: its package and
    output folder), read once and written once: a piece black formatted last time costs no
    black, so a changed schema re-formats one class. One file rather than one per piece
    because creating files is what costs on a slow disk (about a millisecond each, more than
    black takes on a small piece), and a cold run formats hundreds of pieces. The file holds
    only the pieces of the last run, so it stays the size of the client.
    """

    def __init__(self, lanes: Lanes | None = None, *, memory: str = "default") -> None:
        self._lanes = lanes or Lanes(0)  # no helpers: each batch is formatted when added
        self._pack = _pack_path(memory)
        self._known = _load_pack(self._pack)  # piece digest ➜ formatted piece, last run's
        self._done: dict[str, str] = {}
        self._files: dict[str, list[str]] = {}  # path ➜ its pieces
        self._formatted: dict[str, str] = {}  # piece ➜ formatted piece
        self._jobs: list[tuple[list[str], Job[list[tuple[str | None, str]]]]] = []
        self._new = False  # something black formatted that the pack does not hold

    def add(self, files: Mapping[str, str]) -> None:
        todo: list[str] = []
        for path, text in files.items():
            if not (path.endswith(".py") and text):
                self._done[path] = text
                continue
            pieces = split(text)
            self._files[path] = pieces
            for piece in pieces:
                if piece not in self._formatted:
                    known = self._known.get(_digest(piece))
                    if known is None:
                        todo.append(piece)
                    self._formatted[piece] = known or ""
        todo = sorted(set(todo), key=len, reverse=True)
        for batch in _batches(todo):
            self._jobs.append((batch, self._lanes.submit(_format_pieces, batch)))

    def result(self) -> dict[str, str]:
        """Every added file, formatted (waits for the helpers)."""
        failed: dict[str, str] = {}
        if _worth_taking_over(sum(len(p) for batch, _ in self._jobs for p in batch)):
            # the helpers take batches from the front of the queue, this process from the back
            for _, job in reversed(self._jobs):
                job.steal()
        for batch, job in self._jobs:
            for piece, (formatted, error) in zip(batch, job.result()):
                if formatted is None:
                    failed[piece] = error
                else:
                    self._formatted[piece] = formatted
                    self._new = True
        self._jobs.clear()
        for path, pieces in self._files.items():
            bad = next((failed[p] for p in pieces if p in failed), None)
            if bad is not None:
                raise _invalid(path, bad)
            self._done[path] = join([self._formatted[p] for p in pieces])
        self._files.clear()
        if self._new:
            self._remember()
        return dict(self._done)

    def _remember(self) -> None:
        pieces = {_digest(piece): text for piece, text in self._formatted.items() if text}
        write_entry(self._pack, json.dumps({"salt": _SALT, "pieces": pieces}))
        self._new = False


#: About how much source black formats in the time it takes to import (~70 ms): this process
#: takes over queued batches only when there is more than that left, or black is already here.
_IMPORT_WORTH_CHARS = 20_000


def _worth_taking_over(queued_chars: int) -> bool:
    """Whether this process should format queued batches itself rather than wait for the
    helpers: sharing W seconds of work after an import of I seconds ends at (W + I) / 2, so it
    pays when W > I; a small client's last batch is the helper's, free of the import here."""
    return "black" in sys.modules or queued_chars > _IMPORT_WORTH_CHARS


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
    """Each piece formatted, or ``None`` and black's complaint (reported with the file name).
    A piece already in black's layout (:func:`.settled.settled`) is its own formatting."""
    out: list[tuple[str | None, str]] = []
    for piece in pieces:
        if settled(piece):
            out.append((piece, ""))
            continue
        try:
            out.append((_black_format(piece), ""))
        except Exception as exc:
            out.append((None, str(exc)))
    return out

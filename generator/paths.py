"""Where clientgen's own files are, installed from a wheel or run from the source tree."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """Templates ship inside the wheel (``generator/templates``) or beside the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "package").is_dir():
            return candidate
    raise FileNotFoundError("clientgen's templates folder is missing from this installation")

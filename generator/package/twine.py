"""twine, run in a subprocess: ``twine check`` before anything leaves, ``twine upload`` per file.

twine finds the credentials itself (``TWINE_USERNAME`` / ``TWINE_PASSWORD`` or keyring).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import ClientgenError
from .tool_output import tail

__all__ = ["twine_check", "twine_upload"]


def twine_check(files: Sequence[Path]) -> None:
    """``twine check --strict``: metadata and README render as PyPI will show them."""
    if not files:
        return
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    if result.returncode:
        text = result.stdout.decode("utf-8", errors="replace")
        raise ClientgenError(f"twine check failed:\n{tail(text)}")


def twine_upload(path: Path, repository_url: str) -> str | None:
    """Upload one file; ``None`` on success, else twine's output.

    One file per call so that a failure says exactly which files are already on the index.
    Credentials stay where twine looks for them (environment, keyring); it is never prompted,
    so a missing credential fails fast instead of hanging a CI job.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            repository_url,
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    if result.returncode == 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")

"""Distribution files (sdists and wheels): what their names declare, and their hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ClientgenError

__all__ = ["Artifact", "read_artifact", "sha256"]


@dataclass(frozen=True)
class Artifact:
    """One distribution file, with the project name and version its file name declares."""

    path: Path
    name: str  # canonical (PEP 503) project name
    version: str
    kind: Literal["sdist", "wheel"]

    @property
    def release(self) -> str:
        """``name version``, how a user refers to a release in messages."""
        return f"{self.name} {self.version}"


def read_artifact(path: Path) -> Artifact:
    """Name, version and kind of a distribution file, from its (standardized) file name."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if path.name.endswith(".whl"):
            name, version, _build, _tags = parse_wheel_filename(path.name)
            return Artifact(path, str(name), str(version), "wheel")
        if path.name.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(path.name)
            return Artifact(path, str(name), str(version), "sdist")
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise ClientgenError(f"{path}: not a distribution file name: {exc}") from None
    raise ClientgenError(f"{path}: not a wheel (.whl) or an sdist (.tar.gz)")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file: what reproducibility is judged by, and what indexes publish."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()

"""Atomic output: build the package in a temporary folder, then swap it in.

A manifest (``.clientgen-manifest``) lists what clientgen wrote, so regeneration
removes only its own stale files and never a file someone else put in the folder.
``check`` compares instead of writing.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ClientgenError

MANIFEST = ".clientgen-manifest"
_HEADER = "# Files written by clientgen; regeneration removes only these.\n"


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "changed", "removed"
    diff: str = ""


def safe_relative(path: str) -> PurePosixPath:
    """A relative path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("..", "") for part in pure.parts) or "\\" in path:
        raise ClientgenError(f"refusing to write {path!r}: outside the output folder")
    return pure


def read_manifest(output: Path) -> list[str]:
    try:
        lines = (output / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line for line in lines if line and not line.startswith("#")]


def compare(output: Path, files: dict[str, str]) -> list[Change]:
    """What writing ``files`` would change in ``output``."""
    changes = []
    for path in sorted(files):
        target = output / safe_relative(path)
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            changes.append(Change(path, "added"))
            continue
        if current != files[path]:
            diff = "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True), files[path].splitlines(keepends=True),
                    f"a/{path}", f"b/{path}", n=1,
                )
            )
            changes.append(Change(path, "changed", diff))
    for path in read_manifest(output):
        if path not in files and (output / path).exists():
            changes.append(Change(path, "removed"))
    return changes


def write_package(output: Path, files: dict[str, str]) -> list[Change]:
    """Write ``files`` into ``output`` atomically; remove only files the last run made."""
    changes = compare(output, files)
    manifest_text = _HEADER + "".join(f"{p}\n" for p in sorted(files))
    if not changes and (output / MANIFEST).is_file():
        return []
    if output.exists() and not output.is_dir():
        raise ClientgenError(f"output {output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST).is_file():
        raise ClientgenError(
            f"output folder {output} is not empty and was not made by clientgen (no {MANIFEST}); "
            "choose an empty folder"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        if output.is_dir():  # keep files clientgen did not make
            shutil.copytree(output, staging, dirs_exist_ok=True, symlinks=True)
        for stale in read_manifest(output):
            if stale not in files:
                _remove(staging, stale)
        for path, text in files.items():
            target = staging / safe_relative(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            target.write_text(text, encoding="utf-8", newline="\n")
        (staging / MANIFEST).write_text(manifest_text, encoding="utf-8", newline="\n")
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changes


def _remove(root: Path, relative: str) -> None:
    try:
        target = root / safe_relative(relative)
    except ClientgenError:
        return
    if target.is_file() or target.is_symlink():
        target.unlink()
        parent = target.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with two renames (the old tree is kept until the end)."""
    if not output.exists():
        os.replace(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))
    os.rmdir(retired)
    os.replace(output, retired)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)

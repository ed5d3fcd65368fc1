"""Atomic output: build the package in a temporary folder, then swap it in.

A manifest (``.clientgen-manifest``) lists what clientgen wrote, so regeneration
removes only its own stale files and never a file someone else put in the folder.
``check`` compares instead of writing.

Nothing is written or removed outside the output folder: every path is relative and
has no ``..``, and no path is followed through a symbolic link (a link in the output
folder, or a manifest edited to point elsewhere, is refused or ignored, never used).
"""

from __future__ import annotations

import ctypes
import difflib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ClientgenError

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
    if (
        pure.is_absolute()
        or not pure.parts
        or any(part in ("..", "") for part in pure.parts)
        or "\\" in path
        or "\0" in path
    ):
        raise ClientgenError(f"refusing to write {path!r}: outside the output folder")
    return pure


def read_manifest(output: Path) -> list[str]:
    """The relative paths the last run wrote (an unreadable manifest lists nothing)."""
    try:
        lines = (output / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in lines if line and not line.startswith("#")]


def _through_link(root: Path, relative: PurePosixPath) -> bool:
    """Whether a folder on the way from ``root`` to ``relative`` is a symbolic link."""
    folder = root
    for part in relative.parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return True
    return False


def _own_entries(output: Path) -> list[PurePosixPath]:
    """Manifest entries that name a path inside ``output`` (others are ignored, never used)."""
    entries = []
    for line in read_manifest(output):
        try:
            relative = safe_relative(line)
        except ClientgenError:
            continue
        if not _through_link(output, relative):
            entries.append(relative)
    return entries


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
                    current.splitlines(keepends=True),
                    files[path].splitlines(keepends=True),
                    f"a/{path}",
                    f"b/{path}",
                    n=1,
                )
            )
            changes.append(Change(path, "changed", diff))
    for relative in _own_entries(output):
        path = str(relative)
        if path not in files and os.path.lexists(output / relative):
            changes.append(Change(path, "removed"))
    return changes


def write_package(output: Path, files: dict[str, str]) -> list[Change]:
    """Write ``files`` into ``output`` atomically; remove only files the last run made."""
    encoded = {path: _encode(path, text) for path, text in files.items()}
    relative = {path: safe_relative(path) for path in files}
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
    stale = [p for p in _own_entries(output) if str(p) not in files]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    except OSError as exc:
        raise ClientgenError(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        if output.is_dir():  # keep files clientgen did not make
            shutil.copytree(output, staging, dirs_exist_ok=True, symlinks=True)
        else:  # mkdtemp made it private; a new output folder gets the usual permissions
            os.chmod(staging, 0o777 & ~_umask())
        for entry in stale:
            _remove(staging, entry)
        for path, data in encoded.items():
            _write(staging, relative[path], data)
        (staging / MANIFEST).write_bytes(manifest_text.encode("utf-8"))
        _swap(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ClientgenError(
            f"cannot write the package into {output}: {exc.strerror or exc}; nothing was changed"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changes


def _encode(path: str, text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate from a JSON "\ud800" escape
        raise ClientgenError(
            f"generated {path} would hold {text[exc.start]!r}, which is not Unicode text; "
            "fix the escape in the API description"
        ) from None


def _write(root: Path, relative: PurePosixPath, data: bytes) -> None:
    """Write one file under ``root`` (staging), never through a symbolic link."""
    if _through_link(root, relative):
        raise ClientgenError(
            f"refusing to write {relative}: a folder on its way is a symbolic link in the output folder"
        )
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():  # replace the link itself; what it points at is left alone
        target.unlink()
    target.write_bytes(data)


def _remove(root: Path, relative: PurePosixPath) -> None:
    """Remove one stale file this tool wrote, and folders that become empty (not ``root``)."""
    if _through_link(root, relative):
        return
    target = root / relative
    if target.is_file() or target.is_symlink():
        target.unlink()
        parent = target.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(staging: Path, output: Path) -> None:
    """Put ``staging`` in the place of ``output``.

    Where the system can exchange two paths in one step (Linux ``renameat2``), readers see
    the old tree or the new one, never neither; elsewhere two renames, the old tree kept
    until the new one is in place.
    """
    if not output.exists():
        os.replace(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old tree
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


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot (then nothing happened)."""
    if not sys.platform.startswith("linux") or a.is_symlink() or b.is_symlink():
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)

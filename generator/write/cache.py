"""The whole-output cache: an unchanged spec run through an unchanged generator skips the pipeline.

Pre-commit and CI regenerate on every commit, almost always with nothing changed. An entry is
keyed by everything that shapes the output except the input files' contents: clientgen's own
code and templates, the versions of datamodel-code-generator and black, and the client's
configuration. It records the SHA-256 of every file the run read (spec, overlays, files that
``$ref``s pulled in) and is used only while all of them still match. A missing, corrupt or
unwritable cache just means the pipeline runs. The whole cache folder (this and the stages'
own caches) is kept under a size limit by :func:`prune_if_due`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Finding
from ..storage import cache_root, read_entry, templates_dir, write_entry

if TYPE_CHECKING:
    from ..config import ClientConfig

_FORMAT = 2  # 2: warnings are located findings
_TOOLS = ("datamodel_code_generator", "black")

#: The cache (outputs, black and dmcg results) is kept under this size; ``CLIENTGEN_CACHE_MAX_MB``
#: changes it. Checked at most once a day, after a run that wrote to it.
_MAX_MB = 512
_PRUNE_EVERY_SECONDS = 24 * 3600
_PRUNED_MARKER = ".pruned"


@dataclass(frozen=True)
class CachedOutput:
    files: dict[str, str]
    warnings: tuple[Finding, ...]


def lookup(config: ClientConfig) -> CachedOutput | None:
    """The files of the last run with this generator, config and (unchanged) input files."""
    text = read_entry(_entry_path(config))
    if text is None:
        return None
    try:
        entry = json.loads(text)
        if entry.get("format") != _FORMAT:
            return None
        for path, digest in entry["inputs"].items():
            if _digest(Path(path).read_bytes()) != digest:
                return None
        files = {str(k): str(v) for k, v in entry["files"].items()}
        warnings = tuple(Finding(**w) for w in entry["warnings"])
        return CachedOutput(files, warnings)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(config: ClientConfig, inputs: Iterable[Path], output: CachedOutput) -> None:
    """Remember ``output`` for ``config``; failures to write are ignored (the cache is optional)."""
    try:
        entry = {
            "format": _FORMAT,
            "inputs": {str(Path(p).resolve()): _digest(Path(p).read_bytes()) for p in inputs},
            "files": output.files,
            "warnings": [asdict(w) for w in output.warnings],
        }
    except OSError:  # an input file vanished meanwhile: nothing worth remembering
        return
    write_entry(_entry_path(config), json.dumps(entry, sort_keys=True))


def _entry_path(config: ClientConfig) -> Path:
    """The entry of ``config``, keyed by the files it names as they resolve from here.

    A relative spec path means another file in another folder: ``spec.json`` typed in ``a/``
    and in ``b/`` must never share an entry, even while both files are unchanged.
    """
    key = hashlib.sha256()
    key.update(_generator_fingerprint().encode())
    resolved = replace(
        config,
        spec=_absolute(config.spec),
        output=_absolute(config.output),
        overlays=tuple(_absolute(path) for path in config.overlays),
    )
    key.update(repr(resolved).encode())
    return cache_root() / "outputs" / f"{key.hexdigest()}.json"


def _absolute(path: Path) -> Path:
    """``path`` resolved (symbolic links followed), or made absolute when it cannot be."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: then the cwd still tells folders apart
        return path.absolute()


_fingerprint: str | None = None


def _generator_fingerprint() -> str:
    """A digest of clientgen's code, its templates and the tools whose output it ships."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(str(_FORMAT).encode())
        package = Path(__file__).resolve().parents[1]  # all of generator/
        for root in (package, templates_dir()):
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix in (".py", ".jinja"):
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(_digest(path.read_bytes()).encode())
        for tool in _TOOLS:  # where the tool is installed and when: changes with any reinstall
            spec = importlib.util.find_spec(tool)
            origin = spec.origin if spec is not None and spec.origin else ""
            stamp = os.stat(origin).st_mtime_ns if origin else 0
            digest.update(f"{tool}:{origin}:{stamp}".encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prune_if_due(now: float | None = None) -> None:
    """:func:`prune` the cache if it was not pruned in the last day (a run that wrote to it)."""
    root = cache_root()
    marker = root / _PRUNED_MARKER
    now = time.time() if now is None else now
    try:
        if now - marker.stat().st_mtime < _PRUNE_EVERY_SECONDS:
            return
    except OSError:
        pass
    prune(root, _max_bytes())
    try:
        root.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os.utime(marker, (now, now))
    except OSError:
        pass


def prune(root: Path, max_bytes: int) -> int:
    """Delete the least recently written entries until ``root`` holds at most 80% of
    ``max_bytes`` (if it holds more than ``max_bytes``); returns the bytes freed. Symbolic
    links are neither followed nor deleted: only files the cache wrote go."""
    entries: list[tuple[float, int, str]] = []
    stack = [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for item in listing:
                    if item.is_dir(follow_symlinks=False):
                        stack.append(item.path)
                    elif item.is_file(follow_symlinks=False) and item.name != _PRUNED_MARKER:
                        info = item.stat(follow_symlinks=False)
                        entries.append((info.st_mtime, info.st_size, item.path))
        except OSError:
            continue
    total = sum(size for _, size, _ in entries)
    if total <= max_bytes:
        return 0
    freed = 0
    for _, size, path in sorted(entries):
        if total - freed <= max_bytes * 0.8:
            break
        try:
            os.unlink(path)
            freed += size
        except OSError:
            pass
    return freed


def _max_bytes() -> int:
    setting = os.environ.get("CLIENTGEN_CACHE_MAX_MB", "").strip()
    try:
        megabytes = float(setting) if setting else _MAX_MB
    except ValueError:
        megabytes = _MAX_MB
    return max(0, int(megabytes * 1024 * 1024))

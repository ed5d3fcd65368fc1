"""The whole-output cache: an unchanged spec run through an unchanged generator skips the pipeline.

Pre-commit and CI regenerate on every commit, almost always with nothing changed. An entry is
keyed by everything that shapes the output except the input files' contents: clientgen's own
code and templates, the versions of datamodel-code-generator and black, and the client's
configuration. It records the SHA-256 of every file the run read (spec, overlays, files that
``$ref``s pulled in) and is used only while all of them still match. A missing, corrupt or
unwritable cache just means the pipeline runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
import importlib.util
from pathlib import Path

from .config import ClientConfig
from .paths import templates_dir

_FORMAT = 1
_TOOLS = ("datamodel_code_generator", "black")


@dataclass(frozen=True)
class CachedOutput:
    files: dict[str, str]
    warnings: tuple[str, ...]


def cache_root() -> Path:
    """``$CLIENTGEN_CACHE_DIR``, else the user's cache folder (XDG)."""
    root = os.environ.get("CLIENTGEN_CACHE_DIR")
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen"


def lookup(config: ClientConfig) -> CachedOutput | None:
    """The files of the last run with this generator, config and (unchanged) input files."""
    try:
        entry = json.loads(_entry_path(config).read_text(encoding="utf-8"))
        if entry.get("format") != _FORMAT:
            return None
        for path, digest in entry["inputs"].items():
            if _digest(Path(path).read_bytes()) != digest:
                return None
        files = {str(k): str(v) for k, v in entry["files"].items()}
        return CachedOutput(files, tuple(str(w) for w in entry["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(config: ClientConfig, inputs: Iterable[Path], output: CachedOutput) -> None:
    """Remember ``output`` for ``config``; failures to write are ignored (the cache is optional)."""
    try:
        entry = {
            "format": _FORMAT,
            "inputs": {str(Path(p).resolve()): _digest(Path(p).read_bytes()) for p in inputs},
            "files": output.files,
            "warnings": list(output.warnings),
        }
        target = _entry_path(config)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def _entry_path(config: ClientConfig) -> Path:
    key = hashlib.sha256()
    key.update(_generator_fingerprint().encode())
    key.update(repr(config).encode())
    return cache_root() / "outputs" / f"{key.hexdigest()}.json"


_fingerprint: str | None = None


def _generator_fingerprint() -> str:
    """A digest of clientgen's code, its templates and the tools whose output it ships."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(str(_FORMAT).encode())
        package = Path(__file__).resolve().parent
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

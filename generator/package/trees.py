"""The generated project folder a client is built from: checked first, then copied clean."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClientgenError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from ..config import ClientConfig

__all__ = ["generated_tree", "pristine_copy"]


def generated_tree(config: ClientConfig) -> Path:
    """The client's generated project folder, refusing one that is missing or half there."""
    tree = config.output
    pyproject = tree / "pyproject.toml"
    hint = "run `clientgen generate` first"
    if not pyproject.is_file():
        raise ClientgenError(
            f"client {config.name!r} has not been generated yet: {pyproject} is missing; {hint}"
        )
    if not (tree / config.package).is_dir():
        raise ClientgenError(
            f"client {config.name!r} has not been generated yet: {tree / config.package} is missing; {hint}"
        )
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ClientgenError(f"{pyproject}: cannot read: {exc}") from None
    version = project.get("version")
    if not isinstance(version, str) or not version:
        raise ClientgenError(
            f"{pyproject}: [project] has no version; regenerate the client ({hint})"
        )
    # A generated tree older than the config would publish the wrong version: say so now.
    if config.version is not None and _same_version(version, config.version) is False:
        raise ClientgenError(
            f"{pyproject}: version {version} but [tool.clientgen] says {config.version}; "
            f"generated/ is stale: {hint}"
        )
    return tree


#: Never part of a client: caches and build leftovers a developer's tools may leave in the tree.
_JUNK = (
    "__pycache__",
    "*.py[cod]",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.egg-info",
)
_TOP_JUNK = ("build", "dist", ".git", ".venv")


def pristine_copy(tree: Path, into: Path) -> Path:
    """Copy the generated tree, minus junk, to a place where nothing around it affects the build.

    Built in place, hatchling would apply (and ship in the sdist) the nearest ``.gitignore`` above
    the tree, i.e. the surrounding repository's: the archives would depend on where the tree
    lives. The empty ``.git`` beside the copy is where hatchling stops looking.
    """
    into.parent.mkdir(parents=True, exist_ok=True)
    (into.parent / ".git").mkdir(exist_ok=True)
    junk = shutil.ignore_patterns(*_JUNK)

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = {n for n in names if n in _TOP_JUNK} if Path(folder) == tree else set()
        return set(junk(folder, names)) | top

    shutil.copytree(tree, into, ignore=ignore, symlinks=False)
    return into


def _same_version(left: str, right: str) -> bool | None:
    """PEP 440 equality (``1.0`` == ``1.0.0``); ``None`` when either is not a valid version."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(left) == Version(right)
    except InvalidVersion:
        return None

"""Classified changes ➜ the semver bump they call for, and whether a version follows it.

Versions are compared as PEP 440 versions (``packaging.version``), on their release numbers
padded to major.minor.micro. Before 1.0 the customary shift applies: a breaking change needs
a new minor version (0.3 ➜ 0.4), a feature too, a fix a new micro version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from packaging.version import InvalidVersion, Version

from ..errors import ClientgenError

__all__ = ["LEVELS", "Bump", "bump_for", "level_of", "next_version", "version_problem"]

Bump = Literal["major", "minor", "patch", "none"]
Kind = Literal["breaking", "feature", "fix"]
LEVELS: tuple[Bump, ...] = ("none", "patch", "minor", "major")
_BY_KIND: dict[str, Bump] = {"breaking": "major", "feature": "minor", "fix": "patch"}


def bump_for(kinds: Iterable[str], base: str | None = None) -> Bump:
    """The bump the most severe change calls for; from a 0.x ``base``, major becomes minor."""
    level: Bump = "none"
    for kind in kinds:
        candidate = _BY_KIND[kind]
        if LEVELS.index(candidate) > LEVELS.index(level):
            level = candidate
    if level == "major" and base is not None and _release(parse(base))[0] == 0:
        return "minor"
    return level


def parse(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise ClientgenError(f"{text!r} is not a valid (PEP 440) version") from None


def _release(version: Version) -> tuple[int, int, int]:
    major, minor, micro = (*version.release, 0, 0)[:3]
    return major, minor, micro


def next_version(base: str, bump: Bump) -> str:
    """The smallest version after ``base`` that carries ``bump`` (``base`` itself for none)."""
    major, minor, micro = _release(parse(base))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{micro + 1}"
    return base


def level_of(base: str, version: str) -> Bump | None:
    """Which bump ``version`` is over ``base``: none when equal, ``None`` when it goes back.

    A pre-release counts for the release it leads to (``2.0.0rc1`` over ``1.4.0`` is major).
    """
    old, new = parse(base), parse(version)
    if new == old:
        return "none"
    if new < old:
        return None
    a, b = _release(old), _release(new)
    if b[0] > a[0]:
        return "major"
    if b[:2] > a[:2]:
        return "minor"
    return "patch"  # a higher micro, or only post/dev/local parts: not more than a patch


def version_problem(base: str, version: str, needed: Bump) -> str | None:
    """Why ``version`` does not follow semver for a ``needed`` bump since ``base``; else ``None``."""
    if needed == "none":
        return None
    actual = level_of(base, version)
    if actual is None:
        return f"version {version} is lower than {base}"
    if LEVELS.index(actual) < LEVELS.index(needed):
        if actual == "none":
            return (
                f"version {version} is unchanged, but the changes since {base} need a {needed} bump"
            )
        return (
            f"version {version} is a {actual} bump over {base}, but the changes need a {needed} "
            f"bump (at least {next_version(base, needed)})"
        )
    return None

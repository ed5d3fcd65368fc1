"""The surface record a generated package carries, its history, and the version rule on it.

``clientgen-surface.json`` (beside pyproject.toml, so it ships in the sdist) holds the version
the package was generated for, its surface, and the *baseline*: the version and surface of the
last version before it. ``generate`` carries the baseline forward from the record already in the
output folder:

- same version as before: the baseline stays; if there was none and the surface changed, the
  surface first generated for this version becomes it (the version was not bumped);
- a new version: the previous version becomes the baseline, unless the previous version did not
  follow semver for its own changes (``build``/``publish`` refused it, so it was never released):
  then the baseline stays where it was.

``build``/``publish``/``version-check`` then ask one question: does the version follow semver for
the changes between the baseline and the current surface? ``CHANGELOG.md`` gets one entry per
version, rebuilt from the same record, earlier entries kept as they were: regenerating twice with
the same inputs gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClientgenError
from ..ir import Api
from .compare import Change, compare
from .report import changelog_entry
from .semver import Bump, bump_for, next_version, version_problem
from .surface import FORMAT, Surface, surface_of

__all__ = [
    "CHANGELOG_FILE",
    "SURFACE_FILE",
    "Applied",
    "Evolution",
    "Record",
    "VersionCheck",
    "apply_history",
    "check_tree",
    "initial_files",
    "read_record",
]

SURFACE_FILE = "clientgen-surface.json"
CHANGELOG_FILE = "CHANGELOG.md"
_TITLE = "# Changelog\n\n"


@dataclass(frozen=True)
class Record:
    version: str
    surface: Surface
    baseline_version: str | None = None
    baseline: Surface | None = None

    def text(self) -> str:
        data = {
            "clientgen_surface": FORMAT,
            "version": self.version,
            "surface": self.surface,
            "baseline": (
                None
                if self.baseline is None
                else {"version": self.baseline_version, "surface": self.baseline}
            ),
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


@dataclass(frozen=True)
class VersionCheck:
    """Whether a record's version follows semver for its changes since the baseline."""

    version: str
    base: str | None
    changes: list[Change]
    bump: Bump
    suggested: str | None
    problem: str | None  # None: the version is fine


@dataclass(frozen=True)
class Evolution:
    """What ``generate`` tells the user: changes since the last generation, and the version rule."""

    previous_version: str
    changes: list[Change]  # since the surface in the output folder
    check: VersionCheck  # since the baseline


@dataclass(frozen=True)
class Applied:
    files: dict[str, str]
    evolution: Evolution | None  # None: nothing was generated in that folder before


def initial_files(api: Api, document: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The record and changelog of a package generated with no history (a first version)."""
    record = Record(api.version, surface_of(api, document))
    return {
        SURFACE_FILE: record.text(),
        CHANGELOG_FILE: _TITLE + changelog_entry(api.version, None, []),
    }


def read_record(text: str | None) -> Record | None:
    """A record from its text; ``None`` when absent, unreadable or of another format."""
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data.get("clientgen_surface") != FORMAT or data["surface"].get("format") != FORMAT:
            return None
        baseline = data.get("baseline")
        return Record(
            version=str(data["version"]),
            surface=dict(data["surface"]),
            baseline_version=None if baseline is None else str(baseline["version"]),
            baseline=None if baseline is None else dict(baseline["surface"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def check(record: Record) -> VersionCheck:
    if record.baseline is None or record.baseline_version is None:
        return VersionCheck(record.version, None, [], "none", None, None)
    changes = compare(record.baseline, record.surface)
    base = record.baseline_version
    try:
        bump = bump_for((c.kind for c in changes), base)
        suggested = next_version(base, bump)
        problem = version_problem(base, record.version, bump)
    except ClientgenError as exc:  # not PEP 440 versions: no rule to apply
        bump, suggested, problem = bump_for(c.kind for c in changes), None, None
        problem = f"cannot compare versions: {exc}" if changes else None
    return VersionCheck(record.version, base, changes, bump, suggested, problem)


def check_tree(tree: Path) -> VersionCheck | None:
    """The version check of a generated package folder; ``None`` when it has no record."""
    record = read_record(_read(tree / SURFACE_FILE))
    return None if record is None else check(record)


def apply_history(files: dict[str, str], folder: Path) -> Applied:
    """``files`` (a fresh generation) with the record and changelog continued from ``folder``."""
    fresh = read_record(files.get(SURFACE_FILE))
    if fresh is None:
        return Applied(files, None)
    previous = read_record(_read(folder / SURFACE_FILE))
    baseline, dropped = _baseline(previous, fresh)
    record = Record(
        fresh.version,
        fresh.surface,
        None if baseline is None else baseline[0],
        None if baseline is None else baseline[1],
    )
    verdict = check(record)
    existing = _read(folder / CHANGELOG_FILE)
    if verdict.base is None or _same_version(verdict.base, record.version):
        # a first version, or one regenerated without a bump: its entry stays as first written
        kept = _sections(existing).get(record.version) if previous is not None else None
        entry = kept or changelog_entry(record.version, None, [])
    else:
        entry = changelog_entry(record.version, verdict.base, verdict.changes)
    changelog = _changelog(existing, record.version, entry, dropped)
    out = {**files, SURFACE_FILE: record.text(), CHANGELOG_FILE: changelog}
    if previous is None:
        return Applied(out, None)
    since = compare(previous.surface, fresh.surface)
    return Applied(out, Evolution(previous.version, since, verdict))


def _baseline(previous: Record | None, fresh: Record) -> tuple[tuple[str, Surface] | None, str]:
    """The baseline of a fresh record, and the version whose changelog entry goes (or "")."""
    if previous is None:
        return None, ""
    if _same_version(previous.version, fresh.version):
        if previous.baseline is not None and previous.baseline_version is not None:
            return (previous.baseline_version, previous.baseline), ""
        if previous.surface != fresh.surface:
            return (previous.version, previous.surface), ""
        return None, ""
    if previous.baseline is not None and previous.baseline_version is not None:
        if check(previous).problem is not None:  # never releasable: keep the real baseline
            unreleased = previous.version
            if _same_version(previous.baseline_version, previous.version):
                unreleased = ""  # that version was released with the baseline's surface
            return (previous.baseline_version, previous.baseline), unreleased
    return (previous.version, previous.surface), ""


def _same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _read(path: Path) -> str | None:
    """A file of the output folder, never through a symbolic link; ``None`` when unreadable."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


_HEADING = re.compile(r"^## (\S+)[ \t]*$", re.MULTILINE)


def _sections(text: str | None) -> dict[str, str]:
    """Version ➜ its ``## <version>`` section of an existing changelog."""
    if not text:
        return {}
    found = list(_HEADING.finditer(text))
    sections: dict[str, str] = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        sections.setdefault(match.group(1), text[match.start() : end].rstrip("\n") + "\n")
    return sections


def _changelog(existing: str | None, version: str, entry: str, dropped: str) -> str:
    sections = {
        v: s for v, s in _sections(existing).items() if v not in (dropped, version) and v != ""
    }
    sections[version] = entry.rstrip("\n") + "\n"
    return _TITLE + "\n".join(sections[v] for v in _ordered(list(sections)))


def _ordered(versions: list[str]) -> list[str]:
    """Newest first by PEP 440; anything that is not a version after them, by name."""
    from packaging.version import InvalidVersion, Version

    valid: list[tuple[Version, str]] = []
    other: list[str] = []
    for text in versions:
        try:
            valid.append((Version(text), text))
        except InvalidVersion:
            other.append(text)
    return [t for _, t in sorted(valid, reverse=True)] + sorted(other)

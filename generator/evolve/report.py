"""Classified changes ➜ what people and tools read: a text report, JSON, changelog entries.

All three are deterministic (the changes come sorted) so that a changelog regenerated from the
same surfaces is the same bytes. Spec text in subjects and details passes through
:func:`generator.names.visible`: no terminal escapes, no invisible characters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..names import visible
from .compare import Change
from .semver import Bump

__all__ = ["changelog_entry", "render_json", "render_text"]

_LABELS = {"breaking": "Breaking changes", "feature": "Features", "fix": "Fixes"}


def render_text(
    changes: Sequence[Change], bump: Bump, base: str | None = None, suggested: str | None = None
) -> str:
    """Changes grouped by resource; a count; the version it leads to; ``bump: ...`` last."""
    lines: list[str] = []
    group = None
    for change in changes:
        if change.group != group:
            group = change.group
            lines.append(visible(group))
        lines.append(f"  {change.kind:<9} {visible(change.subject)}: {visible(change.detail)}")
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in _LABELS}
    if changes:
        lines.append(
            f"{len(changes)} change(s): {counts['breaking']} breaking, {counts['feature']} "
            f"feature, {counts['fix']} fix"
        )
    else:
        lines.append("no changes to the client's surface")
    if base is not None and suggested is not None and suggested != base:
        lines.append(f"version: {base} ➜ {suggested}")
    lines.append(f"bump: {bump}")
    return "\n".join(lines) + "\n"


def render_json(
    changes: Sequence[Change], bump: Bump, base: str | None = None, suggested: str | None = None
) -> str:
    data = {
        "changes": [c.as_dict() for c in changes],
        "counts": {kind: sum(1 for c in changes if c.kind == kind) for kind in _LABELS},
        "bump": bump,
        "version": base,
        "next_version": suggested,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def changelog_entry(version: str, base: str | None, changes: Sequence[Change]) -> str:
    """One ``## <version>`` section of CHANGELOG.md, Markdown-safe."""
    lines = [f"## {version}", ""]
    if base is None:
        lines += ["First generated version.", ""]
        return "\n".join(lines)
    if not changes:
        lines += [f"No changes to the client's interface since {base}.", ""]
        return "\n".join(lines)
    lines += [f"Changes since {base}.", ""]
    for kind, label in _LABELS.items():
        chosen = [c for c in changes if c.kind == kind]
        if chosen:
            lines += [f"### {label}", ""]
            lines += [f"- `{_code(c.subject)}`: {_prose(c.detail)}" for c in chosen]
            lines.append("")
    return "\n".join(lines)


def _code(text: str) -> str:
    return " ".join(visible(text).split()).replace("`", "'")


def _prose(text: str) -> str:
    flat = " ".join(visible(text).split())
    return flat.replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")

"""API evolution: what a new spec changes in the generated client's public surface.

In: the IR (:class:`generator.ir.Api`) of a client, built by the pipeline, or a surface
recorded earlier in a generated package. Out: a plain, deterministic, JSON-serializable
*surface* (:mod:`.surface`: resources, methods and their arguments, results, auth, the models
reachable from requests and from responses), the classified differences between two of them
(:mod:`.compare`: breaking, feature or fix, named as the user sees them), the semver bump they
call for (:mod:`.semver`), text and JSON reports and changelog entries (:mod:`.report`), and
the record a generated package keeps of its surface and of the last version's
(:mod:`.record`), which ``generate`` reports on and ``build``/``publish`` check versions with.
"""

from __future__ import annotations

from .compare import Change, compare
from .record import (
    SURFACE_FILE,
    Applied,
    Evolution,
    VersionCheck,
    apply_history,
    check_tree,
    initial_files,
)
from .report import render_json, render_text
from .semver import bump_for, next_version
from .surface import surface_of

__all__ = [
    "SURFACE_FILE",
    "Applied",
    "Change",
    "Evolution",
    "VersionCheck",
    "apply_history",
    "bump_for",
    "check_tree",
    "compare",
    "initial_files",
    "next_version",
    "render_json",
    "render_text",
    "surface_of",
]

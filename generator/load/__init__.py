"""Stage 1, load: files in (the spec, its overlays, the files its `$ref`s name), one
bundled plain-data document out (:class:`LoadedSpec`), read safely.

Everything later in the pipeline assumes the document in :class:`LoadedSpec` is a JSON-like
tree (dicts, lists, str, int, float, bool, None) with only local ``$ref`` strings whose targets
exist. This package is the one place that reads files the user gives us, so it also carries the
limits: file size, nesting depth, YAML alias expansion, number of referenced files, and no
network access at all.

One module per job: :mod:`.reader` (bytes ➜ JSON or YAML), :mod:`.yaml_builder` (YAML events
➜ plain data, within the limits), :mod:`.overlays`, :mod:`.refs` (bundling and checks),
:mod:`.pointers` (JSON pointers and their lines), :mod:`.docs_page`, :mod:`.swagger2` (a
Swagger 2.0 document becomes OpenAPI 3.0.3, with a source map back into the 2.0 text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Finding, SpecError
from .docs_page import extract_openapi_from_page
from .overlays import apply_overlay
from .pointers import line_of, parse_pointer, resolve_parts
from .reader import describe_value, parse_text, read_text
from .refs import bundle_refs
from .swagger2 import convert_swagger2, nearest_source, original_pointer
from .yaml_builder import new_parser, parse_yaml

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_REF_FILES",
    "LoadedSpec",
    "extract_openapi_from_page",
    "line_of",
    "load_spec",
    "original_pointer",
    "parse_pointer",
    "resolve_parts",
]

# The limits live here, and the modules read them from here at call time, so this is the one
# place to change them (tests lower them with monkeypatch).

#: Largest file read (the whole Stripe spec is under 8 MiB).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Deepest nesting of objects/arrays accepted; real specs stay under 40, and every later stage
#: (validator, normalizer) walks the tree recursively.
MAX_DEPTH = 128
#: How many nodes YAML aliases may add in total (the billion-laughs guard).
MAX_ALIAS_NODES = 100_000
#: How many YAML aliases a file may use at all.
MAX_ALIASES = 10_000
#: How many other files ``$ref``s may pull in.
MAX_REF_FILES = 2048

# Tests call these two directly, by the names they had when this package was one module.
_new_parser = new_parser
_parse_yaml = parse_yaml


@dataclass(frozen=True)
class LoadedSpec:
    """A loaded, bundled, overlaid document and the text it came from (for line numbers)."""

    path: Path
    document: dict[str, Any]
    source_text: str
    sources: tuple[Path, ...] = ()  # every file read: the spec, its overlays, files $refs pulled in
    #: Set when ``document`` was converted from Swagger 2.0: converted pointer ➜ pointer in
    #: ``source_text`` (Parts tuples; see :func:`.swagger2.original_pointer`). None otherwise.
    source_map: Mapping[tuple[str | int, ...], tuple[str | int, ...]] | None = None
    #: What loading had to leave out or guess (references it could not follow, Swagger 2.0
    #: conversions), each located in the file it concerns.
    load_warnings: tuple[Finding, ...] = ()
    #: ``"2.0"`` when the file was Swagger 2.0, else None (``document`` is what was read).
    original_version: str | None = None

    def original_parts(self, parts: Sequence[str | int]) -> tuple[str | int, ...]:
        """Where ``parts`` (a place in :attr:`document`) is in :attr:`source_text`: the same
        place, or for a converted Swagger 2.0 document the nearest place it came from."""
        if self.source_map is None:
            return tuple(parts)
        return nearest_source(self.document, self.source_map, tuple(parts))


def load_spec(path: Path, overlays: Sequence[Path] = ()) -> LoadedSpec:
    """Read ``path`` (YAML or JSON), apply ``overlays`` in order, bundle and check ``$ref``s."""
    path = Path(path)
    display = str(path)
    text = read_text(path, display)
    document = parse_text(text, display, path.suffix)
    if not isinstance(document, dict):
        raise SpecError(
            display,
            None,
            f"the document must be a mapping (an OpenAPI object), not {describe_value(document)}",
            line=1,
        )
    for overlay in overlays:
        apply_overlay(document, Path(overlay), display)
    read, dropped = bundle_refs(path, display, text, document)
    sources = (*read[:1], *(Path(o) for o in overlays), *read[1:])
    if str(document.get("swagger")) != "2.0":
        return LoadedSpec(
            path=path, document=document, source_text=text, sources=sources, load_warnings=dropped
        )
    converted = convert_swagger2(document)
    guessed = tuple(_conversion_finding(display, text, w) for w in converted.warnings)
    return LoadedSpec(
        path=path,
        document=converted.document,
        source_text=text,  # the 2.0 text: locate errors through source_map
        sources=sources,
        source_map=converted.source_map,
        load_warnings=dropped + guessed,
        original_version="2.0",
    )


def _conversion_finding(display: str, text: str, warning: str) -> Finding:
    """A conversion warning (``/pointer/in/2.0: message``) as a located finding."""
    pointer, _, message = warning.partition(": ")
    parts = parse_pointer(pointer) or ()
    return Finding(display, pointer, message, "Swagger 2.0 conversion", line_of(text, parts))

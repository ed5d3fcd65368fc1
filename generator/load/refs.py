"""``$ref``s made trustworthy: relative file references bundled in, every local one checked.

After :func:`bundle_refs` the document holds only local references (``#/...``), each reaching
a node, and no chain of references loops without reaching a definition: later stages rely on
that. Remote references are refused: clientgen never touches the network.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import load as limits  # the MAX_* limits, read at call time: see the package
from ..errors import Finding, SpecError, pointer_from_parts
from .pointers import Parts, line_of, parse_pointer, resolve_parts
from .reader import describe_value, parse_text, read_text

__all__ = ["bundle_refs"]


def bundle_refs(
    path: Path, display: str, text: str, document: dict[str, Any]
) -> tuple[tuple[Path, ...], tuple[Finding, ...]]:
    """Copy what relative file ``$ref``s point at into ``components`` of ``document`` (in place),
    then check every ``$ref``; ``path`` and ``text`` are where ``document`` was read from.
    Returns every file read (the main one first), and a finding for each reference that could
    not be followed (remote, or pointing to nothing): it was dropped, so the node it stood for
    reads as an unconstrained schema (``Any``) or, in a discriminator mapping, is left out."""
    bundler = _Bundler(path, display, text, document)
    bundler.run()
    return tuple(bundler.sources), tuple(bundler.findings)


# Keys whose value is a map from names to objects: there, no key is a keyword.
_NAME_MAPS = frozenset(
    "properties patternProperties $defs definitions dependentSchemas schemas responses parameters "
    "examples requestBodies headers securitySchemes links callbacks pathItems paths webhooks content "
    "encoding variables".split()
)
# Keywords whose value is data (an instance, not a description): a "$ref" in there is just text.
_DATA_KEYS = frozenset(("example", "default", "const", "enum"))
# Where a bundled target goes in components/, by the key holding the reference ...
_KIND_BY_KEY = {
    "schema": "schemas", "items": "schemas", "not": "schemas", "additionalProperties": "schemas",
    "contains": "schemas", "if": "schemas", "then": "schemas", "else": "schemas",
    "propertyNames": "schemas", "unevaluatedItems": "schemas", "unevaluatedProperties": "schemas",
    "additionalItems": "schemas", "contentSchema": "schemas", "requestBody": "requestBodies",
}  # fmt: skip
# ... or by the key of the map or list holding it.
_KIND_BY_CONTAINER = {
    "properties": "schemas", "patternProperties": "schemas", "$defs": "schemas", "definitions": "schemas",
    "dependentSchemas": "schemas", "allOf": "schemas", "anyOf": "schemas", "oneOf": "schemas",
    "prefixItems": "schemas", "schemas": "schemas", "parameters": "parameters", "responses": "responses",
    "headers": "headers", "examples": "examples", "links": "links", "callbacks": "callbacks",
    "requestBodies": "requestBodies", "securitySchemes": "securitySchemes", "pathItems": "pathItems",
    "paths": "pathItems", "webhooks": "pathItems", "content": "mediaTypes", "mediaTypes": "mediaTypes",
}  # fmt: skip
_SCHEMA_MAPS = frozenset(
    ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
)
_COMPONENT_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: Where bundled content maps go (``content: {$ref: ...}``, which no OpenAPI version allows but
#: published specs use): an extension, so the document stays valid.
_CONTENT_MAPS = "x-clientgen-content-maps"


@dataclass
class _Site:
    """One reference: ``holder[key]`` is the reference text, found at ``parts`` in the document."""

    parts: Parts  # where the holder sits in the main document
    holder: dict[str, Any]
    key: str
    source: _Source  # the file whose text the reference was written in
    source_parts: Parts  # where the holder sits in that file


@dataclass
class _Source:
    path: Path  # resolved
    display: str
    text: str
    document: Any


def _scan(root: Any, parts: Parts, source: _Source, source_parts: Parts) -> Iterator[_Site]:
    """Every ``$ref`` (and discriminator mapping reference) under ``root``; checks the depth of
    everything, data included.

    ``parts``/``source_parts`` say where ``root`` sits in the main document / its own file.
    """
    base = len(parts)
    # (node, path in main document, role): role is _OBJECT, _NAMES (keys are names, not
    # keywords), _EXAMPLE (an Example object: "value" is data) or _DATA (no references here)
    stack: list[tuple[Any, Parts, int]] = [(root, parts, _OBJECT)]
    while stack:
        node, here, role = stack.pop()
        if len(here) - base >= limits.MAX_DEPTH:
            inner = source_parts + here[base:]
            raise SpecError(
                source.display, pointer_from_parts(inner), f"nested more than {limits.MAX_DEPTH} levels deep",
                line=line_of(source.text, inner),
            )  # fmt: skip
        if isinstance(node, list):
            inner_role = _DATA if role == _DATA else _OBJECT
            for index in range(len(node) - 1, -1, -1):
                child = node[index]
                if isinstance(child, (dict, list)):
                    stack.append((child, here + (index,), inner_role))
            continue
        if not isinstance(node, dict):
            continue
        if role in (_OBJECT, _EXAMPLE) or (role == _NAMES and here[-1:] == ("content",)):
            ref = node.get("$ref")  # in a content map: the whole map by reference (Lob's)
            if isinstance(ref, str):
                yield _Site(here, node, "$ref", source, source_parts + here[base:])
            mapping = node.get("mapping") if here and here[-1] == "discriminator" else None
            if isinstance(mapping, dict):
                for name, value in mapping.items():
                    if isinstance(value, str) and ("#" in value or "/" in value or ":" in value):
                        at = here + ("mapping", name)
                        yield _Site(at, mapping, name, source, source_parts + at[base:])
        children = []
        for key, child in node.items():
            if not isinstance(child, (dict, list)):
                continue
            if role == _DATA:
                child_role = _DATA
            elif role == _NAMES:
                child_role = _EXAMPLE if here[-1:] == ("examples",) else _OBJECT
            elif (
                key in _DATA_KEYS
                or key.startswith("x-")
                or (key == "examples" and isinstance(child, list))
                or (role == _EXAMPLE and key == "value")
            ):
                child_role = _DATA
            else:
                child_role = _NAMES if key in _NAME_MAPS else _OBJECT
            children.append((child, here + (key,), child_role))
        stack.extend(reversed(children))


_OBJECT, _NAMES, _EXAMPLE, _DATA = range(4)


def _is_remote(ref: str) -> bool:
    split = urlsplit(ref)
    return bool(split.netloc) or len(split.scheme) > 1 or ref.startswith("//")


class _Bundler:
    """Copy what relative file ``$ref``s point at into ``components``, then check every ``$ref``."""

    def __init__(self, path: Path, display: str, text: str, document: dict[str, Any]) -> None:
        self.main = _Source(path.resolve(), display, text, document)
        self.root_dir = self.main.path.parent
        self.document = document
        self.sources: dict[Path, _Source] = {self.main.path: self.main}
        self.bundled: dict[tuple[Path, str], str] = {}
        self.findings: list[Finding] = []

    def drop(self, site: _Site, message: str) -> None:
        """Leave out a reference that cannot be followed, with a finding saying so: one corner
        of a spec never takes the whole client down (``--strict`` makes it an error)."""
        if site.key == "$ref":
            del site.holder["$ref"]
        else:  # a discriminator mapping entry
            site.holder.pop(site.key, None)
        error = self.error(site, message + "; left out (read as Any)")
        self.findings.append(
            Finding(error.file, error.pointer, error.message, "unresolved $ref", error.line)
        )

    def error(self, site: _Site, message: str) -> SpecError:
        pointer = pointer_from_parts(site.source_parts)
        return SpecError(
            site.source.display, pointer, message, line=line_of(site.source.text, site.source_parts)
        )

    def run(self) -> None:
        queue = deque(_scan(self.document, (), self.main, ()))
        sites: list[_Site] = []
        while queue:
            site = queue.popleft()
            ref = site.holder[site.key]
            if not ref:
                self.drop(site, "empty $ref")
                continue
            if _is_remote(ref):
                self.drop(
                    site,
                    f"remote $ref {ref!r} is refused: clientgen never fetches from the network; "
                    "save the document beside the spec and refer to it by a relative path",
                )
                continue
            file_part, _, fragment = ref.partition("#")
            target = site.source.path
            if file_part:
                target = (site.source.path.parent / unquote(file_part)).resolve()
                if not target.is_relative_to(self.root_dir):
                    raise self.error(
                        site, f"$ref {ref!r} points outside the spec's folder; refused"
                    )
            if target == self.main.path:
                site.holder[site.key] = "#" + fragment
            else:
                try:
                    queue.extend(self.bundle(site, target, fragment))
                except _Unfollowable as exc:
                    self.drop(site, str(exc))
                    continue
            sites.append(site)
        self.check(sites)

    def bundle(self, site: _Site, path: Path, fragment: str) -> list[_Site]:
        """Copy ``path#fragment`` into components (once), point the site at it, return new sites."""
        ref = site.holder[site.key]
        if (path, fragment) in self.bundled:
            site.holder[site.key] = self.bundled[(path, fragment)]
            return []
        source = self.sources.get(path)
        if source is None:
            if len(self.sources) > limits.MAX_REF_FILES:
                raise self.error(
                    site, f"$refs pull in more than {limits.MAX_REF_FILES} files; refusing to go on"
                )
            display = str(Path(self.main.display).parent / path.relative_to(self.root_dir))
            try:
                text = read_text(path, display)
            except SpecError as exc:  # name the $ref that led here, too
                raise self.error(site, f"$ref {ref!r}: {display}: {exc.message}") from None
            source = _Source(path, display, text, parse_text(text, display, path.suffix))
            self.sources[path] = source
        parts = parse_pointer(fragment)
        if parts is None:
            raise _Unfollowable(f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported")
        matched, target = resolve_parts(source.document, parts)
        if matched < len(parts):
            missing = pointer_from_parts(parts[: matched + 1])
            raise _Unfollowable(
                f"$ref {ref!r} points to nothing: {source.display} has no {missing}"
            )
        if not isinstance(target, (dict, bool)):
            raise _Unfollowable(f"$ref {ref!r} points to {describe_value(target)}, not an object")
        kind = self.kind_of(site, parts)
        components = self.document.setdefault("components", {})
        section = components.setdefault(kind, {}) if isinstance(components, dict) else None
        if not isinstance(section, dict):
            raise self.error(
                site, f"cannot bundle: /components/{kind} in the main document is not a mapping"
            )
        name = self.free_name(section, parts, path)
        copied = copy.deepcopy(target)
        section[name] = copied
        local = "#" + pointer_from_parts(("components", kind, name))
        self.bundled[(path, fragment)] = local
        site.holder[site.key] = local
        return list(_scan(copied, ("components", kind, name), source, parts))

    def kind_of(self, site: _Site, fragment: Parts) -> str:
        """Which ``components`` section a bundled target belongs in: from the target's own
        pointer when it is ``/components/<kind>/...``, else from where the reference stands."""
        if len(fragment) >= 3 and fragment[0] == "components":
            return str(fragment[1])
        if site.key != "$ref":
            return "schemas"  # a discriminator mapping value
        here = site.parts
        if here[-1:] == ("content",):  # a content map by reference: not a component of 3.x
            return _CONTENT_MAPS
        if len(here) >= 2 and here[-2] in _SCHEMA_MAPS:
            return "schemas"
        if here and isinstance(here[-1], str) and here[-1] in _KIND_BY_KEY:
            return _KIND_BY_KEY[here[-1]]
        if len(here) >= 3 and here[-3] == "components" and isinstance(here[-2], str):
            return here[-2]
        if len(here) >= 2 and isinstance(here[-2], str) and here[-2] in _KIND_BY_CONTAINER:
            return _KIND_BY_CONTAINER[here[-2]]
        raise self.error(
            site,
            f"cannot tell what kind of component $ref {site.holder[site.key]!r} is; "
            "point it at /components/<kind>/<name> in that file",
        )

    @staticmethod
    def free_name(section: dict[str, Any], fragment: Parts, path: Path) -> str:
        """A deterministic name not yet used in ``section``: the target's own name, else
        prefixed with the file's stem, else numbered."""
        stem = _COMPONENT_NAME.sub("_", path.stem).strip("_") or "file"
        base = _COMPONENT_NAME.sub("_", str(fragment[-1])).strip("_") if fragment else stem
        candidates = [base or stem, f"{stem}_{base}" if base else stem]
        for candidate in candidates:
            if candidate not in section:
                return candidate
        number = 2
        while f"{candidates[-1]}_{number}" in section:
            number += 1
        return f"{candidates[-1]}_{number}"

    def check(self, sites: list[_Site]) -> None:
        """Every local reference reaches something (else it is dropped, with a finding), and no
        chain of references loops."""
        settled: set[str] = set()
        for site in sites:
            ref = site.holder.get(site.key)
            if not isinstance(ref, str) or not ref.startswith("#"):
                continue
            try:
                node = self.target(site, ref)
            except _Unfollowable as exc:
                self.drop(site, str(exc))
                continue
            chain = [ref]
            while (
                isinstance(node, dict) and isinstance(node.get("$ref"), str) and site.key == "$ref"
            ):
                ref = node["$ref"]
                if not ref.startswith("#") or ref in settled:
                    break
                if ref in chain:
                    loop = " -> ".join(chain[chain.index(ref) :] + [ref])
                    raise self.error(site, f"$ref cycle that never reaches a definition: {loop}")
                chain.append(ref)
                try:
                    node = self.target(site, ref)
                except _Unfollowable:
                    break  # that reference is a site of its own: dropped there
            settled.update(chain)

    def target(self, site: _Site, ref: str) -> Any:
        parts = parse_pointer(ref[1:])
        if parts is None:
            raise _Unfollowable(f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported")
        matched, node = resolve_parts(self.document, parts)
        if matched < len(parts):
            missing = pointer_from_parts(parts[: matched + 1])
            raise _Unfollowable(f"$ref {ref!r} points to nothing: the document has no {missing}")
        return node


class _Unfollowable(Exception):
    """A reference that leads nowhere: its site is dropped with a finding, not an error."""

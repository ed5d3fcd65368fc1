"""OpenAPI Overlay 1.0: JSONPath-targeted updates and removals, applied before bundling.

Overlays let a user fix a vendor's spec without editing it; every failure points into the
overlay file, not the spec.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SpecError, pointer_from_parts
from .pointers import Parts, line_of, resolve_parts
from .reader import parse_text, read_text

__all__ = ["apply_overlay"]

_Fail = Callable[[Parts, str], SpecError]


def apply_overlay(document: dict[str, Any], overlay: Path, spec_display: str) -> None:
    """Apply one OpenAPI Overlay 1.0 file to ``document`` in place."""
    from jsonpath_ng.ext import parse as parse_jsonpath  # type: ignore[attr-defined,unused-ignore]

    display = str(overlay)
    text = read_text(overlay, display)
    data = parse_text(text, display, overlay.suffix)

    def fail(parts: Parts, message: str) -> SpecError:
        return SpecError(display, pointer_from_parts(parts), message, line=line_of(text, parts))

    if not isinstance(data, dict) or "overlay" not in data:
        raise SpecError(
            display,
            None,
            "not an OpenAPI Overlay: the top level needs an 'overlay: 1.0.0' field",
            line=1,
        )
    if not re.fullmatch(r"1\.0\.\d+", str(data["overlay"])):
        raise fail(
            ("overlay",),
            f"unsupported Overlay version {data['overlay']!r}; clientgen reads Overlay 1.0.x",
        )
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise fail(
            ("actions",) if "actions" in data else (), "an overlay needs a non-empty 'actions' list"
        )
    for number, action in enumerate(actions):
        where: Parts = ("actions", number)
        if not isinstance(action, dict):
            raise fail(
                where, f"action {number} must be a mapping with 'target' and 'update' or 'remove'"
            )
        target = action.get("target")
        if not isinstance(target, str) or not target.startswith("$"):
            raise fail(where, f"action {number} needs a 'target' JSONPath starting with '$'")
        remove = action.get("remove", False)
        if remove not in (True, False) or (remove is False and "update" not in action):
            raise fail(where, f"action {number} needs either 'update' or 'remove: true'")
        try:
            matches = parse_jsonpath(target).find(document)
        except (
            Exception
        ) as exc:  # jsonpath-ng raises plain Exceptions (and TypeErrors from filters)
            raise fail(
                where + ("target",), f"action {number}: invalid JSONPath {target!r}: {exc}"
            ) from None
        paths = [_match_parts(match, fail, where) for match in matches]
        if not paths:
            raise fail(
                where + ("target",),
                f"action {number}: target {target!r} matches nothing in {spec_display}",
            )
        if remove is True:
            _remove_all(document, paths, fail, where)
        else:
            for parts in paths:
                _update(document, parts, action["update"], fail, where)


def _match_parts(match: Any, fail: _Fail, where: Parts) -> Parts:
    from jsonpath_ng.jsonpath import Fields, Index, Root, This

    parts: list[str | int] = []
    datum = match
    while datum is not None:
        path = datum.path
        if isinstance(path, Fields) and len(path.fields) == 1:
            parts.append(path.fields[0])
        elif isinstance(path, Index):
            parts.append(path.indices[0])
        elif not isinstance(path, (Root, This)):
            raise fail(where + ("target",), f"unsupported JSONPath step {str(path)!r}")
        datum = datum.context
    return tuple(reversed(parts))


def _update(document: dict[str, Any], parts: Parts, update: Any, fail: _Fail, where: Parts) -> None:
    """Overlay 1.0 update: objects merge recursively, arrays get the value appended."""
    _, node = resolve_parts(document, parts)
    if isinstance(node, dict):
        if not isinstance(update, dict):
            raise fail(
                where + ("update",),
                f"target {pointer_from_parts(parts) or '/'} is an object; 'update' must be a mapping",
            )
        _merge(node, update)
    elif isinstance(node, list):
        node.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
    else:
        raise fail(
            where + ("target",),
            f"target {pointer_from_parts(parts)} is a single value; an update needs an object or an array",
        )


def _merge(node: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        current = node.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            node[key] = copy.deepcopy(value)


def _remove_all(document: dict[str, Any], paths: list[Parts], fail: _Fail, where: Parts) -> None:
    # Deepest first, and later list items before earlier ones, so indices stay valid.
    for parts in sorted(
        paths, key=lambda p: (len(p), p[-1] if p and isinstance(p[-1], int) else -1), reverse=True
    ):
        if not parts:
            raise fail(where + ("target",), "the document root cannot be removed")
        matched, parent = resolve_parts(document, parts[:-1])
        if matched < len(parts) - 1:
            continue  # an ancestor was removed already
        last = parts[-1]
        if isinstance(parent, dict) and last in parent:
            del parent[last]
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]

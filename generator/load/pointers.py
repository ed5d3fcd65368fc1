"""JSON pointers: parse them, follow them through a document, find their line in the source.

The loader and the validator locate the errors they report with these.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

import yaml  # type: ignore[import-untyped,unused-ignore]

__all__ = ["Parts", "line_of", "parse_pointer", "resolve_parts"]

Parts = tuple[str | int, ...]


def parse_pointer(fragment: str) -> Parts | None:
    """``/paths/~1a/get`` ➜ ``("paths", "/a", "get")``; None when it is not a JSON pointer.

    Accepts the URI-fragment form too (percent-encoded, as written after ``#`` in a ``$ref``).
    """
    fragment = unquote(fragment)
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/"))


def _step(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(node, dict):
        key = str(part)
        return (True, node[key]) if key in node else (False, None)
    if isinstance(node, list):
        text = str(part)
        if text.isdigit() and (text == "0" or not text.startswith("0")) and int(text) < len(node):
            return True, node[int(text)]
    return False, None


def resolve_parts(document: Any, parts: Sequence[str | int]) -> tuple[int, Any]:
    """Follow ``parts``; returns how many parts matched and the node reached."""
    node = document
    for index, part in enumerate(parts):
        found, child = _step(node, part)
        if not found:
            return index, node
        node = child
    return len(parts), node


def line_of(source_text: str, pointer: str | Sequence[str | int]) -> int | None:
    """1-based line of the node at ``pointer`` in YAML or JSON ``source_text``, or None.

    Composes the text again (only called when reporting an error), once for all the errors
    of one text (Mistral's eleven unresolved ``$ref``s composed its 1 MB eleven times: 9 s).
    Follows local ``$ref``s on the way, so a pointer that goes through a reference lands on
    the definition.
    """
    parts = parse_pointer(pointer) if isinstance(pointer, str) else tuple(pointer)
    if not parts:
        return None
    root = _composed(source_text)
    if root is None:
        return None
    node, line, index, hops = root, None, 0, 0
    while index < len(parts):
        part = str(parts[index])
        if isinstance(node, yaml.MappingNode):
            pair = next(
                (
                    kv
                    for kv in node.value
                    if isinstance(kv[0], yaml.ScalarNode) and kv[0].value == part
                ),
                None,
            )
            if pair is None:
                ref = next((v for k, v in node.value if getattr(k, "value", None) == "$ref"), None)
                target = (
                    parse_pointer(ref.value[1:])
                    if isinstance(ref, yaml.ScalarNode) and ref.value.startswith("#")
                    else None
                )
                if target is None or hops > 32:
                    return None
                node, parts, index, hops = root, target + parts[index:], 0, hops + 1
                continue
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            return None
        index += 1
    return line


@functools.lru_cache(maxsize=1)  # the last text only: its node tree is a few times its size
def _composed(source_text: str) -> Any:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.compose(source_text, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None

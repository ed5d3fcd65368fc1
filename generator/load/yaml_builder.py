"""YAML ➜ plain data, built from parser events so that every limit applies while reading.

Scalars resolve with the YAML 1.2 core schema (what OpenAPI asks for); aliases count against a
budget and become independent copies; nesting depth is capped; duplicate keys and tags that are
not JSON-compatible are refused. The builder is a loop over events, never a recursion.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from .. import load as limits  # the MAX_* limits, read at call time: see the package
from ..errors import SpecError

__all__ = ["new_parser", "parse_yaml"]


_STR = "tag:yaml.org,2002:str"
_CORE_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_CONTAINER_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}


def _plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema (OpenAPI asks for 1.2).

    So ``on``/``yes``/``no`` stay strings and dates stay strings, as JSON would have them.
    """
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUES:
            return True
        if value in _FALSES:
            return False
        return value
    if first in "-+.0123456789":
        if _INT.fullmatch(value):
            if value.startswith("0o"):
                return int(value, 8)
            if value.startswith("0x"):
                return int(value, 16)
            return int(value, 10)
        if _FLOAT.fullmatch(value):
            return float(value)
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
    return value


def _tagged_scalar(tag: str, value: str, display: str, line: int) -> Any:
    if tag == _STR:
        return value
    resolved = _plain_scalar(value)
    expected = {
        "tag:yaml.org,2002:int": int,
        "tag:yaml.org,2002:float": float,
        "tag:yaml.org,2002:bool": bool,
        "tag:yaml.org,2002:null": type(None),
    }.get(tag)
    if expected is float and type(resolved) is int:
        return float(resolved)
    if expected is None or type(resolved) is not expected:
        raise SpecError(
            display, None, f"YAML scalar {value!r} does not match its tag {tag}", line=line
        )
    return resolved


class _Frame:
    """A mapping or sequence being built from parser events."""

    __slots__ = ("anchor", "depth", "key", "key_line", "line", "merge", "merges", "size", "value")

    def __init__(self, value: dict[str, Any] | list[Any], anchor: str | None, line: int) -> None:
        self.value = value
        self.anchor = anchor
        self.line = line
        self.key: str | None = None  # pending mapping key; None: the next scalar is a key
        self.key_line = line
        self.merge = False  # the pending key is YAML's merge key ``<<``
        self.size = 1
        self.depth = 1
        self.merges: list[tuple[Any, int]] = []


def new_parser(text: str) -> Any:
    """libyaml's event parser when available (fast), PyYAML's pure-Python one otherwise.

    Both are iterative state machines, so no nesting depth can overflow a stack here.
    """
    cparser = getattr(yaml, "CSafeLoader", None)
    if cparser is not None:
        from yaml.cyaml import CParser  # type: ignore[import-untyped,unused-ignore]

        return CParser(text)
    return yaml.SafeLoader(text)


def _is_libyaml(parser: Any) -> bool:
    return type(parser).__module__ == "yaml._yaml"


def parse_yaml(text: str, display: str) -> Any:
    """Build plain data from YAML events with our own limits (depth, aliases, tags, duplicates)."""
    parser = None
    try:
        parser = new_parser(text)  # PyYAML's own reader checks characters right here
        return _build(parser, display)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.problem, exc.context) if p)
        message = f"invalid YAML: {problem}"
        if "maximum nesting depth" in problem:  # libyaml's own limit (1,000), far above ours
            message = f"nested more than {limits.MAX_DEPTH} levels deep"
        raise SpecError(display, None, message, line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, PyYAML's reader in characters
        if _is_libyaml(parser):
            line = text.encode("utf-8").count(b"\n", 0, exc.position) + 1
        else:
            line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise SpecError(
            display, None, f"invalid YAML: character U+{code:04X} is not allowed", line=line
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(display, None, f"invalid YAML: {exc}") from None
    finally:
        if parser is not None:
            parser.dispose()


def _build(parser: Any, display: str) -> Any:
    events = yaml.events
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int, int] | None] = {}  # None while the anchored node is open
    root: Any = None
    documents = 0
    aliases = 0
    alias_nodes = 0
    while True:
        event = parser.get_event()
        kind = type(event)
        line = event.start_mark.line + 1
        if kind is events.ScalarEvent:
            top = stack[-1] if stack else None
            if top is not None and top.key is None and type(top.value) is dict:
                if event.tag not in _CONTAINER_TAGS and event.tag not in _CORE_TAGS:
                    raise SpecError(display, None, f"unsupported YAML tag {event.tag!r}", line=line)
                merge = event.implicit[0] and event.value == "<<" and event.tag is None
                top.key, top.merge = event.value, merge
                top.key_line = line
                top.size += 1
                if event.anchor:
                    anchors[event.anchor] = (event.value, 1, 0)
                continue
            if event.tag is None or event.tag == "!":
                value = (
                    _plain_scalar(event.value)
                    if event.implicit[0] and event.tag is None
                    else event.value
                )
            elif event.tag in _CORE_TAGS:
                value = _tagged_scalar(event.tag, event.value, display, line)
            else:
                raise SpecError(
                    display,
                    None,
                    f"unsupported YAML tag {event.tag!r} (only JSON-compatible data)",
                    line=line,
                )
            size, depth = 1, 0
            if event.anchor:
                anchors[event.anchor] = (value, 1, 0)
        elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
            if len(stack) >= limits.MAX_DEPTH:
                raise SpecError(
                    display, None, f"nested more than {limits.MAX_DEPTH} levels deep", line=line
                )
            if event.tag not in _CONTAINER_TAGS:
                raise SpecError(
                    display,
                    None,
                    f"unsupported YAML tag {event.tag!r} (only JSON-compatible data)",
                    line=line,
                )
            stack.append(_Frame({} if kind is events.MappingStartEvent else [], event.anchor, line))
            if event.anchor:
                anchors[event.anchor] = None
            continue
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            frame = stack.pop()
            if frame.merges:
                _merge_keys(frame, display)
            value, size, depth, line = frame.value, frame.size, frame.depth, frame.line
            if frame.anchor:
                anchors[frame.anchor] = (value, size, depth)
        elif kind is events.AliasEvent:
            if event.anchor not in anchors:
                raise SpecError(
                    display,
                    None,
                    f"YAML alias *{event.anchor} has no anchor &{event.anchor} before it",
                    line=line,
                )
            entry = anchors[event.anchor]
            if entry is None:
                raise SpecError(
                    display,
                    None,
                    f"YAML alias *{event.anchor} refers to a node that contains it",
                    line=line,
                )
            aliases += 1
            alias_nodes += entry[1]
            if aliases > limits.MAX_ALIASES or alias_nodes > limits.MAX_ALIAS_NODES:
                raise SpecError(
                    display, None,
                    f"YAML aliases expand to more than {limits.MAX_ALIAS_NODES} nodes (an alias bomb?); refusing to load",
                    line=line,
                )  # fmt: skip
            if len(stack) + entry[2] > limits.MAX_DEPTH:
                raise SpecError(
                    display, None, f"nested more than {limits.MAX_DEPTH} levels deep", line=line
                )
            value, size, depth = entry
            if depth:
                value = copy.deepcopy(value)  # a tree, not a graph: later stages may edit nodes
            if stack and stack[-1].key is None and type(stack[-1].value) is dict:
                if not isinstance(value, str):
                    raise SpecError(display, None, "mapping keys must be strings", line=line)
                stack[-1].key, stack[-1].key_line = value, line
                stack[-1].size += 1
                continue
        elif kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise SpecError(
                    display, None, "the file holds more than one YAML document", line=line
                )
            continue
        elif kind is events.StreamEndEvent:
            break
        else:
            continue
        # place the finished value in its parent
        if not stack:
            root = value
            continue
        top = stack[-1]
        top.size += size
        top.depth = max(top.depth, depth + 1)
        container = top.value
        if isinstance(container, list):
            container.append(value)
        elif top.key is None:
            raise SpecError(
                display, None, "mapping keys must be strings, not mappings or sequences", line=line
            )
        else:
            key, top.key = top.key, None
            if top.merge:
                top.merge = False
                top.merges.append((value, top.key_line))
            elif key in container:
                raise SpecError(
                    display, None, f"duplicate key {key!r} in a mapping", line=top.key_line
                )
            else:
                container[key] = value
    if documents == 0:
        raise SpecError(display, None, "file is empty (no YAML document)")
    return root


def _merge_keys(frame: _Frame, display: str) -> None:
    """YAML ``<<`` merge keys: keys written in the mapping win, then earlier merged maps."""
    mapping = frame.value
    assert isinstance(mapping, dict)
    for merged, line in frame.merges:
        sources = merged if isinstance(merged, list) else [merged]
        for source in sources:
            if not isinstance(source, dict):
                raise SpecError(
                    display,
                    None,
                    "a YAML merge key (<<) needs a mapping or a list of mappings",
                    line=line,
                )
            for key, value in source.items():
                mapping.setdefault(key, value)

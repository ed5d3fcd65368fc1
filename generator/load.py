"""Read an API description into plain data, safely, and make its references trustworthy.

Everything later in the pipeline assumes the document in :class:`LoadedSpec` is a JSON-like
tree (dicts, lists, str, int, float, bool, None) with only local ``$ref`` strings whose targets
exist. This module is the one place that reads files the user gives us, so it also carries the
limits: file size, nesting depth, YAML alias expansion, number of referenced files, and no
network access at all.
"""

from __future__ import annotations

import copy
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml  # type: ignore[import-untyped,unused-ignore]

from .errors import SpecError, pointer_from_parts

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_REF_FILES",
    "LoadedSpec",
    "extract_openapi_from_page",
    "line_of",
    "load_spec",
    "parse_pointer",
    "resolve_parts",
]

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
MAX_REF_FILES = 256

Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedSpec:
    """A loaded, bundled, overlaid document and the text it came from (for line numbers)."""

    path: Path
    document: dict[str, Any]
    source_text: str


def load_spec(path: Path, overlays: Sequence[Path] = ()) -> LoadedSpec:
    """Read ``path`` (YAML or JSON), apply ``overlays`` in order, bundle and check ``$ref``s."""
    path = Path(path)
    display = str(path)
    text = _read_text(path, display)
    document = _parse(text, display, path.suffix)
    if not isinstance(document, dict):
        raise SpecError(
            display,
            None,
            f"the document must be a mapping (an OpenAPI object), not {_kind(document)}",
            line=1,
        )
    for overlay in overlays:
        _apply_overlay(document, Path(overlay), display)
    _Bundler(path, display, text, document).run()
    return LoadedSpec(path=path, document=document, source_text=text)


# --------------------------------------------------------------------------- reading files


def _read_text(path: Path, display: str) -> str:
    """The file's text, refusing what cannot be an API description before parsing it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError(display, None, "file not found") from None
    except IsADirectoryError:
        raise SpecError(display, None, "is a directory, not a file") from None
    except OSError as exc:
        raise SpecError(display, None, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SpecError(
            display, None, f"file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"
        )
    return _decode(data, display)


def _decode(data: bytes, display: str) -> str:
    if not data.strip():
        raise SpecError(display, None, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(display, None, "file is UTF-16; save it as UTF-8", line=1)
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SpecError(
            display,
            None,
            f"looks like a binary file (NUL byte at offset {nul}), not YAML or JSON",
            line=line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SpecError(
            display,
            None,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            line=line,
        ) from None


def _parse(text: str, display: str, suffix: str) -> Any:
    """JSON for ``.json`` files; text that looks like JSON is tried as JSON first (fast, and
    libyaml rejects JSON's surrogate-pair escapes), then as YAML; YAML otherwise."""
    suffix = suffix.lower()
    if suffix == ".json":
        return _parse_json(text, display)
    if text.lstrip()[:1] in ("{", "["):
        try:
            return _parse_json(text, display)
        except SpecError as error:
            json_error = error
        try:
            return _parse_yaml(text, display)
        except SpecError:
            if suffix in (".yaml", ".yml"):
                raise
            raise json_error from None
    return _parse_yaml(text, display)


def _parse_json(text: str, display: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = (
            "unexpected content after the end of the JSON document"
            if exc.msg == "Extra data"
            else exc.msg
        )
        raise SpecError(
            display, None, f"invalid JSON: {what} (column {exc.colno})", line=exc.lineno
        ) from None
    except RecursionError:
        raise SpecError(display, None, f"nested more than {MAX_DEPTH} levels deep") from None


# --------------------------------------------------------------------------- YAML


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


def _new_parser(text: str) -> Any:
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


def _parse_yaml(text: str, display: str) -> Any:
    """Build plain data from YAML events with our own limits (depth, aliases, tags, duplicates)."""
    parser = None
    try:
        parser = _new_parser(text)  # PyYAML's own reader checks characters right here
        return _build(parser, display)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.problem, exc.context) if p)
        raise SpecError(
            display, None, f"invalid YAML: {problem}", line=mark.line + 1 if mark else None
        ) from None
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
            if len(stack) >= MAX_DEPTH:
                raise SpecError(
                    display, None, f"nested more than {MAX_DEPTH} levels deep", line=line
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
            if aliases > MAX_ALIASES or alias_nodes > MAX_ALIAS_NODES:
                raise SpecError(
                    display, None,
                    f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); refusing to load",
                    line=line,
                )  # fmt: skip
            if len(stack) + entry[2] > MAX_DEPTH:
                raise SpecError(
                    display, None, f"nested more than {MAX_DEPTH} levels deep", line=line
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


# --------------------------------------------------------------------------- pointers and lines


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

    Composes the text again (only called when reporting an error). Follows local ``$ref``s on
    the way, so a pointer that goes through a reference lands on the definition.
    """
    parts = parse_pointer(pointer) if isinstance(pointer, str) else tuple(pointer)
    if not parts:
        return None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(source_text, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
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


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    return f"a {type(value).__name__} ({str(value)[:40]!r})"


# --------------------------------------------------------------------------- docs pages

_FENCE = re.compile(r"^( {0,3})(`{3,})[ \t]*(?:yaml|yml)(?:[ \t][^`]*)?$")


def extract_openapi_from_page(text: str, source: str) -> str:
    """The OpenAPI YAML embedded in a Mintlify-style docs page, exactly as written there.

    Looks for a fenced block (three or more backticks) tagged ``yaml`` whose content starts
    with ``openapi:``; returns the content between the fences byte for byte.
    """
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index].rstrip("\r\n"))
        index += 1
        if not opening:
            continue
        indent, ticks = len(opening.group(1)), len(opening.group(2))
        closing = re.compile(rf"^ {{0,3}}`{{{ticks},}}[ \t]*$")
        start = index
        while index < len(lines) and not closing.match(lines[index].rstrip("\r\n")):
            index += 1
        body = [
            line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in lines[start:index]
        ]
        content = "".join(body)
        if not content.lstrip("\r\n").startswith("openapi:"):
            index += 1
            continue
        if index >= len(lines):
            raise SpecError(
                source,
                None,
                "the ```yaml block holding the OpenAPI document is never closed",
                line=start,
            )
        return content
    raise SpecError(
        source, None,
        "no OpenAPI document found: expected a ```yaml (or ````yaml) block whose content starts with 'openapi:'",
    )  # fmt: skip


# --------------------------------------------------------------------------- overlays

_Fail = Callable[[Parts, str], SpecError]


def _apply_overlay(document: dict[str, Any], overlay: Path, spec_display: str) -> None:
    """Apply one OpenAPI Overlay 1.0 file to ``document`` in place."""
    from jsonpath_ng.ext import parse as parse_jsonpath  # type: ignore[attr-defined,unused-ignore]

    display = str(overlay)
    text = _read_text(overlay, display)
    data = _parse(text, display, overlay.suffix)

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


# --------------------------------------------------------------------------- $ref bundling and checks

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
    "paths": "pathItems", "webhooks": "pathItems",
}  # fmt: skip
_SCHEMA_MAPS = frozenset(
    ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
)
_COMPONENT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


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
        if len(here) - base >= MAX_DEPTH:
            inner = source_parts + here[base:]
            raise SpecError(
                source.display, pointer_from_parts(inner), f"nested more than {MAX_DEPTH} levels deep",
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
        if role == _OBJECT or role == _EXAMPLE:
            ref = node.get("$ref")
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
                raise self.error(site, "empty $ref")
            if _is_remote(ref):
                raise self.error(
                    site,
                    f"remote $ref {ref!r} is refused: clientgen never fetches from the network; "
                    "save the document beside the spec and refer to it by a relative path",
                )
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
                queue.extend(self.bundle(site, target, fragment))
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
            if len(self.sources) > MAX_REF_FILES:
                raise self.error(
                    site, f"$refs pull in more than {MAX_REF_FILES} files; refusing to go on"
                )
            display = str(Path(self.main.display).parent / path.relative_to(self.root_dir))
            text = _read_text(path, display)
            source = _Source(path, display, text, _parse(text, display, path.suffix))
            self.sources[path] = source
        parts = parse_pointer(fragment)
        if parts is None:
            raise self.error(
                site, f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported"
            )
        matched, target = resolve_parts(source.document, parts)
        if matched < len(parts):
            raise self.error(
                site,
                f"$ref {ref!r} points to nothing: {source.display} has no {pointer_from_parts(parts[: matched + 1])}",
            )
        if not isinstance(target, (dict, bool)):
            raise self.error(site, f"$ref {ref!r} points to {_kind(target)}, not an object")
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
        """Every local reference reaches something, and no chain of references loops."""
        settled: set[str] = set()
        for site in sites:
            ref = site.holder[site.key]
            if not ref.startswith("#"):
                continue
            chain = [ref]
            node = self.target(site, ref)
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
                node = self.target(site, ref)
            settled.update(chain)

    def target(self, site: _Site, ref: str) -> Any:
        parts = parse_pointer(ref[1:])
        if parts is None:
            raise self.error(
                site, f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported"
            )
        matched, node = resolve_parts(self.document, parts)
        if matched < len(parts):
            missing = pointer_from_parts(parts[: matched + 1])
            raise self.error(site, f"$ref {ref!r} points to nothing: the document has no {missing}")
        return node

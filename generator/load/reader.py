"""Read a file the user gave us into plain data: size limit, encoding checks, JSON or YAML.

Spec, overlay and every file a ``$ref`` pulls in come through here; YAML goes on to
:mod:`.yaml_builder`, which applies the nesting and alias limits while it builds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .. import load as limits  # the MAX_* limits, read at call time: see the package
from ..errors import SpecError
from .yaml_builder import parse_yaml

__all__ = ["describe_value", "parse_text", "read_text"]


def read_text(path: Path, display: str) -> str:
    """The file's text, refusing what cannot be an API description before parsing it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError(display, None, "file not found") from None
    except IsADirectoryError:
        raise SpecError(display, None, "is a directory, not a file") from None
    except OSError as exc:
        raise SpecError(display, None, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise SpecError(
            display,
            None,
            f"file is larger than the {limits.MAX_FILE_BYTES // (1024 * 1024)} MiB limit",
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


def parse_text(text: str, display: str, suffix: str) -> Any:
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
            return parse_yaml(text, display)
        except SpecError:
            if suffix in (".yaml", ".yml"):
                raise
            raise json_error from None
    return parse_yaml(text, display)


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
        raise SpecError(display, None, f"nested more than {limits.MAX_DEPTH} levels deep") from None
    except ValueError:  # an integer longer than Python's digit limit: locate the number
        found = re.search(r"\d{4000,}", text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise SpecError(
            display, None, "invalid JSON: a number with thousands of digits", line=line
        ) from None


def describe_value(value: Any) -> str:
    """What a value is, for messages: "a mapping", "a list", "a str ('...')"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    return f"a {type(value).__name__} ({str(value)[:40]!r})"

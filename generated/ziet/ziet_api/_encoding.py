"""Turning call arguments into the parts of an HTTP request, safely.

Path parameters cannot escape their segment, header values cannot smuggle extra headers, and
pydantic models are sent with exactly the fields the caller set.
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
import os
import re
import sys
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeAlias,
    TypedDict,
    TypeGuard,
    get_args,
    get_origin,
)
from urllib.parse import quote

from pydantic_core import to_jsonable_python

from ._types import BodyEncoding, NotGiven

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "BodyParts",
    "HeaderMap",
    "check_header",
    "encode_body",
    "encode_cookies",
    "encode_headers",
    "is_model",
    "render_path",
    "set_headers",
    "to_jsonable",
]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


class BodyParts(TypedDict, total=False):
    """Keyword arguments for `httpx.Client.build_request` that carry the body."""

    json: Any
    data: Mapping[str, Any]
    files: list[tuple[str, Any]]
    content: Any


HeaderMap: TypeAlias = dict[str, tuple[str, str]]
"""Headers by lower-case name: (name as given, value). Setting one replaces any other casing."""


def set_headers(target: HeaderMap, headers: Mapping[str, str]) -> None:
    """Put `headers` over `target`, case-insensitively, as `httpx.Headers.update` would."""
    for name, value in headers.items():
        key = name.lower()
        target.pop(key, None)  # the new value goes last, as httpx orders it
        target[key] = (name, value)


def is_model(value: object) -> TypeGuard[BaseModel]:
    """`isinstance(value, BaseModel)` without importing pydantic's models to find out.

    No model can exist before `pydantic.main` is imported, and importing it costs more than
    the rest of a client together, so calls that send no model never pay for it.
    """
    main = sys.modules.get("pydantic.main")
    return main is not None and isinstance(value, main.BaseModel)


def render_path(template: str, params: Mapping[str, object]) -> str:
    """Fill `{name}` placeholders, percent-encoding every character that could change the path."""
    parts = _path_parts(template)
    if len(parts) == 1:
        return template
    rendered = [parts[0]]
    for i in range(1, len(parts), 2):
        rendered += (_path_value(parts[i], params), parts[i + 1])
    return "".join(rendered)


@functools.lru_cache(maxsize=1024)
def _path_parts(template: str) -> tuple[str, ...]:
    """Literal text and placeholder names, alternating (a template is parsed once, not per call)."""
    return tuple(_PLACEHOLDER.split(template))


def _path_value(name: str, params: Mapping[str, object]) -> str:
    if name not in params:
        raise ValueError(f"missing path parameter {name!r}")
    value = _scalar(params[name])
    if value == "":
        raise ValueError(f"path parameter {name!r} must not be empty")
    if value in (".", ".."):
        return value.replace(".", "%2E")
    return quote(value, safe="")


def encode_headers(headers: Mapping[str, object] | None) -> dict[str, str]:
    """Header values as strings, unset ones dropped, each checked with `check_header`."""
    encoded: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        encoded[name] = check_header(name, _scalar(value))
    return encoded


def check_header(name: str, value: str) -> str:
    """Refuse CR, LF and NUL, which would split or end the header block.

    The message names the header only: its value may be a credential.
    """
    if any(char in name for char in "\r\n\0:") or not name.strip():
        raise ValueError(f"invalid header name {name!r}")
    if any(char in value for char in "\r\n\0"):
        raise ValueError(f"header {name!r} has a value containing CR, LF or NUL")
    return value


def encode_cookies(cookies: Mapping[str, object]) -> str | None:
    """A `Cookie` header value; values are percent-encoded outside the cookie-octet set."""
    pairs = [
        f"{name}={quote(_scalar(value), safe=_COOKIE_SAFE)}"
        for name, value in cookies.items()
        if value is not None and not isinstance(value, NotGiven)
    ]
    return "; ".join(pairs) or None


def encode_body(
    body: object, encoding: BodyEncoding | None, part_types: Mapping[str, str] | None = None
) -> BodyParts:
    """The body arguments for httpx, by the operation's declared encoding (`part_types`: the
    `Content-Type` of multipart parts that declare one)."""
    if body is None or isinstance(body, NotGiven):
        return {}
    if encoding == "binary" or isinstance(body, (bytes, bytearray, os.PathLike)):
        return {"content": body}
    if encoding == "text":
        text = body if isinstance(body, str) else _scalar(to_jsonable(body))
        return {"content": text.encode("utf-8")}
    if encoding == "form":
        return {"data": _form_fields(body)}
    if encoding == "multipart":
        return _multipart(body, part_types or {})
    return {"json": to_jsonable(body)}


def _with_tags(model: BaseModel, data: Any) -> Any:
    """``data`` (a dump of ``model``) plus the constant tags the caller left at their default,
    less the fields the spec marks ``readOnly`` (a model read from a response can be sent back)
    and less a ``None`` in an optional field the spec does not let be null.

    A discriminator field such as ``type: Literal["goto"] = "goto"`` is never "set" by a caller
    who builds ``GotoAction(url=...)``, so ``exclude_unset`` would drop it; the server needs it.
    An optional field reads ``None`` when absent; the generator marks it
    ``json_schema_extra={"x-nullable": False}`` when its schema does not allow null, and then
    ``Thing(label=None)`` means "no label": it is left out, never sent as ``null``. A field
    that may be null is not marked, and its ``None`` is sent as ``null`` (how one clears it).
    """
    if not isinstance(data, dict):
        return data
    values = model.__dict__  # not getattr: reading a deprecated field warns
    for name, field in type(model).model_fields.items():
        key = field.serialization_alias or field.alias or name
        extra = field.json_schema_extra
        marks = extra if isinstance(extra, dict) else {}
        if marks.get("readOnly") is True:
            data.pop(key, None)  # the server's to set: never sent, even when the model holds it
        elif marks.get("x-nullable") is False and values.get(name) is None:
            data.pop(key, None)  # None means absent here: the schema does not allow null
        elif name not in model.model_fields_set:
            if get_origin(field.annotation) is Literal and get_args(field.annotation) == (
                field.default,
            ):
                data[key] = field.default
        elif key in data:
            data[key] = _nested_tags(values.get(name), data[key])
    return data


def _nested_tags(value: object, data: Any) -> Any:
    if is_model(value):
        return _with_tags(value, data)
    if isinstance(value, (list, tuple)) and isinstance(data, list):
        return [_nested_tags(item, dumped) for item, dumped in zip(value, data)]
    if isinstance(value, Mapping) and isinstance(data, dict):
        return {k: _nested_tags(value[k], d) if k in value else d for k, d in data.items()}
    return data


def to_jsonable(value: object) -> Any:
    """JSON-ready data; models anywhere inside are dumped by alias, with only the fields set.

    Entries of plain dicts that are `NOT_GIVEN` are left out, as they are for models.
    """
    if is_model(value):
        return _with_tags(value, value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    if isinstance(value, Mapping):
        return {
            str(key): to_jsonable(item)
            for key, item in value.items()
            if not isinstance(item, NotGiven)
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in value]
    return to_jsonable_python(value)


def _form_fields(body: object) -> dict[str, Any]:
    data = to_jsonable(body)
    if not isinstance(data, dict):
        raise TypeError(f"a form body must be an object, not {type(body).__name__}")
    return {key: _form_value(value) for key, value in data.items() if value is not None}


def _form_value(value: object) -> str | list[str]:
    if isinstance(value, list):
        return [_scalar(item) for item in value]
    return _scalar(value)


def _multipart(body: object, part_types: Mapping[str, str]) -> BodyParts:
    """Every field as a part (plain fields without a filename), so the body is always multipart;
    a plain field whose part declares a `Content-Type` is sent with it, an object as JSON."""
    if is_model(body):
        body = body.model_dump(by_alias=True, exclude_unset=True)
    if not isinstance(body, Mapping):
        raise TypeError(f"a multipart body must be an object, not {type(body).__name__}")
    parts: list[tuple[str, Any]] = []
    for key, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, NotGiven):
                continue
            if _is_file(item):
                parts.append((key, item))
                continue
            data = to_jsonable(item)
            if key in part_types or isinstance(data, dict):  # an object: JSON, OpenAPI's default
                kind = part_types.get(key, "application/json")
                parts.append((key, (None, _scalar(data), kind)))
            else:
                parts.append((key, (None, _scalar(data))))
    return {"files": parts}


def _is_file(value: object) -> bool:
    if isinstance(value, tuple):
        return 2 <= len(value) <= 3 and _is_file(value[1])
    return isinstance(value, (bytes, bytearray, os.PathLike)) or hasattr(value, "read")


def _scalar(value: object) -> str:
    """How a single value is written in a path, query, header or form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)

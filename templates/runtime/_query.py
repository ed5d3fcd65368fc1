"""Query strings exactly as OpenAPI serializes parameters (`style`, `explode`, `allowReserved`).

The query string is written here, byte for byte, rather than by httpx: OpenAPI's delimiters
(`,` `|` `%20` and deepObject's brackets) are sent as the spec's style table shows them, while
every character of a name or value that is not unreserved (RFC 3986) is percent-encoded, so a
comma inside a value can never be read as a delimiter. With `allowReserved`, reserved
characters that keep their meaning in a query (`:/?@!$'()*,;`) and existing percent-encoded
triples pass through unchanged; `[ ] # & = +` are still encoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias
from urllib.parse import quote

from ._encoding import _scalar as scalar
from ._encoding import is_model, to_jsonable
from ._types import NotGiven

__all__ = ["QueryStyle", "encode_form", "encode_query", "encode_pairs", "quote_query"]

Style: TypeAlias = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject", "json"]

_RESERVED_KEPT = ":/?@!$'()*,;"
_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")
_DELIMITERS: Mapping[str, str] = {"spaceDelimited": "%20", "pipeDelimited": "|"}


@dataclass(frozen=True)
class QueryStyle:
    """How one query parameter is serialized: OpenAPI's `style`, `explode`, `allowReserved`.

    `style="json"` is a parameter declared with `content: application/json`: its value is sent
    as JSON text. Parameters without a `QueryStyle` are written as form with explode for
    scalars and arrays (`a=1&a=2`), and as `name[field]=value` for objects.
    """

    style: Style = "form"
    explode: bool = True
    allow_reserved: bool = False


def quote_query(text: str, allow_reserved: bool = False) -> str:
    """`text` percent-encoded for a query name or value (spaces as `%20`)."""
    if not allow_reserved:
        return quote(text, safe="")
    pieces = _TRIPLE.split(text)  # odd indexes: percent-encoded triples, kept as they are
    return "".join(p if i % 2 else quote(p, safe=_RESERVED_KEPT) for i, p in enumerate(pieces))


def encode_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Plain (name, value) pairs, such as the query parameters of auth, percent-encoded."""
    return [(quote_query(name), quote_query(value)) for name, value in pairs]


def encode_query(
    query: Mapping[str, object] | None, styles: Mapping[str, QueryStyle] | None = None
) -> list[tuple[str, str]]:
    """Percent-encoded (name, value) pairs of a call's query, unset values dropped."""
    pairs: list[tuple[str, str]] = []
    for name, value in (query or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        style = (styles or {}).get(name)
        if is_model(value):
            value = to_jsonable(value)
        if style is None:
            _default(pairs, quote_query(name), value)
        else:
            _styled(pairs, name, value, style)
    return pairs


def encode_form(body: object, styles: Mapping[str, QueryStyle]) -> bytes:
    """An `application/x-www-form-urlencoded` body whose fields follow the spec's `encoding`
    (`styles`, by JSON name: deepObject, form without explode, a JSON field); the other fields
    as OpenAPI's defaults write them: arrays exploded, objects as JSON text."""
    data = to_jsonable(body)
    if not isinstance(data, Mapping):
        raise TypeError(f"a form body must be an object, not {type(body).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, value in data.items():
        if value is None:
            continue
        style = styles.get(name)
        if style is not None:
            _styled(pairs, name, value, style)
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((quote_query(name), quote_query(scalar(item))))
    return "&".join(f"{name}={value}" for name, value in pairs).encode("ascii")


def _default(pairs: list[tuple[str, str]], key: str, value: object) -> None:
    if value is None or isinstance(value, NotGiven):
        return
    if isinstance(value, Mapping):
        for field_name, item in value.items():
            _default(pairs, f"{key}[{quote_query(str(field_name))}]", item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _default(pairs, key, item)
    else:
        pairs.append((key, quote_query(scalar(value))))


def _styled(pairs: list[tuple[str, str]], name: str, value: object, style: QueryStyle) -> None:
    reserved = style.allow_reserved
    key = quote_query(name)

    def text(item: object) -> str:
        return quote_query(scalar(item), reserved)

    if style.style == "json":
        encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        pairs.append((key, quote_query(encoded, reserved)))
        return
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items() if v is not None]
        if not items:
            return
        if style.style == "deepObject":
            for field_name, item in items:
                _default(pairs, f"{key}[{quote_query(field_name)}]", item)
        elif style.explode:  # form (and the other styles, which OpenAPI leaves undefined here)
            pairs.extend((quote_query(k, reserved), text(v)) for k, v in items)
        else:
            delimiter = _DELIMITERS.get(style.style, ",")
            pairs.append((key, delimiter.join(text(part) for kv in items for part in kv)))
    elif isinstance(value, (list, tuple, set, frozenset)):
        values = [item for item in value if item is not None]
        if not values:
            return
        if style.explode or style.style == "deepObject":
            pairs.extend((key, text(item)) for item in values)
        else:
            delimiter = _DELIMITERS.get(style.style, ",")
            pairs.append((key, delimiter.join(text(item) for item in values)))
    else:
        pairs.append((key, text(value)))

"""RFC 8288 `Link` headers, parsed properly: `link`-style pagination follows `rel="next"`.

A naive split on `,` and `;` breaks on URLs and quoted parameters that contain them, so the
header is read character by character: `<target>` then `; name=value` parameters (token or
quoted string), links separated by commas.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

__all__ = ["Link", "find_link", "parse_link_header"]

Link = tuple[str, dict[str, str]]
"""A target URL as written (maybe relative) and its parameters (lower-case names)."""

_SPACE = " \t"


def parse_link_header(value: str) -> list[Link]:
    """Every link in a `Link` header value; malformed parts are skipped, never raised on."""
    links: list[Link] = []
    i, end = 0, len(value)
    while i < end:
        start = value.find("<", i)
        if start < 0:
            break
        close = value.find(">", start)
        if close < 0:
            break
        target, params = value[start + 1 : close].strip(), {}
        i = close + 1
        while True:
            while i < end and value[i] in _SPACE:
                i += 1
            if i >= end or value[i] != ";":
                break
            name, param_value, i = _param(value, i + 1)
            if name and name not in params:  # RFC 8288: later occurrences are ignored
                params[name] = param_value
        links.append((target, params))
        comma = value.find(",", i)
        i = end if comma < 0 else comma + 1
    return links


def _param(value: str, i: int) -> tuple[str, str, int]:
    """One `name[=value]` parameter starting at `i`; returns it and where it ends."""
    end = len(value)
    start = i
    while i < end and value[i] not in "=;,":
        i += 1
    name = value[start:i].strip().lower()
    if i >= end or value[i] != "=":
        return name, "", i
    i += 1
    while i < end and value[i] in _SPACE:
        i += 1
    if i < end and value[i] == '"':
        chars: list[str] = []
        i += 1
        while i < end and value[i] != '"':
            if value[i] == "\\" and i + 1 < end:
                i += 1
            chars.append(value[i])
            i += 1
        return name, "".join(chars), i + 1
    start = i
    while i < end and value[i] not in ";,":
        i += 1
    return name, value[start:i].strip(), i


def find_link(header_values: Iterable[str], rel: str, base: httpx.URL) -> str | None:
    """The first link whose `rel` (space-separated, case-insensitive) includes `rel`, resolved
    against `base` (the URL of the request the header answered)."""
    for header in header_values:
        for target, params in parse_link_header(header):
            if rel.lower() in params.get("rel", "").lower().split():
                return str(base.join(target))
    return None

"""Docs pages (Mintlify and the like) that embed the OpenAPI document in a fenced YAML block."""

from __future__ import annotations

import re

from ..errors import SpecError

__all__ = ["extract_openapi_from_page"]

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

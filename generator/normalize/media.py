"""Media types: which of a body's or response's content an operation uses, and how."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import BodyEncoding

__all__ = ["is_form", "is_json", "pick_media_type"]

ENCODINGS: tuple[tuple[str, BodyEncoding], ...] = (
    ("application/json", "json"),
    ("application/x-www-form-urlencoded", "form"),
    ("multipart/form-data", "multipart"),
    ("application/octet-stream", "binary"),
)


def pick_media_type(content: Mapping[str, Any]) -> tuple[str, BodyEncoding]:
    for wanted, encoding in ENCODINGS:
        for media_type in content:
            if media_type.split(";")[0].strip().lower() == wanted:
                return media_type, encoding
    for media_type in content:
        if is_json(media_type):
            return media_type, "json"
    return next(iter(content)), "binary"


def is_form(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


def is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"

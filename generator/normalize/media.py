"""Media types: which of a body's or response's content an operation uses, and how."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..ir import BodyEncoding

__all__ = ["accept_of", "encoding_of", "fits", "is_form", "is_json", "pick_media_type"]

ENCODINGS: tuple[tuple[str, BodyEncoding], ...] = (
    ("application/json", "json"),
    ("application/x-www-form-urlencoded", "form"),
    ("multipart/form-data", "multipart"),
    ("application/octet-stream", "binary"),
)
# type/subtype, then parameters (`; charset=utf-8`): what may go in a Content-Type or Accept header
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+/[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*;[ -~]*)?")
# which encodings can send the same arguments: a body of fields (an object), a str, bytes,
# another value (a list, a union), or fields with files (only multipart sends files)
_FITS: Mapping[str, tuple[BodyEncoding, ...]] = {
    "fields": ("json", "form", "multipart"),
    "files": ("multipart",),
    "str": ("json", "text"),
    "bytes": ("binary", "text"),
    "value": ("json",),
}


def pick_media_type(content: Mapping[str, Any]) -> tuple[str, BodyEncoding]:
    """The media type a request body is sent as by default: JSON first, then a form, then
    bytes; a text/* body (text/plain, text/csv) is a str."""
    for wanted, encoding in ENCODINGS:
        for media_type in content:
            if _base(media_type) == wanted:
                return media_type, encoding
    for media_type in content:
        if is_json(media_type):
            return media_type, "json"
    for media_type in content:
        if _base(media_type).startswith("text/"):
            return media_type, "text"
    return next(iter(content)), "binary"


def encoding_of(media_type: str) -> BodyEncoding | None:
    """How a body of ``media_type`` is encoded; None for what no client can send as such (a
    key that is no media type, multipart other than form-data)."""
    base = _base(media_type)
    if not _MEDIA_TYPE.fullmatch(media_type.strip()):
        return None
    if is_json(base):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base.startswith("multipart/"):
        return None
    return "text" if base.startswith("text/") else "binary"


def fits(shape: str, encoding: BodyEncoding) -> bool:
    """Whether a body of ``shape`` ("fields", "files", "str", "bytes", "value") can be sent
    with ``encoding``, the method's arguments unchanged."""
    return encoding in _FITS.get(shape, ())


def accept_of(media_types: Iterable[str]) -> str | None:
    """The ``Accept`` header of an operation whose 2xx bodies are ``media_types``, when the
    client's default (``application/json``) is not among them: text/csv, text/plain, or a JSON
    type of the vendor's own (``application/scim+json``), which a server may insist on."""
    declared = list(dict.fromkeys(m.strip() for m in media_types))
    bases = {_base(m) for m in declared}
    if not declared or bases & {"application/json", "*/*"}:
        return None
    if all(
        (_base(m).startswith("text/") or is_json(m)) and _MEDIA_TYPE.fullmatch(m) for m in declared
    ):
        return ", ".join(declared)
    return None


def is_form(media_type: str) -> bool:
    return _base(media_type) == "application/x-www-form-urlencoded"


def is_json(media_type: str) -> bool:
    base = _base(media_type)
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _base(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()

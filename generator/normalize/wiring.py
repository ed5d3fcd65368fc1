"""What an operation's method returns besides a parsed body: a stream, a download, or pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import Body, Pagination, Parameter, Streaming
from .pagination import PageDetector
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .shapes import UNREADABLE, unreadable_reason
from .streaming import StreamDetector, upload_body


class Wiring:
    def __init__(self, resolver: RefResolver, schemas: SchemaNormalizer) -> None:
        self._streams = StreamDetector(resolver, schemas)
        self._pages = PageDetector(resolver, schemas)
        self.warnings = self._pages.warnings

    def detect(
        self,
        op: Mapping[str, Any],
        pointer: str,
        base: str,
        parameters: list[Parameter],
        body: Body | None,
        result_schema: Mapping[str, Any] | None,
    ) -> tuple[Streaming | None, Pagination | None, str | None]:
        """Streams and downloads (:mod:`.streaming`) or pages (:mod:`.pagination`), and the
        result they give the method instead of the JSON one (a stream's item), if any."""
        try:
            streaming, result = self._streams.detect(op, pointer, base, body)
        except UNREADABLE as exc:
            reason = unreadable_reason(exc)
            self.warnings.append(f"{pointer}/responses: cannot be read ({reason}); not streamed")
            streaming, result = None, None
        if streaming is not None:
            return streaming, None, streaming.item if streaming.condition is None else result
        return None, self._pages.detect(op, pointer, parameters, body, result_schema), None


__all__ = ["Wiring", "upload_body"]

"""`Endpoint`: everything the runtime needs to know about one operation, declared once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._types import BodyEncoding, Security, StreamFormat

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ._query import QueryStyle

__all__ = ["STREAM_ACCEPT", "Endpoint"]

T = TypeVar("T")

STREAM_ACCEPT: Mapping[StreamFormat, str] = {
    "sse": "text/event-stream",
    "jsonl": "application/jsonl, application/x-ndjson",
    "json-seq": "application/json-seq",
    "binary": "*/*",
}
"""The `Accept` header of a streamed operation, unless the call sets one."""


@dataclass(frozen=True, eq=False)
class Endpoint(Generic[T]):
    """One operation, as a module-level constant in generated code: `Endpoint[Run](...)`.

    `result` is the annotation a 2xx JSON body is validated against (`None`: no body is
    expected; `Any`: the decoded JSON; `bytes`: the raw body). `errors` maps status keys of the
    spec ("404", "4XX", "default") to the models of declared error bodies. `security` is an OR of
    ANDs of scheme names, `()` meaning no auth. `query_styles` gives the `style`, `explode` and
    `allowReserved` of query parameters that need them (see `_query`). Instances compare by
    identity.

    Streamed operations (`client._stream`, `client._download`) also say their `stream` format;
    for a stream, `result` is the type of one item, `events` maps SSE event names to item types
    (when the item type depends on the name) and `terminator` is the `data` that ends it.
    """

    method: str
    path: str
    result: Any
    errors: Mapping[str, Any] = field(default_factory=dict)
    query_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    """How query parameters (by JSON name) are serialized, where OpenAPI's default does not do."""
    security: Security = ()
    idempotency_header: str | None = None
    body_encoding: BodyEncoding | None = None
    body_type: Any = None
    """The type a whole request body is checked against before sending (None: not checked)."""
    media_types: Mapping[str, BodyEncoding] = field(default_factory=dict)
    """The media types the body may be sent as (`RequestOptions.content_type`), the default
    first, each with its encoding; empty: the usual one of `body_encoding`."""
    body_styles: Mapping[str, QueryStyle] = field(default_factory=dict)
    """How form fields (by JSON name) are written, where OpenAPI's default does not do."""
    part_types: Mapping[str, str] = field(default_factory=dict)
    """The `Content-Type` of multipart parts (by JSON name) that declare one."""
    accept: str | None = None
    """The `Accept` header, when the 2xx bodies are not JSON (text/csv), unless the call sets one."""
    redirect: bool = False
    """The spec's answer is a redirect (3xx, no 2xx): the result is the `Location` URL, absolute,
    and the redirect is not followed (credentials stay with this host)."""
    stream: StreamFormat | None = None
    events: Mapping[str, Any] = field(default_factory=dict)
    terminator: str | None = None
    _adapters: dict[str, TypeAdapter[Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def result_adapter(self) -> TypeAdapter[T]:
        """The cached validator for 2xx bodies."""
        return self._adapter("result", self.result)

    def event_adapter(self, event: str) -> TypeAdapter[Any] | None:
        """The cached validator of stream items of an SSE event name given in `events`."""
        if event not in self.events:
            return None
        return self._adapter("event:" + event, self.events[event])

    def body_adapter(self) -> TypeAdapter[Any] | None:
        """The cached validator of request bodies that are not one model (unions, lists)."""
        return None if self.body_type is None else self._adapter("body", self.body_type)

    def error_adapter(self, status_code: int) -> TypeAdapter[Any] | None:
        """The cached validator of a declared error body: exact status, range, then default."""
        keys = {key.upper(): key for key in self.errors}
        for candidate in (str(status_code), f"{status_code // 100}XX", "DEFAULT"):
            if candidate in keys:
                key = keys[candidate]
                return self._adapter(key, self.errors[key])
        return None

    def body_media(self, content_type: str | None) -> tuple[BodyEncoding | None, str | None]:
        """The encoding and `Content-Type` of a body sent as `content_type` (None: the default)."""
        if content_type is None:
            first = next(iter(self.media_types.items()), None)
            return (self.body_encoding, None) if first is None else (first[1], first[0])
        if content_type not in self.media_types:
            declared = ", ".join(self.media_types) or "no other"
            raise ValueError(f"content_type {content_type!r} is not declared here ({declared})")
        return self.media_types[content_type], content_type

    def _adapter(self, key: str, annotation: Any) -> TypeAdapter[Any]:
        adapter = self._adapters.get(key)
        if adapter is None:
            # Imported on first use: pydantic's model machinery is most of a cold import.
            from pydantic import TypeAdapter

            adapter = self._adapters[key] = TypeAdapter(annotation)
        return adapter

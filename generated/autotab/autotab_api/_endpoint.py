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

    def _adapter(self, key: str, annotation: Any) -> TypeAdapter[Any]:
        adapter = self._adapters.get(key)
        if adapter is None:
            # Imported on first use: pydantic's model machinery is most of a cold import.
            from pydantic import TypeAdapter

            adapter = self._adapters[key] = TypeAdapter(annotation)
        return adapter

"""What the round trips over the corpus (``tests/clients/test_corpus_roundtrip.py``) found the
generator mis-reading, on small specs.

Cohere's stream events share a base whose ``event_type`` enum lists every tag, and the
discriminator's mapping tells the events apart (two by tags the enum has not caught up with):
the union was plain, every branch accepting every tag, so a ``debug`` event parsed as the
first branch of the union.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from tests.fixtures.normalize.build import Generated, generated, spec

REF = "#/components/schemas/"
EVENTS = {
    "StreamEvent": {
        "type": "object",
        "required": ["event_type"],
        "properties": {"event_type": {"type": "string", "enum": ["stream-start", "text", "debug"]}},
    },
    "StartEvent": {
        "allOf": [
            {"$ref": REF + "StreamEvent"},
            {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}},
        ]
    },
    "TextEvent": {
        "allOf": [
            {"$ref": REF + "StreamEvent"},
            {"type": "object", "properties": {"text": {"type": "string"}}},
        ]
    },
    "DebugEvent": {
        "allOf": [
            {"$ref": REF + "StreamEvent"},
            {"type": "object", "properties": {"prompt": {"type": "string"}}},
        ]
    },
    "ToolCallsEvent": {
        "allOf": [
            {"$ref": REF + "StreamEvent"},
            {"type": "object", "properties": {"calls": {"type": "array", "items": {}}}},
        ]
    },
    "Streamed": {
        "oneOf": [
            {"$ref": REF + name}
            for name in ("StartEvent", "TextEvent", "ToolCallsEvent", "DebugEvent")
        ],
        "discriminator": {
            "propertyName": "event_type",
            "mapping": {
                "stream-start": REF + "StartEvent",
                "text": REF + "TextEvent",
                "tool-calls": REF + "ToolCallsEvent",  # not in the shared enum
                "debug": REF + "DebugEvent",
            },
        },
    },
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp("roundtrip_findings")
    with generated(spec(EVENTS), folder, "norm_roundtrip_findings") as package:
        yield package


@pytest.mark.parametrize(
    ("event", "cls"),
    [
        ({"event_type": "debug"}, "DebugEvent"),
        ({"event_type": "debug", "prompt": "p"}, "DebugEvent"),
        ({"event_type": "text"}, "TextEvent"),
        ({"event_type": "stream-start", "id": "s"}, "StartEvent"),
        ({"event_type": "tool-calls", "calls": []}, "ToolCallsEvent"),
    ],
)
def test_a_shared_enum_of_tags_is_told_apart_by_the_mapping(
    events: Generated, event: dict[str, Any], cls: str
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(events.models.Streamed)
    parsed = adapter.validate_python(event)
    assert type(parsed).__name__ == cls
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == event


def test_each_event_takes_only_its_own_tags(events: Generated) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(events.models.Streamed)
    with pytest.raises(ValidationError):
        adapter.validate_python({"event_type": "stream-end"})
    with pytest.raises(ValidationError):  # the tag says debug: no other branch takes it
        events.models.TextEvent.model_validate({"event_type": "debug"})

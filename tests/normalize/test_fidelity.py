"""Generated clients send what OpenAPI says and take what the body schema needs (issue #20).

A small spec goes through the whole pipeline; the client is called against an
``httpx.MockTransport`` that records each request as it would go on the wire.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError
import pytest

from tests.fixtures.normalize.build import Generated, fixture, generated


@pytest.fixture(scope="module")
def fidelity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp("fidelity")
    with generated(fixture("fidelity.yaml"), folder, "norm_fidelity") as built:
        yield built


class Wire:
    def __init__(self, built: Generated, answer: Any = None) -> None:
        self.answer = {} if answer is None else answer
        self.requests: list[httpx.Request] = []
        self.client = built.client_class(
            base_url="http://test.invalid",
            http_client=httpx.Client(transport=httpx.MockTransport(self)),
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=self.answer)

    @property
    def query(self) -> str:
        return self.requests[-1].url.raw_path.decode("ascii").partition("?")[2]


def test_query_parameters_follow_their_declared_style(fidelity: Generated) -> None:
    wire = Wire(fidelity)

    wire.client.colors.list(
        form=["blue", "black"],
        exploded=["a b", "c"],
        space=["blue", "black"],
        pipe=[1, 2],
        point={"R": 100, "G": 200},
        flat=fidelity.models.Point(R=1, B=3),
        deep={"R": 100, "B": 150},
        path="/a/b?c,d",
        filter={"k": [1]},
    )

    assert wire.query == "&".join(
        [
            "form=blue,black",
            "exploded=a%20b&exploded=c",
            "space=blue%20black",
            "pipe=1|2",
            "R=100&G=200",  # an object in form style, exploded: OpenAPI's default
            "flat=R,1,B,3",
            "deep[R]=100&deep[B]=150",
            "path=/a/b?c,d",
            "filter=%7B%22k%22%3A%5B1%5D%7D",
        ]
    )


def test_required_body_fields_are_required_arguments_even_in_an_optional_body(
    fidelity: Generated,
) -> None:
    """Twilio's Calls.create: the body is not marked required, its schema requires To, From."""
    create = inspect.signature(fidelity.package.resources.calls.CallsResource.create)
    required = [
        name for name, p in create.parameters.items() if p.default is inspect.Parameter.empty
    ]
    assert required == ["self", "to", "from_"]
    wire = Wire(fidelity)

    wire.client.calls.create(to="+1", from_="+2")

    assert wire.requests[-1].content == b"To=%2B1&From=%2B2"


def test_an_invalid_argument_raises_the_package_error_naming_it(fidelity: Generated) -> None:
    wire = Wire(fidelity)
    errors = fidelity.package.errors

    with pytest.raises(errors.InvalidArgumentError) as caught:
        wire.client.calls.create(to="+1", from_=["not", "a", "string"], timeout_=...)
    assert caught.value.argument == "from_"
    assert isinstance(caught.value, errors.APIError) and isinstance(caught.value, ValueError)
    with pytest.raises(errors.InvalidArgumentError, match="timeout_="):
        wire.client.calls.create(to="+1", from_="+2", timeout_="soon")
    assert wire.requests == []


def test_an_optional_body_of_optional_fields_is_not_sent_when_none_is_given(
    fidelity: Generated,
) -> None:
    wire = Wire(fidelity)

    wire.client.notes.create()
    wire.client.notes.create(pinned=False)

    assert [r.content for r in wire.requests] == [b"", b'{"pinned":false}']
    assert "content-type" not in wire.requests[0].headers


def test_the_ir_carries_each_parameters_serialization(fidelity: Generated) -> None:
    (operation,) = fidelity.api.resources[0].operations
    styles: dict[str, Any] = {
        p.json_name: (p.style, p.explode, p.allow_reserved, p.structured)
        for p in operation.parameters
    }
    assert styles == {
        "form": ("form", False, False, False),
        "exploded": ("form", True, False, False),
        "space": ("spaceDelimited", False, False, False),
        "pipe": ("pipeDelimited", False, False, False),
        "point": ("form", True, False, True),
        "flat": ("form", False, False, True),
        "deep": ("deepObject", True, False, True),
        "path": ("form", True, True, False),
        "filter": ("json", False, False, True),
    }


def test_read_only_properties_are_never_sent(fidelity: Generated) -> None:
    """A model read from a response can go back as a request: its readOnly fields stay home."""
    thing = fidelity.models.Thing.model_validate({"id": "t1", "name": "n", "label": "x"})
    assert thing.id == "t1"
    assert fidelity.package._encoding.to_jsonable(thing) == {"name": "n", "label": "x"}
    replace = inspect.signature(fidelity.package.resources.things.ThingsResource.replace)
    assert "id" in replace.parameters and "secret" in replace.parameters
    assert replace.parameters["secret"].default is not inspect.Parameter.empty
    wire = Wire(fidelity, answer={"id": "t1", "name": "n"})

    wire.client.things.replace("t1", name="n", token="k")

    assert wire.requests[-1].content == b'{"name":"n","token":"k"}'


def test_an_optional_non_nullable_property_is_never_sent_as_null(fidelity: Generated) -> None:
    thing = fidelity.models.Thing.model_validate({"name": "n"})
    assert fidelity.package._encoding.to_jsonable(thing) == {"name": "n"}
    wire = Wire(fidelity, answer={"id": "t1", "name": "n"})

    wire.client.things.replace("t1", name="n", token="k")  # label, secret: not given, not sent

    assert b"null" not in wire.requests[-1].content


def test_none_in_an_optional_non_nullable_property_is_left_out_everywhere(
    fidelity: Generated,
) -> None:
    """``label=None`` means "no label" where the schema does not allow null: at the top, in a
    nested model, in a list of models, and through the method's keyword arguments."""
    models = fidelity.models
    part = models.Part(label=None, note=None)
    thing = models.Thing(name="n", label=None, secret=None, main=part, parts=[part, part])
    assert thing.label is None  # reading: an absent field is None, as its type says
    assert fidelity.package._encoding.to_jsonable(thing) == {
        "name": "n",
        "main": {"note": None},
        "parts": [{"note": None}, {"note": None}],
    }
    wire = Wire(fidelity, answer={"id": "t1", "name": "n"})

    wire.client.things.replace(
        "t1", name="n", token="k", label=None, main=part, parts=[{"label": None}]
    )

    assert (
        wire.requests[-1].content == b'{"name":"n","main":{"note":null},"parts":[{}],"token":"k"}'
    )


def test_none_in_a_nullable_property_is_sent_as_null(fidelity: Generated) -> None:
    """``nullable``, ``type: [X, "null"]``, a null branch: None is how a caller clears it."""
    thing = fidelity.models.Thing(name="n", note=None, color=None, size=None)
    assert fidelity.package._encoding.to_jsonable(thing) == {
        "name": "n",
        "note": None,
        "color": None,
        "size": None,
    }


def test_one_way_properties_are_demanded_by_neither_side(fidelity: Generated) -> None:
    """A required readOnly property (on the property, beside its $ref, in a one-part allOf, or
    where its $ref leads) is no argument, not needed to build a request and never sent; a
    required writeOnly property may be missing from a response."""
    replace = inspect.signature(fidelity.package.resources.things.ThingsResource.replace)
    for read_only in ("created", "owner", "serial"):
        assert read_only not in replace.parameters
    # required in requests (writeOnly: requests are where it travels), optional in responses
    assert replace.parameters["token"].default is inspect.Parameter.empty
    models = fidelity.models
    served = models.Thing.model_validate(
        {
            "id": "t1",
            "name": "n",
            "created": "2024-01-02T03:04:05Z",
            "owner": {"label": "o"},
            "serial": {"label": "s"},
        }
    )  # no token: writeOnly, never in a response
    assert served.token is None and served.owner is not None
    assert fidelity.package._encoding.to_jsonable(served) == {"name": "n"}
    wire = Wire(fidelity, answer={"id": "t1", "name": "n"})

    wire.client.things.replace("t1", name="n", token="k")

    assert wire.requests[-1].content == b'{"name":"n","token":"k"}'


def test_a_discriminator_beside_shared_properties_is_honoured(fidelity: Generated) -> None:
    """Branches merged with the shared properties keep the tags the mapping gave them."""
    vehicle = TypeAdapter(fidelity.models.Vehicle)
    car = vehicle.validate_python({"kind": "car", "wheels": 4, "seats": 5})
    truck = vehicle.validate_python({"kind": "truck", "wheels": 6, "seats": 2, "load": 1.5})
    assert type(car).__name__ == "VehicleCar" and car.seats == 5
    assert type(truck).__name__ == "VehicleTruck" and truck.load == 1.5
    with pytest.raises(ValidationError, match="car"):
        vehicle.validate_python({"kind": "bus", "wheels": 6})
    assert ("/components/schemas/Vehicle", "discriminated") in {
        (u.where, u.kind) for u in fidelity.api.unions
    }

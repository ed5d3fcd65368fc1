"""Invalid arguments raise the package's own error, naming the argument, before sending."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from conftest import Harness
from runtime_server import Reply


def build_body(rt: Any) -> Any:
    return importlib.import_module(rt.__name__ + "._payload").build_body


def test_a_missing_required_field_names_its_argument(rt: Any) -> None:
    with pytest.raises(rt._exceptions.InvalidArgumentError) as caught:
        build_body(rt)(rt._client.RunInput, {"maxSteps": 3})

    error = caught.value
    assert isinstance(error, rt._exceptions.APIError) and isinstance(error, ValueError)
    assert error.argument == "prompt"
    assert str(error) == "an invalid argument: prompt=: Field required"


def test_a_wrong_type_names_the_keyword_not_the_json_name(rt: Any) -> None:
    with pytest.raises(rt._exceptions.InvalidArgumentError) as caught:
        build_body(rt)(
            rt._client.RunInput,
            {"prompt": "p", "maxSteps": "many", "tags": ["a", 2]},
            {"maxSteps": "max_steps"},
        )

    assert caught.value.argument == "max_steps"
    assert [p[:2] for p in caught.value.problems] == [("max_steps", ""), ("tags", "1")]
    assert "many" not in str(caught.value)  # messages never repeat the value
    assert "tags= (at 1)" in str(caught.value)


async def test_a_whole_body_of_the_wrong_type_is_refused_before_sending(api: Harness) -> None:
    endpoint = api.rt._base_client.Endpoint(
        method="POST", path="/things", result=Any, body_encoding="json", body_type=list[int]
    )
    api.server.script(Reply(200, json={}))

    with pytest.raises(api.rt._exceptions.InvalidArgumentError) as caught:
        await api(api.client()._request(endpoint, body=[1, "x"]))

    assert caught.value.argument == "body"
    assert caught.value.problems[0][:2] == ("body", "1")
    assert api.server.seen == []

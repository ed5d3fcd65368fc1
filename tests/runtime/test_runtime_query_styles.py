"""Query parameters on the wire, byte for byte as OpenAPI's style table writes them.

The table is "Style Examples" of the OpenAPI 3.1 specification (section 4.8.12.4), for a
parameter `color` holding `"blue"`, `["blue", "black", "brown"]` or
`{"R": 100, "G": 200, "B": 150}`; a loopback server records the raw request target.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Harness
from runtime_server import Reply

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}

TABLE = [
    # style, explode, value, query string
    ("form", False, "", "color="),
    ("form", False, STRING, "color=blue"),
    ("form", False, ARRAY, "color=blue,black,brown"),
    ("form", False, OBJECT, "color=R,100,G,200,B,150"),
    ("form", True, "", "color="),
    ("form", True, STRING, "color=blue"),
    ("form", True, ARRAY, "color=blue&color=black&color=brown"),
    ("form", True, OBJECT, "R=100&G=200&B=150"),
    ("spaceDelimited", False, ARRAY, "color=blue%20black%20brown"),
    ("spaceDelimited", False, OBJECT, "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, ARRAY, "color=blue|black|brown"),
    ("pipeDelimited", False, OBJECT, "color=R|100|G|200|B|150"),
    ("deepObject", True, OBJECT, "color[R]=100&color[G]=200&color[B]=150"),
]


def styled(api: Harness, **styles: Any) -> Any:
    return api.rt._base_client.Endpoint(
        method="GET",
        path="/colors",
        result=Any,
        query_styles={name: api.rt._query.QueryStyle(*style) for name, style in styles.items()},
    )


async def send(api: Harness, endpoint: Any, **query: object) -> str:
    api.server.script(Reply(200, json={}))
    await api(api.client()._request(endpoint, query=query))
    target = api.server.seen[-1].target
    assert target.startswith("/colors")
    return target.partition("?")[2]


@pytest.mark.parametrize(("style", "explode", "value", "expected"), TABLE)
async def test_the_openapi_style_table(
    api: Harness, style: str, explode: bool, value: object, expected: str
) -> None:
    endpoint = styled(api, color=(style, explode))

    assert await send(api, endpoint, color=value) == expected


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("form", False, ["a,b", "c"], "color=a%2Cb,c"),  # a delimiter inside a value is encoded
        ("form", True, ["a&b=c", "d e"], "color=a%26b%3Dc&color=d%20e"),
        ("pipeDelimited", False, ["a|b", "c"], "color=a%7Cb|c"),
        ("form", True, {"r g": "x/y"}, "r%20g=x%2Fy"),
        ("deepObject", True, {"a]b": "ü"}, "color[a%5Db]=%C3%BC"),
        ("form", False, [True, 1.5, None], "color=true,1.5"),
    ],
)
async def test_values_are_percent_encoded(
    api: Harness, style: str, explode: bool, value: object, expected: str
) -> None:
    endpoint = styled(api, color=(style, explode))

    assert await send(api, endpoint, color=value) == expected


async def test_allow_reserved_keeps_reserved_characters(api: Harness) -> None:
    endpoint = styled(api, path=("form", True, True), plain=("form", True, False))
    value = "/a/b?c:d@e!$'()*,;%2F [x]#&=+"

    query = await send(api, endpoint, path=value, plain=value)

    kept, plain = query.split("&plain=")
    assert kept == "path=/a/b?c:d@e!$'()*,;%2F%20%5Bx%5D%23%26%3D%2B"
    assert plain == "%2Fa%2Fb%3Fc%3Ad%40e%21%24%27%28%29%2A%2C%3B%252F%20%5Bx%5D%23%26%3D%2B"


async def test_content_parameters_are_sent_as_json(api: Harness) -> None:
    endpoint = styled(api, filter=("json",))

    query = await send(api, endpoint, filter={"a": [1, "x y"]})

    assert query == "filter=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%7D"


async def test_unset_and_empty_values_send_nothing(api: Harness) -> None:
    endpoint = styled(api, a=("form", False), b=("deepObject", True), c=("form", True))

    query = await send(api, endpoint, a=[], b={}, c=None, d=api.rt._types.NOT_GIVEN, e="x")

    assert query == "e=x"


async def test_unstyled_parameters_extra_query_and_auth_query(api: Harness) -> None:
    """Without a style: arrays repeat the name, objects use brackets; extra_query replaces."""
    endpoint = styled(api)
    api.server.script(Reply(200, json={}))
    options = api.rt._base_client.RequestOptions(extra_query={"b": "2 3"})

    await api(
        api.client()._request(
            endpoint, query={"a": ["x", "y"], "o": {"k": "v"}, "b": "1"}, options=options
        )
    )

    assert api.server.seen[-1].target == "/colors?a=x&a=y&o[k]=v&b=2%203"

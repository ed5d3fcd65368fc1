"""Pagination against a real loopback server: every style, lazily, retried per page."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import Harness
from runtime_server import Reply, Seen

ITEMS = [{"id": f"i{n}", "n": n} for n in range(7)]  # three pages of 3: 3, 3 and 1 items
IDS = [item["id"] for item in ITEMS]
SIZE = 3


def first(seen: Seen, name: str, default: str = "0") -> int:
    return int(seen.query.get(name, [default])[0])


def serve(style: str, seen: Seen, url: str) -> Reply:
    """One page of `ITEMS` in `style`: three pages, the last one short."""
    if style == "offset":
        return Reply(json={"data": ITEMS[first(seen, "offset") :][:SIZE], "total": len(ITEMS)})
    if style == "page":  # no total, no has-more: the short page is the last
        start = (first(seen, "page", "1") - 1) * SIZE
        return Reply(json={"results": ITEMS[start : start + SIZE]})
    if style == "cursor":
        cursor = seen.query.get("cursor", ["c0"])[0]
        start = int(cursor[1:])
        following = f"c{start + SIZE}" if start + SIZE < len(ITEMS) else None
        return Reply(json={"data": ITEMS[start : start + SIZE], "meta": {"next_cursor": following}})
    if style == "next_url":  # relative, then absolute; the last page says has_more false
        start = first(seen, "after")
        more = start + SIZE < len(ITEMS)
        following = f"/list-next_url?after={start + SIZE}"
        if start:
            following = url + following
        page = ITEMS[start : start + SIZE]
        return Reply(json={"items": page, "links": {"next": following}, "has_more": more})
    assert style == "link"  # a bare list; Link headers absolute, then relative
    number = first(seen, "page", "1")
    links = {
        1: f'<{url}/list-link?page=2>; rel="next", <{url}/list-link?page=3>; rel="last"',
        2: '</list-link?page=1>; rel="prev first", <list-link?page=3>; rel="next"',
        3: '<list-link?page=2>; rel="prev"',
    }
    start = (number - 1) * SIZE
    return Reply(json=ITEMS[start : start + SIZE], headers={"Link": links[number]})


PAGINATORS: dict[str, dict[str, Any]] = {
    "offset": {"style": "offset", "total_path": "total"},
    "page": {"style": "page", "items_path": "results", "limit_param": "per_page"},
    "cursor": {"style": "cursor", "items_path": "$.data", "next_cursor_path": "meta.next_cursor"},
    "next_url": {
        "style": "next_url",
        "items_path": "items",
        "next_url_path": "links.next",
        "has_more_path": "has_more",
    },
    "link": {"style": "link", "items_path": "$"},
}
FIRST_QUERY: dict[str, dict[str, object]] = {
    "offset": {"limit": SIZE},
    "page": {"per_page": SIZE},
    "cursor": {"limit": SIZE},
    "next_url": {"limit": SIZE},
    "link": {"per_page": SIZE},
}


def endpoint(api: Harness, path: str, method: str = "GET") -> Any:
    return api.rt._base_client.Endpoint(
        method=method, path=path, result=Any, security=(("apiKey",),)
    )


def paginate(api: Harness, client: Any, path: str, paginator: Any, **request: Any) -> Any:
    """What a generated paginated method does: a page (sync) or a pager (async)."""
    pages = api.rt._pagination
    cls = pages.AsyncPage if api.is_async else pages.SyncPage
    return cls.first(
        client, endpoint(api, path, request.pop("method", "GET")), paginator, api.rt.Item, **request
    )


async def consume(api: Harness, result: Any, log: list[str] | None = None) -> list[Any]:
    """Iterate over every item, as a caller would, noting each one in `log`."""
    got: list[Any] = []
    if api.is_async:
        async for item in result:
            got.append(item)
            if log is not None:
                log.append(f"item {item.id}")
    else:
        for item in result:
            got.append(item)
            if log is not None:
                log.append(f"item {item.id}")
    return got


@pytest.mark.parametrize("style", list(PAGINATORS))
async def test_every_style_yields_every_item_once_fetching_pages_lazily(
    api: Harness, style: str
) -> None:
    log: list[str] = []
    path = f"/list-{style}"

    def route(seen: Seen) -> Reply:
        log.append(f"request {seen.target}")
        return serve(style, seen, api.server.url)

    api.server.routes[path] = route
    paginator = api.rt._pagination.Paginator(**PAGINATORS[style])
    client = api.client()

    items = await consume(
        api, paginate(api, client, path, paginator, query=FIRST_QUERY[style]), log
    )

    assert [item.id for item in items] == IDS
    assert all(isinstance(item, api.rt.Item) for item in items)
    requests = [entry for entry in log if entry.startswith("request")]
    assert len(requests) == 3, log
    # The next page is asked for only once the caller has taken every item of the one before.
    assert [entry.split()[0] for entry in log] == ["request"] + ["item"] * 3 + ["request"] + [
        "item"
    ] * 3 + ["request", "item"]
    seen = api.server.to(path)
    assert all(s.headers["authorization"] == "Api-Key test-key" for s in seen)
    # Later requests keep the caller's other arguments (the URL styles follow the server's URL).
    if style in ("offset", "page", "cursor"):
        moved = {"offset": "offset", "page": "page", "cursor": "cursor"}[style]
        for s in seen[1:]:
            assert {k: v for k, v in s.query.items() if k != moved} == {
                k: [str(v)] for k, v in FIRST_QUERY[style].items()
            }
    else:
        assert [s.target for s in seen[1:]] == (
            ["/list-next_url?after=3", "/list-next_url?after=6"]
            if style == "next_url"
            else ["/list-link?page=2", "/list-link?page=3"]
        )


def cursor_route(seen: Seen) -> Reply:
    start = int(seen.query.get("cursor", ["c0"])[0][1:])
    limit = first(seen, "limit", str(SIZE))
    more = start + limit < len(ITEMS)
    meta = {"next_cursor": f"c{start + limit}" if more else None}
    return Reply(json={"data": ITEMS[start : start + limit], "meta": meta, "has_more": more})


async def test_manual_paging_sends_exactly_the_callers_arguments(api: Harness) -> None:
    api.server.routes["/items"] = cursor_route
    client = api.client()

    page = await api(client.items.list(cursor="c3", limit=3, q="x"))

    assert [item.id for item in page.items] == ["i3", "i4", "i5"]
    assert page.next_cursor == "c6" and page.next_url is None and page.has_next_page()
    assert page.response.status_code == 200 and page.response.json()["meta"]["next_cursor"] == "c6"
    assert api.server.seen[0].query == {"cursor": ["c3"], "limit": ["3"], "q": ["x"]}

    if api.is_async:
        pages = [p async for p in page.iter_pages()]
    else:
        pages = list(page.iter_pages())

    assert [[item.id for item in p.items] for p in pages] == [["i3", "i4", "i5"], ["i6"]]
    assert not pages[-1].has_next_page() and pages[-1].next_cursor is None
    assert api.server.seen[1].query == {"cursor": ["c6"], "limit": ["3"], "q": ["x"]}
    assert len(api.server.seen) == 2
    # The caller pages by hand with the cursor the page reported.
    again = await api(client.items.list(cursor=page.next_cursor, limit=3, q="x"))
    assert [item.id for item in again.items] == ["i6"] and not again.has_next_page()
    assert await api(again.next_page()) is None


async def test_paging_parameters_in_the_body_change_only_the_offset(api: Harness) -> None:
    def route(seen: Seen) -> Reply:
        sent = json.loads(seen.body)
        start, limit = sent.get("offset", 0), sent["limit"]
        return Reply(json={"hits": ITEMS[start : start + limit], "count": len(ITEMS)})

    api.server.routes["/search"] = route
    paginator = api.rt._pagination.Paginator(
        style="offset", location="body", items_path="hits", total_path="count"
    )
    body = {"limit": 4, "filter": "x"}
    result = paginate(api, api.client(), "/search", paginator, method="POST", body=body)

    items = await consume(api, result)

    assert [item.id for item in items] == IDS
    bodies = [seen.json() for seen in api.server.to("/search")]
    assert bodies == [body, {**body, "offset": 4}]


async def test_a_page_answering_503_once_is_retried_and_its_items_come_once(
    api: Harness,
) -> None:
    failures = {"c3": 1}

    def route(seen: Seen) -> Reply:
        cursor = seen.query.get("cursor", [""])[0]
        if failures.get(cursor):
            failures[cursor] -= 1
            return Reply(503, json={"error": "busy", "message": "try again"})
        return cursor_route(seen)

    api.server.routes["/items"] = route
    client = api.client()

    items = await consume(api, client.items.list(limit=3))

    assert [item.id for item in items] == IDS
    cursors = [seen.query.get("cursor", ["-"])[0] for seen in api.server.seen]
    assert cursors == ["-", "c3", "c3", "c6"]


async def test_a_page_error_that_is_not_retried_raises_the_status_error(api: Harness) -> None:
    api.server.routes["/items"] = lambda seen: (
        Reply(404, json={"error": "gone", "message": "cursor expired"})
        if "cursor" in seen.query
        else cursor_route(seen)
    )
    client = api.client()
    log: list[str] = []

    with pytest.raises(api.rt.errors.NotFoundError):
        await consume(api, client.items.list(limit=3), log)

    assert log == ["item i0", "item i1", "item i2"]

    assert len(api.server.seen) == 2


async def test_a_server_repeating_its_cursor_ends_the_iteration(api: Harness) -> None:
    api.server.routes["/items"] = lambda seen: Reply(
        json={"data": ITEMS[:2], "meta": {"next_cursor": "same"}, "has_more": True}
    )
    client = api.client()

    items = await consume(api, client.items.list())

    assert [item.id for item in items] == ["i0", "i1"] * 2
    assert [seen.query.get("cursor") for seen in api.server.seen] == [None, ["same"]]


async def test_a_next_url_on_another_origin_is_not_followed(api: Harness) -> None:
    elsewhere = api.server.url.replace("127.0.0.1", "localhost") + "/steal"
    api.server.routes["/list"] = lambda seen: Reply(json={"items": ITEMS[:3], "next": elsewhere})
    paginator = api.rt._pagination.Paginator(
        style="next_url", items_path="items", next_url_path="next"
    )
    got: list[Any] = []
    result = paginate(api, api.client(), "/list", paginator)

    with pytest.raises(api.rt.errors.APIResponseValidationError, match="not followed"):
        if api.is_async:
            async for item in result:
                got.append(item)
        else:
            got.extend(result)

    assert len(got) == 3 and [seen.path for seen in api.server.seen] == ["/list"]


async def test_items_that_do_not_match_the_item_type_raise_a_validation_error(
    api: Harness,
) -> None:
    api.server.routes["/items"] = lambda seen: Reply(json={"data": [{"id": "i0"}], "meta": {}})
    client = api.client()

    with pytest.raises(api.rt.errors.APIResponseValidationError, match=r"0\.n: Field required"):
        await api(client.items.list())

    api.server.routes["/items"] = lambda seen: Reply(
        body="<html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(api.rt.errors.APIResponseValidationError, match="not valid JSON"):
        await api(client.items.list())


# -- pure parts ------------------------------------------------------------------------------


def test_link_headers_parse_several_links_quoted_params_and_several_rels(rt: Any) -> None:
    parse = rt._links.parse_link_header
    header = (
        '<https://api.test/items?page=2&a=1,2>; rel="next last"; title="a, b; c", '
        '<https://api.test/items?page=1>;rel=prev, <./x>; rel="next"; rel=ignored; title*=x'
    )
    assert parse(header) == [
        ("https://api.test/items?page=2&a=1,2", {"rel": "next last", "title": "a, b; c"}),
        ("https://api.test/items?page=1", {"rel": "prev"}),
        ("./x", {"rel": "next", "title*": "x"}),
    ]
    assert parse('<a>; title="say \\"hi\\""') == [("a", {"title": 'say "hi"'})]
    assert parse("") == [] and parse("garbage") == [] and parse("<unclosed") == []


def test_the_next_link_is_resolved_against_the_request_url(rt: Any) -> None:
    find = rt._links.find_link
    base = httpx.URL("https://api.test/v1/items?page=1")
    assert find(['<https://other.test/p2>; rel="next"'], "next", base) == "https://other.test/p2"
    assert find(['</v1/items?page=2>; rel="next"'], "next", base) == (
        "https://api.test/v1/items?page=2"
    )
    assert find(['<items?page=2>; REL="Prev NEXT"'], "next", base) == (
        "https://api.test/v1/items?page=2"
    )
    several = ['<p1>; rel="prev"', '<p0>; rel="first", <p3>; rel=next']
    assert find(several, "next", base) == "https://api.test/v1/p3"
    assert find(['<p1>; rel="prev"; title="next"'], "next", base) is None


def test_paths_are_dotted_keys(rt: Any) -> None:
    pagination = rt._pagination
    body = {"data": [1], "meta": {"next": {"cursor": "c"}}, "flag": False}
    assert pagination.dig(body, "meta.next.cursor") == "c"
    assert pagination.dig(body, "$.meta.next.cursor") == "c"
    assert pagination.dig(body, "$") == body and pagination.dig(body, "flag") is False
    assert pagination.dig(body, "meta.missing.x") is None and pagination.dig([1], "data") is None
    with pytest.raises(ValueError, match="unsupported JSON path"):
        pagination.Paginator(style="offset", items_path="data[0].items")
    with pytest.raises(ValueError, match="next_cursor_path"):
        pagination.Paginator(style="cursor")

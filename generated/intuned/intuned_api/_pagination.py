"""Paginated operations: a page object that iterates every item of every page, lazily.

A generated method describes its operation's paging once (`Paginator`, a module-level constant
beside its `Endpoint`) and returns `SyncPage.first(...)` / `AsyncPage.first(...)`. Every page
request goes through the client's own `_prepare` and `_send`, so auth, retries, timeouts and
errors are those of any other call. The first request is exactly what the caller asked for;
later ones change only the paging parameter, or follow the next URL the server gave.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple, TypeAlias, TypeVar

import httpx
from pydantic_core import ValidationError

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._core import BaseClient, Call, RequestOptions
from ._encoding import is_model, to_jsonable
from ._endpoint import Endpoint
from ._exceptions import APIResponseValidationError
from ._links import find_link
from ._logging import logger
from ._response import _summary
from ._types import NOT_GIVEN, NotGiven, Query

__all__ = ["AsyncPage", "AsyncPager", "PageStyle", "Paginator", "SyncPage", "dig"]

T = TypeVar("T")
_ClientT = TypeVar("_ClientT", bound=BaseClient[Any])

PageStyle: TypeAlias = Literal["offset", "page", "cursor", "next_url", "link"]


@dataclass(frozen=True)
class Paginator:
    """How one operation pages: the request parameter that moves, and where the body says so.

    Paths are dotted keys into the JSON body (`data`, `meta.next_cursor`, `$.links.next`; `$`
    is the body itself). A page is the last one when it is empty, when `has_more_path` is false,
    when there is no next cursor / next URL / `rel="next"` link, or, for `offset` and `page`,
    when the position reaches `total_path`, else (no has-more nor total) when it holds fewer
    items than the limit asked for (`default_limit` when the request names none).
    """

    style: PageStyle
    items_path: str = "data"
    location: Literal["query", "body"] = "query"
    offset_param: str = "offset"
    page_param: str = "page"
    cursor_param: str = "cursor"
    limit_param: str | None = "limit"
    default_limit: int | None = None
    next_cursor_path: str | None = None
    next_url_path: str | None = None
    has_more_path: str | None = None
    total_path: str | None = None
    first_page: int = 1

    def __post_init__(self) -> None:
        if self.style == "cursor" and not self.next_cursor_path:
            raise ValueError("a cursor paginator needs next_cursor_path")
        if self.style == "next_url" and not self.next_url_path:
            raise ValueError("a next_url paginator needs next_url_path")
        paths = (self.items_path, self.next_cursor_path, self.next_url_path)
        for path in (*paths, self.has_more_path, self.total_path):
            if path is not None:
                _keys(path)  # fails now, on import of the generated module, not mid-iteration


@functools.lru_cache(maxsize=256)
def _keys(path: str) -> tuple[str, ...]:
    text = path.strip()
    if text.startswith("$"):
        text = text[1:].lstrip(".")
    keys = tuple(text.split(".")) if text else ()
    if any(not key or any(c in key for c in "[]*?") for key in keys):
        raise ValueError(f"unsupported JSON path {path!r}: use dotted keys such as meta.next")
    return keys


def dig(data: object, path: str) -> object:
    """The value at a dotted `path` in decoded JSON, or `None` when any key is missing."""
    for key in _keys(path):
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


@dataclass(frozen=True)
class _PageRequest:
    """The caller's arguments, as the next page request will send them."""

    path_params: Mapping[str, object] | None
    query: Query | None
    headers: Mapping[str, object] | None
    cookies: Mapping[str, object] | None
    body: object
    options: RequestOptions | None
    url: str | None = None
    """An absolute URL that replaces the endpoint's URL and query (next URL and link styles)."""
    seen: frozenset[str] = frozenset()
    """The cursors or URLs followed so far: a server repeating one does not loop forever."""

    def param(self, location: str, name: str | None) -> object:
        if name is None:
            return None
        if location == "query":
            return (self.query or {}).get(name)
        return _body_fields(self.body).get(name)

    def moved(self, location: str, name: str, value: object, seen: frozenset[str]) -> _PageRequest:
        if location == "query":
            return dataclasses.replace(self, query={**(self.query or {}), name: value}, seen=seen)
        return dataclasses.replace(self, body={**_body_fields(self.body), name: value}, seen=seen)


def _body_fields(body: object) -> dict[str, object]:
    if body is None or isinstance(body, NotGiven):
        return {}
    if is_model(body):
        body = to_jsonable(body)  # by alias, only the fields set: what would have been sent
    if not isinstance(body, Mapping):
        raise TypeError(f"a body-paginated request needs an object body, not {type(body)}")
    return dict(body)


class _Plan(NamedTuple):
    next_cursor: str | None
    next_url: str | None
    total: int | None
    request: _PageRequest | None


def _plan(
    paginator: Paginator,
    request: _PageRequest,
    response: httpx.Response,
    data: object,
    count: int,
    client: BaseClient[Any],
) -> _Plan:
    """What the response says about the next page, and the request for it (None: last page)."""
    p, where = paginator, response.request.url
    cursor = _text(dig(data, p.next_cursor_path)) if p.next_cursor_path else None
    url = _text(dig(data, p.next_url_path)) if p.next_url_path else None
    if p.style == "link":
        url = find_link(response.headers.get_list("link"), "next", where)
    if url is not None:
        url = _strip(str(where.join(url)), client)
    total = _int(dig(data, p.total_path)) if p.total_path else None
    has_more = dig(data, p.has_more_path) if p.has_more_path else None
    plan = functools.partial(_Plan, cursor, url, total)
    if count == 0 or has_more is False:
        return plan(None)
    if p.style in ("cursor", "next_url", "link"):
        token = cursor if p.style == "cursor" else url
        if token is None:
            return plan(None)
        if p.style == "cursor":
            current = _text(request.param(p.location, p.cursor_param))
        else:
            current = _strip(str(where), client)
        seen = request.seen | {current} if current else request.seen
        if token in seen:
            logger.warning(
                "%s repeated an earlier next page; stopping", client._where(response.request)
            )
            return plan(None)
        if p.style == "cursor":
            return plan(request.moved(p.location, p.cursor_param, token, seen | {token}))
        return plan(dataclasses.replace(request, url=token, seen=seen | {token}))
    limit = _int(request.param(p.location, p.limit_param)) or p.default_limit
    if p.style == "offset":
        start = _int(request.param(p.location, p.offset_param)) or 0
        position = start + count
        after = request.moved(p.location, p.offset_param, position, request.seen)
    else:
        page = _int(request.param(p.location, p.page_param)) or p.first_page
        position = (page - p.first_page) * (limit or count) + count
        after = request.moved(p.location, p.page_param, page + 1, request.seen)
    if total is not None:
        return plan(after if position < total else None)
    if has_more is None and limit is not None and count < limit:
        return plan(None)
    return plan(after)


def _text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value) or None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _strip(url: str, client: BaseClient[Any]) -> str:
    """`url` without the query parameters auth adds (a server may echo an API key back)."""
    parsed = httpx.URL(url)
    for name in client._secret_params:
        parsed = parsed.copy_remove_param(name)
    return str(parsed)


def _call(
    client: BaseClient[Any],
    endpoint: Endpoint[Any],
    request: _PageRequest,
    previous: httpx.Response | None,
) -> Call:
    """The prepared call for one page: the caller's arguments, or the server's next URL.

    A next URL on another origin than the base URL is refused: following it would hand the
    client's credentials to whoever the response names.
    """
    call = client._prepare(
        endpoint,
        request.path_params,
        request.query,
        request.headers,
        request.cookies,
        request.body,
        request.options,
    )
    if request.url is None:
        return call
    base, target = httpx.URL(client.base_url), httpx.URL(request.url)
    if previous is not None and (base.scheme, base.host, base.port) != (
        target.scheme,
        target.host,
        target.port,
    ):
        origin = f"{target.scheme}://{target.netloc.decode('ascii', 'replace')}"
        message = f"{client._where(previous.request)} gave a next page on {origin}; not followed"
        raise APIResponseValidationError(message, response=previous, body=previous.text)
    return dataclasses.replace(call, url=request.url, query=[])


class _BasePage(Generic[_ClientT, T]):
    """One page: its items, the raw response, and what it says about the next page."""

    items: list[T]
    """This page's items, validated against the item type."""
    response: httpx.Response
    next_cursor: str | None
    next_url: str | None
    """The next page's absolute URL (`next_url` and `link` styles)."""
    total: int | None

    def __init__(
        self,
        client: _ClientT,
        endpoint: Endpoint[Any],
        paginator: Paginator,
        item: Any,
        request: _PageRequest,
        response: httpx.Response,
    ) -> None:
        self._client, self._endpoint, self._paginator, self._item = (
            client,
            endpoint,
            paginator,
            item,
        )
        self.response = response
        data = _decode(client, response)
        self.items = _validate(client, endpoint, item, response, dig(data, paginator.items_path))
        plan = _plan(paginator, request, response, data, len(self.items), client)
        self.next_cursor, self.next_url, self.total, self._next = plan

    def has_next_page(self) -> bool:
        """Whether iterating goes on past this page (see `Paginator` for when it stops)."""
        return self._next is not None

    def __repr__(self) -> str:
        more = self.has_next_page()
        return f"<{type(self).__name__} items={len(self.items)} has_next_page={more}>"


def _decode(client: BaseClient[Any], response: httpx.Response) -> object:
    content = response.content
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        content_type = response.headers.get("content-type") or "missing"
        where = client._where(response.request)
        message = f"{where} returned a page that is not valid JSON (content-type {content_type})"
        raise APIResponseValidationError(message, response=response, body=response.text) from None


def _validate(
    client: BaseClient[Any],
    endpoint: Endpoint[Any],
    item: Any,
    response: httpx.Response,
    found: object,
) -> list[Any]:
    where = client._where(response.request)
    if not isinstance(found, list):
        message = f"{where} returned a page without a list of items"
        raise APIResponseValidationError(message, response=response, body=response.text)
    # One cached validator per endpoint (an endpoint has one item type).
    adapter = endpoint._adapter("page items", types.GenericAlias(list, (item,)))
    try:
        return list(adapter.validate_python(found))
    except ValidationError as exc:
        name = getattr(item, "__name__", None) or repr(item)
        message = f"{where} returned page items that do not match {name}: {_summary(exc)}"
        raise APIResponseValidationError(message, response=response, body=response.text) from None


class SyncPage(_BasePage[SyncAPIClient, T]):
    """A page of a sync client; iterating it yields every item of this page and the next ones.

    The next page is requested only when iteration reaches it.
    """

    @classmethod
    def first(
        cls,
        client: SyncAPIClient,
        endpoint: Endpoint[Any],
        paginator: Paginator,
        item: Any,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> SyncPage[Any]:
        """Send the first page request (same arguments as `_request`) and return its page."""
        request = _PageRequest(path_params, query, headers, cookies, body, options)
        return cls._get(client, endpoint, paginator, item, request, None)

    @classmethod
    def _get(
        cls,
        client: SyncAPIClient,
        endpoint: Endpoint[Any],
        paginator: Paginator,
        item: Any,
        request: _PageRequest,
        previous: httpx.Response | None,
    ) -> SyncPage[Any]:
        call = _call(client, endpoint, request, previous)
        response = client._send(call)
        if not response.is_success:
            raise client._status_error(call, response)
        return cls(client, endpoint, paginator, item, request, response)

    def next_page(self) -> SyncPage[T] | None:
        """Request the next page, or `None` after the last one."""
        if self._next is None:
            return None
        args = (self._client, self._endpoint, self._paginator, self._item, self._next)
        return self._get(*args, self.response)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page, then each next one as it is reached."""
        page: SyncPage[T] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_BasePage[AsyncAPIClient, T]):
    """A page of an async client; `async for` over it yields every item, pages fetched lazily."""

    @classmethod
    def first(
        cls,
        client: AsyncAPIClient,
        endpoint: Endpoint[Any],
        paginator: Paginator,
        item: Any,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Any]:
        """The first page, requested when the result is awaited or iterated with `async for`."""
        request = _PageRequest(path_params, query, headers, cookies, body, options)
        return AsyncPager(functools.partial(cls._get, client, endpoint, paginator, item, request))

    @classmethod
    async def _get(
        cls,
        client: AsyncAPIClient,
        endpoint: Endpoint[Any],
        paginator: Paginator,
        item: Any,
        request: _PageRequest,
        previous: httpx.Response | None = None,
    ) -> AsyncPage[Any]:
        call = _call(client, endpoint, request, previous)
        response = await client._send(call)
        if not response.is_success:
            raise client._status_error(call, response)
        return cls(client, endpoint, paginator, item, request, response)

    async def next_page(self) -> AsyncPage[T] | None:
        """Request the next page, or `None` after the last one."""
        if self._next is None:
            return None
        args = (self._client, self._endpoint, self._paginator, self._item, self._next)
        return await self._get(*args, self.response)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page, then each next one as it is reached."""
        page: AsyncPage[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPager(Generic[T]):
    """What an async paginated method returns: `await` it for the first page, or `async for`
    over it for every item. Each await or iteration sends the first request anew."""

    def __init__(self, fetch: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, Any, AsyncPage[T]]:
        return _await(self._fetch()).__await__()

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Every page, from the first."""
        page = await self._fetch()
        async for each in page.iter_pages():
            yield each

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._fetch()
        async for item in page:
            yield item


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable

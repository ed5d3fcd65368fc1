"""From an HTTP response to a result or an error, and raw access to responses.

`to_raw_response_wrapper` lets the very same generated method return an `APIResponse`: the
wrapper sets a context variable that `_request` reads, so resources need no second code path.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx
from pydantic_core import ValidationError  # pydantic.ValidationError, without pydantic's imports

from ._endpoint import Endpoint
from ._exceptions import APIResponseValidationError, APIStatusError, status_error_class

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "async_to_raw_response_wrapper",
    "parse_result",
    "raw_response_requested",
    "status_error",
    "to_raw_response_wrapper",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

_RAW_RESPONSE: ContextVar[bool] = ContextVar("_RAW_RESPONSE", default=False)
_BODY_SNIPPET = 500


def raw_response_requested() -> bool:
    """True inside a call made through a raw-response wrapper."""
    return _RAW_RESPONSE.get()


class _BaseAPIResponse(Generic[T]):
    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: tuple[T] | None = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def _parse_once(self) -> T:
        if self._parsed is None:
            self._parsed = (self._parse(),)
        return self._parsed[0]

    def __repr__(self) -> str:
        response = self.http_response
        return f"<{type(self).__name__} [{response.status_code} {response.reason_phrase}]>"


class APIResponse(_BaseAPIResponse[T]):
    """A successful response; the result is parsed on demand."""

    def parse(self) -> T:
        """What the method returns without the wrapper (validated once, then cached)."""
        return self._parse_once()


class AsyncAPIResponse(_BaseAPIResponse[T]):
    """`APIResponse` of async clients; `parse` is awaited, like every body access in httpx."""

    async def parse(self) -> T:
        """What the method returns without the wrapper (validated once, then cached)."""
        return self._parse_once()


def to_raw_response_wrapper(fn: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Make a generated method return the `APIResponse` instead of the parsed result."""

    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _RAW_RESPONSE.set(True)
        try:
            result: object = fn(*args, **kwargs)
        finally:
            _RAW_RESPONSE.reset(token)
        return _expect(result, APIResponse)

    return wrapped


def async_to_raw_response_wrapper(
    fn: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """Make a generated async method return the `AsyncAPIResponse`."""

    @functools.wraps(fn)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        token = _RAW_RESPONSE.set(True)
        try:
            result: object = await fn(*args, **kwargs)
        finally:
            _RAW_RESPONSE.reset(token)
        return _expect(result, AsyncAPIResponse)

    return wrapped


_ResponseT = TypeVar("_ResponseT", bound=_BaseAPIResponse[Any])


def _expect(result: object, kind: type[_ResponseT]) -> _ResponseT:
    if not isinstance(result, kind):
        raise TypeError(f"expected the method to make one request, got {type(result).__name__}")
    return result


def redirect_location(response: httpx.Response) -> str | None:
    """The absolute URL a redirect (301, 302, 303, 307, 308 with a `Location`) points to."""
    location = response.headers.get("location")
    if response.status_code not in _REDIRECTS or not location:
        return None
    return str(response.url.join(location))


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def parse_result(endpoint: Endpoint[T], response: httpx.Response, where: Callable[[], str]) -> T:
    """Validate a 2xx body against the endpoint's declared result (or, for an operation that
    answers with a redirect, return where it points).

    `where` describes the request for an error message; it is only called when there is one.
    """
    result = endpoint.result
    location = redirect_location(response) if endpoint.redirect else None
    if location is not None:
        return cast(T, location)
    if result is None:
        return cast(T, None)
    if result is bytes:
        return cast(T, response.content)
    content_type = response.headers.get("content-type", "")
    if result is str and "json" not in content_type:
        return cast(T, response.text)
    if result is Any and content_type.lower().startswith("text/") and "json" not in content_type:
        return cast(T, response.text)  # an untyped result answered as text: the text
    adapter = endpoint.result_adapter()
    content = response.content
    blank = not content or content.isspace()  # `not content.strip()`, without a copy
    try:
        if blank:
            return adapter.validate_python(None)
        return adapter.validate_json(content)
    except ValidationError as exc:
        if blank:
            problem = "an empty body"
        elif any(error["type"] == "json_invalid" for error in exc.errors()):
            content_type = response.headers.get("content-type", "")
            problem = f"a body that is not valid JSON (content-type {content_type or 'missing'})"
        else:
            name = getattr(result, "__name__", None) or repr(result)
            problem = f"a body that does not match {name}: {_summary(exc)}"
        message = f"{where()} returned {problem}"
        raise APIResponseValidationError(message, response=response, body=response.text) from None


def status_error(
    endpoint: Endpoint[Any] | None,
    response: httpx.Response,
    where: str,
    redact: Callable[[str], str],
) -> APIStatusError:
    """The error for a non-2xx response, with the declared error body parsed when possible."""
    body = response.text
    parsed = _parse_error_body(endpoint, response)
    status = f"{response.status_code} {response.reason_phrase}".rstrip()
    message = f"{where} returned {status}"
    detail = _body_snippet(response, body)
    if detail:
        message += f": {detail}"
    cls = status_error_class(response.status_code)
    return cls(redact(message), response=response, body=body, parsed=parsed)


def _parse_error_body(endpoint: Endpoint[Any] | None, response: httpx.Response) -> object:
    content = response.content
    if not content.strip():
        return None
    adapter = endpoint.error_adapter(response.status_code) if endpoint else None
    if adapter is not None:
        try:
            return adapter.validate_json(content)
        except ValidationError:
            pass
    try:
        return json.loads(content)
    except ValueError:
        return None


def _body_snippet(response: httpx.Response, body: str) -> str:
    content_type = response.headers.get("content-type", "")
    if "html" in content_type:
        return f"an HTML page ({len(response.content)} bytes)"
    text = " ".join(body.split())
    if len(text) > _BODY_SNIPPET:
        text = text[:_BODY_SNIPPET] + "..."
    return text


def _summary(exc: ValidationError, limit: int = 5) -> str:
    """Where and why validation failed, without the offending input (it may be large)."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errors]
    more = f" (and {len(parts) - limit} more)" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more

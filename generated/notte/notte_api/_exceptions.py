"""The errors a client raises; every one derives from `APIError`.

Messages are written by the runtime, with URLs and bodies passed through the client's redactor,
so `str()` and `repr()` of an error never show a credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from pydantic_core import ValidationError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingCredentialError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "status_error_class",
]


class APIError(Exception):
    """Root of every error the client raises."""

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """No response arrived: the connection failed, was reset, or the server hung up."""


class APITimeoutError(APIConnectionError):
    """No response arrived within the configured timeout."""


class APIStatusError(APIError):
    """The server answered with a status outside 2xx.

    `.parsed` holds the error model the spec declares for this status, else the decoded JSON
    body, else `None`; `.body` always keeps the raw text.
    """

    status_code: int
    headers: httpx.Headers
    response: httpx.Response
    body: str
    parsed: object

    def __init__(
        self, message: str, *, response: httpx.Response, body: str, parsed: object
    ) -> None:
        super().__init__(message, request=response.request)
        self.status_code = response.status_code
        self.headers = response.headers
        self.response = response
        self.body = body
        self.parsed = parsed


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429."""


class InternalServerError(APIStatusError):
    """500 and above."""


class APIResponseValidationError(APIError):
    """A 2xx body was not valid JSON, or did not match the schema the spec declares for it."""

    status_code: int
    response: httpx.Response
    body: str

    def __init__(self, message: str, *, response: httpx.Response, body: str) -> None:
        super().__init__(message, request=response.request)
        self.status_code = response.status_code
        self.response = response
        self.body = body


class MissingCredentialError(APIError):
    """An operation needs a credential the client was not given; raised before sending.

    `.arguments` names the constructor arguments that would satisfy it, `.env_vars` the
    environment variables read in their place.
    """

    arguments: tuple[str, ...]
    env_vars: tuple[str, ...]

    def __init__(
        self, message: str, *, arguments: tuple[str, ...] = (), env_vars: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.arguments = arguments
        self.env_vars = env_vars


class InvalidArgumentError(APIError, ValueError):
    """An argument of a call does not fit the type the spec declares; raised before sending.

    `.argument` names the method's keyword argument (the first one at fault), `.problems` lists
    each finding as (argument, location inside it, message). Messages never repeat the value.
    """

    argument: str
    problems: tuple[tuple[str, str, str], ...]

    def __init__(self, message: str, *, problems: tuple[tuple[str, str, str], ...]) -> None:
        super().__init__(message)
        self.argument = problems[0][0] if problems else ""
        self.problems = problems


def invalid_argument(
    error: ValidationError, arguments: Mapping[str, str], whole: str | None = None
) -> InvalidArgumentError:
    """The package's error for pydantic's, naming arguments (`arguments`: JSON name ➜ keyword).

    `whole`: the argument is the whole value validated (a `body=`), not one field of it.
    """
    problems = []
    for finding in error.errors(include_url=False, include_input=False):
        loc = [str(part) for part in finding["loc"]]
        if whole is None and loc:
            name, inner = arguments.get(loc[0], loc[0]), loc[1:]
        else:
            name, inner = whole or "body", loc
        problems.append((name, ".".join(inner), str(finding["msg"])))
    lines = [f"{name}={' (at ' + at + ')' if at else ''}: {msg}" for name, at, msg in problems]
    count = "an invalid argument" if len(problems) == 1 else f"{len(problems)} invalid arguments"
    return InvalidArgumentError(f"{count}: " + "; ".join(lines), problems=tuple(problems))


class ConfigurationError(APIError):
    """The client cannot work as configured, e.g. no base URL is known."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific `APIStatusError` subclass for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)

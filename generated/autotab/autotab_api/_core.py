"""What sync and async clients share: configuration, preparing calls, retry decisions, errors.

Nothing here does I/O; `_base_client` drives it with `httpx.Client` or `httpx.AsyncClient`.
"""

from __future__ import annotations

import abc
import copy
import functools
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar
from urllib.parse import urljoin

import httpx
from pydantic_core import ValidationError

from ._auth import (
    CERT,
    ApiKeyAuth,
    AuthParts,
    AuthScheme,
    Credential,
    OAuth2Auth,
    SecretStore,
    missing_credential_error,
    secret_header_names,
    select_schemes,
)
from ._encoding import (
    BodyParts,
    HeaderMap,
    check_header,
    encode_body,
    encode_cookies,
    encode_headers,
    is_model,
    render_path,
    set_headers,
)
from ._endpoint import STREAM_ACCEPT, Endpoint
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    invalid_argument,
)
from ._logging import logger, protect_httpx_logs, redact_request, redact_url
from ._oauth2 import TokenCache, read_token
from ._query import encode_form, encode_pairs, encode_query
from ._response import parse_result, status_error
from ._retry import (
    IDEMPOTENT_METHODS,
    backoff,
    is_retryable_error,
    is_retryable_status,
    retry_after,
)
from ._types import NOT_GIVEN, Cert, Headers, NotGiven, Query, Security, Timeout, Verify
from ._uploads import Upload, prepare_upload
from ._version import __title__, __version__

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "BaseClient",
    "Call",
    "RequestOptions",
]

_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)
_E = TypeVar("_E", bound=APIError)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
USER_AGENT = f"{__title__}/{__version__} (python httpx)"
_IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class RequestOptions:
    """Per-call overrides; whatever is left `NOT_GIVEN` comes from the client."""

    extra_headers: Headers | None | NotGiven = NOT_GIVEN
    extra_query: Query | None | NotGiven = NOT_GIVEN
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    content_type: str | NotGiven = NOT_GIVEN
    """One of the media types the operation declares for its body (the default: the first)."""


@dataclass(frozen=True)
class Call:
    """One prepared call: everything but auth, which each attempt applies afresh."""

    endpoint: Endpoint[Any]
    method: str
    url: str
    query: list[tuple[str, str]]
    """Percent-encoded (name, value) pairs, as they go on the wire (see `_query`)."""
    headers: HeaderMap
    cookies: dict[str, object]
    body: BodyParts
    timeout: httpx.Timeout
    max_retries: int
    schemes: tuple[AuthScheme, ...]
    retryable: bool
    upload: Upload | None = None
    """How to rewind the body before another attempt, and files to close (see `_uploads`)."""

    def rewind(self) -> bool:
        """Make the body ready to send again; False when it cannot be (a consumed generator)."""
        if self.upload is None:
            return True
        if self.upload.replay is None:
            return False
        self.upload.replay()
        return True

    def done(self) -> None:
        """Close the files opened for the body; the call cannot be sent again after."""
        if self.upload is not None and self.upload.opened:
            self.upload.close()
            self.upload.replay = None


class BaseClient(abc.ABC, Generic[_HttpT]):
    """What sync and async clients share; everything here is free of I/O."""

    _backoff_base: ClassVar[float] = 0.5
    _backoff_cap: ClassVar[float] = 8.0
    _retry_after_cap: ClassVar[float] = 60.0
    """A longer `Retry-After` is not waited for: the status error is raised at once."""

    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    _http: _HttpT

    def __init__(
        self,
        *,
        base_url: str | None,
        credentials: Mapping[str, str | None],
        credential_specs: Sequence[Credential],
        schemes: Mapping[str, AuthScheme],
        env_base_url: str | None,
        default_base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: _HttpT | None = None,
        cert: Cert | None = None,
        verify: Verify = True,
    ) -> None:
        if not base_url and env_base_url:
            base_url = os.environ.get(env_base_url)
        self.base_url = self._check_base_url(base_url or default_base_url, env_base_url)
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else httpx.Timeout(timeout)
        self.max_retries = _check_max_retries(max_retries)
        self._credential_specs = tuple(credential_specs)
        self._env_vars = {spec.name: spec.env for spec in credential_specs if spec.env}
        self._schemes = dict(schemes)
        self._secrets = SecretStore.collect(credentials, credential_specs, os.environ)
        self._secret_params = frozenset(
            s.param for s in schemes.values() if isinstance(s, ApiKeyAuth) and s.location == "query"
        )
        self._secret_headers = secret_header_names(schemes.values())
        if self._secret_params:
            protect_httpx_logs(self._secrets)
        self._default_headers: HeaderMap = {}
        set_headers(self._default_headers, {"User-Agent": USER_AGENT, "Accept": "application/json"})
        set_headers(self._default_headers, encode_headers(default_headers))
        self._cert, self._verify = cert, verify
        self._chosen_schemes: dict[Security, tuple[AuthScheme, ...] | None] = {}
        """The schemes chosen for each security requirement seen (see `_schemes_for`)."""
        self._owns_http_client = http_client is None
        self._http = self._make_http_client() if http_client is None else http_client

    def __repr__(self) -> str:
        names = sorted(self._secrets.names())
        return f"{type(self).__name__}(base_url={self.base_url!r}, credentials={names})"

    # -- construction ----------------------------------------------------------------------

    @abc.abstractmethod
    def _make_http_client(self) -> _HttpT:
        """A new http client with `_http_client_options()`; the client owns and closes it."""

    def _http_client_options(self) -> dict[str, Any]:
        """Options of an http client made here: finite timeouts, TLS verified, no redirects."""
        verify: Verify = self._verify
        if self._cert is not None:
            verify = httpx.create_ssl_context(verify=verify)
            verify.load_cert_chain(*((self._cert,) if isinstance(self._cert, str) else self._cert))
        return {"timeout": self.timeout, "verify": verify, "follow_redirects": False}

    def _check_base_url(self, url: str | None, env_base_url: str | None) -> str:
        if not url:
            how = "pass base_url=..." + (f" or set {env_base_url}" if env_base_url else "")
            raise ConfigurationError(f"{type(self).__name__} has no base URL: {how}")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = httpx.URL()
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ConfigurationError(f"base URL must be an absolute http(s) URL, got {url!r}")
        return url.rstrip("/")

    def _copy(
        self,
        *,
        base_url: str | NotGiven,
        credentials: Mapping[str, str | None] | NotGiven,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Headers | NotGiven,
        http_client: _HttpT | NotGiven,
        cert: Cert | None | NotGiven,
        verify: Verify | NotGiven,
    ) -> BaseClient[_HttpT]:
        """A copy with some settings changed, which shares the http client unless told not to.

        Credentials merge over the current ones (`None` keeps a value). The token cache is
        shared while credentials and base URL are unchanged, so copies fetch no new token.
        Attributes that are `functools.cached_property` values (generated resources) are
        dropped, so the copy rebuilds them around itself.
        """
        clone = copy.copy(self)
        clone._chosen_schemes = {}  # credentials or cert may change below
        cached = [
            n
            for n in vars(clone)
            if isinstance(getattr(type(self), n, None), functools.cached_property)
        ]
        for name in cached:
            del clone.__dict__[name]
        if not isinstance(base_url, NotGiven):
            clone.base_url = self._check_base_url(base_url, None)
        if not isinstance(credentials, NotGiven):
            values = {**self._secrets.values(), **{k: v for k, v in credentials.items() if v}}
            clone._secrets = SecretStore.collect(values, self._credential_specs, {})
        elif clone.base_url != self.base_url:
            clone._secrets = SecretStore.collect(self._secrets.values(), self._credential_specs, {})
        if clone._secret_params:
            protect_httpx_logs(clone._secrets)
        if not isinstance(timeout, NotGiven):
            clone.timeout = httpx.Timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = _check_max_retries(max_retries)
        clone._default_headers = dict(self._default_headers)
        if not isinstance(default_headers, NotGiven):
            set_headers(clone._default_headers, encode_headers(default_headers))
        if not isinstance(cert, NotGiven):
            clone._cert = cert
        if not isinstance(verify, NotGiven):
            clone._verify = verify
        if not isinstance(http_client, NotGiven):
            clone._http, clone._owns_http_client = http_client, False
        elif not (isinstance(cert, NotGiven) and isinstance(verify, NotGiven)):
            clone._http, clone._owns_http_client = clone._make_http_client(), True
        else:
            clone._owns_http_client = False
        return clone

    # -- preparing a call ------------------------------------------------------------------

    def _prepare(
        self,
        endpoint: Endpoint[Any],
        path_params: Mapping[str, object] | None,
        query: Query | None,
        headers: Mapping[str, object] | None,
        cookies: Mapping[str, object] | None,
        body: object,
        options: RequestOptions | None,
    ) -> Call:
        options = options or RequestOptions()
        schemes = self._schemes_for(endpoint)
        pairs = encode_query(query, endpoint.query_styles)
        if options.extra_query:
            extra = encode_query(options.extra_query)
            pairs = [pair for pair in pairs if pair[0] not in dict(extra)] + extra
        merged: HeaderMap = {}
        if headers:
            set_headers(merged, encode_headers(headers))
        if options.extra_headers:
            set_headers(merged, encode_headers(options.extra_headers))
        idempotency_header = endpoint.idempotency_header or _IDEMPOTENCY_HEADER
        if endpoint.idempotency_header and idempotency_header.lower() not in merged:
            set_headers(merged, {idempotency_header: str(uuid.uuid4())})
        adapter = endpoint.body_adapter()
        if adapter is not None and body is not None and not isinstance(body, NotGiven):
            if not is_model(body):  # a model was validated when it was built
                body = _checked(adapter, body)  # wrong types fail here, before sending
        is_async = isinstance(self._http, httpx.AsyncClient)
        chosen = None if isinstance(options.content_type, NotGiven) else options.content_type
        encoding, content_type = endpoint.body_media(chosen)
        if encoding == "form" and endpoint.body_styles and _given(body):
            parts: BodyParts = {"content": encode_form(body, endpoint.body_styles)}
        else:
            parts = encode_body(body, encoding, endpoint.part_types)
        upload = prepare_upload(parts, is_async)
        body_parts = upload.parts
        if body_parts and encoding != "multipart" and "content-type" not in merged:
            if content_type is None and "content" in body_parts:
                content_type = _CONTENT_TYPES.get(encoding or "", "application/octet-stream")
            if content_type is not None:
                merged["content-type"] = (
                    "Content-Type",
                    check_header("Content-Type", content_type),
                )
        for name, value in upload.headers.items():
            merged.setdefault(name.lower(), (name, value))
        if endpoint.stream and "accept" not in merged:
            merged["accept"] = ("Accept", STREAM_ACCEPT[endpoint.stream])
        elif endpoint.accept and "accept" not in merged:
            merged["accept"] = ("Accept", endpoint.accept)
        method = endpoint.method.upper()
        timeout, max_retries = options.timeout, options.max_retries
        if not isinstance(max_retries, NotGiven):
            _check_max_retries(max_retries)
        return Call(
            endpoint=endpoint,
            method=method,
            url=self.base_url + "/" + render_path(endpoint.path, path_params or {}).lstrip("/"),
            query=pairs,
            headers=merged,
            cookies=dict(cookies or {}),
            body=body_parts,
            timeout=self.timeout if isinstance(timeout, NotGiven) else httpx.Timeout(timeout),
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            schemes=schemes,
            retryable=(method in IDEMPOTENT_METHODS or idempotency_header.lower() in merged)
            and upload.replay is not None,
            upload=upload,
        )

    def _schemes_for(self, endpoint: Endpoint[Any]) -> tuple[AuthScheme, ...]:
        """The schemes `endpoint` uses with this client, or the error naming what is missing.

        The choice depends only on the endpoint's security requirement and on which credentials
        (and cert) the client holds, fixed at construction, so it is made once per requirement
        (a handful per API); `_copy` starts afresh.
        """
        try:
            schemes = self._chosen_schemes[endpoint.security]
        except KeyError:
            available = self._available_credentials()
            schemes = select_schemes(endpoint.security, self._schemes, available)
            self._chosen_schemes[endpoint.security] = schemes
        if schemes is None:
            available = self._available_credentials()
            raise missing_credential_error(
                type(self).__name__, endpoint.security, self._schemes, available, self._env_vars
            )
        return schemes

    def _available_credentials(self) -> frozenset[str]:
        return self._secrets.names() | ({CERT} if self._cert else set())

    def _build_request(self, call: Call, auth: AuthParts) -> httpx.Request:
        """One attempt's request: default headers, then auth, then the call's own headers."""
        headers = dict(self._default_headers)
        if auth.headers:
            set_headers(headers, {name: check_header(name, v) for name, v in auth.headers.items()})
        headers.update(call.headers)  # keyed by lower-case name too: replaces any casing
        if call.cookies or auth.cookies:
            cookie = encode_cookies({**call.cookies, **auth.cookies})
            if cookie and "cookie" not in headers:
                headers["cookie"] = ("Cookie", cookie)
        url = call.url
        query = call.query + encode_pairs(auth.query) if auth.query else call.query
        if query:  # written here, not by httpx: OpenAPI's delimiters must stay as they are
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in query)
        return self._http.build_request(
            call.method,
            url,
            headers=list(headers.values()),
            timeout=call.timeout,
            **call.body,
        )

    def _token_scheme(self, scheme: AuthScheme) -> OAuth2Auth | None:
        """`scheme` if it needs a token fetched (OAuth2 without a static token), else `None`."""
        if isinstance(scheme, OAuth2Auth) and not self._secrets.get(scheme.credential):
            return scheme
        return None

    # -- OAuth2 tokens ---------------------------------------------------------------------

    def _token_request(self, scheme: OAuth2Auth) -> httpx.Request:
        url = urljoin(self.base_url + "/", scheme.token_url or "")
        return self._http.build_request(
            "POST",
            url,
            data=scheme.token_request_data(self._secrets),
            headers=list(self._default_headers.values()),
            timeout=self.timeout,
        )

    def _store_token(self, cache: TokenCache, response: httpx.Response, started: float) -> str:
        """Keep the token from a token endpoint's response, or raise why there is none."""
        self._log(response.request, response.status_code, "token request", started)
        where = "OAuth2 token request " + self._where(response.request)
        if not response.is_success:
            error = status_error(None, response, where, self._secrets.redact)
            raise self._shield(error, keep_body=False)
        token = read_token(response)
        if token is None:
            message = f"{where} returned no access_token"
            invalid = APIResponseValidationError(message, response=response, body=response.text)
            raise self._shield(invalid, keep_body=False)
        cache.store(*token, now=time.monotonic())
        return token[0]

    # -- attempts --------------------------------------------------------------------------

    def _retry_delay(
        self,
        call: Call,
        retries_done: int,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or `None` to stop here."""
        if retries_done >= call.max_retries or not call.retryable:
            return None
        if error is not None and not is_retryable_error(error):
            return None
        if response is not None:
            if not is_retryable_status(response.status_code):
                return None
            requested = retry_after(response.headers)
            if requested is not None:
                return requested if requested <= self._retry_after_cap else None
        return backoff(retries_done, self._backoff_base, self._backoff_cap)

    def _connection_error(
        self, error: httpx.TransportError, request: httpx.Request, keep_body: bool = True
    ) -> APIConnectionError:
        where = self._where(request)
        failure: APIConnectionError
        if isinstance(error, httpx.TimeoutException):
            message = f"{where} timed out ({type(error).__name__})"
            failure = APITimeoutError(self._secrets.redact(message), request=request)
        else:
            message = f"{where} failed: {type(error).__name__}: {error}"
            failure = APIConnectionError(self._secrets.redact(message), request=request)
        return self._shield(failure, keep_body=keep_body)

    def _status_error(self, call: Call, response: httpx.Response) -> APIStatusError:
        where = self._where(response.request)
        error = status_error(call.endpoint, response, where, self._secrets.redact)
        return self._shield(error)

    def _shield(self, error: _E, keep_body: bool = True) -> _E:
        """`error`, with its request (and its response's) replaced by a redacted copy.

        The request that went on the wire is not changed; only what the caller can inspect is.
        """
        if error.request is not None:
            error.request = redact_request(
                error.request,
                self._secret_headers,
                self._secret_params,
                self._secrets,
                keep_body=keep_body,
            )
            response = getattr(error, "response", None)
            if isinstance(response, httpx.Response):
                response.request = error.request
        return error

    def _parser(self, call: Call, response: httpx.Response) -> Callable[[], Any]:
        """Parses the 2xx body on demand (at once, or when a raw response's `parse()` is called)."""
        where = functools.partial(self._where, response.request)  # redacting is for errors only
        return functools.partial(self._parse, call.endpoint, response, where)

    def _parse(
        self, endpoint: Endpoint[Any], response: httpx.Response, where: Callable[[], str]
    ) -> Any:
        try:
            return parse_result(endpoint, response, where)
        except APIResponseValidationError as error:
            raise self._shield(error) from None

    def _where(self, request: httpx.Request) -> str:
        return f"{request.method} {redact_url(request.url, self._secret_params, self._secrets)}"

    def _log(self, request: httpx.Request, outcome: object, label: str, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            elapsed = (time.monotonic() - started) * 1000
            where = self._where(request)
            logger.debug("%s -> %s (%s, %.0f ms)", where, outcome, label, elapsed)

    def _log_retry(self, request: httpx.Request, delay: float, retry: int, retries: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            where = self._where(request)
            logger.debug("retrying %s in %.2f s (retry %d of %d)", where, delay, retry, retries)


# the `Content-Type` of a body httpx gets as bytes, when the endpoint names no media type
_CONTENT_TYPES: Mapping[str, str] = {
    "text": "text/plain",
    "form": "application/x-www-form-urlencoded",  # written here when the spec styles fields
}


def _given(body: object) -> bool:
    return body is not None and not isinstance(body, NotGiven)


def _checked(adapter: TypeAdapter[Any], body: object) -> object:
    """`body` validated, or `InvalidArgumentError` naming `body=` (never pydantic's own error)."""
    try:
        return adapter.validate_python(body)
    except ValidationError as error:
        raise invalid_argument(error, {}, whole="body") from None


def _check_max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be a non-negative integer, got {value!r}")
    return value

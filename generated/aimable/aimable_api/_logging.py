"""The package logger, and keeping credentials out of every log record.

Lines go to `logging.getLogger("<package>")` at DEBUG. httpx itself logs each request URL at
INFO, so when a credential travels in the query string its records are masked too.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Set as AbstractSet
from urllib.parse import unquote_plus

import httpx

from ._auth import SecretStore

__all__ = ["logger", "protect_httpx_logs", "redact_request", "redact_url"]

logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)


def redact_url(url: httpx.URL, secret_params: AbstractSet[str], store: SecretStore) -> str:
    """The URL as text, with secret query parameters and any credential value masked."""
    text = str(url)
    if secret_params and url.query:
        pairs = []
        for pair in url.query.decode("ascii", "replace").split("&"):
            name = pair.partition("=")[0]
            pairs.append(f"{name}=[redacted]" if unquote_plus(name) in secret_params else pair)
        text = str(url.copy_with(query=None)) + "?" + "&".join(pairs)
    return store.redact(text)


def redact_request(
    request: httpx.Request,
    secret_headers: AbstractSet[str],
    secret_params: AbstractSet[str],
    store: SecretStore,
    keep_body: bool = True,
) -> httpx.Request:
    """A copy of `request` for errors: credential headers and query parameters masked.

    The headers the security schemes set (`secret_headers`, lower-case) show `[redacted]`, as do
    `secret_params` in the URL and any credential value elsewhere; the body is kept unless it
    may hold credentials (a token request).
    """
    headers = [
        (name, "[redacted]" if name.lower() in secret_headers else store.redact(value))
        for name, value in request.headers.multi_items()
    ]
    url = httpx.URL(redact_url(request.url, secret_params, store))
    stream = request.stream if keep_body else httpx.ByteStream(b"")
    return httpx.Request(
        request.method, url, headers=headers, stream=stream, extensions=request.extensions
    )


class _RedactingFilter(logging.Filter):
    """Masks the credentials of live clients in the records of the logger it is attached to."""

    def __init__(self) -> None:
        super().__init__()
        self.stores: weakref.WeakSet[SecretStore] = weakref.WeakSet()

    def filter(self, record: logging.LogRecord) -> bool:
        stores = list(self.stores)
        if stores:
            message = original = record.getMessage()
            for store in stores:
                message = store.redact(message)
            if message != original:
                record.msg, record.args = message, None
        return True


_HTTPX_FILTER = _RedactingFilter()


def protect_httpx_logs(store: SecretStore) -> None:
    """Mask `store`'s credentials in httpx's own log records for as long as it lives."""
    _HTTPX_FILTER.stores.add(store)
    logging.getLogger("httpx").addFilter(_HTTPX_FILTER)

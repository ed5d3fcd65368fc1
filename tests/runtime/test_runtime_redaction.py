"""The request an error carries hides every credential; the request on the wire keeps them."""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from conftest import SENTINEL, Harness
from runtime_server import Reply, Seen, send_chunked

BASIC = base64.b64encode(f"user:{SENTINEL}".encode()).decode()
FORMS = (SENTINEL, quote(SENTINEL, safe=""), quote(SENTINEL), BASIC)

SCHEMES: dict[str, tuple[dict[str, str], Callable[[Seen], bool]]] = {
    "headerKey": ({"api_key": SENTINEL}, lambda seen: seen.headers["x-api-key"] == SENTINEL),
    "queryKey": ({"api_key": SENTINEL}, lambda seen: seen.query["api_key"] == [SENTINEL]),
    "bearer": (
        {"api_key": SENTINEL},
        lambda seen: seen.headers["authorization"] == f"Bearer {SENTINEL}",
    ),
    "basic": (
        {"username": "user", "password": SENTINEL},
        lambda seen: seen.headers["authorization"] == f"Basic {BASIC}",
    ),
    "cookieKey": (
        {"api_key": SENTINEL},
        lambda seen: quote(SENTINEL, safe="!#$&'()*+-./:<=>?@[]^_`{|}~") in seen.headers["cookie"],
    ),
}
FAILURES = {
    "status": lambda: Reply(403, json={"error": "denied", "message": "no"}),
    "connection": lambda: Reply(reset=True),
    "invalid body": lambda: Reply(
        200, body="not json", headers={"Content-Type": "application/json"}
    ),
}


def texts_of(error: Any) -> list[str]:
    """Everything a caller or a log line might print about the error and its request."""
    request = error.request
    texts = [repr(error), str(error), "".join(traceback.format_exception(error))]
    texts += [repr(request), str(request.url), repr(request.url), repr(request.headers)]
    texts += [str(request.headers.raw), str(dict(request.headers)), str(request.url.params)]
    response = getattr(error, "response", None)
    if response is not None:
        assert response.request is request
    return texts


def leaks(texts: list[str]) -> list[str]:
    return [text for text in texts if any(form in text for form in FORMS)]


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("scheme", list(SCHEMES))
async def test_an_errors_request_hides_the_credential(
    api: Harness, scheme: str, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the package's, httpx's and httpcore's
    credentials, travelled = SCHEMES[scheme]
    api.server.script(FAILURES[failure]())
    client = api.client(**{"api_key": None, **credentials}, max_retries=0)
    ep = api.rt._base_client.Endpoint(
        method="GET", path="/secret", result=api.rt.Run, security=((scheme,),)
    )

    with pytest.raises(api.rt.errors.APIError) as caught:
        await api(client._request(ep, query={"page": 2}, headers={"X-Trace": "t1"}))

    (seen,) = api.server.seen
    assert travelled(seen)  # the wire request kept the credential
    request = caught.value.request
    assert leaks(texts_of(caught.value) + [r.getMessage() for r in caplog.records]) == []
    assert request.headers["x-trace"] == "t1" and request.url.params["page"] == "2"
    if scheme == "queryKey":
        assert request.url.params["api_key"] == "[redacted]"
    else:
        header = {"headerKey": "x-api-key", "cookieKey": "cookie"}.get(scheme, "authorization")
        assert request.headers[header] == "[redacted]"


async def test_an_error_in_a_stream_hides_the_credential(
    api: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.server.raw["/events"] = lambda handler: send_chunked(
        handler, [b"data: {}\n\n"], headers={"Content-Type": "text/event-stream"}
    )
    client = api.client(api_key=SENTINEL)
    ep = api.rt._base_client.Endpoint(
        method="GET", path="/events", result=api.rt.Run, security=(("headerKey",),), stream="sse"
    )
    stream = await api(client._stream(ep))

    with pytest.raises(api.rt.errors.APIResponseValidationError) as caught:
        if api.is_async:
            async for _ in stream:
                pass
        else:
            for _ in stream:
                pass

    assert api.server.seen[0].headers["x-api-key"] == SENTINEL
    assert caught.value.request.headers["x-api-key"] == "[redacted]"
    assert leaks(texts_of(caught.value) + [r.getMessage() for r in caplog.records]) == []

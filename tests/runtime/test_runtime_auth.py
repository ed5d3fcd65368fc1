"""Security over real HTTP: choosing schemes, applying them, OAuth2 tokens, TLS, and secrecy."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import traceback
from typing import Any
from urllib.parse import parse_qs

import pytest
from conftest import SENTINEL, Certificates, Harness
from runtime_server import Reply, ScriptedServer, Seen


def endpoint(api: Harness, security: Any, path: str = "/whoami") -> Any:
    return api.rt._base_client.Endpoint(method="GET", path=path, result=Any, security=security)


def received(seen: Seen) -> dict[str, Any]:
    """What arrived, decoded, as a careless server would repeat it back."""
    basic = seen.headers.get("authorization", "").removeprefix("Basic ")
    decoded = base64.b64decode(basic).decode() if basic != seen.headers.get("authorization") else ""
    return {"query": seen.query, "headers": seen.headers, "basic": decoded}


def echo(seen: Seen) -> Reply:
    return Reply(200, json=received(seen))


def deny(seen: Seen) -> Reply:
    return Reply(401, json={"error": "denied", "message": str(received(seen))})


# -- choosing and applying schemes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "credentials", "check"),
    [
        ("apiKey", {"api_key": "k1"}, lambda s: s.headers["authorization"] == "Api-Key k1"),
        ("queryKey", {"api_key": "k1"}, lambda s: s.query["api_key"] == ["k1"]),
        ("cookieKey", {"api_key": "k1"}, lambda s: s.headers["cookie"] == "session=k1"),
        ("bearer", {"api_key": "k1"}, lambda s: s.headers["authorization"] == "Bearer k1"),
        (
            "basic",
            {"username": "u", "password": "p"},
            lambda s: s.headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode(),
        ),
        ("oauth2", {"api_key": "static"}, lambda s: s.headers["authorization"] == "Bearer static"),
    ],
)
async def test_each_scheme_puts_its_credential_where_the_spec_says(
    api: Harness, scheme: str, credentials: dict[str, str], check: Any
) -> None:
    api.server.routes["/whoami"] = echo
    client = api.client(**{"api_key": None, **credentials})

    await api(client._request(endpoint(api, ((scheme,),))))

    (seen,) = api.server.seen
    assert check(seen)


async def test_the_first_satisfiable_alternative_wins(api: Harness) -> None:
    api.server.routes["/whoami"] = echo
    either = (("basic",), ("queryKey",))

    await api(api.client(api_key="k1")._request(endpoint(api, either)))
    await api(api.client(username="u", password="p")._request(endpoint(api, either)))

    by_key, by_basic = api.server.seen
    assert by_key.query == {"api_key": ["k1"]} and "authorization" not in by_key.headers
    assert by_basic.headers["authorization"].startswith("Basic ") and by_basic.query == {}


async def test_an_and_requirement_applies_every_scheme(api: Harness) -> None:
    api.server.routes["/whoami"] = echo
    client = api.client(api_key="k1")

    await api(client._request(endpoint(api, (("queryKey", "cookieKey"),))))

    (seen,) = api.server.seen
    assert seen.query == {"api_key": ["k1"]} and seen.headers["cookie"] == "session=k1"


async def test_no_security_sends_no_credential(api: Harness) -> None:
    api.server.routes["/whoami"] = echo

    await api(api.client(api_key="k1")._request(endpoint(api, ())))

    (seen,) = api.server.seen
    assert "authorization" not in seen.headers and seen.query == {}


async def test_credentials_come_from_env_when_the_client_is_built(
    api: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.server.routes["/whoami"] = echo
    monkeypatch.setenv("RT_API_KEY", "from-env")
    client = api.client(api_key=None)
    monkeypatch.setenv("RT_API_KEY", "changed-later")

    await api(client._request(endpoint(api, (("apiKey",),))))

    assert api.server.seen[0].headers["authorization"] == "Api-Key from-env"


async def test_a_missing_credential_fails_before_anything_is_sent(api: Harness) -> None:
    client = api.client(api_key=None)

    with pytest.raises(api.rt.errors.MissingCredentialError) as caught:
        await api(client.runs.get("r1"))

    name = type(client).__name__
    assert str(caught.value) == f"{name} needs an API key: pass api_key=... or set RT_API_KEY"
    assert caught.value.arguments == ("api_key",) and caught.value.env_vars == ("RT_API_KEY",)
    assert api.server.seen == []


async def test_the_missing_credential_message_lists_every_way(api: Harness) -> None:
    client = api.client(api_key=None, username="u")

    with pytest.raises(api.rt.errors.MissingCredentialError) as caught:
        await api(client._request(endpoint(api, (("oauth2",), ("mtls",)))))

    message = str(caught.value)
    assert "an access token (pass api_key=... or set RT_API_KEY)" in message
    assert "a client ID and client secret (pass client_id=... and client_secret=..." in message
    assert "a username and password (pass password=... or set RT_PASSWORD)" in message
    assert "a client certificate (pass cert=...)" in message
    assert api.server.seen == []


# -- OAuth2 -------------------------------------------------------------------------------------


class Authority:
    """A token endpoint and a protected resource, both on the scripted server."""

    def __init__(self, server: ScriptedServer, expires_in: float = 3600, prefix: str = "") -> None:
        self.expires_in = expires_in
        self.forms: list[dict[str, list[str]]] = []
        self.valid: set[str] = set()
        server.routes[prefix + "/oauth/token"] = self.token
        server.routes[prefix + "/secure"] = self.secure
        self.server, self.prefix = server, prefix

    def token(self, seen: Seen) -> Reply:
        self.forms.append(parse_qs(seen.body.decode()))
        token = f"tok-{len(self.forms)}"
        self.valid.add(token)
        return Reply(
            json={"access_token": token, "token_type": "bearer", "expires_in": self.expires_in}
        )

    def secure(self, seen: Seen) -> Reply:
        token = seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.valid:
            return Reply(json={"token": token})
        return Reply(401, json={"error": "unauthorized", "message": "bad token"})

    @property
    def resource_calls(self) -> list[Seen]:
        return self.server.to(self.prefix + "/secure")


def oauth_client(api: Harness, **kwargs: Any) -> Any:
    return api.client(**{"api_key": None, "client_id": "cid", "client_secret": "cs", **kwargs})


async def test_one_token_fetch_serves_many_calls(api: Harness) -> None:
    authority = Authority(api.server)
    client = oauth_client(api)
    secure = endpoint(api, (("oauth2",),), "/secure")

    results = [await api(client._request(secure)) for _ in range(5)]

    assert results == [{"token": "tok-1"}] * 5
    (form,) = authority.forms
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["cid"],
        "client_secret": ["cs"],
    }


async def test_copies_from_with_options_share_the_token(api: Harness) -> None:
    authority = Authority(api.server)
    client = oauth_client(api)
    secure = endpoint(api, (("oauth2",),), "/secure")

    await api(client._request(secure))
    await api(client.with_options(timeout=5)._request(secure))

    assert len(authority.forms) == 1


async def test_the_password_flow_and_a_token_url_relative_to_a_base_path(api: Harness) -> None:
    authority = Authority(api.server, prefix="/v1")
    client = api.client(
        api_key=None, username="ann", password="pw", base_url=api.server.url + "/v1"
    )

    assert await api(client._request(endpoint(api, (("oauth2",),), "/secure"))) == {
        "token": "tok-1"
    }
    assert authority.forms == [
        {"grant_type": ["password"], "username": ["ann"], "password": ["pw"]}
    ]


async def test_an_expired_token_is_refreshed(api: Harness) -> None:
    authority = Authority(api.server, expires_in=1.2)  # stale after 0.6 s: half its lifetime
    client = oauth_client(api)
    secure = endpoint(api, (("oauth2",),), "/secure")

    await api(client._request(secure))
    await api(client._request(secure))
    await asyncio.sleep(0.65)
    assert await api(client._request(secure)) == {"token": "tok-2"}

    assert len(authority.forms) == 2


async def test_a_401_refreshes_the_token_and_retries_once(api: Harness) -> None:
    authority = Authority(api.server)
    client = oauth_client(api)
    secure = endpoint(api, (("oauth2",),), "/secure")
    await api(client._request(secure))
    authority.valid.clear()  # the server revokes tok-1

    assert await api(client._request(secure)) == {"token": "tok-2"}
    assert len(authority.forms) == 2 and len(authority.resource_calls) == 3


async def test_a_401_that_persists_is_raised_without_a_loop(api: Harness) -> None:
    authority = Authority(api.server)
    api.server.routes["/secure"] = lambda seen: Reply(401, json={"error": "no", "message": "no"})
    client = oauth_client(api)

    with pytest.raises(api.rt.errors.AuthenticationError):
        await api(client._request(endpoint(api, (("oauth2",),), "/secure")))

    assert len(authority.forms) == 2 and len(authority.resource_calls) == 2


async def test_a_failing_token_endpoint_raises_a_status_error(api: Harness) -> None:
    api.server.routes["/oauth/token"] = lambda seen: Reply(400, json={"error": "invalid_client"})
    client = oauth_client(api)

    with pytest.raises(api.rt.errors.BadRequestError) as caught:
        await api(client._request(endpoint(api, (("oauth2",),), "/secure")))

    assert "OAuth2 token request" in str(caught.value) and "invalid_client" in str(caught.value)
    assert caught.value.parsed == {"error": "invalid_client"}
    assert api.server.to("/secure") == []


async def test_concurrent_async_calls_share_one_token_fetch(
    rt: Any, server: ScriptedServer
) -> None:
    authority = Authority(server)
    secure = rt._base_client.Endpoint(
        method="GET", path="/secure", result=Any, security=(("oauth2",),)
    )
    async with rt.AsyncRtClient(base_url=server.url, client_id="c", client_secret="s") as client:
        results = await asyncio.gather(*[client._request(secure) for _ in range(8)])

    assert results == [{"token": "tok-1"}] * 8 and len(authority.forms) == 1


# -- TLS ----------------------------------------------------------------------------------------


async def test_tls_is_verified_by_default(api: Harness, certificates: Certificates) -> None:
    with ScriptedServer(tls=certificates.server_context(False)) as tls_server:
        tls_server.script(Reply(200, json={}))
        client = api.client(base_url=tls_server.url)

        with pytest.raises(api.rt.errors.APIConnectionError) as caught:
            await api(client._request(endpoint(api, ())))
        assert "ConnectError" in str(caught.value)

        trusting = api.client(base_url=tls_server.url, verify=certificates.trusting_context())
        assert await api(trusting._request(endpoint(api, ()))) == {}


async def test_mutual_tls_presents_the_client_certificate(
    api: Harness, certificates: Certificates, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cert = (certificates.path("client.pem"), certificates.path("client.key"), SENTINEL)
    with ScriptedServer(tls=certificates.server_context(True)) as tls_server:
        tls_server.script(Reply(200, json={"ok": True}))
        mtls = endpoint(api, (("mtls",),))
        client = api.client(
            base_url=tls_server.url, cert=cert, verify=certificates.trusting_context()
        )

        assert await api(client._request(mtls)) == {"ok": True}
        with pytest.raises(api.rt.errors.MissingCredentialError, match="pass cert=..."):
            await api(api.client(base_url=tls_server.url)._request(mtls))

    assert SENTINEL not in repr(client) + str(client)
    assert all(SENTINEL not in record.getMessage() for record in caplog.records)


# -- secrets stay secret ------------------------------------------------------------------------

SCHEME_CREDENTIALS = {
    "apiKey": {"api_key": SENTINEL},
    "queryKey": {"api_key": SENTINEL},
    "cookieKey": {"api_key": SENTINEL},
    "bearer": {"api_key": SENTINEL},
    "basic": {"username": "user", "password": SENTINEL},
    "oauth2": {"client_id": "cid", "client_secret": SENTINEL},
}


@pytest.mark.parametrize("scheme", [*SCHEME_CREDENTIALS, "oauth2-static"])
async def test_a_secret_never_shows_in_repr_errors_or_logs(
    api: Harness, scheme: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    name, credentials = scheme.partition("-")[0], SCHEME_CREDENTIALS.get(scheme)
    api.server.routes["/oauth/token"] = lambda seen: Reply(json={"access_token": SENTINEL * 2})
    api.server.routes["/whoami"] = echo
    api.server.routes["/denied"] = deny
    client = api.client(**{"api_key": None, **(credentials or {"api_key": SENTINEL})})

    echoed = await api(client._request(endpoint(api, ((name,),))))
    with pytest.raises(api.rt.errors.AuthenticationError) as caught:
        await api(client._request(endpoint(api, ((name,),), "/denied")))

    assert SENTINEL in str(echoed)  # the credential did travel
    assert SENTINEL in caught.value.body  # and the server repeated it
    error = caught.value
    texts = [repr(client), str(client), repr(client._secrets), str(error), repr(error)]
    texts.append("".join(traceback.format_exception(error)))
    texts += [record.getMessage() for record in caplog.records]
    assert not [text for text in texts if SENTINEL in text]
    assert any(record.name == "rtpkg" for record in caplog.records)


async def test_a_credential_with_a_newline_is_refused_without_showing_it(api: Harness) -> None:
    client = api.client(api_key="abc\r\nX-Injected: 1")

    with pytest.raises(ValueError) as caught:
        await api(client.runs.get("r1"))

    assert "abc" not in str(caught.value) and "Authorization" in str(caught.value)
    assert api.server.seen == []


def test_the_secret_store_shows_names_only(rt: Any) -> None:
    store = rt._auth.SecretStore({"api_key": SENTINEL}, {"api_key"})

    assert repr(store) == "SecretStore(['api_key'])"
    assert store.redact(f"a {SENTINEL} b") == "a [redacted] b"


def test_token_cache_margin(rt: Any) -> None:
    cache = rt._oauth2.TokenCache()
    now = time.monotonic()
    cache.store("t", 3600, now)
    assert cache.fresh_token(now + 3569) == "t" and cache.fresh_token(now + 3571) is None
    cache.discard("other")
    assert cache.fresh_token(now) == "t"
    cache.discard("t")
    assert cache.fresh_token(now) is None

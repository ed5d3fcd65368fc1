"""What a client costs: imports deferred until needed, and per-endpoint caches that stay per client."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import RUNTIME, VERSION_PY, Harness
from runtime_server import Reply, Seen

# A package that is the runtime alone, with a client the way `_client.py.jinja` writes one; its
# calls go through an in-process transport. The script runs in a fresh interpreter.
LAZY_SCRIPT = """
import importlib, sys
from pathlib import Path
from typing import Any

import httpx

for name in sorted(p.stem for p in Path("lazypkg").glob("_*.py")):
    importlib.import_module(f"lazypkg.{name}")
from lazypkg._auth import BearerAuth, Credential
from lazypkg._base_client import AsyncAPIClient, Endpoint, RequestOptions, SyncAPIClient

HEAVY = ("pydantic.main", "pydantic.type_adapter", "asyncio")


def loaded():
    return [name for name in HEAVY if name in sys.modules]


def handler(request):
    return httpx.Response(200, json={"n": 1}, headers={"X-Path": request.url.path})


options = dict(
    credentials={"api_key": "k1"},
    credential_specs=(Credential("api_key", env="LAZY_API_KEY"),),
    schemes={"bearer": BearerAuth()},
    env_base_url=None,
)
client = SyncAPIClient(
    base_url="http://lazy.test",
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    **options,
)
AsyncAPIClient(base_url="http://lazy.test", **options)
assert loaded() == [], loaded()

security = (("bearer",),)
nothing = Endpoint[None](method="DELETE", path="/things/{id}", result=None, security=security)
raw = Endpoint[bytes](method="POST", path="/things", result=bytes, body_encoding="json")
client._request(nothing, path_params={"id": "a b"}, query={"tags": ["x", "y"], "on": True})
client._request(raw, body={"items": [{"a": 1}], "when": None}, headers={"X-Trace": "t"})
client._request(raw, options=RequestOptions(extra_headers={"X-A": "1"}, extra_query={"q": "1"}))
assert loaded() == [], loaded()

typed = Endpoint[Any](method="GET", path="/things", result=dict[str, int], security=security)
assert client._request(typed) == {"n": 1}
assert "pydantic.type_adapter" in sys.modules and "asyncio" not in sys.modules
print("ok")
"""


def test_a_client_loads_pydantic_models_and_asyncio_only_when_a_call_needs_them(
    tmp_path: Path,
) -> None:
    package = tmp_path / "lazypkg"
    package.mkdir()
    for source in RUNTIME.glob("*.py"):
        shutil.copy(source, package / source.name)
    (package / "_version.py").write_text(VERSION_PY)
    (package / "__init__.py").write_text("")

    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LAZY_SCRIPT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr


def whoami(api: Harness, security: Any) -> Any:
    return api.rt._base_client.Endpoint(
        method="GET", path="/whoami", result=None, security=security
    )


def auth_of(seen: Seen) -> str:
    return seen.headers.get("authorization") or f"query {seen.query}"


async def test_clients_sharing_an_endpoint_each_choose_their_own_schemes(api: Harness) -> None:
    api.server.routes["/whoami"] = lambda seen: Reply(204)
    either = whoami(api, (("basic",), ("queryKey",)))
    by_key = api.client(api_key="k1")
    by_basic = api.client(api_key=None, username="u", password="p")
    without = api.client(api_key=None)

    for _ in range(2):  # the second round runs from the caches the first one filled
        await api(by_key._request(either))
        await api(by_basic._request(either))
        with pytest.raises(api.rt.errors.MissingCredentialError, match="pass api_key=..."):
            await api(without._request(either))

    sent = [auth_of(seen) for seen in api.server.seen]
    assert sent == ["query {'api_key': ['k1']}", "Basic dTpw"] * 2


async def test_the_scheme_cache_grows_with_security_requirements_not_endpoints(
    api: Harness,
) -> None:
    api.server.routes["/whoami"] = lambda seen: Reply(204)
    client = api.client(api_key="k1")

    for _ in range(3):  # hand-made endpoints, new objects every time
        await api(client._request(whoami(api, (("apiKey",),))))
        await api(client._request(whoami(api, ())))

    assert len(client._chosen_schemes) == 2


async def test_a_copy_with_other_credentials_or_a_cert_chooses_its_schemes_again(
    api: Harness,
) -> None:
    api.server.routes["/whoami"] = lambda seen: Reply(204)
    keyed = whoami(api, (("apiKey",),))
    tls_first = whoami(api, (("mtls",), ("apiKey",)))
    client = api.client(api_key=None)
    with pytest.raises(api.rt.errors.MissingCredentialError):
        await api(client._request(keyed))

    with_key = client.with_options(credentials={"api_key": "k1"})
    await api(with_key._request(keyed))
    await api(with_key._request(tls_first))
    # `cert=` with an injected client only declares that the client presents one.
    injected = httpx.AsyncClient() if api.is_async else httpx.Client()
    with_cert = with_key.with_options(cert="client.pem", http_client=injected)
    await api(with_cert._request(tls_first))
    await api(with_key._request(tls_first))
    with pytest.raises(api.rt.errors.MissingCredentialError):
        await api(client._request(keyed))
    await api(injected.aclose() if api.is_async else injected.close())

    sent = [seen.headers.get("authorization") for seen in api.server.seen]
    assert sent == ["Api-Key k1", "Api-Key k1", None, "Api-Key k1"]


def test_headers_override_case_insensitively_in_order_of_precedence(rt: Any) -> None:
    """Defaults < auth < operation headers < extra headers, whatever the casing of each."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"id": "r1", "status": "done"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = rt.RtClient(
        api_key="k1",
        base_url="http://rt.test",
        http_client=http,
        default_headers={"accept": "text/plain", "X-Team": "a"},
    )
    client.runs.get("r1")
    client.runs.get("r1", extra_headers={"AUTHORIZATION": "Custom c", "x-team": "b"})
    client.runs.invoke(
        "r1", prompt="p", idempotency_key="i1", extra_headers={"idempotency-key": "i2"}
    )

    plain, overridden, keyed = (request.headers for request in requests)
    assert plain.get_list("accept") == ["text/plain"] and plain["x-team"] == "a"
    assert plain["authorization"] == "Api-Key k1" and plain["user-agent"].startswith("rt-pkg/")
    assert overridden.get_list("authorization") == ["Custom c"]
    assert overridden.get_list("x-team") == ["b"]
    assert keyed.get_list("idempotency-key") == ["i2"]
    http.close()

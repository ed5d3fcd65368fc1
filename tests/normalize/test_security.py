"""Security schemes end to end, through GENERATED clients.

What is generated from Galaxy and Tic Tac Toe (every scheme type the published documents use)
is called against Prism, which checks that each request carries the credentials its
operation's requirement asks for; OAuth2 flows run against a real local token endpoint; mutual
TLS against a local TLS server that demands a client certificate; and a careless local server
that repeats every credential back shows that no secret reaches `repr`, `str`, exception text,
tracebacks or DEBUG logs.

Galaxy accepts eight alternatives per secured operation and, by default, every token-like
scheme reads the one `api_key` credential, so a client given a key would always use the first
alternative (bearerAuth). To exercise every scheme, Galaxy is generated with an overlay
(`tests/fixtures/security/galaxy-credentials.overlay.yaml`) that only gives each token-like
scheme its own credential name (`x-clientgen-credential`); a test then passes exactly the
credentials of one scheme, so that scheme is the first satisfiable alternative, and checks on
the wire that nothing else was sent. Prism serves Galaxy's document as published. The
client-credentials flow's token URL is pointed at a local token endpoint by a second overlay
written at test time. The OAuth2 password flow is never chosen in Galaxy (basicAuth, listed
before it, reads the same username and password); it runs against `oauth2.yaml`, a fixture
with relative token URLs, as does the refresh and 401 behaviour.

Prism tests are marked `slow` (they start Node); the rest runs in the default suite.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, quote, quote_plus

import httpx
import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main as cli
from generator.config import client_config
from generator.normalize.security import requirements
from generator.pipeline import build_api, generate
from tests.prism import prism_available, run_prism

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "security"
CORPUS = ROOT.parent / "shared" / "corpus"
GALAXY_SPEC = CORPUS / "galaxy-3.1.yaml"
TICTACTOE_SPEC = CORPUS / "tictactoe-3.1.yaml"

sys.path.insert(0, str(ROOT / "tests" / "runtime"))
from runtime_server import Reply, ScriptedServer, Seen  # noqa: E402 - the runtime tests' server

needs_prism = pytest.mark.skipif(
    not prism_available(), reason="Prism is not installed (run .ci/install)"
)
SENTINEL = "SeNtInEl-s3cr3t+/=&x"
ENV_PREFIXES = ("GALAXY_", "TTT_", "COMBOS_", "OAUTHFLOWS_", "MTLS_", "UNSUP_", "INTUNED_")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def _corpus(spec: Path) -> Path:
    if not spec.is_file():
        pytest.skip(f"{spec.name} is not in ../shared/corpus")
    return spec


@pytest.fixture(autouse=True)
def _no_credentials_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES):
            monkeypatch.delenv(name)


# -- generated clients ------------------------------------------------------------------------


class TokenIssuer:
    """A token endpoint: a fresh token per request, counted; records the forms it received."""

    def __init__(self, prefix: str = "issued", expires_in: float = 3600) -> None:
        self.prefix, self.expires_in = prefix, expires_in
        self.forms: list[dict[str, list[str]]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        with self._lock:
            self.forms.append(parse_qs(seen.body.decode()))
            self.headers.append(seen.headers)
            token = f"{self.prefix}-{len(self.forms)}"
        return Reply(
            json={"access_token": token, "token_type": "bearer", "expires_in": self.expires_in}
        )

    @property
    def count(self) -> int:
        return len(self.forms)


@pytest.fixture(scope="session")
def token_server() -> Iterator[tuple[ScriptedServer, TokenIssuer]]:
    """The local token endpoint the Galaxy and Tic Tac Toe clients are generated to use."""
    issuer = TokenIssuer(prefix=f"{SENTINEL}-issued")
    with ScriptedServer() as server:
        server.routes["/oauth/token"] = issuer
        yield server, issuer


class Clients:
    """Generates a package into a temporary folder (once per session) and imports it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, tuple[ModuleType, tuple[str, ...]]] = {}

    def get(
        self, package: str, spec: Path, env_prefix: str, overlays: tuple[Path, ...] = ()
    ) -> ModuleType:
        return self.generated(package, spec, env_prefix, overlays)[0]

    def generated(
        self, package: str, spec: Path, env_prefix: str, overlays: tuple[Path, ...] = ()
    ) -> tuple[ModuleType, tuple[str, ...]]:
        if package not in self.made:
            output = self.root / package
            config = client_config(
                spec,
                output=output,
                package=package,
                env_prefix=env_prefix,
                version="0.1.0",
                overlays=overlays,
            )
            outcome = generate(config)
            sys.path.insert(0, str(output))
            self.made[package] = (importlib.import_module(package), outcome.warnings)
        return self.made[package]

    def close(self) -> None:
        for package in self.made:
            sys.path.remove(str(self.root / package))
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]


@pytest.fixture(scope="session")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    made = Clients(tmp_path_factory.mktemp("security-clients"))
    yield made
    made.close()


def _token_overlay(folder: Path, name: str, scheme: str, flows: list[str], url: str) -> Path:
    actions = [
        {
            "target": f"$.components.securitySchemes.{scheme}.flows.{flow}",
            "update": {"tokenUrl": url},
        }
        for flow in flows
    ]
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "local token endpoint", "version": "1"},
        "actions": actions,
    }
    path = folder / f"{name}.token.overlay.yaml"
    path.write_text(yaml.safe_dump(overlay, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def galaxy(clients: Clients, token_server: tuple[ScriptedServer, TokenIssuer]) -> ModuleType:
    """Galaxy with a credential per scheme, its OAuth2 token URL on the local token endpoint."""
    spec = _corpus(GALAXY_SPEC)
    token = _token_overlay(
        clients.root,
        "galaxy",
        "oAuth2",
        ["clientCredentials", "password"],
        token_server[0].url + "/oauth/token",
    )
    return clients.get(
        "sec_galaxy_api", spec, "GALAXY", (FIXTURES / "galaxy-credentials.overlay.yaml", token)
    )


@pytest.fixture(scope="session")
def galaxy_plain(clients: Clients) -> ModuleType:
    """Galaxy as published: every token-like scheme reads api_key."""
    return clients.get("sec_galaxy_plain_api", _corpus(GALAXY_SPEC), "GALAXY")


@pytest.fixture(scope="session")
def tictactoe(clients: Clients, token_server: tuple[ScriptedServer, TokenIssuer]) -> ModuleType:
    spec = _corpus(TICTACTOE_SPEC)
    token = _token_overlay(
        clients.root,
        "tictactoe",
        "app2AppOauth",
        ["clientCredentials"],
        token_server[0].url + "/oauth/token",
    )
    return clients.get(
        "sec_ttt_api", spec, "TTT", (FIXTURES / "tictactoe-credentials.overlay.yaml", token)
    )


@pytest.fixture(scope="session")
def tictactoe_plain(clients: Clients) -> ModuleType:
    return clients.get("sec_ttt_plain_api", _corpus(TICTACTOE_SPEC), "TTT")


@pytest.fixture(scope="session")
def combos(clients: Clients) -> ModuleType:
    return clients.get("sec_combos_api", FIXTURES / "combos.yaml", "COMBOS")


@pytest.fixture(scope="session")
def oauth2(clients: Clients) -> ModuleType:
    return clients.get("sec_oauth2_api", FIXTURES / "oauth2.yaml", "OAUTHFLOWS")


@pytest.fixture(scope="session")
def mtls(clients: Clients) -> ModuleType:
    return clients.get("sec_mtls_api", FIXTURES / "mtls.yaml", "MTLS")


@pytest.fixture(scope="session")
def unsupported(clients: Clients) -> tuple[ModuleType, tuple[str, ...]]:
    return clients.generated("sec_unsup_api", FIXTURES / "unsupported.yaml", "UNSUP")


def _class(module: ModuleType, flavour: str) -> Any:
    name = module.__all__[0]
    return getattr(module, f"Async{name}" if flavour == "async" else name)


class Recorder:
    """The requests a client sends, via httpx event hooks (the wire stays real)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def sync(self, request: httpx.Request) -> None:
        self.requests.append(request)

    async def async_(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def http_client(self, flavour: str) -> httpx.Client | httpx.AsyncClient:
        if flavour == "async":
            return httpx.AsyncClient(event_hooks={"request": [self.async_]})
        return httpx.Client(event_hooks={"request": [self.sync]})


def recorded(
    module: ModuleType, flavour: str, base_url: str, **credentials: Any
) -> tuple[Any, Recorder]:
    recorder = Recorder()
    client = _class(module, flavour)(
        base_url=base_url, http_client=recorder.http_client(flavour), max_retries=0, **credentials
    )  # one request per call: a retried 500 would blur counts
    return client, recorder


async def done(value: Any) -> Any:
    """A client call's result: awaited for async clients."""
    return await value if inspect.isawaitable(value) else value


def evidence(request: httpx.Request) -> dict[str, str]:
    """Every place a credential can travel, as it went on the wire."""
    found = {
        name: request.headers[name]
        for name in ("authorization", "x-api-key", "api-key", "x-key", "cookie")
        if name in request.headers
    }
    found.update({f"?{k}": v for k, v in request.url.params.multi_items()})
    return found


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


# -- normalization: every scheme type, requirements, warnings ----------------------------------


def _api(spec: Path, env_prefix: str, overlays: tuple[Path, ...] = ()) -> Any:
    return build_api(
        client_config(
            spec, output=Path("unused"), env_prefix=env_prefix, version="0", overlays=overlays
        )
    )


def test_every_galaxy_scheme_is_normalized() -> None:
    api = _api(_corpus(GALAXY_SPEC), "GALAXY")

    kinds = {s.key: (s.kind, s.location, s.param, s.credentials) for s in api.schemes}
    assert kinds == {
        "bearerAuth": ("bearer", "", "", ("api_key",)),
        "basicAuth": ("basic", "", "", ("username", "password")),
        "apiKeyHeader": ("api_key", "header", "X-API-Key", ("api_key",)),
        "apiKeyQuery": ("api_key", "query", "api_key", ("api_key",)),
        "apiKeyCookie": ("api_key", "cookie", "api_key", ("api_key",)),
        "oAuth2": (
            "oauth2",
            "",
            "",
            ("api_key", "client_id", "client_secret", "username", "password"),
        ),
        "openIdConnect": ("bearer", "", "", ("api_key",)),
    }
    oauth = next(s for s in api.schemes if s.key == "oAuth2")
    assert oauth.flows == ("authorization_code", "client_credentials", "implicit", "password")
    assert oauth.token_url == "https://galaxy.scalar.com/oauth/token"
    assert [(c.name, c.env, c.secret) for c in api.credentials] == [
        ("api_key", "GALAXY_API_KEY", True),
        ("username", "GALAXY_USERNAME", False),
        ("password", "GALAXY_PASSWORD", True),
        ("client_id", "GALAXY_CLIENT_ID", False),
        ("client_secret", "GALAXY_CLIENT_SECRET", True),
        ("webhook_secret", "GALAXY_WEBHOOK_SECRET", True),  # Galaxy declares webhooks
    ]
    assert api.warnings == ()


def test_every_tictactoe_scheme_is_normalized() -> None:
    api = _api(_corpus(TICTACTOE_SPEC), "TTT")

    kinds = {s.key: (s.kind, s.flows, s.token_url) for s in api.schemes}
    assert kinds == {
        "defaultApiKey": ("api_key", (), None),
        "basicHttpAuthentication": ("basic", (), None),  # `scheme: Basic`: case does not matter
        "bearerHttpAuthentication": ("bearer", (), None),
        "app2AppOauth": (
            "oauth2",
            ("client_credentials",),
            "https://learn.openapis.org/oauth/2.0/token",
        ),
        "user2AppOauth": ("oauth2", ("authorization_code",), None),  # a static token only
    }
    ops = {op.operation_id: op.security for r in api.resources for op in r.operations}
    assert ops == {
        "get-board": (("defaultApiKey",), ("app2AppOauth",)),
        "get-square": (("bearerHttpAuthentication",), ("user2AppOauth",)),
        "put-square": (("bearerHttpAuthentication",), ("user2AppOauth",)),
    }
    assert [w for w in api.warnings if w.kind == "unsupported security"] == []


def test_the_overlay_gives_each_galaxy_scheme_its_own_credential() -> None:
    api = _api(_corpus(GALAXY_SPEC), "GALAXY", (FIXTURES / "galaxy-credentials.overlay.yaml",))

    assert [c.name for c in api.credentials] == [
        "bearer_token",
        "username",
        "password",
        "header_key",
        "query_key",
        "cookie_key",
        "access_token",
        "client_id",
        "client_secret",
        "oidc_token",
        "webhook_secret",
    ]
    assert {c.name: c.description for c in api.credentials}[
        "header_key"
    ] == "API key for apiKeyHeader"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),  # nothing declared
        ([], ()),  # no auth
        ([{}], ((),)),  # anonymous
        ([{"a": []}, {"b": [], "a": []}], (("a",), ("b", "a"))),  # OR of AND, spec order
        ([{"a": []}, {"a": ["scope"]}], (("a",),)),  # the same alternative once
        ([{}, {"a": []}], (("a",), ())),  # auth optional: credentials first, anonymous last
    ],
)
def test_requirements_keep_their_or_of_and_shape(raw: Any, expected: Any) -> None:
    warnings: list[str] = []
    assert requirements(raw, {"a", "b"}, "/security", "spec.yaml", warnings) == expected
    assert warnings == []


def test_unusable_alternatives_are_dropped_with_a_warning() -> None:
    warnings: list[str] = []

    assert requirements(
        [{"ghost": []}, {"a": [], "ghost": []}, {"a": []}], {"a"}, "/w", "f", warnings
    ) == (("a",),)
    assert requirements([{"ghost": []}], {"a"}, "/w", "f", warnings) == ()
    assert warnings == [
        (
            "/w: security alternative 'ghost' dropped: the client cannot apply 'ghost' (a skipped scheme, "
            "or not declared in components/securitySchemes)"
        ),
        (
            "/w: security alternative 'a + ghost' dropped: the client cannot apply 'ghost' (a skipped scheme, "
            "or not declared in components/securitySchemes)"
        ),
        (
            "/w: no security alternative is usable, so the operations it covers are sent without credentials; "
            "to authenticate them, send the credential yourself with the client's default_headers=, or per call "
            "with extra_headers= or extra_query="
        ),
    ]


def test_operation_security_overrides_the_global_requirement() -> None:
    api = _api(FIXTURES / "combos.yaml", "COMBOS")

    ops = {op.operation_id: op.security for r in api.resources for op in r.operations}
    assert ops == {
        "inherited": (("headerKey",),),
        "override": (("cookieKey",),),
        "both": (("headerKey", "queryKey"),),
        "either": (("basic",), ("bearer",)),
        "optional": (("bearer",), ()),
        "public": (),
    }


def test_unsupported_schemes_are_never_dropped_silently() -> None:
    api = _api(FIXTURES / "unsupported.yaml", "UNSUP")

    assert [s.key for s in api.schemes] == ["key", "split"]
    ops = {op.operation_id: op.security for r in api.resources for op in r.operations}
    assert ops == {
        "digestOnly": (),
        "digestOrKey": (("key",),),
        "undeclared": (("key",),),
        "hobaOnly": (),
        "split": (("split",),),
    }
    text = "\n".join(str(w) for w in api.warnings)
    assert (
        "security scheme 'digest' skipped: HTTP authentication scheme 'digest' is not supported"
        in text
    )
    assert (
        "security scheme 'hoba' skipped: HTTP authentication scheme 'hoba' is not supported" in text
    )
    assert "/security: no security alternative is usable" in text  # digestOnly inherits it
    assert "/paths/~1hoba-only/get/security: no security alternative is usable" in text
    assert "/paths/~1undeclared/get/security: security alternative 'ghost' dropped" in text
    assert "security scheme 'split': its flows name different token URLs" in text
    assert len(api.warnings) == len(
        set(api.warnings)
    )  # the global requirement is warned about once


def test_generate_prints_the_warnings(tmp_path: Path) -> None:
    """The CLI shows every normalizer warning on stderr during `generate` (and still generates)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(FIXTURES / "unsupported.yaml"),
            "-o",
            str(tmp_path / "out"),
            "--package",
            "unsup_api",
            "--version",
            "0.1.0",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "CLIENTGEN_CACHE_DIR": str(tmp_path / "c")},
    )

    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    spec = str(FIXTURES / "unsupported.yaml")
    assert (
        f"warning: {spec}: security scheme 'digest' skipped: HTTP authentication scheme 'digest' is not "
        "supported (bearer and basic are); operations that accept only it are sent without it; to "
        "authenticate them, send the credential yourself with the client's default_headers=, or per call "
        "with extra_headers= or extra_query=" in lines
    )
    *listed, summary = lines  # every warning, then one line counting them per kind
    assert sum(line.startswith("warning: ") and "secur" in line for line in listed) == 9
    assert summary == "warning: 9 warnings: 9 unsupported security"
    assert (tmp_path / "out" / "unsup_api" / "_client.py").is_file()


async def test_an_operation_left_without_usable_auth_is_sent_without_credentials(
    unsupported: tuple[ModuleType, tuple[str, ...]],
) -> None:
    module, _ = unsupported
    with ScriptedServer() as server:
        server.routes["/digest-only"] = lambda seen: Reply(204)
        client = _class(module, "sync")(base_url=server.url, api_key="k")

        assert (
            client.digest_only.retrieve(extra_headers={"Authorization": "Digest made-by-hand"})
            is None
        )
        with pytest.raises(
            module.errors.MissingCredentialError, match="pass api_key=... or set UNSUP_API_KEY"
        ):
            _class(module, "sync")(base_url=server.url).digest_or_key.retrieve()

    (seen,) = server.seen
    assert seen.headers["authorization"] == "Digest made-by-hand" and "x-key" not in seen.headers


# -- clientgen validate --------------------------------------------------------------------------


def _validate(*args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_validate_shows_galaxy_security() -> None:
    lines = _validate(str(_corpus(GALAXY_SPEC)), "--env-prefix", "GALAXY")

    assert "Security schemes:" in lines
    assert (
        "  bearerAuth: HTTP bearer token (JWT Bearer token authentication); client asks for api_key= "
        "(or $GALAXY_API_KEY)" in lines
    )
    assert (
        "  basicAuth: HTTP basic (Basic HTTP authentication); client asks for username= and password= "
        "(or $GALAXY_USERNAME and $GALAXY_PASSWORD)" in lines
    )
    assert (
        "  apiKeyQuery: API key in query parameter 'api_key' (API key query parameter); client asks for "
        "api_key= (or $GALAXY_API_KEY)" in lines
    )
    assert (
        "  apiKeyCookie: API key in cookie 'api_key' (API key browser cookie); client asks for api_key= "
        "(or $GALAXY_API_KEY)" in lines
    )
    assert (
        "  openIdConnect: HTTP bearer token (OpenID Connect Authentication); client asks for api_key= "
        "(or $GALAXY_API_KEY)" in lines
    )
    oauth = next(line for line in lines if line.startswith("  oAuth2: "))
    assert "an access token: api_key= (or $GALAXY_API_KEY)" in oauth
    assert (
        "client-credentials flow (token from 'https://galaxy.scalar.com/oauth/token'): client_id= and "
        "client_secret= (or $GALAXY_CLIENT_ID and $GALAXY_CLIENT_SECRET)" in oauth
    )
    assert (
        "password flow (token from 'https://galaxy.scalar.com/oauth/token'): username= and password="
        in oauth
    )
    assert (
        "flows the client does not run (pass the token instead): authorization_code, implicit"
        in oauth
    )
    assert (
        "  api_key= or $GALAXY_API_KEY (secret): bearerAuth, apiKeyHeader, apiKeyQuery, apiKeyCookie, "
        "oAuth2 (access token), openIdConnect" in lines
    )
    assert (
        "  username= or $GALAXY_USERNAME (not secret): basicAuth, oAuth2 (password flow)" in lines
    )
    assert (
        "  client_secret= or $GALAXY_CLIENT_SECRET (secret): oAuth2 (client-credentials flow)"
        in lines
    )
    assert (
        "  GET /me -> client.authentication.get_me() -> User; auth: basicAuth or oAuth2 or bearerAuth or "
        "apiKeyHeader or apiKeyQuery or apiKeyHeader + apiKeyQuery; credentials: username+password | api_key "
        "| client_id+client_secret" in lines
    )
    assert (
        "  DELETE /planets/{planetId} -> client.planets.delete() -> None; auth: bearerAuth or basicAuth or "
        "apiKeyQuery or apiKeyHeader or apiKeyHeader + apiKeyQuery or apiKeyCookie or oAuth2 or "
        "openIdConnect; credentials: api_key | username+password | client_id+client_secret" in lines
    )
    assert (
        "  GET /planets -> client.planets.get_all_data() -> PaginatedResource; auth: none" in lines
    )
    assert lines[lines.index("Warnings:") + 1] == "  none"


def test_validate_shows_tictactoe_security() -> None:
    lines = _validate(str(_corpus(TICTACTOE_SPEC)), "--env-prefix", "TTT")

    assert (
        "  defaultApiKey: API key in header 'api-key' (API key provided in console); client asks for "
        "api_key= (or $TTT_API_KEY)" in lines
    )
    assert (
        "  basicHttpAuthentication: HTTP basic (Basic HTTP Authentication); client asks for username= and "
        "password= (or $TTT_USERNAME and $TTT_PASSWORD)" in lines
    )
    assert (
        "  user2AppOauth: OAuth2, sent as a bearer token; client asks for an access token: api_key= (or "
        "$TTT_API_KEY); flows the client does not run (pass the token instead): authorization_code; scopes "
        "requested: board:read board:write" in lines
    )
    assert (
        "  client_id= or $TTT_CLIENT_ID (not secret): app2AppOauth (client-credentials flow)"
        in lines
    )
    assert (
        "  GET /board -> client.gameplay.get_board() -> Status; auth: defaultApiKey or app2AppOauth; "
        "credentials: api_key | client_id+client_secret" in lines
    )
    assert (
        "  PUT /board/{row}/{column} -> client.gameplay.put_square() -> Status; auth: bearerHttpAuthentication "
        "or user2AppOauth; credentials: api_key" in lines
    )


def test_validate_shows_notte_security() -> None:
    lines = _validate(
        str(ROOT / "specs" / "notte.yaml"), "--overlay", str(ROOT / "specs" / "notte.overlay.yaml")
    )

    assert (
        "  OAuth2PasswordBearer: OAuth2, sent as a bearer token; client asks for an access token: api_key= "
        "(or $NOTTE_API_KEY); or password flow (token from 'token', resolved against the base URL): username= "
        "and password= (or $NOTTE_USERNAME and $NOTTE_PASSWORD)" in lines
    )
    assert "  api_key= or $NOTTE_API_KEY (secret): OAuth2PasswordBearer (access token)" in lines
    assert "  password= or $NOTTE_PASSWORD (secret): OAuth2PasswordBearer (password flow)" in lines
    assert "  header parameter 'x-notte-api-key' filled from api_key= (1 operation)" in lines
    assert (
        "  POST /functions/{function_id}/runs/start -> client.functions.run_start() -> Any; auth: "
        "OAuth2PasswordBearer; credentials: api_key | username+password; also header 'x-notte-api-key' "
        "from api_key=" in lines
    )


def test_validate_shows_optional_auth_mutual_tls_and_client_params() -> None:
    combos = _validate(str(FIXTURES / "combos.yaml"))
    assert (
        "  GET /optional -> client.optional.retrieve() -> OptionalModelResponse; auth: bearer or anonymous; "
        "credentials: token | none (anonymous)" in combos
    )
    assert (
        "  GET /both -> client.both.retrieve() -> BothResponse; auth: headerKey + queryKey; credentials: "
        "api_key+query_key" in combos
    )
    tls = _validate(str(FIXTURES / "mtls.yaml"))
    assert (
        "  clientCert: mutual TLS (a client certificate issued by the API's CA); client asks for cert= "
        "(a client certificate)" in tls
    )
    assert "  cert= (a client certificate; no environment variable): clientCert" in tls
    intuned = _validate(
        str(ROOT / "specs" / "intuned.yaml"),
        "--overlay",
        str(ROOT / "specs" / "intuned.overlay.yaml"),
    )
    assert (
        "  client-level parameter 'workspaceId': workspace_id= or $INTUNED_WORKSPACE_ID (given once, to "
        "the client)" in intuned
    )


# -- the constructor asks once, by name; env vars when built ------------------------------------


def test_each_credential_is_asked_for_once_by_name(galaxy: ModuleType) -> None:
    expected = [
        "bearer_token",
        "username",
        "password",
        "header_key",
        "query_key",
        "cookie_key",
        "access_token",
        "client_id",
        "client_secret",
        "oidc_token",
    ]
    parameters = list(inspect.signature(_class(galaxy, "sync")).parameters)
    assert [p for p in parameters if p in expected] == expected  # each once, keyword-only
    assert "cert" in parameters and "verify" in parameters  # mutual TLS and private CAs
    client = _class(galaxy, "sync")(base_url="http://127.0.0.1:9")
    for method in (client.authentication.get_me, client.planets.delete):
        assert not set(inspect.signature(method).parameters) & set(expected)


def test_intuned_takes_the_workspace_id_once() -> None:
    sys.path.insert(0, str(ROOT / "generated" / "intuned"))
    try:
        intuned = importlib.import_module("intuned_api")
    finally:
        sys.path.remove(str(ROOT / "generated" / "intuned"))
    assert "workspace_id" in inspect.signature(intuned.Intuned).parameters
    client = intuned.Intuned(base_url="http://127.0.0.1:9", api_key="k", workspace_id="w")
    assert "workspace_id" not in inspect.signature(client.projects.runs.start).parameters


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_env_vars_are_read_when_the_client_is_built(
    combos: ModuleType, flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ScriptedServer() as server:
        server.routes["/inherited"] = lambda seen: Reply(json={"ok": True})
        monkeypatch.setenv("COMBOS_API_KEY", "from-env")  # after the import, before the build
        client = _class(combos, flavour)(base_url=server.url)
        monkeypatch.setenv("COMBOS_API_KEY", "changed-later")
        await done(client.inherited.retrieve())
        monkeypatch.delenv("COMBOS_API_KEY")
        with pytest.raises(combos.errors.MissingCredentialError) as caught:
            await done(_class(combos, flavour)(base_url=server.url).inherited.retrieve())

    assert [seen.headers["x-key"] for seen in server.seen] == ["Key from-env"]
    assert str(caught.value).endswith("needs an API key: pass api_key=... or set COMBOS_API_KEY")
    assert caught.value.arguments == ("api_key",) and caught.value.env_vars == ("COMBOS_API_KEY",)


# -- OAuth2 flows against a real local token endpoint --------------------------------------------


class Authority:
    """The oauth2.yaml API on a local server: both token endpoints and both resources."""

    def __init__(self, server: ScriptedServer, expires_in: float = 3600) -> None:
        self.server = server
        self.machine = TokenIssuer("machine", expires_in)
        self.user = TokenIssuer("user", expires_in)
        self.revoked: set[str] = set()
        server.routes["/oauth/token"] = self.machine  # `/oauth/token`: from the host's root
        server.routes["/v1/token"] = self.user  # `token`: under the base URL /v1
        server.routes["/v1/items"] = self.resource
        server.routes["/v1/profile"] = self.resource

    def resource(self, seen: Seen) -> Reply:
        token = seen.headers.get("authorization", "").removeprefix("Bearer ")
        if not token.startswith(("machine-", "user-")) or token in self.revoked:
            return Reply(401, json={"detail": "invalid token"})
        return Reply(json=["a", "b"] if seen.path == "/v1/items" else {"name": token})

    def tokens_sent(self, path: str) -> list[str]:
        return [s.headers.get("authorization", "") for s in self.server.to(path)]


@pytest.fixture
def authority() -> Iterator[Authority]:
    with ScriptedServer() as server:
        yield Authority(server)


def _flow_client(module: ModuleType, flavour: str, authority: Authority, **credentials: str) -> Any:
    return _class(module, flavour)(base_url=authority.server.url + "/v1", **credentials)


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_client_credentials_one_token_for_many_calls(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    client = _flow_client(oauth2, flavour, authority, client_id="cid", client_secret="cs")

    results = [await done(client.items.list()) for _ in range(10)]

    assert results == [["a", "b"]] * 10
    assert authority.machine.forms == [
        {
            "grant_type": ["client_credentials"],
            "client_id": ["cid"],
            "client_secret": ["cs"],
            "scope": ["items:read items:write"],
        }
    ]
    assert (
        "authorization" not in authority.machine.headers[0]
    )  # the token request carries no API auth
    assert authority.tokens_sent("/v1/items") == ["Bearer machine-1"] * 10


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_password_flow_with_a_token_url_relative_to_the_base_url(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    client = _flow_client(oauth2, flavour, authority, username="ann", password="pw")

    profiles = [await done(client.profile.get()) for _ in range(3)]

    assert [p.name for p in profiles] == ["user-1"] * 3
    assert authority.user.forms == [
        {"grant_type": ["password"], "username": ["ann"], "password": ["pw"]}
    ]
    assert authority.machine.count == 0


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_an_expired_token_is_refreshed(oauth2: ModuleType, flavour: str) -> None:
    with ScriptedServer() as server:
        authority = Authority(server, expires_in=2.0)  # stale after half its lifetime: 1 s
        client = _flow_client(oauth2, flavour, authority, client_id="cid", client_secret="cs")

        await done(client.items.list())
        await done(client.items.list())
        await asyncio.sleep(1.1)
        await done(client.items.list())
        await done(client.items.list())

    assert authority.machine.count == 2
    assert authority.tokens_sent("/v1/items") == ["Bearer machine-1"] * 2 + ["Bearer machine-2"] * 2


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_a_401_fetches_a_new_token_and_retries_once(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    client = _flow_client(oauth2, flavour, authority, username="ann", password="pw")
    await done(client.profile.get())
    authority.revoked.add("user-1")  # the server revokes the cached token

    assert (await done(client.profile.get())).name == "user-2"
    assert (await done(client.profile.get())).name == "user-2"
    assert authority.user.count == 2
    assert authority.tokens_sent("/v1/profile") == [
        "Bearer user-1",
        "Bearer user-1",
        "Bearer user-2",
        "Bearer user-2",
    ]


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_a_401_that_persists_is_raised_without_a_loop(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    authority.server.routes["/v1/items"] = lambda seen: Reply(401, json={"detail": "no"})
    client = _flow_client(oauth2, flavour, authority, client_id="cid", client_secret="cs")

    with pytest.raises(oauth2.errors.AuthenticationError):
        await done(client.items.list())

    assert authority.machine.count == 2  # the first token, and one after the 401
    assert authority.tokens_sent("/v1/items") == ["Bearer machine-1", "Bearer machine-2"]


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_a_static_token_needs_no_token_endpoint(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    client = _flow_client(
        oauth2, flavour, authority, api_key="machine-static", client_id="c", client_secret="s"
    )

    await done(client.items.list())
    authority.server.routes["/v1/items"] = lambda seen: Reply(401, json={"detail": "no"})
    with pytest.raises(oauth2.errors.AuthenticationError):
        await done(client.items.list())

    assert authority.machine.count == 0  # a static token is sent as is, and a 401 is not retried
    assert authority.tokens_sent("/v1/items") == ["Bearer machine-static"] * 2


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_a_flow_without_its_credentials_fails_before_sending(
    oauth2: ModuleType, authority: Authority, flavour: str
) -> None:
    client = _flow_client(oauth2, flavour, authority, client_id="cid")

    with pytest.raises(oauth2.errors.MissingCredentialError) as caught:
        await done(client.items.list())

    assert str(caught.value).endswith(
        "needs credentials for this operation: an access token (pass api_key=... or set OAUTHFLOWS_API_KEY), or a "
        "client ID and client secret (pass client_secret=... or set OAUTHFLOWS_CLIENT_SECRET)"
    )
    assert authority.server.seen == []


# -- mutual TLS ---------------------------------------------------------------------------------


@dataclass
class Certificates:
    folder: Path

    def path(self, name: str) -> str:
        return str(self.folder / name)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.path("server.pem"), self.path("server.key"))
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(self.path("ca.pem"))
        return context

    def trusting_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.path("ca.pem"))

    @property
    def client_cert(self) -> tuple[str, str, str]:
        return self.path("client.pem"), self.path("client.key"), SENTINEL


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A CA, a server certificate for 127.0.0.1 and a client certificate whose key has a password."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    folder = tmp_path_factory.mktemp("security-certs")
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    sign = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"]
    for command in (
        [
            "req",
            "-x509",
            *ec,
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=ca",
        ],
        [
            "req",
            *ec,
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        ["x509", "-req", "-in", "server.csr", *sign, "-out", "server.pem", "-extfile", "san.ext"],
        [
            "req",
            *ec,
            "-keyout",
            "client.key",
            "-passout",
            f"pass:{SENTINEL}",
            "-out",
            "client.csr",
            "-subj",
            "/CN=client",
        ],
        ["x509", "-req", "-in", "client.csr", *sign, "-out", "client.pem"],
    ):
        subprocess.run(["openssl", *command], cwd=folder, check=True, capture_output=True)
    return Certificates(folder)


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_mutual_tls_presents_the_client_certificate(
    mtls: ModuleType, certificates: Certificates, flavour: str
) -> None:
    cls = _class(mtls, flavour)
    with ScriptedServer(tls=certificates.server_context()) as server:
        server.routes["/whoami"] = lambda seen: Reply(json={"ok": True})
        server.routes["/both"] = lambda seen: Reply(json={"key": seen.headers.get("x-key")})
        client = cls(
            base_url=server.url,
            cert=certificates.client_cert,
            verify=certificates.trusting_context(),
        )

        assert await done(client.whoami.retrieve()) == {
            "ok": True
        }  # the server requires the certificate
        with pytest.raises(mtls.errors.MissingCredentialError) as no_key:
            await done(client.both.retrieve())
        keyed = cls(
            base_url=server.url,
            cert=certificates.client_cert,
            verify=certificates.trusting_context(),
            api_key="k",
        )
        assert await done(keyed.both.retrieve()) == {"key": "k"}  # AND: the certificate and the key
        before = len(server.seen)
        with pytest.raises(mtls.errors.MissingCredentialError) as no_cert:
            await done(cls(base_url=server.url, api_key="k").whoami.retrieve())
        assert len(server.seen) == before

    assert str(no_key.value).endswith("needs an API key: pass api_key=... or set MTLS_API_KEY")
    assert str(no_cert.value).endswith("needs a client certificate: pass cert=...")


# -- secrets never show -------------------------------------------------------------------------


def echo(seen: Seen) -> Reply:
    """A careless server: repeats every credential it received in a 400 error body."""
    authorization = seen.headers.get("authorization", "")
    decoded = (
        base64.b64decode(authorization[6:]).decode() if authorization.startswith("Basic ") else ""
    )
    said = {
        "auth": authorization,
        "decoded": decoded,
        "key": seen.headers.get("x-api-key", ""),
        "cookie": seen.headers.get("cookie", ""),
        "query": seen.target.partition("?")[2],
    }
    return Reply(400, json={"error": "bad request", "echo": said})


def _forms(secret: str, username: str | None) -> set[str]:
    """A secret as it could show up: raw, percent- or form-encoded, inside a basic credential."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        str(httpx.QueryParams({"": secret}))[1:],
    }
    if username:
        forms.add(base64.b64encode(f"{username}:{secret}".encode()).decode())
    return forms


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


SECRET_WAYS = {  # scheme type (and the Galaxy scheme that has it) ➜ credentials
    "apiKey header": {"header_key": SENTINEL},
    "apiKey query": {"query_key": SENTINEL},
    "apiKey cookie": {"cookie_key": SENTINEL},
    "http bearer": {"bearer_token": SENTINEL},
    "http basic": {"username": "ann", "password": SENTINEL},
    "oauth2 static token": {"access_token": SENTINEL},
    "oauth2 client credentials": {"client_id": "cid", "client_secret": SENTINEL},
    "openIdConnect": {"oidc_token": SENTINEL},
}


def _leaks(texts: list[str], username: str | None) -> list[str]:
    forms = _forms(SENTINEL, username)
    return [text for text in texts if any(form in text for form in forms)]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("way", [*SECRET_WAYS, "oauth2 password", "mutualTLS key password"])
async def test_a_secret_never_shows_in_repr_errors_tracebacks_or_logs(
    galaxy: ModuleType,
    oauth2: ModuleType,
    mtls: ModuleType,
    certificates: Certificates,
    way: str,
    flavour: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the package's, httpx's, httpcore's
    options: dict[str, Any]
    username: str | None
    with ExitStack() as stack:
        if way == "mutualTLS key password":
            server = stack.enter_context(ScriptedServer(tls=certificates.server_context()))
            server.routes["/whoami"] = echo
            options = {"cert": certificates.client_cert, "verify": certificates.trusting_context()}
            module, base, call, username = mtls, server.url, lambda c: c.whoami.retrieve(), None
        elif way == "oauth2 password":
            server = stack.enter_context(ScriptedServer())
            server.routes["/v1/token"] = TokenIssuer(prefix=SENTINEL)
            server.routes["/v1/profile"] = echo
            options = {"username": "ann", "password": SENTINEL}
            module, base, call, username = (
                oauth2,
                server.url + "/v1",
                lambda c: c.profile.get(),
                "ann",
            )
        else:
            server = stack.enter_context(ScriptedServer())
            server.routes["/planets/1"] = echo
            options = SECRET_WAYS[way]
            module, base, call, username = (
                galaxy,
                server.url,
                lambda c: c.planets.delete(1),
                options.get("username"),
            )
        cls = _class(module, flavour)
        client = cls(base_url=base, **options)

        with pytest.raises(module.errors.BadRequestError) as bad:
            await done(call(client))
        with pytest.raises(module.errors.APIConnectionError) as unreachable:
            await done(call(cls(base_url=_closed_port(), max_retries=0, **options)))
        copy = client.with_options(timeout=5)

    if way != "mutualTLS key password":
        assert _leaks([bad.value.body], username), "the server did receive the secret and repeat it"
    errors = [bad.value, unreachable.value]
    texts = [
        repr(client),
        str(client),
        repr(copy),
        repr(client.planets if module is galaxy else client),
    ]
    texts += [
        text
        for error in errors
        for text in (
            str(error),
            repr(error),
            error.message,
            "".join(traceback.format_exception(error)),
        )
    ]
    texts += [record.getMessage() for record in caplog.records]
    assert any(record.name == module.__name__ for record in caplog.records)
    assert _leaks(texts, username) == []


# -- Prism: every scheme, every secured operation, through the generated clients -----------------


@pytest.fixture(scope="module")
def prism() -> Iterator[dict[str, str]]:
    if not prism_available():
        pytest.skip("Prism is not installed (run .ci/install)")
    specs = {"combos": FIXTURES / "combos.yaml"}
    specs.update(
        {
            name: path
            for name, path in (("galaxy", GALAXY_SPEC), ("tictactoe", TICTACTOE_SPEC))
            if path.is_file()
        }
    )
    with ExitStack() as stack:
        yield {name: stack.enter_context(run_prism(path)) for name, path in specs.items()}


def _prism_accepted(result: Any, error: BaseException | None) -> None:
    """Prism accepted the request's credentials. A result; or a 500 whose every violation is in
    Prism's OWN mock response (Galaxy's recursive CelestialBody defeats Prism's generator; the
    request was checked first)."""
    if error is None:
        return
    response = getattr(error, "response", None)
    assert response is not None, error
    assert response.status_code == 500, error
    violations = response.json().get("validation", [])
    assert violations and all(v["location"][0] == "response" for v in violations), error


async def _call(make: Callable[[Any], Any], client: Any) -> tuple[Any, BaseException | None]:
    """``make(client)``'s result, or the error it raised (for `_prism_accepted` to judge)."""
    try:
        return await done(make(client)), None
    except Exception as error:  # noqa: BLE001
        return None, error


GALAXY_CALLS: dict[str, Callable[[Any], Any]] = {  # every operationId with a security requirement
    # Planet's `id` is readOnly: the server's to set, so it is no argument (and not required).
    "createPlanet": lambda c: c.planets.create(name="Mars", type="terrestrial"),
    "updatePlanet": lambda c: c.planets.update(1, name="Mars", type="terrestrial"),
    "deletePlanet": lambda c: c.planets.delete(1),
    "uploadImage": lambda c: c.planets.upload_image(1, image=PNG),
    "createCelestialBody": lambda c: c.celestial_bodies.create(
        body={"id": 2, "name": "Luna", "type": "moon"}
    ),
    "getMe": lambda c: c.authentication.get_me(),
}
GALAXY_WAYS: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    # way ➜ (scheme, credentials given, what must be on the wire: nothing else may be)
    "bearerAuth": ("bearerAuth", {"bearer_token": "bt-1"}, {"authorization": "Bearer bt-1"}),
    "basicAuth": (
        "basicAuth",
        {"username": "ann", "password": "pw-1"},
        {"authorization": basic("ann", "pw-1")},
    ),
    "apiKeyQuery": ("apiKeyQuery", {"query_key": "qk-1"}, {"?api_key": "qk-1"}),
    "apiKeyHeader": ("apiKeyHeader", {"header_key": "hk-1"}, {"x-api-key": "hk-1"}),
    "apiKeyCookie": ("apiKeyCookie", {"cookie_key": "ck-1"}, {"cookie": "api_key=ck-1"}),
    "oAuth2 access token": ("oAuth2", {"access_token": "at-1"}, {"authorization": "Bearer at-1"}),
    "oAuth2 client credentials": (
        "oAuth2",
        {"client_id": "cid", "client_secret": "cs-1"},
        {"authorization": f"Bearer {SENTINEL}-issued-*"},
    ),
    "openIdConnect": (
        "openIdConnect",
        {"oidc_token": "oidc-1"},
        {"authorization": "Bearer oidc-1"},
    ),
}


def _spec_security(spec: Path) -> dict[str, list[list[str]]]:
    """operationId ➜ the alternatives (scheme names) the published document gives it."""
    document = yaml.safe_load(spec.read_text())
    out = {}
    for item in document["paths"].values():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch") and isinstance(op, dict):
                security = op.get("security", document.get("security", []))
                out[op["operationId"]] = [list(alternative) for alternative in security]
    return out


def _matches(actual: dict[str, str], expected: dict[str, str]) -> bool:
    return actual.keys() == expected.keys() and all(
        actual[k] == v or (v.endswith("*") and actual[k].startswith(v[:-1]))
        for k, v in expected.items()
    )


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("way", list(GALAXY_WAYS))
async def test_galaxy_each_scheme_on_each_secured_operation_passes_prism(
    galaxy: ModuleType,
    prism: dict[str, str],
    token_server: tuple[ScriptedServer, TokenIssuer],
    way: str,
    flavour: str,
) -> None:
    security = _spec_security(GALAXY_SPEC)
    assert {op for op, alts in security.items() if alts} == set(GALAXY_CALLS)
    scheme, credentials, wire = GALAXY_WAYS[way]
    accepting = [op for op, alts in security.items() if [scheme] in alts]
    client, recorder = recorded(galaxy, flavour, prism["galaxy"], **credentials)
    fetched = token_server[1].count

    for op in accepting:
        _prism_accepted(*await _call(GALAXY_CALLS[op], client))

    sent = [r for r in recorder.requests if str(r.url).startswith(prism["galaxy"])]
    assert len(sent) == len(accepting) >= 5
    assert [r for r in sent if not _matches(evidence(r), wire)] == []
    token_requests = [r for r in recorder.requests if r not in sent]
    if way == "oAuth2 client credentials":  # one token for every call of this client
        assert [str(r.url) for r in token_requests] == [token_server[0].url + "/oauth/token"]
        assert token_server[1].count == fetched + 1
        assert token_server[1].forms[-1]["grant_type"] == ["client_credentials"]
    else:
        assert token_requests == []
    for op in set(GALAXY_CALLS) - set(accepting):  # e.g. getMe does not take a cookie
        with pytest.raises(galaxy.errors.MissingCredentialError):
            await done(GALAXY_CALLS[op](client))
    assert len(recorder.requests) == len(sent) + len(token_requests)


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_galaxy_without_credentials_fails_before_sending(
    galaxy: ModuleType, galaxy_plain: ModuleType, prism: dict[str, str], flavour: str
) -> None:
    for module in (galaxy, galaxy_plain):
        client, recorder = recorded(module, flavour, prism["galaxy"])
        for make in GALAXY_CALLS.values():
            with pytest.raises(module.errors.MissingCredentialError) as caught:
                await done(make(client))
            message, error = str(caught.value), caught.value
            assert error.arguments and len(error.env_vars) == len(error.arguments)
            for argument, env in zip(error.arguments, error.env_vars, strict=True):
                assert (
                    f"{argument}=..." in message
                    and env in message
                    and env == f"GALAXY_{argument.upper()}"
                )
        assert recorder.requests == []
    client, _ = recorded(galaxy_plain, flavour, prism["galaxy"])
    with pytest.raises(galaxy_plain.errors.MissingCredentialError) as caught:
        await done(client.planets.delete(1))
    assert str(caught.value).endswith(
        "needs credentials for this operation: an API key (pass api_key=... or set GALAXY_API_KEY), or a username "
        "and password (pass username=... and password=... or set GALAXY_USERNAME and GALAXY_PASSWORD), or a "
        "client ID and client secret (pass client_id=... and client_secret=... or set GALAXY_CLIENT_ID and "
        "GALAXY_CLIENT_SECRET)"
    )
    # Prism itself refuses what the client refuses to send:
    async with httpx.AsyncClient(base_url=prism["galaxy"]) as raw:
        assert (await raw.delete("/planets/1")).status_code == 401
        assert (await raw.get("/me", headers={"Cookie": "api_key=ck"})).status_code == 401
        planet = {"name": "Mars", "type": "terrestrial"}
        assert (await raw.post("/planets", json=planet)).status_code == 401


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_galaxy_as_published_uses_the_first_alternative_it_has_credentials_for(
    galaxy_plain: ModuleType, galaxy: ModuleType, prism: dict[str, str], flavour: str
) -> None:
    key, key_rec = recorded(
        galaxy_plain, flavour, prism["galaxy"], api_key="k-1", username="ann", password="pw"
    )
    user, user_rec = recorded(galaxy_plain, flavour, prism["galaxy"], username="ann", password="pw")
    everything, all_rec = recorded(
        galaxy,
        flavour,
        prism["galaxy"],
        **{
            name: value
            for _, credentials, _ in GALAXY_WAYS.values()
            for name, value in credentials.items()
        },
    )
    for make in GALAXY_CALLS.values():
        for client in (key, user, everything):
            _prism_accepted(*await _call(make, client))
        _prism_accepted(
            *await _call(lambda c: c.planets.get(1), key)
        )  # a public operation sends nothing

    ops = list(GALAXY_CALLS)
    first = {
        op: _spec_security(GALAXY_SPEC)[op][0][0] for op in ops
    }  # bearerAuth, or basicAuth for getMe
    wire = {
        "bearerAuth": {"authorization": "Bearer k-1"},
        "basicAuth": {"authorization": basic("ann", "pw")},
    }
    key_ops = [r for r in key_rec.requests if r.url.path != "/planets/1" or r.method != "GET"]
    assert [evidence(r) for r in key_ops] == [wire[first[op]] for op in ops]
    assert [
        evidence(r) for r in key_rec.requests if r.method == "GET" and r.url.path == "/planets/1"
    ] == [{}] * 6
    assert [evidence(r) for r in user_rec.requests] == [{"authorization": basic("ann", "pw")}] * 6
    distinct = {
        "bearerAuth": {"authorization": "Bearer bt-1"},
        "basicAuth": {"authorization": basic("ann", "pw-1")},
    }
    assert [evidence(r) for r in all_rec.requests] == [distinct[first[op]] for op in ops]


TICTACTOE_CALLS: dict[str, Callable[[Any], Any]] = {
    "get-board": lambda c: c.gameplay.get_board(),
    "get-square": lambda c: c.gameplay.get_square(1, 2),
    "put-square": lambda c: c.gameplay.put_square(1, 2, body="X"),
}
TICTACTOE_WAYS: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "defaultApiKey": ("defaultApiKey", {"api_key": "k-1"}, {"api-key": "k-1"}),
    "app2AppOauth access token": (
        "app2AppOauth",
        {"app_token": "a-1"},
        {"authorization": "Bearer a-1"},
    ),
    "app2AppOauth client credentials": (
        "app2AppOauth",
        {"client_id": "cid", "client_secret": "cs"},
        {"authorization": f"Bearer {SENTINEL}-issued-*"},
    ),
    "bearerHttpAuthentication": (
        "bearerHttpAuthentication",
        {"bearer_token": "b-1"},
        {"authorization": "Bearer b-1"},
    ),
    "user2AppOauth access token": (
        "user2AppOauth",
        {"user_token": "u-1"},
        {"authorization": "Bearer u-1"},
    ),
}


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("way", list(TICTACTOE_WAYS))
async def test_tictactoe_each_scheme_on_each_secured_operation_passes_prism(
    tictactoe: ModuleType,
    prism: dict[str, str],
    token_server: tuple[ScriptedServer, TokenIssuer],
    way: str,
    flavour: str,
) -> None:
    security = _spec_security(TICTACTOE_SPEC)
    assert set(security) == set(TICTACTOE_CALLS)
    scheme, credentials, wire = TICTACTOE_WAYS[way]
    accepting = [op for op, alts in security.items() if [scheme] in alts]
    client, recorder = recorded(tictactoe, flavour, prism["tictactoe"], **credentials)

    for op in accepting:
        _prism_accepted(*await _call(TICTACTOE_CALLS[op], client))
    for op in set(TICTACTOE_CALLS) - set(accepting):
        with pytest.raises(tictactoe.errors.MissingCredentialError):
            await done(TICTACTOE_CALLS[op](client))

    sent = [r for r in recorder.requests if str(r.url).startswith(prism["tictactoe"])]
    assert len(sent) == len(accepting) >= 1
    assert [r for r in sent if not _matches(evidence(r), wire)] == []
    token_requests = [str(r.url) for r in recorder.requests if r not in sent]
    assert token_requests == (
        [token_server[0].url + "/oauth/token"] if "client credentials" in way else []
    )


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_tictactoe_as_published(
    tictactoe_plain: ModuleType, prism: dict[str, str], flavour: str
) -> None:
    client, recorder = recorded(tictactoe_plain, flavour, prism["tictactoe"], api_key="k-1")
    for make in TICTACTOE_CALLS.values():
        _prism_accepted(*await _call(make, client))
    bare, bare_rec = recorded(tictactoe_plain, flavour, prism["tictactoe"])
    for make in TICTACTOE_CALLS.values():
        with pytest.raises(tictactoe_plain.errors.MissingCredentialError, match="TTT_API_KEY"):
            await done(make(bare))

    assert [evidence(r) for r in recorder.requests] == [
        {"api-key": "k-1"},
        {"authorization": "Bearer k-1"},
        {"authorization": "Bearer k-1"},
    ]
    assert bare_rec.requests == []
    # basicHttpAuthentication is used by no operation: generated and documented all the same.
    assert type(tictactoe_plain._client._SCHEMES["basicHttpAuthentication"]).__name__ == "BasicAuth"


@pytest.mark.slow
@needs_prism
@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_requirement_combinations_pass_prism(
    combos: ModuleType, prism: dict[str, str], flavour: str
) -> None:
    url = prism["combos"]
    everything = {
        "api_key": "hk",
        "query_key": "qk",
        "session_key": "sk",
        "token": "tk",
        "username": "ann",
        "password": "pw",
    }
    full, full_rec = recorded(combos, flavour, url, **everything)
    for name in ("inherited", "override", "both", "either", "optional", "public"):
        assert (await done(getattr(full, name).retrieve())).ok is True
    assert [evidence(r) for r in full_rec.requests] == [
        {"x-key": "Key hk"},  # the global requirement, with its declared prefix
        {"cookie": "session=sk"},  # the operation's own requirement replaces the global one
        {"x-key": "Key hk", "?key": "qk"},  # AND: both schemes on one request
        {"authorization": basic("ann", "pw")},  # OR: the first alternative in the document's order
        {"authorization": "Bearer tk"},  # auth optional: credentials the client has are sent
        {},  # security: [] sends nothing
    ]

    token_only, token_rec = recorded(combos, flavour, url, token="tk")
    assert (await done(token_only.either.retrieve())).ok is True
    assert (await done(token_only.optional.retrieve())).ok is True
    anonymous, anonymous_rec = recorded(combos, flavour, url)
    assert (
        await done(anonymous.optional.retrieve())
    ).ok is True  # Prism: `{}` means no Authorization
    assert [evidence(r) for r in token_rec.requests + anonymous_rec.requests] == [
        {"authorization": "Bearer tk"},
        {"authorization": "Bearer tk"},
        {},
    ]

    half, half_rec = recorded(combos, flavour, url, api_key="hk")
    with pytest.raises(combos.errors.MissingCredentialError) as caught:
        await done(half.both.retrieve())
    assert str(caught.value).endswith(
        "needs an API key: pass query_key=... or set COMBOS_QUERY_KEY"
    )
    assert half_rec.requests == []
    async with httpx.AsyncClient(base_url=url) as raw:  # Prism does enforce the AND
        assert (await raw.get("/both", headers={"X-Key": "Key hk"})).status_code == 401
        assert (await raw.get("/optional", headers={"Authorization": "Basic x"})).status_code == 401

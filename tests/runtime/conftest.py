"""Fixtures of the runtime tests: a throwaway package built from templates/runtime, real servers.

The package `rtpkg` is `templates/runtime/*.py` plus the hand-written `pkg/` files (standing in
for what the generator writes), imported from a temporary folder through `sys.path`.
"""

from __future__ import annotations

import importlib
import inspect
import shutil
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from runtime_server import ScriptedServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNTIME = ROOT / "templates" / "runtime"
PACKAGE = "rtpkg"
VERSION_PY = '__title__ = "rt-pkg"\n__version__ = "1.2.3"\n'
SENTINEL = "SeNtInEl-s3cr3t+/=&x"
"""A credential value that must never show up in text the client produces."""

T = TypeVar("T")


@pytest.fixture(scope="session")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runtime-package")
    package = root / PACKAGE
    package.mkdir()
    for source in [*RUNTIME.glob("*.py"), *(HERE / "pkg").glob("*.py")]:
        shutil.copy(source, package / source.name)
    (package / "_version.py").write_text(VERSION_PY)
    (package / "py.typed").touch()
    return root


@pytest.fixture(scope="session")
def rt(package_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(package_dir))
    try:
        module = importlib.import_module(PACKAGE)
        # The test-only knob: fast exponential backoff (Retry-After is still honoured in full).
        for cls in (module.RtClient, module.AsyncRtClient):
            cls._backoff_base = 0.01
        yield module
    finally:
        sys.path.remove(str(package_dir))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _no_credentials_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "API_KEY",
        "USERNAME",
        "PASSWORD",
        "CLIENT_ID",
        "CLIENT_SECRET",
        "BASE_URL",
        "WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(f"RT_{name}", raising=False)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


@dataclass
class Harness:
    """Runs the same test against the sync or the async client."""

    mode: str
    rt: ModuleType
    server: ScriptedServer

    def __post_init__(self) -> None:
        self.clients: list[Any] = []

    @property
    def is_async(self) -> bool:
        return self.mode == "async"

    def client(self, **kwargs: Any) -> Any:
        cls = self.rt.AsyncRtClient if self.is_async else self.rt.RtClient
        options = {"api_key": "test-key", "base_url": self.server.url, **kwargs}
        made = cls(**options)
        self.clients.append(made)
        return made

    async def __call__(self, value: T | Awaitable[T]) -> T:
        """The result of a client call: awaited for async clients, as is for sync ones."""
        if inspect.isawaitable(value):
            return await value
        return value

    async def close(self) -> None:
        for made in self.clients:
            await self(made.aclose() if self.is_async else made.close())


@pytest.fixture(params=["sync", "async"])
async def api(
    request: pytest.FixtureRequest, rt: ModuleType, server: ScriptedServer
) -> AsyncIterator[Harness]:
    harness = Harness(request.param, rt, server)
    yield harness
    await harness.close()


@dataclass
class Certificates:
    folder: Path
    key_password: str

    def path(self, name: str) -> str:
        return str(self.folder / name)

    def server_context(self, require_client_cert: bool) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.path("server.pem"), self.path("server.key"))
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(self.path("ca.pem"))
        return context

    def trusting_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.path("ca.pem"))


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A CA, a server certificate for 127.0.0.1 and a client certificate with a locked key."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    folder = tmp_path_factory.mktemp("certs")
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    sign = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"]
    commands = [
        ["req", "-x509", *ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem"]
        + ["-days", "2", "-subj", "/CN=rt-test-ca"],
        ["req", *ec, "-nodes", "-keyout", "server.key", "-out", "server.csr"]
        + ["-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", "server.csr", *sign, "-out", "server.pem"]
        + ["-extfile", "san.ext"],
        ["req", *ec, "-keyout", "client.key", "-passout", f"pass:{SENTINEL}"]
        + ["-out", "client.csr", "-subj", "/CN=rt-client"],
        ["x509", "-req", "-in", "client.csr", *sign, "-out", "client.pem"],
    ]
    for command in commands:
        subprocess.run(["openssl", *command], cwd=folder, check=True, capture_output=True)
    return Certificates(folder, SENTINEL)

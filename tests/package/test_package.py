"""`clientgen build` / `clientgen publish` against real tools: PEP 517 builds, twine, a pypiserver
with upload authentication on loopback, pip in fresh virtual environments.

One pypiserver, one fresh venv and one build of the five vendor clients serve the whole module.
The vendor tests need `generated/` (run `./tasks generate`); the others use a small hand-made
hatchling project in a temporary folder, so the packaging code is tested even when the
generator is not.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from generator.cli.package import build_command, publish_command
from generator.config import ClientConfig, load_project
from generator.errors import ClientgenError
from generator.package import build_clients, publish, read_artifact, sha256

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings(
        "ignore:'crypt' is deprecated:DeprecationWarning"
    ),  # passlib, for htpasswd
]

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "ci-uploader", "pa55-w0rd"
#: The vendor client installed from the index and called; any of the five would do.
INSTALLED = "ziet"


# --------------------------------------------------------------------------------------------
# fixtures: a package index, a fresh venv, the vendor clients built once


@dataclass(frozen=True)
class Index:
    url: str  # upload URL (pypiserver takes uploads at /)
    simple: str  # PEP 503 simple API
    packages: Path  # the folder pypiserver serves

    def files(self) -> dict[str, str]:
        """File name ➜ SHA-256 of everything the index holds."""
        return {p.name: sha256(p) for p in sorted(self.packages.iterdir()) if p.is_file()}

    def listed(self, project: str) -> list[str]:
        """File names the simple API lists for ``project``."""
        try:
            with urllib.request.urlopen(f"{self.simple}{project}/", timeout=10) as response:
                page = response.read().decode()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return []
            raise
        from generator.package import _Links

        links = _Links()
        links.feed(page)
        return links.files


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """A real pypiserver on 127.0.0.1 that needs a password (htpasswd, bcrypt-free) to upload."""
    from passlib.apache import HtpasswdFile

    home = tmp_path_factory.mktemp("pypiserver")
    packages = home / "packages"
    packages.mkdir()
    htpasswd = HtpasswdFile(str(home / "htpasswd"), new=True, default_scheme="sha256_crypt")
    htpasswd.set_password(USER, PASSWORD)
    htpasswd.save()
    port = _free_port()
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-a",
            "update",
            "-P",
            str(home / "htpasswd"),
            "--disable-fallback",
            str(packages),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"pypiserver did not start: {(home / 'server.log').read_text()}"
                    ) from None
                time.sleep(0.1)
        yield Index(url=url, simple=f"{url}simple/", packages=packages)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Upload credentials the way twine reads them: the environment, never the command line."""
    monkeypatch.setenv("TWINE_USERNAME", USER)
    monkeypatch.setenv("TWINE_PASSWORD", PASSWORD)


def _pypi_indexes() -> list[str]:
    """How this machine reaches PyPI: pip's configured index (default pypi.org) and its mirrors."""

    def config(key: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "config", "get", key],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    main = (
        os.environ.get("PIP_INDEX_URL") or config("global.index-url") or "https://pypi.org/simple"
    )
    extra = os.environ.get("PIP_EXTRA_INDEX_URL") or config("global.extra-index-url")
    return [main, *extra.split()]


@dataclass(frozen=True)
class Venv:
    path: Path
    python: Path

    def pip(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            check=False,
        )
        assert (
            result.returncode == 0
        ), f"pip {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run(
            list(args), capture_output=True, text=True, cwd=cwd, env=env, check=False
        )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtual environment, outside the source tree, shared by the install tests."""
    path = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return Venv(path, path / "bin" / "python")


@pytest.fixture(scope="module")
def vendors(tmp_path_factory: pytest.TempPathFactory) -> list[ClientConfig]:
    """The five vendor clients as committed in generated/; any missing there is generated afresh
    into a temporary folder (by the real pipeline), so the test does not depend on a checkout
    that carries generated/."""
    configs = load_project(ROOT / "pyproject.toml")
    ready = []
    for config in configs:
        if not (config.output / "pyproject.toml").is_file():
            from generator.pipeline import generate

            config = dataclasses.replace(
                config, output=tmp_path_factory.mktemp("gen") / config.name
            )
            try:
                generate(config)
            except ClientgenError as exc:
                pytest.skip(f"generated/{config.name} is missing and cannot be generated: {exc}")
        ready.append(config)
    return ready


@pytest.fixture(scope="module")
def vendor_dist(
    vendors: list[ClientConfig], tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    return build_clients(vendors, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def published(index: Index, vendor_dist: list[Path]) -> list[Path]:
    """The five vendor clients, uploaded once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWINE_USERNAME", USER)
        patch.setenv("TWINE_PASSWORD", PASSWORD)
        uploaded = publish(vendor_dist, index.url, dry_run=False)
    assert [a.path for a in uploaded] == vendor_dist
    return vendor_dist


# --------------------------------------------------------------------------------------------
# a hand-made project: [tool.clientgen] plus a hatchling package standing in for generated output


PYPROJECT = """\
[project]
name = "demo-workspace"
version = "0"

[tool.clientgen]
output = "generated"

[[tool.clientgen.clients]]
name = "{name}"
spec = "specs/{name}.yaml"
package = "{name}_api"
version = "{version}"
"""

CLIENT_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.24"]
build-backend = "hatchling.build"

[project]
name = "{dist}"
version = "{version}"
description = "A hand-made stand-in for a generated client."
readme = {readme}
requires-python = ">=3.10"
dependencies = ["httpx>=0.27,<1"]

[tool.hatch.build.targets.wheel]
packages = ["{package}"]
"""


def _workspace(
    root: Path,
    name: str,
    version: str = "0.1.0",
    *,
    generated: bool = True,
    readme: tuple[str, str, str] = ("README.md", "text/markdown", "# Demo\n\nHello.\n"),
) -> ClientConfig:
    """A folder with a pyproject.toml listing one client and (unless not ``generated``) its package."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(name=name, version=version))
    [config] = load_project(root / "pyproject.toml")
    if generated:
        tree = config.output
        (tree / config.package).mkdir(parents=True)
        readme_file, content_type, text = readme
        (tree / readme_file).write_text(text)
        (tree / "pyproject.toml").write_text(
            CLIENT_PYPROJECT.format(
                dist=config.dist_name,
                version=version,
                package=config.package,
                readme=f'{{ file = "{readme_file}", content-type = "{content_type}" }}',
            )
        )
        (tree / config.package / "__init__.py").write_text(f'__version__ = "{version}"\n')
        (tree / config.package / "py.typed").write_text("")
    return config


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ClientConfig:
    return _workspace(tmp_path_factory.mktemp("demo"), "cgdemo")


# --------------------------------------------------------------------------------------------
# build


def test_each_vendor_client_builds_to_an_sdist_and_a_wheel(
    vendors: list[ClientConfig], vendor_dist: list[Path]
) -> None:
    assert len(vendor_dist) == 2 * len(vendors) == 10
    for config, (sdist, wheel) in zip(vendors, zip(vendor_dist[::2], vendor_dist[1::2])):
        version = read_artifact(sdist).version
        prefix = f"{config.dist_name.replace('-', '_')}-{version}"
        assert sdist.name == f"{prefix}.tar.gz" and wheel.name == f"{prefix}-py3-none-any.whl"
        assert config.version is None or version == config.version
        import zipfile

        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
        assert f"{config.package}/__init__.py" in names and f"{config.package}/py.typed" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_two_builds_of_the_same_tree_give_the_same_bytes(
    vendors: list[ClientConfig], vendor_dist: list[Path], tmp_path: Path
) -> None:
    again = build_clients(vendors, tmp_path / "again")
    first = {p.name: sha256(p) for p in vendor_dist}
    second = {p.name: sha256(p) for p in again}
    print("\n" + "\n".join(f"{digest}  {name}" for name, digest in sorted(first.items())))
    assert first == second

    # A copy with other mtimes, permissions and umask still gives the same archives.
    config = next(c for c in vendors if c.name == INSTALLED)
    copy = tmp_path / "copy" / config.name
    shutil.copytree(config.output, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for number, path in enumerate(sorted(copy.rglob("*"))):
        os.utime(path, (1_000_000_000 + number, 1_000_000_000 + number))
        path.chmod(0o700 if path.is_dir() else 0o600)
    moved = dataclasses.replace(config, output=copy)
    perturbed = {p.name: sha256(p) for p in build_clients([moved], tmp_path / "perturbed")}
    assert perturbed == {name: first[name] for name in perturbed}


def test_build_refuses_a_client_that_is_not_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, "ghost", generated=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_command, [])
    assert result.exit_code == 1
    assert "error: client 'ghost' has not been generated yet" in result.stderr
    assert "clientgen generate" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "dist").exists()


def test_build_names_unknown_clients(demo: ClientConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo.output.parent.parent)
    result = CliRunner().invoke(build_command, ["nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no configured client named nope (configured: cgdemo)")


def test_cli_build_writes_to_dist_beside_pyproject(
    demo: ClientConfig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    workspace = demo.output.parent.parent
    monkeypatch.chdir(demo.output)  # pyproject.toml is found from a subfolder too
    result = CliRunner().invoke(build_command, [])
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (workspace / "dist").iterdir())
    assert built == ["cgdemo_api-0.1.0-py3-none-any.whl", "cgdemo_api-0.1.0.tar.gz"]
    assert result.stdout.split() == [str(workspace / "dist" / n) for n in reversed(built)]
    other = CliRunner().invoke(build_command, ["cgdemo", "--dist", str(tmp_path / "elsewhere")])
    assert other.exit_code == 0, other.output
    assert {p.name: sha256(p) for p in (tmp_path / "elsewhere").iterdir()} == {
        p.name: sha256(p) for p in (workspace / "dist").iterdir()
    }


def test_twine_check_failures_are_errors_and_leave_dist_alone(tmp_path: Path) -> None:
    broken_rst = (
        "Title\n=\n\n.. unknown-directive::\n"  # docutils: short underline, unknown directive
    )
    config = _workspace(tmp_path, "broken", readme=("README.rst", "text/x-rst", broken_rst))
    with pytest.raises(ClientgenError, match="twine check failed") as caught:
        build_clients([config], tmp_path / "dist")
    assert "broken_api-0.1.0" in str(caught.value)
    assert list((tmp_path / "dist").iterdir()) == []


# --------------------------------------------------------------------------------------------
# publish


def test_publish_uploads_every_file_once(
    published: list[Path], index: Index, vendors: list[ClientConfig]
) -> None:
    assert index.files() == {p.name: sha256(p) for p in published}
    for config in vendors:
        listed = index.listed(config.dist_name)
        assert sorted(listed) == sorted(
            p.name for p in published if read_artifact(p).name == config.dist_name
        )


def test_a_published_client_installs_by_name_and_imports(
    published: list[Path], index: Index, venv: Venv, vendors: list[ClientConfig], tmp_path: Path
) -> None:
    config = next(c for c in vendors if c.name == INSTALLED)
    version = read_artifact(published[0]).version if config.version is None else config.version
    extra = [arg for url in _pypi_indexes() for arg in ("--extra-index-url", url)]
    report = tmp_path / "report.json"
    venv.pip(
        "install",
        "--index-url",
        index.simple,
        *extra,
        "--report",
        str(report),
        f"{config.dist_name}=={version}",
        cwd=tmp_path,
    )
    installed = {
        item["metadata"]["name"]: item for item in json.loads(report.read_text())["install"]
    }
    source = installed[config.dist_name]["download_info"]["url"]
    assert source.startswith(
        index.url
    ), f"{config.dist_name} came from {source}, not the local index"
    assert {"httpx", "pydantic"} <= set(installed)

    probe = (
        f"import importlib.metadata as m, {config.package} as p; "
        f"print(m.version({config.dist_name!r})); print(p.__file__)"
    )
    result = venv.run(str(venv.python), "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got_version, location = result.stdout.split()
    assert got_version == version
    assert Path(location).is_relative_to(
        venv.path
    ), "imported from the source tree, not the install"


def _prism() -> ModuleType | None:
    for name in ("tests.prism", "prism"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "run_prism"):
            return module
    return None


def test_the_installed_client_calls_prism(
    published: list[Path],
    venv: Venv,
    vendors: list[ClientConfig],
    tmp_path: Path,
    index: Index,
) -> None:
    prism = _prism()
    if prism is None or not (ROOT / "node_modules" / ".bin" / "prism").exists():
        pytest.skip("Prism is not installed (node_modules/.bin/prism): run `./tasks setup`")
    if getattr(prism, "prism_available", lambda: True)() is False:
        pytest.skip("Prism is not available")
    config = next(c for c in vendors if c.name == INSTALLED)
    installed = venv.run(str(venv.python), "-c", f"import {config.package}", cwd=tmp_path)
    if installed.returncode != 0:
        extra = [arg for url in _pypi_indexes() for arg in ("--extra-index-url", url)]
        venv.pip("install", "--index-url", index.simple, *extra, config.dist_name, cwd=tmp_path)
    script = (
        "import sys, ziet_api\n"
        "client = ziet_api.Ziet(base_url=sys.argv[1], api_key='sk_live_abc')\n"
        "run = client.runs.invoke(id='run_1')\n"
        "assert isinstance(run, ziet_api.models.Run), type(run)\n"
        "print('ok', type(run).__name__)\n"
    )
    with prism.run_prism(config.spec) as base_url:
        result = venv.run(str(venv.python), "-c", script, base_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok Run"


def test_publishing_the_same_versions_again_is_refused(
    published: list[Path],
    index: Index,
    vendors: list[ClientConfig],
    credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    before = index.files()
    with pytest.raises(ClientgenError) as caught:
        publish(published, index.url, dry_run=False)
    message = str(caught.value)
    assert (
        message.startswith(f"refusing to publish: already on {index.simple}: ")
        and "nothing was uploaded" in message
    )
    for path in published:
        assert read_artifact(path).release in message

    # The command line says the same, on stderr, with exit status 1 (it builds ziet first).
    config = next(c for c in vendors if c.name == INSTALLED)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.clientgen]\n[[tool.clientgen.clients]]\n"
        + "".join(
            f"{key} = {json.dumps(str(value))}\n"
            for key, value in [
                ("name", config.name),
                ("spec", config.spec),
                ("package", config.package),
                ("output", config.output),
            ]
        )
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(publish_command, [INSTALLED, "--repository-url", index.url])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"error: refusing to publish: already on {index.simple}: ziet-api "
    )
    assert index.files() == before
    for config in vendors:
        listed = index.listed(config.dist_name)
        assert len(listed) == len(set(listed)) == 2


def test_a_set_with_one_existing_version_is_refused_whole(
    published: list[Path], index: Index, demo: ClientConfig, credentials: None, tmp_path: Path
) -> None:
    fresh = build_clients([demo], tmp_path / "dist")
    with pytest.raises(ClientgenError, match=r"refusing to publish: .*ziet-api"):
        publish(
            [*fresh, *[p for p in published if p.name.startswith("ziet_api")]],
            index.url,
            dry_run=False,
        )
    assert index.listed(demo.dist_name) == []


def test_dry_run_lists_and_uploads_nothing(
    index: Index, demo: ClientConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWINE_USERNAME", raising=False)  # a dry run needs no credentials
    monkeypatch.delenv("TWINE_PASSWORD", raising=False)
    monkeypatch.chdir(demo.output.parent.parent)
    result = CliRunner().invoke(publish_command, ["--repository-url", index.url, "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("would upload ") for line in lines)
    assert "cgdemo-api 0.1.0" in lines[0] and index.url in lines[0]
    assert index.listed(demo.dist_name) == []
    assert not [name for name in index.files() if name.startswith("cgdemo")]


def test_a_failed_upload_is_reported(
    index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _workspace(tmp_path / "ws", "denied")
    files = build_clients([config], tmp_path / "dist")
    monkeypatch.setenv("TWINE_USERNAME", USER)
    monkeypatch.setenv("TWINE_PASSWORD", "n0t-the-Pa55word")
    with pytest.raises(ClientgenError) as caught:
        publish(files, index.url, dry_run=False)
    message = str(caught.value)
    assert message.startswith(f"upload of {files[0].name} to {index.url} failed:")
    assert "403" in message or "401" in message
    assert "TWINE_USERNAME / TWINE_PASSWORD" in message and "n0t-the-Pa55word" not in message
    assert (
        "already uploaded: none" in message
        and f"not uploaded: {files[0].name}, {files[1].name}" in message
    )
    assert index.listed(config.dist_name) == []


def test_credentials_are_not_taken_from_the_url(tmp_path: Path) -> None:
    with pytest.raises(ClientgenError, match="must not contain credentials"):
        publish([tmp_path / "x-1.0.tar.gz"], "http://user:secret@127.0.0.1:1/", dry_run=True)


# --------------------------------------------------------------------------------------------
# clientgen itself


def test_clientgen_wheel_installs_and_generates_elsewhere(venv: Venv, tmp_path: Path) -> None:
    """clientgen's own wheel carries its templates: it generates from any working directory."""
    out = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    [wheel] = out.glob("clientgen-*.whl")
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    shipped = {n for n in names if n.startswith("generator/templates/")}
    expected = {
        f"generator/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected and expected <= shipped

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    venv.pip("install", str(wheel), cwd=elsewhere)
    clientgen = str(venv.path / "bin" / "clientgen")
    helped = venv.run(clientgen, "--help", cwd=elsewhere)
    assert helped.returncode == 0, helped.stderr
    assert "generate" in helped.stdout

    spec = ROOT / "specs" / "ziet.yaml"
    if not spec.is_file():
        pytest.skip(f"{spec} does not exist yet: --help checked, generation not")
    generated = venv.run(
        clientgen, "generate", str(spec), "-o", "out", "--package", "x_api", cwd=elsewhere
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (elsewhere / "out" / "pyproject.toml").is_file()
    assert (elsewhere / "out" / "x_api" / "__init__.py").is_file()
    compiled = venv.run(
        str(venv.python), "-m", "compileall", "-q", str(elsewhere / "out" / "x_api"), cwd=elsewhere
    )
    assert compiled.returncode == 0, compiled.stdout

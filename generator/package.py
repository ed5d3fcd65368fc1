"""Build and publish generated clients: reproducible sdists and wheels, uploaded all or nothing.

Builds go through the ``build`` library, the standard PEP 517 front end (what ``python -m build``
and pip use), in isolated environments, so a client builds here exactly as it would anywhere.
Uploads go through twine, which already knows how to find credentials (``TWINE_USERNAME`` /
``TWINE_PASSWORD`` or keyring); clientgen never takes them on the command line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import ClientgenError, ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from build import RunnerType
    from build.env import DefaultIsolatedEnv

    from .config import ClientConfig

__all__ = [
    "DEFAULT_SOURCE_DATE_EPOCH",
    "Artifact",
    "build_clients",
    "publish",
    "read_artifact",
    "sha256",
    "simple_index_url",
]

#: 1980-01-01T00:00:00Z, the earliest time a zip entry can hold: every file in every archive gets
#: this timestamp (unless SOURCE_DATE_EPOCH is set), so the same tree always gives the same bytes.
DEFAULT_SOURCE_DATE_EPOCH = 315532800

#: Lines of a failing tool's output kept in an error: enough to see the cause, not a wall of text.
_TAIL_LINES = 25

#: Seconds to wait for the package index when checking what it already has.
_INDEX_TIMEOUT = 30.0


@dataclass(frozen=True)
class Artifact:
    """One distribution file, with the project name and version its file name declares."""

    path: Path
    name: str  # canonical (PEP 503) project name
    version: str
    kind: Literal["sdist", "wheel"]

    @property
    def release(self) -> str:
        """``name version``, how a user refers to a release in messages."""
        return f"{self.name} {self.version}"


# --------------------------------------------------------------------------------------------
# build


def build_clients(
    configs: Sequence[ClientConfig],
    dist: Path,
    *,
    log: Callable[[str], None] | None = None,
) -> list[Path]:
    """Build an sdist and a wheel of each generated client into ``dist``; return their paths.

    Every client is checked for a generated tree before anything is built, and nothing reaches
    ``dist`` unless every build and ``twine check`` passed: a failed run leaves no partial set.
    The wheel is built from the sdist (as ``python -m build`` does), which proves the sdist is
    complete. Archives are reproducible: fixed timestamps (SOURCE_DATE_EPOCH), and hatchling
    sorts entries and normalizes permissions, so the same tree gives byte-identical files.
    """
    say = log or (lambda _message: None)
    trees = [(config, _generated_tree(config)) for config in configs]
    if not trees:
        return []
    epoch = _source_date_epoch()
    try:
        dist.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClientgenError(f"cannot create the output folder {dist}: {exc}") from None

    from build import BuildBackendException, BuildException, FailedProcessError, ProjectBuilder

    with tempfile.TemporaryDirectory(prefix="clientgen-build-") as tmp:
        staging = Path(tmp) / "dist"
        staging.mkdir()
        built: list[Path] = []
        for requires, group in _by_build_requires(trees).items():
            with _isolated_env(requires) as env:
                for config, tree in group:
                    stage = "sdist"
                    output: list[str] = []
                    runner = _hook_runner(epoch, output)
                    try:
                        source = _pristine_copy(tree, Path(tmp) / "trees" / config.name)
                        builder = ProjectBuilder.from_isolated_env(env, source, runner=runner)
                        env.install(builder.get_requires_for_build("sdist"))
                        sdist = Path(builder.build("sdist", staging))
                        stage = "wheel"
                        unpacked = _unpack_sdist(sdist, Path(tmp) / f"src-{config.name}")
                        from_sdist = ProjectBuilder.from_isolated_env(env, unpacked, runner=runner)
                        env.install(from_sdist.get_requires_for_build("wheel"))
                        wheel = Path(from_sdist.build("wheel", staging))
                    except BuildBackendException as exc:
                        detail = _process_output(exc.exception) or "".join(output) or str(exc)
                        raise ClientgenError(
                            f"{config.name}: building the {stage} of {tree} failed:\n{_tail(detail)}"
                        ) from None
                    except (
                        BuildException,
                        FailedProcessError,
                        subprocess.CalledProcessError,
                    ) as exc:
                        detail = _process_output(exc) or str(exc)
                        raise ClientgenError(
                            f"{config.name}: cannot prepare the build of {tree}:\n{_tail(detail)}"
                        ) from None
                    except (OSError, tarfile.TarError) as exc:
                        raise ClientgenError(
                            f"{config.name}: building {tree} failed: {exc}"
                        ) from None
                    _check_names(config, sdist, wheel)
                    built += [sdist, wheel]
                    say(f"{config.name}: built {sdist.name} and {wheel.name}")
        twine_check(built)
        return [_install_file(path, dist) for path in built]


def _generated_tree(config: ClientConfig) -> Path:
    """The client's generated project folder, refusing one that is missing or half there."""
    tree = config.output
    pyproject = tree / "pyproject.toml"
    hint = "run `clientgen generate` first"
    if not pyproject.is_file():
        raise ClientgenError(
            f"client {config.name!r} has not been generated yet: {pyproject} is missing; {hint}"
        )
    if not (tree / config.package).is_dir():
        raise ClientgenError(
            f"client {config.name!r} has not been generated yet: {tree / config.package} is missing; {hint}"
        )
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ClientgenError(f"{pyproject}: cannot read: {exc}") from None
    version = project.get("version")
    if not isinstance(version, str) or not version:
        raise ClientgenError(
            f"{pyproject}: [project] has no version; regenerate the client ({hint})"
        )
    # A generated tree older than the config would publish the wrong version: say so now.
    if config.version is not None and _same_version(version, config.version) is False:
        raise ClientgenError(
            f"{pyproject}: version {version} but [tool.clientgen] says {config.version}; "
            f"generated/ is stale: {hint}"
        )
    return tree


#: Never part of a client: caches and build leftovers a developer's tools may leave in the tree.
_JUNK = (
    "__pycache__",
    "*.py[cod]",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.egg-info",
)
_TOP_JUNK = ("build", "dist", ".git", ".venv")


def _pristine_copy(tree: Path, into: Path) -> Path:
    """Copy the generated tree, minus junk, to a place where nothing around it affects the build.

    Built in place, hatchling would apply (and ship in the sdist) the nearest ``.gitignore`` above
    the tree, i.e. the surrounding repository's: the archives would depend on where the tree
    lives. The empty ``.git`` beside the copy is where hatchling stops looking.
    """
    into.parent.mkdir(parents=True, exist_ok=True)
    (into.parent / ".git").mkdir(exist_ok=True)
    junk = shutil.ignore_patterns(*_JUNK)

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = {n for n in names if n in _TOP_JUNK} if Path(folder) == tree else set()
        return set(junk(folder, names)) | top

    shutil.copytree(tree, into, ignore=ignore, symlinks=False)
    return into


def _same_version(left: str, right: str) -> bool | None:
    """PEP 440 equality (``1.0`` == ``1.0.0``); ``None`` when either is not a valid version."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(left) == Version(right)
    except InvalidVersion:
        return None


def _source_date_epoch() -> str:
    """The archive timestamp: the caller's SOURCE_DATE_EPOCH if set (the convention), else a constant."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return str(DEFAULT_SOURCE_DATE_EPOCH)
    if not value.isdigit() or int(value) < DEFAULT_SOURCE_DATE_EPOCH:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={value!r} must be a Unix time from {DEFAULT_SOURCE_DATE_EPOCH} (1980) on"
        )
    return value


def _by_build_requires(
    trees: Sequence[tuple[ClientConfig, Path]],
) -> dict[frozenset[str], list[tuple[ClientConfig, Path]]]:
    """Group clients by their ``[build-system] requires``: one isolated environment per group.

    Generated clients share one template, so this is usually one environment for all of them,
    which makes building five clients cost about as much as building one.
    """
    from build import BuildException, ProjectBuilder

    groups: dict[frozenset[str], list[tuple[ClientConfig, Path]]] = {}
    for config, tree in trees:
        try:
            requires = frozenset(ProjectBuilder(tree).build_system_requires)
        except BuildException as exc:
            raise ClientgenError(f"{config.name}: {tree}/pyproject.toml: {exc}") from None
        groups.setdefault(requires, []).append((config, tree))
    return groups


@contextmanager
def _isolated_env(requires: frozenset[str]) -> Iterator[DefaultIsolatedEnv]:
    """A fresh virtual environment with the build backend installed from the package index."""
    from build import FailedProcessError
    from build.env import DefaultIsolatedEnv

    try:
        with DefaultIsolatedEnv() as env:
            try:
                env.install(sorted(requires))
            except (FailedProcessError, subprocess.CalledProcessError) as exc:
                raise ClientgenError(
                    f"cannot install the build backend ({', '.join(sorted(requires))}) into an isolated "
                    f"environment:\n{_tail(_process_output(exc) or str(exc))}"
                ) from None
            yield env
    except FailedProcessError as exc:
        raise ClientgenError(f"cannot create an isolated build environment: {exc}") from None


def _hook_runner(epoch: str, output: list[str]) -> RunnerType:
    """A PEP 517 hook runner that pins SOURCE_DATE_EPOCH and keeps the backend's chatter for errors."""

    def run(
        cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
    ) -> None:
        env = {**os.environ, **(extra_environ or {}), "SOURCE_DATE_EPOCH": epoch}
        result = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
        text = result.stdout.decode("utf-8", errors="replace")
        output.append(text)
        if result.returncode:
            raise subprocess.CalledProcessError(result.returncode, list(cmd), output=text)

    return run


def _unpack_sdist(sdist: Path, into: Path) -> Path:
    """Extract an sdist (safely: no links out, no absolute paths) and return its project folder."""
    into.mkdir(parents=True)
    with tarfile.open(sdist) as tar:
        data_filter = getattr(tarfile, "data_filter", None)
        if data_filter is not None:
            tar.extractall(into, filter=data_filter)
        else:  # pragma: no cover - Python before 3.10.12 / 3.11.4
            for member in tar.getmembers():
                if (
                    member.name.startswith("/")
                    or ".." in Path(member.name).parts
                    or member.issym()
                    or member.islnk()
                ):
                    raise ClientgenError(f"{sdist}: unsafe member {member.name!r}")
            tar.extractall(into)
    folders = [p for p in into.iterdir() if p.is_dir()]
    if len(folders) != 1:
        raise ClientgenError(f"{sdist}: expected one top-level folder, found {len(folders)}")
    return folders[0]


def _check_names(config: ClientConfig, sdist: Path, wheel: Path) -> None:
    """Both archives must carry the configured distribution name: anything else is a stale tree."""
    from packaging.utils import canonicalize_name

    expected = canonicalize_name(config.dist_name)
    for path in (sdist, wheel):
        artifact = read_artifact(path)
        if artifact.name != expected:
            raise ClientgenError(
                f"{config.name}: built {path.name}, but the configured distribution is {config.dist_name}; "
                "run `clientgen generate` first"
            )


def twine_check(files: Sequence[Path]) -> None:
    """``twine check --strict``: metadata and README render as PyPI will show them."""
    if not files:
        return
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    if result.returncode:
        text = result.stdout.decode("utf-8", errors="replace")
        raise ClientgenError(f"twine check failed:\n{_tail(text)}")


def _install_file(path: Path, dist: Path) -> Path:
    """Copy a built file into ``dist`` atomically (temp name, then rename) and return its new path."""
    target = dist / path.name
    partial = dist / f".{path.name}.partial"
    try:
        shutil.copyfile(path, partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ClientgenError(f"cannot write {target}: {exc}") from None
    return target


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file: what reproducibility is judged by, and what indexes publish."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# publish


def read_artifact(path: Path) -> Artifact:
    """Name, version and kind of a distribution file, from its (standardized) file name."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if path.name.endswith(".whl"):
            name, version, _build, _tags = parse_wheel_filename(path.name)
            return Artifact(path, str(name), str(version), "wheel")
        if path.name.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(path.name)
            return Artifact(path, str(name), str(version), "sdist")
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise ClientgenError(f"{path}: not a distribution file name: {exc}") from None
    raise ClientgenError(f"{path}: not a wheel (.whl) or an sdist (.tar.gz)")


def simple_index_url(repository_url: str) -> str:
    """Where the simple API (PEP 503) of the index that ``repository_url`` uploads to lives.

    PyPI and TestPyPI take uploads at ``/legacy/`` on an ``upload.`` host; pypiserver and most
    others serve ``<url>/simple/``. Indexes laid out differently (devpi: ``+simple``) need an
    explicit ``index_url``.
    """
    parts = urllib.parse.urlsplit(repository_url)
    host = parts.netloc
    if host.startswith("upload."):
        host = host[len("upload.") :]
    path = parts.path.rstrip("/")
    if path.endswith("/legacy"):
        path = path[: -len("/legacy")]
    return urllib.parse.urlunsplit((parts.scheme, host, f"{path}/simple/", "", ""))


def publish(
    files: Sequence[Path],
    repository_url: str,
    *,
    dry_run: bool,
    index_url: str | None = None,
    on_upload: Callable[[Artifact], None] | None = None,
) -> list[Artifact]:
    """Upload ``files`` with twine, all of them or none; return what was (or would be) uploaded.

    Indexes never accept a file twice, so a set where some versions already exist would end
    half-published. Before anything is sent, the index's simple API (``index_url``, derived from
    ``repository_url`` when not given) is asked about every project, and the whole set is refused
    if any name+version is already there. With ``dry_run`` the same checks run and nothing is sent.
    """
    artifacts = [read_artifact(Path(f)) for f in files]
    if not artifacts:
        raise ClientgenError("nothing to publish: no files given")
    _check_repository_url(repository_url)
    missing = [str(a.path) for a in artifacts if not a.path.is_file()]
    if missing:
        raise ClientgenError(f"cannot publish files that do not exist: {', '.join(missing)}")
    names = [a.path.name for a in artifacts]
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ClientgenError(f"the same file is listed twice: {', '.join(doubles)}")
    twine_check([a.path for a in artifacts])

    index = index_url or simple_index_url(repository_url)
    taken = _already_published(artifacts, index)
    if taken:
        raise ClientgenError(
            f"refusing to publish: already on {index}: {', '.join(taken)}; nothing was uploaded. "
            "Indexes never replace a released file: bump the version (in [tool.clientgen] or the spec's "
            "info.version), regenerate and build again."
        )
    if dry_run:
        return artifacts

    uploaded: list[Artifact] = []
    for artifact in artifacts:
        error = _twine_upload(artifact.path, repository_url)
        if error is not None:
            done = ", ".join(a.path.name for a in uploaded) or "none"
            left = ", ".join(a.path.name for a in artifacts[len(uploaded) :])
            raise ClientgenError(
                f"upload of {artifact.path.name} to {repository_url} failed:\n{_tail(error)}\n"
                f"{_credentials_hint(error)}already uploaded: {done}\nnot uploaded: {left}"
            )
        uploaded.append(artifact)
        if on_upload is not None:
            on_upload(artifact)
    return uploaded


def _credentials_hint(output: str) -> str:
    """Where credentials come from, when twine's failure looks like a credentials problem."""
    markers = ("Credential not found", "401", "403", "Invalid or non-existent authentication")
    if any(marker in output for marker in markers):
        return "credentials are read from TWINE_USERNAME / TWINE_PASSWORD or keyring\n"
    return ""


def _check_repository_url(url: str) -> None:
    """An http(s) URL without credentials in it: secrets travel in the environment or keyring."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"repository URL {url!r} must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            "the repository URL must not contain credentials; set TWINE_USERNAME and TWINE_PASSWORD "
            "(or store them with keyring) instead"
        )


def _already_published(artifacts: Sequence[Artifact], index: str) -> list[str]:
    """Releases (``name version``) among ``artifacts`` that the index already has a file of."""
    from packaging.version import InvalidVersion, Version

    wanted: dict[str, set[Version]] = {}
    for artifact in artifacts:
        wanted.setdefault(artifact.name, set()).add(Version(artifact.version))
    taken: set[tuple[str, Version]] = set()
    for name, versions in wanted.items():
        for filename in _index_files(index, name):
            try:
                existing = read_artifact(Path(filename))
                version = Version(existing.version)
            except (ClientgenError, InvalidVersion):
                continue  # eggs and other formats we never upload
            if existing.name == name and version in versions:
                taken.add((name, version))
    return [f"{name} {version}" for name, version in sorted(taken)]


class _Links(HTMLParser):
    """File names of the ``<a href>`` links of a simple-API project page."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            path = urllib.parse.urlsplit(href).path
            self.files.append(urllib.parse.unquote(path.rsplit("/", 1)[-1]))


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects on the index's own host only.

    pypiserver redirects projects it does not have to PyPI ("fallback"); following that would
    report PyPI's files as this index's and refuse a publish for nothing.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            return None  # urllib then raises HTTPError with the 3xx code
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def _index_files(index: str, name: str) -> list[str]:
    """File names the index lists for project ``name``; empty when it does not know the project."""
    url = urllib.parse.urljoin(index if index.endswith("/") else index + "/", f"{name}/")
    opener = urllib.request.build_opener(_SameOriginRedirects())
    headers = {
        "Accept": "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1",
        "User-Agent": "clientgen",
    }
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    for attempt in ("anonymous", "authenticated"):
        request = urllib.request.Request(url, headers=headers)
        if attempt == "authenticated":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with opener.open(request, timeout=_INDEX_TIMEOUT) as response:
                body = response.read().decode("utf-8", errors="replace")
                content_type = response.headers.get("Content-Type", "")
            break
        except urllib.error.HTTPError as exc:
            if exc.code == 404 or 300 <= exc.code < 400:
                return []  # the project is not on this index (yet)
            if exc.code in (401, 403) and attempt == "anonymous" and user and password:
                continue  # a private index: read it with the upload credentials
            raise ClientgenError(
                f"cannot check {url} for existing releases: HTTP {exc.code} {exc.reason}; nothing was "
                "uploaded (pass the index's simple API with --index-url if it is not there)"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ClientgenError(
                f"cannot reach the package index at {url}: {reason}; nothing was uploaded"
            ) from None
    else:  # pragma: no cover - the loop always breaks, returns or raises
        return []
    if "json" in content_type:
        try:
            return [str(entry["filename"]) for entry in json.loads(body).get("files", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ClientgenError(f"{url}: unreadable simple-API JSON: {exc}") from None
    links = _Links()
    links.feed(body)
    return links.files


def _twine_upload(path: Path, repository_url: str) -> str | None:
    """Upload one file; ``None`` on success, else twine's output.

    One file per call so that a failure says exactly which files are already on the index.
    Credentials stay where twine looks for them (environment, keyring); it is never prompted,
    so a missing credential fails fast instead of hanging a CI job.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            repository_url,
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    if result.returncode == 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------------------------
# helpers


def _process_output(exc: BaseException) -> str:
    """Whatever a failed subprocess printed, when the exception carries it."""
    inner = getattr(exc, "exception", None)
    if isinstance(inner, subprocess.CalledProcessError):
        exc = inner
    chunks = []
    for stream in ("output", "stderr"):
        value = getattr(exc, stream, None)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str) and value.strip() and value not in chunks:
            chunks.append(value)
    return "\n".join(chunks)


def _tail(text: str, lines: int = _TAIL_LINES) -> str:
    """The last lines of a tool's output, indented, where the cause of a failure usually is."""
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept)

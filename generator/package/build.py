"""Reproducible sdists and wheels of generated clients, built in isolated environments.

Builds go through the ``build`` library, the standard PEP 517 front end (what ``python -m build``
and pip use), so a client builds here exactly as it would anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClientgenError, ConfigError
from .artifacts import read_artifact
from .tool_output import process_output, tail
from .trees import generated_tree, pristine_copy
from .twine import twine_check

if TYPE_CHECKING:
    from build import RunnerType
    from build.env import DefaultIsolatedEnv

    from ..config import ClientConfig

__all__ = ["DEFAULT_SOURCE_DATE_EPOCH", "build_clients"]

#: 1980-01-01T00:00:00Z, the earliest time a zip entry can hold: every file in every archive gets
#: this timestamp (unless SOURCE_DATE_EPOCH is set), so the same tree always gives the same bytes.
DEFAULT_SOURCE_DATE_EPOCH = 315532800


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
    trees = [(config, generated_tree(config)) for config in configs]
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
                        source = pristine_copy(tree, Path(tmp) / "trees" / config.name)
                        builder = ProjectBuilder.from_isolated_env(env, source, runner=runner)
                        env.install(builder.get_requires_for_build("sdist"))
                        sdist = Path(builder.build("sdist", staging))
                        stage = "wheel"
                        unpacked = _unpack_sdist(sdist, Path(tmp) / f"src-{config.name}")
                        from_sdist = ProjectBuilder.from_isolated_env(env, unpacked, runner=runner)
                        env.install(from_sdist.get_requires_for_build("wheel"))
                        wheel = Path(from_sdist.build("wheel", staging))
                    except BuildBackendException as exc:
                        detail = process_output(exc.exception) or "".join(output) or str(exc)
                        raise ClientgenError(
                            f"{config.name}: building the {stage} of {tree} failed:\n{tail(detail)}"
                        ) from None
                    except (
                        BuildException,
                        FailedProcessError,
                        subprocess.CalledProcessError,
                    ) as exc:
                        detail = process_output(exc) or str(exc)
                        raise ClientgenError(
                            f"{config.name}: cannot prepare the build of {tree}:\n{tail(detail)}"
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
                    f"environment:\n{tail(process_output(exc) or str(exc))}"
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

"""``clientgen build`` and ``clientgen publish``: Click commands over :mod:`generator.package`.

The main command group adds them (``main.add_command(build_command)``); they live here so the
packaging commands can change without touching the generation CLI.

``publish`` always builds first, into ``--dist``, and uploads exactly the files that build
produced. Builds are reproducible, so when the generated tree has not changed these are
byte-identical to what an earlier ``clientgen build`` left in ``dist/`` (and were tested as
such); when it has changed, a stale archive can never be uploaded by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ..config import ClientConfig, find_pyproject, load_project
from ..errors import ClientgenError
from .common import user_errors
from .evolve import enforce_versions

__all__ = ["build_command", "publish_command"]


def _selected(names: Sequence[str]) -> tuple[list[ClientConfig], Path]:
    """The configured clients named (all of them when none is), and the pyproject.toml they are in."""
    pyproject = find_pyproject(Path.cwd())
    configs = load_project(pyproject)
    if names:
        known = {c.name for c in configs}
        unknown = [n for n in dict.fromkeys(names) if n not in known]
        if unknown:
            raise ClientgenError(
                f"no configured client named {', '.join(unknown)} (configured: {', '.join(sorted(known))})"
            )
        configs = [c for c in configs if c.name in names]
    return configs, pyproject


def _build(names: Sequence[str], dist: Path | None, allow_version: bool) -> list[Path]:
    from ..package import build_clients

    configs, pyproject = _selected(names)
    if not allow_version:
        enforce_versions(configs)  # before anything is built, let alone uploaded
    out = dist if dist is not None else pyproject.parent / "dist"
    return build_clients(configs, out, log=lambda line: click.echo(line, err=True))


_NAMES = click.argument("names", nargs=-1, metavar="[NAME]...")
_DIST = click.option(
    "--dist",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the built files (default: dist/ beside pyproject.toml).",
)
_ALLOW_VERSION = click.option(
    "--allow-version",
    is_flag=True,
    help="Go ahead even when a version does not follow semver for the changes in the client's "
    "surface since its last version.",
)


@click.command("build")
@_NAMES
@_DIST
@_ALLOW_VERSION
def build_command(names: tuple[str, ...], dist: Path | None, allow_version: bool) -> None:
    """Build an sdist and a wheel of each generated client (all configured clients by default).

    Builds are reproducible: the same generated tree always gives byte-identical files
    (timestamps come from SOURCE_DATE_EPOCH, 1980-01-01 when unset).
    """
    with user_errors():
        for path in _build(names, dist, allow_version):
            click.echo(str(path))


@click.command("publish")
@_NAMES
@click.option(
    "--repository-url",
    required=True,
    envvar="TWINE_REPOSITORY_URL",
    help="Upload URL of the package index, e.g. https://upload.pypi.org/legacy/ (or TWINE_REPOSITORY_URL).",
)
@click.option(
    "--index-url",
    help="Simple API of that index, used to look for existing versions (default: derived from "
    "--repository-url: <url>/simple/, or pypi.org/simple/ for upload.pypi.org).",
)
@_DIST
@click.option(
    "--dry-run", is_flag=True, help="Build and check, list what would be uploaded, upload nothing."
)
@_ALLOW_VERSION
def publish_command(
    names: tuple[str, ...],
    repository_url: str,
    index_url: str | None,
    dist: Path | None,
    dry_run: bool,
    allow_version: bool,
) -> None:
    """Build the clients (all configured ones by default) and upload them with twine.

    Credentials come from TWINE_USERNAME / TWINE_PASSWORD or keyring, never from the command
    line. Nothing is uploaded if the index already has any of the versions.
    """
    from ..package import publish

    with user_errors():
        files = _build(names, dist, allow_version)
        artifacts = publish(
            files,
            repository_url,
            dry_run=dry_run,
            index_url=index_url,
            on_upload=lambda a: click.echo(f"uploaded {a.path.name}"),
        )
        if dry_run:
            for artifact in artifacts:
                click.echo(f"would upload {artifact.path} ({artifact.release}) to {repository_url}")
            click.echo(f"dry run: {len(artifacts)} file(s), nothing uploaded", err=True)
        else:
            releases = ", ".join(dict.fromkeys(a.release for a in artifacts))
            click.echo(
                f"published {len(artifacts)} file(s) to {repository_url}: {releases}", err=True
            )

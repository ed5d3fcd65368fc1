"""``clientgen diff`` and ``clientgen version-check``: what a new spec changes for the client's
users, and whether the generated packages' versions say so (semver).

``diff`` builds the IR of both sides with the pipeline (load, validate, normalize; no models,
no rendering) and hands it to :mod:`generator.evolve`. With ``--client NAME --against REV``
the old side is the configured client as it was at a git revision: pyproject.toml and the
spec's and overlays' folders are taken from ``git archive REV`` into a temporary folder.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import click

from ..config import ClientConfig, client_config, find_pyproject, load_project
from ..errors import ClientgenError, ConfigError
from ..evolve import (
    Change,
    Evolution,
    VersionCheck,
    bump_for,
    check_tree,
    compare,
    next_version,
    render_json,
    render_text,
    surface_of,
)
from ..names import visible
from ..pipeline import build_api_and_document
from .common import user_errors

__all__ = ["diff_command", "enforce_versions", "version_check_command"]


@click.command("diff")
@click.argument("old", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="OpenAPI Overlay applied to both specs (repeatable).",
)
@click.option("--client", "client", help="A configured client: compare its spec at --against.")
@click.option("--against", "rev", help="Git revision of the old side, with --client.")
@click.option("--package", help="Import name, as for generate (names the client class).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "feature"]),
    help="Exit 1 when there is a change of this kind (feature: or breaking).",
)
def diff_command(
    old: Path | None,
    new: Path | None,
    overlays: tuple[Path, ...],
    client: str | None,
    rev: str | None,
    package: str | None,
    fmt: str,
    fail_on: str | None,
) -> None:
    """The changes from OLD to NEW in the generated client's public surface, each breaking,
    feature or fix, grouped by resource; the last line is the semver bump they need."""
    with user_errors():
        if client is not None or rev is not None:
            if client is None or rev is None or old is not None or new is not None:
                raise click.UsageError("use OLD NEW, or --client NAME --against REV")
            with tempfile.TemporaryDirectory(prefix="clientgen-diff-") as tmp:
                current = _configured(client, find_pyproject(Path.cwd()))
                before = _at_revision(current, rev, Path(tmp))
                changes, base = _changes(before, current)
        else:
            if old is None or new is None:
                raise click.UsageError("give OLD and NEW specs, or --client NAME --against REV")
            output = Path(tempfile.gettempdir()) / "clientgen-diff"  # never written
            right = client_config(new, output=output, package=package, overlays=overlays)
            left = client_config(old, output=output, package=right.package, overlays=overlays)
            changes, base = _changes(left, right)
        kinds = [c.kind for c in changes]
        try:
            bump = bump_for(kinds, base)
            suggested: str | None = next_version(base, bump)
        except ClientgenError:  # the old version is no PEP 440 version: no 0.x rule, no next one
            bump, suggested = bump_for(kinds), None
        render = render_json if fmt == "json" else render_text
        click.echo(render(changes, bump, base, suggested), nl=False)
    if fail_on == "breaking" and "breaking" in kinds:
        sys.exit(1)
    if fail_on == "feature" and ("breaking" in kinds or "feature" in kinds):
        sys.exit(1)


def _changes(old: ClientConfig, new: ClientConfig) -> tuple[list[Change], str]:
    before, before_doc = build_api_and_document(old)
    after, after_doc = build_api_and_document(new)
    return compare(surface_of(before, before_doc), surface_of(after, after_doc)), before.version


def _configured(name: str, pyproject: Path) -> ClientConfig:
    for config in load_project(pyproject):
        if config.name == name:
            return config
    raise ConfigError(f"no configured client named {name} in {pyproject}")


def _at_revision(current: ClientConfig, rev: str, into: Path) -> ClientConfig:
    """The client ``current`` as configured at ``rev``, its files extracted under ``into``."""
    pyproject = find_pyproject(Path.cwd())
    top = Path(_git(pyproject.parent, "rev-parse", "--show-toplevel").decode().strip())
    # pyproject.toml itself, and the folders of the spec and overlays (files they $ref included)
    wanted = {pyproject.resolve(), *(p.resolve().parent for p in (current.spec, *current.overlays))}
    try:
        relative = sorted({f.relative_to(top.resolve()).as_posix() for f in wanted})
    except ValueError:
        raise ConfigError(f"the spec and overlays of {current.name} must be inside {top}") from None
    archive = into / "rev.tar"
    archive.write_bytes(_git(top, "archive", "--format=tar", rev, "--", *relative))
    with tarfile.open(archive) as tar:
        data_filter = getattr(tarfile, "data_filter", None)
        if data_filter is None:  # pragma: no cover - Python before 3.10.12 / 3.11.4
            raise ClientgenError("--against needs Python 3.10.12 or later (safe tar extraction)")
        tar.extractall(into / "tree", filter=data_filter)
    old_pyproject = into / "tree" / pyproject.resolve().relative_to(top.resolve())
    if not old_pyproject.is_file():
        raise ConfigError(f"{rev}: there is no {old_pyproject.name} at that revision")
    return _configured(current.name, old_pyproject)


def _git(cwd: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise ClientgenError(f"cannot run git: {exc}") from None
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ClientgenError(f"git {args[0]} failed: {message}")
    return result.stdout


def evolution_report(name: str, evolution: Evolution) -> str:
    """What ``generate`` says when a client's surface changed: the changes, and the version rule."""
    verdict = evolution.check
    lines = [f"{name}: the client's surface changed since the last generation:"]
    lines += [f"  {c.kind:<9} {visible(c.subject)}: {visible(c.detail)}" for c in evolution.changes]
    if verdict.base is not None and verdict.suggested is not None:
        lines.append(
            f"{name}: bump: {verdict.bump} since {verdict.base}: next version {verdict.suggested}"
            + (f" (it is {verdict.version})" if verdict.problem else "")
        )
    if verdict.problem is not None:
        lines.append(f"{name}: {verdict.problem}; build and publish will refuse it")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# the version rule, for build, publish and the pre-commit hook


def version_problems(configs: Sequence[ClientConfig]) -> list[tuple[ClientConfig, VersionCheck]]:
    """The generated clients whose version does not follow semver since their last version."""
    found = []
    for config in configs:
        verdict = check_tree(config.output)
        if verdict is not None and verdict.problem is not None:
            found.append((config, verdict))
    return found


def explain(config: ClientConfig, verdict: VersionCheck) -> str:
    lines = [f"{config.name}: {visible(verdict.problem or '')}"]
    shown = [c for c in verdict.changes if c.kind == "breaking"] or [
        c for c in verdict.changes if c.kind != "fix"
    ]
    for change in shown[:40]:
        lines.append(f"  {change.kind:<9} {visible(change.subject)}: {visible(change.detail)}")
    if len(shown) > 40:
        lines.append(f"  ... and {len(shown) - 40} more")
    if verdict.suggested:
        lines.append(
            f"  raise the version to {verdict.suggested} or later (in [tool.clientgen] or the "
            "spec's info.version) and run `clientgen generate`"
        )
    return "\n".join(lines)


def enforce_versions(configs: Sequence[ClientConfig]) -> None:
    """Refuse clients whose version does not follow semver for their surface's changes."""
    problems = version_problems(configs)
    if problems:
        text = "\n".join(explain(c, v) for c, v in problems)
        raise ClientgenError(
            f"refusing: the version does not follow the changes since the last version "
            f"(--allow-version to go ahead anyway); nothing was built or uploaded\n{text}"
        )


@click.command("version-check")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def version_check_command(names: tuple[str, ...]) -> None:
    """Exit 1 when a generated client's version does not follow semver for the changes in its
    surface since its last version (all configured clients by default)."""
    with user_errors():
        configs = load_project(find_pyproject(Path.cwd()))
        unknown = sorted(set(names) - {c.name for c in configs})
        if unknown:
            raise ConfigError(f"no configured client named {', '.join(unknown)}")
        chosen = [c for c in configs if not names or c.name in names]
        problems = version_problems(chosen)
        for config, verdict in problems:
            click.echo(explain(config, verdict), err=True)
        if problems:
            sys.exit(1)
        for config in chosen:
            fine = check_tree(config.output)
            if fine is not None and fine.base is not None:
                click.echo(f"{config.name}: {fine.version} follows {fine.base} ({fine.bump})")

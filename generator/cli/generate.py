"""``clientgen generate``: run the pipeline for one spec or every configured client."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..pipeline import generate
from ..speed.lanes import Lanes, helpers_for
from .common import configs, report_findings, user_errors
from .progress import Progress
from .evolve import evolution_report


@click.command("generate")
@click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Package folder to write.",
)
@click.option("--package", help="Import name of the generated package (default: <spec>_api).")
@click.option("--env-prefix", help="Prefix of the environment variables the client reads.")
@click.option("--version", "version", help="Version of the generated package.")
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="OpenAPI Overlay applied to the spec (repeatable).",
)
@click.option("--client", "only", multiple=True, help="Only this configured client (repeatable).")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 with a short diff if anything is stale."
)
@click.option(
    "--strict", is_flag=True, help="Every finding about the spec is an error, not a warning."
)
@click.option("-v", "--verbose", is_flag=True, help="List every warning, not a summary.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show the stages of a client that takes more than a few seconds "
    "(default: when stderr is a terminal).",
)
def generate_command(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    env_prefix: str | None,
    version: str | None,
    overlays: tuple[Path, ...],
    only: tuple[str, ...],
    check: bool,
    strict: bool,
    verbose: bool,
    progress: bool | None,
) -> None:
    """Generate one client from SPEC, or every client in [tool.clientgen]."""

    stale = False
    with user_errors(), Lanes(helpers_for()) as lanes:
        for config in configs(spec, output, package, env_prefix, version, overlays, only, strict):
            with Progress(config.name, progress) as report:
                outcome = generate(config, check=check, lanes=lanes, progress=report)
            changes = outcome.changes
            report_findings(outcome.warnings, verbose)
            if check and changes:
                stale = True
                click.echo(f"{config.output}: {len(changes)} file(s) out of date", err=True)
                for change in changes[:20]:
                    click.echo(f"  {change.kind}: {change.path}", err=True)
                    if change.diff:
                        click.echo(
                            "".join(change.diff.splitlines(keepends=True)[:30]), err=True, nl=False
                        )
            elif not check:
                verb = f"{len(changes)} file(s) updated" if changes else "up to date"
                click.echo(f"{config.name}: {config.output} {verb}")
            if outcome.evolution is not None and outcome.evolution.changes:
                click.echo(evolution_report(config.name, outcome.evolution), err=True, nl=False)
    if stale:
        click.echo("run `clientgen generate` to update", err=True)
        sys.exit(1)

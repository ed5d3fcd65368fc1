"""The ``clientgen`` command line: parse options, call the pipeline, print results and errors."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from . import __version__
from .cli_package import build_command, publish_command
from .config import ClientConfig, client_config, find_pyproject, load_project
from .errors import ClientgenError
from .names import visible
from .pipeline import build_api, generate

T = TypeVar("T")


@contextmanager
def _user_errors() -> Iterator[None]:
    """Show clientgen's errors as one paragraph and exit 1; never a traceback for bad input."""
    try:
        yield
    except ClientgenError as exc:
        click.echo(f"error: {visible(str(exc))}", err=True)  # spec text: no terminal escapes
        sys.exit(1)
    except RecursionError:
        click.echo("error: the input nests too deeply to process", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug in clientgen: say so, briefly
        if os.environ.get("CLIENTGEN_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"error: internal error ({type(exc).__name__}: {visible(str(exc))}); "
            "set CLIENTGEN_DEBUG=1 for details",
            err=True,
        )
        sys.exit(1)


def _configs(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    env_prefix: str | None,
    version: str | None,
    overlays: tuple[Path, ...],
    only: tuple[str, ...],
) -> list[ClientConfig]:
    if spec is not None:
        if output is None:
            raise click.UsageError("-o/--output is required with a SPEC")
        return [
            client_config(
                spec,
                output=output,
                package=package,
                env_prefix=env_prefix,
                version=version,
                overlays=overlays,
            )
        ]
    configs = load_project(find_pyproject(Path.cwd()))
    if only:
        unknown = set(only) - {c.name for c in configs}
        if unknown:
            raise ClientgenError(f"no configured client named {', '.join(sorted(unknown))}")
        configs = [c for c in configs if c.name in only]
    return configs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clientgen")
def main() -> None:
    """Generate typed Python clients from OpenAPI documents."""


@main.command("generate")
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
def generate_command(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    env_prefix: str | None,
    version: str | None,
    overlays: tuple[Path, ...],
    only: tuple[str, ...],
    check: bool,
) -> None:
    """Generate one client from SPEC, or every client in [tool.clientgen]."""
    from .lanes import Lanes, helpers_for

    stale = False
    with _user_errors(), Lanes(helpers_for()) as lanes:
        for config in _configs(spec, output, package, env_prefix, version, overlays, only):
            outcome = generate(config, check=check, lanes=lanes)
            changes = outcome.changes
            for warning in outcome.warnings:
                click.echo(f"warning: {config.spec}: {visible(warning)}", err=True)
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
    if stale:
        click.echo("run `clientgen generate` to update", err=True)
        sys.exit(1)


@main.command("validate")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option("--env-prefix", help="Prefix of the environment variables the client reads.")
def validate_command(spec: Path, overlays: tuple[Path, ...], env_prefix: str | None) -> None:
    """Validate SPEC and show what the normalizer sees: schemes, operations, unions, warnings."""
    with _user_errors():
        config = client_config(
            spec, output=Path("."), overlays=overlays, env_prefix=env_prefix, version="0"
        )
        from .report import describe_api

        click.echo(describe_api(build_api(config)))


@main.command("import-docs")
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
def import_docs_command(page: Path, output: Path) -> None:
    """Extract the OpenAPI document embedded in a docs PAGE into OUTPUT."""
    with _user_errors():
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClientgenError(f"{page}: cannot read: {exc}") from None
        from .load import extract_openapi_from_page

        spec = extract_openapi_from_page(text, str(page))
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(spec, encoding="utf-8")
        os.replace(tmp, output)
        click.echo(f"{output}: {len(spec.splitlines())} lines from {page}")


main.add_command(build_command)
main.add_command(publish_command)

"""What every command shares: how errors reach the user, and which clients a command is about."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..config import ClientConfig, client_config, find_pyproject, load_project
from ..errors import ClientgenError
from ..names import visible

__all__ = ["configs", "user_errors"]


@contextmanager
def user_errors() -> Iterator[None]:
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


def configs(
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

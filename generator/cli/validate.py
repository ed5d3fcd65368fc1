"""``clientgen validate``: what the normalizer sees in a spec, without generating anything."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import client_config
from ..pipeline import build_api
from .common import user_errors


@click.command("validate")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option("--env-prefix", help="Prefix of the environment variables the client reads.")
@click.option(
    "--strict", is_flag=True, help="Every finding about the spec is an error, not a warning."
)
def validate_command(
    spec: Path, overlays: tuple[Path, ...], env_prefix: str | None, strict: bool
) -> None:
    """Validate SPEC and show what the normalizer sees: schemes, operations, unions, warnings."""
    with user_errors():
        config = client_config(
            spec,
            output=Path("."),
            overlays=overlays,
            env_prefix=env_prefix,
            version="0",
            strict=strict,
        )
        from .report import (
            describe_api,  # imported where it runs: `generate` never needs it
        )

        click.echo(describe_api(build_api(config)))

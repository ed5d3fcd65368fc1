"""The ``clientgen`` command group. Each command lives in a module of its own and only parses
options, calls the pipeline (or the packaging stage) and prints what came back."""

from __future__ import annotations

import click

from .. import __version__
from .evolve import diff_command, version_check_command
from .generate import generate_command
from .import_docs import import_docs_command
from .package import build_command, publish_command
from .validate import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clientgen")
def main() -> None:
    """Generate typed Python clients from OpenAPI documents."""


for command in (
    generate_command,
    validate_command,
    import_docs_command,
    build_command,
    publish_command,
    diff_command,
    version_check_command,
):
    main.add_command(command)

"""``clientgen import-docs``: the OpenAPI document embedded in a vendor's docs page, as a file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import ClientgenError
from .common import user_errors


@click.command("import-docs")
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
def import_docs_command(page: Path, output: Path) -> None:
    """Extract the OpenAPI document embedded in a docs PAGE into OUTPUT."""
    with user_errors():
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClientgenError(f"{page}: cannot read: {exc}") from None
        from ..load import extract_openapi_from_page  # imported where it runs

        spec = extract_openapi_from_page(text, str(page))
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(spec, encoding="utf-8")
        os.replace(tmp, output)
        click.echo(f"{output}: {len(spec.splitlines())} lines from {page}")

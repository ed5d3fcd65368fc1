"""What every command shares: how errors reach the user, and which clients a command is about."""

from __future__ import annotations

import os
import sys
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click

from ..config import ClientConfig, client_config, find_pyproject, load_project
from ..errors import ClientgenError, Finding, SpecErrors, summary
from ..names import visible

__all__ = ["configs", "report_findings", "user_errors"]

#: Up to this many warnings are listed one by one; past it, a few of each kind and a summary.
_LISTED = 20
_PER_KIND = 3


@contextmanager
def user_errors() -> Iterator[None]:
    """Show clientgen's errors as one paragraph and exit 1; never a traceback for bad input."""
    try:
        yield
    except SpecErrors as exc:  # every problem at once, one per line, in file order
        for error in exc.errors:
            click.echo(f"error: {visible(str(error))}", err=True)
        click.echo(f"error: {len(exc.errors)} problems; nothing was written", err=True)
        sys.exit(1)
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
    strict: bool = False,
) -> list[ClientConfig]:
    """The clients a command is about: the one given by SPEC, or the configured ones (all, or
    those named with ``--client``); ``strict`` from the command line wins over the config."""
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
                strict=strict,
            )
        ]
    configs = load_project(find_pyproject(Path.cwd()))
    if only:
        unknown = set(only) - {c.name for c in configs}
        if unknown:
            raise ClientgenError(f"no configured client named {', '.join(sorted(unknown))}")
        configs = [c for c in configs if c.name in only]
    return [replace(c, strict=True) if strict else c for c in configs]


def report_findings(findings: Sequence[Finding], verbose: bool) -> None:
    """Warnings on stderr, in file order: all of them with ``verbose`` or when they are few;
    else the first few of each kind, then a line counting them per kind."""
    if not findings:
        return
    shown = list(findings)
    if not verbose and len(findings) > _LISTED:
        seen: Counter[str] = Counter()
        shown = []
        for finding in findings:
            seen[finding.kind] += 1
            if seen[finding.kind] <= _PER_KIND:
                shown.append(finding)
    for finding in shown:
        click.echo(f"warning: {visible(str(finding))}", err=True)
    more = len(findings) - len(shown)
    tail = f" ({more} not shown; -v lists them all)" if more else ""
    click.echo(f"warning: {summary(findings)}{tail}", err=True)

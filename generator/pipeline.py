"""The one-way pipeline: load ➜ validate ➜ normalize ➜ models ➜ render ➜ format ➜ write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from . import cache
from .config import ClientConfig
from .write import Change, compare, write_package

if TYPE_CHECKING:
    from .ir import Api
    from .load import LoadedSpec

# The stages are imported where they run: an up-to-date client (the output cache) then costs
# no import of the validator, datamodel-code-generator, Jinja or black.


@dataclass(frozen=True)
class Generated:
    config: ClientConfig
    api: Api
    files: dict[str, str]
    inputs: tuple[Path, ...]  # every file the run read


def build_api(config: ClientConfig) -> Api:
    """Load, validate and normalize one client's spec."""
    return _build(config)[0]


def _build(config: ClientConfig) -> tuple[Api, LoadedSpec]:
    from .load import load_spec
    from .normalize import normalize
    from .validate import validate_spec

    spec = load_spec(config.spec, config.overlays)
    validate_spec(spec)
    return normalize(spec, config), spec


def generate_files(config: ClientConfig) -> Generated:
    """Every file of the package, formatted, in memory (nothing written)."""
    from .formatting import format_files
    from .models import render_models
    from .render import render_package, runtime_files

    api, spec = _build(config)
    files = render_package(api, render_models(api))
    # The runtime ships black-formatted (a test checks it): formatting it again changes nothing.
    runtime = {f"{api.package}/{name}" for name in runtime_files()}
    formatted = format_files({path: text for path, text in files.items() if path not in runtime})
    files = {path: formatted.get(path, text) for path, text in files.items()}
    return Generated(config, api, files, spec.sources)


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    warnings: tuple[str, ...]


def generate(config: ClientConfig, *, check: bool = False) -> Outcome:
    """Generate one client; with ``check``, only report what would change.

    An unchanged spec through an unchanged generator comes from the output cache.
    """
    output = cache.lookup(config)
    if output is None:
        generated = generate_files(config)
        output = cache.CachedOutput(generated.files, generated.api.warnings)
        cache.store(config, generated.inputs, output)
    write = compare if check else write_package
    return Outcome(write(config.output, output.files), output.warnings)

"""The one-way pipeline: load ➜ validate ➜ normalize ➜ models ➜ render ➜ format ➜ write."""

from __future__ import annotations

from dataclasses import dataclass

from .config import ClientConfig
from .formatting import format_files
from .ir import Api
from .load import load_spec
from .models import render_models
from .normalize import normalize
from .render import render_package
from .validate import validate_spec
from .write import Change, compare, write_package


@dataclass(frozen=True)
class Generated:
    config: ClientConfig
    api: Api
    files: dict[str, str]


def build_api(config: ClientConfig) -> Api:
    """Load, validate and normalize one client's spec."""
    spec = load_spec(config.spec, config.overlays)
    validate_spec(spec)
    return normalize(spec, config)


def generate_files(config: ClientConfig) -> Generated:
    """Every file of the package, formatted, in memory (nothing written)."""
    api = build_api(config)
    files = render_package(api, render_models(api))
    return Generated(config, api, format_files(files))


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    warnings: tuple[str, ...]


def generate(config: ClientConfig, *, check: bool = False) -> Outcome:
    """Generate one client; with ``check``, only report what would change."""
    generated = generate_files(config)
    write = compare if check else write_package
    return Outcome(write(config.output, generated.files), generated.api.warnings)

"""``[tool.clientgen]`` in pyproject.toml ➜ :class:`ClientConfig` values."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import names
from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
_ENV_PREFIX = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class ClientConfig:
    """Everything the pipeline needs to know about one client besides its spec."""

    name: str
    spec: Path
    package: str
    output: Path
    env_prefix: str
    version: str | None = None
    overlays: tuple[Path, ...] = ()
    client_class: str | None = None
    strict: bool = False  # every validator and normalizer finding is an error

    @property
    def dist_name(self) -> str:
        return self.package.replace("_", "-")


def client_config(
    spec: Path,
    *,
    output: Path,
    package: str | None = None,
    env_prefix: str | None = None,
    version: str | None = None,
    overlays: tuple[Path, ...] = (),
    name: str | None = None,
    client_class: str | None = None,
    strict: bool = False,
) -> ClientConfig:
    """A validated config for one client given on the command line or in pyproject."""
    stem = name or (package.removesuffix("_api") if package else spec.name.split(".")[0])
    package = package or f"{names.snake(stem, fallback='client')}_api"
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise ConfigError(f"package name {package!r} is not a valid lower-case Python package name")
    prefix = env_prefix or names.snake(stem, fallback="api").upper()
    if not _ENV_PREFIX.match(prefix):
        raise ConfigError(
            f"env_prefix {prefix!r} must be upper-case letters, digits and underscores"
        )
    if version is not None and not _is_version(version):
        raise ConfigError(f"version {version!r} is not a PEP 440 version (e.g. 1.2.0)")
    if client_class is not None and names.pascal(client_class) != client_class:
        raise ConfigError(f"client_class {client_class!r} is not a valid class name")
    return ClientConfig(
        name=stem,
        spec=spec,
        package=package,
        output=output,
        env_prefix=prefix,
        version=version,
        overlays=overlays,
        client_class=client_class,
        strict=strict,
    )


def load_project(pyproject: Path) -> list[ClientConfig]:
    """Every client listed in ``[[tool.clientgen.clients]]``; paths relative to the file."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.clientgen]: {exc}") from None
    table: dict[str, Any] = data.get("tool", {}).get("clientgen", {})
    entries = table.get("clients")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{pyproject}: [tool.clientgen] lists no [[tool.clientgen.clients]]")
    root = pyproject.parent
    output_root = root / str(table.get("output", "generated"))
    configs = []
    for index, entry in enumerate(entries):
        where = f"{pyproject}: tool.clientgen.clients[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("spec"), str):
            raise ConfigError(f"{where}: needs a 'spec' path")
        unknown = set(entry) - {
            "name",
            "spec",
            "package",
            "env_prefix",
            "version",
            "overlays",
            "client_class",
            "output",
            "strict",
        }
        if unknown:
            raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
        spec = root / entry["spec"]
        name = str(entry.get("name") or spec.name.split(".")[0])
        if names.snake(name) != name.replace("-", "_"):
            raise ConfigError(f"{where}: name {name!r} must be a simple lower-case word")
        output = root / str(entry["output"]) if "output" in entry else output_root / name
        try:
            configs.append(
                client_config(
                    spec,
                    output=output,
                    package=entry.get("package"),
                    env_prefix=entry.get("env_prefix"),
                    version=entry.get("version"),
                    overlays=tuple(root / str(o) for o in entry.get("overlays", [])),
                    name=name,
                    client_class=entry.get("client_class"),
                    strict=entry.get("strict") is True,
                )
            )
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    names_seen = [c.name for c in configs]
    if len(set(names_seen)) != len(names_seen):
        raise ConfigError(f"{pyproject}: client names must be unique, got {names_seen}")
    return configs


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def find_pyproject(start: Path) -> Path:
    """The nearest pyproject.toml with a [tool.clientgen] table, from ``start`` upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.clientgen" in candidate.read_text(
            encoding="utf-8", errors="replace"
        ):
            return candidate
    raise ConfigError(f"no pyproject.toml with [tool.clientgen] found in {start} or its parents")

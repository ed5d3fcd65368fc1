"""The package's import graph runs one way: cli ➜ pipeline ➜ stages ➜ shared vocabulary.

Every ``import`` in ``generator/`` (at the top of a module, inside a function, or under
``TYPE_CHECKING``) is read with ``ast`` and placed on that ladder: a stage may use the stages
before it in the pipeline, the speed machinery and the shared vocabulary; the speed machinery
and the vocabulary use no stage; nothing below the command line imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "generator"

#: The stages in the order data flows through them.
STAGES = (
    "load",
    "validate",
    "normalize",
    "models",
    "render",
    "format",
    "write",
    "evolve",
    "package",
)
#: What every stage shares, at the top of generator/.
VOCABULARY = ("ir", "names", "errors", "config", "storage")


def _room(module: str) -> str:
    """The folder (or top-level module) a dotted module of ``generator`` lives in."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _rank(room: str) -> float:
    """Lower imports nothing higher: vocabulary 0, speed 1, stages 2.x in pipeline order,
    pipeline 3, cli 4, the executable (``__main__``) 5."""
    if room in VOCABULARY or room == "__init__":
        return 0
    if room == "speed":
        return 1
    if room in STAGES:
        return 2 + STAGES.index(room) / 10
    return {"pipeline": 3, "cli": 4, "__main__": 5}[room]


def _module_name(path: Path) -> str:
    relative = path.relative_to(GENERATOR.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every ``generator`` module ``path`` imports, absolute and dotted."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "generator")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "generator":
                continue
            for alias in node.names:  # `from . import names` imports a module, not a name
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(module: str) -> bool:
    path = GENERATOR.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _edges() -> list[tuple[str, str]]:
    return [
        (_module_name(path), target)
        for path in sorted(GENERATOR.rglob("*.py"))
        for target in sorted(_imports(path))
    ]


def test_the_graph_is_read_at_all() -> None:
    """The reader finds the known arrows (so the checks below cannot pass vacuously)."""
    edges = set(_edges())
    assert ("generator.pipeline", "generator.write.cache") in edges
    assert ("generator.validate.findings", "generator.load") in edges
    assert ("generator.format.formatting", "generator.speed.lanes") in edges
    assert len(edges) > 60


@pytest.mark.parametrize("edge", _edges(), ids=lambda e: f"{e[0]}->{e[1]}")
def test_imports_run_one_way(edge: tuple[str, str]) -> None:
    source, target = edge
    here, there = _room(source), _room(target)
    if here == there or _rank(here) == _rank(there) == 0:  # within a room, or the vocabulary
        return
    assert _rank(there) < _rank(here), (
        f"{source} ({here}) imports {target} ({there}), which comes later in "
        "cli ➜ pipeline ➜ stages (in pipeline order) ➜ speed ➜ shared vocabulary"
    )


def test_the_top_of_the_package_holds_only_what_every_stage_shares() -> None:
    modules = sorted(p.stem for p in GENERATOR.glob("*.py"))
    assert modules == sorted(["__init__", "__main__", *VOCABULARY, "pipeline"])
    assert len(modules) <= 8
    folders = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()}
    assert folders == {*STAGES, "speed", "cli"}


def test_every_folder_says_what_comes_in_and_what_goes_out() -> None:
    for folder in GENERATOR.iterdir():
        init = folder / "__init__.py"
        if init.is_file():
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            assert doc and len(doc) > 80, f"{init} needs a docstring saying what it does"


def test_no_module_is_longer_than_about_450_lines() -> None:
    long = {
        str(p.relative_to(GENERATOR)): n
        for p in GENERATOR.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 460
    }
    assert not long

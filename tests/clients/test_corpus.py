"""Every published document of ``../shared/corpus`` (and ``apis/``) becomes a working client.

For each one: the client generates (warnings allowed, and listed in this test's output), has
one method per operation of the document (none dropped), imports, and passes ``mypy --strict``.
Skipped cleanly when the corpus is not beside the repository.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import client_config
from generator.errors import summary
from generator.load import load_spec
from generator.normalize.operations import HTTP_METHODS
from generator.pipeline import generate_files
from generator.render.signatures import walk
from generator.write import write_package

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent


def _documents() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    found = [*CORPUS.glob("*.json"), *CORPUS.glob("*.yaml"), *CORPUS.glob("apis/*.json")]
    found += [*CORPUS.glob("apis/*.yaml"), *CORPUS.glob("apis/*.yml")]
    found += [CORPUS / "apis" / "lob-multifile" / "lob-api-public.yml"]
    return sorted(p for p in found if p.is_file())


DOCUMENTS = _documents()
pytestmark = [
    pytest.mark.skipif(not DOCUMENTS, reason="shared/corpus is not beside the repository"),
    pytest.mark.slow,
]


def _package(document: Path) -> str:
    stem = document.name.rsplit(".", 1)[0]
    return "corpus_" + "".join(c if c.isalnum() else "_" for c in stem.lower())


def _operations_in(document: dict[str, Any]) -> int:
    """Operations of the loaded (bundled, converted) document: the fixed methods of each path
    item, and 3.2's ``additionalOperations``."""
    count = 0
    for item in (document.get("paths") or {}).values():
        while isinstance(item, dict) and isinstance(item.get("$ref"), str):
            item = _resolve(document, item["$ref"])
        if not isinstance(item, dict):
            continue
        count += sum(isinstance(item.get(m), dict) for m in HTTP_METHODS)
        extra = item.get("additionalOperations")
        count += sum(isinstance(op, dict) for op in (extra or {}).values())
    return count


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.lstrip("#/").split("/"):
        node = (
            node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        )
    return node


class Corpus:
    """Each document generated once, written under one folder, for every test here."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[Path, tuple[str, int, int, str]] = {}

    def client(self, document: Path) -> tuple[str, int, int, str]:
        """(package, operations in the document, methods generated, warnings summary)."""
        if document not in self.made:
            package = _package(document)
            config = client_config(document, output=self.root / package, package=package)
            generated = generate_files(config)
            write_package(config.output, generated.files)
            methods = sum(len(r.operations) for r in walk(generated.api.resources))
            operations = _operations_in(load_spec(document).document)
            warnings = generated.api.warnings
            for finding in warnings:
                print(f"warning: {finding}")
            line = summary(warnings) if warnings else "no warnings"
            self.made[document] = (package, operations, methods, line)
        return self.made[document]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    made = Corpus(tmp_path_factory.mktemp("corpus"))
    yield made
    for folder in [str(made.root / p) for p, *_ in made.made.values()]:
        if folder in sys.path:
            sys.path.remove(folder)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_operation_becomes_a_method_and_the_client_imports(
    corpus: Corpus, document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package, operations, methods, line = corpus.client(document)
    with capsys.disabled():
        print(f"\n{document.name}: {operations} operations, {methods} methods; {line}")
    assert methods == operations
    folder = str(corpus.root / package)
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module(package)
        assert any(name.startswith("Async") for name in module.__all__)
    finally:
        sys.path.remove(folder)
        for name in [n for n in sys.modules if n.split(".")[0] == package]:
            del sys.modules[name]


def test_every_client_passes_mypy_strict(corpus: Corpus) -> None:
    """One mypy run over every generated package (they share httpx's and pydantic's stubs)."""
    packages = [corpus.client(document)[0] for document in DOCUMENTS]
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", *(f"{p}/{p}" for p in packages)],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "MYPYPATH": ""},
    )
    assert result.returncode == 0, result.stdout[-8000:]

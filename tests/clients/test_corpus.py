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
from pathlib import Path
from typing import Any

import pytest

from generator.errors import summary
from generator.load import load_spec, parse_pointer, resolve_parts
from generator.normalize.operations import HTTP_METHODS
from generator.render.signatures import walk
from tests.clients.corpus_clients import Corpus, corpus_documents

BIN = Path(sys.executable).parent
DOCUMENTS = corpus_documents()
pytestmark = [
    pytest.mark.skipif(not DOCUMENTS, reason="shared/corpus is not beside the repository"),
    pytest.mark.slow,
]


def _operations_in(document: dict[str, Any]) -> int:
    """Operations of the loaded (bundled, converted) document: the fixed methods of each path
    item, and 3.2's ``additionalOperations``."""
    count = 0
    for item in (document.get("paths") or {}).values():
        while isinstance(item, dict) and isinstance(item.get("$ref"), str):
            parts = parse_pointer(item["$ref"].removeprefix("#")) or ()
            item = resolve_parts(document, parts)[1]
        if not isinstance(item, dict):
            continue
        count += sum(isinstance(item.get(m), dict) for m in HTTP_METHODS)
        extra = item.get("additionalOperations")
        count += sum(isinstance(op, dict) for op in (extra or {}).values())
    return count


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_operation_becomes_a_method_and_the_client_imports(
    corpus: Corpus, document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = corpus.client(document)
    package, warnings = client.package, client.api.warnings
    methods = sum(len(r.operations) for r in walk(client.api.resources))
    operations = _operations_in(load_spec(document).document)
    with capsys.disabled():
        line = summary(warnings) if warnings else "no warnings"
        print(f"\n{document.name}: {operations} operations, {methods} methods; {line}")
        for finding in warnings:
            print(f"  warning: {finding}")
    assert methods == operations
    folder = str(client.folder)
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
    packages = [corpus.client(document).package for document in DOCUMENTS]
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", *(f"{p}/{p}" for p in packages)],
        cwd=corpus.root,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "MYPYPATH": ""},
    )
    assert result.returncode == 0, result.stdout[-8000:]

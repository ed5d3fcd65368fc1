"""The published specs of ``../shared/corpus``, each generated once for every test here.

Generating the large ones takes seconds each; the corpus tests share one generation per spec
(written under one folder) and one ``mypy --strict`` run over all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import client_config
from generator.ir import Api
from generator.pipeline import generate_files
from generator.write import write_package

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_documents() -> list[Path]:
    """Every document of the corpus (the multi-file Lob spec by its entry file)."""
    if not CORPUS.is_dir():
        return []
    found = [*CORPUS.glob("*.json"), *CORPUS.glob("*.yaml"), *CORPUS.glob("apis/*.json")]
    found += [*CORPUS.glob("apis/*.yaml"), *CORPUS.glob("apis/*.yml")]
    found += [CORPUS / "apis" / "lob-multifile" / "lob-api-public.yml"]
    return sorted(p for p in found if p.is_file())


def corpus_package(document: Path) -> str:
    stem = document.name.rsplit(".", 1)[0]
    return "corpus_" + "".join(c if c.isalnum() else "_" for c in stem.lower())


@dataclass(frozen=True)
class CorpusClient:
    document: Path
    package: str
    folder: Path  # holds the package folder (``folder / package``)
    api: Api


class Corpus:
    """Generates a corpus document into ``root`` the first time a test asks for it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[Path, CorpusClient] = {}

    def client(self, document: Path) -> CorpusClient:
        if document not in self._made:
            package = corpus_package(document)
            config = client_config(document, output=self.root / package, package=package)
            generated = generate_files(config)
            write_package(config.output, generated.files)
            self._made[document] = CorpusClient(document, package, config.output, generated.api)
        return self._made[document]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    yield Corpus(tmp_path_factory.mktemp("corpus"))

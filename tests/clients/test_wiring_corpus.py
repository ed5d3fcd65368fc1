"""Streams, pages and webhooks of real specs (../shared/corpus): typed in the generated code.

The specs are generated once for all the corpus tests (``corpus`` fixture), and
``test_corpus.py`` runs ``mypy --strict`` over every one of those packages, GitHub's included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.ir import Api
from generator.render.signatures import walk
from tests.clients.corpus_clients import Corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "apis"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here"),
]

SPECS = {
    "mistral": "mistral-api.yaml",
    "cohere": "cohere-api.yaml",
    "ollama": "ollama-api.yaml",
    "docker": "docker-engine-swagger2.yaml",
    "oai32": "oai-3.2-fixture-media-type-examples.yaml",
    "polar": "polar-api-2026-10.json",
}


def _ops(api: Api) -> list[Any]:
    return [op for r in walk(api.resources) for op in r.operations]


EXPECTED_STREAMS = {"mistral": 10, "cohere": 3, "ollama": 2, "docker": 1}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_streams_and_pages_are_typed(corpus: Corpus, name: str) -> None:
    client = corpus.client(CORPUS / SPECS[name])
    api, folder = client.api, client.folder
    streams = [op for op in _ops(api) if op.streaming and op.streaming.format != "binary"]
    assert len(streams) >= EXPECTED_STREAMS.get(name, 0), [op.operation_id for op in streams]
    sources = "\n".join(p.read_text() for p in (folder / client.package).rglob("*.py"))
    assert sources.count("-> Stream[") + sources.count(" | Stream[") >= len(streams)
    if name in ("mistral", "polar"):
        assert any(op.pagination for op in _ops(api))
        assert "SyncPage[" in sources and "AsyncPager[" in sources
    if name == "polar":
        assert api.webhooks is not None and len(api.webhooks.events) == 41


def test_github_link_pages_are_typed(corpus: Corpus) -> None:
    client = corpus.client(CORPUS / "github-rest-api-v0.0.5.json")
    linked = [op for op in _ops(client.api) if op.pagination and op.pagination.style == "link"]
    assert len(linked) > 100
    sources = "\n".join(p.read_text() for p in (client.folder / client.package).rglob("*.py"))
    assert sources.count("-> SyncPage[") >= len(linked)

"""Fixtures shared by the end-to-end client tests."""

from tests.clients.corpus_clients import corpus

__all__ = ["corpus"]

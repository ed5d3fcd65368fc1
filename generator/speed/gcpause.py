"""Pause the cyclic garbage collector around work that builds large object graphs.

datamodel-code-generator's models, black's syntax trees and ``ast`` trees of a big module
are millions of objects allocated in one go and kept until the work ends: collections
triggered meanwhile rescan them and find next to nothing to free (measured: parsing a
100,000-line module takes 2.4 times as long with the collector on, datamodel-code-generator
1.15 times, with no higher peak memory when paused). Reference counting still frees what is
not cyclic, and the collector resumes afterwards.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused", "parse"]


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside (unless it was off already), back on after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse(source: str) -> ast.Module:
    """``ast.parse`` with the collector paused."""
    with paused():
        return ast.parse(source)

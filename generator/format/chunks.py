"""Split a module into top-level pieces that black formats independently, and join them back.

black formats one logical line at a time; what crosses a top-level boundary is only the
number of blank lines, and before an undecorated top-level ``class``/``def`` preceded by blank
lines only, black always writes exactly two. Cutting there, formatting each piece and joining
the pieces with two blank lines gives black's output for the whole module (tests compare the
two on every generated package), while each piece can be cached, formatted in parallel, and
costs black's second pass only if black changes it.
"""

from __future__ import annotations

import ast

from ..speed.gcpause import parse

__all__ = ["join", "split"]

_SEPARATOR = "\n\n\n"  # the end of one piece's last line, then two blank lines


def split(source: str) -> list[str]:
    """``source`` cut before each safe top-level ``class``/``def``; ``[source]`` when it
    cannot be parsed or has no such place (black then reports or formats it whole)."""
    try:
        tree = parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return [source]
    lines = source.splitlines(keepends=True)
    cuts: list[int] = []  # 0-based line numbers where a new piece starts
    previous_end = None
    for node in tree.body:
        start = node.lineno - 1
        if (
            previous_end is not None
            and isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and not node.decorator_list
            and start > previous_end
            and all(not line.strip() for line in lines[previous_end:start])
            and lines[start][:1] in ("c", "d", "a")  # the statement starts its line, unindented
        ):
            cuts.append(start)
        previous_end = node.end_lineno
    if not cuts:
        return [source]
    bounds = [0, *cuts, len(lines)]
    # each piece without the blank lines before the next (black would drop them: a change)
    return ["".join(lines[a:b]).rstrip() + "\n" for a, b in zip(bounds, bounds[1:])]


def join(formatted: list[str]) -> str:
    """Formatted pieces (each ending in one newline) as one module."""
    return _SEPARATOR.join(piece.rstrip("\n") for piece in formatted) + "\n"

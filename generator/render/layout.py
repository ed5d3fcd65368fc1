"""Lay generated expressions out the way black would, so black has nothing left to change.

black formats a module twice when its first pass changes anything (the second pass settles
trailing commas); text that is already in black's layout costs it one pass. Templates emit
statements whose shape they know; the long expressions inside (request arguments, endpoint
fields, imports) are laid out here with black's rules for brackets:

* a line that fits in :data:`LINE_LENGTH` stays on one line;
* otherwise the last bracket is split: a call's or subscript's arguments go on one indented
  line if they fit there, else one per line with a trailing comma; a collection literal
  (dict, list, tuple) and an import list always go one per line with a trailing comma;
* anything else is left as it is: black still formats the output, this only saves it work.
"""

from __future__ import annotations

import ast
import re

__all__ = ["LINE_LENGTH", "lay_out", "lay_out_generic_call", "lay_out_import", "lay_out_parameter"]

from ..storage import LINE_LENGTH

Item = tuple[str, str, ast.expr]  # prefix (``key: ``, ``name=``), flat text, node
Parts = tuple[str, list[Item], str, str]  # opener, items, closer, kind


class _Source:
    """The text an expression was parsed from, with each node's layout worked out once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._data = text.encode("utf-8")  # ast offsets count UTF-8 bytes
        self.flat: dict[int, str] = {}
        self.parts: dict[int, Parts | None] = {}

    def segment(self, node: ast.expr) -> str:
        if node.lineno == node.end_lineno and node.end_col_offset is not None:
            return self._data[node.col_offset : node.end_col_offset].decode("utf-8")
        return ast.get_source_segment(self._text, node) or ast.unparse(node)


def lay_out(prefix: str, expression: str, suffix: str, indent: int) -> str:
    """``prefix + expression + suffix`` at ``indent`` spaces, as indented lines."""
    return "\n".join(_lay_out(prefix, expression, suffix, indent))


def _lay_out(prefix: str, expression: str, suffix: str, indent: int) -> list[str]:
    parsed = _parse(expression)
    if parsed is not None:
        try:
            return _lines(prefix, parsed[0], suffix, indent, parsed[1])
        except _BlackDecides:
            pass
    return [" " * indent + prefix + expression + suffix]


class _BlackDecides(Exception):
    """A part black would split at operators: the whole line is left to black, unsplit (a
    half-laid-out line could end up split differently from black's own choice)."""


def _parse(expression: str) -> tuple[ast.expr, _Source] | None:
    """The expression's tree, unless its one-line form would differ in more than spacing
    and trailing commas (parentheses the tree does not keep): then black decides alone."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return None
    source = _Source(expression)
    if _canonical(_flat(node, source)) != _canonical(expression):
        return None
    return node, source


_TRAILING_COMMA = re.compile(r",\s*([)\]}])")


def _canonical(text: str) -> str:
    return "".join(_TRAILING_COMMA.sub(r"\1", text).split())


def lay_out_parameter(parameter: str, indent: int) -> str:
    """One parameter line (``name: annotation = default``, then a comma) as black writes it:
    a long union ending in a name (``... | NotGiven = NOT_GIVEN``) goes in parentheses, split
    at ``|`` if still too long; other long parameters are left to black."""
    line = " " * indent + parameter + ","
    name, colon, rest = parameter.partition(": ")
    annotation, equals, default = rest.rpartition(" = ")
    if colon and not equals and _width(line) > LINE_LENGTH:
        return _parenthesized(name, rest, indent) or line  # a required parameter
    if _width(line) <= LINE_LENGTH or not (colon and equals) or not default.isidentifier():
        return line
    parsed = _parse(annotation)
    if parsed is None:
        return line
    node, source = parsed
    operands = _union_operands(node)
    if len(operands) < 2 or not isinstance(operands[-1], (ast.Name, ast.Attribute, ast.Constant)):
        return line  # black may split inside the annotation instead: it decides
    pad = " " * indent
    try:
        body = _union_lines(node, indent + 4, source)
    except _BlackDecides:
        return line
    return "\n".join([f"{pad}{name}: (", *body, f"{pad}) = {default},"])


def _parenthesized(name: str, annotation: str, indent: int) -> str | None:
    """``name: (`` annotation ``),`` when the annotation fits on a line of its own: black's
    layout of a long required parameter; None when black would split it further."""
    pad = " " * indent
    inner = f"{pad}    {annotation}"
    if _width(inner) > LINE_LENGTH or _parse(annotation) is None:
        return None
    return "\n".join([f"{pad}{name}: (", inner, f"{pad}),"])


def _union_operands(node: ast.expr) -> list[ast.expr]:
    operands: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        operands.insert(0, node.right)
        node = node.left
    return [node, *operands]


def _union_lines(node: ast.expr, indent: int, source: _Source) -> list[str]:
    """An annotation alone in parentheses: one line, or its ``|`` operands one per line."""
    flat = _flat(node, source)
    if indent + _width(flat) <= LINE_LENGTH:
        return [" " * indent + flat]
    operands = _union_operands(node)
    if len(operands) == 1:
        return _lines("", node, "", indent, source)
    lines: list[str] = []
    for index, operand in enumerate(operands):
        lines += _lines("| " if index else "", operand, "", indent, source)
    return lines


def lay_out_generic_call(target: str, callee: str, argument: str) -> str:
    """The opening line of ``target = callee[argument](`` (its arguments follow, exploded) as
    black writes it: on one line if it fits, else the subscript split onto its own line."""
    line = f"{target} = {callee}[{argument}]("
    if _width(line) <= LINE_LENGTH:
        return line
    return f"{target} = {callee}[\n    {argument}\n]("


def lay_out_import(module: str, names: list[str], indent: int = 0) -> str:
    """``from module import names`` at ``indent`` spaces, as black writes it."""
    pad = " " * indent
    line = f"{pad}from {module} import {', '.join(names)}"
    if _width(line) <= LINE_LENGTH:
        return line
    inner = [f"{pad}    {name}," for name in names]
    return "\n".join([f"{pad}from {module} import (", *inner, f"{pad})"])


def _lines(prefix: str, node: ast.expr, suffix: str, indent: int, source: _Source) -> list[str]:
    pad = " " * indent
    flat = prefix + _flat(node, source) + suffix
    if indent + _width(flat) <= LINE_LENGTH:
        return [pad + flat]
    parts = _bracketed(node, source)
    if parts is None or not parts[1]:
        if parts is None and not _unsplittable(node):
            raise _BlackDecides
        return [pad + flat]  # a name, a constant, empty brackets: black leaves it long too
    opener, items, closer, kind = parts
    head, tail = pad + prefix + opener, pad + closer + suffix
    inner = indent + 4
    if len(items) == 1 and kind != "tuple":
        # no comma to split at: the one item goes on its own line, split further if need be
        item_prefix, _, item = items[0]
        return [head, *_lines(item_prefix, item, "", inner, source), tail]
    joined = ", ".join(text for _, text, _ in items)
    if kind == "call" and inner + _width(joined) <= LINE_LENGTH:
        return [head, " " * inner + joined, tail]
    body: list[str] = []
    for item_prefix, _, item in items:
        body += _lines(item_prefix, item, ",", inner, source)
    return [head, *body, tail]


def _unsplittable(node: ast.expr) -> bool:
    """A name, constant or dotted name: black leaves it whole however long."""
    if isinstance(node, ast.Attribute):
        return _unsplittable(node.value)
    return isinstance(node, (ast.Name, ast.Constant))


def _bracketed(node: ast.expr, source: _Source) -> Parts | None:
    """How ``node`` splits at its last bracket: opener, items, closer and the kind of bracket
    (``call`` arguments and subscripts stay on one line when they fit, collections do not)."""
    key = id(node)
    if key not in source.parts:
        source.parts[key] = _split_points(node, source)
    return source.parts[key]


def _split_points(node: ast.expr, source: _Source) -> Parts | None:
    if (
        isinstance(node, ast.Call)
        and not any(isinstance(a, ast.Starred) for a in node.args)
        and all(k.arg is not None for k in node.keywords)
    ):
        items: list[Item] = [("", _flat(a, source), a) for a in node.args]
        items += [
            (f"{k.arg}=", f"{k.arg}={_flat(k.value, source)}", k.value) for k in node.keywords
        ]
        return _flat(node.func, source) + "(", items, ")", "call"
    if isinstance(node, ast.Subscript):
        value = _flat(node.value, source) + "["
        if isinstance(node.slice, ast.Tuple) and node.slice.elts:
            elements = node.slice.elts
            return value, [("", _flat(e, source), e) for e in elements], "]", "call"
        return value, [("", _flat(node.slice, source), node.slice)], "]", "call"
    if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
        items = []
        for key, value_node in zip(node.keys, node.values):
            assert key is not None
            key_text = _flat(key, source) + ": "
            items.append((key_text, key_text + _flat(value_node, source), value_node))
        return "{", items, "}", "collection"
    if isinstance(node, (ast.List, ast.Tuple)):
        opener, closer = ("[", "]") if isinstance(node, ast.List) else ("(", ")")
        kind = "tuple" if isinstance(node, ast.Tuple) else "collection"
        return opener, [("", _flat(e, source), e) for e in node.elts], closer, kind
    return None


def _flat(node: ast.expr, source: _Source) -> str:
    """``node`` on one line, brackets spaced as black spaces them, leaves as written."""
    key = id(node)
    if key not in source.flat:
        source.flat[key] = _one_line(node, source)
    return source.flat[key]


def _one_line(node: ast.expr, source: _Source) -> str:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{_flat(node.left, source)} | {_flat(node.right, source)}"
    if isinstance(node, ast.Tuple):
        inner = ", ".join(_flat(e, source) for e in node.elts)
        return f"({inner},)" if len(node.elts) == 1 else f"({inner})"
    parts = _bracketed(node, source)
    if parts is None:
        return source.segment(node)
    opener, items, closer, _ = parts
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) and len(items) == 1:
        return f"{opener}{items[0][1]},{closer}"  # x[a,]: a one-element tuple
    return opener + ", ".join(text for _, text, _ in items) + closer


def _width(text: str) -> int:
    """Columns, as black counts them (wide characters take two, combining marks none)."""
    if text.isascii():
        return len(text)
    from black.strings import str_width  # its own table: only black's count is exact

    return int(str_width(text))

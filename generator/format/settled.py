"""Which pieces of generated code black would leave exactly as they are, decided without black.

The templates and :mod:`generator.render.layout` write code in black's layout, and dmcg's built-in
formatter does for the models: on Notte's whole API black changes none of the 209 pieces it is
given, yet running it costs more than the rest of a cold run. A piece that passes every check
here is black's output already and is used as it is; any other piece goes to black as before.

The checks cover what spec text can change inside otherwise fixed code, erring towards black:

* widths: every code line fits in :data:`~generator.storage.LINE_LENGTH` (a non-ASCII character
  counted as two columns, at least what black counts), bar a long string alone on its line;
* strings: black's quote preference, escape spelling and docstring rules (indentation,
  trailing spaces, quotes at either end, where the closing quotes go); f-strings only plain;
* numbers in black's spelling; no comments but short ones after code, no backslash
  continuations, semicolons or tabs;
* brackets: an exploded one holds one item per line with a magic trailing comma, or, without
  one, content that would not fit on one line (black's right-hand split, or its split of a
  long union before each ``|``); brackets never left open mid-line, closing ones on lines of
  their own; blocks and bracket contents indented by four;
* spaces around ``=``, ``->`` and ``**``, after commas, none inside brackets;
* blank lines: no run black would shorten; the ones it insists on after imports, a module's
  or a class's docstring and a ``def`` or ``class``.

What the templates fix and spec text cannot change (operator spacing, say) is checked only in
part. ``tests/format/test_settled.py`` compares every piece this module passes with black's output
for every spec the suite generates, hostile ones included, and with spec text replaced at
random.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from ..speed.gcpause import parse
from ..storage import LINE_LENGTH
from .brackets import Layout, display_width

__all__ = ["settled"]
# an f-string black keeps: double quotes, nothing escaped, no quotes inside its fields
_PLAIN_FSTRING = re.compile(r'f"[^"\\\n]*"')
_SINGLE_LINE_STRING = re.compile(r'(?P<prefix>[rb]?)"(?P<body>(?:[^"\\\n]|\\.)*)"')
_ESCAPED_QUOTE = re.compile(r"\\[\"']")
# escapes black respells: hexadecimal digits in upper case, any named character
_RESPELLED_ESCAPE = re.compile(
    r"\\(?:x[0-9a-fA-F]?[A-F]|u[0-9a-fA-F]{0,3}[A-F]|U[0-9a-fA-F]{0,7}[A-F]|N\{)"
)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?")  # black drops an exponent's "+"
_BACKSLASH_NEWLINE = re.compile(r"\\\s*\n")
_MISPLACED_SPACE = re.compile(r"  |\( | \)|\[ | \]| ,| :|,[^ )\]}]| \*\* |[^ ]->|->[^ ]")
# a string alone on its line in brackets, maybe a keyword's (``path="...",``): black cannot
# split it, however long
_LONE_STRING = re.compile(r'(?:[A-Za-z_][A-Za-z0-9_]*=)?[rb]?"x*",?')
_INLINE_COMMENT = re.compile(r"(?P<code>[^#]*[^#\s])  # (?P<text>[^#\s][^#]*)")
_LEAVES = (ast.expr_context, ast.Name, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)


def settled(piece: str) -> bool:
    """Whether black (line length :data:`LINE_LENGTH`) would return ``piece`` unchanged.

    ``False`` means only "not shown here": black is asked. ``piece`` is one of
    :func:`.chunks.split`'s pieces: it ends with exactly one newline."""
    if (
        any(ch in piece for ch in "\t\r\f\v\x00")
        or not piece.endswith("\n")
        or piece.endswith("\n\n")
    ):
        return False
    try:
        tree = parse(piece)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    lines = piece.split("\n")[:-1]
    string_lines: dict[int, int] = {}  # lines black does not measure: those of lone strings
    masks: dict[int, list[tuple[int, int]]] = {}  # line ➜ character spans of its strings
    statement_strings: set[int] = set()
    for node in _walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string: only a plain one
            text = _segment(lines, node)
            if text is None or not _PLAIN_FSTRING.fullmatch(text):
                return False
            start = _column(lines[node.lineno - 1], node.col_offset)
            masks.setdefault(node.lineno - 1, []).append((start, start + len(text)))
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            statement_strings.add(id(node.value))  # _walk yields it before its value
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        if isinstance(value, (str, bytes)):
            text = _segment(lines, node)
            if text is None:
                return False
            if id(node) in statement_strings:
                if not _settled_statement_string(text, lines, node):
                    return False
                for number in range(node.lineno, (node.end_lineno or node.lineno)):
                    string_lines[number] = -1
                string_lines[node.lineno - 1] = node.col_offset  # ASCII indentation: columns
                continue
            if not _settled_inline_string(text):
                return False
            start = _column(lines[node.lineno - 1], node.col_offset)
            masks.setdefault(node.lineno - 1, []).append((start, start + len(text)))
        elif type(value) in (int, float, complex):
            text = _segment(lines, node)
            if text is None or not _NUMBER.fullmatch(text):
                return False
    if any(_rhs_preferred(node, lines) for node in _walk(tree) if isinstance(node, ast.AnnAssign)):
        return False
    return _settled_lines(lines, string_lines, masks)


def _rhs_preferred(node: ast.AnnAssign, lines: list[str]) -> bool:
    """An annotated assignment whose annotation spans lines though it would fit on the first
    one: black then keeps the annotation whole and splits the value instead (``= (``)."""
    annotation = node.annotation
    if node.value is None or annotation.end_lineno in (None, annotation.lineno):
        return False
    head = lines[node.lineno - 1][: annotation.col_offset]
    flat = ast.unparse(annotation)
    return display_width(head + flat + " = (") <= LINE_LENGTH


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree``, each before its children, without the ones that cannot hold a
    literal (names and load/store contexts): ``ast.walk`` spends half its time on those."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.JoinedStr):
            continue  # its parts are not tokens of their own
        for name in node._fields:
            child = getattr(node, name)
            if isinstance(child, list):
                todo.extend(item for item in child if isinstance(item, ast.AST))
            elif isinstance(child, ast.AST) and not isinstance(child, _LEAVES):
                todo.append(child)


def _segment(lines: list[str], node: ast.expr) -> str | None:
    """The source text of a single-line ``node`` (a multi-line one: only a lone string, whose
    lines are all its own), or ``None`` when it is not one token as black sees it."""
    if node.end_lineno is None or node.end_col_offset is None:
        return None
    first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
    if node.lineno == node.end_lineno:
        return _slice(first, node.col_offset, node.end_col_offset)
    head = _slice(first, node.col_offset, None)
    body = lines[node.lineno : node.end_lineno - 1]
    return "\n".join([head, *body, _slice(last, 0, node.end_col_offset)])


def _slice(line: str, start: int, end: int | None) -> str:
    """``line`` cut at ast's offsets, which count UTF-8 bytes."""
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8")


def _column(line: str, offset: int) -> int:
    return offset if line.isascii() else len(line.encode("utf-8")[:offset].decode("utf-8"))


def _settled_inline_string(text: str) -> bool:
    """A string inside an expression: one line, double quotes, nothing black respells."""
    match = _SINGLE_LINE_STRING.fullmatch(text)
    if match is None:
        return False  # single or triple quotes, another prefix, or implicit concatenation
    body = match["body"]
    if match["prefix"] == "r":
        return True  # black keeps a raw string's body and its double quotes
    return not _ESCAPED_QUOTE.search(body) and not _RESPELLED_ESCAPE.search(body)


def _settled_statement_string(text: str, lines: list[str], node: ast.expr) -> bool:
    """A string on its own as a statement (a docstring, or a field's after it): unchanged by
    black's docstring rules (``linegen.visit_STRING``), which also cover the other case. black
    measures no line of it but the last (where the closing quotes go): it cannot split one."""
    indent = lines[node.lineno - 1][: node.col_offset]
    if indent.strip() or len(indent) % 4 or not text.startswith('"""') or len(text) < 6:
        return False
    if _slice(lines[(node.end_lineno or node.lineno) - 1], node.end_col_offset or 0, None):
        return False  # more on its last line
    if _BACKSLASH_NEWLINE.search(text) or _RESPELLED_ESCAPE.search(text):
        return False
    body = text[3:-3]
    if "\n" in body:
        docstring = _fix_indentation(body, indent)
    else:
        docstring = body.strip()
    if not docstring or docstring[0] == '"' or docstring[-1] in '"\\':
        return False
    lines_as_black_counts = docstring.splitlines()  # splitlines(), not "\n": as black does
    last_width = len(lines_as_black_counts[-1]) if not docstring.endswith("\n") else 0
    if len(lines_as_black_counts) > 1 and last_width + 3 > LINE_LENGTH:
        return False  # black moves the closing quotes to a line of their own
    return text == f'"""{docstring}"""'


def _fix_indentation(docstring: str, indent: str) -> str:
    """black's ``fix_multiline_docstring``: the first line stripped, the others re-indented to
    ``indent`` by their common indentation, trailing spaces dropped, blank lines emptied."""
    lines = docstring.split("\n")  # as black splits (no \r here); splitlines() cuts more
    common = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=None
    )
    trimmed = [lines[0].strip()]
    if common is not None:
        last = len(lines) - 2
        for number, line in enumerate(lines[1:]):
            stripped = line[common:].rstrip()
            trimmed.append(indent + stripped if stripped or number == last else "")
    return "\n".join(trimmed)


def _settled_lines(
    lines: list[str],
    string_lines: dict[int, int],
    masks: dict[int, list[tuple[int, int]]],
) -> bool:
    """Every line outside a lone string: short enough, spaced, punctuated and laid out as
    black does. ``string_lines``: the lines of lone strings ➜ the column the string starts
    at, on its first line (-1 on the others)."""
    layout = Layout()
    for number, line in enumerate(lines):
        if number in string_lines:
            start = string_lines[number]
            if not layout.string(start, start >= 0, number):
                return False
            continue
        if not line:
            if number == 0 or not layout.blank():
                return False
            continue
        code = _without_inline_comment(_masked(line, masks.get(number, ())))
        indent = len(code) - len(code.lstrip(" "))
        stripped = code[indent:]
        if line != line.rstrip() or (
            display_width(line) > LINE_LENGTH
            and not (layout.stack and _LONE_STRING.fullmatch(stripped))
        ):
            return False  # a long string alone on its line inside brackets: black cannot split
        if (
            "#" in stripped
            or ";" in stripped
            or stripped.endswith("\\")
            or _MISPLACED_SPACE.search(stripped)
            or not layout.code(code, indent, number)
        ):
            return False
    return not layout.stack


def _without_inline_comment(code: str) -> str:
    """``code`` without a comment after it spaced as black spaces one (``x  # note``)."""
    match = _INLINE_COMMENT.fullmatch(code)
    return match["code"] if match and not match["text"].startswith("type:") else code


def _masked(line: str, spans: Sequence[tuple[int, int]]) -> str:
    """``line`` with the inside of each string literal replaced by ``x``es."""
    for start, end in spans:
        line = line[:start] + '"' + "x" * (end - start - 2) + '"' + line[end:]
    return line

"""Which pieces of generated code black would leave exactly as they are, decided without black.

The templates and :mod:`generator.layout` write code in black's layout, and dmcg's built-in
formatter does for the models: on Notte's whole API black changes none of the 209 pieces it is
given, yet running it costs more than the rest of a cold run. A piece that passes every check
here is black's output already and is used as it is; any other piece goes to black as before.

The checks cover what spec text can change inside otherwise fixed code, erring towards black:

* widths: every code line fits in :data:`~generator.layout.LINE_LENGTH` (a non-ASCII character
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
part. ``tests/test_settled.py`` compares every piece this module passes with black's output
for every spec the suite generates, hostile ones included, and with spec text replaced at
random.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .gcpause import parse
from .layout import LINE_LENGTH

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
_BLOCK_KEYWORD = re.compile(r"(?:if|elif|else|for|while|with|try|except|finally|def|class|async)\b")
_CLAUSE = re.compile(r"(?:elif|else|except|finally)\b")
_IMPORT = re.compile(r"(?:import|from)\b")
_DEFINITION = re.compile(r"(?:def|class|async def)\b|@")
_LONE_STRING = re.compile(r'[rb]?"x*",?')
_INLINE_COMMENT = re.compile(r"(?P<code>[^#]*[^#\s])  # (?P<text>[^#\s][^#]*)")
_LEAVES = (ast.expr_context, ast.Name, ast.operator, ast.cmpop, ast.unaryop, ast.boolop)
_PUNCTUATION = re.compile(r"[()\[\]{},:=]")
_OPENER = "([{"
_AUGMENTED = set("=!<>:+-*/%&|^@")  # before "=": part of another operator
_CLOSER = ")]}"
_PAIR = {"(": ")", "[": "]", "{": "}"}


def settled(piece: str) -> bool:
    """Whether black (line length :data:`LINE_LENGTH`) would return ``piece`` unchanged.

    ``False`` means only "not shown here": black is asked. ``piece`` is one of
    :func:`generator.chunks.split`'s pieces: it ends with exactly one newline."""
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
    return _settled_lines(lines, string_lines, masks)


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


@dataclass
class _Item:
    """One item of an exploded bracket: its lines at the bracket's level (the first, then any
    continuations of an operator split) and all its lines' width."""

    starts: list[str] = field(default_factory=list)
    width: int = 0  # of its lines joined by spaces
    exploded: bool = False  # holds a bracket exploded by a magic trailing comma
    annotated: bool = False  # a ":" at its level so far (an "=" after one takes spaces)

    def split_as_black_would(self, available: int) -> bool:
        """On one line; or, when it cannot be (too wide, or holding an exploded bracket),
        split before each ``|``, as black's delimiter split writes a long union."""
        if len(self.starts) <= 1:
            return True
        return (
            (self.exploded or self.width - 1 > available)
            and not self.starts[0].startswith("| ")
            and all(start.startswith("| ") for start in self.starts[1:])
        )


@dataclass
class _Bracket:
    """A bracket left open at the end of a line (exploded), while its lines are read."""

    closer: str
    indent: int  # of the line that opened it, where its closing line goes
    line: int
    opening_width: int  # of that line up to the bracket, and the bracket unless optional
    optional: bool  # parentheses around an expression, which black may leave out
    commas: int = 0  # at its own level
    several_per_line: bool = False  # a comma at its level before the end of a line
    content_width: int = 0  # of its lines joined by spaces
    comma_items: int = 0  # items ended by a trailing comma
    item: _Item = field(default_factory=_Item)  # the item being read

    @property
    def available(self) -> int:
        """The width an item has on a line of its own inside the bracket."""
        return LINE_LENGTH - self.indent - 4


class _Layout:
    """Reads a piece's lines in order and says whether each is where black would put it:
    blocks indented by four, an exploded bracket either one item per line with a trailing
    comma or one line that could not be joined, closing brackets on lines of their own."""

    def __init__(self) -> None:
        self.stack: list[_Bracket] = []
        self.statement_indent = 0
        self.opens_block = False  # the last statement ended with ":"
        self.blank_run = 0
        self.after_module_docstring = False
        self.compound = False  # the statement being read starts with a block keyword
        self.decorated = False  # the last statement was a decorator
        self.definitions: list[int] = []  # indentation of the def/class bodies being read
        self.class_opened = False  # the last statement was a class's header
        self.after_class_docstring = False
        self.after_import = False  # the last statement was an import

    def string(self, indent: int, first: bool, number: int) -> bool:
        """A line of a lone string (``first``: the line it starts on)."""
        if first and not self._statement('"""', indent, number):
            return False
        self.after_module_docstring = number == 0 or self.after_module_docstring
        return True

    def blank(self) -> bool:
        self.blank_run += 1
        return not self.stack and not self.opens_block  # black drops both kinds

    def code(self, code: str, indent: int, number: int) -> bool:
        stripped = code[indent:]
        if self.after_module_docstring and self.blank_run != 1:
            return False  # exactly one blank line after a module's docstring
        self.after_module_docstring = False
        if self.stack:  # blank lines inside it were refused already (blank())
            top = self.stack[-1]
            closing = stripped[0] in _CLOSER
            if indent != (top.indent if closing else top.indent + 4):
                return False
            if not closing:
                top.item.starts.append(stripped)
            for bracket in self.stack[:-1] if closing else self.stack:
                bracket.content_width += _width(stripped) + 1
                bracket.item.width += _width(stripped) + 1
        elif not self._statement(stripped, indent, number):
            return False
        if not self._brackets(stripped, indent, number):
            return False
        if not self.stack:
            self.opens_block = stripped.endswith(":")
        return True

    def _statement(self, stripped: str, indent: int, number: int) -> bool:
        """A statement starts (``stripped``: its first line; ``\"\"\"`` for a lone string):
        indented as its block requires, after the blank lines black puts before it."""
        if number == 0:
            indented = indent == 0
        elif self.opens_block:
            indented = indent == self.statement_indent + 4
        else:
            indented = indent <= self.statement_indent
        if not indented or indent % 4 or self.blank_run > (1 if indent else 2):
            return False
        if not self._spaced(stripped, indent, self.blank_run):
            return False
        self.after_class_docstring = stripped == '"""' and self.class_opened and self.opens_block
        self.statement_indent, self.blank_run, self.opens_block = indent, 0, False
        self.compound = _BLOCK_KEYWORD.match(stripped) is not None
        self.decorated = stripped.startswith("@")
        self.class_opened = stripped.startswith("class ")
        self.after_import = _IMPORT.match(stripped) is not None
        return True

    def _spaced(self, stripped: str, indent: int, blank_lines: int) -> bool:
        """Whether a statement has the blank lines black puts before it (where it insists):
        after a ``def``/``class`` body two at the top level and one inside; one before a
        nested ``def``/``class`` after code, none after its decorator; one after a class's
        docstring and after imports."""
        leaving = [depth for depth in self.definitions if depth >= indent]
        self.definitions = [depth for depth in self.definitions if depth < indent]
        if _DEFINITION.match(stripped) and not stripped.startswith("@"):
            self.definitions.append(indent)
        if leaving and not _CLAUSE.match(stripped) and not self.decorated:
            return blank_lines == (1 if indent else 2)
        if indent and _DEFINITION.match(stripped) and not self.opens_block:
            return blank_lines == (0 if self.decorated else 1)
        if self.after_import and not _IMPORT.match(stripped) and indent == self.statement_indent:
            return blank_lines == (2 if indent == 0 and _DEFINITION.match(stripped) else 1)
        if self.after_class_docstring:
            return blank_lines == 1
        return True

    def _brackets(self, stripped: str, indent: int, number: int) -> bool:
        """Follow the brackets of one line; ``False`` where black would lay them out otherwise."""
        opened_here: list[int] = []  # positions of brackets this line opened and left open
        for match in _PUNCTUATION.finditer(stripped):
            position, ch = match.start(), match.group()
            item = self.stack[-1].item if self.stack else None
            if ch == "=":
                annotated = item is not None and item.annotated
                if not _spaced_equals(stripped, position, item is not None, annotated):
                    return False
                continue
            if ch == ":":
                if item is not None:
                    item.annotated = True
                elif self.compound and position != len(stripped) - 1:
                    return False  # a block's body on its header line: black moves it
            elif ch == "," and item is not None:
                item.annotated = False
            if ch in _OPENER:
                before = stripped[position - 1 : position]
                optional = ch == "(" and not (before.isalnum() or before in ("_", ")", "]"))
                width = indent + position + (0 if optional else 1)
                self.stack.append(_Bracket(_PAIR[ch], indent, number, width, optional))
                opened_here.append(position)
            elif ch in _CLOSER:
                if not self.stack or self.stack[-1].closer != ch:
                    return False
                bracket = self.stack.pop()
                if bracket.line == number:
                    opening = opened_here.pop()
                    if stripped[:position].rstrip().endswith(",") and not _one_item_tuple(
                        stripped, opening, bracket
                    ):
                        return False  # a trailing comma on one line: black explodes it
                    continue
                if position != 0 or not self._closes(bracket, stripped):
                    return False
                if bracket.comma_items and self.stack:
                    self.stack[-1].item.exploded = True
            elif ch == "," and self.stack:
                self.stack[-1].commas += 1
                if self.stack[-1].line < number and position != len(stripped) - 1:
                    self.stack[-1].several_per_line = True
        if opened_here and (len(opened_here) > 1 or opened_here[0] != len(stripped) - 1):
            return False  # a bracket left open mid-line: black never hangs one
        if self.stack and self.stack[-1].line < number and stripped.endswith(","):
            top = self.stack[-1]  # an item of it ends here
            if not top.item.split_as_black_would(top.available):
                return False
            top.comma_items += 1
            top.item = _Item()
        return True

    @staticmethod
    def _closes(bracket: _Bracket, closing: str) -> bool:
        """Whether black would explode ``bracket`` the way its lines are: with a magic
        trailing comma, one item per line; without one, only when its content does not fit
        on the line, as one item on a line of its own (the right-hand split), or split before
        each ``|`` when even that does not fit."""
        item = bracket.item
        if not (item.starts or bracket.comma_items):
            return False  # empty: black joins it
        if bracket.comma_items:
            return not item.starts and not bracket.several_per_line
        if len(item.starts) == 1:
            closing_width = _width(closing) - (1 if bracket.optional else 0)
            joined = bracket.opening_width + bracket.content_width - 1 + closing_width
            return item.exploded or joined > LINE_LENGTH
        return not bracket.several_per_line and item.split_as_black_would(bracket.available)


def _settled_lines(
    lines: list[str],
    string_lines: dict[int, int],
    masks: dict[int, list[tuple[int, int]]],
) -> bool:
    """Every line outside a lone string: short enough, spaced, punctuated and laid out as
    black does. ``string_lines``: the lines of lone strings ➜ the column the string starts
    at, on its first line (-1 on the others)."""
    layout = _Layout()
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
            _width(line) > LINE_LENGTH and not (layout.stack and _LONE_STRING.fullmatch(stripped))
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


def _spaced_equals(code: str, position: int, bracketed: bool, annotated: bool) -> bool:
    """Whether the ``=`` at ``position`` is spaced as black spaces it: with a space on each
    side in a statement and after an annotation, none in a keyword argument or a default
    without one. Part of another operator (``==``, ``<=``, ``+=``...): not its concern."""
    before, after = code[position - 1 : position], code[position + 1 : position + 2]
    if before in _AUGMENTED or after == "=":
        return True
    spaced = code[position - 1 : position + 2] == " = "
    return spaced if annotated or not bracketed else before != " " and after != " "


def _without_inline_comment(code: str) -> str:
    """``code`` without a comment after it spaced as black spaces one (``x  # note``)."""
    match = _INLINE_COMMENT.fullmatch(code)
    return match["code"] if match and not match["text"].startswith("type:") else code


def _width(line: str) -> int:
    """Columns, at least as many as black counts (wide characters take two)."""
    if line.isascii():
        return len(line)
    return len(line) + sum(1 for ch in line if ord(ch) > 127)


def _masked(line: str, spans: Sequence[tuple[int, int]]) -> str:
    """``line`` with the inside of each string literal replaced by ``x``es."""
    for start, end in spans:
        line = line[:start] + '"' + "x" * (end - start - 2) + '"' + line[end:]
    return line


def _one_item_tuple(code: str, opening: int, bracket: _Bracket) -> bool:
    """Whether the bracket opened at ``opening`` and closed on the same line after a trailing
    comma is a one-item tuple (``(x,)``), whose comma black keeps; any other such comma (two
    items, a list, a call's arguments) is magic, and black explodes the bracket."""
    before = code[:opening].rstrip()[-1:]
    call = before.isalnum() or before in ("_", ")", "]")
    return bracket.closer == ")" and bracket.commas == 1 and not call

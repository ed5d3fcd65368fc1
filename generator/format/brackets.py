"""Where black puts the lines of a piece: blocks, and the brackets it explodes.

:class:`Layout` reads a piece's lines in order and says whether each is where black would put
it: blocks indented by four, an exploded bracket either one item per line with a trailing
comma or one line that could not be joined, closing brackets on lines of their own. Part of
:mod:`.settled`'s checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..storage import LINE_LENGTH

__all__ = ["Layout", "display_width"]

_BLOCK_KEYWORD = re.compile(r"(?:if|elif|else|for|while|with|try|except|finally|def|class|async)\b")
_CLAUSE = re.compile(r"(?:elif|else|except|finally)\b")
_IMPORT = re.compile(r"(?:import|from)\b")
_DEFINITION = re.compile(r"(?:def|class|async def)\b|@")
_PUNCTUATION = re.compile(r"[()\[\]{},:=]")
_OPENER = "([{"
_AUGMENTED = set("=!<>:+-*/%&|^@")  # before "=": part of another operator
_CLOSER = ")]}"
_PAIR = {"(": ")", "[": "]", "{": "}"}


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


class Layout:
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
                bracket.content_width += display_width(stripped) + 1
                bracket.item.width += display_width(stripped) + 1
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
                if bracket.optional and bracket.commas == 1 and bracket.comma_items == 1:
                    return False  # an exploded one-item tuple: its comma is not magic to black
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
            closing_width = display_width(closing) - (1 if bracket.optional else 0)
            joined = bracket.opening_width + bracket.content_width - 1 + closing_width
            return item.exploded or joined > LINE_LENGTH
        return not bracket.several_per_line and item.split_as_black_would(bracket.available)


def _spaced_equals(code: str, position: int, bracketed: bool, annotated: bool) -> bool:
    """Whether the ``=`` at ``position`` is spaced as black spaces it: with a space on each
    side in a statement and after an annotation, none in a keyword argument or a default
    without one. Part of another operator (``==``, ``<=``, ``+=``...): not its concern."""
    before, after = code[position - 1 : position], code[position + 1 : position + 2]
    if before in _AUGMENTED or after == "=":
        return True
    spaced = code[position - 1 : position + 2] == " = "
    return spaced if annotated or not bracketed else before != " " and after != " "


def display_width(line: str) -> int:
    """Columns, at least as many as black counts (wide characters take two)."""
    if line.isascii():
        return len(line)
    return len(line) + sum(1 for ch in line if ord(ch) > 127)


def _one_item_tuple(code: str, opening: int, bracket: _Bracket) -> bool:
    """Whether the bracket opened at ``opening`` and closed on the same line after a trailing
    comma is a one-item tuple (``(x,)``), whose comma black keeps; any other such comma (two
    items, a list, a call's arguments) is magic, and black explodes the bracket."""
    before = code[:opening].rstrip()[-1:]
    call = before.isalnum() or before in ("_", ")", "]")
    return bracket.closer == ")" and bracket.commas == 1 and not call

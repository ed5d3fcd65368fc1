"""What datamodel-code-generator wrote, made safe to ship: dmcg writes spec text itself
(descriptions as docstrings, defaults, aliases, patterns), so its output is untrusted too.

Characters that could hide or reorder code (controls, right-to-left and zero-width marks) are
escaped inside string literals and comments; text with a lone surrogate is refused, naming
where it is; and the module is checked to hold only declarations: imports of known modules,
classes, annotated fields and calls of known constructors.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
import unicodedata
from pathlib import Path
from typing import Any

from .. import names
from ..errors import ClientgenError, pointer_from_parts
from ..speed.gcpause import parse
from ..storage import cached_text, store_text

__all__ = ["check_declarations_once", "escape_unsafe", "lone_surrogate_error"]


def _is_unsafe(ch: str) -> bool:
    """A character that must not appear raw in source: controls (except tab and newline),
    line and paragraph separators, format (right-to-left, zero-width), private and surrogate."""
    if ch in "\n\t":
        return False
    return not ch.isprintable() or unicodedata.category(ch) in ("Cf", "Co", "Cs")


def lone_surrogate_error(schemas: dict[str, Any]) -> ClientgenError:
    """The refusal of schema text holding a lone surrogate (only a JSON ``\\ud800`` escape makes
    one), naming where it is: it is not Unicode text, and datamodel-code-generator would turn
    it into U+FFFD in some versions and keep it in others, where pydantic then cannot build the
    model."""
    for model, schema in schemas.items():
        found = _surrogate_in(schema, [])
        if found is not None:
            parts, ch = found
            where = f" at {names.visible(pointer_from_parts(parts))}" if parts else ""
            return ClientgenError(
                f"schema {model} holds text with a lone surrogate ({names.escape_char(ch)})"
                f"{where}, which is not Unicode text; fix the escape in the API description"
            )
    return ClientgenError(
        "the schemas hold text with a lone surrogate, which is not Unicode text; "
        "fix the escape in the API description"
    )


def _surrogate_in(value: Any, parts: list[Any]) -> tuple[list[Any], str] | None:
    """The path (below ``parts``) of the first string, key or value, in ``value`` that holds
    a lone surrogate, and that surrogate."""
    if isinstance(value, str):
        ch = next((c for c in value if unicodedata.category(c) == "Cs"), None)
        return (parts, ch) if ch is not None else None
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, inner in items:
        found = _surrogate_in(key, parts) if isinstance(key, str) else None
        found = found or _surrogate_in(inner, [*parts, key])
        if found is not None:
            return found
    return None


def escape_unsafe(source: str) -> str:
    """``source`` with unsafe characters escaped inside string literals and comments."""
    unsafe = {ch for ch in set(source) if _is_unsafe(ch)}
    if not unsafe:
        return source
    surrogates = sorted(ch for ch in unsafe if unicodedata.category(ch) == "Cs")
    if surrogates:  # pydantic cannot even build a model holding one
        at = source.index(surrogates[0])
        model = re.findall(r"^class (\w+)", source[:at], flags=re.MULTILINE)
        where = f"schema {model[-1]}" if model else "a schema"
        raise ClientgenError(
            f"{where} holds text with a lone surrogate ({names.escape_char(surrogates[0])}), which "
            "is not Unicode text; fix the escape in the API description"
        )
    offsets = [0]
    for line in source.split("\n"):  # the line ends tokenize counts (not str.splitlines')
        offsets.append(offsets[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise ClientgenError(
            f"datamodel-code-generator wrote invalid Python ({exc}); this is a clientgen bug"
        ) from exc
    for token in tokens:
        if not any(ch in unsafe for ch in token.string):
            continue
        start = offsets[token.start[0] - 1] + token.start[1]
        end = offsets[token.end[0] - 1] + token.end[1]
        if token.type == tokenize.COMMENT:
            text = "".join(names.escape_char(c) if c in unsafe else c for c in token.string)
        elif token.type == tokenize.STRING:
            text = _escaped_string(token.string, unsafe)
        else:
            raise ClientgenError(
                f"datamodel-code-generator wrote {token.string!r} outside a string literal; "
                "refusing to generate"
            )
        edits.append((start, end, text))
    for start, end, text in reversed(edits):
        source = source[:start] + text + source[end:]
    return source


def _escaped_string(token: str, unsafe: set[str]) -> str:
    """A string literal token with the same value and no unsafe character in its text."""
    prefix = token[: len(token) - len(token.lstrip("rRuUbBfF"))].lower()
    if "b" in prefix or "f" in prefix:
        raise ClientgenError(
            f"datamodel-code-generator wrote a {prefix}-string; refusing to generate"
        )
    if "r" in prefix:  # no escapes in a raw string: its value is the text between the quotes
        body = token[len(prefix) :]
        quotes = 3 if body[:3] in ('"' * 3, "'" * 3) else 1
        return names.literal(body[quotes:-quotes])
    out: list[str] = []
    backslashes = 0
    for ch in token:
        if ch in unsafe:
            # after an odd run of backslashes, ``\<ch>`` meant a backslash and ch: keep both
            out.append(("\\" if backslashes % 2 else "") + names.escape_char(ch))
            backslashes = 0
            continue
        out.append(ch)
        backslashes = backslashes + 1 if ch == "\\" else 0
    return "".join(out)


# --------------------------------------------------------------------------- declarations only

_MODULES = frozenset(
    {
        "__future__",
        "typing",
        "typing_extensions",
        "pydantic",
        "datetime",
        "decimal",
        "uuid",
        "enum",
        "builtins",
        "collections.abc",
        "ipaddress",
        "pathlib",
        "annotated_types",
        "re",
    }
)
_CALLS = frozenset(
    {
        "ConfigDict",
        "Field",
        "TypeAliasType",
        "AliasChoices",
        "AliasPath",
        "Discriminator",
        "Tag",
        "float",
        "Decimal",
        "UUID",
        "date",
        "datetime",
        "time",
        "timedelta",
        "set",
        "frozenset",
        "tuple",
    }
)
_METHOD_CALLS = frozenset({"model_rebuild", "model_validate"})
_DUNDERS = frozenset({"__annotations__", "__pydantic_extra__", "__all__", "__root__"})
_MODULE_STATEMENTS = (ast.ImportFrom, ast.Import, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Expr)
_CLASS_STATEMENTS = (ast.Assign, ast.AnnAssign, ast.Expr, ast.Pass)


def check_declarations_once(source: str) -> None:
    """:func:`_check_declarations`, skipped for a source already found clean (cached by hash:
    parsing a 25,000-line module costs half a second, regeneration of an unchanged spec none)."""
    key = hashlib.sha256(_SELF + source.encode("utf-8")).hexdigest()
    if cached_text("models-checked", key) is not None:
        return
    _check_declarations(source)
    store_text("models-checked", key, "clean\n")


_SELF = Path(__file__).read_bytes()  # the rules below are part of what a clean result depends on


def _check_declarations(source: str) -> None:
    """Refuse a models module that does anything but declare: no stray statements, calls or
    dunder access. This is what keeps importing a generated client from running spec text,
    whatever the text did to the generator's escaping."""
    try:
        tree = parse(source)
    except SyntaxError as exc:
        raise ClientgenError(
            f"datamodel-code-generator wrote invalid Python ({exc.msg}, line {exc.lineno}); "
            "this is a clientgen bug"
        ) from exc
    # dmcg compiles a pattern that needs Python's regex engine (look-arounds): re.compile on a
    # string literal, imported by name from re
    compiles_patterns = any(
        isinstance(s, ast.ImportFrom)
        and s.module == "re"
        and [(a.name, a.asname) for a in s.names] == [("compile", None)]
        for s in tree.body
    )
    for statement in tree.body:
        _check_statement(statement, _MODULE_STATEMENTS)
        if isinstance(statement, ast.ClassDef):
            for inner in statement.body:
                _check_statement(inner, _CLASS_STATEMENTS)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module not in _MODULES
            or (
                isinstance(node, ast.Import)
                and any(alias.name not in _MODULES for alias in node.names)
            )
        ):
            _refuse(node, "an import of an unexpected module")
        elif isinstance(node, ast.Call) and not (
            _allowed_call(node.func) or (compiles_patterns and _pattern_compile(node))
        ):
            _refuse(node, "a call")
        elif isinstance(node, (ast.JoinedStr, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            _refuse(node, "an expression")
        elif isinstance(node, ast.Name) and not _allowed_identifier(node.id):
            _refuse(node, f"the name {node.id!r}")
        elif isinstance(node, ast.Attribute) and not _allowed_identifier(node.attr):
            _refuse(node, f"the attribute {node.attr!r}")
        elif isinstance(node, ast.ClassDef) and not _allowed_identifier(node.name):
            _refuse(node, f"the class name {node.name!r}")
        elif isinstance(node, ast.arg) and not _allowed_identifier(node.arg):
            _refuse(node, f"the argument name {node.arg!r}")


def _check_statement(statement: ast.stmt, allowed: tuple[type[ast.stmt], ...]) -> None:
    if not isinstance(statement, allowed):
        _refuse(statement, f"a {type(statement).__name__} statement")
    if isinstance(statement, ast.Expr) and not (
        isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
        or isinstance(statement.value, ast.Call)
    ):
        _refuse(statement, "an expression statement")


def _allowed_call(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in _CALLS
    return (
        isinstance(func, ast.Attribute)
        and func.attr in _METHOD_CALLS
        and isinstance(func.value, ast.Name)
    )


def _pattern_compile(call: ast.Call) -> bool:
    """``compile("<pattern>")``: one string literal, nothing else."""
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "compile"
        and not call.keywords
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def _allowed_identifier(name: str) -> bool:
    return name.isascii() and (not name.startswith("__") or name in _DUNDERS)


def _refuse(node: ast.AST, what: str) -> None:
    line = getattr(node, "lineno", "?")
    raise ClientgenError(
        f"datamodel-code-generator wrote {what} on line {line} of models.py, which a models module "
        "must not contain; refusing to generate (please report this API description to clientgen)"
    )

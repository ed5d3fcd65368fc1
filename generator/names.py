"""The only two doors from spec text into generated code: identifiers and literals.

Every name the generator emits goes through :func:`snake`, :func:`pascal` or
:class:`Scope`; every other piece of spec text goes through :func:`literal`
(a Python string literal) or :func:`doc` (text safe inside a triple-quoted
docstring or a ``#`` comment), or :func:`toml` in ``pyproject.toml``. Nothing
else from the spec reaches a template.
"""

from __future__ import annotations

import keyword
import math
import re
import unicodedata
from typing import Any
from collections.abc import Iterable

MAX_IDENTIFIER = 64

# File names Windows refuses whatever the extension (``con.py`` cannot be created there).
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


def module_name(identifier: str) -> str:
    """``identifier`` as a module's file name that every OS can create (``con`` ➜ ``con_``)."""
    return identifier + "_" if identifier.lower() in _WINDOWS_DEVICES else identifier


# Names a generated module or model needs for itself; a spec name equal to one of
# these gets a suffix so it cannot shadow them.
_RESERVED_SNAKE = frozenset(
    {
        # what every generated method, client or resource already uses
        "self",
        "cls",
        "options",
        "extra_headers",
        "extra_query",
        "timeout",
        "max_retries",
        "body",
        "build_body",
        "build_optional_body",
        "credential",
        "require",
        "with_raw_response",
        "with_options",
        "close",
        "aclose",
        "base_url",
        "http_client",
        "default_headers",
        "cert",
        "verify",
        # pydantic's own BaseModel namespace
        "model_config",
        "model_fields",
        "model_dump",
        "model_validate",
        "model_construct",
        "model_copy",
        "model_json_schema",
        "model_extra",
        "model_fields_set",
        "validate",
        "construct",
        "schema",
        "json",
        "dict",
        "copy",
        "fields",
        # names the generated modules import
        "datetime",
        "httpx",
        "typing",
        "builtins",
        "annotations",
    }
)
# Builtins a method may be named after (``client.sessions.list()``); annotations in a class
# that has such a method are written as ``builtins.list[...]`` instead.
SHADOWABLE_BUILTINS = frozenset(
    {"list", "dict", "set", "tuple", "str", "int", "float", "bool", "bytes", "type", "object"}
)
_RESERVED_PASCAL = frozenset(
    {
        "BaseModel",
        "Field",
        "Any",
        "Literal",
        "Optional",
        "Union",
        "RootModel",
        "ConfigDict",
        "Annotated",
        "List",
        "Dict",
        "Enum",
        "None",
        "True",
        "False",
        "AnyUrl",
        "UUID",
        "Model",
        "Endpoint",
        "QueryStyle",
        "NotGiven",
        "APIResponse",
        "Mapping",
        "Sequence",
        "Callable",
        "TypeAdapter",
        "AwareDatetime",
        "Decimal",
        "Path",
        "Self",
        "Iterator",
        "Awaitable",
        "Exception",
        "Type",
        "Object",
        # what generated resource modules import beside the models
        "Headers",
        "Query",
        "Timeout",
        "RequestOptions",
    }
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def words(text: str) -> list[str]:
    """Split any spec string into lower-case ASCII words (camelCase aware)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    spaced = _CAMEL_BOUNDARY.sub(" ", ascii_text)
    return [w.lower() for w in _NON_WORD.split(spaced) if w]


def _clip(name: str) -> str:
    return name[:MAX_IDENTIFIER].rstrip("_") or name[:MAX_IDENTIFIER]


def snake(text: str, *, fallback: str = "value") -> str:
    """A valid, non-keyword snake_case identifier for ``text``."""
    name = _clip("_".join(words(text))) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _RESERVED_SNAKE:
        name += "_"
    return name


#: What a resource class already has: a method named so would replace it.
_RESOURCE_MEMBERS = frozenset({"self", "cls", "with_raw_response", "with_options"})


#: What a generated method's own body and signature use: an argument named so would hide it.
_METHOD_NEEDS = frozenset(
    {
        "self",
        "body",
        "extra_headers",
        "extra_query",
        "timeout",
        "max_retries",
        "build_body",
        "build_optional_body",
        "credential",
        "require",
        "query_string",
        "datetime",
        "builtins",
    }
)


def argument(text: str, *, fallback: str = "value") -> str:
    """A method argument's name for ``text``: snake_case, with an underscore only when it is a
    keyword or would hide what the method itself uses (``fields`` stays ``fields``; ``from``
    becomes ``from_``): unlike a model's field, an argument shares no namespace with pydantic."""
    name = _clip("_".join(words(text))) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in _METHOD_NEEDS:  # a soft keyword (type) is a name
        name += "_"
    return name


def method(text: str, *, fallback: str = "call") -> str:
    """A resource method's name for ``text``: snake_case, not a keyword, not a member the
    resource class needs. Unlike :func:`snake`, names pydantic's models reserve are fine here
    (``client.files.copy()``, ``client.items.json()``): a resource is not a model."""
    name = _clip("_".join(words(text))) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _RESOURCE_MEMBERS:
        name += "_"
    return name


def pascal(text: str, *, fallback: str = "Model") -> str:
    """A valid PascalCase class name for ``text``."""
    name = _clip("".join(w[:1].upper() + w[1:] for w in words(text))) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _RESERVED_PASCAL or keyword.iskeyword(name):
        name += "Model"
    return name


#: Classes generated from one resource or client class name ``{}``.
CLASS_FAMILY = ("Async{}", "{}WithRawResponse", "Async{}WithRawResponse")


class Scope:
    """Hands out names unique within one scope, deterministically (first come, first served)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def claim(self, name: str, *, family: tuple[str, ...] = ()) -> str:
        """``name``, or ``name`` with the first free number.

        ``family`` holds patterns of names made from the claimed one (``"Async{}"``): they
        must be free too, and are claimed with it, so ``PetsResource`` and its async and
        raw-response classes never meet a model called ``AsyncPetsResource``.
        """
        candidate, n = name, 2
        while candidate in self._taken or any(f.format(candidate) in self._taken for f in family):
            # a class name ending in a digit is never numbered on (``Error22`` reads as a
            # twenty-second error; dmcg drops an underscore in a class name): ``Error2Alt``
            if name[:1].islower():
                candidate = f"{name}{'' if name.endswith('_') else '_'}{n}"
            elif name[-1:].isdigit():
                candidate = f"{name}Alt" if n == 2 else f"{name}Alt{n}"
            else:
                candidate = f"{name}{n}"
            n += 1
        self._taken.add(candidate)
        self._taken.update(f.format(candidate) for f in family)
        return candidate

    def release(self, name: str) -> None:
        """Give back a name claimed for something that turned out not to need it."""
        self._taken.discard(name)

    def __contains__(self, name: str) -> bool:
        return name in self._taken


#: Longest example written into a README call; a longer one leaves the placeholder.
_MAX_EXAMPLE = 60


def example_literal(value: Any) -> str | None:
    """A Python literal for a spec's example value (a string, a number, a boolean, or a short
    list of those), escaped as :func:`literal` escapes; None for anything else or anything
    long: an example shows a call, it need not show every example."""
    if isinstance(value, bool):
        text = repr(value)
    elif isinstance(value, str):
        text = literal(value)
    elif isinstance(value, int) and -(2**63) <= value < 2**63:
        text = repr(value)
    elif isinstance(value, float) and math.isfinite(value):
        text = repr(value)
    elif isinstance(value, list) and len(value) <= 3:
        items = [example_literal(v) for v in value if not isinstance(v, (list, dict))]
        if len(items) != len(value) or None in items:
            return None
        text = "[" + ", ".join(i for i in items if i is not None) + "]"
    else:
        return None
    return text if len(text) <= _MAX_EXAMPLE else None


def literal(text: str) -> str:
    """A Python string literal that evaluates to exactly ``text``."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif (
            ch.isprintable() and ch != "\x7f" and unicodedata.category(ch) not in {"Cf", "Co", "Cs"}
        ):
            out.append(ch)
        else:
            out.append(_escape(ch))
    out.append('"')
    return "".join(out)


def doc(text: str) -> str:
    """``text`` made safe for the inside of a triple-quoted docstring (no raw strings).

    Backslashes and quotes are escaped so nothing can close the docstring; control,
    format (right-to-left, zero-width) and private characters become escapes; line
    structure is kept; trailing blanks are trimmed.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        chars = []
        for ch in line:
            if ch == "\\":
                chars.append("\\\\")
            elif ch == '"':
                chars.append('\\"')
            elif ch == "\t":
                chars.append("    ")
            elif ch.isprintable() and unicodedata.category(ch) not in {"Cf", "Co", "Cs"}:
                chars.append(ch)
            else:
                chars.append(_escape(ch))
        lines.append("".join(chars).rstrip())
    return "\n".join(lines).strip("\n")


def toml(text: str) -> str:
    r"""A TOML basic string that reads back as exactly ``text``.

    Like ``json.dumps`` (ASCII only, so ordinary text gives the same bytes), but with ``\U``
    escapes where JSON writes surrogate pairs, and DEL escaped: TOML allows neither. A lone
    surrogate (only a JSON ``\ud800`` escape makes one) is no character TOML can hold; it
    becomes U+FFFD.
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _TOML_SHORT:
            out.append(_TOML_SHORT[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_TOML_SHORT = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def visible(text: str) -> str:
    r"""``text`` for prose files (README): controls (but newline and tab), line separators and
    format, private and surrogate characters become visible ``\u202e``-style escapes, so no
    right-to-left mark or lone surrogate reaches a file; everything else is unchanged."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        (
            _escape(ch)
            if ch not in "\n\t"
            and (unicodedata.category(ch) in _INVISIBLE or (ch.isascii() and not ch.isprintable()))
            else ch
        )
        for ch in text
    )


_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def escape_char(ch: str) -> str:
    r"""The Python escape sequence of one character (``\x1b``, ``\u202e``, ``\U0001f600``)."""
    return _escape(ch)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def singular(word: str) -> str:
    """Crude English singular, enough to spot ``run`` in ``runs``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses") or word.endswith("xes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word

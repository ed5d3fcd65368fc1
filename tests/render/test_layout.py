"""generator.render.layout: expressions laid out as black lays them out.

Two properties, on random calls, dicts, tuples, subscripts and unions: black's output for
the laid-out text equals its output for the same statement written on one line (the layout
changes no formatting), and where the layout split a line, black leaves it as it is (one pass
instead of two). The rendered resource modules of the vendor clients need no change at all.
"""

from __future__ import annotations

import keyword

import black
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.render.layout import lay_out, lay_out_import, lay_out_parameter
from generator.names import literal

MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310})

names = st.from_regex(r"[a-z][a-z_0-9]{0,24}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and not keyword.issoftkeyword(n)
)
# string literals as the generator writes them; not quotes or backslashes, which black re-quotes
strings = st.text(st.characters(exclude_characters='"\\\\'), max_size=20).map(literal)
leaves = names | strings | st.integers(0, 10**9).map(str)


def _calls(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    args = st.lists(children, max_size=4)
    kwargs = st.lists(st.tuples(names, children), max_size=4, unique_by=lambda kv: kv[0])
    return st.builds(
        lambda f, a, k: f"{f}({', '.join(a + [f'{n}={v}' for n, v in k])})", names, args, kwargs
    )


def _dicts(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = st.lists(st.tuples(strings, children), max_size=6)
    return items.map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")


def _tuples(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(children, min_size=1, max_size=5).map(
        lambda xs: f"({xs[0]},)" if len(xs) == 1 else "(" + ", ".join(xs) + ")"
    )


expressions = st.recursive(
    leaves, lambda inner: _calls(inner) | _dicts(inner) | _tuples(inner), max_leaves=8
)
literals = st.lists(strings, min_size=2, max_size=12).map(
    lambda xs: "Literal[" + ", ".join(xs) + "]"
)
annotations = st.lists(
    literals | names | st.builds(lambda n: f"list[{n}]", names), min_size=1, max_size=4
).map(" | ".join)


def _method(body_lines: list[str]) -> str:
    return "def method(self):\n    return self.request(\n" + "\n".join(body_lines) + "\n    )\n"


def _check(laid_out: str, one_line: str) -> None:
    """black's output is the same either way; a layout that changed the line is black's own."""
    formatted = black.format_str(laid_out, mode=MODE)
    assert black.format_str(one_line, mode=MODE) == formatted
    if laid_out != one_line:
        assert formatted == laid_out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=names, expression=expressions)
@example(  # a tuple too long for its line, two brackets deep: the whole line is black's
    key="a",
    expression='{"": {"00\\x1f\\x1f\\ud7fc\\U0002ebe1": '
    '("00000\\x1f\\U00018cd6\\U0002ebe1", a, "0000000000", 100)}}',
)
def test_keyword_arguments(key: str, expression: str) -> None:
    laid = lay_out(f"{key}=", expression, ",", 8)
    _check(_method(["        X,", laid]), _method(["        X,", f"        {key}={expression},"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, annotation=annotations, default=st.sampled_from(["NOT_GIVEN", "None"]))
def test_parameters(name: str, annotation: str, default: str) -> None:
    parameter = f"{name}: {annotation} = {default}"
    laid = lay_out_parameter(parameter, 8)

    def source(line: str) -> str:
        return f"class C:\n    def m(\n        self,\n{line}\n    ) -> None:\n        pass\n"

    _check(source(laid), source(f"        {parameter},"))


@settings(max_examples=100, deadline=None)
@given(names=st.lists(names, min_size=1, max_size=30, unique=True))
def test_imports(names: list[str]) -> None:
    laid = lay_out_import("..models", names) + "\n"
    _check(laid, f"from ..models import {', '.join(names)}\n")


def test_a_long_call_keeps_its_arguments_together_when_they_fit() -> None:
    args = 'SomeVeryLongRequestModelName, {"alpha": alpha, "beta": beta, "gamma": gamma}'
    assert 12 + len(f"body=build_body({args}),") > 100 and 16 + len(args) <= 100
    assert lay_out("body=", f"build_body({args})", ",", 12).splitlines() == [
        "            body=build_body(",
        f"                {args}",
        "            ),",
    ]


def test_a_long_dict_goes_one_item_per_line() -> None:
    items = ", ".join(f'"key_{i}": value_{i}' for i in range(8))
    assert lay_out("query=", "{" + items + "}", ",", 12).splitlines() == [
        "            query={",
        *(f'                "key_{i}": value_{i},' for i in range(8)),
        "            },",
    ]


def test_rendered_resource_modules_are_already_in_blacks_layout() -> None:
    """What the templates emit for the vendor clients is what black would write (so black
    runs once over them, not twice); the models come from datamodel-code-generator."""
    from pathlib import Path

    from generator.format.chunks import split
    from generator.config import load_project
    from generator.pipeline import build_api
    from generator.render import render_package

    repo = Path(__file__).resolve().parents[2]
    checked = 0
    for config in load_project(repo / "pyproject.toml"):
        api = build_api(config)
        for path, text in render_package(api, None).items():
            if "/resources/" in path or path.endswith("/_client.py"):
                for piece in split(text):
                    assert black.format_str(piece, mode=MODE) == piece, (path, piece[:200])
                    checked += 1
    assert checked > 20


def test_parentheses_the_tree_forgets_leave_the_line_to_black() -> None:
    expression = (
        "call((alpha), (beta | gamma) | delta, " + ", ".join(f"k{i}=v{i}" for i in range(20)) + ")"
    )
    assert lay_out("x=", expression, ",", 8) == f"        x={expression},"

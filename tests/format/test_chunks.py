"""generator.format.chunks: formatting a module piece by piece gives black's output for the whole."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import black
import pytest

from generator.format import chunks
from generator.format.formatting import format_files

REPO = Path(__file__).resolve().parents[2]
MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310})

TRICKY = {
    "comment before a class": """
        import os
        x = 1


        # about A
        class A:
            pass
        class B: pass
        def f(): return 1
    """,
    "decorated": """
        import functools
        @functools.cache
        def f() -> int:
            return 1


        @dataclass
        class A:
            x: int
    """,
    "overload stubs without blank lines": """
        from typing import overload
        @overload
        def f(x: int) -> int: ...
        @overload
        def f(x: str) -> str: ...
        def f(x): return x
        def g(): ...
        def h(): ...
    """,
    "class text inside a string": '''
        X = """
        class NotCode:
            pass
        """


        class Real:
            doc = """
        def also_not_code(): pass
        """
        def after(): pass
    ''',
    "fmt off": """
        class A:
            # fmt: off
            x = [1,
                 2]
            # fmt: on
            y = [1,
                 2]


        class B:
            z = [1,2]
    """,
    "trailing comments": """
        class A:
            x = 1
            # the end of A


        class B:
            y = 2
        # module end
    """,
    "semicolons and type checking": """
        from __future__ import annotations
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import os
        a = 1; b = 2
        class A: pass
        async def f():
            await g()
        class   C ( A ) :
            '''Doc.'''
            def m(self): return [1,2,3,]
    """,
    "long lines everywhere": """
        class Model(BaseModel):
            field_with_a_very_long_name: Literal["aaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddd"] | None = None


        Alias = TypeAliasType("Alias", Literal["aaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddd"] | str)
        class Other(BaseModel):
            x: int = Field(default=1, description="a description long enough to need a split somewhere around here")
    """,
}


def _pieces_formatted(source: str) -> str:
    return chunks.join([black.format_str(piece, mode=MODE) for piece in chunks.split(source)])


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_modules_format_like_black(name: str) -> None:
    source = textwrap.dedent(TRICKY[name]).lstrip()
    assert _pieces_formatted(source) == black.format_str(source, mode=MODE)


def test_generated_packages_format_like_black() -> None:
    """Every committed generated module, with its formatting undone as far as black allows
    (blank lines collapsed, line breaks inside brackets kept), and as it is."""
    sources = sorted((REPO / "generated").rglob("*.py")) + sorted(
        (REPO / "templates").rglob("*.py")
    )
    assert len(sources) > 50
    cut = 0
    for path in sources:
        text = path.read_text(encoding="utf-8")
        pieces = chunks.split(text)
        cut += len(pieces) > 1
        assert _pieces_formatted(text) == black.format_str(text, mode=MODE), path
        squeezed = "\n".join(line for line in text.splitlines() if line.strip()) + "\n"
        assert _pieces_formatted(squeezed) == black.format_str(squeezed, mode=MODE), path
    assert cut > 20  # the split happened, so the comparison tested something


def test_split_keeps_every_line_and_cuts_only_before_classes_and_functions() -> None:
    source = (
        "import os\n\nx = 1\n\n# c\nclass A: pass\n\nasync def f():\n    pass\n\n"
        "@d\ndef g(): pass\n\n\nclass B:\n    pass\nclass C: pass\n\n\ny = 2\n"
    )
    pieces = chunks.split(source)
    assert [p.split(None, 1)[0] for p in pieces] == ["import", "async", "class"]
    assert "".join(pieces).split() == source.split()


def test_unparseable_source_is_one_piece_and_black_names_the_file(tmp_path: Path) -> None:
    assert chunks.split("class A:\n  x = (\n") == ["class A:\n  x = (\n"]
    from generator.errors import ClientgenError

    with pytest.raises(ClientgenError, match="pkg/bad.py"):
        format_files({"pkg/bad.py": "class A:\n    pass\n\n\ndef f(:\n"})


def test_pieces_are_cached_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module with one changed class costs black only that class."""
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    from generator.format import formatting

    first = "import os\n\n\nclass A:\n    x=1\n\n\nclass B:\n    y=2\n"
    assert format_files({"m.py": first})["m.py"] == black.format_str(first, mode=MODE)
    seen: list[str] = []
    real = formatting._black_format
    monkeypatch.setattr(formatting, "_black_format", lambda s: seen.append(s) or real(s))
    second = first.replace("y=2", "y=3")
    assert format_files({"m.py": second})["m.py"] == black.format_str(second, mode=MODE)
    assert seen == ["class B:\n    y=3\n"]


def test_a_client_remembers_its_pieces_in_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hundreds of pieces, one cache file per client: creating files is what costs on slow disks."""
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    source = "".join(f"class C{i}:\n    x={i}\n\n\n" for i in range(50))
    format_files({"m.py": source}, memory="one")
    format_files({"m.py": source}, memory="two")
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 2


@pytest.mark.parametrize("damage", ["{", "another black", '{"pieces": 3}', "[]"])
def test_a_damaged_or_foreign_memory_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    source = "class A:\n    x=1\n\n\nclass B:\n    y=2\n"
    format_files({"m.py": source})
    (pack,) = [p for p in tmp_path.rglob("*.json")]
    if damage == "another black":  # same pieces, wrong text, written by another black version
        memory = json.loads(pack.read_text(encoding="utf-8"))
        damage = json.dumps(
            {"salt": "black 0", "pieces": {k: "wrong = 1\n" for k in memory["pieces"]}}
        )
    pack.write_text(damage, encoding="utf-8")
    assert format_files({"m.py": source})["m.py"] == black.format_str(source, mode=MODE)
    assert json.loads(pack.read_text(encoding="utf-8"))["pieces"]  # written afresh


def test_this_process_takes_over_formatting_only_when_it_pays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Taking queued batches off the helpers costs this process black's import first: a small
    client's last batch is left to a helper, a large queue is shared, and once black is here
    any queue is."""
    from generator.format.formatting import _IMPORT_WORTH_CHARS, _worth_taking_over

    monkeypatch.delitem(sys.modules, "black")
    assert not _worth_taking_over(6_000)
    assert not _worth_taking_over(_IMPORT_WORTH_CHARS)
    assert _worth_taking_over(_IMPORT_WORTH_CHARS + 1)
    monkeypatch.setitem(sys.modules, "black", black)
    assert _worth_taking_over(1)

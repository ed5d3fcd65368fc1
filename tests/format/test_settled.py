"""generator.format.settled: a piece it lets past black is one black would leave as it is.

Three angles: small pieces black changes (each must be refused) or keeps (each must pass, so
the module is not simply refusing everything); every piece of every package the test specs
make, pieces it passes compared with black itself; and the committed pieces with their spec
text (names, strings, numbers) replaced at random by hostile text.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

import black
import pytest

from generator.format import chunks
from generator.config import client_config
from generator.errors import ClientgenError
from generator.models.dmcg import models_source
from generator.pipeline import build_api
from generator.render import models_path, render_package, runtime_files
from generator.format.settled import settled
from tests.hostile.cases import build_cases

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
MODE = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310})


def _black(source: str) -> str:
    return str(black.format_str(source, mode=MODE))


CHANGED = {  # black rewrites each of these; settled() must not let any past
    "long line": "x = call(" + ", ".join(f"argument_{i}" for i in range(9)) + ")\n",
    "single quotes": "x = 'a'\n",
    "escaped double quote": 'x = "a\\"b"\n',
    "upper-case hex escape": 'x = "\\xAB"\n',
    "named escape": 'x = "\\N{bullet}"\n',
    "number spelling": "x = 1E5\n",
    "hex number": "x = 0XFF\n",
    "exponent with a plus": "x = 1e+20\n",
    "comment without a space": "x = 1  #c\n",
    "comment one space away": "x = 1 # c\n",
    "trailing comma in a list": "x = [1, 2,]\n",
    "trailing comma in a call": "x = call(a,)\n",
    "empty bracket across lines": "x = {\n}\n",
    "exploded call that fits": "x = call(\n    a\n)\n",
    "two items on a line": "x = [\n    1, 2,\n    3,\n]\n",
    "hanging bracket": "x = call(a,\n    b)\n",
    "closing bracket indented": "x = [\n    1,\n    ]\n",
    "item not indented by four": "x = [\n  1,\n]\n",
    "blank line inside brackets": "x = [\n    1,\n\n    2,\n]\n",
    "two blank lines opening a block": "def f():\n\n\n    return 1\n",
    "three blank lines": "x = 1\n\n\n\ny = 2\n",
    "two blank lines inside a function": "def f():\n    x = 1\n\n\n    return x\n",
    "two blank lines after imports": "import os\n\n\nx = os.sep\n",
    "no blank line after imports": "import os\nx = os.sep\n",
    "two blank lines after a module docstring": '"""Doc."""\n\n\nx = 1\n',
    "method right after code": "class A:\n    x = 1\n    def f(self):\n        pass\n",
    "no blank line after a class docstring": ('class A:\n    """Doc."""\n    x: int\n'),
    "statement after a function, one blank line": "def f():\n    pass\n\nx = 1\n",
    "string right after a method": 'class A:\n    def f(self):\n        pass\n    """Doc."""\n',
    "string right after imports": 'import os\n"""Doc."""\n',
    "body on the header line": "if x: y = 1\n",
    "semicolon": "x = 1; y = 2\n",
    "backslash continuation": "x = 1 + \\\n    2\n",
    "tab": "if x:\n\ty = 1\n",
    "docstring ending in a quote": 'def f():\n    """Say "hi\\""""\n',
    "docstring with trailing spaces": 'def f():\n    """Doc.  \n\n    More.\n    """\n',
    "docstring indented too deep": 'def f():\n    """Doc.\n\n        More.\n        """\n',
    "docstring starting with a space": 'def f():\n    """ Doc."""\n',
    "docstring in single quotes": "def f():\n    '''Doc.'''\n",
    "closing quotes past the line length": (
        'def f():\n    """Doc.\n\n    ' + "word " * 19 + 'end."""\n'
    ),
    "closing quotes past the line length after a line separator": (
        'def f():\n    """A\u2028' + "b" * 98 + '"""\n'
    ),
    "spaces inside brackets": "x = call( a )\n",
    "space before a comma": "x = call(a , b)\n",
    "no space after a comma": "x = call(a,b)\n",
    "spaces around a power": "x = a ** 2\n",
    "arrow without spaces": "def f()->int:\n    return 1\n",
    "assignment without spaces": "class A:\n    x=1\n",
    "keyword argument with spaces": "x = call(a = 1)\n",
    "annotated default without spaces": "def f(a: int=1) -> None:\n    pass\n",
}

KEPT = {  # black leaves each of these as it is; settled() must recognize them
    "assignment": "x = 1\n",
    "equals signs": (
        "def f(a: int = 1, b=2) -> None:\n    x: int = call(a=1, key=lambda v: v == 2)\n"
        "    x += 1\n"
    ),
    "magic trailing comma": "x = call(\n    a,\n    b=2,\n)\n",
    "right-hand split that cannot be joined": (
        "result = some_function_name(\n    "
        + ", ".join(f"argument_number_{i}" for i in range(4))
        + "\n)\n"
    ),
    "one-item tuples": 'security = (("bearer",),)\n',
    "union split before each bar": (
        "def f(\n    mode: (\n        Literal[\n            "
        + ",\n            ".join(f'"value_{i}"' for i in range(4))
        + ",\n        ]\n        | None\n        | NotGiven\n    ) = NOT_GIVEN,\n) -> None:\n"
        "    pass\n"
    ),
    "docstrings": (
        'class A:\n    """Summary.\n\n    More, "quoted" and \\\\ escaped.\n    """\n\n'
        '    def f(self) -> None:\n        """One line."""\n'
    ),
    "field docstrings": 'class A(BaseModel):\n    x: int\n    """\n    The x.\n    """\n',
    "a long string alone on its line": (
        'class A(BaseModel):\n    description: str | None = (\n        "' + "w" * 120 + '"\n    )\n'
    ),
    "inline comment": "if TYPE_CHECKING:  # only for the type checker\n    import os\n",
    "plain f-string": 'name = f"{__name__}.models"\n',
    "raw string with escapes": 'pattern = r"^\\d+\\.\\"$"\n',
    "escapes black keeps": 'x = "line\\nbreak \\\\ \\u00e9 \\x0a"\n',
    "numbers": "x = [0, 12, 1.5, 1e-07, 2.5e20]\n",
    "blank lines between members": (
        "class A:\n    x: int\n\n    def f(self) -> None:\n        pass\n\n"
        "    @property\n    def g(self) -> int:\n        return 1\n"
    ),
    "one blank line after imports": "import os\n\nx = os.sep\n",
    "module docstring then code": '"""Doc."""\n\nimport os\n',
}


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_a_piece_black_changes_is_not_settled(name: str) -> None:
    source = CHANGED[name]
    assert _black(source) != source, "not a change black makes: the case tests nothing"
    assert not settled(source)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_a_piece_black_keeps_is_settled(name: str) -> None:
    source = KEPT[name]
    assert _black(source) == source, "black changes it: the case tests nothing"
    assert settled(source)


# ------------------------------------------------------------------ every spec the suite uses
def _specs(tmp: Path) -> Iterator[tuple[str, Path, tuple[Path, ...]]]:
    for spec in sorted((REPO / "specs").glob("*.yaml")):
        if not spec.name.endswith(".overlay.yaml"):
            overlay = spec.with_name(spec.stem + ".overlay.yaml")
            yield spec.name, spec, (overlay,) if overlay.exists() else ()
    for spec in sorted((REPO / "tests" / "fixtures").glob("*/*.yaml")):
        if not spec.name.endswith(".overlay.yaml"):
            yield spec.name, spec, ()
    for index, case in enumerate(build_cases("/nonexistent/marker")):
        if case.refuse is None:
            path = tmp / f"hostile-{index}.json"
            path.write_text(json.dumps(case.spec), encoding="utf-8")
            yield case.id, path, ()
    for spec in sorted(CORPUS.glob("*")) if CORPUS.is_dir() else ():
        if spec.suffix in (".json", ".yaml") and "overlay" not in spec.name:
            yield spec.name, spec, ()


def _pieces(spec: Path, overlays: tuple[Path, ...], out: Path) -> dict[str, list[str]]:
    """Each module the pipeline hands to black, cut into pieces, before black sees it."""
    api = build_api(client_config(spec, output=out, overlays=overlays))
    files = render_package(api, None)
    runtime = {f"{api.package}/{name}" for name in runtime_files()}
    files[models_path(api)] = models_source(api.model_schemas)
    return {
        path: chunks.split(text)
        for path, text in files.items()
        if path.endswith(".py") and text and path not in runtime
    }


def test_every_piece_settled_is_blacks_own_output(tmp_path: Path) -> None:
    """Across the repository's specs, the fixtures, the hostile cases and the corpus (when
    beside the repository): black leaves every piece settled() lets past as it is."""
    seen = passed = specs = 0
    wrong: list[str] = []
    for name, spec, overlays in _specs(tmp_path):
        try:
            modules = _pieces(spec, overlays, tmp_path / "out")
        except ClientgenError:
            continue  # refused by design (e.g. a hostile case's shape): nothing to format
        specs += 1
        for path, pieces in modules.items():
            for piece in pieces:
                seen += 1
                if settled(piece):
                    passed += 1
                    if _black(piece) != piece:
                        wrong.append(f"{name}: {path}: {piece[:200]!r}")
    assert not wrong, "\n".join(wrong[:5])
    assert specs > 60 and passed > 0.9 * seen  # it judged real output, and most of it


@pytest.mark.parametrize("client", ["autotab", "intuned", "notte", "ziet", "aimable"])
def test_a_vendor_client_is_generated_without_importing_black(client: str, tmp_path: Path) -> None:
    """Every piece of a vendor client is black's layout already: a cold generation (in one
    process, nothing cached) never imports black, and gives the committed bytes."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.config import load_project\n"
        "from generator.speed.lanes import Lanes\n"
        "from generator.pipeline import generate_files\n"
        "config = next(c for c in load_project(Path('pyproject.toml')) if c.name == sys.argv[1])\n"
        "files = generate_files(config, Lanes(0)).files\n"
        "committed = {p: (config.output / p).read_text(encoding='utf-8') for p in files}\n"
        "print(files == committed, 'black' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTGEN_")}
    done = subprocess.run(
        [sys.executable, "-c", script, client],
        cwd=REPO,
        env={**env, "CLIENTGEN_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["True", "False"], done.stdout + done.stderr


# ------------------------------------------------------------ spec text replaced at random
_NAMES = ["x", "a" * 70, "é" * 30, "名前" * 12, "_" + "b" * 40]
_STRINGS = [
    '"plain"',
    '"' + "w" * 95 + '"',
    '"it\'s"',
    '"say \\"hi\\""',
    "'single'",
    '"\\xAB\\u00E9"',
    '"\\x0a\\u202e"',
    '"tab\\there"',
    '"中文" ',
    '"""triple"""',
    '"ends with a backslash\\\\"',
]
_NUMBERS = ["0", "7", "1.5", "1e-07", "2.5e+20", "1E5", "0xFF", "10_000", "3j"]


def _mutants(piece: str, rnd: random.Random, count: int) -> Iterator[str]:
    """``piece`` with some of its names, strings and numbers replaced: what spec text can
    change in generated code, and only that."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(piece).readline))
    except (tokenize.TokenError, SyntaxError):
        return
    lines = piece.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    replaceable = [
        t
        for t in tokens
        if (t.type == tokenize.NAME and not t.string.isupper() and t.string not in _KEYWORDS)
        or (t.type == tokenize.STRING and t.start[0] == t.end[0])
        or t.type == tokenize.NUMBER
    ]
    for _ in range(count):
        if not replaceable:
            return
        chosen = sorted(rnd.sample(replaceable, min(len(replaceable), 3)), key=lambda t: t.start)
        out, position = [], 0
        for token in chosen:
            start = offsets[token.start[0] - 1] + token.start[1]
            end = offsets[token.end[0] - 1] + token.end[1]
            pool = {tokenize.NAME: _NAMES, tokenize.STRING: _STRINGS}.get(token.type, _NUMBERS)
            out += [piece[position:start], rnd.choice(pool)]
            position = end
        yield "".join(out) + piece[position:]


_KEYWORDS = {
    "def", "class", "return", "if", "else", "elif", "for", "in", "while", "import", "from",
    "as", "with", "try", "except", "finally", "raise", "pass", "not", "and", "or", "is",
    "lambda", "None", "True", "False", "async", "await", "yield", "global", "nonlocal",
    "del", "assert", "break", "continue", "match", "case", "type", "self",
}  # fmt: skip


def test_spec_text_replaced_at_random_never_fools_it() -> None:
    rnd = random.Random(20261203)
    pieces = [
        piece
        for path in sorted((REPO / "generated").rglob("*.py"))
        for piece in chunks.split(path.read_text(encoding="utf-8"))
    ]
    tried = passed = 0
    for piece in rnd.sample(pieces, 120):
        for mutant in _mutants(piece, rnd, 6):
            try:
                expected = _black(mutant)
            except Exception:
                assert not settled(mutant)  # not Python black can read
                continue
            tried += 1
            if settled(mutant):
                passed += 1
                assert expected == mutant, mutant
    assert tried > 300 and passed > 50

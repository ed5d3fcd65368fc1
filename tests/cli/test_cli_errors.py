"""Broken inputs through the real command line: one clear line, exit status 1, nothing written.

``tests/load/test_load.py`` and ``tests/validate/test_validate.py`` check *what* each file in
``tests/broken/`` is refused for. Here every broken input (those files, and more written at
test time) goes through ``clientgen generate SPEC -o OUT`` in a subprocess, into a folder
holding a package generated earlier, which must stay byte for byte the same (manifest and a
file the user added included); a sample also runs into a folder that does not exist yet, which
must still not exist afterwards. Every run: exit status 1, nothing on stdout, exactly one line
on stderr that starts with ``error:``, names the file and, where the problem has one, the line
or JSON pointer, no traceback, and no staging folder left beside the output.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
BROKEN = TESTS / "broken"
CLI = [sys.executable, "-m", "generator"]

GOOD = """\
openapi: 3.1.0
info: {title: Good, version: "1.0.0"}
servers: [{url: "https://api.example.com"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
"""


@dataclass(frozen=True)
class Broken:
    id: str
    file: str  # relative to BROKEN, or a file the test writes into its tmp folder
    where: (
        str  # regex of the location after the file name: ":12", ": /paths/...", "" (the file only)
    )
    text: str | None = None  # the file's content, for inputs written at test time
    args: tuple[str, ...] = ()  # more options
    mentions: str | None = None  # the file the message must name (default: ``file``)
    marks: tuple[pytest.MarkDecorator, ...] = field(default_factory=tuple)


LINE, POINTER, LINE_AND_POINTER, FILE_ONLY = r":\d+", r"(:\d+)?: /", r":\d+: /", r""

CORPUS = [
    Broken("empty", "empty.yaml", FILE_ONLY),
    Broken("binary", "binary.yaml", LINE),
    Broken("invalid-utf8", "invalid-utf8.yaml", LINE),
    Broken("utf16", "utf16.yaml", LINE),
    Broken("invalid-yaml", "invalid-yaml.yaml", LINE),
    Broken("alias-bomb", "alias-bomb.yaml", LINE),
    Broken("recursive-alias", "recursive-alias.yaml", LINE),
    Broken("duplicate-key", "duplicate-key.yaml", LINE),
    Broken("python-tag", "python-tag.yaml", LINE),
    Broken("two-documents", "two-documents.yaml", LINE),
    Broken("not-a-mapping", "not-a-mapping.yaml", LINE),
    Broken("trailing-garbage", "trailing-garbage.json", LINE),
    Broken("invalid-json", "invalid-json.json", LINE),
    Broken("ref-missing", "ref-missing.yaml", LINE_AND_POINTER, args=("--strict",)),
    Broken("ref-cycle", "ref-cycle.yaml", LINE_AND_POINTER),
    Broken("ref-remote", "ref-remote.yaml", LINE_AND_POINTER, args=("--strict",)),
    Broken("ref-escape", "ref-escape.yaml", LINE_AND_POINTER),
    Broken(
        "overlay-no-match",
        "overlay-base.yaml",
        LINE_AND_POINTER,
        args=("--overlay", str(BROKEN / "no-match.overlay.yaml")),
        mentions="no-match.overlay.yaml",
    ),
    Broken("unknown-version", "unknown-version.yaml", POINTER),
    Broken("openapi-number", "openapi-number.yaml", POINTER),
    Broken("param-without-in", "param-without-in.yaml", LINE_AND_POINTER),
    Broken("unresolved-path-param", "unresolved-path-param.yaml", LINE_AND_POINTER),
    # written at test time
    Broken("missing-file", "does-not-exist.yaml", FILE_ONLY, text=None),
    Broken(
        "json-nesting-5000",
        "deep.json",
        FILE_ONLY,
        text='{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": '
        + '{"a": ' * 5000
        + "1"
        + "}" * 5000
        + "}",
    ),
    Broken(
        "yaml-nesting-5000",
        "deep.yaml",
        LINE,
        text='openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-deep: '
        + "[" * 5000
        + "]" * 5000
        + "\n",
    ),
    Broken(
        "schema-type-number",
        "badtype.yaml",
        LINE_AND_POINTER,
        text='openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n'
        '        "200":\n          description: ok\n          content:\n            application/json:\n'
        "              schema: {type: 12}\n",
        args=("--strict",),
    ),
    Broken(
        "paths-is-a-list",
        "pathslist.yaml",
        LINE_AND_POINTER,
        text='openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: []\n',
    ),
    Broken(
        "info-version-not-a-version",
        "badversion.yaml",
        POINTER,
        text='openapi: 3.1.0\ninfo: {title: t, version: "1.0 beta"}\npaths: {}\n',
        args=("--strict",),
    ),
    Broken(
        "overlay-missing",
        "good.yaml",
        FILE_ONLY,
        text=GOOD,
        args=("--overlay", "{tmp}/no-such.overlay.yaml"),
        mentions="no-such.overlay.yaml",
    ),
    Broken(
        "terminal-escapes-in-the-pointer",
        "escapes.json",
        LINE_AND_POINTER,
        text='{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a\\u001b]0;PWNED\\u0007'
        '\\u001b[2J": {"get": {"responses": {"200": {"description": "x", "content": {"application/json": '
        '{"schema": {"type": 12}}}}}}}}}',
        args=("--strict",),
    ),
    Broken(
        "ref-to-missing-file",
        "reffile.yaml",
        LINE_AND_POINTER,
        text='openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
        '    A: {$ref: "other.yaml#/B"}\n',
    ),
    Broken(
        "integer-beyond-4300-digits",
        "bigint.json",
        LINE,
        text='{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x-n": '
        + "9" * 5000
        + "}",
    ),
]


# Every input runs into a previous output; a few also into a folder that does not exist yet
# (each run is a fresh interpreter, about a second: the suite stays quick).
INTO = {b.id: ("previous", "fresh") if i % 6 == 0 else ("previous",) for i, b in enumerate(CORPUS)}


def tree_hash(folder: Path) -> str:
    """Names, kinds, modes and bytes of everything under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(oct(path.lstat().st_mode).encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(cwd / ".black-cache")}
    env.pop("CLIENTGEN_DEBUG", None)
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package generated from a good spec: what a failed run must leave untouched."""
    root = tmp_path_factory.mktemp("previous")
    (root / "good.yaml").write_text(GOOD, encoding="utf-8")
    result = run(["generate", "good.yaml", "-o", "out", "--package", "good_api"], root)
    assert result.returncode == 0, result.stderr
    (root / "out" / "NOTES.md").write_text("a file the user added\n", encoding="utf-8")
    return root / "out"


def test_there_are_at_least_15_broken_inputs() -> None:
    assert len({b.id for b in CORPUS}) == len(CORPUS) >= 15


@dataclass
class Run:
    folder: Path  # the run's working folder; the output is folder / "out"
    spec: str
    before: str | None  # tree hash of the previous output copied in, or None (fresh)
    listing: list[str]
    result: subprocess.CompletedProcess[str] | None = None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, previous: Path) -> dict[tuple[str, str], Run]:
    """Every broken input through the command line, run concurrently."""
    prepared: dict[tuple[str, str], Run] = {}
    for broken in CORPUS:
        for into in INTO[broken.id]:
            folder = tmp_path_factory.mktemp(f"{broken.id}-{into}")
            if broken.text is not None:
                (folder / broken.file).write_text(broken.text, encoding="utf-8")
            spec = (
                broken.file
                if broken.text is not None or broken.id == "missing-file"
                else str(BROKEN / broken.file)
            )
            before = None
            if into == "previous":
                shutil.copytree(previous, folder / "out", symlinks=True)
                before = tree_hash(folder / "out")
            prepared[(broken.id, into)] = Run(
                folder, spec, before, sorted(p.name for p in folder.iterdir())
            )
    pending = list(prepared.items())
    with ThreadPoolExecutor(max_workers=4) as pool:

        def one(item: tuple[tuple[str, str], Run]) -> None:
            (case_id, _), run_ = item
            broken = next(b for b in CORPUS if b.id == case_id)
            args = [a.replace("{tmp}", str(run_.folder)) for a in broken.args]
            version = () if broken.id == "info-version-not-a-version" else ("--version", "1.0.0")
            run_.result = run(
                ["generate", run_.spec, "-o", "out", "--package", "broken_api", *version, *args],
                run_.folder,
            )

        list(pool.map(one, pending))
    return prepared


@pytest.mark.parametrize(
    ("broken", "into"),
    [
        pytest.param(b, into, id=f"{into}-{b.id}", marks=b.marks)
        for b in CORPUS
        for into in INTO[b.id]
    ],
)
def test_broken_input(broken: Broken, into: str, runs: dict[tuple[str, str], Run]) -> None:
    run_ = runs[(broken.id, into)]
    result, out = run_.result, run_.folder / "out"
    assert result is not None
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("error: ")
    assert "Traceback" not in result.stderr and "internal error" not in message
    assert not [
        c for c in result.stderr if c != "\n" and not c.isprintable()
    ], "raw control characters"
    named = broken.mentions or Path(run_.spec).name
    assert named in message, message
    if broken.mentions is None:
        assert re.search(re.escape(named) + broken.where, message), message
    if run_.before is not None:
        assert tree_hash(out) == run_.before, "a failed run changed the previous output"
    else:
        assert not out.exists(), "a failed run created the output folder"
    assert (
        sorted(p.name for p in run_.folder.iterdir()) == run_.listing
    ), "a failed run left files beside the output"


def test_a_bad_package_name_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    result = run(["generate", "good.yaml", "-o", "out", "--package", "../../outside"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: package name '../../outside' is not a valid lower-case Python package name"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yaml"]
    assert not (tmp_path.parent / "outside").exists()


def test_a_folder_clientgen_did_not_make_is_refused_and_untouched(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep me", encoding="utf-8")
    before = tree_hash(tmp_path / "out")
    result = run(["generate", "good.yaml", "-o", "out"], tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "was not made by clientgen" in result.stderr
    assert tree_hash(tmp_path / "out") == before

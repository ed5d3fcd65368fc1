"""Atomic output: a failed generation changes nothing; only clientgen's own files are ever removed.

The writer builds the package in a staging folder beside the output and swaps it in; its
manifest lists what it wrote. These tests break generation late (the formatter, the writer,
the swap), tamper with the manifest, and put symbolic links in the output folder: the
previous output stays byte for byte, no staging folder is left behind, and nothing outside
the output folder is written or deleted.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.write import files as write
from generator.format import formatting
from generator.config import client_config
from generator.errors import ClientgenError
from generator.write import MANIFEST, compare, read_manifest, write_package

SPEC = """\
openapi: 3.1.0
info: {title: Atomic, version: "1.0.0"}
servers: [{url: "https://api.example.com"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      tags: [things]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
  /widgets:
    get:
      operationId: listWidgets
      tags: [widgets]
      responses: {"204": {description: none}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
"""


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: file bytes, link targets, folders."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = "dir"
    return found


def digest(folder: Path) -> str:
    return hashlib.sha256(repr(sorted(tree(folder).items())).encode()).hexdigest()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "atomic.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path / "work"


def config(project: Path, spec: str = "atomic.yaml"):  # type: ignore[no-untyped-def]
    return client_config(
        project / spec, output=project / "out", package="atomic_api", version="1.0.0"
    )


def siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir())


# --------------------------------------------------------------------------- failures late in the run


@pytest.mark.parametrize(
    "stage", ["formatter", "file-write", "manifest-write", "swap", "second-rename"]
)
def test_a_late_failure_leaves_the_previous_output_intact(
    project: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    pipeline.generate(config(project))
    (project / "out" / "NOTES.md").write_text("mine", encoding="utf-8")
    before, listing = digest(project / "out"), siblings(project)
    (project / "atomic.yaml").write_text(SPEC.replace("Atomic", "Changed"), encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"simulated failure in {stage}")

    if stage == "formatter":
        monkeypatch.setattr(formatting.Formatting, "result", boom)
    elif stage == "file-write":
        calls = []
        real = write._write

        def fail_on_third(*args: object) -> None:
            calls.append(args)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
            real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(write, "_write", fail_on_third)
    elif stage == "manifest-write":
        real_bytes = Path.write_bytes

        def fail_on_manifest(self: Path, data: bytes) -> int:
            if self.name == MANIFEST:
                raise OSError(13, "Permission denied")
            return real_bytes(self, data)

        monkeypatch.setattr(Path, "write_bytes", fail_on_manifest)
    elif stage == "swap":
        monkeypatch.setattr(write, "_swap", boom)
    else:  # no atomic exchange here: the old tree is moved aside, then the new one cannot move in
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
        real_replace = os.replace
        moves: list[tuple[object, object]] = []

        def fail_second(src: object, dst: object) -> None:
            if str(project) in str(src):  # the black cache renames files too
                moves.append((src, dst))
            if len(moves) == 2 and moves[-1][0] == src:
                raise OSError(18, "Invalid cross-device link")
            real_replace(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(write.os, "replace", fail_second)
    with pytest.raises((RuntimeError, ClientgenError)) as info:
        pipeline.generate(config(project))
    if isinstance(info.value, ClientgenError):
        assert "nothing was changed" in str(info.value) and "\n" not in str(info.value)
    monkeypatch.undo()
    assert digest(project / "out") == before
    assert siblings(project) == listing, "a staging or retired folder was left behind"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_swap_is_one_atomic_exchange_on_linux(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "new").write_text("new")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old").write_text("old")
    assert write._exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["new"]
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["old"]


def test_regeneration_after_a_failure_works(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.generate(config(project))
    with monkeypatch.context() as patch:
        patch.setattr(write, "_swap", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            write_package(project / "out", {"atomic_api/__init__.py": "x = 1\n"})
    assert siblings(project) == ["atomic.yaml", "out"]
    (project / "atomic.yaml").write_text(SPEC.replace("Atomic", "Changed"), encoding="utf-8")
    assert pipeline.generate(config(project)).changes


# --------------------------------------------------------------------------- what is kept, what is removed


def test_files_clientgen_did_not_create_are_kept(project: Path) -> None:
    pipeline.generate(config(project))
    out = project / "out"
    mine = {
        "NOTES.md": b"notes",
        "atomic_api/resources/custom.py": b"# my own module\n",
        "atomic_api/extra/helper.py": b"# mine\n",
        ".venv-marker": b"",
    }
    for path, data in mine.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    # the spec loses its widgets: clientgen removes widgets.py, which it made, and nothing else
    (project / "atomic.yaml").write_text(
        SPEC.split("  /widgets:")[0] + SPEC.split('responses: {"204": {description: none}}\n')[1],
        encoding="utf-8",
    )
    changes = pipeline.generate(config(project)).changes
    assert ("atomic_api/resources/widgets.py", "removed") in [(c.path, c.kind) for c in changes]
    assert not (out / "atomic_api" / "resources" / "widgets.py").exists()
    for path, data in mine.items():
        assert (out / path).read_bytes() == data
    assert "NOTES.md" not in read_manifest(out)


def test_an_empty_folder_left_by_a_removed_module_goes_but_a_folder_with_user_files_stays(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_package(out, {"pkg/a/one.py": "1\n", "pkg/b/two.py": "2\n", "pkg/__init__.py": ""})
    (out / "pkg" / "b" / "mine.txt").write_text("mine")
    write_package(out, {"pkg/__init__.py": ""})
    assert not (out / "pkg" / "a").exists()
    assert (out / "pkg" / "b" / "mine.txt").read_text() == "mine"
    assert not (out / "pkg" / "b" / "two.py").exists()


@pytest.mark.parametrize(
    "entry",
    [
        "../victim.txt",
        "../../victim.txt",
        "/ABSOLUTE/victim.txt",
        "sub/../../victim.txt",
        "..\\victim.txt",
        "./../victim.txt",
        "link/victim.txt",
    ],
)
def test_a_tampered_manifest_never_deletes_outside(tmp_path: Path, entry: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "base" / "out"
    write_package(out, {"pkg/__init__.py": ""})
    (out / "link").symlink_to(outside, target_is_directory=True)
    entry = (
        entry.replace("/ABSOLUTE", str(outside)).replace("../", "../../outside/", 1)
        if "link" not in entry
        else entry
    )
    if entry.startswith("../../outside/../"):
        entry = "../../outside/victim.txt"
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text() + entry + "\n" + "../../outside/victim.txt\n")
    assert all(c.path != entry for c in compare(out, {"pkg/__init__.py": ""}))
    write_package(out, {"pkg/__init__.py": "changed = True\n"})
    assert victim.read_text() == "precious"
    assert (out / "link").is_symlink(), "a link the user made is not clientgen's to remove"


def test_a_manifest_that_is_not_text_removes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, {"pkg/__init__.py": "", "pkg/old.py": ""})
    (out / MANIFEST).write_bytes(b"\xff\xfe pkg/old.py\n\x00")
    assert read_manifest(out) == []
    write_package(out, {"pkg/__init__.py": "x = 1\n"})
    assert (out / "pkg" / "old.py").exists()


# --------------------------------------------------------------------------- never through a link, never outside


def test_a_linked_folder_in_the_output_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    write_package(out, {"pkg/__init__.py": "", "pkg/sub/mod.py": "1\n"})
    (out / "pkg" / "sub" / "mod.py").unlink()
    (out / "pkg" / "sub").rmdir()
    (out / "pkg" / "sub").symlink_to(outside, target_is_directory=True)
    before = tree(out)
    with pytest.raises(ClientgenError, match="symbolic link"):
        write_package(out, {"pkg/__init__.py": "", "pkg/sub/mod.py": "2\n"})
    assert list(outside.iterdir()) == []
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside"]


def test_a_link_where_a_file_goes_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "target.py"
    target.write_text("precious")
    out = tmp_path / "out"
    write_package(out, {"pkg/__init__.py": "", "pkg/mod.py": "1\n"})
    (out / "pkg" / "mod.py").unlink()
    (out / "pkg" / "mod.py").symlink_to(target)
    write_package(out, {"pkg/__init__.py": "", "pkg/mod.py": "2\n"})
    assert target.read_text() == "precious"
    assert not (out / "pkg" / "mod.py").is_symlink()
    assert (out / "pkg" / "mod.py").read_text() == "2\n"


@pytest.mark.parametrize(
    "path", ["../evil.py", "/tmp/evil.py", "a/../../evil.py", "a\\..\\evil.py", "", "a\0b"]
)
def test_paths_that_leave_the_folder_are_refused_before_anything_is_written(
    tmp_path: Path, path: str
) -> None:
    with pytest.raises(ClientgenError, match="outside the output folder"):
        write_package(tmp_path / "out", {"pkg/__init__.py": "", path: "evil"})
    assert list(tmp_path.iterdir()) == []


def test_text_that_is_not_unicode_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ClientgenError, match="not Unicode text"):
        write_package(tmp_path / "out", {"README.md": "bad \ud800 text"})
    assert list(tmp_path.iterdir()) == []


def test_a_new_output_folder_gets_ordinary_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_package(tmp_path / "out", {"pkg/__init__.py": ""})
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "out" / "pkg" / "__init__.py").stat().st_mode) == 0o644


def test_an_unchanged_package_is_not_rewritten(project: Path) -> None:
    pipeline.generate(config(project))
    stamp = (project / "out" / MANIFEST).stat().st_mtime_ns
    assert pipeline.generate(config(project)).changes == []
    assert (project / "out" / MANIFEST).stat().st_mtime_ns == stamp


def test_check_mode_writes_nothing(project: Path) -> None:
    outcome = pipeline.generate(config(project), check=True)
    assert outcome.changes and all(c.kind == "added" for c in outcome.changes)
    assert siblings(project) == ["atomic.yaml"]


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_an_output_folder_whose_name_is_not_utf8_works(project: Path) -> None:
    """Linux keeps such a name's bytes as surrogates in ``str``; no cache key may choke on it."""
    output = project / os.fsdecode(b"out-\xff")
    generated = client_config(project / "atomic.yaml", output=output, package="atomic_api")
    pipeline.generate(generated)
    assert (output / "atomic_api" / "models.py").is_file()
    assert pipeline.generate(generated, check=True).changes == []

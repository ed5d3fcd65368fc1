"""What the command line says about an imperfect spec: by default every finding is a located
warning and the client is written; with ``--strict`` every finding is an error, all listed at
once, and nothing is written. Long lists are summarized per kind (``-v`` lists them all)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "generator"]

#: One document with each finding vendors publish every day: a repeated required name, a
#: default of the wrong type, const in 3.0, an unknown keyword, a reference that leads nowhere,
#: and an info.version that is not PEP 440.
SPEC = """\
openapi: 3.0.3
info:
  title: Imperfect
  version: 2023-08-16
paths:
  /runs:
    get:
      colour: blue
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Run'}
components:
  schemas:
    Run:
      type: object
      required: [id, id]
      properties:
        id: {type: string}
        kind: {type: string, const: run}
        owner: {$ref: '#/components/schemas/Nobody'}
    Config:
      type: object
      properties:
        mode: {type: string, default: []}
"""


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(cwd / ".cache")}
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_findings_are_located_warnings_and_the_client_is_written(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    result = run(["generate", "spec.yaml", "-o", "out", "--package", "imperfect_api"], tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    *listed, summary = warnings
    expected = {
        "/info/version": "is not a PEP 440 version; the package is versioned 2023.8.16",
        "/paths/~1runs/get": "'colour'",
        "/components/schemas/Run/properties/owner": "points to nothing",
        "/components/schemas/Run/required": "non-unique",
        "/components/schemas/Run/properties/kind": "const",
        "/components/schemas/Config/properties/mode/default": "[] is not of type 'string'",
    }
    for pointer, text in expected.items():
        assert any(
            re.match(rf"warning: spec\.yaml:\d+: {re.escape(pointer)}: .*{re.escape(text)}", line)
            for line in listed
        ), (pointer, listed)
    lines = [int(line.split(":")[2]) for line in listed]
    assert lines == sorted(lines)  # in the order the file is read
    assert re.fullmatch(r"warning: \d+ warnings: .+", summary)
    assert (tmp_path / "out" / "imperfect_api" / "models.py").is_file()
    assert 'version = "2023.8.16"' in (tmp_path / "out" / "pyproject.toml").read_text()


def test_strict_lists_every_finding_as_an_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    lenient = run(["generate", "spec.yaml", "-o", "first", "--package", "imperfect_api"], tmp_path)
    result = run(
        ["generate", "spec.yaml", "-o", "out", "--package", "imperfect_api", "--strict"], tmp_path
    )
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors[-1] == f"error: {len(errors) - 1} problems; nothing was written"
    warned = [l.removeprefix("warning: ") for l in lenient.stderr.splitlines()[:-1]]
    assert [l.removeprefix("error: ") for l in errors[:-1]] == warned
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_many_findings_are_summarized_per_kind_and_v_lists_them_all(tmp_path: Path) -> None:
    defaults = "".join(f"        p{i}: {{type: string, default: []}}\n" for i in range(30))
    spec = SPEC.replace("        mode: {type: string, default: []}\n", defaults)
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    short = run(["generate", "spec.yaml", "-o", "a", "--package", "imperfect_api"], tmp_path)
    full = run(["generate", "spec.yaml", "-o", "b", "--package", "imperfect_api", "-v"], tmp_path)
    assert short.returncode == full.returncode == 0
    shown = [l for l in short.stderr.splitlines() if re.search(r"/properties/p\d+/default: ", l)]
    assert len(shown) == 3  # the first three of that kind
    assert re.search(r"30 invalid default.*\(\d+ not shown; -v lists them all\)$", short.stderr)
    assert sum("/default: " in l for l in full.stderr.splitlines()) == 30

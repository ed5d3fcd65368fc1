"""The largest published specs: clientgen against OpenAPI Generator (Java), in one run.

    .venv/bin/pip install -e '.[bench]'        # openapi-generator-cli: its jar, on PyPI
    .venv/bin/python bench/large.py             # every large spec of ../shared/corpus/apis
    .venv/bin/python bench/large.py --runs 3    # median of three cold runs per side

Each run is a fresh process with empty caches (clientgen's ``CLIENTGEN_CACHE_DIR``); wall time
around the process, peak memory (max RSS) from GNU ``time -f %M``. OpenAPI Generator runs its
``python`` generator (pydantic v2 models and a client, the closest to what clientgen makes),
skipping docs and tests. The section it writes into ``bench/RESULTS.md`` (between markers)
is kept by ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = str(REPO / ".venv" / "bin" / "python")
APIS = REPO.parent / "shared" / "corpus" / "apis"
sys.path.insert(0, str(HERE))
from run import LARGE_BEGIN, LARGE_END, base_env  # noqa: E402 - the benchmark's environment

#: The largest documents of the corpus: thousands of schemas or hundreds of operations.
SPECS = [
    "github-rest-api-v0.0.5.json",
    "plaid-2020-09-14.yml",
    "polar-api-2026-10.json",
    "mistral-api.yaml",
    "argo-workflows-swagger2.json",
]
MEMORY_LIMIT_MB = 1024


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB of the largest process, failure text or '')."""
    rss_file = cwd / "rss.txt"
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *cmd],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    wall = time.perf_counter() - started
    rss = float(rss_file.read_text().strip().splitlines()[-1]) / 1024
    return wall, rss, "" if result.returncode == 0 else _reason(result.stdout + result.stderr)


def _reason(output: str) -> str:
    """The line that says why a run failed (Java's exception, or clientgen's error)."""
    for line in output.splitlines():
        if line.startswith(("Exception in thread", "error:")):
            return line.split(": ", 1)[-1][:120]
    return output.strip().splitlines()[-1][:120] if output.strip() else "failed"


def generator_jar() -> list[str] | None:
    """The ``openapi-generator-cli`` command (its PyPI package ships the jar), if installed."""
    for candidate in (REPO / ".venv" / "bin" / "openapi-generator-cli", shutil.which("openapi-generator-cli")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    ogen = generator_jar()
    if ogen is None:
        sys.exit("openapi-generator-cli is not installed: .venv/bin/pip install -e '.[bench]'")
    if shutil.which("java") is None:
        sys.exit("OpenAPI Generator needs a Java runtime (java on PATH)")
    version = subprocess.run([*ogen, "version"], capture_output=True, text=True).stdout.strip()
    rows: list[str] = []
    notes: list[str] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for name in SPECS:
        spec = APIS / name
        if not spec.is_file():
            print(f"{name}: not in ../shared/corpus/apis, skipped")
            continue
        sides: dict[str, list[tuple[float, float, str]]] = {"clientgen": [], "openapi-generator": []}
        for _ in range(args.runs):
            for side in sides:
                scratch = Path(tempfile.mkdtemp(prefix="clientgen-large-"))
                env = base_env() | {"CLIENTGEN_CACHE_DIR": str(scratch / "cache")}
                if side == "clientgen":
                    cmd = [PY, "-m", "generator", "generate", str(spec), "-o", str(scratch / "out"),
                           "--package", "big_api", "--version", "1.0.0"]
                else:
                    cmd = [*ogen, "generate", "-g", "python", "-i", str(spec), "-o", str(scratch / "out"),
                           "--skip-validate-spec", "--package-name", "big_api",
                           "--global-property", "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"]
                sides[side].append(measure(cmd, env, scratch))
                shutil.rmtree(scratch, ignore_errors=True)
        cells = []
        for side, samples in sides.items():
            failures = [f for *_, f in samples if f]
            wall = statistics.median(w for w, _, _ in samples)
            rss = max(r for _, r, _ in samples)
            cells.append((wall, rss, failures))
            print(f"{name} {side}: {wall:.1f} s, {rss:.0f} MB" + (f" FAILED: {failures[0]}" if failures else ""))
        (cg_wall, cg_rss, cg_fail), (og_wall, og_rss, og_fail) = cells
        og_cell = f"failed after {og_wall:.1f}" if og_fail else f"{og_wall:.1f}"
        ratio = "—" if og_fail or cg_fail else f"{cg_wall / og_wall:.2f}x"
        rows.append(
            f"| {name} | {cg_wall:.1f}{' (failed)' if cg_fail else ''} | {cg_rss:.0f} | {og_cell} | "
            f"{og_rss:.0f} | {ratio} | {'yes' if cg_rss <= MEMORY_LIMIT_MB and not cg_fail else 'NO'} |"
        )
        if og_fail:
            notes.append(f"- {name}: OpenAPI Generator: `{og_fail[0]}`")
        if cg_fail:
            notes.append(f"- {name}: clientgen: `{cg_fail[0]}`")
    command = "python bench/large.py" + (f" --runs {args.runs}" if args.runs != 1 else "")
    section = "\n".join([
        LARGE_BEGIN, "## 6. The largest published specs: clientgen vs OpenAPI Generator", "",
        f"Produced by `{command}` (started {started}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end); OpenAPI Generator {version}, "
        f"`generate -g python` (docs and tests skipped). Median of {args.runs} cold run(s) each; "
        f"peak MB is the largest single process (target: clientgen within {MEMORY_LIMIT_MB} MB).", "",
        "| spec | clientgen s | clientgen peak MB | OpenAPI Generator s | OpenAPI Generator peak MB | time ratio | within 1 GB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |", *rows, "",
        *(["Runs that failed, and why:", "", *notes, ""] if notes else []), LARGE_END,
    ])  # fmt: skip
    text = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    start, end = text.find(LARGE_BEGIN), text.find(LARGE_END)
    if 0 <= start < end:
        text = text[:start] + section + text[end + len(LARGE_END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()

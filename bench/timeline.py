"""Where the wall time of one cold clientgen generation goes, process by process.

    .venv/bin/python bench/timeline.py SPEC [generate options...]
    .venv/bin/python bench/timeline.py --synthetic 1000
    .venv/bin/python bench/timeline.py --runs 5 ../shared/corpus/notte-full-openapi.json

Runs ``clientgen generate`` in a fresh process (empty ``CLIENTGEN_CACHE_DIR``, fresh output
folder) with the pipeline's stages wrapped to log when each starts and ends, in the main
process and in the forked helpers alike, and prints the spans on one clock that starts when
the process is launched. The main process's chain is the wall time: what a helper does only
shortens the run if it takes work off that chain. ``--runs N`` prints the median of each
stage's span over N runs instead of one run's timeline (the machine is noisy).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = str(REPO / ".venv" / "bin" / "python")


# ----------------------------------------------------------------------------- in the child
def _wrap(owner: Any, name: str, log: Path, t0: float, label: str | None = None) -> None:
    """Replace ``owner.name`` by a function that logs ``pid label start end`` after each call.

    The wrapper keeps the original's module and qualified name, so a job submitted to a helper
    still pickles by reference and the forked helper runs the wrapper too."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def logged(*args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return original(*args, **kwargs)
        finally:
            with log.open("a", encoding="utf-8") as out:
                out.write(
                    f"{os.getpid()} {label or name} {start - t0:.4f} {time.time() - t0:.4f}\n"
                )

    setattr(owner, name, logged)


def child(argv: list[str]) -> None:
    """The command as ``generator.cli.entry.run`` runs it (dmcg's helper forked first), with spans."""
    log, t0 = Path(os.environ["TIMELINE_LOG"]), float(os.environ["TIMELINE_T0"])
    from generator.cli import entry
    from generator.models import helper as modeller
    from generator.speed import lanes

    def helper_spans() -> None:
        """Wrap dmcg's stages in the process that runs them: the helper, forked before the
        main process imported them (where they run inline, the main process wraps them)."""
        from generator.models import dmcg as models

        for name, label in (("warm_up", "dmcg warm-up"), ("models_source", "models (dmcg)")):
            if not hasattr(getattr(models, name), "__wrapped__"):
                _wrap(models, name, log, t0, label)

    original = modeller.warm_up

    @functools.wraps(original)
    def warm_up() -> None:
        helper_spans()
        original()

    modeller.warm_up = warm_up  # type: ignore[assignment]
    _wrap(modeller, "warm_up", log, t0, "helper: imports")
    if entry._generates(argv):
        lanes.head_start(modeller.warm_up)
    try:
        from generator import load, normalize, pipeline, render
        from generator.cli.main import main
        from generator.format import formatting
        from generator.speed import schedule

        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} start+imports {0:.4f} {time.time() - t0:.4f}\n")
        helper_spans()
        for owner, name, label in (
            (load, "load_spec", "load"),
            (schedule, "import_shared", "shared imports"),
            (pipeline, "_validate", "validate"),
            (normalize, "normalize", "normalize"),
            (render, "render_package", "render"),
            (formatting, "_format_pieces", "format batch"),
            (formatting.Formatting, "result", "wait for formatting"),
            (pipeline, "write_package", "write"),
        ):
            _wrap(owner, name, log, t0, label)
        main(argv, standalone_mode=False)
    finally:
        lanes.stop_head_starts()
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} end {time.time() - t0:.4f} {time.time() - t0:.4f}\n")


# ----------------------------------------------------------------------------- the driver
def run_once(spec: Path, extra: list[str]) -> list[tuple[int, str, float, float]]:
    sys.path.insert(0, str(HERE))
    from run import base_env  # the benchmark's environment: bytecode cache, no stray PYTHONPATH

    scratch = Path(tempfile.mkdtemp(prefix="clientgen-timeline-"))
    log = scratch / "spans.log"
    env = base_env(
        CLIENTGEN_CACHE_DIR=str(scratch / "cache"), PYTHONPATH=str(REPO), TIMELINE_LOG=str(log)
    )
    cmd = [
        PY,
        str(Path(__file__).resolve()),
        "--child",
        "generate",
        str(spec.resolve()),
        "-o",
        str(scratch / "out"),
        *extra,
    ]
    try:
        env["TIMELINE_T0"] = repr(time.time())
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
        if done.returncode:
            sys.exit(
                f"{' '.join(cmd)}\nexit {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        spans = []
        for line in log.read_text(encoding="utf-8").splitlines():
            pid, *words, start, end = line.split()
            spans.append((int(pid), " ".join(words), float(start), float(end)))
        return spans
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def merged(spans: list[tuple[int, str, float, float]]) -> list[tuple[str, str, float, float, int]]:
    """Consecutive black batches of one process as one span: (process, stage, start, end, count)."""
    roles = {}
    for pid, *_ in sorted(spans, key=lambda s: s[2]):
        roles.setdefault(pid, "main" if not roles else f"helper {len(roles)}")
    out: list[tuple[str, str, float, float, int]] = []
    for pid, label, start, end in sorted(spans, key=lambda s: (roles[s[0]], s[2])):
        role = roles[pid]
        last = out[-1] if out else None
        if (
            last
            and last[0] == role
            and last[1] == label == "black batch"
            and start - last[3] < 0.01
        ):
            out[-1] = (role, label, last[2], end, last[4] + 1)
        else:
            out.append((role, label, start, end, 1))
    return sorted(out, key=lambda s: s[2])


def print_timeline(spans: list[tuple[int, str, float, float]]) -> None:
    rows = merged(spans)
    wall = max(end for *_, end, _ in rows)
    scale = 60 / wall
    print(f"{'process':<9} {'stage':<16} {'start':>6} {'end':>6} {'s':>6}")
    for role, label, start, end, count in rows:
        bar = " " * int(start * scale) + "#" * max(1, int((end - start) * scale))
        name = f"{label} x{count}" if count > 1 else label
        print(f"{role:<9} {name:<16} {start:6.3f} {end:6.3f} {end - start:6.3f} |{bar}")
    busy: dict[str, float] = defaultdict(float)
    for role, label, start, end, _ in rows:
        if label not in ("end", "wait for black"):
            busy[role] += end - start
    print(
        f"\nwall {wall:.3f} s; busy: "
        + ", ".join(f"{k} {v:.3f} s" for k, v in sorted(busy.items()))
    )


def print_medians(runs: list[list[tuple[int, str, float, float]]]) -> None:
    table: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for spans in runs:
        first: dict[tuple[str, str], tuple[float, float]] = {}
        for role, label, start, end, _ in merged(spans):
            key = (role, label)
            a, b = first.get(key, (start, end))
            first[key] = (min(a, start), max(b, end))
        for key, span in first.items():
            table[key].append(span)
    print(f"median over {len(runs)} runs (first start, last end of each stage per process)")
    print(f"{'process':<9} {'stage':<16} {'start':>6} {'end':>6}")
    for (role, label), spans in sorted(
        table.items(), key=lambda kv: statistics.median(s for s, _ in kv[1])
    ):
        print(
            f"{role:<9} {label:<16} {statistics.median(s for s, _ in spans):6.3f} "
            f"{statistics.median(e for _, e in spans):6.3f}"
        )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(REPO))
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("spec", nargs="?", type=Path)
    parser.add_argument(
        "--synthetic", type=int, help="bench/.specs/synthetic-N.json (written if missing)"
    )
    parser.add_argument("--runs", type=int, default=1)
    args, extra = parser.parse_known_args()
    if args.synthetic:
        sys.path.insert(0, str(HERE))
        import synth

        args.spec = synth.write_spec(args.synthetic, HERE / ".specs")
    if not args.spec:
        parser.error("SPEC or --synthetic N")
    if "--package" not in extra:
        extra += ["--package", "timeline_api"]
    runs = [run_once(args.spec, extra) for _ in range(args.runs)]
    if args.runs == 1:
        print_timeline(runs[0])
    else:
        print_medians(runs)


if __name__ == "__main__":
    main()

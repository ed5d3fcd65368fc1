"""Profile one cold clientgen generation with cProfile and print where the time goes.

    .venv/bin/python bench/profile.py SPEC [--overlay O] [--top 40] [--sort cumulative|tottime]
    .venv/bin/python bench/profile.py --synthetic 1000

Runs ``python -m cProfile -o PROF -m generator generate SPEC -o TMP --package P`` in a fresh
process with an empty ``CLIENTGEN_CACHE_DIR`` (black's cache cold) and a fresh output
folder, then prints the top functions by cumulative and by own time, and the share of
the big stages (validate, normalize, models, render, format, write). The .prof file is
kept (path printed) for snakeviz/pyinstrument-style browsing.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = str(REPO / ".venv" / "bin" / "python")
sys.path.insert(0, str(HERE))

STAGES = {  # the module's file name (under generator/) and the stage's function
    "load": ("generator/load/__init__", "load_spec"),
    "validate": ("generator/validate/findings", "validate_spec"),
    "normalize": ("generator/normalize/__init__", "normalize"),
    "models (dmcg)": ("generator/models/dmcg", "models_source"),
    "render (jinja)": ("generator/render/package", "render_package"),
    "format (settled or black)": ("generator/format/formatting", "format_files"),
    "write": ("generator/write/files", "write_package"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", nargs="?", type=Path)
    parser.add_argument("--synthetic", type=int, help="profile bench/.specs/synthetic-N.json (written if missing)")
    parser.add_argument("--overlay", action="append", default=[])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--prof", type=Path, help="where to keep the profile (default: a temp file)")
    args = parser.parse_args()
    if args.synthetic:
        import synth

        args.spec = synth.write_spec(args.synthetic, HERE / ".specs")
    if not args.spec:
        parser.error("SPEC or --synthetic N")
    scratch = Path(tempfile.mkdtemp(prefix="clientgen-profile-"))
    prof = args.prof or Path(tempfile.gettempdir()) / f"clientgen-{args.spec.stem}.prof"
    env = dict(os.environ, CLIENTGEN_CACHE_DIR=str(scratch / "cache"), PYTHONPATH=str(REPO),
               PYTHONPYCACHEPREFIX=str(HERE / ".pycache"),
               CLIENTGEN_JOBS="1")  # every stage in the profiled process, none in helpers
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [PY, "-m", "cProfile", "-o", str(prof), "-m", "generator", "generate", str(args.spec.resolve()),
           "-o", str(scratch / "out"), "--package", "profiled_api"]
    for overlay in args.overlay:
        cmd += ["--overlay", str(Path(overlay).resolve())]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    wall = time.perf_counter() - t0
    print(f"{' '.join(cmd)}\nexit {done.returncode}, {wall:.2f} s wall under cProfile; profile in {prof}")
    print(done.stdout[-2000:], done.stderr[-2000:])
    if done.returncode:
        return
    stats = pstats.Stats(str(prof))
    total = max(v[3] for v in stats.stats.values())  # the biggest cumulative time ~ the whole run
    print(f"\n== stages (cumulative, of {total:.2f} s profiled)")
    for label, (file, func) in STAGES.items():
        hits = [(k, v) for k, v in stats.stats.items() if file in k[0] and k[2] == func]
        if hits:
            cum = sum(v[3] for _, v in hits)
            print(f"  {label:<16} {cum:8.2f} s  {100 * cum / total:5.1f}%")
    gc_time = None
    for key, value in stats.stats.items():
        if key[2] == "<built-in method gc.collect>":
            gc_time = value[3]
    if gc_time:
        print(f"  (explicit gc.collect: {gc_time:.2f} s)")
    for sort in ("cumulative", "tottime"):
        print(f"\n== top {args.top} by {sort}")
        stats.sort_stats(sort).print_stats(args.top)


if __name__ == "__main__":
    main()

"""The ``clientgen`` executable: start what a command will need, run it, exit at once.

A cold ``generate`` spends most of its time in datamodel-code-generator, whose imports and
first-call setup alone take about 0.6 s. Its helper process is forked here, before the command
line and the pipeline are imported, and warms up meanwhile; a run that finds every client up
to date stops it unused.
"""

from __future__ import annotations

import os
import sys


def run() -> None:
    """The ``clientgen`` command: :func:`generator.cli.main.main`, then an exit without interpreter
    teardown.

    A run leaves large heaps behind (datamodel-code-generator's models, black's trees, the
    validator's registries); freeing them object by object costs about 0.1 s and achieves
    nothing once every file is written, every helper stopped and the output flushed (mypy
    exits the same way). Under a tracer or profiler (coverage, cProfile), whose results are
    written at exit, and on an exception other than an exit, Python exits as usual.
    """
    from ..speed.lanes import head_start, stop_head_starts

    try:
        if _generates(sys.argv[1:]):
            from ..models import helper

            head_start(helper.warm_up)
        from .main import main

        if sys.gettrace() is not None or sys.getprofile() is not None:
            main()
            return
        try:
            main()
            code = 0
        except SystemExit as exit:
            code = _exit_status(exit.code)
    finally:
        stop_head_starts()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # e.g. a closed pipe; Python's own exit reports 120
            code = code or 120
    os._exit(code)


def _generates(args: list[str]) -> bool:
    """Whether the command line asks to generate (a guess is enough: a wrong one costs a
    helper stopped unused)."""
    return args[:1] == ["generate"] and not {"-h", "--help"} & set(args)


def _exit_status(code: object) -> int:
    """What ``sys.exit(code)`` would make the exit status (a message is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1

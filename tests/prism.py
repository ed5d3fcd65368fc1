"""Prism, the OpenAPI mock server, as a context manager for tests (a helper, not a fixture).

``with run_prism(Path("specs/ziet.yaml")) as base_url:`` starts
``node_modules/.bin/prism mock --errors -h 127.0.0.1 -p PORT SPEC`` from the repository root on
a free port, waits until it accepts connections, and stops its whole process group on exit,
whatever happened in between. Prism validates each request against the spec (parameters, body,
presence of credentials) and answers 4xx when it does not match, so a test that gets a 2xx
knows the request was well-formed. Install Prism with ``.ci/install``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["PRISM", "PrismError", "prism_available", "run_prism"]

ROOT = Path(__file__).resolve().parent.parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT = 30.0


class PrismError(RuntimeError):
    """Prism did not start; the message carries its output."""


def prism_available() -> bool:
    """Whether Prism is installed here (``.ci/install``) and node can run it."""
    return PRISM.is_file() and os.access(PRISM, os.X_OK) and shutil.which("node") is not None


@contextmanager
def run_prism(
    spec: Path, *, errors: bool = True, dynamic: bool = False, start_timeout: float = START_TIMEOUT
) -> Iterator[str]:
    """Serve ``spec`` with Prism; yields the base URL ``http://127.0.0.1:PORT``.

    ``dynamic``: answers generated from the response schemas (``-d``), not from examples.
    """
    spec = Path(spec).resolve()
    for attempt in range(3):  # another process may take the free port before Prism binds it
        port = _free_port()
        command = [
            str(PRISM),
            "mock",
            *(["--errors"] if errors else []),
            *(["-d"] if dynamic else []),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            str(spec),
        ]
        with tempfile.TemporaryFile() as log:  # a file, not a pipe: Prism can never block on output
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so node's children stop with it
                env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", "SCARF_ANALYTICS": "false"},
            )
            try:
                ready = _wait_until_listening(process, port, start_timeout)
                if not ready:
                    output = _output(log)
                    if "EADDRINUSE" in output and attempt < 2:
                        continue
                    raise PrismError(
                        f"Prism did not start on {spec} within {start_timeout:.0f} s:\n{output}"
                    )
                yield f"http://127.0.0.1:{port}"
                return
            finally:
                _stop(process)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _output(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-4000:]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to Prism's process group, SIGKILL if it lingers; never leaves it running."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    else:  # Prism is gone; make sure nothing it started outlives it
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

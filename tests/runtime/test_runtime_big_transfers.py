"""A 1 GiB download and a 1 GiB upload cost a few chunks of memory, not the file.

The client runs in a fresh interpreter, which reports its peak RSS (`ru_maxrss`) before and
after the transfer; the server (a thread here) hashes what it receives with SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from runtime_server import ScriptedServer, read_body

GIB = 1 << 30
BLOCK = hashlib.sha256(b"clientgen").digest() * (1 << 15)  # 1 MiB, repeated to make any size
BUDGET_KIB = 64 * 1024

CLIENT = """
import json, resource, sys, time
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from rtpkg import RtClient
from rtpkg._base_client import Endpoint

mode, url, target = sys.argv[2:5]
client = RtClient(base_url=url, api_key="k", max_retries=0)
download = Endpoint(method="GET", path="/big", result=bytes, stream="binary")
upload = Endpoint(method="PUT", path="/big", result=dict, body_encoding="binary")
small = Path(target + ".small")
small.write_bytes(b"x" * 100_000)


def run(size, path):
    if mode == "download":
        with client._download(download, query={"size": size}) as response:
            response.write_to_file(path)
        return None
    return client._request(upload, body=path)


run(100_000, small)  # warm up: imports, connection, validators
small.unlink()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.monotonic()
result = run(1 << 30, Path(target))
seconds = time.monotonic() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before": before, "after": after, "seconds": seconds, "result": result}))
"""


def big_route(handler: BaseHTTPRequestHandler) -> None:
    """GET: `size` bytes of repeated blocks; PUT: the SHA-256 and size of the body."""
    if handler.command == "GET":
        size = int(handler.path.partition("size=")[2])
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        for at in range(0, size, len(BLOCK)):
            handler.wfile.write(BLOCK[: size - at])
        return
    digest = hashlib.sha256()
    size = read_body(handler, digest.update)
    body = json.dumps({"sha256": digest.hexdigest(), "size": size}).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def run_client(package_dir: Path, mode: str, target: Path) -> dict[str, Any]:
    with ScriptedServer() as server:
        server.raw["/big"] = big_route
        done = subprocess.run(
            [sys.executable, "-c", CLIENT, str(package_dir), mode, server.url, str(target)],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    print(f"{mode}: {report}")  # shown with -s: the numbers in the report
    return report


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@pytest.mark.slow
def test_a_1_gib_download_to_a_file_keeps_memory_flat(package_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "download.bin"
    try:
        report = run_client(package_dir, "download", target)
        expected = hashlib.sha256()
        for _ in range(GIB // len(BLOCK)):
            expected.update(BLOCK)
        assert target.stat().st_size == GIB and sha256_of(target) == expected.hexdigest()
    finally:
        target.unlink(missing_ok=True)
    assert report["after"] - report["before"] < BUDGET_KIB, report


@pytest.mark.slow
def test_a_1_gib_upload_from_a_path_keeps_memory_flat(package_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    try:
        with source.open("wb") as file:  # sparse: 1 GiB of zeros, with data at three places
            file.truncate(GIB)
            for at in (0, GIB // 2 + 12345, GIB - len(BLOCK)):
                file.seek(at)
                file.write(BLOCK)
        report = run_client(package_dir, "upload", source)
        assert report["result"] == {"sha256": sha256_of(source), "size": GIB}
    finally:
        source.unlink(missing_ok=True)
    assert report["after"] - report["before"] < BUDGET_KIB, report

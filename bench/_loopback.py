"""A small, fast HTTP/1.1 keep-alive server on 127.0.0.1 for the per-call benchmark.

    python bench/_loopback.py BODY.json      # prints "PORT" on stdout, serves until killed

Every request (any method, any path) gets ``200`` with BODY as ``application/json``.
``GET /__last__`` returns the previous request (method, path, query, headers, body as
text) so the benchmark can replay exactly what the generated client sent; ``GET /__body__``
returns BODY.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(body: bytes) -> None:
    last: dict[str, object] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: measure the clients, not TCP handshakes
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            if self.path == "/__last__":
                payload = json.dumps(last).encode()
            elif self.path == "/__body__":
                payload = body
            else:
                last.clear()
                last.update(method=self.command, path=self.path, headers=dict(self.headers.items()),
                            body=data.decode("utf-8", "replace"))
                payload = body
            # One write per response (status line, headers and body together): with separate
            # writes, Nagle + delayed ACK add ~40 ms to every keep-alive request.
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n").encode()
            self.wfile.write(head + payload)
            self.wfile.flush()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: object) -> None:  # silence
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as fh:
        serve(fh.read())

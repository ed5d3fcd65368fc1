"""Per-call cost of a generated client against raw httpx, on the same loopback server.

    python bench/_percall.py --package ziet_api --client Ziet --base-url http://127.0.0.1:PORT \
        --call "runs.invoke(id='run_123')" [--calls 3000]

Run with the generated package on PYTHONPATH. Prints one JSON object with per-call
medians/minimums in microseconds for:

* ``generated``: the generated client's method (build request, auth, send, parse into
  its pydantic model);
* ``raw``: the same request (method, path, headers, body, replayed from what the server
  saw) with a plain ``httpx.Client`` + ``raise_for_status()`` + ``.json()``;
* ``raw_model``: ``raw`` plus ``Model.model_validate(data)`` of the generated response
  model (what a hand-written typed client would do);
* ``generated_inproc`` / ``raw_inproc``: the first two over ``httpx.MockTransport`` (no
  socket, no server): each client's own cost per call.

Calls are interleaved in blocks so drift (CPU frequency, the server) hits all sides equally.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import time

import httpx


def _timed(fn, n: int) -> list[int]:
    out = []
    perf = time.perf_counter_ns
    for _ in range(n):
        t0 = perf()
        fn()
        out.append(perf() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", required=True)
    parser.add_argument("--client", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--call", required=True)
    parser.add_argument("--api-key", default="sk_live_bench")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--block", type=int, default=100)
    args = parser.parse_args()

    pkg = importlib.import_module(args.package)
    client = getattr(pkg, args.client)(api_key=args.api_key, base_url=args.base_url)
    call = eval(f"lambda c: c.{args.call}")  # noqa: S307 - our own benchmark argument
    result = call(client)
    model = type(result)

    seen = httpx.get(f"{args.base_url}/__last__").json()
    skip = {"host", "content-length", "connection", "accept-encoding"}
    headers = {k: v for k, v in seen["headers"].items() if k.lower() not in skip}
    content = seen["body"].encode() if seen["body"] else None
    raw = httpx.Client(base_url=args.base_url)

    def generated() -> object:
        return call(client)

    def raw_call() -> object:
        r = raw.request(seen["method"], seen["path"], headers=headers, content=content)
        r.raise_for_status()
        return r.json()

    def raw_model() -> object:
        r = raw.request(seen["method"], seen["path"], headers=headers, content=content)
        r.raise_for_status()
        return model.model_validate(r.json())

    sides = {"generated": generated, "raw": raw_call, "raw_model": raw_model}

    # The same two clients over an in-process transport (httpx.MockTransport): no socket, no
    # server, so what remains is each client's own cost per call.
    body = httpx.get(f"{args.base_url}/__body__").content
    ctype = {"Content-Type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=ctype, content=body)

    try:
        mock_client = getattr(pkg, args.client)(
            api_key=args.api_key, base_url=args.base_url,
            http_client=httpx.Client(base_url=args.base_url, transport=httpx.MockTransport(handler)))
    except TypeError:  # no injectable http_client: loopback figures only
        mock_client = None
    if mock_client is not None:
        mock_raw = httpx.Client(base_url=args.base_url, transport=httpx.MockTransport(handler))

        def generated_mock() -> object:
            return call(mock_client)

        def raw_mock() -> object:
            r = mock_raw.request(seen["method"], seen["path"], headers=headers, content=content)
            r.raise_for_status()
            return r.json()

        sides.update(generated_inproc=generated_mock, raw_inproc=raw_mock)
    for fn in sides.values():  # warm up: connections, caches, pydantic validators
        _timed(fn, 200)
    samples: dict[str, list[int]] = {k: [] for k in sides}
    gc.collect()
    blocks = max(1, args.calls // args.block)
    for b in range(blocks):
        order = list(sides.items())
        if b % 2:
            order.reverse()
        for name, fn in order:
            samples[name] += _timed(fn, args.block)
    out = {
        "request": {"method": seen["method"], "path": seen["path"],
                    "headers": sorted(k.lower() for k in headers)},
        "result_type": f"{model.__module__}.{model.__qualname__}",
        "calls_per_side": blocks * args.block,
    }
    for name, values in samples.items():
        out[name] = {"median_us": statistics.median(values) / 1000, "min_us": min(values) / 1000,
                     "mean_us": statistics.fmean(values) / 1000}
    client.close() if hasattr(client, "close") else None
    raw.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

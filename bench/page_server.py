"""The page server (:8000) under load: measured, nothing asserted.

    .venv/bin/python -m bench.page_server [--module web.serve] [--out bench/results/page_server.json]

Starts ``python -m <module> --port <free port>`` as a real process and measures:

* ``burst``: 100 requests for ``/`` at once, each on its own connection, each allowed
  40 s: p50 / p90 / max latency, requests that failed or timed out;
* ``idle``: 300 connections opened and left silent: how many the server still holds
  after 2, 10, 30 and 60 s, and meanwhile a normal request's latency;
* ``slow``: one request sent one byte every 2 s: after how many seconds the server
  closes it (capped at 60 s).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from ops.processes import ROOT, base_env, free_port, start, stop, wait_for


def one_request(url: str, timeout: float = 40) -> tuple[float, str | None]:
    began = time.perf_counter()
    try:
        with requests.Session() as session:
            response = session.get(url, timeout=timeout, headers={"Connection": "close"})
            error = None if response.status_code == 200 else f"status {response.status_code}"
    except requests.Timeout:
        error = "timeout"
    except requests.RequestException as failure:
        error = type(failure).__name__
    return time.perf_counter() - began, error


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def burst(url: str, count: int = 100) -> dict:
    barrier = threading.Barrier(count)

    def go(_):
        barrier.wait()
        return one_request(url)

    with ThreadPoolExecutor(count) as pool:
        results = list(pool.map(go, range(count)))
    latencies = [seconds for seconds, error in results if error is None]
    errors = [error for _, error in results if error]
    return {"requests": count, "ok": len(latencies), "timeouts": errors.count("timeout"),
            "other_errors": len(errors) - errors.count("timeout"),
            "p50_s": round(statistics.median(latencies), 3) if latencies else None,
            "p90_s": round(percentile(latencies, 0.9), 3) if latencies else None,
            "max_s": round(max(latencies), 3) if latencies else None}


def still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def idle(port: int, url: str, count: int = 300) -> dict:
    sockets = []
    for _ in range(count):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    began = time.monotonic()
    held = {}
    normal = None
    for mark in (2, 10, 30, 60):
        time.sleep(max(0.0, began + mark - time.monotonic()))
        held[f"{mark}s"] = sum(still_open(s) for s in sockets)
        if normal is None:
            normal = one_request(url, timeout=40)
    for s in sockets:
        s.close()
    return {"opened": len(sockets), "held_after": held,
            "normal_request_s": round(normal[0], 3), "normal_request_error": normal[1]}


def slow(port: int, cap: float = 60) -> dict:
    request = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1000
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    began = time.monotonic()
    closed_after = None
    for byte in request:
        if time.monotonic() - began > cap:
            break
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            closed_after = time.monotonic() - began
            break
        time.sleep(2)
        if not still_open(sock):
            closed_after = time.monotonic() - began
            break
    sock.close()
    return {"closed_after_s": round(closed_after, 1) if closed_after else f"open after {cap:.0f} s"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", default="web.serve")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    port = free_port()
    log = Path(f"/tmp/page_server_bench_{port}.log")
    process = start([sys.executable, "-m", args.module, "--port", str(port), "--rasa-port", "5005"], log,
                    base_env())
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, process, log, timeout=60)
        result = {"module": args.module, "burst": burst(url), "idle": idle(port, url), "slow": slow(port)}
    finally:
        stop(process)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

"""Real servers: the production command (gunicorn) and Debian's redis-server, each on a free port, for
tests/test_server.py and for scripts/bench_load.py and scripts/lighthouse.py.

Each is awaited by the line it prints when it is ready, never by sleeping.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_line(process: subprocess.Popen, stream, marker: str) -> list[str]:
    seen = []
    for line in stream:
        seen.append(line)
        if marker in line:
            return seen
    process.wait(timeout=10)
    raise RuntimeError(f"server exited before it was ready: {''.join(seen)[-2000:]}")


@contextlib.contextmanager
def production_server(env: dict | None = None, workers: int = 2, threads: int = 4, instance: Path | None = None):
    """`python -m pwa serve` (gunicorn) on a free port; yields its base URL. Its log is kept for inspection."""
    port = free_port()
    environment = {**os.environ, **(env or {})}
    if instance is not None:
        environment["SAFESTEPS_INSTANCE_PATH"] = str(instance)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pwa",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []
    try:
        # gunicorn has bound the port once it says so: requests from then on wait in the backlog for a worker.
        log += _wait_for_line(process, process.stderr, "Booting worker")
        # A first page, which waits in the backlog until a worker has made the app.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/")
        connection.getresponse().read()
        connection.close()
        server = type("Server", (), {"url": f"http://127.0.0.1:{port}", "log": log, "process": process})()
        yield server
    finally:
        process.terminate()
        try:
            rest, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, _ = process.communicate()
        log.append(rest or "")


@contextlib.contextmanager
def redis_server():
    """Debian's redis-server on a free port, keeping nothing on disk; yields its URI."""
    binary = shutil.which("redis-server")
    if binary is None:
        # A failure, never a skip: the tests that need it are part of what "passing" means.
        raise RuntimeError("redis-server is missing: run scripts/test, which installs Debian's redis-server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(process, process.stdout, "Ready to accept connections")
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)

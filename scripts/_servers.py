"""Real servers: the production command (gunicorn), optionally behind Debian's nginx terminating HTTPS as the
README's example configures it, and Debian's redis-server, each on a free port, for
tests/test_server.py and for scripts/bench_load.py and scripts/lighthouse.py; and an app in a background thread
for the browser tests.

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
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietRequestHandler(WSGIRequestHandler):
    """No log line per request (a page load is some 25 requests); errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


def threaded_server(app) -> BaseWSGIServer:
    """The WSGI app on a free loopback port, served by werkzeug from a background thread. Stop with shutdown()."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def app_server(app) -> Iterator[str]:
    """threaded_server for as long as the block runs; yields its base URL."""
    server = threaded_server(app)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def _wait_for_line(process: subprocess.Popen, stream, marker: str) -> list[str]:
    seen = []
    for line in stream:
        seen.append(line)
        if marker in line:
            return seen
    process.wait(timeout=10)
    raise RuntimeError(f"server exited before it was ready: {''.join(seen)[-2000:]}")


@contextlib.contextmanager
def production_server(
    env: dict | None = None,
    workers: int | None = None,
    threads: int | None = None,
    instance: Path | None = None,
    proxy: bool = False,
):
    """`python -m pwa serve` (gunicorn) on a free port; yields its base URL. Its log is kept for inspection.
    Without `workers` and `threads` it runs as deployed by default: one process of 16 threads, two renderers.

    proxy=True puts nginx in front, terminating HTTPS with a throwaway certificate, and runs the app as the README
    says to behind one (PROXY_FIX=1, secure cookies): `url` is then nginx's https:// address, `direct_url`
    gunicorn's own, and `ca` the certificate file a client must trust."""
    port = free_port()
    environment = {**os.environ, **(env or {})}
    if instance is not None:
        environment["SAFESTEPS_INSTANCE_PATH"] = str(instance)
    if proxy:
        environment.update(SAFESTEPS_PROXY_FIX="1", SAFESTEPS_SESSION_COOKIE_SECURE="true")
    sizes = [*(["--workers", str(workers)] if workers else []), *(["--threads", str(threads)] if threads else [])]
    process = subprocess.Popen(
        [sys.executable, "-m", "pwa", "serve", "--port", str(port), *sizes],
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
        direct = f"http://127.0.0.1:{port}"
        with tls_proxy(direct) if proxy else contextlib.nullcontext((direct, None)) as (url, ca):
            server = type("Server", (), {"url": url, "direct_url": direct, "ca": ca, "log": log, "process": process})()
            yield server
    finally:
        process.terminate()
        try:
            rest, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, _ = process.communicate()
        log.append(rest or "")


# The README's example (section "Running it on the open web"), with a test's certificate, ports and folders.
NGINX_CONF = """
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log stderr notice;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # The OT report may carry up to 32 MB of photos, the export check 16 MB (pwa/views/plan.py, pwa/export.py).
    client_max_body_size 40m;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {folder}/cert.pem;
        ssl_certificate_key {folder}/key.pem;
        location / {{
            proxy_pass {upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
        }}
    }}
}}
"""


@contextlib.contextmanager
def tls_proxy(upstream: str):
    """Debian's nginx on a free port, terminating HTTPS with a throwaway self-signed certificate (openssl) for
    127.0.0.1 and passing requests to `upstream`; yields its https:// URL and the certificate's file."""
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    if not Path(nginx).exists() or openssl is None:
        raise RuntimeError("nginx or openssl is missing: run scripts/test, which installs Debian's nginx and openssl")
    with tempfile.TemporaryDirectory(prefix="safesteps-nginx-") as folder:
        key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{folder}/key.pem")
        name = ("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
        subprocess.run(
            [openssl, "req", "-x509", *key, "-out", f"{folder}/cert.pem", "-days", "1", *name],
            check=True,
            capture_output=True,
        )
        port = free_port()
        # Run as root (a container, CI), nginx's workers would drop to "nobody", who cannot write this folder.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = Path(folder) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, folder=folder, port=port, upstream=upstream))
        process = subprocess.Popen(
            [nginx, "-e", "stderr", "-p", folder, "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            # Its sockets are bound before it starts its worker, and it says when it does.
            log = _wait_for_line(process, process.stderr, "start worker process")
            # Keep reading its log, so that a full pipe never stops it.
            threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
            yield f"https://127.0.0.1:{port}", f"{folder}/cert.pem"
        finally:
            process.terminate()
            process.wait(timeout=10)


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

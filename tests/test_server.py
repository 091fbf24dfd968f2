"""The production command (gunicorn via `python -m pwa serve`) and what it answers on the wire: several workers
sharing one secret key made in the instance folder, headers, chunked bodies over the limit, and rate limits
shared between two app processes through a real Redis."""

from __future__ import annotations

import http.client
import json
import stat
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts._servers import production_server, redis_server

# One worker runs them all under pytest-xdist: they share the module's server.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("server")]


class Client:
    """One browser: a cookie (the CSRF session) and a fresh token before each POST, a new connection each time
    so that requests spread over the server's workers."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port, self.cookie = parts.hostname, parts.port, ""

    def request(self, method, path, body=None, headers=None, chunked=False):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers, encode_chunked=chunked)
        response = connection.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return response, data

    def post_json(self, path, document, chunked=False):
        _, token = self.request("GET", "/api/csrf-token")
        headers = {"Content-Type": "application/json", "X-CSRFToken": json.loads(token)["token"]}
        body = json.dumps(document).encode() if not isinstance(document, bytes) else document
        if chunked:
            body = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])
        else:
            headers["Content-Length"] = str(len(body))
        return self.request("POST", path, body, headers, chunked=chunked)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    with production_server(instance=instance, workers=2) as running:
        running.instance = instance
        yield running


def test_several_workers_share_one_secret_key_made_once_with_safe_permissions(server):
    key = server.instance / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    # Each POST on a new connection: with a key per worker, about half would fail the CSRF check.
    client = Client(server.url)
    statuses = [client.post_json("/api/assessment", {"schema": 2})[0].status for _ in range(16)]
    assert statuses == [200] * 16
    assert len(children(server.process.pid)) == 2


def children(pid: int) -> list[int]:
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat_file.parent.name))
    return found


def test_each_server_process_starts_its_pdf_renderer_at_boot_at_lower_priority(server):
    # No PDF has been asked for: the renderers start with the server, not with the first person who waits.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pairs = [
            (worker, pid) for worker in children(server.process.pid) for pid in children(worker) if is_renderer(pid)
        ]
        renderers = [pid for _, pid in pairs]
        # Two server processes, each with its pool's two renderers (PDF_PROCESSES, 2 by default), each 10 nicer
        # than its server process (19 at most: a suite run under `nice` starts at 10 already).
        if len(renderers) == 4 and all(nice(pid) == min(19, nice(worker) + 10) for worker, pid in pairs):
            return
        time.sleep(0.5)
    raise AssertionError(f"renderers at boot: {renderers}")


def is_renderer(pid: int) -> bool:
    try:
        return b"spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False


def nice(pid: int) -> int:
    return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[16])


def test_headers_name_no_version_and_deny_device_features(server):
    response, _ = Client(server.url).request("GET", "/")
    assert response.status == 200
    assert "/" not in (response.getheader("Server") or "") and "Python" not in (response.getheader("Server") or "")
    assert response.getheader("Permissions-Policy").startswith("camera=(self)")
    assert "microphone=()" in response.getheader("Permissions-Policy")
    # Plain HTTP: HSTS is only for HTTPS (see test_limits for the proxied case).
    assert response.getheader("Strict-Transport-Security") is None


def test_a_chunked_body_over_the_limit_is_a_413_and_nothing_is_logged(server):
    client = Client(server.url)
    big = b'{"schema": 2, "id": "' + b"x" * (300 * 1024) + b'"}'
    response, data = client.post_json("/api/plan", big, chunked=True)
    assert response.status == 413 and json.loads(data)["error"] == "too-large"
    small, _ = client.post_json("/api/assessment", {"schema": 2}, chunked=True)
    assert small.status == 200
    deep, data = client.post_json("/api/plan", b"[" * 5000 + b"]" * 5000)
    assert deep.status == 400 and json.loads(data)["error"] == "bad-assessment"


def test_the_server_log_holds_no_traceback_and_no_body(server):
    client = Client(server.url)
    marker = "SECRET-NOTE-TEXT"
    client.post_json("/api/plan", {"schema": 2, "answers": {"a.b": {"note": marker, "answer": 7}}})
    client.post_json("/plan.pdf", b'{"schema": 2, "profile": ' * 3000)
    client.post_json("/api/plan", {"schema": 2, "answers": {"a.b": {"note": marker + "\x00\x1b"}}})
    server.process.terminate()
    log = server.process.communicate(timeout=30)[1]
    assert "Traceback" not in log and marker not in log and "Error" not in log


def test_two_app_processes_share_one_rate_limit_through_redis(tmp_path):
    with redis_server() as uri:
        env = {"SAFESTEPS_RATELIMIT_STORAGE_URI": uri, "SAFESTEPS_RATELIMIT_API": "3 per minute"}
        with (
            production_server(env, workers=1, instance=tmp_path) as first,
            production_server(env, workers=1, instance=tmp_path) as second,
        ):
            a, b = Client(first.url), Client(second.url)
            statuses = []
            for client in (a, b, a, b):
                response, data = client.post_json("/api/assessment", {"schema": 2})
                statuses.append(response.status)
            assert statuses == [200, 200, 200, 429]
            problem = json.loads(data)
            # The same shape as every other error, in plain words.
            assert set(problem) == {"error", "message"} and problem["error"] == "too-many-requests"
            assert "Please wait a minute" in problem["message"]
            assert response.getheader("Retry-After")

"""The production server as it is deployed: behind nginx terminating HTTPS (configured as in the README), and on
plain HTTP. Through each, everything a person or an OT does: every page of the walk, the plan, every PDF, the
hand-off, an OT report with four full-size photos, and restoring a backup of 50 clients, with CSRF on.

The client behaves as a browser does: it keeps the CSRF cookie, fetches a token before each POST, and sends a
Referer only as far as the page's Referrer-Policy allows (Flask-WTF refuses a POST over HTTPS without one)."""

from __future__ import annotations

import http.client
import io
import json
import ssl
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from pwa import create_app
from pwa.example import example_assessment
from pwa.views.plan import HANDOFF_HEADER
from pwa.views.pwa import page_urls

from .conftest import TEST_CONFIG
from .servers import production_server
from .test_handoff import decode_qr_from_pdf, handed_off, link_of, need_decoder, visit_document
from .test_ot_report import backup, follow_up, realistic_jpeg

pytestmark = pytest.mark.server


class Browser:
    """One browser tab over http:// or https://, following the Referrer-Policy of the page it is on."""

    def __init__(self, url: str, ca: str | None = None):
        self.origin, self.cookie, self.page, self.policy = url, "", "/", None
        parts = urlsplit(url)
        context = ssl.create_default_context(cafile=ca) if parts.scheme == "https" else None
        self.connect = lambda: (
            http.client.HTTPSConnection(parts.hostname, parts.port, timeout=120, context=context)
            if context
            else http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        )

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        # Same-origin requests carry the page's address unless the page's policy says no-referrer.
        if self.policy not in (None, "no-referrer"):
            headers.setdefault("Referer", self.origin + self.page)
        connection = self.connect()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return response, data

    def open(self, path):
        """Open a page: later requests are made from it."""
        response, data = self.request("GET", path)
        self.page, self.policy = path, response.getheader("Referrer-Policy")
        return response, data

    def token(self):
        return json.loads(self.request("GET", "/api/csrf-token")[1])["token"]

    def post_json(self, path, document, headers=None):
        body = json.dumps(document).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.token(), **(headers or {})}
        return self.request("POST", path, body, headers)

    def post_form(self, path, fields, files):
        boundary = "safesteps-test-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, data in files:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="photo.jpg"\r\n'
            parts.append(head.encode() + b"Content-Type: image/jpeg\r\n\r\n" + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": self.token()}
        return self.request("POST", path, body, headers)


@pytest.fixture(scope="module", params=["https", "http"])
def server(request, tmp_path_factory):
    with production_server(instance=tmp_path_factory.mktemp("instance"), proxy=request.param == "https") as running:
        yield running


@pytest.fixture(scope="module")
def walk_pages():
    with create_app(TEST_CONFIG).test_request_context():
        return page_urls()


def is_pdf(response, data) -> bool:
    return response.status == 200 and data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) >= 1


def test_every_page_of_the_walk_opens_and_the_posts_it_makes_are_accepted(server, walk_pages, content):
    browser = Browser(server.url, server.ca)
    secure = server.url.startswith("https://")
    for path in walk_pages:
        response, _ = browser.open(path)
        assert response.status == 200, path
        assert response.getheader("Referrer-Policy") == "same-origin"
        assert (response.getheader("Strict-Transport-Security") is not None) == secure
    browser.open("/rooms/kitchen")
    document = example_assessment(content.version)
    for path in ("/api/assessment", "/api/personalise", "/api/plan"):
        response, data = browser.post_json(path, document)
        assert response.status == 200, (path, data[:300])
    if secure:
        # Still strict: over HTTPS a POST with no Referer, or one from another site, is refused.
        response, data = browser.post_json("/api/plan", document, {"Referer": "https://example.com/"})
        assert response.status == 400 and json.loads(data)["error"] == "csrf"
        browser.policy = "no-referrer"
        response, data = browser.post_json("/api/plan", document)
        assert response.status == 400 and json.loads(data)["error"] == "csrf"


def test_every_pdf_and_the_hand_off_from_the_printed_plan(server, content, tmp_path):
    need_decoder()
    browser = Browser(server.url, server.ca)
    browser.open("/print")
    response, data = browser.request("GET", "/checklist.pdf")
    assert is_pdf(response, data)
    response, data = browser.post_json("/summary.pdf", example_assessment(content.version))
    assert is_pdf(response, data), data[:300]
    # A home visit's plan carries the hand-off code: its link names the address the browser used, port included.
    # The page sends the link it made (handoff.js) with the request; the server checks, signs and draws it.
    document = visit_document(content, note_length=10)
    made = link_of(handed_off(document, with_notes=False, without_na=True))
    response, pdf = browser.post_json("/plan.pdf", document, {HANDOFF_HEADER: made})
    assert is_pdf(response, pdf), pdf[:300]
    [link] = decode_qr_from_pdf(pdf, tmp_path)
    assert link.startswith(f"{server.url}/handoff#")
    # The phone opens the link: the server checks what it carries, and that this service signed it.
    phone = Browser(server.url, server.ca)
    phone.open("/handoff")
    response, data = phone.post_json("/api/handoff/open", {"link": link.split("#", 1)[1]})
    opened = json.loads(data)
    assert response.status == 200 and opened["made_here"] is True
    assert opened["assessment"]["visit"]["client"] == "Ann Example"


def test_an_ot_report_with_four_full_size_photos_and_restoring_fifty_clients(server, content):
    browser = Browser(server.url, server.ca)
    browser.open("/visit")
    document, items = follow_up(content)
    photos = [(f"photo:{item.id}", realistic_jpeg(i)) for i, item in enumerate(items[:4])]
    response, data = browser.post_form("/ot-report.pdf", {"assessment": json.dumps(document)}, photos)
    assert is_pdf(response, data), data[:300]
    assert len({image.name for page in PdfReader(io.BytesIO(data)).pages for image in page.images}) == 4
    browser.open("/clients")
    response, data = browser.post_json("/api/export-check", backup(content, clients=50))
    assert response.status == 200, data[:300]
    assert sum(len(client["visits"]) for client in json.loads(data)["clients"]) == 100


def test_gunicorn_itself_believes_no_forwarded_scheme(server):
    # Straight to gunicorn, a request claiming to have come over HTTPS: only PROXY_FIX may make the app believe
    # that (with it, only from the one proxy in front). Without PROXY_FIX the claim changes nothing.
    browser = Browser(server.direct_url)
    response, _ = browser.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
    proxied = server.url.startswith("https://")
    # With PROXY_FIX=1 the app trusts its one hop (it cannot tell nginx from a local client); without, nothing.
    assert (response.getheader("Strict-Transport-Security") is not None) == proxied

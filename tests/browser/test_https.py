"""A home visit in Chromium over HTTPS, through nginx configured as the README says: the Referer Chromium itself
sends (under the app's Referrer-Policy) passes Flask-WTF's strict check on every POST, so the personalisation,
the plan, its PDF and the OT report with a photo all work on a real deployment."""

import base64
import hashlib
import subprocess

import pytest
from pypdf import PdfReader

from ..pdf_text import text_of
from ..servers import production_server
from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, open_page
from .test_clients import add_photo, answer, big_photo, new_client


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    with production_server(instance=tmp_path_factory.mktemp("instance"), proxy=True) as server:
        yield server


def spki_hash(certificate: str) -> str:
    """The certificate's public key hash, for Chromium's --ignore-certificate-errors-spki-list: Chromium then
    treats the throwaway certificate as valid (service worker included), as a real one would be."""
    key = subprocess.run(["openssl", "x509", "-in", certificate, "-pubkey", "-noout"], capture_output=True, check=True)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key.stdout, capture_output=True)
    return base64.b64encode(hashlib.sha256(der.stdout).digest()).decode()


@pytest.fixture(scope="module")
def https_page(browser, https_server):
    trusting = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={spki_hash(https_server.ca)}"],
    )
    context = trusting.new_context(base_url=https_server.url, viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    errors, posts = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfinished", lambda r: r.method == "POST" and posts.append((r.url, r.headers, r.response())))
    page.posts = posts
    yield page
    trusting.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_a_home_visit_over_https_personalises_plans_and_prints(https_page, https_server, content):
    page = https_page
    room = content.sections[2]
    item = room.items[0].id
    new_client(page, "Hana Https", assessor="Sam OT")
    open_page(page, "/about-me")
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "Kettle too heavy")
    add_photo(page, item, big_photo())
    page.wait_for_selector(f"[data-photo='{item}'][data-photo-stored='true']")

    open_page(page, "/plan")
    page.wait_for_selector("text=Kettle too heavy")
    with page.expect_download() as download:
        page.click("[data-download-pdf] >> nth=0")
    assert "Kettle too heavy" in text_of(download.value.path())

    open_page(page, "/visit")
    with page.expect_download() as download:
        page.click("[data-ot-report]")
    reader = PdfReader(download.value.path())
    assert len({image.name for p in reader.pages for image in p.images}) == 1

    # Every POST went over HTTPS with Chromium's own same-origin Referer, and none was refused.
    assert {url.split("?")[0].removeprefix(https_server.url) for url, _, _ in page.posts} >= {
        "/api/plan",
        "/plan.pdf",
        "/ot-report.pdf",
    }
    for url, headers, response in page.posts:
        assert headers.get("referer", "").startswith(https_server.url + "/"), url
        assert response.status == 200, url

"""The installable-app files over HTTP: the service worker, the manifest and its icons, the offline page."""

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from pwa import ROOT, create_app

STATIC = ROOT / "static"


def precache_list(body: str) -> list[str]:
    return json.loads(re.search(r"^const PRECACHE = (.*);$", body, re.MULTILINE).group(1))


def png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG", f"{path.name} is not a PNG"
        return image.size


def test_service_worker_is_served_from_the_root_as_javascript_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304  # the browser's update check stays cheap


def test_service_worker_keeps_every_page_of_the_walk_and_every_static_file_the_pages_use(client, app, content):
    body = client.get("/sw.js").get_data(as_text=True)
    urls = precache_list(body)
    for section in content.sections:
        assert f"/rooms/{section.id}" in urls
    for page in ("/", "/about-me", "/summary", "/red-flags", "/offline"):
        assert page in urls
    if "plan.page" in app.view_functions:
        assert "/plan" in urls
    on_disk = {"/static/" + p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file()}
    # Only the renderers read the PDF's stylesheets and image; no page shows a vendored library's licence.
    not_for_pages = {
        "/static/css/pdf.css",
        "/static/css/pdf-large.css",
        "/static/css/answer-boxes.png",
        "/static/vendor/qrcode-generator/LICENSE",
        "/static/vendor/qrcode-generator/README.md",
    }
    assert not_for_pages <= on_disk and not (not_for_pages & set(urls))
    assert on_disk - not_for_pages <= set(urls)
    assert "/static/js/sw-register.js" in urls and "/manifest.webmanifest" in urls
    assert not [u for u in urls if u.startswith("/api/") or u.endswith((".pdf", ".ics"))]
    assert len(urls) == len(set(urls))


def test_every_url_the_service_worker_keeps_answers_200(client):
    # One failing URL would make the browser refuse to install the worker: no offline at all.
    for url in precache_list(client.get("/sw.js").get_data(as_text=True)):
        assert client.get(url).status_code == 200, url


def test_cache_version_is_in_the_worker_and_follows_the_release():
    app = create_app({"TESTING": True})
    version = app.extensions["safesteps.cache_version"]
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    body = app.test_client().get("/sw.js").get_data(as_text=True)
    assert f'const VERSION = "{version}";' in body
    # Computed once, from the bytes: a second start of the same release agrees.
    assert create_app({"TESTING": True}).extensions["safesteps.cache_version"] == version

    pinned = create_app({"TESTING": True, "CACHE_VERSION": "test-release-2"})
    assert 'const VERSION = "test-release-2";' in pinned.test_client().get("/sw.js").get_data(as_text=True)


def test_cache_version_changes_when_a_static_file_or_the_content_changes(tmp_path):
    import shutil

    from pwa.content import DEFAULT_DIR

    content_dir = tmp_path / "checklists"
    shutil.copytree(DEFAULT_DIR, content_dir)
    before = create_app({"TESTING": True, "CONTENT_DIR": str(content_dir)}).extensions["safesteps.cache_version"]
    meta = content_dir / "content.yaml"
    meta.write_text(meta.read_text() + "\n# a wording change\n")
    after = create_app({"TESTING": True, "CONTENT_DIR": str(content_dir)}).extensions["safesteps.cache_version"]
    assert before != after


def test_manifest_makes_the_app_installable(client):
    page = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="manifest" href="([^"]+)"', page).group(1)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"', page)
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "SafeSteps" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5560" and manifest["background_color"]

    sizes = {}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        assert client.get(icon["src"]).status_code == 200
        width, height = png_size(STATIC / icon["src"].removeprefix("/static/"))
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]
    assert png_size(STATIC / "icons/apple-touch-icon.png") == (180, 180)


@pytest.mark.parametrize("name", ["icon-maskable-192.png", "icon-maskable-512.png", "apple-touch-icon.png"])
def test_maskable_and_apple_icons_fill_the_whole_square(name):
    # The platform cuts these to its own shape: a transparent corner would show as black or white.
    with Image.open(STATIC / "icons" / name) as image:
        assert image.mode in ("RGB", "RGBA")
        assert image.mode == "RGB" or image.getchannel("A").getextrema() == (255, 255)


def test_offline_page_reassures_and_links_every_room(client, content):
    response = client.get("/offline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This page needs a connection. Your answers are safe on this device." in page
    for section in content.sections:
        assert f'href="/rooms/{section.id}"' in page
    assert "<script>" not in page and " style=" not in page


def test_every_page_names_its_release_for_the_update_notice(client):
    # The page's script compares it with the waiting worker's release: only a newer one is announced.
    pinned = create_app({"TESTING": True, "CACHE_VERSION": "test-release-3"}).test_client()
    for url in ("/", "/rooms/kitchen", "/offline"):
        page = pinned.get(url).get_data(as_text=True)
        notice = re.search(r"<p class=\"update-notice\" data-update-notice ([^>]*)>([^<]*)</p>", page)
        assert notice and 'data-release="test-release-3"' in notice.group(1) and " hidden" in notice.group(1), url
        assert "next page you open will show the new version" in notice.group(2)


def test_the_worker_answers_pages_from_one_release_and_hands_over_at_a_navigation(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert "NETWORK_TIMEOUT_MS" in body  # kept for pages outside the precache only
    install = body.split('self.addEventListener("install"')[1].split("self.addEventListener(")[0]
    assert "skipWaiting" not in install  # a new release waits for the hand-over, never cuts in
    assert '"take-over"' in body and "skipWaiting()" in body

"""The installable-app files: the service worker at /sw.js, the install manifest and the offline fallback page.

Each language has its own (/es/sw.js, /es/manifest.webmanifest...: pwa/i18n.py), keeping its own pages.

The service worker is rendered from ``templates/sw.js`` with two things only the server knows: the list of
URLs to keep offline (every page of the walk, derived from the app and the content, and every file under
static/ that the pages use) and the cache version. The version is a hash of everything those URLs serve (static files,
templates, the content files and their version, the package version), computed once at start-up, so a new
release always changes the worker's bytes: the browser installs it, and its activation deletes the old cache.
Tests can pin it with the app setting ``CACHE_VERSION`` (``SAFESTEPS_CACHE_VERSION`` in the environment).
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask_babel import gettext as _

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, request_language
from . import content

bp = Blueprint("pwa", __name__)

EXTENSION_KEY = "safesteps.cache_version"
# Blueprints whose argument-free GET routes are pages of the walk (the plan page joins when it exists).
PAGE_BLUEPRINTS = ("walk", "plan")
# Never kept offline: server answers that depend on what is sent, and files made to be downloaded.
NEVER_CACHED_PREFIXES = ("/api/",)
NEVER_CACHED_SUFFIXES = (".pdf", ".ics")
# Files under static/ that no page uses, so no phone needs them offline: the PDF's own stylesheets and image
# (only the renderers read them), and a vendored library's licence and read-me.
PDF_ONLY = ("css/pdf.css", "css/pdf-large.css", "css/answer-boxes.png")
NOT_FOR_PAGES = ("LICENSE", "README")


def for_pages(relative: str) -> bool:
    """Whether a file under static/ (its path there) is one the pages use, and so kept offline."""
    name = relative.rsplit("/", 1)[-1]
    return relative not in PDF_ONLY and not name.startswith(".") and not name.upper().startswith(NOT_FOR_PAGES)


def package_version() -> str:
    try:
        return version("safesteps")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def _files(directory: Path):
    return sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def compute_cache_version(app: Flask) -> str:
    """A short hash of every byte the service worker keeps offline, or that shapes the pages it keeps."""
    digest = hashlib.sha256()
    digest.update(f"package={package_version()}\n".encode())
    digest.update(f"content={app.extensions['safesteps.content'].version}\n".encode())
    digest.update(f"place={app.config['PLACE']}\n".encode())  # the pages carry its emergency number
    digest.update(f"service={app.extensions['safesteps.service']!r}\n".encode())  # and the service's name and number
    roots = [Path(app.static_folder), Path(app.template_folder), Path(app.config["CONTENT_DIR"])]
    roots.append(Path(app.root_path).parent / "translations")  # the page words of every language
    for root in roots:
        for path in _files(root):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def init_cache_version(app: Flask) -> None:
    """Compute the cache version once, at start-up."""
    app.extensions[EXTENSION_KEY] = compute_cache_version(app)


def cache_version() -> str:
    return current_app.config["CACHE_VERSION"] or current_app.extensions[EXTENSION_KEY]


@bp.app_context_processor
def release():
    """Every page names its release, so that its script can tell whether a waiting service worker is newer."""
    return {"cache_version": cache_version()}


def _cacheable(url: str) -> bool:
    url = url.removeprefix(request.script_root)
    return not url.startswith(NEVER_CACHED_PREFIXES) and not url.endswith(NEVER_CACHED_SUFFIXES)


def page_urls() -> list[str]:
    """Every page of the walk: the argument-free pages of the page blueprints, and one per room."""
    urls = []
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS and "GET" in rule.methods and not rule.arguments:
            urls.append(url_for(rule.endpoint))
    urls += [url_for("walk.room", section_id=section.id) for section in content().sections]
    urls += [url_for("pwa.offline"), url_for("pwa.manifest")]
    return sorted({u for u in urls if _cacheable(u)}, key=lambda u: (u != "/", u))


def static_urls() -> list[str]:
    root = Path(current_app.static_folder)
    relative = [path.relative_to(root).as_posix() for path in _files(root)]
    return [url_for("static", filename=name) for name in relative if for_pages(name)]


def precache_urls() -> list[str]:
    return [u for u in page_urls() + static_urls() if _cacheable(u)]


@bp.get("/sw.js")
def service_worker():
    # One worker per language, each at its own prefix (/sw.js, /es/sw.js) with its own pages and cache.
    root = request.script_root
    language = request_language()
    body = render_template(
        "sw.js",
        version=cache_version(),
        cache_prefix="safesteps-" if language == DEFAULT_LANGUAGE else f"safesteps-{language}-",
        other_prefixes=[f"safesteps-{code}-" for code in LANGUAGES if code != DEFAULT_LANGUAGE and code != language],
        precache=precache_urls(),
        offline_url=url_for("pwa.offline"),
        static_prefix=root + current_app.static_url_path + "/",
        never_prefixes=[root + prefix for prefix in NEVER_CACHED_PREFIXES],
        never_suffixes=list(NEVER_CACHED_SUFFIXES),
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    # The browser must ask every time, so a new release is found at once; the ETag keeps that cheap.
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest():
    """The install manifest, in the page's language: its name, description and start page."""
    icons = [
        {"src": url_for("static", filename=f"icons/{name}.png"), "sizes": size, "type": "image/png", "purpose": purpose}
        for name, size, purpose in (
            ("icon-192", "192x192", "any"),
            ("icon-512", "512x512", "any"),
            ("icon-maskable-192", "192x192", "maskable"),
            ("icon-maskable-512", "512x512", "maskable"),
        )
    ]
    body = {
        "id": url_for("walk.index"),
        "name": "SafeSteps",
        "short_name": "SafeSteps",
        "description": _(
            "Check your home and your daily movements for fall risks, room by room, and print an action plan."
        ),
        "lang": request_language(),
        "dir": "ltr",
        "start_url": url_for("walk.index"),
        "scope": url_for("walk.index"),
        "display": "standalone",
        "orientation": "any",
        "theme_color": "#0b5560",
        "background_color": "#ffffff",
        "categories": ["health", "medical"],
        "icons": icons,
    }
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/offline")
def offline():
    return render_template("offline.html", sections=content().sections)

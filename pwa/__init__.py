"""SafeSteps: a Flask app that walks a person room by room through fall-prevention and exercise safety."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, request

from .assessment import browser_contract
from .content import DEFAULT_DIR, load_content
from .errors import register_error_handlers
from .extensions import csrf
from .template_helpers import register_template_helpers

ROOT = Path(__file__).resolve().parent.parent

# Strict by design: no inline scripts, styles or event handlers anywhere, and nothing from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; "
    # Home-visit photos are shown from Blobs kept in IndexedDB (URL.createObjectURL): blob: images, no wider.
    "img-src 'self' blob:"
)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_mapping(
        # The secret only signs the CSRF token's session cookie; no health data is ever stored in a session.
        # Set SAFESTEPS_SECRET_KEY when running several processes, so that they agree.
        SECRET_KEY=secrets.token_hex(32),
        CONTENT_DIR=str(DEFAULT_DIR),
        # Pins the offline cache's version (tests use it); by default it is a hash of what the cache holds.
        CACHE_VERSION=None,
        # An assessment is a few kB; anything near this is not one of ours.
        MAX_CONTENT_LENGTH=256 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
    )
    # SAFESTEPS_SECRET_KEY, SAFESTEPS_CONTENT_DIR, ...: every setting can come from the environment.
    app.config.from_prefixed_env("SAFESTEPS")
    if test_config:
        app.config.update(test_config)

    # Loaded and validated once: a broken checklist stops the app here, with the file and id in the message.
    app.extensions["safesteps.content"] = load_content(app.config["CONTENT_DIR"])
    csrf.init_app(app)
    register_error_handlers(app)
    register_template_helpers(app)

    from .views import api, plan, pwa, walk

    for blueprint in (walk.bp, api.bp, plan.bp, pwa.bp):
        app.register_blueprint(blueprint)
    # The service worker's cache version: a hash of everything it keeps, computed once, here at start-up.
    pwa.init_cache_version(app)

    contract = browser_contract()

    @app.context_processor
    def page_globals():
        return {"content_version": app.extensions["safesteps.content"].version, "assessment_contract": contract}

    @app.after_request
    def revalidate_pages(response):
        # Pages are the same for everyone in a release: an ETag lets a repeat visit come back as a 304 of a
        # few hundred bytes instead of the whole page.
        if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
            response.add_etag()
            response = response.make_conditional(request)
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    return app

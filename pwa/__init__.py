"""SafeSteps: a Flask app that walks a person room by room through fall-prevention and exercise safety."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, request
from werkzeug.local import LocalProxy
from werkzeug.middleware.proxy_fix import ProxyFix

from . import caching, i18n, service
from .assessment import browser_contract
from .content import DEFAULT_DIR, DEFAULT_PLACE, load_content
from .errors import register_error_handlers
from .extensions import babel, compress, csrf, limiter
from .i18n import current_content
from .pdf import RENDER_SECONDS, RenderPool
from .template_helpers import register_template_helpers
from .views import apply_body_limit

ROOT = Path(__file__).resolve().parent.parent

# Strict by design: no inline scripts, styles or event handlers anywhere, and nothing from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; "
    # Home-visit photos are shown from Blobs kept in IndexedDB (URL.createObjectURL): blob: images, no wider.
    "img-src 'self' blob:"
)
# Nothing here uses a device feature except the camera, which home-visit mode will use for photos on room pages
# (<input capture>). Allowed for this origin on every page rather than per page, so that a page added later
# needs no header of its own; every other origin, and every frame from one, is denied.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# Sent only over HTTPS (behind a proxy, with PROXY_FIX set so the app can tell): one year, subdomains too.
HSTS = "max-age=31536000; includeSubDomains"
# Not "no-referrer": over HTTPS the CSRF check (WTF_CSRF_SSL_STRICT) refuses a POST whose Referer is missing or
# from another origin. templates/base.html says the same in a <meta>: every page carries its policy itself, and
# the changed template gives a new cache version, so no device goes on serving pages kept with "no-referrer".
REFERRER_POLICY = "same-origin"
SECRET_KEY_FILE = "secret_key"


def instance_secret_key(instance_path: str) -> str:
    """The secret key kept in the instance folder, made on first use with owner-only permissions (0600).

    Every worker of a server, and every restart, reads the same key, so CSRF tokens stay valid across them. The
    first process to start writes it; others that start at the same moment read what it wrote (the key is
    written to a temporary file and linked into place, so no one reads half a key).
    """
    folder = Path(instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        temporary = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # fails if another process got there first: then its key is the key
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _chunked_bodies_are_terminated(wsgi_app):
    """gunicorn de-chunks a chunked body and ends the stream where the body ends, but does not say so with
    `wsgi.input_terminated`; Werkzeug then reads such a body as empty (a 400). Saying so lets Werkzeug read it
    through its size limit, so a chunked body over MAX_CONTENT_LENGTH gets a 413 like any other."""

    def middleware(environ, start_response):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            environ.setdefault("wsgi.input_terminated", True)
        return wsgi_app(environ, start_response)

    return middleware


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        # The secret only signs the CSRF token's session cookie; no health data is ever stored in a session.
        # None: made once and kept in the instance folder (instance_secret_key). SAFESTEPS_SECRET_KEY overrides.
        SECRET_KEY=None,
        # Where the secret key is kept (None: instance/ beside the package).
        INSTANCE_PATH=None,
        CONTENT_DIR=str(DEFAULT_DIR),
        # The place the app is set up for (checklists/places.yaml): the emergency number in the warning signs.
        PLACE=DEFAULT_PLACE,
        # The service running SafeSteps (pwa/service.py): its name, shown on every page and PDF, and its 24-hour
        # number, everyone's care-team number until they give their own. Empty: none.
        SERVICE_NAME="",
        CARE_LINE_NUMBER="",
        # Pins the offline cache's version (tests use it); by default it is a hash of what the cache holds.
        CACHE_VERSION=None,
        # An assessment is a few kB; anything near this is not one of ours.
        MAX_CONTENT_LENGTH=256 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        # Behind HTTPS set SAFESTEPS_SESSION_COOKIE_SECURE=true, and SAFESTEPS_PROXY_FIX to the number of proxies
        # in front (1 for one nginx), so the app sees the client's address and scheme from X-Forwarded-*.
        SESSION_COOKIE_SECURE=False,
        PROXY_FIX=0,
        # Rate limits per client address, in Flask-Limiter's notation. Only the POSTs that read an assessment
        # and the PDFs are limited. The store is memory:// (one process); redis://host:6379 shares it.
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_PDF="10 per minute; 60 per hour",
        RATELIMIT_API="120 per minute",
        # The export check reads a whole backup (up to 16 MB, a few seconds): an import is rare, so fewer.
        RATELIMIT_IMPORT="10 per minute",
        # PDF renderers (pwa/pdf/pool.py): separate processes per server process (0: in the request's thread),
        # how many more requests may wait for one and for how long, how many one client address may hold (and
        # have waiting), how long one render may take before it is stopped, and the memory (MB) past which a
        # renderer is replaced once its render is done.
        PDF_PROCESSES=2,
        PDF_QUEUE=4,
        PDF_WAIT_SECONDS=10,
        PDF_PER_ADDRESS=1,
        PDF_SECONDS=RENDER_SECONDS,
        PDF_RENDERER_MB=600,
        # `python -m pwa serve`: gunicorn's server processes and threads per process, unless its flags say.
        WORKERS=1,
        THREADS=16,
    )
    # SAFESTEPS_SECRET_KEY, SAFESTEPS_CONTENT_DIR, ...: every setting can come from the environment, and this is
    # the one place the app reads it (the command line reads its defaults from the config made here).
    app.config.from_prefixed_env("SAFESTEPS")
    if test_config:
        app.config.update(test_config)
    if app.config["INSTANCE_PATH"]:
        app.instance_path = os.path.abspath(app.config["INSTANCE_PATH"])
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    app.wsgi_app = _chunked_bodies_are_terminated(app.wsgi_app)
    # /es/... is the app in Spanish (pwa/i18n.py); inside ProxyFix, which may set SCRIPT_NAME first.
    i18n.init_app(app, babel, ROOT / "translations")
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)

    # Loaded and validated once: a broken checklist stops the app here, with the file and id in the message.
    # An unknown PLACE stops it here too.
    # One Content per language (checklists/<language>/ laid over the English): a missing or extra translation
    # stops the app here too. Views take the request's language (views.content()).
    contents = {code: load_content(app.config["CONTENT_DIR"], app.config["PLACE"], code) for code in i18n.LANGUAGES}
    app.extensions["safesteps.contents"] = contents
    app.extensions["safesteps.content"] = contents[i18n.DEFAULT_LANGUAGE]
    # Pages and PDFs alike (imported macros see globals, not a context processor's values): place.emergency_number,
    # in the request's language.
    app.add_template_global(LocalProxy(lambda: current_content().place), "place")
    service.init_app(app)
    # A home visit's room items: what the OT measures for each (checklists/measurements.yaml).
    app.add_template_global(lambda item_id: current_content().measurements_for(item_id), "measurements_for")
    # Before CSRF's check (which runs in before_request too): a view's own body limit is set before anything
    # reads the body.
    app.before_request(apply_body_limit)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    RenderPool.from_config(app.config).init_app(app)
    register_error_handlers(app)
    caching.init_app(app)
    register_template_helpers(app)

    from .views import api, plan, pwa, visits, walk

    for blueprint in (walk.bp, api.bp, plan.bp, visits.bp, pwa.bp):
        app.register_blueprint(blueprint)
    # The service worker's cache version: a hash of everything it keeps, computed once, here at start-up.
    pwa.init_cache_version(app)

    contract = browser_contract()

    @app.context_processor
    def page_globals():
        content = app.extensions["safesteps.content"]
        # Which part of a room each item is in ("outside-steps"): a part left out counts nowhere (static/js/parts.js).
        return {"content_version": content.version, "assessment_contract": contract, "parts_of_items": content.part_of}

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
        # Same-origin requests carry the Referer, which Flask-WTF's CSRF check demands over HTTPS (it must name this
        # host); no other site is ever told which page a person came from.
        response.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # No server name or version to look up known flaws by (Werkzeug and gunicorn keep to this one).
        response.headers["Server"] = "SafeSteps"
        return response

    return app

"""The page's language: English at /, Spanish under /es/, the page words' catalogs compiled at start-up.

Each language other than English lives under its own URL prefix (/es/...). A small WSGI middleware takes the
prefix off the path and puts it into SCRIPT_NAME, so the app serves the same routes, and url_for makes the
links of that language by itself. Pages, the service worker and its cache are then per language with nothing
more to key: /es/sw.js keeps /es/ pages. The device keeps the person's choice (static/js/language.js).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request
from flask_babel import lazy_gettext

# Each language by its own name, as the switch shows it. The first is the source language (the catalog's msgids).
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
ENVIRON_KEY = "safesteps.language"
ROOT_KEY = "safesteps.root"  # SCRIPT_NAME before the language's prefix


class LanguagePrefix:
    """WSGI middleware: /es/rest is the app's /rest in Spanish (SCRIPT_NAME gains /es)."""

    def __init__(self, wsgi_app, languages=LANGUAGES):
        self.wsgi_app = wsgi_app
        self.prefixes = {f"/{code}": code for code in languages if code != DEFAULT_LANGUAGE}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        environ[ROOT_KEY] = environ.get("SCRIPT_NAME", "")
        environ[ENVIRON_KEY] = DEFAULT_LANGUAGE
        for prefix, code in self.prefixes.items():
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ[ROOT_KEY] + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                environ[ENVIRON_KEY] = code
        return self.wsgi_app(environ, start_response)


def request_language() -> str:
    """The language of this request (its URL prefix); English outside a request (the command line)."""
    if has_request_context():
        return request.environ.get(ENVIRON_KEY, DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def current_content():
    """The content in this request's language (English outside a request)."""
    return current_app.extensions["safesteps.contents"][request_language()]


def compile_catalogs(source: Path) -> str:
    """The .po catalogs under `source` compiled to .mo in a folder of this process's own (build output is never
    committed; each server process compiles its own, so no two write one file). Returns the folder."""
    target = Path(tempfile.mkdtemp(prefix="safesteps-translations-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        out = target / po_path.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with out.open("wb") as mo_file:
            write_mo(mo_file, catalog)
    return str(target)


def language_links() -> dict:
    """For the switch on every page: this page in each language, and the page's own language."""
    if not has_request_context():  # a PDF made from the command line: English, no switch
        return {"page_language": DEFAULT_LANGUAGE, "language_links": [], "language_base": ""}
    here = request_language()
    root = request.environ.get(ROOT_KEY, "")
    path = request.full_path if request.query_string else request.path
    links = []
    for code, name in LANGUAGES.items():
        prefix = "" if code == DEFAULT_LANGUAGE else f"/{code}"
        links.append({"code": code, "name": name, "href": f"{root}{prefix}{path}", "current": code == here})
    return {"page_language": here, "language_links": links, "language_base": request.script_root}


def init_app(app: Flask, babel, translations: Path) -> None:
    app.wsgi_app = LanguagePrefix(app.wsgi_app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = compile_catalogs(translations)
    babel.init_app(app, default_locale=DEFAULT_LANGUAGE, locale_selector=request_language)
    # Words kept in a template's top-level {% set %} (plan_words.html, error_words.txt): Jinja keeps an imported
    # template's module, so these must be read in the request's language when shown, not when first imported.
    app.jinja_env.globals["_l"] = lazy_gettext
    app.context_processor(language_links)

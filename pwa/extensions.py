"""The Flask extensions, made once here and bound to the app in `create_app`."""

from flask import current_app, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect


class HeaderCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, taking the token from the X-CSRFToken header only: every POST the pages make
    sends it there (static/js/api.js). Flask-WTF would first look for it in the form, which parses a multipart
    body in before_request, before the view could take its render slot or say how large its body may be."""

    def _get_csrf_token(self):
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            if token := request.headers.get(header):
                return token
        return None


csrf = HeaderCSRFProtect()

# Page words through gettext: `_()` in templates and code. English is the source language.
babel = Babel()

# Pages, scripts, styles and JSON are sent compressed (a third of the bytes on a phone's first visit and in the
# service worker's download of the app). Responses under COMPRESS_MIN_SIZE (500 bytes) are sent as they are:
# /api/csrf-token stays below it, so its secret is never compressed next to other text (BREACH).
compress = Compress()

# Per client address (the real one behind a proxy: see PROXY_FIX). The store comes from the app setting
# RATELIMIT_STORAGE_URI: memory:// by default (one process), redis://host:port to share one limit between
# processes and hosts. Only what costs work is limited: the POSTs that read an assessment. Pages are not.
limiter = Limiter(key_func=get_remote_address)


def pdf_limit() -> str:
    return current_app.config["RATELIMIT_PDF"]


def api_limit() -> str:
    return current_app.config["RATELIMIT_API"]


def import_limit() -> str:
    return current_app.config["RATELIMIT_IMPORT"]

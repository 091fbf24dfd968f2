"""What a render may fetch. WeasyPrint would fetch any URL a document names (http, file:// of any local file,
with no timeout for file). A plan holds text a person typed, so the fetchers here serve only files inside the
app's static/ folder, and the resources given to one render, and refuse everything else. Notes are escaped by
Jinja before they get here; the fetcher is the second wall."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from .job import RESOURCE_SCHEME, resource_url

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"


class FetchRefused(ValueError):
    """A document asked for something outside the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs that resolve inside one folder (static/); refuses every other URL and scheme.

    No handler of the parent class is ever reached, so redirects, proxies and data: URLs cannot get round it.
    """

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = Path(root).resolve()
        self.base_url = path2url(str(self.root)) + ("" if path2url(str(self.root)).endswith("/") else "/")

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Refused to fetch {url!r}: only the app's own static files may be used.")
        # resolve() follows "..", and symlinks, before the check: nothing can climb out of the folder.
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"Refused to fetch {url!r}: it is not one of the app's static files.")
        return path

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path2url(str(path)), path.read_bytes(), headers={"Content-Type": media_type}, status=200
        )


class RenderFetcher(StaticOnlyFetcher):
    """The static-only fetcher, plus the resources given for one render, held in memory.

    `resources` maps a name to (bytes, media type); a document reaches one as ``render:<name>``. A name not
    given, and every other URL, is refused exactly as StaticOnlyFetcher refuses it. Made for one render and
    then dropped, so nothing given to one document can be fetched by another.
    """

    def __init__(self, resources: dict[str, tuple[bytes, str]], root: Path = STATIC_DIR):
        super().__init__(root)
        self.resources = dict(resources)

    url = staticmethod(resource_url)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() == RESOURCE_SCHEME:
            if parts.path not in self.resources or parts.netloc or parts.query or parts.fragment:
                raise FetchRefused(f"Refused to fetch {url!r}: it was not given to this document.")
            data, media_type = self.resources[parts.path]
            return URLFetcherResponse(url, data, headers={"Content-Type": media_type}, status=200)
        return super().fetch(url, headers)


_fetcher = StaticOnlyFetcher()


def fetcher() -> StaticOnlyFetcher:
    return _fetcher

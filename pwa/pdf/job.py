"""What one render is: the HTML (already escaped by Jinja), the paper, large print or not, and what this render
alone may fetch. Light on purpose (no WeasyPrint): the server process builds jobs, the renderers render them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Paper = Literal["a4", "letter"]
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}

# The scheme of resources given to one render (the photos of an OT report, a QR code): never a file or a host.
RESOURCE_SCHEME = "render"


def resource_url(name: str) -> str:
    """How a document names a resource given to its render alone (see fetch.RenderFetcher)."""
    return f"{RESOURCE_SCHEME}:{name}"


@dataclass(frozen=True)
class RenderJob:
    """One PDF to make. With several `htmls`, the first whose PDF has at most `fit_pages` pages is kept (the
    one-page summary lays itself out again with less on it); with one, it is simply rendered."""

    htmls: tuple[str, ...]
    paper: Paper = "a4"
    large: bool = False
    resources: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    fit_pages: int | None = None

    def __post_init__(self):
        if self.paper not in PAPERS:
            raise ValueError(f"Unknown paper size {self.paper!r}: use one of {', '.join(PAPERS)}.")

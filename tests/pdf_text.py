"""The words of a rendered PDF, read back out of it by Poppler's pdftotext (Debian's poppler-utils).

pdftotext reads a long PDF in a fraction of pypdf's time, and the suite reads hundreds. Tests that need the size
or the position of the text still use pypdf's visitor.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=32)
def _pages(pdf: bytes) -> tuple[str, ...]:
    # The same bytes (a checklist several tests read) are read once. pdftotext ends every page with a form feed.
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return tuple(" ".join(page.split()) for page in text.decode().split("\f")[:-1])


def pages_text(pdf: bytes | str | Path) -> list[str]:
    """Each page's text, with every run of whitespace (lines wrap anywhere) made one space."""
    return list(_pages(pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()))


def text_of(pdf: bytes | str | Path) -> str:
    """The whole document's text, pages joined, whitespace made single spaces."""
    return " ".join(pages_text(pdf))

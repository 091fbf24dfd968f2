#!/usr/bin/env python3
"""Writes pwa/pdf/glyphs.json, the page estimate's table of glyphs that take more room or time than a letter,
measured from the fonts installed here (fontTools, which WeasyPrint already uses).

    .venv/bin/python scripts/glyph_widths.py

- "wide": every character whose widest glyph in any installed font is over twice an average lowercase letter
  of Noto Sans (the PDF's font), with its width in such letters (U+FDFD is about 11). Fallback can draw a
  character from any installed font, so the widest one counts.
- "slow": characters a colour font has (emoji, and the variation selector that asks for one), beyond ASCII.
  Pango draws an emoji from the colour font even when a font named first has a plain glyph for it (DejaVu Sans
  has U+1F600), and a colour glyph takes far longer to render than a letter.
Run it again after installing or removing fonts on the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

OUT = Path(__file__).resolve().parent.parent / "pwa" / "pdf" / "glyphs.json"


def fonts(path: str):
    if path.lower().endswith((".ttc", ".otc")):
        yield from TTCollection(path, lazy=True).fonts
    else:
        yield TTFont(path, lazy=True)


def advances(font) -> dict[int, float]:
    """Each character's advance in em."""
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items() if glyph in metrics}


def is_colour(font) -> bool:
    return any(tag in font for tag in ("CBDT", "COLR", "sbix", "SVG "))


def main() -> int:
    files = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True)
    reference = advances(
        TTFont(subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans"], capture_output=True, text=True).stdout)
    )
    letter = sum(reference[ord(c)] for c in "abcdefghijklmnopqrstuvwxyz") / 26
    widest: dict[int, float] = {}
    colour: set[int] = set()
    for path in sorted(set(files.stdout.split())):
        for font in fonts(path):
            try:
                measured = advances(font)
            except Exception as exc:  # a font without the usual tables: say so, go on
                print(f"skipped {path}: {exc}", file=sys.stderr)
                continue
            if is_colour(font):
                colour.update(measured)
                continue
            for code, em in measured.items():
                widest[code] = max(widest.get(code, 0.0), em / letter)
    wide = {f"{code:X}": round(width + 0.05, 1) for code, width in sorted(widest.items()) if width > 2.0}
    slow = sorted(code for code in colour if code > 0x7F)
    ranges, start = [], None
    for index, code in enumerate(slow):
        if start is None:
            start = code
        if index + 1 == len(slow) or slow[index + 1] != code + 1:
            ranges.append([start, code])
            start = None
    OUT.write_text(json.dumps({"letter_em": round(letter, 4), "wide": wide, "slow": ranges}, indent=0) + "\n")
    print(
        f"{OUT.name}: {len(wide)} wide characters (widest {max(wide.values())}), {len(slow)} slow in {len(ranges)} ranges"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

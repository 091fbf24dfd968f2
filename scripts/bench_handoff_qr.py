"""Which QR codes still scan from paper: the printed plan's code, as rendered into the PDF (6.5 cm wide, see
static/css/pdf.css), rasterised at a given resolution (pdftoppm) and decoded with zxing-cpp. Prints, per
version and error-correction level, whether it decoded, and the largest hand-off link each version carries.
With --printed-size, each code is as wide as the printed plan makes it (its modules QR_MODULE_MM each, as in
the top corner of page one: version 18 is 4.7 cm), versions 10 to 30 at level M.

    .venv/bin/python scripts/bench_handoff_qr.py [--printed-size] [dpi ...]      (default: 150 100)
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import segno
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa import create_app  # noqa: E402
from pwa.handoff import printed_mm, qr_svg  # noqa: E402
from pwa.pdf import RenderFetcher, render_pdf  # noqa: E402


def scans(version: int, error: str, dpi: int, tmp: Path, printed_size: bool = False) -> bool:
    capacity = segno.make_qr("a", version=version, error=error, boost_error=False)  # check it exists
    text = "http://127.0.0.1:5000/handoff#" + "A" * 0
    # Fill the code to its capacity with base64url-like text, as a hand-off link would.
    import string

    alphabet = string.ascii_letters + string.digits + "-_"
    low, high = len(text), 3000
    while low < high:
        mid = (low + high + 1) // 2
        candidate = text + "".join(alphabet[(i * 7) % 64] for i in range(mid - len(text)))
        try:
            qr = segno.make_qr(candidate, version=version, error=error, boost_error=False)
        except segno.DataOverflowError:
            high = mid - 1
            continue
        low = mid
    filled = text + "".join(alphabet[(i * 7) % 64] for i in range(low - len(text)))
    qr = segno.make_qr(filled, version=version, error=error, boost_error=False)
    del capacity
    svg = qr_svg(qr)
    html = f'<section class="handoff-qr"><img class="qr" src="{RenderFetcher.url("qr.svg")}"></section>'
    if printed_size:
        mm = printed_mm(svg)
        html = f'<img src="{RenderFetcher.url("qr.svg")}" style="width: {mm}mm; height: {mm}mm">'
    pdf = render_pdf(html, resources={"qr.svg": (svg, "image/svg+xml")})
    (tmp / "qr.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(tmp / "qr.pdf"), str(tmp / "qr")], check=True
    )
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp / "qr.png"))]
    return found == [filled], len(filled)


def main() -> None:
    printed_size = "--printed-size" in sys.argv
    dpis = [int(a) for a in sys.argv[1:] if a != "--printed-size"] or [150, 100]
    levels, versions = (("m",), range(10, 31, 2)) if printed_size else (("m", "l"), range(20, 41, 2))
    with create_app({"TESTING": True}).app_context(), tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        print("dpi  level  version  link-chars  scans")
        for dpi in dpis:
            for error in levels:
                for version in versions:
                    ok, chars = scans(version, error, dpi, tmp, printed_size)
                    print(f"{dpi:>3}  {error.upper():>5}  {version:>7}  {chars:>10}  {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()

"""The hand-off to a person's own phone: their assessment inside a link's fragment (``/handoff#...``), which
browsers never send to a server. The QR code on the printed plan is drawn here with segno; the one on screen
is drawn in the browser (static/js/handoff.js) from the same kind of document, so it works offline.

The fragment is the assessment document, compact JSON, raw-deflated and base64url-encoded (what the browser's
CompressionStream("deflate-raw") makes). It never holds photos (they are never in the document) nor the last
visit's answers, and what only this device needs (its id, timestamps) is blanked. When the notes make it too
big for a QR code that scans from paper, they are left out and the copy says that the notes stay with the OT.
"""

from __future__ import annotations

import base64
import io
import json
import zlib

import segno

from .assessment import SCHEMA_VERSION, Assessment, parse_assessment, to_document

# The largest QR code printed: error correction level M, and at most this version (modules = 17 + 4 * version).
# Measured with scripts/bench_handoff_qr.py: printed 6.5 cm wide, versions up to 40 decode from a 150 dpi image
# of the page, but above 30 they start to fail at 75 dpi. 30 keeps a margin of two for worn paper and cameras:
# a link of up to 1,370 characters: every answer of a whole home without notes (leaving out "Doesn't apply" where needed).
QR_ERROR = "m"
QR_MAX_VERSION = 30


def handoff_document(assessment: Assessment, *, with_notes: bool = True, with_not_applicable: bool = True) -> dict:
    document = to_document(assessment)
    answers = {
        item_id: {**saved, "at": None, "note": saved["note"] if with_notes else ""}
        for item_id, saved in document["answers"].items()
        if (saved["answer"] is not None or (with_notes and saved["note"]))
        and (with_not_applicable or saved["answer"] != "na" or (with_notes and saved["note"]))
    }
    visit = {**document["visit"], "client_id": "", "previous": None, "note": ""}
    if not with_notes:
        visit["notes_kept_by_ot"] = any(saved.note for saved in assessment.answers.values())
    return {**document, "id": "", "created": None, "updated": None, "answers": answers, "visit": visit}


def compact(document: dict) -> dict:
    """The document with every field left at its default dropped (the version kept): the server reads it back
    as the same assessment, and the code stays small."""
    return {
        "schema": SCHEMA_VERSION,
        **parse_assessment(document).model_dump(mode="json", by_alias=True, exclude_defaults=True),
    }


def encode(document: dict) -> str:
    text = json.dumps(compact(document), separators=(",", ":"), ensure_ascii=False).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(text) + packer.flush()).rstrip(b"=").decode()


def decode(fragment: str) -> dict:
    data = base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4))
    return json.loads(zlib.decompress(data, -15))


def qr_for(url: str) -> segno.QRCode | None:
    """The QR code for a link, or None when it does not fit the largest code that scans from paper."""
    try:
        qr = segno.make_qr(url, error=QR_ERROR, boost_error=False)
    except segno.DataOverflowError:
        return None
    return qr if qr.version <= QR_MAX_VERSION else None


def handoff_link(base_url: str, assessment: Assessment) -> tuple[str, segno.QRCode, bool] | None:
    """The link, its QR code, and whether the notes are in it; None when even the smallest tier is too big.

    Tiers: everything; then without the "Doesn't apply" answers, which no plan shows; then without the notes too
    (static/js/handoff.js tries the same tiers for the code on screen)."""
    for with_notes, with_not_applicable in ((True, True), (True, False), (False, False)):
        document = handoff_document(assessment, with_notes=with_notes, with_not_applicable=with_not_applicable)
        url = f"{base_url.rstrip('/')}/handoff#{encode(document)}"
        qr = qr_for(url)
        if qr is not None:
            return url, qr, with_notes
    return None


def qr_svg(qr: segno.QRCode) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=1, border=4, xmldecl=False, dark="#000", light="#fff")
    return out.getvalue()

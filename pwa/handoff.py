"""The hand-off to a person's own phone: their assessment inside a link's fragment (``/handoff#...``), which
browsers never send to a server on their own.

One author: the browser (static/js/handoff.js) makes the link, for the code on screen (offline too) and for the
printed plan, which it sends with the PDF request. The fragment is the assessment document, compact JSON,
raw-deflated and base64url-encoded (CompressionStream("deflate-raw")), without what only the OT's device needs.
Format 2 (``"handoff": 2``) writes the answers as one character per item, in the order of handoff_order.txt,
with the notes and recommendations by item id beside them: without the ids the code is about half the size, so
it fits on the printed plan's first page. Links of format 1 (the answers by item id) still read the same.
The server only reads links: it decodes them with a cap on the expanded size, checks them, signs the ones it is
shown so a phone can tell a link this service made (``<fragment>.<signature>``), and draws the printed code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import re
import zlib
from pathlib import Path

import segno

from .assessment import Assessment, AssessmentError, OtAdvice, parse_assessment

# The largest QR code printed: error correction level M, and at most this version (modules = 17 + 4 * version).
# Measured with scripts/bench_handoff_qr.py: printed 6.5 cm wide, versions up to 40 decode from a 150 dpi image
# of the page, but above 30 they start to fail at 75 dpi. 30 keeps a margin of two for worn paper and cameras:
# a link of up to 1,370 characters: every answer of a whole home without notes (leaving out "Doesn't apply" where needed).
QR_ERROR = "m"
QR_MAX_VERSION = 30
QR_BORDER = 4
# A smaller code in the top corner of page one has modules this wide: a little wider than the 6.5 cm version 30
# code's 0.448 mm, which at 75 dpi failed to decode from 1 of 8 pixel offsets tried; 0.48 mm decoded from all 8
# (versions 14, 18 and 30; scripts/bench_handoff_qr.py --printed-size). Version 18 is then 4.7 cm.
QR_MODULE_MM = 0.48
# The largest code that fits in the top corner of the printed plan's page one with the whole warning-signs box
# still below it, on A4 and Letter (tests/test_handoff.py): a whole home's answers in a format 2 link.
QR_TOP_MAX_VERSION = 18
# A link longer than the largest QR code holds is not one this service made: refused before it is decoded.
LINK_MAX_CHARS = 3000
# Expanded, a link is an assessment: no larger than the largest request body the server reads (MAX_CONTENT_LENGTH).
EXPANDED_MAX_BYTES = 256 * 1024
# HMAC-SHA256 cut to 128 bits, base64url: 22 characters the browser keeps room for in the code.
SIGNATURE_BYTES = 16
SIGNATURE_CHARS = 22

_FRAGMENT = re.compile(r"[A-Za-z0-9_-]+")

# Format 2: the items in the order of their answer codes (append only, see the file), and the codes.
ITEM_ORDER: tuple[str, ...] = tuple(
    line.strip()
    for line in Path(__file__).with_name("handoff_order.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
# Fixed for good, like the order: a printed code keeps meaning what it meant. The plan page hands both to handoff.js.
NO_ANSWER = "-"
ANSWER_CODES: dict[str, str | None] = {"o": "ok", "f": "fix", "u": "unsure", "n": "na", NO_ANSWER: None}


class HandoffError(AssessmentError):
    """A link that cannot be read as a hand-off. `reason` names its words in templates/error_words.txt:
    damaged, too_large, or not_this_plan."""

    code = "bad-link"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def words_name(self) -> str:
        return f"link_{self.reason}"


def split_link(link: str) -> tuple[str, str]:
    """The fragment and its signature ("" when it has none)."""
    fragment, _, signature = link.partition(".")
    return fragment, signature


def decode(fragment: str) -> dict:
    """The document in a fragment, expanded at most to EXPANDED_MAX_BYTES: a small link that would expand to
    gigabytes is refused after reading that much."""
    if len(fragment) > LINK_MAX_CHARS:
        raise HandoffError("too_large")
    if not _FRAGMENT.fullmatch(fragment):
        raise HandoffError("damaged")
    try:
        data = base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4))
        unpacker = zlib.decompressobj(-15)
        text = unpacker.decompress(data, EXPANDED_MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise HandoffError("damaged") from None
    if len(text) > EXPANDED_MAX_BYTES or unpacker.unconsumed_tail:
        raise HandoffError("too_large")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise HandoffError("damaged") from None
    if not isinstance(document, dict):
        raise HandoffError("damaged")
    if "handoff" in document:
        return _expanded(document)
    return document


def _expanded(document: dict) -> dict:
    """A format 2 document as format 1: its answer codes, notes and recommendations as answers by item id."""
    codes = document.pop("answer_codes", "")
    notes = document.pop("notes", {})
    recommendations = document.pop("recommendations", {})
    if (
        document.pop("handoff") != 2
        or "answers" in document
        or not isinstance(codes, str)
        or len(codes) > len(ITEM_ORDER)
        or any(code not in ANSWER_CODES for code in codes)
        or not _texts_by_item(notes)
        or not _texts_by_item(recommendations)
    ):
        raise HandoffError("damaged")
    answers = {}
    # handoff.js cuts off the codes' tail of "-" (no answer): a code past the end is one.
    for item_id, code in zip(ITEM_ORDER, codes.ljust(len(ITEM_ORDER), NO_ANSWER), strict=True):
        note = notes.get(item_id, "")
        if code == NO_ANSWER and not note:
            continue
        answers[item_id] = {"answer": ANSWER_CODES[code], "note": note}
        if item_id in recommendations:
            answers[item_id]["ot"] = {"recommendation": recommendations[item_id]}
    # A note or recommendation for an item the codes leave out is not one handoff.js wrote.
    if not set(notes) | set(recommendations) <= set(answers):
        raise HandoffError("damaged")
    document["answers"] = answers
    return document


def _texts_by_item(value) -> bool:
    return isinstance(value, dict) and all(isinstance(text, str) and text for text in value.values())


def signature(secret: str | bytes, fragment: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, b"safesteps-handoff:" + fragment.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def made_here(secret: str | bytes, link: str) -> bool:
    fragment, given = split_link(link)
    return bool(given) and hmac.compare_digest(given, signature(secret, fragment))


def as_handed_off(assessment: Assessment) -> Assessment:
    """What a real hand-off carries, whatever a link says: no id or timestamps of the OT's device, no client
    record (a link can never add a visit to one of an OT's clients), no last visit and no visit note, and of the
    OT's advice on an item only the recommendation."""
    return assessment.model_copy(
        update={
            "id": "",
            "created": None,
            "updated": None,
            "answers": {
                k: v.model_copy(update={"at": None, "ot": _recommendation_only(v)})
                for k, v in assessment.answers.items()
            },
            "visit": assessment.visit.model_copy(update={"client_id": "", "previous": None, "note": ""}),
        }
    )


def _recommendation_only(answer) -> OtAdvice | None:
    """Of the OT's advice on an item, what the person's phone gets: the recommendation (their plan says it), not
    the measurements, photo captions or who and by when (handoff.js keeps the same)."""
    if answer.ot is None or not answer.ot.recommendation:
        return None
    return OtAdvice(recommendation=answer.ot.recommendation)


def read_link(link: str, *, as_made: bool = False) -> Assessment:
    """The assessment in a link, brought up to date and checked like any other, as a hand-off. `as_made`: a
    link the plan page made (to sign or print) must already be blank where a hand-off is (handoff.js blanks
    the same fields as as_handed_off; this check holds the two equal)."""
    assessment = parse_assessment(decode(split_link(link)[0]))
    handed = as_handed_off(assessment)
    if as_made and assessment != handed:
        raise HandoffError("not_this_plan")
    return handed


def is_handoff_of(handed: Assessment, assessment: Assessment) -> bool:
    """Whether a link holds this visit's plan: the same person and visit, every answer a plan shows, and
    nothing else (notes and "Doesn't apply" answers may be left out to fit the code)."""
    expected = as_handed_off(assessment)
    same_visit = handed.visit.model_copy(update={"notes_kept_by_ot": False}) == expected.visit.model_copy(
        update={"notes_kept_by_ot": False}
    )
    answers_fit = all(
        item_id in expected.answers
        and saved.answer == expected.answers[item_id].answer
        and saved.note in ("", expected.answers[item_id].note)
        for item_id, saved in handed.answers.items()
    )
    shown_kept = all(
        item_id in handed.answers for item_id, saved in expected.answers.items() if saved.answer not in (None, "na")
    )
    return (
        same_visit
        and answers_fit
        and shown_kept
        and handed.profile == expected.profile
        and handed.done == expected.done
        and handed.skipped == expected.skipped
    )


def notes_left_out(handed: Assessment, assessment: Assessment) -> bool:
    return any(
        saved.note and (item_id not in handed.answers or handed.answers[item_id].note != saved.note)
        for item_id, saved in assessment.answers.items()
    )


def qr_for(url: str) -> segno.QRCode | None:
    """The QR code for a link, or None when it does not fit the largest code that scans from paper."""
    try:
        qr = segno.make_qr(url, error=QR_ERROR, boost_error=False)
    except segno.DataOverflowError:
        return None
    return qr if qr.version <= QR_MAX_VERSION else None


def printed_mm(svg: bytes) -> float:
    """How wide a code drawn by qr_svg is printed (its quiet zone in): its modules, QR_MODULE_MM each."""
    return round(int(re.search(rb'width="(\d+)"', svg)[1]) * QR_MODULE_MM, 1)


def fits_top_corner(svg: bytes) -> bool:
    return int(re.search(rb'width="(\d+)"', svg)[1]) <= 17 + 4 * QR_TOP_MAX_VERSION + 2 * QR_BORDER


def qr_svg(qr: segno.QRCode) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=1, border=QR_BORDER, xmldecl=False, dark="#000", light="#fff")
    return out.getvalue()

"""Hypothesis strategies for malformed and hostile requests to every POST endpoint, and the checks every answer
must pass, shared by tests/test_fuzz.py and scripts/fuzz.py: assessments, export files to check, hand-off links,
and OT report (and health-record) forms with photos.

An example is (kind, value): "json" (a value sent as JSON), "raw" (bytes sent as they are) or "form" (the OT
report's fields and files)."""

from __future__ import annotations

import base64
import io
import json
import time
import zlib

from hypothesis import strategies as st
from PIL import Image
from werkzeug.datastructures import MultiDict

from pwa import pdf
from pwa.assessment import ANSWER_VALUES
from pwa.example import example_assessment

# What an attacker would type: markup, scripts, URLs WeasyPrint might fetch, CSS escapes, control characters.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '<img src="http://127.0.0.1:9/x.png">',
    '<link rel=stylesheet href="file:///etc/passwd">',
    "url(http://example.com/x)",
    "@import 'http://example.com/x.css';",
    "</p><iframe src=//example.com>",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\r\n",
    "\n" * 25,
    "&lt;b&gt;",
    "{{ 7*7 }}",
    "{% raw %}",
    "W" * 300,
    "\ud7ff",
    "漢字" * 50,
    # Lone UTF-16 surrogates: valid in JSON text, no character at all (they cannot be written as UTF-8).
    "\ud800",
    "\udfff",
    "a\ud83d",
    "\ude00b",
]
MARKUP = ("<script", "<img", "<svg", "<iframe", "<link")

text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    # Letters among lone surrogates (st.text leaves surrogates out unless asked).
    st.text(st.characters(categories=["Cs", "Ll"]), min_size=1, max_size=8),
    st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join),
)
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.just(10**4000), st.floats(allow_nan=False), text)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)),
    max_leaves=20,
)
item_ids = st.sampled_from(
    [
        "entrance.step-rail",
        "living.rugs",
        "kitchen.kettle",
        "bathroom.grab-bars-bath",
        "stairs.rails",
        "exercise.ask-first",
        "made.up-item",
    ]
)


def _maybe(strategy):
    return st.one_of(strategy, json_value)


answer = st.fixed_dictionaries(
    {},
    optional={
        "answer": _maybe(st.sampled_from([*ANSWER_VALUES, None])),
        "note": _maybe(text),
        "at": _maybe(st.sampled_from(["2026-11-20T10:00:00Z", "2026-02-31T10:00:00Z", "yesterday"])),
    },
)

# Shaped like an assessment, with hostile or wrong-typed values anywhere: most reach the plan, many are refused.
shaped = st.fixed_dictionaries(
    {"schema": st.sampled_from([4, 4, 2, 1, 3, True, "2", 2.0, None])},
    optional={
        "id": _maybe(text),
        "content_version": _maybe(text),
        "profile": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": _maybe(text),
                    "care_team_phone": _maybe(text),
                    "lifting_limit": _maybe(text),
                    "sites": _maybe(st.lists(st.sampled_from(["spine", "pelvis-hip", "ribs", "Spine!"]), max_size=3)),
                    "walking_aid": _maybe(st.sampled_from(["stick", "frame", None])),
                    "yes_no": _maybe(st.dictionaries(st.sampled_from(["dizziness", "x"]), json_leaf, max_size=2)),
                },
            )
        ),
        "answers": _maybe(st.dictionaries(item_ids, _maybe(answer), max_size=7)),
        "done": _maybe(
            st.dictionaries(item_ids, _maybe(st.sampled_from(["2026-11-22", "2026-13-01", ""])), max_size=3)
        ),
        "visit": _maybe(st.fixed_dictionaries({}, optional={"client": _maybe(text), "date": _maybe(text)})),
        "extra": json_value,
    },
)

# A whole, valid assessment with hostile text in one field that is printed: it reaches the plan and every PDF.
PRINTED = [
    ("profile", "name"),
    ("profile", "care_team_phone"),
    ("profile", "lifting_limit"),
    ("answers", "entrance.step-rail", "note"),
    ("visit", "client"),
    ("visit", "assessor"),
    ("visit", "note"),
    ("content_version",),
]


def _with_text(path: tuple[str, ...], value: str, home_visit: bool) -> dict:
    document = example_assessment()
    if home_visit:  # a home visit's plan PDF carries the hand-off QR code
        document["visit"].update(client_id="client-1", client="Mrs A Example", date="2026-11-25")
    field = document
    for key in path[:-1]:
        field = field.setdefault(key, {"answer": "fix"})
    field[path[-1]] = value
    return document


printed = st.builds(_with_text, st.sampled_from(PRINTED), text, st.booleans())

# What Python's json cannot read, or reads only to fail later: nesting deeper than its recursion limit, and an
# integer of more digits than it converts (4,300), in place of a field's value.
deep = st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth)
huge_integer = st.integers(4000, 6000).map(lambda digits: b"9" * digits)
in_a_field = st.tuples(
    st.sampled_from([b'{"schema": 4, "profile": {"name": %s}}', b'{"schema": 4, "visit": %s}', b'{"schema": %s}']),
    st.one_of(deep, huge_integer),
).map(lambda pair: pair[0] % pair[1])

# Anything at all as the body: JSON of any shape, or bytes that are not JSON.
body = st.one_of(
    printed.map(lambda doc: ("json", doc)),
    shaped.map(lambda doc: ("json", doc)),
    json_value.map(lambda doc: ("json", doc)),
    st.binary(max_size=200).map(lambda raw: ("raw", raw)),
    deep.map(lambda raw: ("raw", raw)),
    in_a_field.map(lambda raw: ("raw", raw)),
)

# ---------------------------------------------------------------- export files (POST /api/export-check)

photo_entry = _maybe(
    st.fixed_dictionaries(
        {
            "assessment": st.sampled_from(["v1", "v2", "nowhere"]),
            "item": item_ids,
            "type": st.sampled_from(["image/jpeg", "image/svg+xml"]),
            "width": st.sampled_from([1280, 0, 10**6]),
            "height": st.sampled_from([960, -1]),
            "bytes": st.sampled_from([1000, 10**12]),
            "at": st.sampled_from(["2026-11-25T10:00:00Z", "never"]),
        }
    )
)


@st.composite
def _export_file(draw) -> dict:
    """A clients file shaped like ours, its visits hostile: often valid enough to reach every check, visit ids
    shared between clients included."""
    clients = []
    for _ in range(draw(st.integers(0, 3))):
        client_id = draw(st.sampled_from(["c1", "c2", "c1", ""]))
        visits = []
        for _ in range(draw(st.integers(0, 3))):
            visit = draw(st.one_of(printed, shaped))
            if draw(st.booleans()):
                belongs = {
                    **(visit.get("visit") if isinstance(visit.get("visit"), dict) else {}),
                    "client_id": client_id,
                }
                visit = {**visit, "id": draw(st.sampled_from(["v1", "v2"])), "visit": belongs}
            visits.append(visit)
        client = {"id": client_id, "name": draw(_maybe(text)), "created": "2026-08-01T09:00:00Z", "visits": visits}
        clients.append({**client, "photos": draw(st.lists(photo_entry, max_size=2))})
    return {
        "format": draw(st.sampled_from(["safesteps-clients", "safesteps-clients", "other"])),
        "version": draw(st.sampled_from([1, 1, 2, True])),
        "exported": draw(st.sampled_from(["2026-11-25T10:00:00Z", "\ud800"])),
        "clients": clients,
    }


export_body = st.one_of(_export_file().map(lambda doc: ("json", doc)), body)

# ---------------------------------------------------------------- OT report forms (POST /ot-report.pdf)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


photo_file = st.tuples(
    st.sampled_from(["photo:living.rugs", "photo:kitchen.kettle", "photo:made.up-item", "photo:", "file"]),
    st.one_of(
        st.just(_jpeg()), st.binary(max_size=100).map(lambda junk: b"\xff\xd8\xff" + junk), st.binary(max_size=50)
    ),
)


def _as_field(sent) -> str:
    """An assessment as the form's text field: JSON text (lone surrogates escaped, as a browser sends them), or
    bytes that are not JSON."""
    kind, value = sent
    return json.dumps(value) if kind == "json" else value.decode("latin-1")


report_form = st.tuples(body.map(_as_field), st.lists(photo_file, max_size=3)).map(lambda form: ("form", form))

# Every POST endpoint and what is thrown at it.
# ---------------------------------------------------------------- hand-off links (POST /api/handoff/...)

# A link as the page sends it ({"link": ...}), hostile: any text, base64url-looking noise, a huge expansion
# (a deflate bomb), and the assessment bodies above in its place.
_link_text = st.one_of(text, st.from_regex(r"\A[A-Za-z0-9_-]{0,3000}(\.[A-Za-z0-9_-]{0,30})?\Z"))


def _as_link(document) -> str:
    """A link as handoff.js makes one (deflate-raw, base64url): hostile documents that do decode, so the checks
    after decoding are reached too."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return base64.urlsafe_b64encode(packed + packer.flush()).rstrip(b"=").decode()


def _format_2(document: dict, codes, notes, recommendations, version) -> dict:
    """A document written as a format 2 link (pwa/handoff.py), with hostile answer codes, notes and
    recommendations in place of its answers."""
    written = {k: v for k, v in document.items() if k != "answers"} if isinstance(document, dict) else {}
    return {"handoff": version, **written, "answer_codes": codes, "notes": notes, "recommendations": recommendations}


_by_item = st.dictionaries(st.one_of(item_ids, st.text(max_size=20)), st.one_of(text, json_value), max_size=5)
format_2 = st.builds(
    _format_2,
    st.one_of(printed, shaped),
    st.one_of(st.text(alphabet="ofun-", max_size=120), json_value),
    st.one_of(_by_item, json_value),
    st.one_of(_by_item, json_value),
    st.one_of(st.just(2), json_value),
)

handoff_body = st.one_of(
    _link_text.map(lambda link: ("json", {"link": link})),
    st.one_of(printed, shaped, format_2).map(lambda doc: ("json", {"link": _as_link(doc)})),
    json_value.map(lambda link: ("json", {"link": link})),
    body,
)

ENDPOINTS = {
    "/api/assessment": body,
    "/api/personalise": body,
    "/api/plan": body,
    "/api/export-check": export_body,
    "/plan.pdf?paper=letter&large=1": body,
    "/summary.pdf": body,
    "/ot-report.pdf": report_form,
    "/api/fhir/response": report_form,
    "/api/handoff/sign": handoff_body,
    "/api/handoff/open": handoff_body,
}

TIME_BOUND_S = 30  # CPU seconds; generous: the worst document within the limits renders in a few seconds


def fuzzing_client(app):
    """A test client that sends the CSRF token with every POST, as the pages do (one token serves a session)."""
    client = app.test_client()
    client.csrf_headers = {"X-CSRFToken": client.get("/api/csrf-token").get_json()["token"]}
    return client


def send(client, endpoint, sent):
    """The response, and the CPU time the request took in this thread, where the test client runs it (the PDF
    too, with PDF_PROCESSES=0): the work it cost, whatever else the machine is busy with."""
    kind, value = sent
    start = time.thread_time()
    if kind == "form":
        field, photos = value
        form = MultiDict([("assessment", field)])
        for name, blob in photos:
            form.add(name, (io.BytesIO(blob), "photo.jpg", "image/jpeg"))
        response = client.post(endpoint, data=form, content_type="multipart/form-data", headers=client.csrf_headers)
    else:
        data = json.dumps(value) if kind == "json" else value
        response = client.post(endpoint, data=data, content_type="application/json", headers=client.csrf_headers)
    return response, time.thread_time() - start


def check(response, elapsed, endpoint, fetched_urls):
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert elapsed < TIME_BOUND_S
    if response.status_code >= 400:
        problem = response.get_json()
        assert set(problem) == {"error", "message"}
    elif endpoint == "/api/plan":
        html = response.get_data(as_text=True)
        assert not any(marker in html for marker in MARKUP)
    for url in fetched_urls:
        assert url.startswith(pdf.fetcher().base_url), url
    fetched_urls.clear()

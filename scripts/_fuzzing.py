"""Hypothesis strategies for malformed and hostile assessments, and the checks every answer must pass: shared
by tests/test_fuzz.py and scripts/fuzz.py."""

from __future__ import annotations

import json
import time

from hypothesis import strategies as st

from pwa import pdf
from pwa.assessment import ANSWER_VALUES

TIME_BOUND_S = 30  # generous: the worst document within the limits renders in a few seconds

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
]
MARKUP = ("<script", "<img", "<svg", "<iframe", "<link")

text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join),
)
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
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
    {"schema": st.sampled_from([2, 2, 2, 1, 3, True, "2", 2.0, None])},
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

# Anything at all as the body: JSON of any shape, or bytes that are not JSON.
body = st.one_of(
    shaped.map(lambda doc: ("json", doc)),
    json_value.map(lambda doc: ("json", doc)),
    st.binary(max_size=200).map(lambda raw: ("raw", raw)),
    st.integers(1, 3000).map(lambda depth: ("raw", b"[" * depth + b"]" * depth)),
)

ENDPOINTS = ["/api/assessment", "/api/personalise", "/api/plan", "/plan.pdf?paper=letter&large=1"]


def send(client, endpoint, sent):
    kind, value = sent
    data = json.dumps(value) if kind == "json" else value
    start = time.monotonic()
    response = client.post(endpoint, data=data, content_type="application/json")
    return response, time.monotonic() - start


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

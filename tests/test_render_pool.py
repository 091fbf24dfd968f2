"""The one render pool (issue 18 item 2, issue 17 items 6, 7, 11): every PDF goes through it, a client address
gets only its share of the renderers, a short queue comes before "busy", photos that would blow up in the
renderer are refused before it, a renderer that grew too large is replaced; and the app imports light."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading

import pytest
from PIL import Image
from pypdf import PdfReader

from pwa import create_app
from pwa.example import example_assessment
from pwa.pdf import PhotoRefused, RenderBusy, RenderPool, check_photos, documents, render_pool

from .conftest import TEST_CONFIG


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def bomb(width=13_000, height=13_000) -> bytes:
    """A tiny JPEG whose header claims `width` x `height` pixels (its frame header rewritten)."""
    data = bytearray(jpeg((8, 8)))
    frame = data.index(b"\xff\xc0")  # baseline frame: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


# ------------------------------------------------------------------ light imports (issue 18 item 6)


@pytest.mark.parametrize(
    "code",
    [
        "import pwa.assessment",
        "from pwa import create_app; create_app({'TESTING': True, 'SECRET_KEY': 'x'})",
        "from pwa.__main__ import main; main(['schema']); main(['example'])",
    ],
    ids=["assessment", "create-app", "cli-schema-example"],
)
def test_the_app_and_the_light_commands_never_load_weasyprint(code):
    check = f"import sys; {code}; sys.stdout.flush(); print('WEASYPRINT', 'weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.splitlines()[-1] == "WEASYPRINT False"


# ------------------------------------------------------------------ one pool, an extension of the app


def test_each_app_has_its_own_pool_from_its_settings():
    app = create_app({**TEST_CONFIG, "PDF_QUEUE": 7, "PDF_PER_ADDRESS": 2})
    pool = render_pool(app)
    assert isinstance(pool, RenderPool) and (pool.queue, pool.per_address) == (7, 2)
    assert render_pool(create_app(TEST_CONFIG)) is not pool


def test_the_blank_checklist_renders_through_the_pool_once_a_day():
    app = create_app(TEST_CONFIG)  # its own pool: this test changes it
    # Every renderer taken: a checklist not made yet waits its turn like any PDF (here, refused at once).
    documents._checklists.clear()
    pool = render_pool(app)
    pool.wait = 0
    with pool.slot("someone else"):
        response = app.test_client().get("/checklist.pdf?paper=letter&large=1")
    assert response.status_code == 503
    response = app.test_client().get("/checklist.pdf?paper=letter&large=1")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # Made once: now it is served with every renderer taken.
    with pool.slot("someone else"):
        again = app.test_client().get("/checklist.pdf?paper=letter&large=1")
    assert again.status_code == 200 and again.data == response.data


def test_twenty_people_asking_for_the_blank_checklist_at_once_cost_one_render():
    app = create_app(TEST_CONFIG)  # its own pool: this test changes it
    documents._checklists.clear()
    pool, renders = render_pool(app), []
    real = pool.render_job
    pool.render_job = lambda job: (renders.append(job), real(job))[1]
    statuses = []

    def ask(number):
        response = app.test_client().get("/checklist.pdf", environ_base={"REMOTE_ADDR": f"198.51.100.{number}"})
        statuses.append(response.status_code)

    people = [threading.Thread(target=ask, args=(n,)) for n in range(20)]
    for person in people:
        person.start()
    for person in people:
        person.join(120)
    # One render; the others got it when it was made, or a "busy" at once when too many were waiting already.
    assert len(renders) == 1 and len(statuses) == 20 and set(statuses) <= {200, 503} and 200 in statuses


# ------------------------------------------------------------------ the share and the queue (issue 17 item 7)


def test_one_address_holds_only_its_share_and_the_others_still_get_a_renderer():
    # Even when set to more, an address never holds every renderer.
    assert RenderPool(processes=3, per_address=5).share == 2 and RenderPool(processes=0, per_address=5).share == 1
    pool = RenderPool(processes=2, queue=4, per_address=1, wait=0)
    with pool.slot("flooder"):
        with pytest.raises(RenderBusy), pool.slot("flooder"):
            pass  # its second request: the flooder's share is taken
        with pool.slot("someone else"):
            pass  # the other renderer is free for everyone else
    assert not pool._holding and not pool._waiting  # no address is remembered once its requests are done


def test_a_request_waits_in_the_queue_for_a_renderer_instead_of_being_busy():
    pool = RenderPool(processes=1, queue=2, per_address=1, wait=30)
    outcome = []

    def second():
        with pool.slot("b"):
            outcome.append("rendered")

    with pool.slot("a"):
        thread = threading.Thread(target=second)
        thread.start()
        # The queue holds it: the pool counts one waiting, and nothing was refused.
        with pool._turn:
            assert pool._turn.wait_for(lambda: pool._waiting["b"] == 1, timeout=10)
    thread.join(30)
    assert outcome == ["rendered"]


def test_the_queue_is_short_and_a_full_queue_is_busy_at_once():
    pool = RenderPool(processes=1, queue=1, per_address=1, wait=30)
    release = threading.Event()

    def hold():
        with pool.slot("a"):
            release.wait(30)

    def queue():
        with pool.slot("b"):
            pass

    holder, queued = threading.Thread(target=hold), threading.Thread(target=queue)
    holder.start()
    with pool._turn:
        assert pool._turn.wait_for(lambda: pool._holding["a"] == 1, timeout=10)
    queued.start()
    with pool._turn:
        assert pool._turn.wait_for(lambda: pool._waiting["b"] == 1, timeout=10)
    with pytest.raises(RenderBusy), pool.slot("c"):
        pass  # the queue is full: refused at once, not after the wait
    release.set()
    holder.join(30)
    queued.join(30)


# ------------------------------------------------------------------ photos and memory (issue 17 item 6)


def test_a_photo_claiming_too_many_pixels_is_refused_before_rendering(client, csrf_headers, content, monkeypatch):
    photo = bomb()
    assert len(photo) < 1000  # a few hundred bytes that would take gigabytes once decoded
    for claimed in (photo, bomb(60_000, 60_000)):  # the second is more than Pillow itself would open
        with pytest.raises(PhotoRefused, match="photo_too_large"):
            check_photos({"x": (claimed, "image/jpeg")})
    with pytest.raises(PhotoRefused, match="photo_unreadable"):
        check_photos({"x": (b"\xff\xd8\xff" + b"not a picture", "image/jpeg")})
    item = content.sections[0].items[0].id
    data = {"assessment": json.dumps(example_assessment(content.version))}
    data[f"photo:{item}"] = (io.BytesIO(photo), "photo.jpg", "image/jpeg")
    pool = render_pool(client.application)
    # Refused in the request: the renderer is never asked (a render here would fail the test).
    monkeypatch.setattr(pool, "render_job", None)
    response = client.post("/ot-report.pdf", data=data, headers=csrf_headers, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["error"] == "bad-photo"
    assert "photo" in response.get_json()["message"]


def test_many_photos_are_refused_together_when_they_add_up_to_too_many_pixels():
    check_photos({str(i): (jpeg((1280, 960)), "image/jpeg") for i in range(4)})  # a real visit's photos
    with pytest.raises(PhotoRefused):
        check_photos({str(i): (bomb(4000, 4000), "image/jpeg") for i in range(8)})


def test_a_renderer_whose_memory_grew_past_the_limit_is_replaced():
    roomy, tight = RenderPool(processes=1, queue=0, memory_mb=100_000), RenderPool(processes=1, queue=0, memory_mb=1)
    try:
        assert roomy.call(os.getpid) == roomy.call(os.getpid)  # kept while it stays small
        first = tight.call(os.getpid)
        assert tight.retired == 1 and tight.call(os.getpid) != first  # every renderer is over 1 MB
    finally:
        roomy.shutdown()
        tight.shutdown()


# ------------------------------------------------------------------ unbroken text (issue 17 item 11)


def test_an_unbroken_word_wraps_inside_the_ot_report_page(client, csrf_headers, content):
    word = "Handrail" * 30  # 240 letters, no space: far wider than the page
    document = example_assessment(content.version)
    item = content.sections[0].items[0].id
    document["answers"] = {item: {"answer": "fix", "note": word}}
    document["visit"] = {"client": word[:150], "client_id": "c1", "assessor": "Sam", "date": "2026-11-25"}
    data = {"assessment": json.dumps(document)}
    response = client.post("/ot-report.pdf", data=data, headers=csrf_headers, content_type="multipart/form-data")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert word[:150] not in text  # the client's name: broken in two lines, not one running off the page
    note = [line for line in text.splitlines() if "Handrail" in line and not line.startswith("Client")]
    assert word in "".join(note).replace("Note:", "").replace(" ", "")  # all of the note is printed
    assert all(len(line) < 100 for line in note)  # in pieces that fit the page

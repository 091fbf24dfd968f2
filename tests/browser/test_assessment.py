"""The assessment in a real browser: the page's scripts keep exactly the document the server defines, and hand
a document saved by an older release to the server once to bring it up to date, keeping the original."""

import copy

from pwa.assessment import SCHEMA_VERSION, parse_assessment, to_document

from .conftest import READ_STORE, open_page

PUT_CURRENT = """async ([doc]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("safesteps");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction(["assessments", "settings"], "readwrite");
    tx.objectStore("assessments").put(doc);
    tx.objectStore("settings").put(doc.id, "current");
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""

CURRENT = """async () => {
  const db = await new Promise((resolve) => { const r = indexedDB.open("safesteps"); r.onsuccess = () => resolve(r.result); });
  const get = (store, key) => new Promise((resolve) => {
    const request = db.transaction(store).objectStore(store).get(key);
    request.onsuccess = () => resolve(request.result);
  });
  const doc = await get("assessments", await get("settings", "current"));
  db.close();
  return doc;
}"""


def saved(page, action):
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")
    action()
    page.wait_for_selector("[data-saved-status]:has-text('Saved on this device')")


def css(item_id):
    return item_id.replace(".", "\\.")


def test_a_document_made_in_the_browser_round_trips_through_the_server_unchanged(page, content, live_server):
    open_page(page, "/about-me")
    saved(page, lambda: page.check("input[name='sites'][value='spine']"))
    saved(page, lambda: page.check("input[name='walking_aid'][value='stick']"))
    saved(page, lambda: page.check("input[name='screen.fallen'][value='yes']"))
    saved(page, lambda: page.check(f"input[name='yes_no.{content.profile.yes_no[0].id}'][value='no']"))
    saved(page, lambda: page.fill("#field-name", "Ann Example"))

    room = content.sections[0]
    first, second = room.items[0].id, room.items[1].id
    open_page(page, f"/rooms/{room.id}")
    saved(page, lambda: page.click(f"label[for='{first}--fix']"))
    page.locator(f"[data-item='{first}'] [data-note-details] summary").click()
    saved(page, lambda: page.fill(f"textarea[data-note='{first}']", "Loose <b>mat</b>, trailing space "))
    saved(page, lambda: page.click(f"label[for='{second}--na']"))

    open_page(page, "/plan")
    page.check(f"#done--{css(first)}")
    page.wait_for_selector(f".plan-todo [data-action='{first}'].is-done")  # ticked in place
    page.wait_for_function(f"""async () => Boolean((await ({CURRENT})()).done["{first}"])""")

    document = page.evaluate(CURRENT)
    assert document["schema"] == SCHEMA_VERSION and document["content_version"] == content.version
    # The server reads it without complaint and writes back the very same document.
    assert to_document(parse_assessment(copy.deepcopy(document))) == document
    echoed = page.evaluate(
        """async (doc) => {
        const token = (await (await fetch('/api/csrf-token')).json()).token;
        const response = await fetch('/api/assessment', {method: 'POST', body: JSON.stringify(doc),
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}});
        return [response.status, await response.json()];
    }""",
        document,
    )
    assert echoed == [200, {"assessment": document}]
    assert document["answers"][first]["note"] == "Loose <b>mat</b>, trailing space "
    assert document["done"] == {first: document["done"][first]} and len(document["done"][first]) == 10


def test_a_document_saved_by_an_older_release_is_brought_up_to_date_once(page, content):
    room = content.sections[0]
    kept, bare = room.items[0].id, room.items[1].id
    old = {
        # Version 1, as a hand-made file could hold it: a bare answer value, an item that no longer exists,
        # a done "date" that is not one, and a field version 1 ignored.
        "schema": 1,
        "id": "client-from-2025",
        "content_version": "2025-01-old",
        "created": "2025-05-01T10:00:00.000Z",
        "updated": "2025-05-01T10:05:00.000Z",
        "profile": {"sites": ["spine"], "care_team_phone": "0161 555 0100"},
        "answers": {
            kept: {"answer": "fix", "note": "Loose mat by the door", "at": "2025-05-01T10:05:00.000Z"},
            bare: "ok",
            "garage.old-ladder": {"answer": "fix", "note": "The ladder in the garage"},
        },
        "done": {bare: "last week"},
        "photos_from_a_newer_release": {"keep": True},
    }
    open_page(page, "/")
    page.evaluate(PUT_CURRENT, [old])

    with page.expect_response("**/api/assessment") as upgraded:
        open_page(page, f"/rooms/{room.id}")
    assert upgraded.value.ok
    assert page.is_checked(f"#{css(kept)}--fix") and page.is_checked(f"#{css(bare)}--ok")
    assert page.input_value(f"textarea[data-note='{kept}']") == "Loose mat by the door"

    doc = page.evaluate(READ_STORE, ["assessments", "client-from-2025"])
    assert doc["schema"] == SCHEMA_VERSION
    assert doc["content_version"] == "2025-01-old"  # what the answers were given against
    # Version 5 gave every answer a place for the OT's own advice (none here).
    assert doc["answers"][kept] == {**old["answers"][kept], "ot": None}
    assert doc["answers"][bare] == {"answer": "ok", "note": "", "at": None, "ot": None}
    assert doc["answers"]["garage.old-ladder"]["note"] == "The ladder in the garage"
    assert doc["profile"]["sites"] == ["spine"] and doc["profile"]["walking_aid"] is None
    assert doc["created"] == old["created"] and doc["done"] == {}
    # The document exactly as it was found is kept beside it.
    assert page.evaluate(READ_STORE, ["settings", "before-migration:client-from-2025:1"]) == old

    # Brought up to date once: the next page reads it as it is, and new answers land in it.
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/api/assessment" in request.url else None)
    saved(page, lambda: page.click(f"label[for='{room.items[2].id}--unsure']"))
    open_page(page, f"/rooms/{room.id}")
    assert requests == []
    doc = page.evaluate(READ_STORE, ["assessments", "client-from-2025"])
    assert set(doc["answers"]) == {kept, bare, "garage.old-ladder", room.items[2].id}


def test_a_document_from_a_newer_release_is_left_alone_and_never_written(page, content):
    room = content.sections[0]
    newer = {
        **to_document(parse_assessment({"id": "from-the-future"})),
        "schema": SCHEMA_VERSION + 1,
        "answers": {room.items[0].id: {"answer": "fix", "note": "", "at": None, "photo": "kept"}},
    }
    open_page(page, "/")
    page.evaluate(PUT_CURRENT, [newer])
    open_page(page, f"/rooms/{room.id}")
    page.click(f"label[for='{room.items[1].id}--ok']")
    page.wait_for_selector("[data-saved-status]:has-text('Not saved')")
    assert page.evaluate(READ_STORE, ["assessments", "from-the-future"]) == newer


def test_a_note_never_holds_more_line_breaks_than_the_server_keeps(page, content):
    from pwa.assessment import NOTE_LINE_BREAKS_MAX

    room = content.sections[0]
    item = room.items[0].id
    open_page(page, f"/rooms/{room.id}")
    saved(page, lambda: page.click(f"label[for='{item}--fix']"))
    page.locator(f"[data-item='{item}'] [data-note-details] summary").click()
    typed = "\n".join(f"line {n}" for n in range(NOTE_LINE_BREAKS_MAX + 10))
    saved(page, lambda: page.fill(f"textarea[data-note='{item}']", typed))
    note = page.evaluate(CURRENT)["answers"][item]["note"]
    assert note.count("\n") == NOTE_LINE_BREAKS_MAX and "line 29" in note  # nothing typed is lost
    assert page.input_value(f"textarea[data-note='{item}']") == note
    document = page.evaluate(CURRENT)
    assert to_document(parse_assessment(copy.deepcopy(document))) == document

"""Two tabs of one browser (one device): each page writes to the assessment it was opened for, whatever the
other tab opens or deletes meanwhile; and a save that fails says why."""

from pathlib import Path

from .conftest import open_page
from .test_clients import DUMP, answer, export_file, import_file, new_client, open_client, saved


def visits_of(page, name):
    return [doc for _, doc in page.evaluate(DUMP)["assessments"] if doc["visit"]["client"] == name]


def type_note(page, item_id, text):
    page.locator(f"[data-item='{item_id}'] [data-note-details]").evaluate("(details) => { details.open = true; }")
    page.fill(f"textarea[data-note='{item_id}']", text)


def note_of(doc, item_id):
    return doc["answers"].get(item_id, {}).get("note", "")


def test_each_tab_writes_to_its_own_client_and_a_deleted_one_is_never_written(context, page, content):
    room = content.sections[0]
    item = room.items[0].id
    new_client(page, "Ann Alpha", assessor="Sam OT")
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "first note for Ann")

    # Tab 2 opens another client: "current" on this device is now Bea's visit.
    tab2 = context.new_page()
    errors = []
    tab2.on("pageerror", lambda exc: errors.append(str(exc)))
    new_client(tab2, "Bea Beta", assessor="Sam OT")
    open_page(tab2, f"/rooms/{room.id}")

    # Tab 1 still shows Ann's room: what is typed there is Ann's.
    saved(page, lambda: type_note(page, item, "second note for Ann"))
    answer(tab2, item, "ok", "note for Bea")
    (ann,) = visits_of(page, "Ann Alpha")
    (bea,) = visits_of(page, "Bea Beta")
    assert note_of(ann, item) == "second note for Ann"
    assert note_of(bea, item) == "note for Bea" and bea["answers"][item]["answer"] == "ok"
    assert page.text_content("[data-visit-bar-client]") == "Ann Alpha"

    # Tab 2 deletes Ann; tab 1, still on Ann's room, is told, and nothing lands anywhere.
    open_page(tab2, "/clients")
    row = tab2.locator("[data-client]", has_text="Ann Alpha")
    row.locator("[data-delete]").click()
    row.locator("[data-delete-yes]").click()
    tab2.wait_for_selector("[data-client]:has-text('Ann Alpha')", state="detached")

    type_note(page, item, "typed after the delete")
    page.wait_for_selector("[data-saved-status]:has-text('deleted in another tab')")
    page.click(f"label[for='{room.items[1].id}--fix']")
    page.wait_for_selector("[data-saved-status]:has-text('deleted in another tab')")
    dump = page.evaluate(DUMP)
    assert "typed after the delete" not in str(dump)
    assert visits_of(page, "Ann Alpha") == []
    (bea_after,) = visits_of(page, "Bea Beta")
    assert bea_after["answers"] == bea["answers"]
    assert [client["name"] for _, client in dump["clients"]] == ["Bea Beta"]

    # A fresh page opens what is current (Bea's visit, opened last) and writes there.
    open_client(tab2, "Bea Beta")
    open_page(page, f"/rooms/{room.id}")
    assert page.text_content("[data-visit-bar-client]") == "Bea Beta"
    assert not errors, errors


# Chromium here refuses to lower a site's quota (Storage.overrideQuotaForOrigin: "Internal error"), so a full
# device is what IndexedDB does on one: a write throws a QuotaExceededError DOMException.
FILL_THE_DEVICE = """
const put = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (window.deviceFull) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  return put.apply(this, args);
};
"""


def test_a_full_device_is_reported_as_full(page, content):
    room = content.sections[0]
    item = room.items[0].id
    page.add_init_script(FILL_THE_DEVICE)
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "a first note")
    page.evaluate("window.deviceFull = true")
    type_note(page, item, "a note that does not fit")
    page.wait_for_selector("[data-saved-status]:has-text('This device is full')")
    assert "Free some space" in page.text_content("[data-saved-status]")
    page.evaluate("window.deviceFull = false")
    saved(page, lambda: type_note(page, item, "fits again"))


def test_an_import_onto_a_full_device_says_so_and_writes_nothing(context, browser, live_server):
    page = context.new_page()
    new_client(page, "Fay Full", assessor="Sam OT")
    open_page(page, "/clients")
    data = Path(export_file(page, "[data-export-all]").path()).read_bytes()
    fresh = browser.new_context(base_url=live_server)
    try:
        other = fresh.new_page()
        other.add_init_script(FILL_THE_DEVICE)
        open_page(other, "/clients")
        other.evaluate("window.deviceFull = true")
        result, words = import_file(other, "clients.json", data)
        assert result == "refused" and "This device is full" in words
        assert other.evaluate(DUMP)["clients"] == []
    finally:
        fresh.close()

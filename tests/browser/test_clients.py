"""Home visits in a real browser: several clients kept apart on one device, deleting one without a trace,
follow-up visits, photos, the OT report, and export/import."""

import base64
import io
import json

from PIL import Image
from pypdf import PdfReader

from .conftest import open_page
from .test_offline import wait_for_control

DUMP = """async () => {
  const db = await new Promise((resolve) => { const r = indexedDB.open("safesteps"); r.onsuccess = () => resolve(r.result); });
  const out = {};
  for (const name of db.objectStoreNames) {
    const tx = db.transaction(name);
    const store = tx.objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((r) => new Promise((resolve) => { r.onsuccess = () => resolve(r.result); })));
    out[name] = keys.map((key, i) => {
      const value = values[i];
      if (value && value.blob instanceof Blob) return [key, { ...value, blob: value.blob.size }];
      return [key, value];
    });
  }
  db.close();
  return out;
}"""


def css(item_id):
    return item_id.replace(".", "\\.")


def saved(page, action):
    page.evaluate("document.querySelector('[data-saved-status]').textContent = ''")
    action()
    page.wait_for_selector("[data-saved-status]:has-text('Saved on this device')")


def new_client(page, name, assessor=None):
    open_page(page, "/clients")
    page.fill("[data-new-client-name]", name)
    with page.expect_navigation(url="**/visit"):
        page.click("[data-new-client] button[type=submit]")
    page.wait_for_selector("body[data-restored='true']")
    if assessor is not None:
        saved(page, lambda: page.fill("#visit-assessor", assessor))


def open_client(page, name):
    open_page(page, "/clients")
    with page.expect_navigation(url="**/visit"):
        page.locator("[data-client]", has_text=name).locator("[data-open]").click()
    page.wait_for_selector("body[data-restored='true']")


def answer(page, item_id, value, note=None):
    saved(page, lambda: page.click(f"label[for='{item_id}--{value}']"))
    if note is not None:
        page.locator(f"[data-item='{item_id}'] summary").click()
        saved(page, lambda: page.fill(f"textarea[data-note='{item_id}']", note))


def test_three_clients_stay_apart_across_reloads_and_offline(page, context, content):
    room = content.sections[0]
    item = room.items[0].id
    clients = {"Ann Able": ("fix", "Loose mat"), "B.C.": ("ok", "Fine now"), "Cy Dee": ("na", "No porch")}
    open_page(page, "/")
    wait_for_control(page)
    for name, (value, note) in clients.items():
        new_client(page, name, assessor="Sam OT")
        open_page(page, f"/rooms/{room.id}")
        assert page.text_content("[data-visit-bar-client]") == name
        answer(page, item, value, note)

    context.set_offline(True)
    for name, (value, note) in clients.items():
        open_client(page, name)
        assert page.text_content("[data-client-name]") == name
        open_page(page, f"/rooms/{room.id}")
        page.reload()
        page.wait_for_selector("body[data-restored='true']")
        assert page.text_content("[data-visit-bar-client]") == name
        assert page.is_checked(f"#{css(item)}--{value}")
        assert page.input_value(f"textarea[data-note='{item}']") == note
        others = [n for v in clients.values() for n in v if n not in (value, note)]
        assert not any(other in page.input_value(f"textarea[data-note='{item}']") for other in others)

    open_page(page, "/clients")
    rows = page.locator("[data-client]")
    assert rows.count() == 3
    assert [rows.nth(i).locator("[data-client-name]").text_content() for i in range(3)] == sorted(clients)


def test_a_patient_alone_never_sees_the_client_list(page, content):
    room = content.sections[0]
    open_page(page, f"/rooms/{room.id}")
    assert page.is_hidden("[data-visit-bar]")
    assert page.is_hidden(f"[data-item='{room.items[0].id}'] [data-item-visit]")
    open_page(page, "/")
    assert page.locator("[data-client]").count() == 0

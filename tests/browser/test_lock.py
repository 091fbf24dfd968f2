"""The device lock for home-visit data (static/js/lock.js, store/sealing.js, store.js) in a real browser: nothing
of a client readable in IndexedDB, a wrong passphrase changes nothing, idle locking, passphrase change, locked
exports, and a person on their own is never asked."""

import base64
import json
from pathlib import Path

from .conftest import open_page
from .test_clients import add_photo, answer, big_photo, export_file, new_client, saved

PASSPHRASE = "blue kettle on the stairs"

# Every value of every store, as JSON: bytes (ArrayBuffer, typed arrays, Blobs) as base64, keys as "CryptoKey".
RAW_DUMP = """async () => {
  const db = await new Promise((resolve) => { const r = indexedDB.open("safesteps"); r.onsuccess = () => resolve(r.result); });
  const b64 = (buffer) => { let s = ""; for (const byte of new Uint8Array(buffer)) s += String.fromCharCode(byte); return btoa(s); };
  const plain = async (value) => {
    if (value instanceof Blob) return { bytes: b64(await value.arrayBuffer()) };
    if (value instanceof ArrayBuffer) return { bytes: b64(value) };
    if (ArrayBuffer.isView(value)) return { bytes: b64(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)) };
    if (value instanceof CryptoKey) return "CryptoKey";
    if (Array.isArray(value)) return Promise.all(value.map(plain));
    if (value && typeof value === "object") {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = await plain(v);
      return out;
    }
    return value;
  };
  const out = {};
  for (const name of db.objectStoreNames) {
    const store = db.transaction(name).objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((r) => new Promise((resolve) => { r.onsuccess = () => resolve(r.result); })));
    out[name] = [];
    for (const [i, key] of keys.entries()) out[name].push([key, await plain(values[i])]);
  }
  db.close();
  return out;
}"""


def leaks(dump, texts, byte_needles):
    """Where any of `texts` (as text, or as UTF-8 bytes) or `byte_needles` shows in plain form in the dump."""
    found = []
    for store, entries in dump.items():
        for key, value in entries:
            text = json.dumps([key, value], ensure_ascii=False)
            blobs = []

            def walk(node, blobs=blobs):
                if isinstance(node, dict):
                    if set(node) == {"bytes"}:
                        blobs.append(base64.b64decode(node["bytes"]))
                    for child in node.values():
                        walk(child)
                elif isinstance(node, list):
                    for child in node:
                        walk(child)

            walk(value)
            for needle in texts:
                if needle in text or any(needle.encode() in blob for blob in blobs):
                    found.append((store, key, needle))
            for needle in byte_needles:
                if any(needle in blob for blob in blobs):
                    found.append((store, key, "photo bytes"))
    return found


def set_lock(page, passphrase=PASSPHRASE):
    open_page(page, "/clients")
    page.fill("[data-lock-new]", passphrase)
    page.fill("[data-lock-again]", passphrase)
    page.click("[data-set-lock-form] button[type=submit]")
    page.wait_for_selector("[data-lock-on]:not([hidden])")


def unlock(page, passphrase):
    page.evaluate("document.querySelector('[data-unlock-status]').removeAttribute('data-result')")
    page.fill("[data-unlock-passphrase]", passphrase)
    page.click("[data-unlock-form] button[type=submit]")


def unlock_ok(page, passphrase=PASSPHRASE):
    unlock(page, passphrase)
    page.wait_for_selector("[data-clients-open]:not([hidden]) [data-client]")


def unlock_wrong(page, passphrase):
    unlock(page, passphrase)
    page.wait_for_selector("[data-unlock-status][data-result='wrong']")
    return page.text_content("[data-unlock-status]")


def sealed_parts(value):
    return [value[k] for k in ("sealed", "sealedBlob") if isinstance(value, dict) and k in value]


def without_tries(dump):
    """The dump less the count of wrong tries (kept so that a reload does not undo the wait)."""
    return {store: [e for e in entries if e[0] != "lock-tries"] for store, entries in dump.items()}


def test_the_lock_leaves_nothing_readable_and_a_wrong_passphrase_changes_nothing(page, content):
    page.clock.install()  # the wait after wrong passphrases is moved through, not sat out
    room = content.sections[0]
    item = room.items[0].id
    new_client(page, "Zelda Quillfeather", assessor="Sam Therapist")
    saved(page, lambda: page.fill("#visit-note", "Daughter Imogen present"))
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "Cracked tile beside the bath")
    add_photo(page, item, big_photo(800, 600))
    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] .plan")  # the cached plan holds the note too
    secrets = ["Zelda Quillfeather", "Cracked tile beside the bath", "Daughter Imogen present", "Sam Therapist"]

    before = page.evaluate(RAW_DUMP)
    stored_photo = base64.b64decode(next(v["blob"]["bytes"] for _, v in before["photos"]))
    photo_needles = [stored_photo[i : i + 48] for i in range(600, len(stored_photo) - 48, len(stored_photo) // 5)]
    found = {needle for _, _, needle in leaks(before, secrets, photo_needles)}
    assert found == {*secrets, "photo bytes"}, "the scan finds every secret while there is no lock"

    set_lock(page)
    assert page.is_visible("[data-client]:has-text('Zelda Quillfeather')")
    locked = page.evaluate(RAW_DUMP)
    assert leaks(locked, secrets, photo_needles) == []
    assert len(locked["photos"]) == 1 and len(locked["clients"]) == 1
    ivs = [part["iv"]["bytes"] for store in locked.values() for _, value in store for part in sealed_parts(value)]
    assert len(ivs) >= 6 and len(set(ivs)) == len(ivs), "a fresh IV for every sealed value"
    # A note written after the lock is set is sealed as it is written.
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[1].id, "fix", "Loose carpet edge on landing")
    assert page.input_value(f"textarea[data-note='{item}']") == "Cracked tile beside the bath"
    secrets.append("Loose carpet edge on landing")
    assert leaks(page.evaluate(RAW_DUMP), secrets, photo_needles) == []

    # Lock now: the list goes, the passphrase is asked.
    open_page(page, "/clients")
    page.click("[data-clients-open] [data-lock-now]")
    page.wait_for_selector("[data-unlock-form]:not([hidden])")
    assert "Zelda" not in page.inner_text("body")
    stored = page.evaluate(RAW_DUMP)
    assert not any(key == "lock-session" for key, _ in stored["settings"]), "locking forgets the key"

    # Wrong passphrases: said plainly, nothing changes; after three, a wait.
    words = [unlock_wrong(page, f"not the passphrase {n}") for n in range(3)]
    assert "not right" in words[0] and "Nothing has changed" in words[0]
    assert "wait 5 seconds" in words[2]
    assert without_tries(page.evaluate(RAW_DUMP)) == without_tries(stored)
    assert page.is_disabled("[data-unlock-form] button[type=submit]")
    # Even the right passphrase waits its turn (the form is sent as a keyboard user would, with Enter).
    page.evaluate("document.querySelector('[data-unlock-status]').removeAttribute('data-result')")
    page.fill("[data-unlock-passphrase]", PASSPHRASE)
    page.evaluate("document.querySelector('[data-unlock-form]').requestSubmit()")
    page.wait_for_selector("[data-unlock-status][data-result='wrong']")
    assert "wait" in page.text_content("[data-unlock-status]")
    assert page.is_hidden("[data-clients-open]")

    # After the wait, the right one brings everything back, on every page.
    page.clock.fast_forward(6_000)
    page.wait_for_selector("[data-unlock-form] button[type=submit]:not([disabled])", timeout=3_000)
    unlock_ok(page)
    assert page.text_content("[data-client-name]") == "Zelda Quillfeather"
    open_page(page, f"/rooms/{room.id}")
    assert page.text_content("[data-visit-bar-client]") == "Zelda Quillfeather"
    assert page.input_value(f"textarea[data-note='{item}']") == "Cracked tile beside the bath"
    assert page.get_attribute(f"[data-photo='{item}']", "data-photo-stored") == "true"


def test_the_app_locks_when_idle_and_a_new_passphrase_rewraps_only(page, content):
    # The page's clock is moved on: the minutes are real minutes to the app, but not sat out by the test.
    page.clock.install()
    room = content.sections[0]
    item = room.items[0].id
    new_client(page, "Idle Ida", assessor="Sam OT")
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "ok", "Rail is firm")
    set_lock(page)
    # The OT chooses how long the device may lie untouched.
    page.select_option("[data-lock-idle]", "120")
    page.wait_for_selector("[data-lock-status]:has-text('Saved.')")
    times = page.evaluate("async () => (await import('/static/js/store.js')).lockTimes()")
    assert times == {"idleSeconds": 120, "hiddenSeconds": 60}
    open_page(page, f"/rooms/{room.id}")
    assert page.input_value(f"textarea[data-note='{item}']") == "Rail is firm"
    # Not yet at 1 minute 50 seconds; at two minutes without a touch the room page gives way to the clients page,
    # locked. (Short waits: the clock was moved on, the test does not sit the minutes out.)
    page.clock.fast_forward("01:50")
    page.wait_for_timeout(500)
    assert page.url.endswith(f"/rooms/{room.id}")
    page.clock.fast_forward("00:11")
    page.wait_for_url("**/clients", timeout=5_000)
    page.wait_for_selector("[data-unlock-form]:not([hidden])")
    assert "Ida" not in page.inner_text("body")
    unlock_ok(page)
    assert page.text_content("[data-client-name]") == "Idle Ida"

    # Hidden for a minute (another app in front): locked too, well within the idle time.
    open_page(page, "/clients")
    page.evaluate(
        """() => {
          Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.clock.fast_forward("01:01")
    page.wait_for_selector("[data-unlock-form]:not([hidden])", timeout=5_000)
    page.evaluate(
        """() => {
          Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    unlock_ok(page)

    # A new passphrase wraps the same data key again: no record is rewritten.
    before = page.evaluate(RAW_DUMP)
    page.click("[data-lock-on] summary")
    page.fill("[data-lock-current]", PASSPHRASE)
    page.fill("[data-lock-change-new]", "a new passphrase for ida")
    page.fill("[data-lock-change-again]", "a new passphrase for ida")
    page.click("[data-change-lock-form] button[type=submit]")
    page.wait_for_selector("[data-lock-status]:has-text('The passphrase is changed')")
    after = page.evaluate(RAW_DUMP)
    for store in ("assessments", "clients", "derived"):
        assert after[store] == before[store], store
    old_lock = dict(before["settings"])["lock"]
    new_lock = dict(after["settings"])["lock"]
    assert new_lock["wrapped"] != old_lock["wrapped"] and new_lock["kdf"]["salt"] != old_lock["kdf"]["salt"]
    assert new_lock["kdf"]["iterations"] >= 600_000 and new_lock["kdf"]["hash"] == "SHA-256"

    page.click("[data-clients-open] [data-lock-now]")
    page.wait_for_selector("[data-unlock-form]:not([hidden])")
    assert "not right" in unlock_wrong(page, PASSPHRASE)
    unlock_ok(page, "a new passphrase for ida")


def test_a_locked_export_opens_in_another_browser_with_its_passphrase_only(page, browser, live_server, content):
    room = content.sections[0]
    item = room.items[0].id
    new_client(page, "Xavi Exported", assessor="Sam OT")
    open_page(page, f"/rooms/{room.id}")
    answer(page, item, "fix", "Handrail loose at the top")
    add_photo(page, item, big_photo(800, 600))
    set_lock(page)
    page.click("[data-export-all]")
    page.wait_for_selector("[data-export-lock-form]:not([hidden])")
    page.fill("[data-export-passphrase]", "file passphrase here")
    exported = export_file(page, "[data-export-lock-form] button[type=submit]")
    data = Path(exported.path()).read_bytes()
    locked = json.loads(data)
    assert locked["format"] == "safesteps-clients-locked" and locked["kdf"]["iterations"] >= 600_000
    for secret in (b"Xavi", b"Handrail loose", b"Sam OT"):
        assert secret not in data and secret not in base64.b64decode(locked["data"])

    other_context = browser.new_context(base_url=live_server)
    try:
        other = other_context.new_page()
        open_page(other, "/clients")
        empty = other.evaluate(RAW_DUMP)
        other.set_input_files(
            "[data-import]", files=[{"name": "clients.json", "mimeType": "application/json", "buffer": data}]
        )
        other.wait_for_selector("[data-import-lock-form]:not([hidden])")
        other.fill("[data-import-passphrase]", "a wrong passphrase")
        other.click("[data-import-lock-form] button[type=submit]")
        other.wait_for_selector("[data-transfer-status][data-result='refused']")
        assert "passphrase is not right" in other.text_content("[data-transfer-status]")
        assert other.evaluate(RAW_DUMP) == empty
        assert other.locator("[data-client]").count() == 0

        other.evaluate("document.querySelector('[data-transfer-status]').removeAttribute('data-result')")
        other.fill("[data-import-passphrase]", "file passphrase here")
        other.click("[data-import-lock-form] button[type=submit]")
        other.wait_for_selector("[data-transfer-status][data-result='imported']")
        assert other.locator("[data-client] [data-client-name]").all_text_contents() == ["Xavi Exported"]
        imported = other.evaluate(RAW_DUMP)
        assert len(imported["photos"]) == 1
    finally:
        other_context.close()


def test_a_person_on_their_own_is_never_asked_for_a_passphrase(page, content):
    room = content.sections[0]
    open_page(page, f"/rooms/{room.id}")
    answer(page, room.items[0].id, "fix", "My own note")
    for path in ("/", "/about-me", f"/rooms/{room.id}", "/plan", "/clients"):
        open_page(page, path)
        assert page.url.endswith(path), "no page sends a person to the passphrase"
    assert page.is_hidden("[data-unlock-form]") and page.is_visible("[data-lock-off]")
    assert page.evaluate("async () => (await import('/static/js/store.js')).lockState()") == "off"


def test_locking_in_one_tab_locks_the_others(page, context, content):
    new_client(page, "Tab Tess", assessor="Sam OT")
    set_lock(page)
    other = context.new_page()
    open_page(other, f"/rooms/{content.sections[0].id}")
    assert other.text_content("[data-visit-bar-client]") == "Tab Tess"
    other.click("[data-visit-bar] [data-lock-now]")
    other.wait_for_url("**/clients")
    page.wait_for_selector("[data-unlock-form]:not([hidden])")
    assert "Tess" not in page.inner_text("body")
    other.wait_for_selector("[data-unlock-form]:not([hidden])")
    unlock_ok(other)
    # Unlocked in one tab: the other shows the list again.
    page.wait_for_selector("[data-clients-open]:not([hidden]) [data-client]:has-text('Tab Tess')")
    other.close()

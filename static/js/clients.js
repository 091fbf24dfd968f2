// The clients page: new, open, rename, delete (asks once, then removes every trace), export and import.
// With the device lock on: the page asks for the passphrase first, exports are locked files, and a locked file
// asks for its passphrase before it is imported. The lock's settings are here too.
import { postJSON, saveFile } from "./api.js";
import { appPath } from "./words.js";
import { openFile, sealFile } from "./lock.js";
import {
  changePassphrase, createClient, deleteClient, exportClients, importClients, listClients, lockState, lockTimes,
  onLocked, onUnlockedElsewhere, openClient, renameClient, setLock, setLockTimes, unlock,
} from "./store.js";
import { formatDay } from "./visits.js";

const $ = (selector) => document.querySelector(selector);

// The server's visits.file_name_part, for a file made on the device: tests/data/file_name_cases.json runs
// through both.
export function fileNamePart(text) {
  return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
}

function exportFormat() {
  const section = $("[data-export-format]");
  return { name: section.dataset.exportFormat, version: Number(section.dataset.exportVersion) };
}

function lockedFormat() {
  return { name: $("[data-locked-format]").dataset.lockedFormat, version: 1 };
}

// While the lock is on, the file is locked too: its passphrase is asked first (the lock's or another).
let exportTarget;
async function exportFile(client) {
  if ((await lockState()) !== "off") {
    exportTarget = client;
    const form = $("[data-export-lock-form]");
    form.hidden = false;
    form.querySelector("[data-export-passphrase]").focus();
    return;
  }
  await writeExport(client, null);
}

async function writeExport(client, passphrase) {
  const status = $("[data-transfer-status]");
  let file = await exportClients(client ? [client.id] : null, exportFormat());
  if (passphrase) {
    status.textContent = status.dataset.working;
    file = await sealFile(passphrase, file, lockedFormat());
  }
  const day = new Date().toISOString().slice(0, 10);
  const name = `safesteps-clients-${client ? fileNamePart(client.name) || "client" : "all"}-${day}.json`;
  saveFile(new Blob([JSON.stringify(file)], { type: "application/json" }), name);
  status.textContent = status.dataset.exported;
}

async function render() {
  const clients = await listClients();
  const list = $("[data-client-list]");
  list.replaceChildren();
  $("[data-no-clients]").hidden = clients.length > 0;
  for (const client of clients) {
    const row = $("[data-client-row]").content.firstElementChild.cloneNode(true);
    row.dataset.clientId = client.id;
    row.querySelector("[data-client-name]").textContent = client.name;
    const last = client.visits.at(-1);
    const lastEl = row.querySelector("[data-client-last]");
    lastEl.textContent = last?.visit.date ? formatDay(last.visit.date) : lastEl.dataset.none;
    row.querySelector("[data-client-visits]").textContent = client.visits.length;
    row.querySelector("[data-open]").addEventListener("click", async () => {
      await openClient(client.id);
      window.location.assign(appPath("/visit"));
    });
    const renameForm = row.querySelector("[data-rename-form]");
    row.querySelector("[data-rename]").addEventListener("click", () => {
      renameForm.hidden = !renameForm.hidden;
      renameForm.querySelector("[data-rename-input]").value = client.name;
      renameForm.querySelector("[data-rename-input]").focus();
    });
    renameForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = renameForm.querySelector("[data-rename-input]").value.trim();
      if (name) await renameClient(client.id, name);
      await render();
    });
    const confirm = row.querySelector("[data-delete-confirm]");
    row.querySelector("[data-delete-name]").textContent = client.name;
    row.querySelector("[data-delete]").addEventListener("click", () => {
      confirm.hidden = false;
      confirm.querySelector("[data-delete-no]").focus();
    });
    confirm.querySelector("[data-delete-no]").addEventListener("click", () => { confirm.hidden = true; });
    confirm.querySelector("[data-delete-yes]").addEventListener("click", async () => {
      await deleteClient(client.id);
      await render();
    });
    row.querySelector("[data-export-one]").addEventListener("click", () => exportFile(client));
    list.append(row);
  }
}

// The server's rule for a usable photo (pwa/photos.py), from the page: a JPEG of at most so many bytes.
export function photoIsUsable(photo, rule) {
  try {
    const binary = atob(photo.data);
    return binary.length === photo.bytes && binary.length <= rule.bytes_max
      && rule.jpeg_magic.every((byte, i) => binary.charCodeAt(i) === byte);
  } catch {
    return false;
  }
}

// Checked whole before anything changes: the server checks the format and every visit (the photos' bytes
// left out), this page checks the photos. Any fault refuses the whole file, with nothing changed; so does a file
// nested too deeply for the browser to copy or send (a RangeError), which is no file of ours.
const refuse = (why) => {
  const status = $("[data-transfer-status]");
  status.textContent = `${status.dataset.refused} ${why}`;
  status.dataset.result = "refused";
};

let lockedFile;
async function importFile(file) {
  let parsed;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    refuse($("[data-transfer-status]").dataset.unreadable);
    return;
  }
  if (parsed?.format === lockedFormat().name) {
    lockedFile = parsed; // opened once its passphrase is typed
    const form = $("[data-import-lock-form]");
    form.hidden = false;
    form.querySelector("[data-import-passphrase]").focus();
    return;
  }
  await importParsed(parsed);
}

async function importLocked(passphrase) {
  const status = $("[data-transfer-status]");
  status.textContent = status.dataset.working;
  let parsed;
  try {
    parsed = await openFile(passphrase, lockedFile);
  } catch {
    refuse(status.dataset.wrongPassphrase);
    return;
  }
  lockedFile = undefined;
  $("[data-import-lock-form]").hidden = true;
  await importParsed(parsed);
}

async function importParsed(parsed) {
  const status = $("[data-transfer-status]");
  let withoutPhotoBytes;
  try {
    withoutPhotoBytes = structuredClone(parsed);
    for (const client of Array.isArray(withoutPhotoBytes?.clients) ? withoutPhotoBytes.clients : []) {
      for (const photo of Array.isArray(client?.photos) ? client.photos : []) if (photo && typeof photo === "object") delete photo.data;
    }
    JSON.stringify(withoutPhotoBytes);
  } catch {
    refuse(status.dataset.unreadable);
    return;
  }
  let response;
  try {
    response = await postJSON("/api/export-check", withoutPhotoBytes);
  } catch {
    status.textContent = status.dataset.offline;
    status.dataset.result = "offline";
    return;
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    refuse(problem.message ?? status.dataset.unreadable);
    return;
  }
  const checked = await response.json();
  checked.clients.forEach((client, i) => {
    client.photos.forEach((photo, j) => { photo.data = parsed.clients[i].photos[j].data; });
  });
  const rule = JSON.parse($("[data-photo-rule]").dataset.photoRule);
  if (checked.clients.some((client) => client.photos.some((photo) => !photoIsUsable(photo, rule)))) {
    refuse(status.dataset.unreadable);
    return;
  }
  let imported;
  try {
    imported = await importClients(checked, (name) => `${name}${status.dataset.copySuffix}`);
  } catch (error) {
    if (error?.name !== "QuotaExceededError") throw error;
    refuse(status.dataset.full); // one transaction: nothing was written
    return;
  }
  // What came in, counted: clients, visits, photos, then the clients' names.
  const counts = {
    clients: imported.length,
    visits: checked.clients.reduce((sum, client) => sum + client.visits.length, 0),
    photos: checked.clients.reduce((sum, client) => sum + client.photos.length, 0),
  };
  const counted = status.dataset.imported.replace(/\{(\w+)\}/g, (_, name) => counts[name]);
  status.textContent = `${counted} ${imported.map((c) => c.name).join(", ")}.`
    + (imported.some((c) => c.copy) ? ` ${status.dataset.copyNote}` : "");
  status.dataset.result = "imported";
  await render();
}

// ---------------------------------------------------------------- the device lock

const lockStatus = () => $("[data-lock-status]");
const say = (status, word, seconds) => { status.textContent = status.dataset[word].replace("{seconds}", seconds); };

// Locked: nothing of the clients stays on the page, only the passphrase field.
function showLocked() {
  $("[data-client-list]").replaceChildren();
  $("[data-clients-open]").hidden = true;
  const bar = document.querySelector("[data-visit-bar]");
  if (bar) bar.hidden = true;
  $("[data-unlock-form]").hidden = false;
  $("[data-unlock-passphrase]").focus();
}

async function showOpen() {
  $("[data-unlock-form]").hidden = true;
  $("[data-clients-open]").hidden = false;
  const state = await lockState();
  $("[data-lock-off]").hidden = state !== "off";
  $("[data-lock-on]").hidden = state === "off";
  if (state !== "off") $("[data-lock-idle]").value = String((await lockTimes()).idleSeconds);
  await render();
}

function twoPassphrases(first, second) {
  if (first.value === second.value) return first.value;
  say(lockStatus(), "mismatch");
  second.value = "";
  second.focus();
  return null;
}

function setUpLock() {
  onLocked(showLocked);
  onUnlockedElsewhere(() => { if (!$("[data-unlock-form]").hidden) showOpen(); });
  $("[data-unlock-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("[data-unlock-passphrase]");
    const status = $("[data-unlock-status]");
    status.textContent = lockStatus().dataset.working;
    delete status.dataset.result;
    const result = await unlock(input.value);
    input.value = "";
    if (result.ok) {
      status.textContent = "";
      await showOpen();
    } else {
      const words = lockStatus().dataset;
      status.textContent = result.wait ? `${words.wrong} ${words.wait.replace("{seconds}", result.wait)}` : words.wrong;
      status.dataset.result = "wrong";
      if (result.wait) { // the button waits too, so the wait is plain to see
        const button = event.target.querySelector("button");
        button.disabled = true;
        setTimeout(() => { button.disabled = false; }, result.wait * 1000);
      }
    }
  });
  $("[data-set-lock-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const passphrase = twoPassphrases($("[data-lock-new]"), $("[data-lock-again]"));
    if (passphrase === null) return;
    say(lockStatus(), "working");
    await setLock(passphrase);
    event.target.reset();
    await showOpen();
    say(lockStatus(), "set");
  });
  $("[data-change-lock-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const passphrase = twoPassphrases($("[data-lock-change-new]"), $("[data-lock-change-again]"));
    if (passphrase === null) return;
    say(lockStatus(), "working");
    const changed = await changePassphrase($("[data-lock-current]").value, passphrase);
    say(lockStatus(), changed ? "changed" : "wrong");
    if (changed) event.target.reset();
  });
  $("[data-lock-idle]").addEventListener("change", async (event) => {
    await setLockTimes({ idleSeconds: Number(event.target.value) });
    say(lockStatus(), "saved");
  });
  $("[data-export-lock-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("[data-export-passphrase]");
    await writeExport(exportTarget, input.value);
    input.value = "";
    event.target.hidden = true;
  });
  $("[data-import-lock-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("[data-import-passphrase]");
    await importLocked(input.value);
    input.value = "";
  });
}

export async function start() {
  setUpLock();
  $("[data-new-client]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("[data-new-client-name]").value.trim();
    if (!name) return;
    await createClient(name);
    window.location.assign(appPath("/visit"));
  });
  $("[data-export-all]").addEventListener("click", () => exportFile(null));
  $("[data-import]").addEventListener("change", async (event) => {
    const [file] = event.target.files;
    if (file) await importFile(file);
    event.target.value = "";
  });
  if ((await lockState()) === "locked") {
    showLocked();
    document.body.dataset.restored = "true";
    return;
  }
  await showOpen();
  document.body.dataset.restored = "true";
}

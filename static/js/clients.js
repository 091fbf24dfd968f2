// The clients page: new, open, rename, delete (asks once, then removes every trace), export and import.
import { postJSON, saveFile } from "./api.js";
import {
  createClient, deleteClient, exportClients, importClients, listClients, openClient, renameClient,
} from "./store.js";
import { formatDay } from "./visits.js";

const $ = (selector) => document.querySelector(selector);

function fileNamePart(text) {
  return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
}

function exportFormat() {
  const section = $("[data-export-format]");
  return { name: section.dataset.exportFormat, version: Number(section.dataset.exportVersion) };
}

async function exportFile(client) {
  const file = await exportClients(client ? [client.id] : null, exportFormat());
  const day = new Date().toISOString().slice(0, 10);
  const name = `safesteps-clients-${client ? fileNamePart(client.name) || "client" : "all"}-${day}.json`;
  saveFile(new Blob([JSON.stringify(file)], { type: "application/json" }), name);
  const status = $("[data-transfer-status]");
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
      window.location.assign("/visit");
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

const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function photoIsJpeg(photo) {
  try {
    const binary = atob(photo.data);
    return binary.length === photo.bytes && JPEG_MAGIC.every((byte, i) => binary.charCodeAt(i) === byte);
  } catch {
    return false;
  }
}

// Checked whole before anything changes: the server checks the format and every visit (the photos' bytes
// left out), this page checks the photos. Any fault refuses the whole file, with nothing changed; so does a file
// nested too deeply for the browser to copy or send (a RangeError), which is no file of ours.
async function importFile(file) {
  const status = $("[data-transfer-status]");
  const refuse = (why) => { status.textContent = `${status.dataset.refused} ${why}`; status.dataset.result = "refused"; };
  let parsed;
  let withoutPhotoBytes;
  try {
    parsed = JSON.parse(await file.text());
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
  if (checked.clients.some((client) => client.photos.some((photo) => !photoIsJpeg(photo)))) {
    refuse(status.dataset.unreadable);
    return;
  }
  const imported = await importClients(checked, (name) => `${name}${status.dataset.copySuffix}`);
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

export async function start() {
  $("[data-new-client]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("[data-new-client-name]").value.trim();
    if (!name) return;
    await createClient(name);
    window.location.assign("/visit");
  });
  $("[data-export-all]").addEventListener("click", () => exportFile(null));
  $("[data-import]").addEventListener("change", async (event) => {
    const [file] = event.target.files;
    if (file) await importFile(file);
    event.target.value = "";
  });
  await render();
  document.body.dataset.restored = "true";
}

// The assessment lives on this device only, in IndexedDB. Each assessment is keyed by its own id so that
// several (an OT's clients) can live side by side; "current" names the one being worked on.
//
// The document's format is not defined here: pwa/assessment.py owns it and writes it into every page (its
// version, answer values, limits, and a blank document to copy). A document saved by an older release is sent
// to the server once, which brings it up to date; the original is kept beside it.
//
// Every read and write goes through seal() and unseal() (sealing.js: with a device lock, records are kept
// sealed); the database's transactions are in db.js. The lock's own functions are re-exported from here, so a
// page imports all of its storage from this one module.
import { postJSON } from "./api.js";
import { request, run, runMany } from "./db.js";
import { seal, unseal, unsealAll } from "./sealing.js";

export {
  changePassphrase,
  LOCK_DEFAULTS,
  lockNow,
  lockState,
  lockTimes,
  onLocked,
  onUnlockedElsewhere,
  setLock,
  setLockTimes,
  unlock,
  watchLock,
} from "./sealing.js";

const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
export const SCHEMA_VERSION = contract.schema;
export const LIMITS = contract.limits;

function contentVersion() {
  return document.querySelector('meta[name="safesteps-content-version"]')?.content ?? "";
}

// A note as the server keeps it (pwa/assessment.py's limits): line breaks past the limit become spaces, and
// the length is cut to the limit, so the device never holds a note the server would refuse.
export function fitNote(text) {
  let breaks = 0;
  const fitted = text.replace(/\r\n?|\n/g, () => (++breaks > LIMITS.note_line_breaks ? " " : "\n"));
  return fitted.slice(0, LIMITS.note);
}

export function newAssessment() {
  const now = new Date().toISOString();
  return {
    ...structuredClone(contract.blank),
    content_version: contentVersion(),
    id: crypto.randomUUID(),
    created: now,
    updated: now,
  };
}

// An item's answer with some of its fields changed: every field present, as the server writes it.
export function changedAnswer(saved, changes) {
  return { ...structuredClone(contract.blank_answer), ...saved, ...changes, at: new Date().toISOString() };
}

// An item's answer with some of the OT's advice changed (recommendation, priority, who, by when, measurements,
// captions): every field present, as the server writes it.
export function changedOt(saved, changes) {
  const ot = { ...structuredClone(contract.blank_ot), ...saved?.ot, ...changes };
  return changedAnswer(saved, { ot });
}

export async function currentId() {
  return run("settings", "readonly", (s) => s.get("current"));
}

// A page writes to the assessment it was opened for, whatever another tab opens or deletes meanwhile: "current"
// is read once per page, and every later read and write of this page goes to that id.
export class AssessmentGone extends Error {
  constructor() {
    super("The answers this page was opened for were deleted in another tab or window.");
    this.name = "AssessmentGone";
  }
}

let opened = null; // Promise of the id this page was opened for (undefined: none yet)

export function openedId({ create = false } = {}) {
  opened ??= currentId().then(async (id) => {
    const found = id && (await run("assessments", "readonly", (s) => s.getKey(id)));
    return found === undefined || !id ? undefined : id;
  });
  if (create) {
    opened = opened.then(async (id) => {
      if (id) return id;
      const fresh = newAssessment();
      const stored = await seal("assessments", fresh);
      await runMany(["assessments", "settings"], "readwrite", ({ assessments, settings }) => {
        assessments.put(stored);
        settings.put(fresh.id, "current");
      });
      return fresh.id;
    });
  }
  const pending = opened;
  pending.catch(() => { if (opened === pending) opened = null; }); // a failed first read is tried again
  return pending;
}

// The server brings an older document up to date. Offline, or if it refuses, the document stays as it is:
// nothing is lost, and the next visit with a connection tries again.
async function upgrade(stored) {
  let response;
  try {
    response = await postJSON("/api/assessment", stored);
  } catch {
    return null;
  }
  if (!response.ok) return null;
  const { assessment } = await response.json();
  // Keep the document exactly as it was found, once per version, before writing the upgraded one.
  const backupKey = `before-migration:${stored.id}:${stored.schema ?? 1}`;
  if ((await run("settings", "readonly", (s) => s.get(backupKey))) === undefined) {
    const sealed = await seal("settings", stored, backupKey);
    await run("settings", "readwrite", (s) => s.put(sealed, backupKey));
  }
  return save(assessment);
}

// The assessment this page was opened for (a blank one of the person's own when there is none yet).
export async function loadCurrent() {
  const id = await openedId({ create: true });
  const stored = await getAssessment(id);
  if (!stored) throw new AssessmentGone();
  if (stored.schema === SCHEMA_VERSION) return stored;
  return (await upgrade(stored)) ?? stored;
}

export async function save(assessment) {
  const stored = await seal("assessments", assessment);
  await run("assessments", "readwrite", (s) => s.put(stored));
  return assessment;
}

// Updates run one after another so two quick taps can never overwrite each other. Only a document in this
// release's format is ever changed, so the device never holds one the server would refuse.
let queue = Promise.resolve();
export function update(change) {
  const next = queue.then(async () => {
    const assessment = await loadCurrent();
    if (assessment.schema !== SCHEMA_VERSION) throw new Error("The saved answers are waiting to be updated.");
    change(assessment);
    assessment.updated = new Date().toISOString();
    return saveIfStillThere(assessment);
  });
  queue = next.catch(() => {});
  return next;
}

// Written only if it is still on the device: a record deleted in another tab is never brought back.
async function saveIfStillThere(assessment) {
  const stored = await seal("assessments", assessment);
  return runMany(["assessments"], "readwrite", async ({ assessments }) => {
    if ((await request(assessments.getKey(assessment.id))) === undefined) throw new AssessmentGone();
    assessments.put(stored);
    return assessment;
  });
}

export async function getDerived(key) {
  return unseal(await run("derived", "readonly", (s) => s.get(key)));
}

export async function putDerived(key, value) {
  const stored = await seal("derived", value);
  return run("derived", "readwrite", (s) => s.put(stored, key));
}

// Ask the browser, once, not to evict this site's storage under pressure: the answers exist nowhere else.
// Browsers that decide by themselves (Chrome) answer at once; others may ask the person.
export async function askForPersistentStorage() {
  try {
    if (!navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    if ((await run("settings", "readonly", (s) => s.get("persist-asked"))) !== undefined) return false;
    const granted = await navigator.storage.persist();
    await run("settings", "readwrite", (s) => s.put({ at: new Date().toISOString(), granted }, "persist-asked"));
    return granted;
  } catch {
    return false;  // storage still works; it is only less protected
  }
}

// ---------------------------------------------------------------- home visits: clients, visits, photos
// Every read and write of client data is here, and goes through seal() and unseal() (the device lock).

export function today() {
  const day = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

async function allAssessments() {
  return unsealAll(await run("assessments", "readonly", (s) => s.getAll()));
}

const visitOrder = (a, b) => (a.visit.date || "").localeCompare(b.visit.date || "") || (a.created ?? "").localeCompare(b.created ?? "");

// Every client with their visits, oldest visit first; the list is in name order.
export async function listClients() {
  const [clients, assessments] = await Promise.all([
    run("clients", "readonly", (s) => s.getAll()).then(unsealAll),
    allAssessments(),
  ]);
  return clients
    .map((client) => ({
      ...client,
      visits: assessments.filter((a) => a.visit?.client_id === client.id).sort(visitOrder),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function getClient(id) {
  return (await listClients()).find((client) => client.id === id);
}

export async function getAssessment(id) {
  return unseal(await run("assessments", "readonly", (s) => s.get(id)));
}

export async function setCurrent(id) {
  await run("settings", "readwrite", (s) => s.put(id, "current"));
}

// The client whose visit is open, or undefined when the device's own assessment is open.
export async function currentClient() {
  const assessment = await loadCurrent();
  const clientId = assessment.visit?.client_id;
  return clientId ? getClient(clientId) : undefined;
}

export async function lastAssessor() {
  return (await unseal(await run("settings", "readonly", (s) => s.get("last-assessor")))) ?? "";
}

function visitFor(client, assessor, extra = {}) {
  const assessment = newAssessment();
  assessment.profile.name = client.name;
  assessment.visit = { ...assessment.visit, client: client.name, client_id: client.id, assessor, date: today(), ...extra };
  return assessment;
}

// A new client, with a first visit today, opened at once.
export async function createClient(name) {
  const client = { id: crypto.randomUUID(), name, created: new Date().toISOString() };
  const visit = visitFor(client, await lastAssessor());
  const [storedClient, storedVisit] = [await seal("clients", client), await seal("assessments", visit)];
  await runMany(["clients", "assessments", "settings"], "readwrite", ({ clients, assessments, settings }) => {
    clients.put(storedClient);
    assessments.put(storedVisit);
    settings.put(visit.id, "current");
  });
  return client;
}

// Open a client: their latest visit becomes the one being worked on.
export async function openClient(clientId) {
  const client = await getClient(clientId);
  if (!client) throw new Error("No such client");
  const latest = client.visits.at(-1) ?? visitFor(client, await lastAssessor());
  if (!client.visits.length) await save(latest);
  await setCurrent(latest.id);
  return latest;
}

export async function renameClient(clientId, name) {
  const client = await getClient(clientId);
  if (!client) return;
  const renamed = [];
  for (const visit of client.visits) {
    if (visit.schema !== SCHEMA_VERSION) continue; // never rewrite a document the server has not upgraded
    if (visit.profile.name === client.name) visit.profile.name = name;
    visit.visit.client = name;
    visit.updated = new Date().toISOString();
    renamed.push(await seal("assessments", visit));
  }
  const record = await seal("clients", { id: client.id, name, created: client.created });
  await runMany(["clients", "assessments"], "readwrite", ({ clients, assessments }) => {
    clients.put(record);
    for (const visit of renamed) assessments.put(visit);
  });
}

// Every trace of a client: the record, every visit, every photo, everything derived from a visit (cached
// plans, personalisation; any key naming one of the visits), the kept originals of migrated documents, and
// "current" when it was one of theirs. One transaction: all of it goes, or nothing does.
export async function deleteClient(clientId) {
  const client = await getClient(clientId);
  const ids = new Set(client ? client.visits.map((v) => v.id) : []);
  const mentions = (key) => typeof key === "string" && [...ids].some((id) => key.includes(id));
  await runMany(["clients", "assessments", "photos", "derived", "settings"], "readwrite", async (s) => {
    s.clients.delete(clientId);
    for (const id of ids) s.assessments.delete(id);
    const photos = await request(s.photos.getAll());
    for (const photo of photos) if (photo.client === clientId || ids.has(photo.assessment)) s.photos.delete(photo.key);
    for (const key of await request(s.derived.getAllKeys())) if (mentions(key)) s.derived.delete(key);
    for (const key of await request(s.settings.getAllKeys())) if (mentions(key)) s.settings.delete(key);
    if (ids.has(await request(s.settings.get("current")))) s.settings.delete("current");
  });
}

// The visit details the OT types: date, assessor, general note.
export function updateVisit(changes) {
  return update((assessment) => {
    assessment.visit = { ...assessment.visit, ...changes };
  }).then(async (assessment) => {
    if ("assessor" in changes) {
      const stored = await seal("settings", changes.assessor, "last-assessor");
      await run("settings", "readwrite", (s) => s.put(stored, "last-assessor"));
    }
    return assessment;
  });
}

// A follow-up visit: the last visit's answers are the starting point, and what it found is kept beside them
// so each item can show "last time" and the OT report can say what changed.
export async function startFollowUp(clientId) {
  const client = await getClient(clientId);
  const last = client.visits.at(-1);
  const answers = {};
  const previousAnswers = {};
  for (const [itemId, saved] of Object.entries(last.answers)) {
    answers[itemId] = { ...structuredClone(contract.blank_answer), answer: saved.answer, note: saved.note };
    previousAnswers[itemId] = { answer: saved.answer, note: saved.note };
  }
  const visit = visitFor(client, last.visit.assessor || (await lastAssessor()), {
    previous: { id: last.id, date: last.visit.date, assessor: last.visit.assessor, answers: previousAnswers },
  });
  visit.profile = structuredClone(last.profile);
  visit.answers = answers;
  visit.done = structuredClone(last.done);
  visit.skipped = structuredClone(last.skipped ?? []); // the same home: the same rooms are missing
  const stored = await seal("assessments", visit);
  await runMany(["assessments", "settings"], "readwrite", ({ assessments, settings }) => {
    assessments.put(stored);
    settings.put(visit.id, "current");
  });
  return visit;
}

// Photos: up to LIMITS.photos_per_item per visit and item (slot 0 to 3; the first keeps the key it always had),
// kept as Blobs outside the assessment JSON.
const photoKey = (assessmentId, itemId, slot = 0) => (slot ? `${assessmentId}/${itemId}/${slot}` : `${assessmentId}/${itemId}`);

export async function putPhoto(assessment, itemId, blob, size, slot = 0) {
  const photo = {
    key: photoKey(assessment.id, itemId, slot),
    assessment: assessment.id,
    client: assessment.visit?.client_id ?? "",
    item: itemId,
    slot,
    blob,
    type: blob.type,
    bytes: blob.size,
    width: size.width,
    height: size.height,
    at: new Date().toISOString(),
  };
  const stored = await seal("photos", photo);
  await runMany(["assessments", "photos"], "readwrite", async ({ assessments, photos }) => {
    if ((await request(assessments.getKey(assessment.id))) === undefined) throw new AssessmentGone();
    photos.put(stored);
  });
  return photo;
}

export async function photosFor(assessmentId) {
  return unsealAll(await run("photos", "readonly", (s) => s.index("assessment").getAll(assessmentId)));
}

export async function deletePhoto(assessmentId, itemId, slot = 0) {
  await run("photos", "readwrite", (s) => s.delete(photoKey(assessmentId, itemId, slot)));
}

// ---------------------------------------------------------------- export and import

const toBase64 = async (blob) => {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

function fromBase64(text, type) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

// The file for one client, or all: every visit and every photo, in the export format the server checks.
export async function exportClients(clientIds, format) {
  const clients = (await listClients()).filter((c) => !clientIds || clientIds.includes(c.id));
  const exported = [];
  for (const client of clients) {
    const photos = [];
    for (const visit of client.visits) {
      for (const photo of await photosFor(visit.id)) {
        photos.push({ assessment: photo.assessment, item: photo.item, slot: photo.slot ?? 0, type: photo.type, width: photo.width,
          height: photo.height, bytes: photo.bytes, at: photo.at, data: await toBase64(photo.blob) });
      }
    }
    exported.push({ id: client.id, name: client.name, created: client.created, visits: client.visits, photos });
  }
  return { format: format.name, version: format.version, exported: new Date().toISOString(), clients: exported };
}

// Brings checked clients in. A client whose id is already on this device is never overwritten: it comes in
// as a copy, with new ids for it and its visits, and `copyName` to tell the two apart.
export async function importClients(checked, copyName) {
  const existing = new Set((await run("clients", "readonly", (s) => s.getAllKeys())));
  const existingVisits = new Set((await run("assessments", "readonly", (s) => s.getAllKeys())));
  const imported = [];
  // Photos are decoded before anything is written: a bad one stops the import with nothing changed.
  const blobs = checked.clients.map((client) => client.photos.map((photo) => fromBase64(photo.data, photo.type)));
  const records = { clients: [], assessments: [], photos: [] };
  for (const [clientIndex, client] of checked.clients.entries()) {
    const copy = existing.has(client.id) || client.visits.some((v) => existingVisits.has(v.id));
    const clientId = copy ? crypto.randomUUID() : client.id;
    const name = copy ? copyName(client.name) : client.name;
    const visitIds = new Map(client.visits.map((v) => [v.id, copy ? crypto.randomUUID() : v.id]));
    records.clients.push({ id: clientId, name, created: client.created });
    for (const visit of client.visits) {
      const kept = structuredClone(visit);
      kept.id = visitIds.get(visit.id);
      kept.visit.client_id = clientId;
      kept.visit.client = name;
      if (kept.visit.previous && visitIds.has(kept.visit.previous.id)) kept.visit.previous.id = visitIds.get(kept.visit.previous.id);
      records.assessments.push(kept);
    }
    client.photos.forEach((photo, photoIndex) => {
      const assessmentId = visitIds.get(photo.assessment);
      records.photos.push({ key: photoKey(assessmentId, photo.item, photo.slot), assessment: assessmentId, client: clientId,
        item: photo.item, slot: photo.slot, blob: blobs[clientIndex][photoIndex], type: photo.type, bytes: photo.bytes,
        width: photo.width, height: photo.height, at: photo.at });
    });
    imported.push({ id: clientId, name, copy });
  }
  // Sealed (when the device is locked) before the one transaction that writes them all.
  for (const [storeName, values] of Object.entries(records)) {
    records[storeName] = await Promise.all(values.map((value) => seal(storeName, value)));
  }
  await runMany(["clients", "assessments", "photos"], "readwrite", (stores) => {
    for (const [storeName, values] of Object.entries(records)) for (const value of values) stores[storeName].put(value);
  });
  return imported;
}

// ---------------------------------------------------------------- a hand-off from an OT's code

// The person's own answers, made on this phone: not a client's visit, nor an earlier hand-off (which names the
// client it was made for; a newer plan from the visit replaces it).
const isOwnWithAnswers = (a) => Boolean(a) && !a.visit?.client_id && !a.visit?.client
  && (Object.keys(a.answers).length > 0 || JSON.stringify(a.profile) !== JSON.stringify(contract.blank.profile));

// Whether the assessment open on this device is the person's own, with something in it: a hand-off asks first.
export async function hasOwnAnswers() {
  const id = await currentId();
  return isOwnWithAnswers(id && (await getAssessment(id)));
}

// A hand-off from an OT's QR code: kept as this device's own assessment, and opened. The person's own answers
// it replaces as the open one are kept, and named, so the start page can switch back to them.
export async function keepHandedOff(document) {
  const now = new Date().toISOString();
  const assessment = { ...document, id: crypto.randomUUID(), created: now, updated: now };
  const previousId = await currentId();
  const keepPrevious = isOwnWithAnswers(previousId && (await getAssessment(previousId)));
  const stored = await seal("assessments", assessment);
  await runMany(["assessments", "settings"], "readwrite", ({ assessments, settings }) => {
    assessments.put(stored);
    settings.put(assessment.id, "current");
    if (keepPrevious) settings.put(previousId, "other-own");
  });
  return assessment;
}

// The other set of the person's own answers (kept when a hand-off was opened), if it is still on the device.
export async function otherOwnAssessment() {
  const [id, open] = await Promise.all([run("settings", "readonly", (s) => s.get("other-own")), openedId()]);
  const other = id && id !== open ? await getAssessment(id) : undefined;
  return other && !other.visit?.client_id ? other : undefined;
}

// Open the other set; the one open now becomes the other, so the person can always switch back.
export async function switchToOtherOwn() {
  const [other, open] = await Promise.all([otherOwnAssessment(), openedId()]);
  if (!other) return;
  await runMany(["settings"], "readwrite", ({ settings }) => {
    settings.put(other.id, "current");
    if (open) settings.put(open, "other-own");
  });
}

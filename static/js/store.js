// The assessment lives on this device only, in IndexedDB. Each assessment is keyed by its own id so that
// several (an OT's clients) can live side by side; "current" names the one being worked on.
//
// The document's format is not defined here: pwa/assessment.py owns it and writes it into every page (its
// version, answer values, limits, and a blank document to copy). A document saved by an older release is sent
// to the server once, which brings it up to date; the original is kept beside it.
import { postJSON } from "./api.js";
import { appPath } from "./words.js";
import * as lock from "./lock.js";

const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
export const SCHEMA_VERSION = contract.schema;
export const LIMITS = contract.limits;

const DB_NAME = "safesteps";
// 2: home visits (an OT's clients, and photos kept apart from the assessment JSON). Upgrades only add stores.
const DB_VERSION = 2;

function contentVersion() {
  return document.querySelector('meta[name="safesteps-content-version"]')?.content ?? "";
}

let dbPromise = null;
function openDb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("assessments")) db.createObjectStore("assessments", { keyPath: "id" });
      if (!db.objectStoreNames.contains("settings")) db.createObjectStore("settings");
      // Things derived from an assessment by the server (personalisation, the last plan): safe to lose.
      if (!db.objectStoreNames.contains("derived")) db.createObjectStore("derived");
      // An OT's clients: { id, name, created }. Their visits are assessments whose visit.client_id names them.
      if (!db.objectStoreNames.contains("clients")) db.createObjectStore("clients", { keyPath: "id" });
      // One photo per visit and item: { key: "<assessment id>/<item id>", assessment, client, item, blob, ... }.
      if (!db.objectStoreNames.contains("photos")) {
        db.createObjectStore("photos", { keyPath: "key" }).createIndex("assessment", "assessment");
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer release open in another tab needs to upgrade the database: step aside rather than block it
      // (a blocked upgrade would leave that tab waiting with the answers out of reach). The next call reopens.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      dbPromise = null;
      reject(request.error);
    };
  });
  return dbPromise;
}

async function run(storeName, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const request = action(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
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
// Every read and write of client data is here, and goes through seal() and unseal() (the device lock, below).

// Several stores in one transaction: all of it happens, or none of it.
async function runMany(storeNames, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeNames, mode);
    const stores = Object.fromEntries(storeNames.map((name) => [name, tx.objectStore(name)]));
    let result;
    let pending;
    try {
      pending = Promise.resolve(action(stores, tx));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then((value) => { result = value; }, (error) => { tx.abort(); reject(error); });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const request = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

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

// ---------------------------------------------------------------- the device lock
// With a lock set, every record in the assessments, clients, photos and derived stores, and the settings that
// hold a document or a name, is kept sealed (static/js/lock.js): only the keys the stores are looked up by stay
// plain (random ids, "<visit id>/<item id>" for a photo). The unwrapped data key is kept while the device is
// unlocked, in this page's memory and in the settings store (so the next page opens without asking), and deleted
// when the device locks: after LOCK_DEFAULTS.idleSeconds without a touch, after hiddenSeconds hidden, or with the
// Lock button. Without a lock nothing is sealed and nobody is asked for anything.

const LOCK = "lock"; // settings: the wrapped data key and the times; absent when there is no lock
const SESSION = "lock-session"; // settings: { key } while unlocked
const USED = "lock-used"; // settings: { active, hidden }: when the device was last touched, and hidden since when
const TRIES = "lock-tries"; // settings: { count, until }: wrong passphrases in a row, and no try before `until`
export const LOCK_DEFAULTS = { idleSeconds: 300, hiddenSeconds: 60 };
const FREE_TRIES = 3; // then 5 s, 10 s, 20 s ... up to 5 minutes between tries
const sealedSetting = (key) => key === "last-assessor" || String(key).startsWith("before-migration:");

let sessionKey = null; // the data key while unlocked
let waiting = null; // { promise, resolve } while this page waits for the passphrase
let lastActive = Date.now();
let hiddenSince = null;
let lastSaved = 0;
let watching = false;
let limits = { ...LOCK_DEFAULTS };
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("safesteps-lock") : null;

// What a page does when the device locks or its data is asked for while locked: by default, go to the clients
// page, which asks for the passphrase and then shows the list. The clients page sets its own.
let whenLocked = () => {
  if (document.body.dataset.page !== "clients") window.location.assign(appPath("/clients"));
};
export function onLocked(handler) {
  whenLocked = handler;
}
// And when another page of this browser unlocks the device (the clients page then shows the list again).
let whenUnlockedElsewhere = () => {};
export function onUnlockedElsewhere(handler) {
  whenUnlockedElsewhere = handler;
}

const lockRecord = () => run("settings", "readonly", (s) => s.get(LOCK));

function expired(used, record) {
  const now = Date.now();
  if (!used) return true;
  if (used.hidden && now - used.hidden > record.hiddenSeconds * 1000) return true;
  return now - used.active > record.idleSeconds * 1000;
}

// The data key if the device is unlocked (here or in another page of this browser), else null.
async function currentKey(record) {
  if (sessionKey) return sessionKey;
  const [session, used] = await Promise.all([
    run("settings", "readonly", (s) => s.get(SESSION)),
    run("settings", "readonly", (s) => s.get(USED)),
  ]);
  if (!session) return null;
  if (expired(used, record)) {
    await forget();
    return null;
  }
  sessionKey = session.key;
  lastActive = Date.now();
  await saveUse(null);
  return sessionKey;
}

async function forget() {
  sessionKey = null;
  await runMany(["settings"], "readwrite", ({ settings }) => {
    settings.delete(SESSION);
    settings.delete(USED);
  });
}

async function saveUse(hidden) {
  lastSaved = Date.now();
  await run("settings", "readwrite", (s) => s.put({ active: lastActive, hidden }, USED));
}

// "off" (no lock on this device), "locked" or "unlocked".
export async function lockState() {
  const record = await lockRecord();
  if (!record) return "off";
  return (await currentKey(record)) ? "unlocked" : "locked";
}

export async function lockTimes() {
  const record = await lockRecord();
  return record ? { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds } : { ...LOCK_DEFAULTS };
}

// The data key for sealing and unsealing: null without a lock; while locked, it waits for the passphrase.
async function dataKey() {
  const record = await lockRecord();
  if (!record) return null;
  const key = await currentKey(record);
  if (key) return key;
  if (!waiting) {
    let resolve;
    const promise = new Promise((done) => { resolve = done; });
    waiting = { promise, resolve };
    whenLocked();
  }
  return waiting.promise;
}

async function sealWith(key, storeName, value, settingsKey) {
  if (!key || value === undefined) return value;
  if (storeName === "assessments" || storeName === "clients") return { id: value.id, sealed: await lock.sealJSON(key, value) };
  if (storeName === "photos") {
    const { blob, ...meta } = value;
    return { key: value.key, assessment: value.assessment, client: value.client,
      sealed: await lock.sealJSON(key, meta), sealedBlob: await lock.sealBytes(key, await blob.arrayBuffer()) };
  }
  if (storeName === "derived" || (storeName === "settings" && sealedSetting(settingsKey))) {
    return { sealed: await lock.sealJSON(key, value) };
  }
  return value;
}

// A value as it is to be stored: sealed when this device has a lock.
async function seal(storeName, value, settingsKey) {
  return sealWith(await dataKey(), storeName, value, settingsKey);
}

async function unsealWith(key, stored) {
  if (!stored?.sealed) return stored;
  const value = await lock.openJSON(key, stored.sealed);
  if (stored.sealedBlob) value.blob = new Blob([await lock.openBytes(key, stored.sealedBlob)], { type: value.type });
  return value;
}

async function unseal(stored) {
  return stored?.sealed ? unsealWith(await dataKey(), stored) : stored;
}

const unsealAll = (values) => Promise.all(values.map(unseal));

async function unlocked(key) {
  sessionKey = key;
  lastActive = Date.now();
  await run("settings", "readwrite", (s) => s.put({ key }, SESSION));
  await saveUse(null);
  await run("settings", "readwrite", (s) => s.delete(TRIES));
  waiting?.resolve(key);
  waiting = null;
  channel?.postMessage("unlocked");
  watchLock();
}

// Sets the lock: a new data key, and everything already kept sealed with it in one transaction.
export async function setLock(passphrase, times = {}) {
  if (await lockRecord()) throw new Error("This device already has a lock.");
  const { record, key } = await lock.newLock(passphrase);
  Object.assign(record, LOCK_DEFAULTS, times);
  const stores = ["assessments", "clients", "photos", "derived", "settings"];
  const found = await runMany(stores, "readonly", async (s) => {
    const all = {};
    for (const name of stores) all[name] = [await request(s[name].getAllKeys()), await request(s[name].getAll())];
    return all;
  });
  const sealed = {};
  for (const name of stores) {
    const [keys, values] = found[name];
    sealed[name] = [];
    for (const [i, value] of values.entries()) {
      const outKey = name === "derived" || name === "settings" ? keys[i] : undefined;
      if (name === "settings" && !sealedSetting(outKey)) continue;
      sealed[name].push([outKey, await sealWith(key, name, value, outKey)]);
    }
  }
  await runMany(stores, "readwrite", (s) => {
    for (const name of stores) for (const [outKey, value] of sealed[name]) s[name].put(value, outKey);
    s.settings.put(record, LOCK);
  });
  await unlocked(key);
}

// { ok: true }, or { ok: false, wait: seconds before the next try }. A wrong passphrase changes no record.
export async function unlock(passphrase) {
  const record = await lockRecord();
  if (!record) return { ok: true };
  const tries = (await run("settings", "readonly", (s) => s.get(TRIES))) ?? { count: 0, until: 0 };
  if (Date.now() < tries.until) return { ok: false, wait: Math.ceil((tries.until - Date.now()) / 1000) };
  let key;
  try {
    key = await lock.unwrap(record, passphrase);
  } catch {
    const count = tries.count + 1;
    const wait = count >= FREE_TRIES ? Math.min(5 * 2 ** (count - FREE_TRIES), 300) : 0;
    await run("settings", "readwrite", (s) => s.put({ count, until: Date.now() + wait * 1000 }, TRIES));
    return { ok: false, wait };
  }
  await unlocked(key);
  return { ok: true };
}

// A new passphrase for the same data key: only the wrapped key changes, never a record.
export async function changePassphrase(oldPassphrase, newPassphrase) {
  const record = await lockRecord();
  let wrapped;
  try {
    wrapped = await lock.rewrap(record, oldPassphrase, newPassphrase);
  } catch {
    return false;
  }
  const times = { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds };
  await run("settings", "readwrite", (s) => s.put({ ...wrapped, ...times }, LOCK));
  return true;
}

export async function setLockTimes(times) {
  const record = await lockRecord();
  if (!record) return;
  await run("settings", "readwrite", (s) => s.put({ ...record, ...times }, LOCK));
  limits = { ...limits, ...times };
}

export async function lockNow() {
  await forget();
  channel?.postMessage("locked");
  whenLocked();
}

channel?.addEventListener("message", async ({ data }) => {
  if (data === "locked") {
    sessionKey = null;
    whenLocked();
  } else if (data === "unlocked") {
    const record = await lockRecord();
    const key = record && (await currentKey(record));
    if (!key) return;
    waiting?.resolve(key);
    waiting = null;
    whenUnlockedElsewhere();
  }
});

// Locks after the idle time without a touch, or once hidden for hiddenSeconds; every page runs this.
export async function watchLock() {
  const record = await lockRecord();
  if (!record || watching) return;
  watching = true;
  limits = { idleSeconds: record.idleSeconds, hiddenSeconds: record.hiddenSeconds };
  const touch = () => {
    lastActive = Date.now();
    if (sessionKey && lastActive - lastSaved > 5000) saveUse(null);
  };
  for (const name of ["pointerdown", "keydown", "wheel", "input"]) document.addEventListener(name, touch, { passive: true });
  const check = async () => {
    if (!sessionKey) return;
    const now = Date.now();
    if (hiddenSince && now - hiddenSince > limits.hiddenSeconds * 1000) {
      await lockNow();
    } else if (now - lastActive > limits.idleSeconds * 1000) {
      // Another page of this browser may have been in use meanwhile.
      const used = await run("settings", "readonly", (s) => s.get(USED));
      if (used && !used.hidden && used.active > lastActive) lastActive = used.active;
      else await lockNow();
    }
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      hiddenSince = Date.now();
      if (sessionKey) saveUse(hiddenSince);
    } else {
      check().then(() => {
        hiddenSince = null;
        if (sessionKey) touch();
      });
    }
  });
  setInterval(check, 1000);
}

// The assessment lives on this device only, in IndexedDB. Each assessment is keyed by its own id so that
// several (an OT's clients) can live side by side; "current" names the one being worked on.
//
// The document's format is not defined here: pwa/assessment.py owns it and writes it into every page (its
// version, answer values, limits, and a blank document to copy). A document saved by an older release is sent
// to the server once, which brings it up to date; the original is kept beside it.
import { postJSON } from "./api.js";

const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
export const SCHEMA_VERSION = contract.schema;
export const LIMITS = contract.limits;

const DB_NAME = "safesteps";
const DB_VERSION = 1;

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

export async function currentId() {
  return run("settings", "readonly", (s) => s.get("current"));
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
    await run("settings", "readwrite", (s) => s.put(stored, backupKey));
  }
  return save(assessment);
}

export async function loadCurrent() {
  const id = await currentId();
  const stored = id ? await run("assessments", "readonly", (s) => s.get(id)) : undefined;
  if (stored) {
    if (stored.schema === SCHEMA_VERSION) return stored;
    return (await upgrade(stored)) ?? stored;
  }
  const fresh = newAssessment();
  await save(fresh);
  await run("settings", "readwrite", (s) => s.put(fresh.id, "current"));
  return fresh;
}

export async function save(assessment) {
  await run("assessments", "readwrite", (s) => s.put(assessment));
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
    return save(assessment);
  });
  queue = next.catch(() => {});
  return next;
}

export async function getDerived(key) {
  return run("derived", "readonly", (s) => s.get(key));
}

export async function putDerived(key, value) {
  return run("derived", "readwrite", (s) => s.put(value, key));
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

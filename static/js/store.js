// The assessment lives on this device only, in IndexedDB. Each assessment is keyed by its own id so that
// several (an OT's clients) can live side by side; "current" names the one being worked on.

export const SCHEMA_VERSION = 1;
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
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
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
    schema: SCHEMA_VERSION,
    content_version: contentVersion(),
    id: crypto.randomUUID(),
    created: now,
    updated: now,
    profile: { sites: [], walking_aid: null, yes_no: {}, screen: {}, lifting_limit: "", care_team_phone: "", name: "" },
    answers: {},
    done: {},
    visit: { client: "", assessor: "", date: "" },
  };
}

// Bring a stored document up to SCHEMA_VERSION. Nothing is ever dropped: fields we do not know are kept.
export function migrate(doc) {
  const base = newAssessment();
  const migrated = { ...base, ...doc, id: doc.id ?? base.id };
  migrated.profile = { ...base.profile, ...(doc.profile ?? {}) };
  migrated.answers = { ...(doc.answers ?? {}) };
  migrated.done = { ...(doc.done ?? {}) };
  migrated.visit = { ...base.visit, ...(doc.visit ?? {}) };
  if ((doc.schema ?? 0) < SCHEMA_VERSION) migrated.schema = SCHEMA_VERSION;
  // The content version records what the answers were given against; keep the old one so a plan can say so.
  migrated.content_version = doc.content_version || contentVersion();
  return migrated;
}

export async function currentId() {
  return run("settings", "readonly", (s) => s.get("current"));
}

export async function loadCurrent() {
  const id = await currentId();
  const stored = id ? await run("assessments", "readonly", (s) => s.get(id)) : undefined;
  if (stored) {
    const migrated = migrate(stored);
    if (JSON.stringify(migrated) !== JSON.stringify(stored)) await save(migrated);
    return migrated;
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

// Updates run one after another so two quick taps can never overwrite each other.
let queue = Promise.resolve();
export function update(change) {
  const next = queue.then(async () => {
    const assessment = await loadCurrent();
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

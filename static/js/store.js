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

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const objectOr = (value, fallback = {}) => (isObject(value) ? value : fallback);

// Bring a stored document up to SCHEMA_VERSION. Nothing is ever dropped: fields we do not know are kept,
// answers for items that no longer exist are kept (the plan reports them), and a document from a newer
// schema is left as it is. Missing parts get their empty defaults.
export function migrate(doc) {
  const base = newAssessment();
  const migrated = { ...base, ...doc, id: doc.id ?? base.id };
  migrated.profile = { ...base.profile, ...objectOr(doc.profile) };
  migrated.answers = {};
  for (const [itemId, saved] of Object.entries(objectOr(doc.answers))) {
    // A bare value ("fix"), as a hand-made or imported document may hold, becomes { answer: "fix" }.
    migrated.answers[itemId] = typeof saved === "string" ? { answer: saved } : saved;
  }
  migrated.done = { ...objectOr(doc.done) };
  migrated.visit = { ...base.visit, ...objectOr(doc.visit) };
  migrated.created = doc.created ?? doc.updated ?? base.created;
  migrated.updated = doc.updated ?? migrated.created;
  const schema = Number.isInteger(doc.schema) ? doc.schema : 0;
  migrated.schema = Math.max(schema, SCHEMA_VERSION);
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
    if (JSON.stringify(migrated) !== JSON.stringify(stored)) {
      // Keep the document exactly as it was found, once per schema, before writing the migrated one.
      const backupKey = `before-migration:${stored.id}:${stored.schema ?? 0}`;
      if ((await run("settings", "readonly", (s) => s.get(backupKey))) === undefined) {
        await run("settings", "readwrite", (s) => s.put(stored, backupKey));
      }
      await save(migrated);
    }
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

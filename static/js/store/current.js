// The assessment this page was opened for ("current" in the settings store): opening it (a blank one of the
// person's own when there is none), bringing a document saved by an older release up to date once (the original
// is kept beside it), updates one after another, what the server derived from it, and the hand-off from an OT's
// code, which keeps a new assessment of the person's own and opens it.
import { postJSON } from "../api.js";
import { request, run, runMany } from "./db.js";
import { AssessmentGone, contract, currentId, getAssessment, newAssessment, SCHEMA_VERSION, save } from "./records.js";
import { seal, unseal } from "./sealing.js";

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

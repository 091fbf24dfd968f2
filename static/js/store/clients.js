// Home visits: an OT's clients, their visits (assessments whose visit.client_id names the client) and the
// photos of each visit, kept as Blobs outside the assessment JSON. Every read and write goes through seal() and
// unseal() (the device lock).
import { request, run, runMany } from "./db.js";
import { loadCurrent, update } from "./current.js";
import { AssessmentGone, contract, newAssessment, SCHEMA_VERSION, save, setCurrent, today } from "./records.js";
import { seal, unseal, unsealAll } from "./sealing.js";

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
export const photoKey = (assessmentId, itemId, slot = 0) => (slot ? `${assessmentId}/${itemId}/${slot}` : `${assessmentId}/${itemId}`);

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

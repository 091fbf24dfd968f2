// One assessment record and the format it keeps: the contract pwa/assessment.py writes into every page (its
// version, answer values, limits, and a blank document to copy), new records made from it, and the plain reads
// and writes of a record by its id. The document's format is not defined here.
import { run } from "./db.js";
import { seal, unseal } from "./sealing.js";

export const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
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

export async function getAssessment(id) {
  return unseal(await run("assessments", "readonly", (s) => s.get(id)));
}

export async function setCurrent(id) {
  await run("settings", "readwrite", (s) => s.put(id, "current"));
}

export async function save(assessment) {
  const stored = await seal("assessments", assessment);
  await run("assessments", "readwrite", (s) => s.put(stored));
  return assessment;
}

export function today() {
  const day = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

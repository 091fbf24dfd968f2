// The hand-off to a person's own phone, with no server store: the assessment travels in the link's fragment
// (/handoff#...), which browsers never send. It is the assessment document (see pwa/handoff.py, which makes
// the printed code the same way), compact JSON, deflate-raw compressed and base64url-encoded. Never photos
// (they are not in the document), nor the last visit's answers. When the notes make the code too big to scan
// from paper, they are left out and the copy says that the notes stay with the OT.
import { postJSON } from "./api.js";
import { keepHandedOff, loadCurrent } from "./store.js";

// The same tiers as pwa/handoff.py: everything; then without the "Doesn't apply" answers, which no plan shows;
// then without the notes too.
const TIERS = [[true, true], [true, false], [false, false]];

function handoffDocument(assessment, withNotes, withNotApplicable) {
  const answers = {};
  for (const [itemId, saved] of Object.entries(assessment.answers)) {
    if (!withNotApplicable && saved.answer === "na" && !(withNotes && saved.note)) continue;
    if (saved.answer !== null || (withNotes && saved.note)) answers[itemId] = { ...saved, at: null, note: withNotes ? saved.note : "" };
  }
  const visit = { ...assessment.visit, client_id: "", previous: null, note: "" };
  if (!withNotes) visit.notes_kept_by_ot = Object.values(assessment.answers).some((saved) => saved.note);
  return { ...assessment, id: "", created: null, updated: null, answers, visit };
}

const toBase64url = (bytes) => {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

// Every field left at its default is dropped (the version kept): the server reads the rest back as the same
// assessment (pwa/handoff.py does the same for the printed code).
const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function compact(assessment) {
  const out = { schema: assessment.schema };
  for (const [key, value] of Object.entries(assessment)) {
    if (key === "schema" || same(value, contract.blank[key])) continue;
    if (key === "answers") {
      out.answers = {};
      for (const [itemId, saved] of Object.entries(value)) {
        out.answers[itemId] = Object.fromEntries(Object.entries(saved).filter(([k, v]) => !same(v, contract.blank_answer[k])));
      }
    } else if (value && typeof value === "object" && !Array.isArray(value) && contract.blank[key] && typeof contract.blank[key] === "object") {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k, v]) => !same(v, contract.blank[key][k])));
    } else {
      out[key] = value;
    }
  }
  return out;
}

export async function encode(assessment) {
  const stream = new Blob([JSON.stringify(compact(assessment))]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

export async function decode(fragment) {
  const binary = atob(fragment.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return JSON.parse(await new Response(stream).text());
}

function qrFor(qrcode, url, level, maxVersion) {
  try {
    const qr = qrcode(0, level);
    qr.addData(url, "Byte");
    qr.make();
    return (qr.getModuleCount() - 17) / 4 <= maxVersion ? qr : null;
  } catch {
    return null; // too long for any QR code
  }
}

function draw(canvas, qr) {
  const border = 4;
  const cell = 4;
  const count = qr.getModuleCount();
  canvas.width = canvas.height = (count + 2 * border) * cell;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#000";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) context.fillRect((col + border) * cell, (row + border) * cell, cell, cell);
    }
  }
}

// The plan page: the code for the assessment open on this device.
export async function showQr() {
  const section = document.querySelector("[data-handoff]");
  const assessment = await loadCurrent();
  // Only a client's visit is handed off; a person on their own phone already has their plan.
  if (!assessment.visit?.client_id) return;
  // The QR library (52 KB) is loaded only here, for a home visit: a person's own plan page never needs it.
  const { default: qrcode } = await import("../vendor/qrcode-generator/qrcode.mjs");
  section.hidden = false;
  const maxVersion = Number(section.dataset.maxVersion);
  const level = section.dataset.error.toUpperCase();
  for (const [withNotes, withNotApplicable] of TIERS) {
    const url = `${location.origin}/handoff#${await encode(handoffDocument(assessment, withNotes, withNotApplicable))}`;
    const qr = qrFor(qrcode, url, level, maxVersion);
    if (!qr) continue;
    draw(section.querySelector("[data-handoff-qr]"), qr);
    section.querySelector("[data-handoff-link]").href = url;
    section.querySelector("[data-handoff-notes-left]").hidden = withNotes;
    section.dataset.ready = "true";
    return;
  }
  section.querySelector("[data-handoff-qr]").hidden = true;
  section.querySelector("[data-handoff-link]").hidden = true;
  section.querySelector("[data-handoff-too-big]").hidden = false;
  section.dataset.ready = "too-big";
}

// The /handoff page on the person's phone: check the document (the server brings it up to date and refuses
// what it would not keep), keep it as this phone's own assessment, and open the plan.
export async function start() {
  const error = document.querySelector("[data-handoff-error]");
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    document.querySelector("[data-handoff-status]").hidden = true;
    document.body.dataset.restored = "true";
  };
  const fragment = location.hash.slice(1);
  if (!fragment) return fail(error.dataset.empty);
  let document_;
  try {
    document_ = await decode(fragment);
  } catch {
    return fail(error.dataset.broken);
  }
  let response;
  try {
    response = await postJSON("/api/assessment", document_);
  } catch {
    return fail(error.dataset.offline);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    return fail(`${error.dataset.refused} ${problem.message ?? ""}`);
  }
  const { assessment } = await response.json();
  await keepHandedOff(assessment);
  // The assessment leaves the address bar and the history: the plan page reads it from this phone's store.
  history.replaceState(null, "", location.pathname);
  location.replace("/plan");
}

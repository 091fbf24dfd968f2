// The hand-off to a person's own phone, with no server store: the assessment travels in the link's fragment
// (/handoff#<fragment>.<signature>), which browsers never send by themselves. This file is the one author of
// the link: the code on screen and the printed plan's code (plan.js sends the link with the PDF request; the
// server checks, signs and draws it, pwa/handoff.py). The fragment is the assessment document, compact JSON,
// deflate-raw compressed and base64url-encoded; its answers written in format 2 (one code per item, in the order
// the page gives, pwa/handoff_order.txt), about half the size of the answers by item id. Never photos (they are not in the document), nor the last
// visit's answers. When the notes make the code too big to scan from paper, they are left out and the copy says
// that the notes stay with the OT. The signature (the server's, when online) tells the phone the link is ours.
import { postJSON } from "./api.js";
import { appPath } from "./words.js";
import { hasOwnAnswers, keepHandedOff, loadCurrent } from "./store.js";

// Everything; then without the "Doesn't apply" answers, which no plan shows; then without the notes too.
const TIERS = [[true, true], [true, false], [false, false]];

function handoffDocument(assessment, withNotes, withNotApplicable) {
  const answers = {};
  for (const [itemId, saved] of Object.entries(assessment.answers)) {
    if (!withNotApplicable && saved.answer === "na" && !(withNotes && saved.note)) continue;
    // Of the OT's advice, the phone gets the recommendation alone (the plan says it); pwa/handoff.py does the same.
    const ot = saved.ot?.recommendation ? { ...contract.blank_ot, recommendation: saved.ot.recommendation } : null;
    if (saved.answer !== null || (withNotes && saved.note)) answers[itemId] = { ...saved, at: null, note: withNotes ? saved.note : "", ot };
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
// assessment.
const contract = JSON.parse(document.getElementById("assessment-contract").textContent);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function compact(assessment) {
  const out = { schema: assessment.schema };
  for (const [key, value] of Object.entries(assessment)) {
    if (key === "schema" || same(value, contract.blank[key])) continue;
    if (key === "answers") {
      out.answers = {};
      for (const [itemId, saved] of Object.entries(value)) {
        const kept = Object.fromEntries(Object.entries(saved).filter(([k, v]) => !same(v, contract.blank_answer[k])));
        if (kept.ot) kept.ot = { recommendation: kept.ot.recommendation };
        out.answers[itemId] = kept;
      }
    } else if (value && typeof value === "object" && !Array.isArray(value) && contract.blank[key] && typeof contract.blank[key] === "object") {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k, v]) => !same(v, contract.blank[key][k])));
    } else {
      out[key] = value;
    }
  }
  return out;
}

// Format 2: the answers as one code per item in the page's order ("-" for none, the tail of "-" cut off), the
// notes and the recommendations by item id. null when an answer's item is not in the order, or its value has no
// code (format 1 then).
function positional(compacted, section) {
  const order = section.dataset.order.split(",");
  const codes = JSON.parse(section.dataset.codes);
  const answers = compacted.answers ?? {};
  const known = (saved) => !saved.answer || saved.answer in codes;
  if (Object.entries(answers).some(([itemId, saved]) => !order.includes(itemId) || !known(saved))) return null;
  const notes = {};
  const recommendations = {};
  let answerCodes = "";
  for (const itemId of order) {
    const saved = answers[itemId];
    answerCodes += saved?.answer ? codes[saved.answer] : "-";
    if (saved?.note) notes[itemId] = saved.note;
    if (saved?.ot?.recommendation) recommendations[itemId] = saved.ot.recommendation;
  }
  const { answers: _, ...rest } = compacted;
  const out = { handoff: 2, ...rest, answer_codes: answerCodes.replace(/-+$/, "") };
  if (Object.keys(notes).length) out.notes = notes;
  if (Object.keys(recommendations).length) out.recommendations = recommendations;
  return out;
}

export async function encode(assessment, section = document.querySelector("[data-handoff]")) {
  const compacted = compact(assessment);
  const written = (section && positional(compacted, section)) || compacted;
  const stream = new Blob([JSON.stringify(written)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64url(new Uint8Array(await new Response(stream).arrayBuffer()));
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

// The link for a visit's plan: the first tier whose code (with room for the signature) scans from paper.
// { fragment, withNotes, qrcode } or null when even the smallest is too big. `section` carries the code's limits.
export async function chooseLink(assessment, section = document.querySelector("[data-handoff]")) {
  // The QR library (52 KB) is loaded only here, for a home visit: a person's own plan page never needs it.
  const { default: qrcode } = await import("../vendor/qrcode-generator/qrcode.mjs");
  const maxVersion = Number(section.dataset.maxVersion);
  const level = section.dataset.error.toUpperCase();
  const room = `.${"A".repeat(Number(section.dataset.signatureChars))}`;
  for (const [withNotes, withNotApplicable] of TIERS) {
    const fragment = await encode(handoffDocument(assessment, withNotes, withNotApplicable), section);
    if (qrFor(qrcode, `${location.origin}/handoff#${fragment}${room}`, level, maxVersion)) return { fragment, withNotes, qrcode };
  }
  return null;
}

// The server's signature, when there is a connection; offline the code has none, and the phone that opens it
// asks before using the care team's number in it.
async function signed(fragment) {
  try {
    const response = await postJSON("/api/handoff/sign", { link: fragment });
    if (response.ok) return `${fragment}.${(await response.json()).signature}`;
  } catch (error) {
    if (!(error instanceof TypeError)) console.warn("SafeSteps could not sign the hand-off:", error);
  }
  return fragment;
}

// The plan page: the code for the assessment open on this device.
export async function showQr() {
  const section = document.querySelector("[data-handoff]");
  const assessment = await loadCurrent();
  // Only a client's visit is handed off; a person on their own phone already has their plan.
  if (!assessment.visit?.client_id) return;
  section.hidden = false;
  const chosen = await chooseLink(assessment, section);
  if (!chosen) {
    section.querySelector("[data-handoff-qr]").hidden = true;
    section.querySelector("[data-handoff-link]").hidden = true;
    section.querySelector("[data-handoff-too-big]").hidden = false;
    section.dataset.ready = "too-big";
    return;
  }
  const url = `${location.origin}/handoff#${await signed(chosen.fragment)}`;
  const qr = qrFor(chosen.qrcode, url, section.dataset.error.toUpperCase(), Number(section.dataset.maxVersion));
  draw(section.querySelector("[data-handoff-qr]"), qr);
  section.querySelector("[data-handoff-link]").href = url;
  section.querySelector("[data-handoff-notes-left]").hidden = chosen.withNotes;
  section.dataset.ready = "true";
}

// The /handoff page on the person's phone. The server reads the link (it expands it with a cap, brings it up to
// date, refuses what it would not keep, blanks what only the OT's device needs, and says whether it made it).
// The phone asks first when it already holds the person's own answers (they are kept, and the start page can
// switch back), or when the link was not made by this service (its care team number is then used only if
// the person says it is theirs).
export async function start() {
  const error = document.querySelector("[data-handoff-error]");
  const status = document.querySelector("[data-handoff-status]");
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    status.hidden = true;
    document.body.dataset.restored = "true";
  };
  const link = location.hash.slice(1);
  if (!link) return fail(error.dataset.empty);
  if (link.length > Number(error.dataset.linkMax)) return fail(error.dataset.tooLarge);
  let response;
  try {
    response = await postJSON("/api/handoff/open", { link });
  } catch {
    return fail(error.dataset.offline);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    return fail(problem.message ?? error.dataset.broken);
  }
  const { assessment, made_here: madeHere } = await response.json();
  const phone = assessment.profile.care_team_phone;
  const own = await hasOwnAnswers();
  const open = async (usePhone) => {
    if (!usePhone) assessment.profile.care_team_phone = "";
    try {
      await keepHandedOff(assessment);
    } catch (problem) {
      document.querySelector("[data-handoff-ask]").hidden = true;
      return fail(problem?.name === "QuotaExceededError" ? error.dataset.full : error.dataset.broken);
    }
    // The assessment leaves the address bar and the history: the plan page reads it from this phone's store.
    history.replaceState(null, "", location.pathname);
    location.replace(appPath("/plan"));
  };
  if (madeHere && !own) return open(true);

  const ask = document.querySelector("[data-handoff-ask]");
  status.hidden = true;
  ask.querySelector("[data-handoff-not-ours]").hidden = madeHere;
  ask.querySelector("[data-handoff-own]").hidden = !own;
  const phoneChoice = ask.querySelector("[data-handoff-phone]");
  phoneChoice.hidden = madeHere || !phone;
  phoneChoice.querySelector("[data-handoff-phone-number]").textContent = phone;
  ask.querySelector("[data-handoff-open]").addEventListener("click", () => {
    open(madeHere || phoneChoice.querySelector("[data-handoff-phone-use]").checked);
  });
  ask.hidden = false;
  document.body.dataset.restored = "true";
}

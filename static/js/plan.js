// The plan page: the server makes the plan from the answers kept on this device (POST /api/plan) and forgets
// them. The last plan made is kept on the device, so it can still be shown, with its date, when offline.
// It is kept per assessment and language, with the content version it was made with: a plan shown from there
// always says when it was made and that it may be out of date, and is replaced as soon as the server answers.
import { downloadFile, freshToken, postJSON } from "./api.js";
import { appPath, pageLocale } from "./words.js";
import { pageEdition, personalisationFor } from "./personalisation.js";
import { leftOutIn } from "./parts.js";
import { showCareTeam } from "./red-flags.js";
import { getDerived, loadCurrent, putDerived, update } from "./store.js";

const $ = (selector) => document.querySelector(selector);
let waitingForConnection = false;

// Dates as the person's calendar shows them: local, not UTC (late evening would otherwise be tomorrow).
function isoDay(day) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// The same rule as pwa/reminder.py's add_months: the same day of the month, or that month's last day. One
// table of cases (tests/data/months_ahead_cases.json) runs through both.
export function monthsAhead(months, from = new Date()) {
  const day = new Date(from);
  const wanted = day.getMonth() + months;
  day.setMonth(wanted);
  if (day.getMonth() !== ((wanted % 12) + 12) % 12) day.setDate(0); // 31 Nov -> 30 Nov, not 1 Dec
  return day;
}

// Ticks are shown from the assessment, the one record of them: a plan kept from before a tick (offline, or
// made before the latest taps) still shows every tick the person made.
function showTicks(assessment) {
  for (const input of document.querySelectorAll("[data-plan] [data-done]")) {
    const done = Boolean(assessment.done?.[input.dataset.done]);
    input.checked = done;
    input.closest(".plan-action")?.classList.toggle("is-done", done);
  }
}

function showPlan(html, assessment) {
  const holder = $("[data-plan]");
  // The fragment is our own server's Jinja output (autoescaped): the person's notes arrive as text.
  holder.innerHTML = html;
  $("[data-plan-status]").hidden = true;
  showTicks(assessment);
}

async function refresh() {
  const token = freshToken();
  token.catch(() => {}); // offline: postJSON below finds out and the last plan is shown
  const assessment = await loadCurrent();
  const { contentVersion, lang } = pageEdition();
  const key = `plan:${assessment.id}:${lang}`;
  $("[data-plan-error]").hidden = true;
  let response;
  try {
    response = await postJSON("/api/plan", assessment, { accept: "text/html", token });
  } catch {
    // No connection (or the server cannot be reached): the answers are safe; show the last plan we had.
    waitingForConnection = true;
    $("[data-plan-offline]").hidden = false;
    const last = (await getDerived(key)) ?? (await getDerived(`plan:${assessment.id}`)); // or an older release's
    if (last) {
      showPlan(last.html, assessment);
      $("[data-plan-stale-date]").textContent = new Date(last.made).toLocaleDateString(pageLocale(), { dateStyle: "long" });
      $("[data-plan-stale]").hidden = false;
    } else {
      await showOfflineList(assessment).catch((error) => console.warn("SafeSteps could not show the list:", error));
      $("[data-plan-status]").hidden = true;
    }
    return;
  }
  waitingForConnection = false;
  $("[data-plan-offline]").hidden = true;
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const error = $("[data-plan-error]");
    error.textContent = problem.message ?? error.dataset.fallback;
    error.hidden = false;
    $("[data-plan-status]").hidden = true;
    return;
  }
  const html = await response.text();
  showPlan(html, assessment);
  $("[data-plan-stale]").hidden = true;
  await putDerived(key, { html, made: new Date().toISOString(), contentVersion, lang });
}

// Offline, before any plan was made: the person's own list, from the page the service worker keeps
// (GET /plan/offline, every item's words) and the answers on this device. The warning signs first, then each thing
// marked "Needs fixing" in walk order, room by room: no ranking here (that is the server's, made once online).
async function showOfflineList(assessment) {
  const response = await fetch(appPath("/plan/offline"));
  if (!response.ok) return;
  const holder = document.createElement("template");
  holder.innerHTML = await response.text(); // our own page, from this release's cache
  const list = holder.content;
  const leftOut = leftOutIn(assessment);
  const shown = (await personalisationFor(assessment))?.items ?? {}; // the last advice kept on the device
  for (const li of list.querySelectorAll("[data-offline-item]")) {
    const id = li.dataset.offlineItem;
    const saved = assessment.answers[id];
    const keep = saved?.answer === "fix" && !leftOut(id) && shown[id]?.shown !== false && !assessment.done?.[id];
    if (!keep) { li.remove(); continue; }
    if (saved.note?.trim()) {
      li.querySelector("[data-offline-note-text]").textContent = saved.note.trim();
      li.querySelector("[data-offline-note]").hidden = false;
    }
  }
  for (const room of list.querySelectorAll("[data-offline-room]")) {
    if (!room.querySelector("[data-offline-item]")) room.remove();
  }
  list.querySelector("[data-offline-empty]").hidden = Boolean(list.querySelector("[data-offline-item]"));
  showCareTeam(list, assessment.profile);
  const target = $("[data-plan]");
  target.replaceChildren(list);
  target.querySelector("[data-print-page]").addEventListener("click", () => window.print());
}

// Ticking "Done" changes the page in place: the tick shows at once and nothing moves, online or offline. The
// date is recorded in the assessment; the next plan made lists the action under "Done".
async function markDone(input) {
  const itemId = input.dataset.done;
  const done = input.checked;
  input.closest(".plan-action")?.classList.toggle("is-done", done);
  await update((assessment) => {
    assessment.done ??= {};
    if (done) assessment.done[itemId] = isoDay(new Date());
    else delete assessment.done[itemId];
  }).catch((error) => console.warn("SafeSteps could not save the tick:", error));
}

function printOptions() {
  const paper = document.querySelector("input[name='paper']:checked")?.value ?? "a4";
  const large = $("[data-large]").checked;
  return new URLSearchParams(large ? { paper, large: "1" } : { paper }).toString();
}

// A home visit's plan carries the hand-off code: the page sends the link it makes (handoff.js), the server
// checks it is this plan's, signs it and prints it.
async function handoffHeaders(path, assessment) {
  const section = $("[data-handoff]");
  if (path !== "/plan.pdf" || !assessment.visit?.client_id || !section) return {};
  const { chooseLink } = await import("./handoff.js");
  const chosen = await chooseLink(assessment, section);
  return chosen ? { [section.dataset.header]: chosen.fragment } : {};
}

function downloadPdf(path = "/plan.pdf", fallbackName = "safesteps-plan.pdf") {
  const send = async () => {
    const assessment = await loadCurrent();
    const headers = await handoffHeaders(path, assessment);
    return postJSON(`${path}?${printOptions()}`, assessment, { accept: "application/pdf", headers });
  };
  return downloadFile(send, { status: $("[data-download-status]"), fallbackName });
}

function updatePrintLinks() {
  $("[data-checklist-link]").href = appPath(`/checklist.pdf?${printOptions()}`);
}

function setUpReminder() {
  const input = $("[data-reminder-date]");
  const links = document.querySelectorAll("[data-reminder-link]");
  // The page may come from the service worker's cache: work the dates out from today, not from the page.
  const fallback = isoDay(monthsAhead(Number(input.dataset.months)));
  input.min = isoDay(new Date());
  input.value = fallback;
  // The server checks the date against the person's own today, which it cannot know: send it.
  const sync = () => {
    const query = new URLSearchParams({ date: input.value || fallback, today: isoDay(new Date()) });
    for (const link of links) link.href = appPath(`/reminder.ics?${query}`);
  };
  input.addEventListener("change", sync);
  sync();
}

export async function start() {
  if (/-(US|CA|MX)$/i.test(navigator.language)) {
    const letter = document.querySelector("input[name='paper'][value='letter']");
    if (letter) letter.checked = true;
  }
  updatePrintLinks();
  setUpReminder();
  $("[data-plan]").addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches("[data-done]")) markDone(input);
  });
  for (const button of document.querySelectorAll("[data-download-pdf]")) button.addEventListener("click", () => downloadPdf());
  // The one-page summary for the fridge door: the same request to its own address.
  for (const button of document.querySelectorAll("[data-download-summary]")) {
    button.addEventListener("click", () => downloadPdf("/summary.pdf", "safesteps-summary.pdf"));
  }
  document.querySelector(".plan-print").addEventListener("change", updatePrintLinks);
  window.addEventListener("online", () => { if (waitingForConnection) refresh(); });
  // The browser's own Print: everything folded on screen ("Do this month", what is already safe) is printed open.
  window.addEventListener("beforeprint", () => {
    for (const fold of document.querySelectorAll("[data-plan] details")) fold.open = true;
  });

  await refresh();
  document.body.dataset.restored = "true";
}

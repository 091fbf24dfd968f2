// Home visits on every page and on room items: whose visit is open (the visit bar), what was found last time
// on a follow-up, and a photo per item. Everything shown is hidden unless a client's visit is open.
import { getAssessment, lockState, openedId } from "./store.js";
import { setUpPhotos } from "./photos.js";

export function formatDay(isoDay) {
  if (!isoDay) return "";
  return new Date(`${isoDay}T00:00:00`).toLocaleDateString(undefined, { dateStyle: "medium" });
}

export async function showVisitBar() {
  const bar = document.querySelector("[data-visit-bar]");
  if (!bar) return;
  const id = await openedId(); // this page's visit, whatever another tab has opened since
  const assessment = id ? await getAssessment(id) : undefined;
  if (!assessment?.visit?.client_id) return;
  bar.querySelector("[data-visit-bar-client]").textContent = assessment.visit.client;
  bar.querySelector("[data-visit-bar-date]").textContent = formatDay(assessment.visit.date);
  bar.querySelector("[data-visit-bar-lock]").hidden = (await lockState()) !== "unlocked";
  bar.hidden = false;
}

function answerLabel(itemEl, value) {
  const label = value && itemEl.querySelector(`label[for="${CSS.escape(`${itemEl.dataset.item}--${value}`)}"]`);
  return label ? label.textContent.trim() : itemEl.querySelector("[data-last-time-answer]").dataset.unanswered;
}

function markChanged(itemEl, before) {
  const now = itemEl.querySelector(".answer-input:checked")?.value ?? null;
  itemEl.querySelector("[data-changed]").hidden = (before?.answer ?? null) === now;
  itemEl.dataset.changed = String((before?.answer ?? null) !== now);
}

export async function setUpVisitItems(assessment) {
  if (!assessment.visit?.client_id) return;
  const previous = assessment.visit.previous;
  for (const itemEl of document.querySelectorAll("[data-item]")) {
    itemEl.querySelector("[data-item-visit]").hidden = false;
    if (!previous) continue;
    const before = previous.answers[itemEl.dataset.item];
    const line = itemEl.querySelector("[data-last-time]");
    line.querySelector("[data-last-time-answer]").textContent = answerLabel(itemEl, before?.answer);
    line.querySelector("[data-last-time-note]").textContent = before?.note ? ` — “${before.note}”` : "";
    line.hidden = false;
    markChanged(itemEl, before);
  }
  if (previous) {
    document.addEventListener("change", (event) => {
      const itemEl = event.target.closest("[data-item]");
      if (itemEl && event.target.matches(".answer-input")) markChanged(itemEl, previous.answers[itemEl.dataset.item]);
    });
  }
  await setUpPhotos(assessment);
}

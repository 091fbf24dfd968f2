// Home visits on every page and on room items: whose visit is open (the visit bar), what was found last time
// on a follow-up, and a photo per item. Everything shown is hidden unless a client's visit is open.
import { changedOt, fitNote, getAssessment, LIMITS, lockState, openedId, update } from "./store.js";
import { showSaved } from "./saved.js";
import { setUpPhotos } from "./photos.js";
import { pageLocale } from "./words.js";

export function formatDay(isoDay) {
  if (!isoDay) return "";
  return new Date(`${isoDay}T00:00:00`).toLocaleDateString(pageLocale(), { dateStyle: "medium" });
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
  setUpOtAdvice(assessment);
  setUpRestSafe();
  setUpOnlyFix(assessment.id);
  await setUpPhotos(assessment);
}

// "Everything else here looks safe": every item shown and not yet answered becomes "ok", each through the
// room's own change handler (saved and counted as a tap on it would be).
function setUpRestSafe() {
  const holder = document.querySelector("[data-room-visit]");
  if (!holder) return;
  holder.hidden = false;
  holder.querySelector("[data-rest-safe]").addEventListener("click", () => {
    for (const itemEl of document.querySelectorAll("[data-item]")) {
      if (itemEl.hidden || itemEl.querySelector(".answer-input:checked")) continue;
      const ok = itemEl.querySelector('.answer-input[value="ok"]');
      if (!ok) continue;
      ok.checked = true;
      ok.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
}

// "Show only what needs fixing": every question not answered "fix" is hidden (data-fix-hidden, apart from the
// person's own hiding of items not shown) until the OT turns it off. Kept for this visit in this tab while the
// OT goes from room to room. Worked out when turned on and on each room's page, never under the OT's finger.
let applyOnlyFix = () => {};

// The room page calls this once the person's items are known (some are then hidden), so the count is theirs.
export function refreshOnlyFix() {
  applyOnlyFix();
}

function setUpOnlyFix(visitId) {
  const box = document.querySelector("[data-only-fix-box]");
  if (!box) return;
  const key = `safesteps:only-fix:${visitId}`;
  const toggle = box.querySelector("[data-only-fix]");
  const line = box.querySelector("[data-only-fix-hidden]");
  const words = line.querySelector("[data-only-fix-words]");
  const apply = () => {
    let count = 0;
    for (const itemEl of document.querySelectorAll("[data-item]")) {
      const hide = toggle.checked && !itemEl.querySelector('.answer-input[value="fix"]:checked');
      itemEl.toggleAttribute("data-fix-hidden", hide);
      if (hide && !itemEl.hidden) count += 1;
    }
    words.textContent = words.dataset.onlyFixWords.replace("{count}", count);
    line.hidden = !toggle.checked;
    if (toggle.checked) sessionStorage.setItem(key, "on");
    else sessionStorage.removeItem(key);
  };
  toggle.checked = sessionStorage.getItem(key) === "on";
  toggle.addEventListener("change", apply);
  box.querySelector("[data-only-fix-off]").addEventListener("click", () => {
    toggle.checked = false;
    apply();
  });
  box.hidden = false;
  applyOnlyFix = apply;
  apply();
}

// Captions by the photo's slot; empty ones at the end are dropped.
function saveCaption(itemId, slot, caption) {
  saveOt(itemId, (ot) => {
    const captions = [...(ot?.photo_captions ?? [])];
    while (captions.length <= slot) captions.push("");
    captions[slot] = caption;
    while (captions.length && !captions[captions.length - 1]) captions.pop();
    return { photo_captions: captions };
  });
}

function saveOt(itemId, change) {
  return showSaved(update((a) => { a.answers[itemId] = changedOt(a.answers[itemId], change(a.answers[itemId]?.ot)); }));
}

// The OT's own recommendation, priority, who, by when and measurements for each item, and the photo's caption:
// restored from the answer's `ot`, saved at every change.
function setUpOtAdvice(assessment) {
  for (const box of document.querySelectorAll("[data-ot-advice]")) {
    const itemId = box.dataset.otAdvice;
    const ot = assessment.answers[itemId]?.ot;
    if (!ot) continue;
    for (const field of box.querySelectorAll("[data-ot-field]")) {
      const value = ot[field.dataset.otField];
      if (value) field.value = value;
    }
    for (const input of box.querySelectorAll("[data-ot-measure]")) {
      const measured = ot.measurements[input.dataset.otMeasure];
      if (measured) input.value = measured.value;
    }
    for (const caption of document.querySelectorAll(`[data-ot-caption="${CSS.escape(itemId)}"]`)) {
      caption.value = ot.photo_captions[Number(caption.dataset.slot)] ?? "";
    }
    if (ot.recommendation || ot.priority || ot.who || ot.by_when || Object.keys(ot.measurements).length) box.open = true;
  }
  document.addEventListener("input", (event) => {
    const target = event.target;
    const box = target.closest("[data-ot-advice]");
    if (box && target.matches("[data-ot-field]")) {
      const name = target.dataset.otField;
      let value = target.value;
      if (name === "recommendation") value = fitNote(value);
      else if (name === "priority") value = value || null;
      else if (name === "who") value = value.slice(0, LIMITS.text);
      saveOt(box.dataset.otAdvice, () => ({ [name]: value }));
    } else if (box && target.matches("[data-ot-measure]")) {
      const number = target.valueAsNumber;
      const ok = Number.isFinite(number) && number >= 0 && number <= LIMITS.measurement;
      saveOt(box.dataset.otAdvice, (ot) => {
        const measurements = { ...ot?.measurements };
        if (ok) measurements[target.dataset.otMeasure] = { value: number, unit: target.dataset.unit };
        else delete measurements[target.dataset.otMeasure];
        return { measurements };
      });
    } else if (target.matches("[data-ot-caption]")) {
      saveCaption(target.dataset.otCaption, Number(target.dataset.slot), target.value.slice(0, LIMITS.text));
    }
  });
  // A photo removed takes its caption with it.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-photo-remove]");
    if (!button) return;
    const caption = button.closest("[data-photo-figure]").querySelector("[data-ot-caption]");
    if (caption.value) {
      caption.value = "";
      saveCaption(caption.dataset.otCaption, Number(caption.dataset.slot), "");
    }
  });
}

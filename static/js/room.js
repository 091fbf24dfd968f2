// A room of the walk: restore the saved answers, save every tap and note, show progress and what the
// "About me" answers mean for each item.
import { changedAnswer, fitNote, loadCurrent, update } from "./store.js";
import { personalisationFor } from "./personalisation.js";
import { showSaved } from "./saved.js";
import { refreshOnlyFix, setUpVisitItems } from "./visits.js";

const items = () => [...document.querySelectorAll("[data-item]")];

function refreshCount() {
  const visible = items().filter((el) => !el.hidden && !el.hasAttribute("data-left-out"));
  const answered = visible.filter((el) => el.querySelector("input:checked")).length;
  document.querySelector("[data-answered]").textContent = answered;
  document.querySelector("[data-total]").textContent = visible.length;
}

function restore(assessment) {
  for (const el of items()) {
    const saved = assessment.answers[el.dataset.item];
    if (!saved) continue;
    const input = el.querySelector(`input[value="${saved.answer}"]`);
    if (input) input.checked = true;
    if (saved.note) {
      el.querySelector("[data-note]").value = saved.note;
      el.querySelector("[data-note-details]").open = true;
    }
  }
}

function applyPersonalisation(result) {
  if (!result) return;
  const marked = [];
  for (const el of items()) {
    const view = result.items[el.dataset.item];
    if (!view) continue;
    el.hidden = !view.shown;
    el.dataset.priority = view.priority;
    const forYou = el.querySelector("[data-for-you]");
    const important = Boolean(view.shown && view.important && view.reasons.length);
    forYou.hidden = !important;
    el.classList.toggle("is-important", important);
    if (important) marked.push([forYou, view.reasons[0]]);
  }
  // The personal reason is said once for the room when it is the same for every item marked in it.
  const reasons = new Set(marked.map(([, reason]) => reason));
  const once = marked.length > 1 && reasons.size === 1;
  const roomReason = document.querySelector("[data-room-reason]");
  roomReason.hidden = !once;
  roomReason.querySelector("[data-room-reason-text]").textContent = once ? marked[0][1] : "";
  for (const [forYou, reason] of marked) {
    forYou.querySelector("[data-for-you-reason]").textContent = once ? "" : `: ${reason}`;
  }
}

// A room this home does not have ("No stairs in my home"): one tap records it in the assessment and folds the
// room away; one more brings it back. The answers already given are kept either way.
function showSkipped(skipped) {
  const holder = document.querySelector("[data-skip-room]");
  if (!holder) return;
  document.body.classList.toggle("room-skipped", skipped);
  holder.querySelector("[data-skipped-note]").hidden = !skipped;
}

function setUpSkip(assessment) {
  const holder = document.querySelector("[data-skip-room]");
  if (!holder) return;
  const room = holder.dataset.skipRoom;
  showSkipped((assessment.skipped ?? []).includes(room));
  const set = (skipped) => {
    showSkipped(skipped);
    showSaved(update((a) => {
      const others = (a.skipped ?? []).filter((id) => id !== room);
      a.skipped = skipped ? [...others, room] : others;
    }));
    if (!skipped) holder.querySelector("[data-skip-button]").focus();
    else holder.querySelector("[data-restore-button]").focus();
  };
  holder.querySelector("[data-skip-button]").addEventListener("click", () => set(true));
  holder.querySelector("[data-restore-button]").addEventListener("click", () => set(false));
}

// A part of the room this home lacks ("No outside steps"): the same one tap as a room, kept in `skipped` by the
// part's id; its questions fold away and leave the count.
function showPartLeftOut(holder, out) {
  holder.classList.toggle("is-left-out", out);
  holder.querySelector("[data-skipped-note]").hidden = !out;
  for (const el of document.querySelectorAll(`[data-part="${holder.dataset.skipPart}"]`)) {
    el.toggleAttribute("data-left-out", out);
  }
  refreshCount();
}

function setUpParts(assessment) {
  for (const holder of document.querySelectorAll("[data-skip-part]")) {
    const part = holder.dataset.skipPart;
    showPartLeftOut(holder, (assessment.skipped ?? []).includes(part));
    const set = (out) => {
      showPartLeftOut(holder, out);
      showSaved(update((a) => {
        const others = (a.skipped ?? []).filter((id) => id !== part);
        a.skipped = out ? [...others, part] : others;
      }));
      holder.querySelector(out ? "[data-restore-button]" : "[data-skip-button]").focus();
    };
    holder.querySelector("[data-skip-button]").addEventListener("click", () => set(true));
    holder.querySelector("[data-restore-button]").addEventListener("click", () => set(false));
  }
}

function saveAnswer(itemId, changes) {
  return showSaved(update((a) => { a.answers[itemId] = changedAnswer(a.answers[itemId], changes); }));
}

export async function start() {
  const assessment = await loadCurrent();
  restore(assessment);
  setUpSkip(assessment);
  setUpParts(assessment);
  refreshCount();

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches(".answer-input")) {
      saveAnswer(input.name, { answer: input.value });
      refreshCount();
    }
  });
  // Notes are saved at every keystroke: updates are queued, so nothing typed is lost on leaving the page.
  document.addEventListener("input", (event) => {
    const textarea = event.target;
    if (!textarea.matches("[data-note]")) return;
    const note = fitNote(textarea.value);
    if (note !== textarea.value) textarea.value = note;  // only past a limit, where the caret may move
    saveAnswer(textarea.dataset.note, { note });
  });
  await setUpVisitItems(assessment);
  document.body.dataset.restored = "true";

  applyPersonalisation(await personalisationFor(assessment));
  refreshCount();
  refreshOnlyFix();
  document.body.dataset.personalised = "true";
}

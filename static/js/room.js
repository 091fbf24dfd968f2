// A room of the walk: restore the saved answers, save every tap and note, show progress and what the
// "About me" answers mean for each item.
import { changedAnswer, fitNote, loadCurrent, update } from "./store.js";
import { personalisationFor } from "./personalisation.js";
import { showSaved } from "./saved.js";
import { setUpVisitItems } from "./visits.js";

const items = () => [...document.querySelectorAll("[data-item]")];

function refreshCount() {
  const visible = items().filter((el) => !el.hidden);
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
  for (const el of items()) {
    const view = result.items[el.dataset.item];
    if (!view) continue;
    el.hidden = !view.shown;
    el.dataset.priority = view.priority;
    const forYou = el.querySelector("[data-for-you]");
    forYou.hidden = view.reasons.length === 0;
    forYou.textContent = view.reasons.length ? `Important for you: ${view.reasons[0]}` : "";
  }
}

function saveAnswer(itemId, changes) {
  return showSaved(update((a) => { a.answers[itemId] = changedAnswer(a.answers[itemId], changes); }));
}

export async function start() {
  const assessment = await loadCurrent();
  restore(assessment);
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
}

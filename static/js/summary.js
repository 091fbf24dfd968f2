// The summary of answers, filled from the device's copy of the assessment.
import { loadCurrent } from "./store.js";
import { personalisationFor } from "./personalisation.js";
import { leftOutIn } from "./parts.js";

export async function start() {
  const assessment = await loadCurrent();
  // The words of each kind of question, as the page wrote them: kind -> value -> label.
  const labels = Object.fromEntries([...document.querySelectorAll("[data-answer-labels]")].map((template) => [
    template.dataset.answerLabels,
    Object.fromEntries([...template.content.querySelectorAll("[data-value]")].map((el) => [el.dataset.value, el.textContent])),
  ]));
  const result = await personalisationFor(assessment);
  // A room left out ("No stairs in my home") counts nowhere: its questions are neither answered nor waiting.
  const skipped = new Set(assessment.skipped ?? []);
  const leftOut = leftOutIn(assessment);
  for (const room of document.querySelectorAll("[data-summary-room]")) {
    const out = skipped.has(room.dataset.summaryRoom);
    room.querySelector("[data-summary-left-out]").hidden = !out;
    room.querySelector(".summary-items").hidden = out;
    for (const note of room.querySelectorAll("[data-summary-part-left-out]")) {
      note.hidden = out || !skipped.has(note.dataset.summaryPartLeftOut);
    }
  }
  let answered = 0; let fix = 0; let total = 0;
  for (const li of document.querySelectorAll("[data-summary-item]")) {
    const id = li.dataset.summaryItem;
    if (leftOut(id)) { li.hidden = true; continue; } // its room, or its part of a room, is left out
    if (result && result.items[id] && !result.items[id].shown) { li.hidden = true; continue; }
    total += 1;
    const saved = assessment.answers[id];
    if (saved?.answer) {
      answered += 1;
      if (saved.answer === "fix") fix += 1;
      const answer = li.querySelector("[data-summary-answer]");
      answer.textContent = labels[li.dataset.kind]?.[saved.answer] ?? saved.answer;
      answer.dataset.value = saved.answer;
    }
    if (saved?.note) {
      const note = li.querySelector("[data-summary-note]");
      note.querySelector("[data-summary-note-text]").textContent = saved.note;
      note.hidden = false;
    }
  }
  document.querySelector("[data-summary-answered]").textContent = answered;
  document.querySelector("[data-summary-total]").textContent = total;
  document.querySelector("[data-summary-fix]").textContent = fix;
  document.body.dataset.restored = "true";
}

// The start page: how far each room has got, and "Continue" once there are answers.
import { loadCurrent } from "./store.js";

export async function start() {
  const assessment = await loadCurrent();
  const answeredIds = Object.keys(assessment.answers).filter((id) => assessment.answers[id].answer);
  for (const el of document.querySelectorAll("[data-room-progress]")) {
    const count = answeredIds.filter((id) => id.startsWith(`${el.dataset.roomProgress}.`)).length;
    el.textContent = count ? `${count} answered` : "";
  }
  if (answeredIds.length) {
    document.querySelector("[data-start-link]").textContent = "Continue where you left off";
    const lastRoom = Object.entries(assessment.answers)
      .sort(([, a], [, b]) => (a.at ?? "").localeCompare(b.at ?? ""))
      .at(-1)[0].split(".")[0];
    document.querySelector("[data-start-link]").href = `/rooms/${lastRoom}`;
  }
  document.body.dataset.restored = "true";
}

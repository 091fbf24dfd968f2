// The start page: how far each room has got, where to carry on, and the plan and "About me" once they exist.
import { appPath, pageLocale, word } from "./words.js";
import { loadCurrent, otherOwnAssessment, switchToOtherOwn } from "./store.js";
import { personalisationFor } from "./personalisation.js";
import { leftOutIn } from "./parts.js";

const hasProfile = (profile) =>
  profile.sites.length > 0 || Boolean(profile.walking_aid) ||
  Object.keys(profile.yes_no).length > 0 || Object.keys(profile.screen).length > 0;

export async function start() {
  const assessment = await loadCurrent();
  const answered = (id) => Boolean(assessment.answers[id]?.answer);
  const skipped = new Set(assessment.skipped ?? []);
  const leftOut = leftOutIn(assessment); // a room or a part of one this home lacks counts nowhere
  const answeredIds = Object.keys(assessment.answers).filter(answered);
  // Which items show for this person (kept on the device; offline, the last answer, or every item).
  const personal = await personalisationFor(assessment).catch(() => null);
  const shownIn = (room) => Object.entries(personal?.items ?? {})
    .filter(([id, view]) => id.startsWith(`${room}.`) && view.shown && !leftOut(id)).map(([id]) => id);

  let carryOn = null;
  for (const el of document.querySelectorAll("[data-room-progress]")) {
    const room = el.dataset.roomProgress;
    const count = answeredIds.filter((id) => id.startsWith(`${room}.`) && !leftOut(id)).length;
    if (skipped.has(room)) {
      el.textContent = el.dataset.skippedWord;
      continue;
    }
    el.textContent = count ? word(count === 1 ? "answered_one" : "answered", { count }) : "";
    const shown = shownIn(room);
    const unfinished = shown.length ? shown.some((id) => !answered(id)) : count === 0;
    if (!carryOn && unfinished) carryOn = el;
  }
  const startLink = document.querySelector("[data-start-link]");
  if (answeredIds.length || hasProfile(assessment.profile)) {
    document.querySelector("[data-returning]").hidden = false;
    document.querySelector("[data-about-size]").hidden = true; // said for the first start only
    document.querySelector("[data-plan-home-link]").hidden = !answeredIds.length;
    if (carryOn) {
      startLink.textContent = startLink.dataset.continue.replace("{room}", carryOn.dataset.roomTitle);
      startLink.href = appPath(`/rooms/${carryOn.dataset.roomProgress}`);
    } else {
      startLink.hidden = true;
    }
  }
  await showOtherOwn();
  document.body.dataset.restored = "true";
}

// After a hand-off from a home visit, the answers the person made before are kept: one tap switches between them.
async function showOtherOwn() {
  const other = await otherOwnAssessment();
  if (!other) return;
  const holder = document.querySelector("[data-other-own]");
  const day = new Date(other.updated ?? other.created);
  holder.querySelector("[data-other-own-date]").textContent = day.toLocaleDateString(pageLocale(), { dateStyle: "medium" });
  holder.querySelector("[data-other-own-switch]").addEventListener("click", async () => {
    await switchToOtherOwn();
    window.location.reload();
  });
  holder.hidden = false;
}

// "About me": every field is saved as it changes; the score and its meaning come from the server's evaluator.
import { word } from "./words.js";
import { loadCurrent, update } from "./store.js";
import { personalisationFor } from "./personalisation.js";
import { showSaved } from "./saved.js";

const form = () => document.querySelector("[data-about-form]");

function restore(profile) {
  const f = form();
  for (const box of f.querySelectorAll('input[name="sites"]')) box.checked = profile.sites.includes(box.value);
  for (const radio of f.querySelectorAll('input[name="walking_aid"]')) radio.checked = radio.value === profile.walking_aid;
  for (const [group, answers] of [["yes_no", profile.yes_no], ["screen", profile.screen]]) {
    for (const [id, yes] of Object.entries(answers)) {
      const radio = f.querySelector(`input[name="${group}.${id}"][value="${yes ? "yes" : "no"}"]`);
      if (radio) radio.checked = true;
    }
  }
  for (const input of f.querySelectorAll('input[type="text"], input[type="tel"]')) input.value = profile[input.name] ?? "";
}

function read(profile) {
  const f = form();
  profile.sites = [...f.querySelectorAll('input[name="sites"]:checked')].map((b) => b.value);
  profile.walking_aid = f.querySelector('input[name="walking_aid"]:checked')?.value ?? null;
  for (const group of ["yes_no", "screen"]) {
    for (const radio of f.querySelectorAll(`input[name^="${group}."]:checked`)) {
      profile[group][radio.name.slice(group.length + 1)] = radio.value === "yes";
    }
  }
  for (const input of f.querySelectorAll('input[type="text"], input[type="tel"]')) profile[input.name] = input.value.trim();
}

// The walking aid given above answers a screen question ("I use a walking stick or a walker"): tick its yes, as
// the server counts it (the question's `yes_when` in profile.yaml).
function preAnswer(aid) {
  for (const fieldset of form().querySelectorAll("[data-yes-when-aid]")) {
    if (!fieldset.dataset.yesWhenAid.split(" ").includes(aid)) continue;
    const yes = fieldset.querySelector('input[value="yes"]');
    if (yes) yes.checked = true;
  }
}

// A follow-up question (e.g. "how many falls") shows only after the answer it follows has been given.
function showFollowUps() {
  for (const question of form().querySelectorAll("[data-follows]")) {
    const { follows, followsAnswer } = question.dataset;
    question.hidden = !form().querySelector(`input[name="${follows}"][value="${followsAnswer}"]:checked`);
  }
}

// Answers given quickly one after another each ask the server for the score, and the replies can come back out
// of order: only the reply for the latest answer is shown, never an older score after a newer one.
let latestChange = 0;

async function showScore(assessment, change = latestChange) {
  const result = await personalisationFor(assessment);
  if (change !== latestChange) return;
  const scoreLine = document.querySelector("[data-screen-score]");
  const message = document.querySelector("[data-screen-message]");
  if (!result) {
    scoreLine.textContent = word("score_offline");
    message.textContent = "";
    return;
  }
  const { score, max_score: max, answered, total } = result.screen;
  scoreLine.textContent = word("score", { score, max, answered, total });
  // The server decides the message: empty, or "answer the rest", until the result can no longer change.
  message.textContent = answered ? result.screen.message : "";
}

export async function start() {
  const assessment = await loadCurrent();
  restore(assessment.profile);
  showFollowUps();
  form().addEventListener("submit", (event) => event.preventDefault());
  form().addEventListener("change", showFollowUps);
  const saveForm = () => showSaved(update((a) => read(a.profile)));
  form().addEventListener("change", async (event) => {
    const change = ++latestChange;
    if (event.target.name === "walking_aid") preAnswer(event.target.value);
    // Not saved (the reason is shown): the score of what is kept, if anything is.
    const kept = (await saveForm()) ?? (await loadCurrent().catch(() => null));
    if (kept) await showScore(kept, change);
  });
  // Typed text is saved at every keystroke, so a link followed straight after typing loses nothing.
  form().addEventListener("input", (event) => {
    if (event.target.matches('input[type="text"], input[type="tel"]')) saveForm();
  });
  document.body.dataset.restored = "true";
  await showScore(assessment);
}

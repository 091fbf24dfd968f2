// A quiet "Saved" line after each change, so a person can trust the tap landed (the words are in the page).
let timer;

function say(key, clearAfter) {
  const status = document.querySelector("[data-saved-status]");
  if (!status) return;
  status.textContent = status.dataset[key];
  clearTimeout(timer);
  if (clearAfter) timer = setTimeout(() => { status.textContent = ""; }, clearAfter);
}

// Why a save failed, in the words the page holds: the record was deleted in another tab, the device is full,
// or (anything else) the saved answers are waiting for the server to update them.
function reason(error) {
  if (error?.name === "AssessmentGone") return "gone";
  if (error?.name === "QuotaExceededError") return "full";
  return "notSaved";
}

// Follows a save: "Saved" when it lands, and a plain reason, kept in view, when it cannot.
export function showSaved(saving) {
  return Promise.resolve(saving).then(
    (saved) => { say("saved", 2500); return saved; },
    (error) => { say(reason(error), 0); console.warn("SafeSteps could not save:", error); return null; },
  );
}

// A quiet "Saved" line after each change, so a person can trust the tap landed (the words are in the page).
let timer;

function say(key, clearAfter) {
  const status = document.querySelector("[data-saved-status]");
  if (!status) return;
  status.textContent = status.dataset[key];
  clearTimeout(timer);
  if (clearAfter) timer = setTimeout(() => { status.textContent = ""; }, clearAfter);
}

// Follows a save: "Saved" when it lands, and a plain reason, kept in view, when it cannot.
export function showSaved(saving) {
  return Promise.resolve(saving).then(
    (saved) => { say("saved", 2500); return saved; },
    (error) => { say("notSaved", 0); console.warn("SafeSteps could not save:", error); return null; },
  );
}

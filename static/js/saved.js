// A quiet "Saved" line after each change, so a person can trust the tap landed.
let timer;
export function showSaved() {
  const status = document.querySelector("[data-saved-status]");
  if (!status) return;
  status.textContent = "Saved on this device";
  clearTimeout(timer);
  timer = setTimeout(() => { status.textContent = ""; }, 2500);
}

// The language follows the person: the one they chose on this device (the switch), or else the first of their
// browser's languages that SafeSteps has. Loaded in <head> as a classic script, before the page is drawn, so a
// page kept offline in the other language is left at once. Links in the switch keep the choice.
(function followLanguage() {
  const KEY = "safesteps-language";
  const page = document.documentElement.lang;
  const links = () => [...document.querySelectorAll("link[rel=alternate][hreflang]")];
  let chosen = null;
  try { chosen = localStorage.getItem(KEY); } catch { /* storage off: the page's own language */ }
  // No choice made yet: the browser's languages, from the English pages only (a link to /es/ stays Spanish).
  if (!chosen && page === "en") {
    const have = [page, ...links().map((link) => link.hreflang)];
    const wanted = (navigator.languages ?? [navigator.language]).map((tag) => String(tag).slice(0, 2).toLowerCase());
    chosen = wanted.find((code) => have.includes(code)) ?? page;
  }
  const other = links().find((link) => link.hreflang === chosen);
  if (chosen && chosen !== page && other) location.replace(other.href + location.hash);
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-language]");
    if (!link) return;
    try { localStorage.setItem(KEY, link.dataset.language); } catch { /* kept for this visit only */ }
    // Keep the part of the page the person was on.
    if (location.hash) link.href = link.href.split("#")[0] + location.hash;
  }, true);
})();

// The words a script writes itself come from the page (base.html's "page-words", in the page's language), so
// every word a person reads is in the catalog. `word("score", { score: 3 })` fills {score} in.
let words = null;

export function word(key, values = {}) {
  words ??= JSON.parse(document.getElementById("page-words")?.textContent ?? "{}");
  return Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, String(value)), words[key] ?? "");
}

// Dates in the page's language, in the person's own variant of it when the browser has one (en-GB, es-MX).
export function pageLocale() {
  const lang = document.documentElement.lang || "en";
  return (navigator.languages ?? [navigator.language]).find((tag) => tag.split("-")[0] === lang) ?? lang;
}

// A path of this app in the page's language: "/api/plan" on a Spanish page is "/es/api/plan".
export function appPath(path) {
  const base = document.documentElement.dataset.base ?? "";
  return path.startsWith("/") && !path.startsWith(`${base}/`) ? `${base}${path}` : path;
}

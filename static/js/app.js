// Entry point for every page: run the page's own module, and show when the device is offline.
import { registerServiceWorker } from "./sw-register.js";
import { askForPersistentStorage, lockNow, watchLock } from "./store.js";

const pages = {
  index: () => import("./index.js"),
  "about-me": () => import("./about.js"),
  room: () => import("./room.js"),
  summary: () => import("./summary.js"),
  "red-flags": () => import("./red-flags.js"),
  plan: () => import("./plan.js"),
  clients: () => import("./clients.js"),
  visit: () => import("./visit.js"),
  handoff: () => import("./handoff.js"),
};

function showConnection() {
  const banner = document.querySelector("[data-offline-banner]");
  if (banner) banner.hidden = navigator.onLine;
}
window.addEventListener("online", showConnection);
window.addEventListener("offline", showConnection);
showConnection();

const load = pages[document.body.dataset.page];
if (load) load().then((module) => module.start());

// Home visits: whose visit is open, on every page; the hand-off QR code where a page has one.
import("./visits.js").then((module) => module.showVisitBar());
// Read aloud, where a page has a button for it (room cards, the warning signs).
if (document.querySelector("[data-read-aloud]")) import("./read-aloud.js").then((module) => module.start());
if (document.querySelector("[data-handoff]")) import("./handoff.js").then((module) => module.showQr());

// The device lock (a no-op where none is set): lock when idle or hidden a while, and the Lock buttons.
watchLock();
for (const button of document.querySelectorAll("[data-lock-now]")) button.addEventListener("click", () => lockNow());

registerServiceWorker();
askForPersistentStorage();

// Installs the service worker (served from /sw.js so that it covers the whole app), which keeps every page
// of the walk available offline and answers them at once. The answers themselves are in IndexedDB (store.js),
// not in its cache.
//
// A new release installs in the background and waits (see templates/sw.js): this page stays on its own
// release to the end. When a newer release than this page's is waiting, the page says so with the notice in
// base.html (the words live there; this file only reveals them), and the next link the person follows first
// lets the new release take over, so the page it opens is the new release, whole.
import { appPath } from "./words.js";

const ASK_TIMEOUT_MS = 3000;
let newer = null; // the waiting worker of a newer release, once announced

function ask(worker, type) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ASK_TIMEOUT_MS);
    channel.port1.onmessage = (event) => { clearTimeout(timer); resolve(event.data ?? null); };
    worker.postMessage({ type }, [channel.port2]);
  });
}

async function announce(worker) {
  const notice = document.querySelector("[data-update-notice]");
  // Only an update counts (the very first install has no older page to replace), and only a release newer
  // than this page's.
  if (!notice || !worker || navigator.serviceWorker.controller === null) return;
  const release = await ask(worker, "which-release");
  if (!release?.version || release.version === notice.dataset.release) return;
  newer = worker;
  notice.hidden = false;
}

// Let the waiting release take over, then go: the navigation is answered by the new worker. If it cannot
// (another window of the app is open) or does not answer in time, go anyway, on this release.
async function switchThenGo(href) {
  const worker = newer;
  newer = null;
  const changed = new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
    setTimeout(resolve, ASK_TIMEOUT_MS);
  });
  const answer = await ask(worker, "take-over");
  if (answer?.taking) await changed;
  window.location.assign(href);
}

function followLink(event) {
  if (!newer || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // a new tab or window
  const link = event.target.closest?.("a[href]");
  if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
  event.preventDefault();
  switchThenGo(url.href);
}

function watchForRelease(registration) {
  if (registration.waiting) announce(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") announce(worker);
    });
  });
  document.addEventListener("click", followLink);
  // Back from a spell offline: look for a release missed meanwhile (in the background; nothing waits on it).
  window.addEventListener("online", () => { registration.update().catch(() => {}); });
}

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(appPath("/sw.js"), { scope: appPath("/") }).then(watchForRelease).catch((error) => {
    // The app still works online without it; say why in the console for whoever is debugging.
    console.warn("SafeSteps could not install its offline support:", error);
  });
}

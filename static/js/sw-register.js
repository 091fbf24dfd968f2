// Installs the service worker (served from /sw.js so that it covers the whole app), which keeps every page
// of the walk available offline. The answers themselves are in IndexedDB (store.js), not in its cache.
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
    // The app still works online without it; say why in the console for whoever is debugging.
    console.warn("SafeSteps could not install its offline support:", error);
  });
}

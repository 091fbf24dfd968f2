// SafeSteps service worker, rendered by the server (pwa/views/pwa.py): the version and the list of URLs come
// from the app, so a new release changes these bytes and the browser installs it.
//   pages (HTML): network first, with a short timeout; then the cached copy; then the offline page.
//   static files: cache first.
//   never cached: the API, anything but GET, PDFs and calendar files.
// The person's answers are not here: they live in IndexedDB, which a new release never touches.
const VERSION = {{ version|tojson }};
const CACHE = `safesteps-${VERSION}`;
const CACHE_PREFIX = "safesteps-";
const PRECACHE = {{ precache|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const STATIC_PREFIX = {{ static_prefix|tojson }};
const NEVER_PREFIXES = {{ never_prefixes|tojson }};
const NEVER_SUFFIXES = {{ never_suffixes|tojson }};
const NETWORK_TIMEOUT_MS = 3000;
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "reload" skips the HTTP cache, so the new release never keeps a file from the old one.
    await Promise.all(PRECACHE.map(async (url) => {
      const response = await fetch(new Request(url, { cache: "reload", credentials: "same-origin" }));
      if (!response.ok) throw new Error(`SafeSteps could not keep ${url} offline: ${response.status}`);
      await cache.put(url, response);
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function neverCached(url) {
  return NEVER_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))
    || NEVER_SUFFIXES.some((suffix) => url.pathname.endsWith(suffix));
}

function precached(url) {
  return PRECACHE.includes(url.pathname);
}

// The kept copy of a request or a path. A page is kept under its path, so "/summary?x" finds "/summary".
async function fromCache(requestOrPath) {
  const cache = await caches.open(CACHE);
  const path = typeof requestOrPath === "string" ? requestOrPath : new URL(requestOrPath.url).pathname;
  return (await cache.match(requestOrPath, MATCH)) ?? (await cache.match(path, MATCH));
}

// A page: ask the network, but not for long; a slow or missing connection gets the copy kept here.
async function page(event) {
  const { request } = event;
  const url = new URL(request.url);
  const network = fetch(request).then((response) => {
    if (response.ok && !response.redirected && !url.search && precached(url)) {
      const copy = response.clone();  // refresh the kept copy without holding the page back
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
    }
    return response;
  });
  event.waitUntil(network.catch(() => {}));  // a slow answer still refreshes the copy after the timeout
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, null); });
  const answer = await Promise.race([network.catch(() => null), timeout]);
  clearTimeout(timer);
  if (answer && answer.status < 500) return answer;
  const cached = await fromCache(url.pathname);
  if (cached) return cached;
  if (answer) return answer;
  const offline = await fromCache(OFFLINE_URL);
  if (offline) return offline;
  return network;  // nothing kept at all (the first install failed): the network's own answer or error
}

async function staticFile(request) {
  const cached = await fromCache(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && precached(new URL(request.url))) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkThenCache(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromCache(request);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (neverCached(url)) {
    // A PDF or calendar link opened offline says so plainly, instead of the browser's error page.
    if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(async () => (await fromCache(OFFLINE_URL)) ?? Response.error()));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(request));
  } else {
    event.respondWith(networkThenCache(request));
  }
});

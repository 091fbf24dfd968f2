// SafeSteps service worker, rendered by the server (pwa/views/pwa.py): the version and the list of URLs come
// from the app, so a new release changes these bytes and the browser installs it.
//
//   pages of the walk (the precache): answered at once from this release's cache, whatever the signal.
//   static files: from this release's cache.
//   other pages (a query string, an unknown path): network first (3 s at most), then the kept copy of the
//     path, then the offline page.
//   never cached: the API, anything but GET, PDFs and calendar files.
//
// One release at a time. This worker serves only its own cache, which is filled once, at install, and never
// refreshed page by page: a page and the CSS and JavaScript it loads (app.js imports the page's module later,
// with import()) always come from the same release.
//
// How the next release arrives: the browser checks /sw.js in the background on navigations. A new worker
// installs its own cache beside this one and then waits, so every open page keeps its own release. The page
// sees it waiting and shows the notice from base.html ("the next page you open will show the new version").
// When the person then follows a link, the page (sw-register.js) first asks the waiting worker to take over:
// it does (skipWaiting) only if no other window of the app is open; the page waits for the change of worker
// (controllerchange), and the navigation it then makes goes to the new worker, so the page opened is the new
// release, whole. The page being left loads nothing more. The switch is made while the old worker has no
// request in hand (the browser would otherwise hold the activation, or stop the old worker mid-answer).
// Other ways of leaving (a reload, a typed address, another window still open) stay on the old release until
// the next followed link with one window, or until every window is closed (the browser then activates the
// new worker itself). Activation deletes the old cache: no page of the old release is left to need it.
//
// The person's answers are not here: they live in IndexedDB, which a new release never touches.
const VERSION = {{ version|tojson }};
// Each language has its own worker (/sw.js, /es/sw.js) and cache; neither deletes the other's.
const CACHE_PREFIX = {{ cache_prefix|tojson }};
const OTHER_LANGUAGES = {{ other_prefixes|tojson }};
const CACHE = `${CACHE_PREFIX}${VERSION}`;
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
    // It does not skip waiting here: while a page of the previous release is open, this one waits for the
    // hand-over.
  })());
});

// Asked by the pages (sw-register.js): which release this worker holds, and, when one is about to follow a
// link, to take over. Not while another window of the app is open: it would change release under its feet.
self.addEventListener("message", (event) => {
  const reply = (data) => event.ports[0]?.postMessage(data);
  if (event.data?.type === "which-release") reply({ version: VERSION });
  if (event.data?.type === "take-over") {
    event.waitUntil((async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const taking = windows.length <= 1;
      reply({ taking });
      if (taking) await self.skipWaiting();
    })());
  }
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE
      && !OTHER_LANGUAGES.some((other) => name.startsWith(other)))
      .map((name) => caches.delete(name)));
    await self.clients.claim();  // the first visit's page, loaded from the network, is this same release
  })());
});

function neverCached(url) {
  return NEVER_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))
    || NEVER_SUFFIXES.some((suffix) => url.pathname.endsWith(suffix));
}

function precached(url) {
  return PRECACHE.includes(url.pathname);
}

// The kept copy of a request or a path, from this release's cache only. A page is kept under its path.
async function fromCache(requestOrPath) {
  const cache = await caches.open(CACHE);
  const path = typeof requestOrPath === "string" ? requestOrPath : new URL(requestOrPath.url).pathname;
  return (await cache.match(requestOrPath, MATCH)) ?? (await cache.match(path, MATCH));
}

// A page that is not in the precache (a query string, an unknown path): the network, but not for long; a slow
// or missing connection gets the copy kept here, then the offline page.
async function networkFirst(request) {
  const url = new URL(request.url);
  const network = fetch(request);
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

async function page(request) {
  const url = new URL(request.url);
  if (precached(url) && !url.search) {
    const cached = await fromCache(url.pathname);
    if (cached) return cached;
  }
  return networkFirst(request);
}

// Static files come from this release's cache; a missing one from the network, not kept (it may be another
// release's).
async function staticFile(request) {
  return (await fromCache(request)) ?? fetch(request);
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
    event.respondWith(page(request));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(request));
  } else {
    event.respondWith(networkThenCache(request));
  }
});

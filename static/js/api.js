import { appPath } from "./words.js";

// POSTs to the server. Pages may come from the service worker's cache with an old CSRF token in them, so a
// fresh token is fetched before each POST, and a refused token is retried once.

// Exported so a page can ask for the token while it reads its answers from the device (one round trip less).
export async function freshToken() {
  const response = await fetch(appPath("/api/csrf-token"), { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new Error("Could not get a security token");
  return (await response.json()).token;
}

// A form (the OT report: the visit's assessment and its photos), with the same token handling.
export async function postForm(url, form, { accept = "application/pdf" } = {}) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const response = await fetch(appPath(url), {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: accept, "X-CSRFToken": await freshToken() },
      body: form,
    });
    if (response.status === 400 && attempt === 0) {
      const problem = await response.clone().json().catch(() => ({}));
      if (problem.error === "csrf") continue;
    }
    return response;
  }
  throw new Error("unreachable");
}

// `token`: a token already asked for (a promise from freshToken), used for the first attempt; `headers`: more.
export async function postJSON(url, body, { accept = "application/json", token, headers = {} } = {}) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const csrf = attempt === 0 && token ? await token : await freshToken();
    const response = await fetch(appPath(url), {
      method: "POST",
      credentials: "same-origin",
      headers: { ...headers, "Content-Type": "application/json", Accept: accept, "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    if (response.status === 400 && attempt === 0) {
      const problem = await response.clone().json().catch(() => ({}));
      if (problem.error === "csrf") continue;
    }
    return response;
  }
  throw new Error("unreachable");
}

function filenameFrom(response, fallback) {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return match ? match[1] : fallback;
}

// Saves a file the page holds (a Blob) under a name, through a link made for the moment: no hidden link has to
// sit in the page (an anchor without an address is a dead link to a screen reader and to crawlers).
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// A file the server makes from what the page sends (a PDF): `send` makes the request; `status` says making,
// ready, the server's reason, or offline (its words are in its data- attributes).
export async function downloadFile(send, { status, fallbackName }) {
  status.textContent = status.dataset.making;
  try {
    const response = await send();
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = problem.message ?? status.dataset.failed;
      return;
    }
    saveFile(await response.blob(), filenameFrom(response, fallbackName));
    status.textContent = status.dataset.ready;
  } catch {
    status.textContent = status.dataset.offline;
  }
}

// POSTs to the server. Pages may come from the service worker's cache with an old CSRF token in them, so a
// fresh token is fetched before each POST, and a refused token is retried once.

async function freshToken() {
  const response = await fetch("/api/csrf-token", { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new Error("Could not get a security token");
  return (await response.json()).token;
}

// A form (the OT report: the visit's assessment and its photos), with the same token handling.
export async function postForm(url, form, { accept = "application/pdf" } = {}) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const response = await fetch(url, {
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

export async function postJSON(url, body, { accept = "application/json" } = {}) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: accept, "X-CSRFToken": await freshToken() },
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

// A file the server makes from what the page sends (a PDF): `send` makes the request; `status` says making,
// ready, the server's reason, or offline (its words are in its data- attributes); `link` saves the file.
export async function downloadFile(send, { status, link, fallbackName }) {
  status.textContent = status.dataset.making;
  try {
    const response = await send();
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = problem.message ?? status.dataset.failed;
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    link.href = url;
    link.download = filenameFrom(response, fallbackName);
    link.click();
    status.textContent = status.dataset.ready;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch {
    status.textContent = status.dataset.offline;
  }
}

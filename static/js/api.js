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

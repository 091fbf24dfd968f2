// What the "About me" answers change in the walk. The server's rule evaluator decides; this file only asks it
// and remembers the last answer, so the walk stays personal offline.
//
// The answer depends on the profile, on the content of the release (its rules and wording) and, later, on the
// language, so it is kept per assessment and language and used only while the profile and the content version
// of this page still match. After a release, the first page of the new release asks again: the new wording
// shows, new items get their entry, and the answers themselves (in the assessment) are never touched.
import { postJSON } from "./api.js";
import { getDerived, putDerived } from "./store.js";

// The release and language of this page, as the server wrote them into it.
export function pageEdition() {
  return {
    contentVersion: document.querySelector("meta[name='safesteps-content-version']")?.content ?? "",
    lang: document.documentElement.lang || "en",
  };
}

export async function personalisationFor(assessment) {
  const { contentVersion, lang } = pageEdition();
  const key = `personalisation:${assessment.id}:${lang}`;
  const profileKey = JSON.stringify(assessment.profile);
  const cached = (await getDerived(key)) ?? (await getDerived(`personalisation:${assessment.id}`)); // or an older release's
  if (cached && cached.profileKey === profileKey && cached.contentVersion === contentVersion) return cached.result;
  try {
    const response = await postJSON("/api/personalise", { schema: assessment.schema, profile: assessment.profile });
    if (!response.ok) return cached?.result ?? null;
    const result = await response.json();
    await putDerived(key, { profileKey, contentVersion, lang, made: new Date().toISOString(), result });
    return result;
  } catch {
    // Offline: the last answer we had (perhaps for an older profile or release: better than none; it is
    // replaced at the first page opened online), or none.
    return cached?.result ?? null;
  }
}

// What the "About me" answers change in the walk. The server's rule evaluator decides; this file only asks it
// and remembers the last answer, so the walk stays personal offline.
import { postJSON } from "./api.js";
import { getDerived, putDerived } from "./store.js";

export async function personalisationFor(assessment) {
  const key = `personalisation:${assessment.id}`;
  const profileKey = JSON.stringify(assessment.profile);
  const cached = await getDerived(key);
  if (cached && cached.profileKey === profileKey) return cached.result;
  try {
    const response = await postJSON("/api/personalise", { schema: assessment.schema, profile: assessment.profile });
    if (!response.ok) return cached?.result ?? null;
    const result = await response.json();
    await putDerived(key, { profileKey, result });
    return result;
  } catch {
    return cached?.result ?? null; // offline: the last answer we had, or none
  }
}

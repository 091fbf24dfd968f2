// The warning signs page: show the care team's number, as a tap-to-call link, when the person gave one.
import { loadCurrent } from "./store.js";

export async function start() {
  const { profile } = await loadCurrent();
  const phone = profile.care_team_phone?.trim();
  if (phone) {
    const link = document.querySelector("[data-care-team-link]");
    link.textContent = phone;
    link.href = `tel:${phone.replace(/[^0-9+]/g, "")}`;
    document.querySelector("[data-care-team]").hidden = false;
  }
  document.body.dataset.restored = "true";
}

// The warning signs page: show the care team's number, as a tap-to-call link, when the person gave one.
import { loadCurrent } from "./store.js";

// The server's tel_href filter (pwa/views/plan.py) holds the rule; the page carries its pattern in data-tel-strip,
// so the link made here is the one the plan page and the PDF make.
export function telHref(phone, pattern) {
  return `tel:${phone.replace(new RegExp(pattern, "g"), "")}`;
}

export async function start() {
  const { profile } = await loadCurrent();
  const phone = profile.care_team_phone?.trim();
  if (phone) {
    const line = document.querySelector("[data-care-team]");
    const link = line.querySelector("[data-care-team-link]");
    link.textContent = phone;
    link.href = telHref(phone, line.dataset.telStrip);
    line.hidden = false;
  }
  document.body.dataset.restored = "true";
}

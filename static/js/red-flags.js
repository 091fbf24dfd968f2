// The warning signs page: show the care team's number, as a tap-to-call link, when the person gave one.
import { loadCurrent } from "./store.js";

// The server's tel_href filter (pwa/template_helpers.py) holds the rule; the page carries it as data
// (data-tel-rule), so the link made here is the one the plan page and the PDF make: the longest run that looks
// like a number, without a "(0)" after a country code, and only when it has a phone number's length.
export function telHref(phone, rule) {
  const digits = (text) => (text.match(/[0-9]/g) ?? []).length;
  const runs = phone.normalize("NFKC").match(new RegExp(rule.run, "g")) ?? [];
  let run = runs.reduce((best, next) => (digits(next) > digits(best) ? next : best), runs[0] ?? "");
  if (run.startsWith("+")) run = run.replaceAll(rule.trunk, "");
  const number = run.replace(/[^0-9+]/g, "");
  return digits(number) >= rule.min_digits && digits(number) <= rule.max_digits ? `tel:${number}` : "";
}

// Fill in the care team's number in the warning signs under `root` (this page, or the plan's offline list).
export function showCareTeam(root, profile) {
  const phone = profile.care_team_phone?.trim();
  if (phone) {
    const line = root.querySelector("[data-care-team]");
    const link = line.querySelector("[data-care-team-link]");
    const href = telHref(phone, JSON.parse(line.dataset.telRule));
    if (href) {
      link.textContent = phone;
      link.href = href;
    } else {
      link.replaceWith(phone); // not a number a phone can dial: shown as typed, without a link
    }
    line.querySelector("[data-service-name]")?.remove(); // the person's own number, not the service's
    line.hidden = false;
    root.querySelector("[data-care-team-missing]")?.remove();
  }
}

export async function start() {
  const { profile } = await loadCurrent();
  showCareTeam(document, profile);
  document.body.dataset.restored = "true";
}

// "Read aloud" buttons (templates/parts/read_aloud.html): the device's own voices (the Web Speech API) read a
// question, or the warning signs group by group, in the page's language. A device without a voice for that
// language keeps the buttons hidden. Nothing is spoken until a button is pressed, pressing it again stops, and
// focus stays where it is, so a screen reader is never talked over unasked.

const speech = window.speechSynthesis;
const language = () => document.documentElement.lang || "en";
const primary = (tag) => tag.toLowerCase().replace("_", "-").split("-")[0];

// The voice for the page's language: the same region first (en-GB for en-GB), one on the device before one
// that needs the network; none when the device has no voice for the language.
export function voiceFor(voices, lang) {
  const wanted = lang.toLowerCase().replace("_", "-");
  const same = voices.filter((voice) => primary(voice.lang) === primary(wanted));
  const score = (voice) => (voice.lang.toLowerCase().replace("_", "-") === wanted ? 2 : 0) + (voice.localService ? 1 : 0);
  return same.sort((a, b) => score(b) - score(a))[0] ?? null;
}

// What one part says: its lines ([data-read-line]) one after the other, or its whole text.
function words(part) {
  const lines = [...part.querySelectorAll("[data-read-line]")];
  const texts = (lines.length ? lines : [part]).map((element) => element.textContent.replace(/\s+/g, " ").trim());
  return texts.filter(Boolean).join(". ");
}

let speaking = null; // the reading under way: { button }, a new object for each reading

function stop() {
  if (speaking) speaking.button.setAttribute("aria-pressed", "false");
  speaking = null;
  speech.cancel();
}

function read(button) {
  const voice = voiceFor(speech.getVoices(), language());
  const scope = button.closest("[data-read-scope]");
  const parts = [...scope.querySelectorAll("[data-read-part]")].map(words).filter(Boolean);
  if (!voice || !parts.length) return;
  const reading = { button };
  speaking = reading;
  button.setAttribute("aria-pressed", "true");
  parts.forEach((text, index) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language();
    utterance.voice = voice;
    // The last part ends the reading; a reading stopped, or replaced by another, is not this one any more.
    if (index === parts.length - 1) {
      const done = () => {
        if (speaking === reading) stop();
      };
      utterance.addEventListener("end", done);
      utterance.addEventListener("error", done);
    }
    speech.speak(utterance);
  });
}

function showButtons(buttons) {
  const available = Boolean(voiceFor(speech.getVoices(), language()));
  for (const button of buttons) button.hidden = !available;
  if (!available && speaking) stop();
}

export function start() {
  const buttons = [...document.querySelectorAll("[data-read-aloud]")];
  document.body.dataset.readAloudReady = "true"; // for tests: the buttons are as this device allows
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function" || !buttons.length) return;
  for (const button of buttons) {
    button.addEventListener("click", () => {
      const again = speaking?.button === button;
      stop();
      if (!again) read(button);
    });
  }
  // Voices can arrive after the page has loaded (Chrome fills the list later).
  speech.addEventListener?.("voiceschanged", () => showButtons(buttons));
  showButtons(buttons);
  window.addEventListener("pagehide", () => speech.cancel());
}

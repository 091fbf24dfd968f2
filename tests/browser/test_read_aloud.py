"""Read aloud (issue 22.3): a room card's question and the warning signs, group by group, are spoken with the
device's voice in the page's language; the button stops a reading when pressed again, and is hidden where the
device has no voice for that language. The device's speech is a stand-in that records what it is asked to say."""

from pwa.content import load_content

from .conftest import open_page

# window.speechSynthesis as a device with the voices given (a list of language tags) would have it: it records
# each utterance's text, language and voice, and how often it was told to stop. `window.addVoice(lang)` makes a
# voice arrive late, as Chrome's do, with a "voiceschanged" event.
SPEECH = """(langs) => {
  const voices = langs.map((lang) => ({ lang, name: `Voice ${lang}`, voiceURI: lang, localService: true, default: false }));
  const listeners = [];
  window.spoken = [];
  window.cancelled = 0;
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
    addEventListener() {}
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
    getVoices: () => voices.slice(),
    speak: (u) => window.spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang }),
    cancel: () => { window.cancelled += 1; },
    addEventListener: (type, listener) => { if (type === "voiceschanged") listeners.push(listener); },
  } });
  window.addVoice = (lang) => {
    voices.push({ lang, name: `Voice ${lang}`, voiceURI: lang, localService: true, default: false });
    for (const listener of listeners) listener(new Event("voiceschanged"));
  };
}"""


def with_voices(page, langs):
    page.add_init_script(script=f"({SPEECH})({langs!r})")


def open_ready(page, path):
    """Open a page and wait until read-aloud.js has shown or hidden its buttons."""
    open_page(page, path)
    page.wait_for_selector("body[data-read-aloud-ready='true']")


def test_a_room_card_reads_its_question_in_the_pages_language(page, content):
    with_voices(page, ["fr-FR", "en-GB"])
    section = content.sections[0]
    item = section.items[0]
    open_ready(page, f"/rooms/{section.id}")
    # A real button, named "Read aloud" for a screen reader (its speaker icon is hidden from it).
    button = page.locator(f"[id='{item.id}']").get_by_role("button", name="Read aloud", exact=True)
    assert button.is_visible()
    assert button.get_attribute("data-read-aloud") is not None
    assert page.evaluate("window.spoken") == []  # nothing is said until asked
    button.click()
    lang = page.evaluate("document.documentElement.lang")
    assert page.evaluate("window.spoken") == [{"text": item.question, "lang": lang, "voice": "en-GB"}]
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.activeElement.matches('[data-read-aloud]')")  # focus stays on the button
    # Pressed again, it stops: the device is told to cancel, and nothing more is said.
    cancelled = page.evaluate("window.cancelled")
    button.click()
    assert page.evaluate("window.cancelled") > cancelled
    assert button.get_attribute("aria-pressed") == "false"
    assert len(page.evaluate("window.spoken")) == 1


def test_the_warning_signs_are_read_group_by_group(page, content):
    with_voices(page, ["en-GB"])
    open_ready(page, "/red-flags")
    page.locator(".warning-signs [data-read-aloud]").click()
    spoken = page.evaluate("window.spoken")
    groups = content.red_flags.groups
    assert [said["text"] for said in spoken] == [
        ". ".join([group.title, *(sign.text for sign in group.signs)]) for group in groups
    ]
    assert {said["lang"] for said in spoken} == {page.evaluate("document.documentElement.lang")}
    # The ambulance group's words are read, with the place's number, but not the "Call 999" button's.
    assert content.place.emergency_number in spoken[0]["text"]
    assert "Call " + content.place.emergency_number not in spoken[0]["text"]


def test_a_spanish_page_reads_in_spanish_with_a_spanish_voice(page):
    """The page's language picks the voice: on a Spanish page an English-only device shows no button, and a
    device with a Spanish voice reads the Spanish question and the Spanish warning signs in Spanish."""
    spanish = load_content(language="es")
    section, item = spanish.sections[0], spanish.sections[0].items[0]
    with_voices(page, ["en-GB", "es-MX"])
    open_ready(page, f"/es/rooms/{section.id}")
    button = page.locator(f"[id='{item.id}']").get_by_role("button", name="Leer en voz alta", exact=True)
    button.click()
    assert page.evaluate("window.spoken") == [{"text": item.question, "lang": "es", "voice": "es-MX"}]
    open_ready(page, "/es/red-flags")
    page.evaluate("window.spoken = []")
    page.locator(".warning-signs [data-read-aloud]").click()
    spoken = page.evaluate("window.spoken")
    assert spoken[0]["text"] == ". ".join(
        [spanish.red_flags.groups[0].title, *(sign.text for sign in spanish.red_flags.groups[0].signs)]
    )
    assert {(said["lang"], said["voice"]) for said in spoken} == {("es", "es-MX")}


def test_no_voice_for_the_language_hides_the_button_until_one_arrives(page, content):
    with_voices(page, ["fr-FR"])
    section = content.sections[0]
    open_ready(page, f"/rooms/{section.id}")
    hidden = "[...document.querySelectorAll('[data-read-aloud]')].map((button) => button.hidden)"
    assert page.evaluate(hidden) == [True] * len(section.items)
    page.evaluate("window.addVoice('en-US')")
    assert page.evaluate(hidden) == [False] * len(section.items)
    assert page.locator(f"[id='{section.items[0].id}'] [data-read-aloud]").is_visible()


def test_no_speech_on_the_device_hides_the_button(page):
    page.add_init_script(script="Object.defineProperty(window, 'speechSynthesis', { value: undefined });")
    open_ready(page, "/red-flags")
    assert page.locator("[data-read-aloud]").count() == 1
    assert not page.locator("[data-read-aloud]").is_visible()
    assert not page.locator(".read-aloud-line").is_visible()

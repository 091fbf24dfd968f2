""" "About me" in a real browser: a follow-up question shows only after the answer it follows, and stays after a
reload; its answer is kept in the assessment like any other yes/no answer."""

from .conftest import open_page


def test_fall_questions_show_only_after_a_yes_to_the_fall(page):
    open_page(page, "/about-me")
    follow_up = page.locator("fieldset[data-follows='screen.fallen']")
    assert follow_up.count() == 4
    assert not any(follow_up.nth(n).is_visible() for n in range(4))

    page.check("input[name='screen.fallen'][value='yes']")
    page.wait_for_selector("fieldset[data-follows='screen.fallen'] >> nth=3", state="visible")
    page.check("input[name='yes_no.fall-long-lie'][value='yes']")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")
    page.wait_for_function(
        """async () => {
          const db = await new Promise((r) => { const q = indexedDB.open("safesteps"); q.onsuccess = () => r(q.result); });
          const get = (s, k) => new Promise((r) => { const q = db.transaction(s).objectStore(s).get(k); q.onsuccess = () => r(q.result); });
          const doc = await get("assessments", await get("settings", "current"));
          db.close();
          return doc && doc.profile.yes_no["fall-long-lie"] === true;
        }"""
    )

    open_page(page, "/about-me")  # after a reload the follow-ups stay open, with the answer kept
    assert page.is_visible("input[name='yes_no.fall-long-lie']")
    assert page.is_checked("input[name='yes_no.fall-long-lie'][value='yes']")

    page.check("input[name='screen.fallen'][value='no']")
    page.wait_for_selector("fieldset[data-follows='screen.fallen'] >> nth=3", state="hidden")


def test_the_full_time_question_shows_only_for_a_wheelchair(page):
    open_page(page, "/about-me")
    question = "fieldset[data-follows='walking_aid']"
    assert not page.is_visible(question)
    page.check("input[name='walking_aid'][value='wheelchair']")
    page.wait_for_selector(question, state="visible")
    page.check("input[name='walking_aid'][value='walker']")
    page.wait_for_selector(question, state="hidden")

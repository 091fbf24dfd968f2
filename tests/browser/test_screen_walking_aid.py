"""The walking aid given in "About me" answers the falls check's walking-aid question, in a real Chromium: the
yes is ticked on the page and the server counts it; a yes to a key question alone says "at risk"."""

from .conftest import open_page


def test_a_walking_frame_answers_the_cane_or_walker_question_and_is_counted(page, content):
    open_page(page, "/about-me")
    page.wait_for_selector("body[data-restored='true']")
    assert not page.is_checked("input[name='screen.cane-or-walker'][value='yes']")
    page.check("input[name='walking_aid'][value='walker']")
    assert page.is_checked("input[name='screen.cane-or-walker'][value='yes']")
    page.check("input[name='screen.fallen'][value='yes']")
    # Walker (2) and a fall (2): 4 points, the published threshold.
    page.wait_for_selector("[data-screen-score]:has-text('Your score: 4 out of 14')")
    assert page.text_content("[data-screen-message]") == content.profile.screen.higher_risk

    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    assert page.is_checked("input[name='screen.cane-or-walker'][value='yes']")


def test_a_fall_alone_is_said_to_mean_at_risk_apart_from_the_score(page, content):
    open_page(page, "/about-me")
    page.wait_for_selector("body[data-restored='true']")
    page.check("input[name='screen.fallen'][value='yes']")
    page.wait_for_selector("[data-screen-score]:has-text('Your score: 2 out of 14')")
    page.wait_for_function(
        "text => document.querySelector('[data-screen-message]').textContent === text",
        arg=content.profile.screen.key_risk,
    )

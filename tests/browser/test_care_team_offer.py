"""A care-team number skipped in "About me" is offered again (issue 19.9): the warning-signs page and the plan
link to where it is typed, and stop offering once it is there."""

from .conftest import open_page

ADD = "[data-care-team-missing] a[href='/about-me#field-care_team_phone']"


def test_the_number_is_offered_until_given(page):
    open_page(page, "/red-flags")
    assert page.is_visible(ADD)
    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] .plan")
    assert page.is_visible(ADD)

    page.click(ADD)
    page.wait_for_url("**/about-me#field-care_team_phone")
    page.wait_for_selector("body[data-restored='true']")
    page.fill("#field-care_team_phone", "0161 555 0100")
    page.wait_for_selector("[data-saved-status]:has-text('Saved')")

    open_page(page, "/red-flags")
    page.wait_for_selector("[data-care-team]:visible")
    assert page.locator("[data-care-team-missing]").count() == 0
    open_page(page, "/plan")
    page.wait_for_selector("[data-plan] .plan .care-team")
    assert page.locator("[data-care-team-missing]").count() == 0

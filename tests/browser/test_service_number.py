"""The deploying service's 24-hour number (SAFESTEPS_CARE_LINE_NUMBER) on the warning signs kept on the device:
shown, with the service's name, until the person gives their own number, which then takes its place."""

import pytest

from pwa import create_app
from scripts._chromium import PHONE
from scripts._servers import app_server

from .conftest import open_page

SERVICE = {"SERVICE_NAME": "North Cancer Centre", "CARE_LINE_NUMBER": "0800 123 4567"}


@pytest.fixture(scope="module")
def service_server():
    config = {"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "PDF_PROCESSES": 0, **SERVICE}
    with app_server(create_app(config)) as url:
        yield url


def test_the_services_number_shows_until_the_person_gives_theirs(browser, service_server):
    context = browser.new_context(base_url=service_server, viewport=PHONE, service_workers="block")
    page = context.new_page()
    try:
        open_page(page, "/red-flags")
        line = page.locator("[data-care-team]")
        assert line.is_visible()
        assert line.inner_text() == "Your care team: 0800 123 4567 (North Cancer Centre)"
        assert page.get_attribute("[data-care-team-link]", "href") == "tel:08001234567"
        assert page.locator("[data-care-team-missing]").count() == 0

        open_page(page, "/about-me")
        page.fill("#field-care_team_phone", "0161 555 0100")
        page.wait_for_selector("[data-saved-status]:has-text('Saved')")
        open_page(page, "/red-flags")
        assert line.inner_text() == "Your care team: 0161 555 0100"
        assert page.get_attribute("[data-care-team-link]", "href") == "tel:01615550100"
    finally:
        context.close()

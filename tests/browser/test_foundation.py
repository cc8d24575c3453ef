import pytest

from tests.browser.conftest import NARROW, WIDE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_home_switch_language_and_login(visit, home_page, viewport):
    tab = visit(viewport)
    tab.goto("/")
    page = tab.page
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Forum Anak Kota Balikpapan"
    # nothing overflows sideways on a narrow phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert tab.serious_axe_violations() == []

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Need help?").is_visible()
    assert tab.serious_axe_violations() == []

    page.get_by_role("link", name="Log in").click()
    page.wait_for_url("**/en/akun/login/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Sign In"
    assert page.get_by_label("Password").is_visible()
    assert tab.serious_axe_violations() == []

    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.wait_for_url("**/akun/login/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Masuk"
    assert tab.serious_axe_violations() == []
    assert tab.foreign_requests() == []


def test_skip_link_and_help_panel_work_without_javascript(visit, home_page):
    tab = visit(NARROW, java_script_enabled=False)
    tab.goto("/")
    page = tab.page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.get_by_role("link", name="Butuh bantuan?").click()
    assert page.url.endswith("#bantuan")
    call = page.locator("#bantuan a[href^='tel:']").first
    assert call.is_visible()
    assert call.get_attribute("href") == "tel:129"
    assert tab.foreign_requests() == []

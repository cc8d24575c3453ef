"""The KLA dashboard in a real browser at 1280 px and in its print preview: a pembina signs in
with password and TOTP, reads the report, and prints it to A4. No serious or critical axe
violations, nothing loaded from another origin, the admin menus are hidden on paper."""

import os
import re

import pytest

from forumanak.membership.models import StaffAssignment
from tests.browser.conftest import WIDE
from tests.conftest import PASSWORD, enable_totp, grant_admin_access, make_user
from tests.reports.conftest import YEAR, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(tab, login, totp, next_path):
    tab.goto(f"/akun/login/?next={next_path}")
    page = tab.page
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.locator("#id_code").fill(totp())
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(next_path.split("?")[0])))
    tab.goto(next_path)  # once more, without the "signed in" message


def test_pembina_reads_and_prints_the_kla_dashboard(visit):
    world = build_world()
    pembina = grant_admin_access(make_user("pembina-kla", is_staff=True))
    StaffAssignment.objects.create(user=pembina, forum=world["forums"]["city"], role="pembina")
    code = enable_totp(pembina)

    tab = visit(WIDE)
    path = f"/admin/kla/?tahun={YEAR}"
    log_in(tab, pembina.username, code, path)
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Bukti KLA: partisipasi anak"
    for name in ("Cakupan forum", "Anggota", "Konsultasi", "Kegiatan", "Kelengkapan persetujuan"):
        assert page.get_by_role("heading", level=2, name=name).is_visible()
    assert page.locator(".kla-chart svg").first.is_visible()
    assert page.locator(".kla-chart-value").first.text_content().strip()[0].isdigit()
    assert page.get_by_role("link", name=re.compile("Unduh XLSX")).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if os.environ.get("REPORTS_SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["REPORTS_SCREENSHOT_DIR"] + "/kla-1280.png", full_page=True)
    assert tab.serious_axe_violations() == []

    # the year filter works without JavaScript tricks: choose, submit, the page follows
    page.get_by_label("Tahun").select_option(str(YEAR))
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(rf"/admin/kla/\?tahun={YEAR}&"))
    assert page.get_by_role("heading", level=2, name="Anggota").is_visible()

    # print preview: no sidebar, no filter, every section still there
    page.emulate_media(media="print")
    assert not page.locator("#wagtail-sidebar").is_visible()
    assert not page.locator(".kla-filter").is_visible()
    assert page.get_by_role("heading", level=2, name="Kelengkapan persetujuan").is_visible()
    assert page.locator(".kla-chart svg").nth(2).is_visible()
    assert tab.serious_axe_violations() == []
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 3 <= pages <= 12  # one section a page, more for long tables
    if os.environ.get("REPORTS_SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["REPORTS_SCREENSHOT_DIR"] + "/kla-print.png", full_page=True)
        open(os.environ["REPORTS_SCREENSHOT_DIR"] + "/kla.pdf", "wb").write(pdf)
    assert tab.foreign_requests() == []

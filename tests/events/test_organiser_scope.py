"""Issue 16 §2: an event belongs to its organising forum's chain. The kelurahan fasilitator of
Manggar, one of whose children registered for the city's "Hari Anak Nasional", opened the city's
event in the admin and saved it as their own (title, capacity 200 → 1, organiser Forum Anak
Manggar); after that the kecamatan fasilitator above Manggar ran the event and saw the children
of other kecamatan. Staff of another forum see their own members' registrations in a read-only
list, and nothing else of the event."""

import pytest
from django.core.exceptions import PermissionDenied

from events import services
from events.models import Event, Registration
from forumanak.core.models import AuditEntry
from tests.conftest import enable_totp, sign_in_with_second_factor

from .conftest import guardian_decides, make_event, make_member, make_staff
from .test_admin import form_data

R = Registration.Status
pytestmark = pytest.mark.django_db


def staff_client(client, user):
    enable_totp(user)
    sign_in_with_second_factor(client, user)
    return client


@pytest.fixture
def hari_anak(city, consent_texts):
    """The city's event, with a child of Manggar (Balikpapan Timur) and one of Baru Tengah
    (Balikpapan Barat) registered and confirmed."""
    event = make_event(city["forums"]["city"], title="Hari Anak Nasional", slug="hari-anak-nasional", capacity=200)
    children = {}
    for name, kelurahan in (("Putri", "64.71.01.1001"), ("Bayu", "64.71.02.1001")):
        member = make_member(city, name=name, kelurahan=kelurahan)
        registration = services.register(event=event, user=member.user, actor=member.user)
        guardian_decides(registration)
        registration.refresh_from_db()
        assert registration.status == R.CONFIRMED
        children[name] = registration
    return event, children


def test_a_kelurahan_fasilitator_cannot_take_over_the_citys_event(client, city, fasilitator, hari_anak):
    event, children = hari_anak
    before = Event.objects.filter(pk=event.pk).values().get()
    c = staff_client(client, fasilitator)  # Manggar: their child Putri is registered

    assert c.get(f"/admin/kegiatan/edit/{event.pk}/").status_code == 404
    takeover = form_data(city["forums"]["64.71.01.1001"], title="Kegiatan Manggar", slug="hari-anak-nasional",
                         capacity=1, **{"questions-TOTAL_FORMS": 0})
    assert c.post(f"/admin/kegiatan/edit/{event.pk}/", takeover).status_code == 404
    assert Event.objects.filter(pk=event.pk).values().get() == before  # title, capacity 200, the city's forum
    # nothing else of the event either
    for path in ("delete/{}/", "history/{}/", "history-results/{}/", "usage/{}/", "{}/pendaftar/", "{}/check-in/",
                 "{}/kehadiran.xlsx"):
        url = "/admin/kegiatan/" + path.format(event.pk)
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"registration": children["Putri"].pk}).status_code == 404, url
    assert Event.objects.filter(pk=event.pk).exists()
    assert event.title not in c.get("/admin/kegiatan/").content.decode()
    # not even their own child's check-in: the organiser runs the door
    with pytest.raises(PermissionDenied):
        services.check_in(registration=children["Putri"], actor=fasilitator)
    children["Putri"].refresh_from_db()
    assert children["Putri"].status == R.CONFIRMED

    # what they may see: their own member's registration, read-only, and nobody else's
    page = c.get("/admin/kegiatan-anggota/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hari Anak Nasional" in html and "Putri" in html and "Bayu" not in html
    assert f"/admin/kegiatan/edit/{event.pk}/" not in html and f"/admin/kegiatan/{event.pk}/" not in html
    assert AuditEntry.objects.filter(action="event.member_registrations_view", actor=fasilitator,
                                     data__count=1).exists()


def test_kecamatan_fasilitators_see_only_their_own_children_of_the_citys_event(client, city, hari_anak):
    event, children = hari_anak
    for kecamatan, own, other in (("64.71.01", "Putri", "Bayu"), ("64.71.02", "Bayu", "Putri")):
        staff = make_staff(f"fas-{kecamatan}", city["forums"][kecamatan])
        c = staff_client(client, staff)
        for path in (f"{event.pk}/pendaftar/", f"{event.pk}/kehadiran.xlsx", f"{event.pk}/check-in/?q={other}",
                     f"edit/{event.pk}/"):
            assert c.get(f"/admin/kegiatan/{path}").status_code == 404, path
        html = c.get("/admin/kegiatan-anggota/").content.decode()
        assert own in html and other not in html
        client.logout()


def test_the_organiser_runs_the_event_and_sees_every_registration(client, city, hari_anak):
    event, children = hari_anak
    pembina = make_staff("pembina-kota", city["forums"]["city"], "pembina")
    c = staff_client(client, pembina)
    html = c.get(f"/admin/kegiatan/{event.pk}/pendaftar/").content.decode()
    assert "Putri" in html and "Bayu" in html
    services.check_in(registration=children["Bayu"], actor=pembina)
    children["Bayu"].refresh_from_db()
    assert children["Bayu"].status == R.ATTENDED
    # their own list of members elsewhere does not repeat the events they run
    assert "Hari Anak Nasional" not in c.get("/admin/kegiatan-anggota/").content.decode()


def test_staff_without_the_registration_permission_get_no_list(client, city, hari_anak):
    staff = make_staff("fas-tanpa-izin", city["forums"]["64.71.01.1001"], perms=False)
    c = staff_client(client, staff)
    response = c.get("/admin/kegiatan-anggota/")
    assert response.status_code == 302 and response["Location"] == "/admin/"

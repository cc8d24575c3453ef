"""Issue 15 §4, the attacker: adults register for an adult programme through the registration
form with a formula for a name, a child's display name is one too, and the staff member who
runs the event writes one into its title; the fasilitator downloads the attendance XLSX. No cell
is a formula or a text a spreadsheet would evaluate."""

import pytest

from events import services
from events.models import Registration
from tests.cell_checks import PAYLOADS, body, shown_as_text, xlsx_cells
from tests.conftest import enable_totp, sign_in_with_second_factor

from .conftest import guardian_decides, make_adult, make_event, make_member

pytestmark = pytest.mark.django_db


def test_attendance_xlsx_holds_no_formula(client, city, consent_texts, fasilitator):
    forum = city["forums"]["64.71.01.1001"]
    adults = make_event(forum, audience="adults", capacity=len(PAYLOADS) + 1, photo_level="none",
                        title="@SUM(1,1)", slug="kelas-formula")
    for payload in PAYLOADS:
        client.force_login(make_adult())
        response = client.post(f"/kegiatan/{adults.slug}/daftar/", {"adult_name": payload, "date_of_birth": "1988-02-03"})
        assert response.status_code == 200 and "Kamu terdaftar" in response.content.decode(), payload
    client.logout()
    names = set(Registration.objects.filter(event=adults).values_list("adult_name", flat=True))
    assert len(names) == len(PAYLOADS) - 2  # the form trims " =1" and "\t=1" to "=1", as "\r=1"
    services.check_in(registration=Registration.objects.filter(event=adults).first(), actor=fasilitator)

    children = make_event(forum, title="-2+3", slug="lokakarya-formula")
    child = make_member(city, name="+1+1")
    guardian_decides(services.register(event=children, user=child.user, actor=child.user), "granted")

    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    for event, expected in ((adults, names | {"@SUM(1,1)"}), (children, {"+1+1", "-2+3"})):
        response = client.get(f"/admin/kegiatan/{event.pk}/kehadiran.xlsx")
        assert response.status_code == 200
        cells = xlsx_cells(body(response))
        assert {shown_as_text(text) for text in expected} <= {c.value for c in cells}

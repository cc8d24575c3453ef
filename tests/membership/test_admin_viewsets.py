"""Forums, decrees, board terms in the Wagtail admin, limited to each staff member's forum chain."""

import pytest
from django.core.management import call_command

from tests.conftest import enable_totp, grant_admin_access, make_user, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    from io import StringIO

    call_command("setup_roles", stdout=StringIO())


def login(client, user, group):
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=group))
    enable_totp(user)
    sign_in_with_second_factor(client, user)


def test_setup_roles_is_idempotent(roles):
    from io import StringIO

    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert "0 permission(s) added" in out.getvalue()


def test_fasilitator_sees_and_edits_only_their_forum_chain(client, roles, city, fasilitator):
    login(client, fasilitator, "Fasilitator")
    listing = client.get("/admin/forum/")
    assert listing.status_code == 200
    assert "Forum Anak Manggar" in listing.text
    assert "Forum Anak Baru Tengah" not in listing.text and "Forum Anak Kota Balikpapan" not in listing.text
    own = city["forums"]["64.71.01.1001"]
    other = city["forums"]["64.71.02.1001"]
    assert client.get(f"/admin/forum/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/forum/edit/{other.pk}/").status_code == 404
    response = client.post(f"/admin/forum/edit/{own.pk}/", {
        "name": own.name, "slug": own.slug, "region": own.region_id, "level": own.level, "parent": own.parent_id,
        "sk_number": "400/123/2026", "sk_date": "2026-07-23", "sk_issuer": "Lurah Manggar", "sk_valid_until": "2028-07-22",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    own.refresh_from_db()
    assert own.sk_number == "400/123/2026" and own.sk_in_force()


def test_pembina_sees_every_forum_of_the_city(client, roles, city, pembina):
    login(client, pembina, "Pembina")
    listing = client.get("/admin/forum/")
    for forum in city["forums"].values():
        assert forum.name in listing.text


def test_fasilitator_cannot_manage_staff_or_consent_texts(client, roles, city, fasilitator):
    login(client, fasilitator, "Fasilitator")
    assert client.get("/admin/staffassignment/").status_code in (302, 403)
    assert client.get("/admin/consenttext/").status_code in (302, 403)


def test_an_editor_sees_no_membership_admin(client, roles, city):
    editor = grant_admin_access(make_user("penulis", is_staff=True))
    enable_totp(editor)
    sign_in_with_second_factor(client, editor)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "/admin/anggota/" not in dashboard.text and "/admin/forum/" not in dashboard.text
    assert client.get("/admin/forum/").status_code in (302, 403)
    refused = client.get("/admin/anggota/")
    assert refused.status_code in (302, 403) and "Nama panggilan" not in refused.text

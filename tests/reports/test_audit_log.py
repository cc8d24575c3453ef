"""Staff viewing a child's record is audited (membership's member page), and pembina — not
fasilitator — read the audit log in the admin, filtered by actor, action and date."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from forumanak.core import audit
from forumanak.core.management.commands.setup_roles import ensure_roles
from forumanak.core.models import AuditEntry
from forumanak.membership.models import Member
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(world):
    ensure_roles()
    world["pembina"].groups.add(Group.objects.get(name="Pembina"))
    for who in ("fasilitator", "kec_fasilitator"):
        world[who].groups.add(Group.objects.get(name="Fasilitator"))
    return world


def test_viewing_a_childs_record_from_the_report_is_audited(client, roles):
    member = Member.objects.filter(forum=roles["forums"]["64.71.01.1001"], status="active").first()
    sign_in_with_second_factor(client, roles["fasilitator"])
    assert client.get(f"/admin/anggota/{member.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action="member.view")
    assert entry.actor == roles["fasilitator"] and entry.object_id == str(member.pk)


def test_pembina_reads_and_filters_the_audit_log(client, roles):
    old = audit.record(actor=roles["fasilitator"], action="member.approve", object_label="member #1")
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    audit.record(actor=roles["fasilitator"], action="member.view", object_label="member #2")
    audit.record(actor=roles["kec_fasilitator"], action="member.view", object_label="member #3")
    sign_in_with_second_factor(client, roles["pembina"])
    html = client.get("/admin/audit/").content.decode()
    assert all(label in html for label in ("member #1", "member #2", "member #3"))
    html = client.get("/admin/audit/", {"actor": "fas-manggar"}).content.decode()
    assert "member #1" in html and "member #2" in html and "member #3" not in html
    html = client.get("/admin/audit/", {"action": "member.view"}).content.decode()
    assert "member #1" not in html and "member #2" in html and "member #3" in html
    today = timezone.localdate().isoformat()
    html = client.get("/admin/audit/", {"created_at_from": today, "created_at_to": today}).content.decode()
    assert "member #1" not in html and "member #2" in html
    # read-only: no add, edit or delete, even for a pembina
    entry = AuditEntry.objects.get(object_label="member #2")
    assert client.get(f"/admin/audit/inspect/{entry.pk}/").status_code == 200
    for url in ("/admin/audit/new/", f"/admin/audit/edit/{entry.pk}/", f"/admin/audit/delete/{entry.pk}/"):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"action": "x"}).status_code in (302, 403), url
    assert AuditEntry.objects.get(pk=entry.pk).action == "member.view" and AuditEntry.objects.count() == 3


def test_fasilitator_cannot_read_the_audit_log(client, roles):
    audit.record(actor=roles["pembina"], action="member.view", object_label="member #9")
    sign_in_with_second_factor(client, roles["fasilitator"])
    response = client.get("/admin/audit/")
    assert response.status_code == 302 and response.url == "/admin/"
    # no entry is in a fasilitator's scope (ScopedModelViewSet): not found, before any permission check
    assert client.get(f"/admin/audit/inspect/{AuditEntry.objects.get().pk}/").status_code == 404
    assert "/admin/audit/" not in client.get("/admin/").content.decode()  # no menu item either


def test_a_pembina_of_one_kecamatan_reads_none_of_the_log(client, roles):
    """The log spans every forum: it is read whole, so only by staff whose area is the whole city."""
    from .conftest import staff

    entry = audit.record(actor=roles["pembina"], action="member.view", object_label="member #9")
    kecamatan_pembina = staff("pembina-barat", roles["forums"]["64.71.02"], "pembina")
    kecamatan_pembina.groups.add(Group.objects.get(name="Pembina"))
    sign_in_with_second_factor(client, kecamatan_pembina)
    response = client.get("/admin/audit/")
    assert response.status_code == 200 and "member #9" not in response.content.decode()
    assert client.get(f"/admin/audit/inspect/{entry.pk}/").status_code == 404
    client.logout()
    sign_in_with_second_factor(client, roles["pembina"])  # the city's pembina: the detector
    assert "member #9" in client.get("/admin/audit/").content.decode()
    assert client.get(f"/admin/audit/inspect/{entry.pk}/").status_code == 200

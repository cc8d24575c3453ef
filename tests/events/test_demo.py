"""The events demo: idempotent, through the real services, with permissions for staff only."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_setup_roles_gives_the_staff_groups_the_events_permissions_without_the_demo(db):
    call_command("setup_roles", stdout=StringIO())
    fasilitator = set(Group.objects.get(name="Fasilitator").permissions.filter(content_type__app_label="events")
                      .values_list("codename", flat=True))
    assert fasilitator == {"add_event", "change_event", "view_event", "view_registration", "change_registration"}
    assert "delete_event" in Group.objects.get(name="Pembina").permissions.values_list("codename", flat=True)
    assert not Event.objects.exists()


def test_seed_demo_creates_events_once_and_gives_staff_the_permissions(city, consent_texts):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Event.objects.filter(is_published=True).count() == 3
    assert set(Event.objects.values_list("audience", flat=True)) == {"children", "adults"}
    warga = Registration.objects.get(user__email="warga@forumanak.local")
    assert warga.status == Registration.Status.CONFIRMED and warga.event.audience == "adults"
    for name in ("Pembina", "Fasilitator"):
        perms = set(Group.objects.get(name=name).permissions.filter(content_type__app_label="events")
                    .values_list("codename", flat=True))
        assert {"change_registration", "view_registration", "add_event", "change_event"} <= perms

"""Events in the Wagtail admin: staff create and edit events in their scope; the form's forum
choices are limited to that scope; saving goes through the service (audited)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from forumanak.core.models import AuditEntry
from tests.conftest import enable_totp, sign_in_with_second_factor

from .conftest import make_event

pytestmark = pytest.mark.django_db


def form_data(forum, **overrides):
    start = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Musrenbang Anak Kecamatan", "slug": "musrenbang-anak", "description": "Anak menyampaikan usulan.",
        "image_alt": "", "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
        "venue_name": "Kantor Kecamatan", "venue_address": "Jl. Mulawarman", "map_url": "", "online_url": "",
        "forum": forum.pk, "audience": "children", "min_age": 10, "max_age": 17, "capacity": 40,
        "registration_opens_at": "", "registration_closes_at": "", "consent_deadline_hours": 72,
        "photo_level": "internal", "is_published": "on",
        "questions-TOTAL_FORMS": 1, "questions-INITIAL_FORMS": 0, "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "questions-0-label": "Butuh juru bahasa isyarat?", "questions-0-help_text": "", "questions-0-kind": "yes_no",
        "questions-0-retention_days": 14, "questions-0-ORDER": 1, "questions-0-id": "",
    }
    data.update(overrides)
    return data


def test_a_fasilitator_creates_an_event_for_their_forum(client, city, fasilitator):
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    page = client.get("/admin/kegiatan/new/")
    assert page.status_code == 200
    html = page.content.decode()
    # only forums in scope (Manggar) can organise: not the city, not another kelurahan
    assert "Forum Anak Manggar" in html and "Forum Anak Baru Tengah" not in html and "Forum Anak Kota Balikpapan" not in html
    response = client.post("/admin/kegiatan/new/", form_data(city["forums"]["64.71.01.1001"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="musrenbang-anak")
    assert event.created_by == fasilitator and event.consent_deadline_hours == 72
    assert [(q.label, q.kind, q.retention_days) for q in event.questions.all()] == [
        ("Butuh juru bahasa isyarat?", "yes_no", 14)]
    assert AuditEntry.objects.filter(action="event.create", object_id=str(event.pk), actor=fasilitator).exists()


def test_a_fasilitator_cannot_create_an_event_for_another_forum(client, city, fasilitator):
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    response = client.post("/admin/kegiatan/new/", form_data(city["forums"]["64.71.02.1001"]))
    assert response.status_code == 200  # the form comes back with an error
    assert not Event.objects.exists()


def test_an_adult_event_cannot_have_children_and_consent_cannot_be_switched_off(client, city, fasilitator):
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    forum = city["forums"]["64.71.01.1001"]
    client.post("/admin/kegiatan/new/", form_data(forum, audience="adults", min_age=15, max_age=""))
    assert not Event.objects.exists()
    client.post("/admin/kegiatan/new/", form_data(forum, consent_deadline_hours=0))
    assert not Event.objects.exists()
    form = client.get("/admin/kegiatan/new/").content.decode()
    assert "selalu diminta" in form  # the help text says consent is always asked for under 18


def test_editing_an_event_in_scope_and_not_outside(client, city, fasilitator, other_fasilitator, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"])
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    assert client.get(f"/admin/kegiatan/edit/{event.pk}/").status_code == 200
    enable_totp(other_fasilitator)
    sign_in_with_second_factor(client, other_fasilitator)
    assert client.get(f"/admin/kegiatan/edit/{event.pk}/").status_code == 404
    assert client.get(f"/admin/kegiatan/delete/{event.pk}/").status_code == 404

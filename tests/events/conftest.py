"""Factories for the events tests: a small Kota Balikpapan, forums, staff, active members with a
guardian, adults, and events."""

import itertools
from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from events.models import Event, RegistrationQuestion
from forumanak.membership import services as membership_services
from forumanak.membership.models import ConsentText, Forum, Guardian, GuardianLink, Member, StaffAssignment
from forumanak.regions.models import Region
from tests.conftest import grant_admin_access, make_user

TEXTS = import_module("forumanak.membership.migrations.0003_consent_texts").TEXTS
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def indonesian_after_each_test():
    """A request under /en/ leaves English active in this thread (LocaleMiddleware does not undo
    it); start and end every events test in the default language so nothing leaks."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def consent_texts(db):
    for (purpose, language), (title, summary, body) in TEXTS.items():
        if not ConsentText.objects.filter(purpose=purpose, language=language).exists():
            ConsentText.objects.create(purpose=purpose, language=language, version=1, title=title, summary=summary, body=body)


def build_city():
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": 0})[0]
    city = Region.objects.get_or_create(code="64.71", defaults={"name": "Kota Balikpapan", "level": 1, "parent": prov})[0]
    regions = {"city": city}
    for code, name in [("64.71.01", "Balikpapan Timur"), ("64.71.02", "Balikpapan Barat")]:
        regions[code] = Region.objects.get_or_create(code=code, defaults={"name": name, "level": 2, "parent": city})[0]
    for code, name in [("64.71.01.1001", "Manggar"), ("64.71.01.1002", "Lamaru"), ("64.71.02.1001", "Baru Tengah")]:
        regions[code] = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": 3, "parent": regions[code.rsplit(".", 1)[0]]}
        )[0]
    forums = {"city": Forum.objects.get_or_create(region=city, defaults={"name": "Forum Anak Kota Balikpapan",
                                                                          "slug": "kota", "level": 1})[0]}
    for code in ("64.71.01", "64.71.02"):
        forums[code] = Forum.objects.get_or_create(region=regions[code], defaults={
            "name": f"Forum Anak {regions[code].name}", "slug": code.replace(".", "-"), "level": 2, "parent": forums["city"]})[0]
    for code in ("64.71.01.1001", "64.71.01.1002", "64.71.02.1001"):
        forums[code] = Forum.objects.get_or_create(region=regions[code], defaults={
            "name": f"Forum Anak {regions[code].name}", "slug": code.replace(".", "-"), "level": 3,
            "parent": forums[code.rsplit(".", 1)[0]]})[0]
    return {"regions": regions, "forums": forums}


@pytest.fixture
def city(db):
    return build_city()


EVENT_PERMS = ["add_event", "change_event", "view_event", "view_registration", "change_registration"]


def make_staff(username, forum, role="fasilitator", *, perms=True):
    user = grant_admin_access(make_user(username, is_staff=True))
    StaffAssignment.objects.create(user=user, forum=forum, role=role)
    if perms:
        group, _ = Group.objects.get_or_create(name="Staf kegiatan uji")
        group.permissions.add(*Permission.objects.filter(content_type__app_label="events", codename__in=EVENT_PERMS))
        user.groups.add(group)
    return user


@pytest.fixture
def fasilitator(city):
    """Fasilitator of kelurahan Manggar (where the events and members below are)."""
    return make_staff("fas-manggar", city["forums"]["64.71.01.1001"])


@pytest.fixture
def other_fasilitator(city):
    """Fasilitator of kelurahan Baru Tengah, in another kecamatan."""
    return make_staff("fas-barutengah", city["forums"]["64.71.02.1001"])


def dob_for_age(age, on=None):
    on = on or timezone.localdate()
    return on.replace(year=on.year - age) - timedelta(days=30)


def make_member(city, *, name=None, age=13, kelurahan="64.71.01.1001", guardian_email=None, email="",
                status=Member.Status.ACTIVE, guardian_language="id"):
    """An active member with a login and one guardian (created directly: fast)."""
    n = next(_seq)
    name = name or f"Anak{n}"
    user = make_user(f"{name.lower()}-{n}", email=email)
    region = city["regions"][kelurahan]
    dob = dob_for_age(age)
    member = Member.objects.create(
        user=user, forum=Forum.objects.get(region=region), status=status, member_number=f"FA-6471-T{n:05d}",
        full_name=f"{name} Lengkap", display_name=name, date_of_birth=dob, gender="P", kelurahan=region,
        kecamatan_id=region.parent_id, birth_year=dob.year, school="SMPN 1",
    )
    guardian = Guardian.objects.create(name=f"Wali {name}", email=guardian_email or f"wali-{n}@example.test",
                                       language=guardian_language)
    GuardianLink.objects.create(guardian=guardian, member=member, relationship="ibu")
    return member


def make_adult(username=None, *, email=None):
    n = next(_seq)
    username = username or f"dewasa-{n}"
    return make_user(username, email=email, first_name="Sari", last_name=f"Dewasa {n}")


def make_event(forum, *, audience="children", capacity=5, starts_in=timedelta(days=7), hours=3, slug=None,
               questions=(), **fields):
    n = next(_seq)
    start = timezone.now().replace(microsecond=0) + starts_in
    defaults = dict(
        title=f"Lokakarya {n}", slug=slug or f"lokakarya-{n}", description="Kita belajar bersama.",
        starts_at=start, ends_at=start + timedelta(hours=hours), venue_name="Aula Kelurahan",
        venue_address="Jl. Contoh 1", forum=forum, audience=audience, capacity=capacity, is_published=True,
        min_age=10 if audience == "children" else 18, max_age=17 if audience == "children" else None,
        photo_level="public",
    )
    defaults.update(fields)
    event = Event.objects.create(**defaults)
    for i, (label, days) in enumerate(questions):
        RegistrationQuestion.objects.create(event=event, label=label, retention_days=days, sort_order=i)
    return event


@pytest.fixture
def event(city, consent_texts):
    return make_event(city["forums"]["64.71.01.1001"])


@pytest.fixture
def adult_event(city):
    return make_event(city["forums"]["city"], audience="adults")


def latest_consent_token(registration):
    """Consent tokens are never stored; tests make a fresh link for the registration's request."""
    from forumanak.membership.models import ConsentRequest

    token = membership_services.new_token()
    ConsentRequest.objects.filter(pk=registration.consent_request_id).update(token_hash=ConsentRequest.hash_token(token))
    return token


def guardian_decides(registration, decision="granted"):
    registration.refresh_from_db()
    member = registration.member
    return membership_services.decide_by_link(
        token=latest_consent_token(registration), purpose="event", decision=decision,
        date_of_birth=member.date_of_birth, guardian_name="Ibu Wali", ip_address="10.0.0.1", user_agent="pytest",
    )

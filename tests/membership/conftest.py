
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.utils import timezone

from forumanak.membership import services
from forumanak.membership.models import ConsentText, Forum, StaffAssignment
from forumanak.regions.models import Region
from tests.conftest import grant_admin_access, make_user

TEXTS = import_module("forumanak.membership.migrations.0003_consent_texts").TEXTS


@pytest.fixture
def consent_texts(db):
    for (purpose, language), (title, summary, body) in TEXTS.items():
        if not ConsentText.objects.filter(purpose=purpose, language=language).exists():
            ConsentText.objects.create(purpose=purpose, language=language, version=1, title=title, summary=summary, body=body)


@pytest.fixture
def city(db):
    """A small Kota Balikpapan: two kecamatan with two and one kelurahan, and their forums."""
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": 0})[0]
    city = Region.objects.get_or_create(code="64.71", defaults={"name": "Kota Balikpapan", "level": 1, "parent": prov})[0]
    regions = {"city": city}
    for code, name in [("64.71.01", "Balikpapan Timur"), ("64.71.02", "Balikpapan Barat")]:
        regions[code] = Region.objects.get_or_create(code=code, defaults={"name": name, "level": 2, "parent": city})[0]
    for code, name in [("64.71.01.1001", "Manggar"), ("64.71.01.1002", "Lamaru"), ("64.71.02.1001", "Baru Tengah")]:
        regions[code] = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": 3, "parent": regions[code.rsplit(".", 1)[0]]}
        )[0]
    forums = {}
    forums["city"] = Forum.objects.create(name="Forum Anak Kota Balikpapan", slug="kota", region=city, level=1,
                                          sk_number="1/2025", sk_date=date(2025, 7, 23))
    for code in ("64.71.01", "64.71.02"):
        forums[code] = Forum.objects.create(name=f"Forum Anak {regions[code].name}", slug=code.replace(".", "-"),
                                            region=regions[code], level=2, parent=forums["city"])
    for code in ("64.71.01.1001", "64.71.01.1002", "64.71.02.1001"):
        forums[code] = Forum.objects.create(name=f"Forum Anak {regions[code].name}", slug=code.replace(".", "-"),
                                            region=regions[code], level=3, parent=forums[code.rsplit(".", 1)[0]])
    return {"regions": regions, "forums": forums}


def staff(username, forum, role):
    user = grant_admin_access(make_user(username, is_staff=True))
    StaffAssignment.objects.create(user=user, forum=forum, role=role)
    return user


@pytest.fixture
def pembina(city):
    return staff("pembina", city["forums"]["city"], "pembina")


@pytest.fixture
def fasilitator(city):
    """Fasilitator of kelurahan Manggar only."""
    return staff("fas-manggar", city["forums"]["64.71.01.1001"], "fasilitator")


@pytest.fixture
def other_fasilitator(city):
    """Fasilitator of kelurahan Baru Tengah (another kecamatan)."""
    return staff("fas-barutengah", city["forums"]["64.71.02.1001"], "fasilitator")


def dob_for_age(age):
    today = timezone.localdate()
    return today.replace(year=today.year - age) - timedelta(days=30)


def apply(city, *, username="putri", kelurahan="64.71.01.1001", age=13, guardian_email="ibu.putri@example.test",
          guardian_language="id", with_user=True):
    user = make_user(username, email="") if with_user else None
    application = services.Application(
        full_name=f"{username.title()} Lengkap", display_name=username.title(), date_of_birth=dob_for_age(age), gender="P",
        kelurahan=city["regions"][kelurahan], school="SMPN 1", guardian_name=f"Wali {username}", guardian_relationship="ibu",
        guardian_email=guardian_email, guardian_phone="0812", guardian_language=guardian_language,
    )
    member, request, token = services.submit_application(application=application, user=user, actor=user)
    return member, request, token


def grant(token, member, decision="granted", purpose="membership"):
    return services.decide_by_link(token=token, purpose=purpose, decision=decision, date_of_birth=member.date_of_birth,
                                   guardian_name="Ibu Wali", ip_address="10.0.0.1", user_agent="pytest")


@pytest.fixture
def applicant(city, consent_texts):
    return apply(city)


@pytest.fixture
def active_member(city, consent_texts, pembina):
    member, request, token = apply(city, username="aktif")
    grant(token, member)
    services.approve_member(member=member, actor=pembina)
    member.refresh_from_db()
    return member, request



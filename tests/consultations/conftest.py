"""Factories for the consultation tests: a small city, members and consultations made directly
(fast), and staff with the permissions their group gets."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from forumanak.consultations.models import Consultation, Question
from forumanak.consultations.permissions import grant_staff_permissions
from forumanak.membership.models import Forum, Member, StaffAssignment
from forumanak.regions.models import Region
from tests.conftest import enable_totp, grant_admin_access, make_user

_numbers = count(1)

KELURAHAN = {
    "64.71.01.1001": "Manggar",
    "64.71.01.1002": "Lamaru",
    "64.71.02.1001": "Baru Tengah",
}


@pytest.fixture(autouse=True)
def indonesian():
    """Every test starts in Indonesian and leaves the language as it found it (a request to an
    /en/ page activates English in the test's thread)."""
    with translation.override("id"):
        yield


@pytest.fixture
def city(db):
    """Kota Balikpapan with two kecamatan, three kelurahan and a forum at each level."""
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": 0})[0]
    city_region = Region.objects.get_or_create(code="64.71", defaults={"name": "Kota Balikpapan", "level": 1, "parent": prov})[0]
    regions = {"city": city_region}
    for code, name in [("64.71.01", "Balikpapan Timur"), ("64.71.02", "Balikpapan Barat")]:
        regions[code] = Region.objects.get_or_create(code=code, defaults={"name": name, "level": 2, "parent": city_region})[0]
    for code, name in KELURAHAN.items():
        regions[code] = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": 3, "parent": regions[code.rsplit(".", 1)[0]]})[0]
    forums = {"city": Forum.objects.create(name="Forum Anak Kota Balikpapan", slug="kota", region=city_region, level=1)}
    for code in ("64.71.01", "64.71.02"):
        forums[code] = Forum.objects.create(name=f"Forum Anak {regions[code].name}", slug=code.replace(".", "-"),
                                            region=regions[code], level=2, parent=forums["city"])
    for code in KELURAHAN:
        forums[code] = Forum.objects.create(name=f"Forum Anak {regions[code].name}", slug=code.replace(".", "-"),
                                            region=regions[code], level=3, parent=forums[code.rsplit(".", 1)[0]])
    return {"regions": regions, "forums": forums}


def dob_for_age(age, on=None):
    """A date of birth that makes the child ``age`` on ``on`` (today), 30 days past the birthday."""
    on = on or timezone.localdate()
    return on.replace(year=on.year - age) - timedelta(days=30)


def make_member(city, username=None, *, age=13, kelurahan="64.71.01.1001", gender="P", status="active", dob=None):
    username = username or f"anak{next(_numbers)}"
    user = make_user(username, email="")
    region = city["regions"][kelurahan]
    dob = dob or dob_for_age(age)
    member = Member.objects.create(
        user=user, forum=city["forums"][kelurahan], status=status, member_number=f"FA-TEST-{next(_numbers):06d}",
        full_name=f"{username} Lengkap", display_name=username, date_of_birth=dob, gender=gender, kelurahan=region,
        kecamatan_id=region.parent_id, birth_year=dob.year,
    )
    return member


QUESTIONS = [
    {"kind": "single", "prompt": "Tempat bermain favorit?", "choices_text": "Taman\nLapangan\nPerpustakaan"},
    {"kind": "multiple", "prompt": "Kegiatan yang kamu mau?", "choices_text": "Olahraga\nMusik\nKomputer\nMembaca",
     "max_choices": 2},
    {"kind": "ranking", "prompt": "Urutkan yang terpenting", "choices_text": "Toilet\nAir minum\nKantin", "top_k": 2},
    {"kind": "scale", "prompt": "Seberapa aman sekolahmu?", "choices_text": ""},
    {"kind": "text", "prompt": "Usulanmu?", "required": False, "max_length": 50},
]


def make_consultation(forum, *, slug=None, status="published", opens=None, closes=None, questions=QUESTIONS,
                      scope=(), **fields):
    now = timezone.now()
    opens = opens or now - timedelta(days=1)
    closes = closes or now + timedelta(days=1)
    consultation = Consultation.objects.create(
        slug=slug or f"konsultasi-{next(_numbers)}", title=fields.pop("title", "Suara anak untuk kota"),
        summary="Ringkasan", cluster=4, forum=forum, opens_at=opens, closes_at=closes, status=status,
        published_at=None if status == "draft" else opens - timedelta(hours=1),
        closed_at=closes if status == "closed" else None, **fields,
    )
    for index, spec in enumerate(questions):
        Question.objects.create(consultation=consultation, sort_order=index, **spec)
    if scope:
        consultation.scope_forums.set(scope)
        consultation.save()  # a ParentalManyToManyField is written to the database on save
    return consultation


def questions_of(consultation):
    return {q.kind: q for q in consultation.questions.all()}


def full_answers(consultation, *, single=0, multiple=(0,), ranking=(0, 1), scale=2, text=""):
    q = questions_of(consultation)
    return {q["single"].pk: single, q["multiple"].pk: list(multiple), q["ranking"].pk: list(ranking),
            q["scale"].pk: scale, q["text"].pk: text}


def post_data(consultation, *, single="0", multiple=("0",), ranking=("0", "1"), scale="2", text=""):
    q = questions_of(consultation)
    data = {f"q{q['single'].pk}": single, f"q{q['multiple'].pk}": list(multiple), f"q{q['scale'].pk}": scale,
            f"q{q['text'].pk}": text}
    for position, value in enumerate(ranking, start=1):
        data[f"q{q['ranking'].pk}_r{position}"] = value
    return data


def make_staff(username, forum, role="pembina", *, mfa=True):
    user = grant_admin_access(make_user(username, is_staff=True))
    grant_staff_permissions()
    user.groups.add(Group.objects.get(name="Pembina" if role == "pembina" else "Fasilitator"))
    StaffAssignment.objects.create(user=user, forum=forum, role=role)
    if mfa:
        enable_totp(user)
    return user


@pytest.fixture
def consultation(city):
    return make_consultation(city["forums"]["city"])


@pytest.fixture
def member(city):
    return make_member(city, "putri")


@pytest.fixture
def pembina(city):
    return make_staff("pembina", city["forums"]["city"], "pembina")


__all__ = ["date"]

"""The eligibility matrix: age on the day of voting, forum scope, member status and schedule,
and the message each refusal shows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forumanak.consultations import selectors, services
from forumanak.consultations.models import Ballot
from forumanak.consultations.views import reason_message
from forumanak.membership.models import Forum
from tests.conftest import make_user
from tests.consultations.conftest import full_answers, make_consultation, make_member, post_data

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize("age, expected", [(10, "age"), (11, None), (12, None), (14, None), (15, "age"), (17, "age")])
def test_age_limits_are_inclusive(city, age, expected):
    consultation = make_consultation(city["forums"]["city"], min_age=11, max_age=14)
    member = make_member(city, age=age)
    assert selectors.ineligibility(consultation, member) == expected


def test_age_is_taken_on_the_day_of_voting(city):
    consultation = make_consultation(city["forums"]["city"], min_age=13, max_age=17)
    today = timezone.localdate()
    member = make_member(city, dob=(today + timedelta(days=1)).replace(year=today.year - 13))  # 13 tomorrow
    assert selectors.ineligibility(consultation, member, today=today) == "age"
    assert selectors.ineligibility(consultation, member, today=today + timedelta(days=1)) is None
    older = make_member(city, dob=today.replace(year=today.year - 18) + timedelta(days=1))  # 18 tomorrow
    assert selectors.ineligibility(consultation, older, today=today) is None
    assert selectors.ineligibility(consultation, older, today=today + timedelta(days=1)) == "age"


@pytest.mark.parametrize("organiser, scope, kelurahan, expected", [
    ("city", [], "64.71.02.1001", None),  # whole city
    ("64.71.01", [], "64.71.01.1002", None),  # kelurahan inside the kecamatan
    ("64.71.01", [], "64.71.02.1001", "forum"),  # another kecamatan
    ("64.71.01.1001", [], "64.71.01.1002", "forum"),  # neighbouring kelurahan
    ("city", ["64.71.01.1002"], "64.71.01.1002", None),  # explicit scope
    ("city", ["64.71.01.1002"], "64.71.01.1001", "forum"),
    ("city", ["64.71.01.1002", "64.71.02"], "64.71.02.1001", None),
])
def test_forum_scope(city, organiser, scope, kelurahan, expected):
    forums = city["forums"]
    consultation = make_consultation(forums[organiser], scope=[forums[s] for s in scope])
    member = make_member(city, kelurahan=kelurahan)
    assert selectors.ineligibility(consultation, member) == expected
    # the vote itself checks the scope again, read with the lock (one statement on PostgreSQL)
    if expected:
        with pytest.raises(services.NotEligible) as refused:
            services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                                   actor=member.user)
        assert refused.value.reason == expected
        assert Ballot.objects.count() == 0
    else:
        services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                               actor=member.user)
        assert Ballot.objects.filter(consultation=consultation).count() == 1


def test_national_forum_scope_takes_everyone(city):
    national = Forum.objects.create(name="Forum Anak Nasional", slug="nasional", level=-1)
    consultation = make_consultation(national)
    assert selectors.ineligibility(consultation, make_member(city, kelurahan="64.71.02.1001")) is None


@pytest.mark.parametrize("status", ["applied", "awaiting_consent", "pending_review", "suspended", "rejected",
                                    "withdrawn", "alumni"])
def test_only_active_members_vote(city, consultation, status):
    member = make_member(city, status=status)
    assert selectors.ineligibility(consultation, member) == "inactive"
    with pytest.raises(services.NotEligible) as refused:
        services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)
    assert refused.value.reason == "inactive"
    assert Ballot.objects.count() == 0


@pytest.mark.parametrize("opens, closes, status, expected", [
    (NOW + timedelta(hours=1), NOW + timedelta(days=1), "published", "upcoming"),
    (NOW - timedelta(days=2), NOW - timedelta(minutes=1), "published", "closed"),  # past closing, task not run yet
    (NOW - timedelta(days=2), NOW - timedelta(days=1), "closed", "closed"),
    (NOW - timedelta(days=1), NOW + timedelta(days=1), "published", None),
    (NOW - timedelta(days=1), NOW + timedelta(days=1), "draft", "draft"),
])
def test_schedule(city, opens, closes, status, expected):
    consultation = make_consultation(city["forums"]["city"], opens=opens, closes=closes, status=status)
    member = make_member(city)
    assert selectors.ineligibility(consultation, member) == expected
    if expected:
        with pytest.raises(services.NotEligible):
            services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                                   actor=member.user)
        assert Ballot.objects.count() == 0


def test_the_service_checks_the_clock_at_submission(city, consultation):
    member = make_member(city)
    late = consultation.closes_at + timedelta(seconds=1)
    with pytest.raises(services.NotEligible) as refused:
        services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                               actor=member.user, now=late)
    assert refused.value.reason == "closed"


# ---- each refusal shows its reason on the page ------------------------------------------------

MESSAGES = {
    "login": "Masuk dulu dengan akun Forum Anak-mu",
    "not_member": "Hanya anggota Forum Anak yang bisa memberi suara",
    "inactive": "Keanggotaanmu belum aktif",
    "forum": "Konsultasi ini untuk anggota Forum Anak Balikpapan Timur",
    "age": "Konsultasi ini untuk anak umur 13 sampai 15 tahun",
    "upcoming": "Konsultasi ini belum dibuka",
    "closed": "Konsultasi ini sudah ditutup",
    "voted": "Kamu sudah memberi suara di konsultasi ini",
}


def _visitor(city, reason):
    if reason == "login":
        return None
    if reason == "not_member":
        return make_user("dewasa")
    kwargs = {"inactive": {"status": "suspended"}, "forum": {"kelurahan": "64.71.02.1001"}, "age": {"age": 16}}.get(reason, {})
    return make_member(city, **kwargs).user


@pytest.mark.parametrize("reason", list(MESSAGES))
def test_each_refusal_has_a_clear_message_and_no_ballot(client, city, reason):
    now = timezone.now()
    times = {"upcoming": (now + timedelta(days=1), now + timedelta(days=2)),
             "closed": (now - timedelta(days=2), now - timedelta(days=1))}.get(reason, (None, None))
    consultation = make_consultation(city["forums"]["64.71.01"], opens=times[0], closes=times[1], min_age=13, max_age=15,
                                     status="closed" if reason == "closed" else "published")
    user = _visitor(city, reason)
    if user:
        client.force_login(user)
    if reason == "voted":
        services.submit_ballot(consultation=consultation, member=user.member, answers=full_answers(consultation), actor=user)
    url = reverse("consultations:detail", args=[consultation.slug])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert MESSAGES[reason] in text
    assert "Kirim suaraku" not in text
    assert reason_message(reason, consultation).split(".")[0][:30] in text
    before = Ballot.objects.count()
    response = client.post(url, post_data(consultation))
    assert MESSAGES[reason] in response.content.decode()
    assert response.status_code == (200 if reason == "voted" else 403)
    assert Ballot.objects.count() == before


def test_eligible_member_sees_the_ballot(client, city, consultation):
    client.force_login(make_member(city).user)
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "Kirim suaraku" in page and "<legend>1. Tempat bermain favorit?" in page


def test_listing_shows_open_upcoming_and_finished(client, city):
    now = timezone.now()
    forum = city["forums"]["city"]
    make_consultation(forum, title="Yang dibuka")
    make_consultation(forum, title="Yang akan datang", opens=now + timedelta(days=3), closes=now + timedelta(days=5))
    make_consultation(forum, title="Yang selesai", opens=now - timedelta(days=5), closes=now - timedelta(days=3), status="closed")
    make_consultation(forum, title="Yang draf", status="draft")
    page = client.get(reverse("consultations:list")).content.decode()
    open_at, upcoming_at, finished_at = (page.index(h) for h in ("Sedang dibuka", "Akan dibuka", "Sudah selesai"))
    assert open_at < page.index("Yang dibuka") < upcoming_at < page.index("Yang akan datang") < finished_at < page.index("Yang selesai")
    assert "Yang draf" not in page

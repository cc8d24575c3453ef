"""What the app gives others: the home-page tag, the member's own page, the member's data
export, the schedules and the demo data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from forumanak.consultations import services
from forumanak.consultations.models import Ballot, Consultation, ResultSnapshot
from tests.consultations.conftest import full_answers, make_consultation, make_member

pytestmark = pytest.mark.django_db


def test_open_consultations_tag_lists_only_open_ones(city):
    forum = city["forums"]["city"]
    make_consultation(forum, title="Sedang dibuka")
    make_consultation(forum, title="Belum dibuka", opens=timezone.now() + timedelta(days=1), closes=timezone.now() + timedelta(days=2))
    make_consultation(forum, title="Draf", status="draft")
    html = Template("{% load consultations_tags %}{% open_consultations %}").render(Context())
    assert "Sedang dibuka" in html and "Belum dibuka" not in html and "Draf" not in html
    assert reverse("consultations:list") in html


def test_member_page_lists_consultations_open_to_the_member(client, city):
    forum = city["forums"]
    mine = make_consultation(forums_city := forum["city"], title="Untuk semua")
    make_consultation(forum["64.71.02"], title="Untuk Barat saja")
    make_consultation(forums_city, title="Untuk yang besar", min_age=16, max_age=17)
    member = make_member(city, age=13)
    config = apps.get_app_config("consultations")
    html = config.member_page_section(member)
    assert "Untuk semua" in html and "Untuk Barat saja" not in html and "Untuk yang besar" not in html
    services.submit_ballot(consultation=mine, member=member, answers=full_answers(mine), actor=member.user)
    html = config.member_page_section(member)
    assert "Konsultasi yang sudah kamu ikuti" in html and "Tidak ada konsultasi yang menunggu" in html
    client.force_login(member.user)
    page = client.get(reverse("membership:my_card"))
    assert "Konsultasi untukmu" in page.content.decode()


def test_export_says_where_the_member_took_part_never_what_they_answered(city, consultation):
    member = make_member(city)
    services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation, text="Rahasiaku"),
                           actor=member.user)
    data = apps.get_app_config("consultations").export_member_data(member)
    assert [row["konsultasi"] for row in data["konsultasi_yang_diikuti"]] == [consultation.title]
    assert data["konsultasi_yang_diikuti"][0]["tanggal"] == timezone.localdate()  # the date, no time
    flat = repr(data)
    assert "Rahasiaku" not in flat and str(Ballot.objects.get().id) not in flat


def test_schedules_are_set_up(db):
    call_command("setup_schedules", stdout=StringIO())
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {"consultations: close due consultations", "consultations: refresh live results",
            "consultations: mix the ballot boxes"} <= names


def test_demo_is_idempotent(city):
    from forumanak.consultations import demo

    out = StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    assert Consultation.objects.count() == 3
    closed = Consultation.objects.get(slug="sekolah-ramah-anak")
    assert closed.status == "closed" and ResultSnapshot.objects.get(consultation=closed).is_final
    assert closed.responses.count() == 2


def test_pages_speak_english_under_en(client, city, consultation):
    page = client.get("/en/konsultasi/").content.decode()
    assert "Children&#x27;s consultations" in page or "Children's consultations" in page
    detail = client.get(f"/en/konsultasi/{consultation.slug}/").content.decode()
    assert "account first to vote." in detail

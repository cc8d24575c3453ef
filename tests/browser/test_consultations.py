"""A member votes on a 360 px screen, tries again and is told they already voted; after
closing, the results page shows suppressed cells and the government's answer, with no serious
or critical accessibility violations and nothing loaded from another origin."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Ballot, Consultation, GovernmentResponse, Participation
from tests.browser.conftest import NARROW
from tests.consultations.conftest import city as city  # noqa: F401  (the fixture)
from tests.consultations.conftest import make_consultation, make_member, questions_of

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(tab, user, live_server):
    client = Client()
    client.force_login(user)
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def more_ballots(consultation, n=11):
    """Other children's ballots (written directly), a few in a small group."""
    q = questions_of(consultation)
    for i in range(n):
        ballot = Ballot.objects.create(id=uuid.uuid4(), consultation=consultation, age_band="13-15" if i % 4 else "16-17",
                                       gender="PL"[i % 2], kecamatan_code="64.71.01" if i % 5 else "64.71.02",
                                       voted_on=timezone.localdate())
        Answer.objects.bulk_create([
            Answer(id=uuid.uuid4(), ballot=ballot, question=q["single"], choice=i % 3),
            Answer(id=uuid.uuid4(), ballot=ballot, question=q["multiple"], choice=i % 4),
            Answer(id=uuid.uuid4(), ballot=ballot, question=q["ranking"], choice=0, rank=1),
            Answer(id=uuid.uuid4(), ballot=ballot, question=q["ranking"], choice=1 + i % 2, rank=2),
            Answer(id=uuid.uuid4(), ballot=ballot, question=q["scale"], choice=i % 5),
        ])


def test_member_votes_once_then_sees_results_with_the_governments_answer(visit, live_server, city):  # noqa: F811
    consultation = make_consultation(city["forums"]["city"], title="Suara anak untuk Musrenbang")
    member = make_member(city, "putri", age=13)
    tab = visit(NARROW)
    log_in(tab, member.user, live_server)
    second_tab = tab.context.new_page()  # the same child, a second tab with the ballot open
    second_tab.goto(f"{live_server.url}/konsultasi/{consultation.slug}/")

    tab.goto(f"/konsultasi/{consultation.slug}/")
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text() == "Suara anak untuk Musrenbang"
    assert no_sideways_scroll(page)
    assert tab.serious_axe_violations() == []
    page.get_by_label("Perpustakaan").check()
    page.get_by_label("Olahraga").check()
    page.get_by_label("Musik").check()
    page.get_by_label("Pilihan ke-1").select_option(label="Air minum")
    page.get_by_label("Pilihan ke-2").select_option(label="Toilet")
    page.get_by_label("4 – Setuju").check()
    page.get_by_role("textbox").fill("Lampu jalan dekat sekolah")
    page.get_by_role("button", name="Kirim suaraku").click()
    page.wait_for_url(f"**/konsultasi/{consultation.slug}/terima-kasih/")
    assert page.get_by_role("heading", level=1).inner_text() == "Terima kasih!"
    assert tab.serious_axe_violations() == []

    # trying again: the page says so, and the other tab's submission changes nothing
    tab.goto(f"/konsultasi/{consultation.slug}/")
    assert page.get_by_text("Kamu sudah memberi suara di konsultasi ini").is_visible()
    assert page.get_by_role("button", name="Kirim suaraku").count() == 0
    second_tab.get_by_label("Taman").check()
    second_tab.get_by_label("Pilihan ke-1").select_option(label="Toilet")
    second_tab.get_by_label("Pilihan ke-2").select_option(label="Kantin")
    second_tab.get_by_label("1 – Sangat tidak setuju").check()
    second_tab.get_by_role("button", name="Kirim suaraku").click()
    second_tab.wait_for_load_state()
    assert second_tab.get_by_role("heading", level=1).inner_text() == "Kamu sudah memberi suara"
    assert Participation.objects.count() == 1 and Ballot.objects.count() == 1
    assert Ballot.objects.get().answers.get(question__kind="single").choice == 2  # the first submission stands

    # closing: more children voted; the task closes and counts; the government answers
    more_ballots(consultation, 29)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.close(consultation_id=consultation.pk)
    GovernmentResponse.objects.create(consultation=consultation, recommendation="Lampu jalan dekat sekolah",
                                      action="Dinas Perhubungan memasang 40 lampu jalan.", status="in_progress",
                                      agency="Dinas Perhubungan")
    tab.goto(f"/konsultasi/{consultation.slug}/hasil/")
    assert page.get_by_text("30 anak ikut memberi suara").is_visible()
    assert page.get_by_role("heading", name="Kamu bilang, kami lakukan").is_visible()
    assert page.get_by_text("Dinas Perhubungan memasang 40 lampu jalan.").is_visible()
    page.get_by_text("Menurut kecamatan").first.click()
    assert page.locator("details[open] .suppressed", has_text="—").first.is_visible()  # small groups hidden
    assert no_sideways_scroll(page)
    assert tab.serious_axe_violations() == []
    assert tab.foreign_requests() == []

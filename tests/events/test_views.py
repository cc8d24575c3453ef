"""The public pages: the list with filters, an event with seats left, registering through the
form, my registrations, the home page tag and the member page hooks."""

import json
import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from events import services
from events.models import Answer, Registration
from forumanak.membership import services as membership_services
from forumanak.membership.models import ConsentRequest, Member

from .conftest import guardian_decides, make_adult, make_event, make_member

R = Registration.Status
pytestmark = pytest.mark.django_db


def test_list_shows_upcoming_events_filtered_by_kecamatan_and_audience(client, city, consent_texts):
    manggar = make_event(city["forums"]["64.71.01.1001"], title="Lokakarya Manggar")
    barat = make_event(city["forums"]["64.71.02"], title="Musrenbang Anak Barat")
    adults = make_event(city["forums"]["64.71.01"], audience="adults", title="Kelas Parenting Timur")
    make_event(city["forums"]["city"], title="Sudah Lewat", starts_in=timedelta(days=-3))
    make_event(city["forums"]["city"], title="Belum Terbit", is_published=False)
    html = client.get("/kegiatan/").content.decode()
    assert all(e.title in html for e in (manggar, barat, adults))
    assert "Sudah Lewat" not in html and "Belum Terbit" not in html
    assert html.index("Lokakarya Manggar") >= 0

    timur = client.get("/kegiatan/", {"kecamatan": "64.71.01"}).content.decode()
    assert "Lokakarya Manggar" in timur and "Kelas Parenting Timur" in timur and "Musrenbang Anak Barat" not in timur
    children = client.get("/kegiatan/", {"audience": "children"}).content.decode()
    assert "Kelas Parenting Timur" not in children and "Lokakarya Manggar" in children
    both = client.get("/kegiatan/", {"kecamatan": "64.71.01", "audience": "adults"}).content.decode()
    assert "Kelas Parenting Timur" in both and "Lokakarya Manggar" not in both
    assert 'name="kecamatan"' in timur and "Balikpapan Barat" in timur  # the filter lists the kecamatan


def test_list_shows_twenty_events_a_page_and_keeps_the_filter_on_the_next(client, city, consent_texts):
    for day in range(25):
        make_event(city["forums"]["64.71.01.1001"], title=f"Acara hari {day:02d}", starts_in=timedelta(days=1 + day))
    first = client.get("/kegiatan/", {"audience": "children"}).content.decode()
    assert first.count("<article class=\"event-card\">") == 20
    assert "Acara hari 00" in first and "Acara hari 20" not in first
    assert 'href="?audience=children&amp;halaman=2"' in first
    second = client.get("/kegiatan/", {"audience": "children", "halaman": "2"}).content.decode()
    assert second.count("Acara hari") == 5 and "Acara hari 24" in second
    assert "Halaman 2 dari 2" in second


def test_detail_shows_seats_left(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=3, slug="lokakarya-kursi")
    services.register(event=event, user=make_member(city).user, actor=None)  # pending consent holds a seat
    html = client.get("/kegiatan/lokakarya-kursi/").content.decode()
    assert re.search(r'class="seats-left">2 kursi<', html)
    assert client.get("/kegiatan/tidak-ada/").status_code == 404


def test_a_child_registers_through_the_form(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], slug="lokakarya-form", photo_level="public",
                       questions=[("Butuh bantuan akses?", 30)])
    question = event.questions.get()
    member = make_member(city)
    client.force_login(member.user)
    form = client.get("/kegiatan/lokakarya-form/daftar/")
    assert form.status_code == 200 and "Butuh bantuan akses?" in form.content.decode()
    assert 'name="date_of_birth"' not in form.content.decode()  # children's age is known
    response = client.post("/kegiatan/lokakarya-form/daftar/", {"photo_level": "internal", f"q_{question.pk}": "kursi roda"})
    assert response.status_code == 200
    assert "Kursimu disimpan" in response.content.decode()
    registration = Registration.objects.get(event=event, member=member)
    assert registration.status == R.PENDING_CONSENT and registration.photo_level == "internal"
    assert Answer.objects.get(registration=registration).value == "kursi roda"
    # again: told they are already registered
    again = client.post("/kegiatan/lokakarya-form/daftar/", {"photo_level": "none"})
    assert again.status_code == 302 and again["Location"] == "/kegiatan/saya/"
    assert Registration.objects.filter(event=event).count() == 1
    mine = client.get("/kegiatan/saya/").content.decode()
    assert event.title in mine and "Orang tua/walimu perlu setuju" in mine


def test_a_full_event_puts_you_on_the_waitlist_with_your_position(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], slug="penuh", capacity=1, photo_level="none")
    services.register(event=event, user=make_member(city).user, actor=None)
    services.register(event=event, user=make_member(city).user, actor=None)
    member = make_member(city)
    client.force_login(member.user)
    html = client.post("/kegiatan/penuh/daftar/", {}).content.decode()
    assert "daftar tunggu nomor 2" in html


def test_an_adult_registers_through_the_form_with_no_consent_step(client, city):
    make_event(city["forums"]["city"], audience="adults", slug="kelas-parenting", photo_level="none")
    adult = make_adult(email="ayu@example.test")
    client.force_login(adult)
    form = client.get("/kegiatan/kelas-parenting/daftar/").content.decode()
    assert 'name="date_of_birth"' in form and 'name="adult_name"' in form
    html = client.post("/kegiatan/kelas-parenting/daftar/", {"adult_name": "Ayu Lestari",
                                                              "date_of_birth": "1988-02-03"}).content.decode()
    assert "Kamu terdaftar" in html
    registration = Registration.objects.get(user=adult)
    assert registration.status == R.CONFIRMED and not ConsentRequest.objects.exists()
    ticket = client.get(f"/kegiatan/tiket/{registration.code}/").content.decode()
    assert "<svg" in ticket and "Ayu Lestari" in ticket


def test_clear_messages_when_the_audience_does_not_match(client, city, consent_texts):
    make_event(city["forums"]["city"], audience="adults", slug="untuk-dewasa")
    make_event(city["forums"]["64.71.01.1001"], slug="untuk-anak")
    member = make_member(city)
    client.force_login(member.user)
    response = client.get("/kegiatan/untuk-dewasa/daftar/")
    assert response.status_code == 403 and "Kegiatan ini untuk orang dewasa" in response.content.decode()
    client.force_login(make_adult())
    response = client.get("/kegiatan/untuk-anak/daftar/")
    assert response.status_code == 403 and "Kegiatan ini untuk anggota Forum Anak" in response.content.decode()
    detail = client.get("/kegiatan/untuk-anak/").content.decode()
    assert "Kegiatan ini untuk anggota Forum Anak" in detail


def test_registering_needs_a_login(client, city, consent_texts):
    make_event(city["forums"]["64.71.01.1001"], slug="masuk-dulu")
    response = client.get("/kegiatan/masuk-dulu/daftar/")
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_cancelling_from_the_ticket(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1)
    first, second = make_member(city), make_member(city)
    r1 = services.register(event=event, user=first.user, actor=first.user)
    r2 = services.register(event=event, user=second.user, actor=second.user)
    client.force_login(first.user)
    confirm = client.post(f"/kegiatan/tiket/{r1.code}/batal/")
    assert confirm.status_code == 200 and "Batalkan pendaftaran?" in confirm.content.decode()
    client.post(f"/kegiatan/tiket/{r1.code}/batal/", {"confirm": "yes"})
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == R.CANCELLED and r2.status == R.PENDING_CONSENT


def test_public_pages_have_no_inline_script_or_style(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], slug="csp")
    member = make_member(city)
    registration = services.register(event=event, user=member.user, actor=None)
    guardian_decides(registration)
    client.force_login(member.user)
    for path in ["/kegiatan/", "/kegiatan/csp/", "/kegiatan/csp/daftar/", "/kegiatan/saya/",
                 f"/kegiatan/tiket/{registration.code}/", "/en/kegiatan/"]:
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code in (200, 302), path
        assert "<style" not in html and " style=" not in html and "<script" not in html, path


def test_english_pages(client, city, consent_texts):
    make_event(city["forums"]["64.71.01.1001"], slug="english")
    html = client.get("/en/kegiatan/english/").content.decode()
    assert "Seats left" in html


def test_home_page_tag_lists_upcoming_events(city, consent_texts):
    make_event(city["forums"]["64.71.01.1001"], title="Hari Anak Nasional")
    make_event(city["forums"]["64.71.01.1001"], title="Lewat", starts_in=timedelta(days=-2))
    html = Template("{% load events_tags %}{% upcoming_events %}").render(Context({}))
    assert "Hari Anak Nasional" in html and "Lewat" not in html and "/kegiatan/" in html


def test_member_page_shows_registrations_and_participation(client, city, consent_texts):
    from .conftest import make_staff

    past = make_event(city["forums"]["64.71.01.1001"], title="Forum Bulanan Juni")
    future = make_event(city["forums"]["64.71.01.1001"], title="Musrenbang Anak")
    member = make_member(city)
    r1 = services.register(event=past, user=member.user, actor=None)
    guardian_decides(r1)
    services.check_in(registration=r1, actor=make_staff("fas", city["forums"]["64.71.01.1001"]))
    services.register(event=future, user=member.user, actor=None)
    client.force_login(member.user)
    html = client.get("/anggota/saya/").content.decode()
    section = html[html.index("Kegiatanku"):]
    section = section[:section.index("</section>")]
    assert "Musrenbang Anak" in section
    participation = section[section.index("Kegiatan yang sudah kuikuti"):]
    assert "Forum Bulanan Juni" in participation and "Musrenbang Anak" not in participation


def test_member_data_export_includes_registrations_and_answers(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], questions=[("Alergi?", 30)])
    member = make_member(city)
    services.register(event=event, user=member.user, actor=None,
                      data=services.RegistrationInput(answers={event.questions.get().pk: "udang"}))
    client.force_login(member.user)
    data = json.loads(client.get("/anggota/saya/data.json").content)
    assert data["kegiatan"][0]["kegiatan"] == event.title
    assert data["kegiatan"][0]["status"] == "pending_consent"
    assert data["kegiatan"][0]["jawaban"] == [{"pertanyaan": "Alergi?", "jawaban": "udang"}]


def test_erasure_cancels_open_registrations_and_removes_personal_data(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, questions=[("Alergi?", 30)])
    member = make_member(city)
    waiting = make_member(city)
    registration = services.register(event=event, user=member.user, actor=None,
                                      data=services.RegistrationInput(answers={event.questions.get().pk: "udang"}))
    other = services.register(event=event, user=waiting.user, actor=None)
    code = registration.code
    membership_services.transition(member, "withdraw", actor=None, ended_at=timezone.now())
    membership_services.erase_member_data(member_id=member.pk)
    registration.refresh_from_db()
    other.refresh_from_db()
    assert registration.status == R.CANCELLED and registration.user_id is None and registration.code != code
    assert not Answer.objects.filter(registration=registration).exists()
    assert other.status == R.PENDING_CONSENT  # the seat went to the next child
    assert Member.objects.get(pk=member.pk).erased_at is not None


def test_event_emails_link_only_to_site_url_whatever_the_host(client, city, consent_texts, settings,
                                                              django_capture_on_commit_callbacks):
    """Issue 25, §5: a request with a foreign Host header gets no link to that host into an email."""
    import re

    from django.core import mail

    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    make_event(city["forums"]["64.71.01.1001"], slug="tuan-rumah", photo_level="internal")
    make_event(city["forums"]["city"], audience="adults", slug="kelas-tuan-rumah", photo_level="none")
    member = make_member(city, guardian_email="ibu.host@example.test")
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kegiatan/tuan-rumah/daftar/", {"photo_level": "internal"}, HTTP_HOST="evil.example")
    adult = make_adult(email="ayu.host@example.test")
    client.force_login(adult)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kegiatan/kelas-tuan-rumah/daftar/", {"adult_name": "Ayu Lestari", "date_of_birth": "1988-02-03"},
                    HTTP_HOST="evil.example")
    assert {m.to[0] for m in mail.outbox} >= {"ibu.host@example.test", "ayu.host@example.test"}
    for message in mail.outbox:
        text = message.body + "".join(c for c, _t in message.alternatives)
        assert "evil.example" not in text
        for link in re.findall(r"""https?://[^\s"'<>]+""", text):
            assert link == settings.SITE_URL or link.startswith(settings.SITE_URL + "/"), link

"""The home page lists the open consultations and the upcoming events, and nothing that is not
open or not published."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.consultations.conftest import city as consultation_city  # noqa: F401 (fixture)
from tests.consultations.conftest import make_consultation
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_home_lists_open_consultations_and_upcoming_events_only(client, home_page, consultation_city):  # noqa: F811
    forum = consultation_city["forums"]["64.71.01.1001"]
    now = timezone.now()
    open_one = make_consultation(forum, title="Taman bermain untuk semua")
    make_consultation(forum, title="Belum dibuka", opens=now + timedelta(days=2), closes=now + timedelta(days=3))
    make_consultation(forum, title="Masih draf", status="draft")
    make_consultation(forum, title="Sudah selesai", status="closed", opens=now - timedelta(days=5),
                      closes=now - timedelta(days=1))
    upcoming = make_event(forum, title="Lokakarya hak anak", slug="lokakarya-hak-anak")
    make_event(forum, title="Kegiatan tersembunyi", slug="tersembunyi", is_published=False)
    make_event(forum, title="Kegiatan lampau", slug="lampau", starts_in=timedelta(days=-3))

    html = client.get("/").content.decode()

    assert f'href="{open_one.get_absolute_url()}">Taman bermain untuk semua</a>' in html
    assert f'href="{upcoming.get_absolute_url()}">Lokakarya hak anak</a>' in html
    for hidden in ("Belum dibuka", "Masih draf", "Sudah selesai", "Kegiatan tersembunyi", "Kegiatan lampau"):
        assert hidden not in html
    assert "Saat ini belum ada konsultasi yang dibuka." not in html
    assert "Belum ada kegiatan yang dijadwalkan." not in html


def test_home_says_so_when_nothing_is_open(client, home_page):
    html = client.get("/").content.decode()
    assert "Saat ini belum ada konsultasi yang dibuka." in html
    assert "Belum ada kegiatan yang dijadwalkan." in html
    assert 'href="/konsultasi/"' in html and 'href="/kegiatan/"' in html


def test_the_menu_links_a_member_to_their_page_and_others_not(client, home_page, consultation_city):  # noqa: F811
    from tests.conftest import make_user
    from tests.consultations.conftest import make_member

    html = client.get("/").content.decode()
    assert 'href="/konsultasi/">Konsultasi</a>' in html and 'href="/kegiatan/">Kegiatan</a>' in html
    assert "Halaman saya" not in html
    client.force_login(make_user("orang-dewasa"))
    assert "Halaman saya" not in client.get("/").content.decode()
    client.force_login(make_member(consultation_city).user)
    assert 'href="/anggota/saya/">Halaman saya</a>' in client.get("/").content.decode()

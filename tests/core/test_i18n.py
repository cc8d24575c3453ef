"""Indonesian by default with no prefix, English under /en/, a switcher on every page."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from forumanak.core import views
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_home_is_indonesian_without_prefix_and_english_under_en(client, home_page):
    id_page = client.get("/")
    assert id_page.status_code == 200
    assert '<html lang="id">' in id_page.text
    assert "Butuh bantuan?" in id_page.text
    en_page = client.get("/en/")
    assert en_page.status_code == 200
    assert '<html lang="en">' in en_page.text
    assert "Need help?" in en_page.text


@pytest.mark.parametrize("path", ["/", "/akun/login/", "/akun/signup/", "/akun/password/reset/", "/bantuan/"])
def test_every_page_has_a_language_switcher(client, home_page, path):
    html = client.get(path).text
    assert f'href="/bahasa/en/?next={path.replace("/", "%2F")}"' in html
    english = client.get("/en" + path).text
    assert f'href="/bahasa/id/?next={("/en" + path).replace("/", "%2F")}"' in english


def test_switching_language_keeps_the_page(client, home_page):
    assert client.get("/bahasa/en/", {"next": "/akun/login/"}).url == "/en/akun/login/"
    assert client.get("/bahasa/id/", {"next": "/en/akun/login/"}).url == "/akun/login/"
    assert client.get("/bahasa/en/", {"next": "/"}).url == "/en/"
    # never an open redirect
    assert client.get("/bahasa/en/", {"next": "https://contoh.example/"}).url == "/en/"
    # and it stores nothing: no session, no cookie
    response = client.get("/bahasa/en/", {"next": "/"})
    assert not response.cookies


def test_account_pages_are_translated(client, home_page):
    assert "Masuk" in client.get("/akun/login/").text
    assert "Sign In" in client.get("/en/akun/login/").text


def test_not_found_page_in_both_languages(client, home_page):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.parametrize("language,text", [("id", "Ada masalah di server"), ("en", "Something went wrong on our side")])
def test_server_error_page_in_both_languages(language, text):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = views.server_error(request)
    assert response.status_code == 500
    assert text in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


def test_english_catalogue_is_complete():
    po = Path(settings.PROJECT_DIR / "locale/en/LC_MESSAGES/django.po")
    with po.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [], f"untranslated: {missing[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("language,expected", [("en", "Dashboard"), ("id", "Dasbor")])
def test_admin_follows_the_users_language(client, staff_with_mfa, language, expected):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(staff_with_mfa)
    profile.preferred_language = language
    profile.save()
    sign_in_with_second_factor(client, staff_with_mfa)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert expected in response.text

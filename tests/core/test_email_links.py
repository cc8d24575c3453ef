"""Every link in every email points at SITE_URL, whatever Host header the request that caused it
carried (issue 25, §5). An attacker who reaches the app with ``Host: evil.example`` (an allowed
host, a proxy passing the header on) must not get the site to mail a password reset link to it."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from tests.conftest import make_user
from tests.membership.conftest import city, consent_texts  # noqa: F401 - fixtures
from tests.membership.test_apply import form_data

pytestmark = pytest.mark.django_db(transaction=True)

FOREIGN = "evil.example"
URL = re.compile(r"""(?:https?:)?//[^\s"'<>]+""")


def links_of(message):
    parts = [message.subject, message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    return [link for part in parts for link in URL.findall(part)]


def assert_only_site_links(messages):
    assert messages, "no email was sent"
    for message in messages:
        text = message.body + "".join(c for c, _t in getattr(message, "alternatives", []))
        assert FOREIGN not in text and FOREIGN not in message.subject, message.body
        links = links_of(message)
        for link in links:
            assert link.startswith(settings.SITE_URL + "/") or link == settings.SITE_URL, (link, message.subject)


@pytest.fixture
def foreign_host(settings):
    settings.ALLOWED_HOSTS = [FOREIGN, "testserver", "localhost"]
    return {"HTTP_HOST": FOREIGN}


def test_password_reset_link(client, foreign_host):
    make_user("sari", email="sari@example.test")
    response = client.post("/akun/password/reset/", {"email": "sari@example.test"}, **foreign_host)
    assert response.status_code == 302
    assert_only_site_links(mail.outbox)
    link = [lk for lk in links_of(mail.outbox[0]) if "/akun/password/reset/key/" in lk]
    assert link, mail.outbox[0].body
    # the link works on the real site
    assert client.get(link[0].removeprefix(settings.SITE_URL)).status_code in (200, 302)


def test_password_reset_for_an_unknown_address(client, foreign_host):
    client.post("/akun/password/reset/", {"email": "siapa@example.test"}, **foreign_host)
    assert_only_site_links(mail.outbox)


def test_password_reset_in_english(client, foreign_host):
    make_user("sari", email="sari@example.test")
    client.post("/en/akun/password/reset/", {"email": "sari@example.test"}, **foreign_host)
    assert_only_site_links(mail.outbox)
    assert any(f"{settings.SITE_URL}/en/akun/password/reset/key/" in lk for lk in links_of(mail.outbox[0]))


def test_signup_confirmation_and_account_already_exists(client, foreign_host):
    make_user("sari", email="sari@example.test")
    for email in ("baru@example.test", "sari@example.test"):
        client.post("/akun/signup/", {"email": email, "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9"},
                    **foreign_host)
        client.logout()
    assert {m.to[0] for m in mail.outbox} == {"baru@example.test", "sari@example.test"}
    assert_only_site_links(mail.outbox)
    assert any("/akun/confirm-email/" in lk for m in mail.outbox for lk in links_of(m))


def test_email_confirmation_sent_again_from_the_account_page(client, foreign_host):
    user = make_user("sari", email="sari@example.test", verified=False)
    client.force_login(user)
    client.post("/akun/email/", {"action_send": "", "email": "sari@example.test"}, **foreign_host)
    assert_only_site_links(mail.outbox)


def test_login_code(client, foreign_host):
    make_user("sari", email="sari@example.test")
    client.post("/akun/login/code/", {"email": "sari@example.test"}, **foreign_host)
    assert_only_site_links(mail.outbox)


def test_application_consent_request_and_child_verification(client, city, consent_texts, foreign_host):  # noqa: F811
    response = client.post("/anggota/daftar/", form_data(email="putri@example.test", username=""), **foreign_host)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["putri@example.test", "ratna@example.test"]
    assert_only_site_links(mail.outbox)
    assert any("/persetujuan/" in lk for m in mail.outbox for lk in links_of(m))


@override_settings(SITE_URL="https://forumanak.balikpapan.example")
def test_site_url_is_read_when_the_email_is_made(client, foreign_host):
    """Not frozen at import: the current site's domain in allauth's emails follows SITE_URL."""
    make_user("sari", email="sari@example.test")
    client.post("/akun/password/reset/", {"email": "sari@example.test"}, **foreign_host)
    body = mail.outbox[0].body
    assert "https://forumanak.balikpapan.example/akun/password/reset/key/" in body
    assert "127.0.0.1" not in body

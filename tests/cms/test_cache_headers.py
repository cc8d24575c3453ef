"""Responses made for one visitor say so (issue 25, section 5): a signed-in page, a page read with
a session (a password-protected page passed) or one that starts a session carries
``Cache-Control: private, no-store``, so that no browser history or cache on the way keeps it.
Anonymous pages keep their own caching, and production never says what the page cache holds."""

import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.cache import HEADER
from tests.cms.conftest import add_article
from tests.conftest import PASSWORD, make_user, subprocess_env

pytestmark = pytest.mark.django_db


def private_no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def article(article_index, page_cache):
    return add_article(article_index, "Hak untuk didengar", slug="hak-untuk-didengar")


def test_signed_in_pages_are_private_and_not_stored(client, article, staff_with_mfa):
    client.force_login(make_user("sari-anggota"))
    for path in ["/", article.url, "/en/", "/artikel/", "/konsultasi/", "/akun/email/", "/bantuan/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert private_no_store(response), (path, response.get("Cache-Control"))
    client.force_login(staff_with_mfa)
    response = client.get("/admin/")
    assert private_no_store(response), response.get("Cache-Control")


def test_anonymous_pages_keep_their_own_caching(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert second[HEADER] == "hit"
    for response in (first, second):
        assert "private" not in response.get("Cache-Control", "") and "no-store" not in response.get("Cache-Control", "")


def test_signing_in_and_a_session_make_responses_private(client, article):
    make_user("budi")
    response = client.post(reverse("account_login"), {"login": "budi", "password": PASSWORD})
    assert response.status_code == 302 and private_no_store(response)
    client.logout()

    # a visitor who passed a page's password reads it with a session: theirs alone
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="rahasia")
    form = client.get(article.url)
    assert 'name="password"' in form.text
    action = form.text.split('action="', 1)[1].split('"', 1)[0]
    passed = client.post(action, {"password": "rahasia", "return_url": article.url})
    assert passed.status_code == 302 and private_no_store(passed)
    page = client.get(article.url)
    assert page.status_code == 200 and "Hak untuk didengar" in page.text
    assert private_no_store(page) and HEADER not in page


def test_no_page_cache_header_without_the_setting(client, article, settings):
    settings.CMS_PAGE_CACHE_HEADER = False
    first = client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.url)
    assert len(queries) == 0  # from the cache
    assert HEADER not in first and HEADER not in second
    assert second.content == first.content


def test_production_sends_no_page_cache_header():
    script = "from forumanak.settings import production; print('HEADER', production.CMS_PAGE_CACHE_HEADER)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=subprocess_env(DJANGO_SETTINGS_MODULE="forumanak.settings.production", ALLOWED_HOSTS="forumanak.example.id",
                           SECRET_KEY="k8#Vq2!zR7mW4pL9xT1cN6bH3dJ5fG0sA-yU8eI2oP7rQ4wE1tZ9vB3nM6xC5lK"),
        capture_output=True, text=True, timeout=120,
    )
    assert "HEADER False" in result.stdout, result.stderr[-2000:]

"""The demo content made by seed_demo."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Locale, Page

from cms.models import ArticlePage, SiteImage, StandardPage, Topic

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_bilingual_content_and_editorial_accounts(client, home_page):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "penulis@forumanak.local" in text and "editor@forumanak.local" in text

    indonesian = ArticlePage.objects.live().filter(locale__language_code="id")
    english = ArticlePage.objects.live().filter(locale__language_code="en")
    assert indonesian.count() >= 6
    assert english.count() >= 2
    assert set(Topic.objects.filter(articles__in=indonesian).values_list("number", flat=True)) == {1, 2, 3, 4, 5}
    assert {a.age_group for a in indonesian} >= {"10-12", "13-17", "orang-tua"}
    indonesian_locale = Locale.objects.get(language_code="id")
    for article in english:
        assert article.get_translation(indonesian_locale).live
    assert StandardPage.objects.live().filter(slug="tentang-forum-anak").count() == 2
    assert StandardPage.objects.live().filter(slug="kebijakan-privasi").count() == 2
    assert all(image.alt_text and image.alt_text_en for image in SiteImage.objects.all())

    User = get_user_model()
    assert list(User.objects.get(username="penulis").groups.values_list("name", flat=True)) == ["Penulis"]
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == ["Editor"]

    for path in ["/", "/en/", "/artikel/", "/en/artikel/", "/tentang-forum-anak/", "/en/tentang-forum-anak/",
                 "/kebijakan-privasi/", "/en/kebijakan-privasi/", "/artikel/perundungan-kenali-tolak-laporkan/",
                 "/en/artikel/perundungan-kenali-tolak-laporkan/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    privacy = client.get("/kebijakan-privasi/").text
    assert "persetujuan" in privacy and "NIK" in privacy and "menarik persetujuan" in privacy.lower()
    home = client.get("/").text
    assert home.count('class="card"') == 3  # the featured articles

    # idempotent: a second run changes nothing
    pages, images = Page.objects.count(), SiteImage.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Page.objects.count(), SiteImage.objects.count()) == (pages, images)

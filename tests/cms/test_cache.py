"""The full-page cache: anonymous pages come from it, publishing and unpublishing empty it, and a
signed-in user never gets (or leaves behind) a cached page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import cache as page_cache_module
from cms.cache import HEADER
from tests.cms.conftest import add_article, publish
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_served_from_the_cache(client, article, page_cache):
    first = client.get(article.url)
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.url)
    assert second[HEADER] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert "Content-Security-Policy" in second
    # the language is part of the key
    assert client.get("/en" + article.url)[HEADER] == "miss"


@pytest.mark.parametrize("path", ["/", "/artikel/", "/artikel/topik/hak-sipil-dan-kebebasan/", "/tentang/", "/feed/",
                                  "/sitemap.xml", "/robots.txt"])
def test_every_public_cms_page_is_cacheable(client, article, standard_page, page_cache, path):
    assert client.get(path)[HEADER] == "miss"
    assert client.get(path)[HEADER] == "hit"


def test_publishing_and_unpublishing_empty_the_cache(client, article_index, article, page_cache):
    client.get("/artikel/")
    assert client.get("/artikel/")[HEADER] == "hit"

    newer = add_article(article_index, "Kabar terbaru", slug="kabar-terbaru")
    listing = client.get("/artikel/")
    assert listing[HEADER] == "miss" and "Kabar terbaru" in listing.text

    client.get(newer.url)
    newer.unpublish()
    assert client.get(newer.url).status_code == 404
    assert "Kabar terbaru" not in client.get("/artikel/").text

    # a new revision of a live page
    article.title = "Judul yang diperbaiki"
    publish(article)
    assert "Judul yang diperbaiki" in client.get(article.url).text


def test_a_signed_in_user_never_sees_a_cached_page(client, article, page_cache):
    anonymous = client.get(article.url)
    assert anonymous[HEADER] == "miss" and "Masuk" in anonymous.text

    sari = make_user("sari-pembaca", first_name="Sari")
    client.force_login(sari)
    signed_in = client.get(article.url)
    assert HEADER not in signed_in  # neither read from nor written to the cache
    assert "Keluar" in signed_in.text and "Masuk</a>" not in signed_in.text

    # what a signed-in user saw is never given to anyone else
    budi = make_user("budi-pembaca", first_name="Budi")
    client.force_login(budi)
    assert HEADER not in client.get(article.url)
    client.logout()
    again = client.get(article.url)
    assert again[HEADER] == "hit" and "Keluar" not in again.text


def test_a_pending_message_bypasses_the_cache(client, article, page_cache):
    client.get(article.url)
    client.cookies["messages"] = "something"
    assert HEADER not in client.get(article.url)


def test_changing_the_help_settings_empties_the_cache(client, home_page, page_cache):
    from cms.models import HelpSettings

    client.get("/")
    settings_row = HelpSettings.objects.get(site__is_default_site=True)
    settings_row.hotline_number = "0542 123 456"
    settings_row.save()
    response = client.get("/")
    assert response[HEADER] == "miss"
    assert 'href="tel:0542123456"' in response.text


def test_without_redis_the_generation_is_shared_through_a_file(page_cache, settings):
    """Scheduled publishing runs in the task cluster, another process: it must empty the web
    server's cache too. Without Redis the generation lives in a file both processes read."""
    before = page_cache_module.generation()
    page_cache_module.invalidate()
    after = page_cache_module.generation()
    assert after != before
    assert settings.CMS_PAGE_CACHE_TOKEN_FILE.read_text() == after


def test_the_cache_can_be_switched_off(client, article, page_cache, settings):
    settings.CMS_PAGE_CACHE_SECONDS = 0
    client.get(article.url)
    assert HEADER not in client.get(article.url)


def test_editing_an_image_or_a_topic_empties_the_cache(client, article_index, page_cache):
    from cms.models import Topic
    from tests.cms.conftest import make_image

    picture = make_image("Sampul", alt="Teks lama")
    article = add_article(article_index, "Bergambar", listing_image=picture)
    assert 'alt="Teks lama"' in client.get(article.url).text
    picture.alt_text = "Teks baru"
    picture.save()
    assert 'alt="Teks baru"' in client.get(article.url).text

    client.get("/artikel/")
    topic = Topic.objects.get(number=1)
    topic.name = "Hak sipil"
    topic.save()
    listing = client.get("/artikel/")
    assert listing[HEADER] == "miss" and "Hak sipil</a>" in listing.text


def test_a_routed_page_is_found_again_by_its_id_until_the_tree_changes(client, article_index, page_cache):
    """The route cache: a second visit finds the page without a query (no walk down the tree, no
    read of the page); a renamed, moved or unpublished page is never served at its old address
    (renamed and moved ones get Wagtail's automatic redirect)."""
    from wagtail.models import Page

    from cms.models import ArticlePage

    client.force_login(make_user("pembaca-rute"))  # signed in: no full-page cache
    article = add_article(article_index, "Rute yang diingat", slug="rute-diingat")
    assert client.get("/artikel/rute-diingat/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/artikel/rute-diingat/")
    assert again.status_code == 200 and "Rute yang diingat" in again.text
    # (the one view-restrictions query reads the page tree too: it finds the translations'
    # restrictions, cms/privacy.py; it is not a read of the page)
    page_queries = [q["sql"] for q in queries if not q["sql"].startswith('SELECT "wagtailcore_pageviewrestriction"')
                    and ('FROM "wagtailcore_page"' in q["sql"] or "_articlepage" in q["sql"]
                         or "_homepage" in q["sql"] or "_articleindexpage" in q["sql"])]
    assert page_queries == [], page_queries

    article.slug = "rute-baru"
    publish(article)
    old = client.get("/artikel/rute-diingat/")  # Wagtail's automatic redirect, not the remembered page
    assert old.status_code == 301 and old["Location"] == "/artikel/rute-baru/"
    assert client.get("/artikel/rute-baru/").status_code == 200

    other_index = Page.objects.get(pk=article_index.pk).get_parent().specific.add_child(
        instance=type(article_index)(title="Arsip", slug="arsip"))
    ArticlePage.objects.get(pk=article.pk).move(other_index, pos="last-child")
    old = client.get("/artikel/rute-baru/")
    assert old.status_code == 301 and old["Location"] == "/arsip/rute-baru/"
    assert client.get("/arsip/rute-baru/").status_code == 200

    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get("/arsip/rute-baru/").status_code == 404


def test_a_page_from_the_route_cache_still_has_its_view_restrictions_checked(client, article_index, page_cache):
    """The route cache keeps the page, not the decision to show it: a password added after the
    route was stored (no publish, so no new generation) applies at once."""
    from wagtail.models import PageViewRestriction

    client.force_login(make_user("pembaca-terbatas"))
    article = add_article(article_index, "Catatan rapat pengurus", slug="catatan-rapat")
    client.get(article.url)
    assert "Catatan rapat pengurus" in client.get(article.url).text  # now from the route cache
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="rahasia")
    restricted = client.get(article.url)
    assert "Catatan rapat pengurus" not in restricted.text and 'name="password"' in restricted.text


def test_the_site_of_a_host_is_cached_until_a_site_changes(client, article, page_cache):
    from wagtail.models import Site

    client.force_login(make_user("pembaca-situs"))
    client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200
    assert not any("wagtailcore_site" in q["sql"] for q in queries)

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Forum Anak (diubah)"
    site.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200
    assert any("wagtailcore_site" in q["sql"] for q in queries)

"""Reading an article: a fixed, small number of queries, and nothing written to the database."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from tests.cms.conftest import add_article, make_image

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def render_queries(client, path):
    """Queries of one logged-out request that the full-page cache does not answer. Wagtail's own
    site-wide caches (site root paths, help settings) are warm, as on a running server."""
    client.get("/")  # warms Wagtail's site caches, as any earlier visitor would
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return queries


@pytest.fixture
def no_page_cache(settings):
    settings.CMS_PAGE_CACHE_SECONDS = 0
    cache.clear()


def test_article_queries_do_not_grow_with_length_or_images(client, article_index, no_page_cache):
    pictures = [make_image(f"gambar {i}", size=(400, 300)) for i in range(8)]
    no_picture = add_article(article_index, "Tanpa gambar", paragraphs=1)
    short = add_article(article_index, "Pendek", paragraphs=1, images=pictures[:1], tags=["satu"])
    long = add_article(article_index, "Panjang", paragraphs=40, images=pictures, listing_image=pictures[0],
                       tags=["satu", "dua", "tiga"])

    counts = {page.slug: len(render_queries(client, page.url)) for page in (no_picture, short, long)}
    assert counts["panjang"] <= MAX_QUERIES, counts
    assert counts["pendek"] == counts["panjang"], counts
    assert counts["tanpa-gambar"] <= counts["pendek"], counts

    # and the long one really shows its eight pictures, each a responsive, lazy <picture>
    html = client.get(long.url).text
    assert html.count('<figure class="figure"><picture>') == 8 or html.count("<figure") == 8
    assert html.count('loading="lazy"') >= 8


def test_reading_pages_anonymously_writes_nothing(client, article_index, standard_page, no_page_cache):
    pictures = [make_image(f"foto {i}", size=(400, 300)) for i in range(2)]
    article = add_article(article_index, "Baca saja", images=pictures, listing_image=pictures[0])
    sessions = Session.objects.count()
    for path in ["/", "/artikel/", article.url, "/tentang/", "/artikel/topik/hak-sipil-dan-kebebasan/",
                 "/cari/?q=hak", "/feed/", "/en/", "/sitemap.xml"]:
        cache.clear()  # even with every cache cold
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT",
                                                                                          "RELEASE SAVEPOINT"))]
        assert writes == [], (path, writes)
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies, path
    assert Session.objects.count() == sessions


def test_help_settings_are_read_without_creating_them(client, home_page, no_page_cache):
    from cms.models import HelpSettings

    HelpSettings.objects.all().delete()
    site = Site.objects.get(is_default_site=True)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").text
    assert 'href="tel:129"' in html
    assert not HelpSettings.objects.filter(site=site).exists()
    assert not any(q["sql"].startswith("INSERT") for q in queries)


def test_signed_in_readers_get_the_article_content_from_the_fragment_cache_until_it_changes(
        client, article_index, page_cache):
    """Signed-in readers never get the full-page cache, but the article itself (the same for
    everyone) is cached per live revision: a repeat visit costs few queries, and a new revision
    shows at once."""
    from tests.cms.conftest import publish
    from tests.conftest import make_user

    pictures = [make_image(f"bagian {i}", size=(400, 300)) for i in range(3)]
    article = add_article(article_index, "Hak bermain", images=pictures, listing_image=pictures[0], tags=["main"],
                          paragraphs=5)
    client.force_login(make_user("pembaca"))
    html = client.get(article.url).text
    assert "Hak bermain" in html and "Keluar" in html

    render_queries(client, article.url)
    cached = render_queries(client, article.url)
    # session, user, member, view restrictions; no page (the route cache keeps it), no site
    # (cached), no walk down the tree, no image, topic or tag
    assert len(cached) <= 4, [q["sql"][:80] for q in cached]
    assert not any("wagtailcore_site" in q["sql"] for q in cached)

    article.title = "Hak bermain dan beristirahat"
    publish(article)
    html = client.get(article.url).text
    assert "Hak bermain dan beristirahat" in html and html.count("<picture>") == 4

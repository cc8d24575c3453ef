"""Search, the RSS feed, sitemap.xml, robots.txt, page metadata and the language switcher."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection

from tests.cms.conftest import add_article, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(article_index, standard_page):
    home = article_index.get_parent().specific
    bullying = add_article(article_index, "Perundungan di sekolah", slug="perundungan")
    add_article(article_index, "Air bersih untuk semua", slug="air-bersih")
    en_home = translate(home, title="Children's Forum")
    translate(article_index, title="Articles")
    en_bullying = translate(bullying, title="Bullying at school", intro="Bullying is not a joke.")
    return {"home": home, "en_home": en_home, "bullying": bullying, "en_bullying": en_bullying}


def test_search_finds_live_pages_in_the_current_language(client, bilingual, article_index):
    add_article(article_index, "Perundungan rahasia", slug="perundungan-draf", live=False)
    html = client.get("/cari/", {"q": "perundungan"}).text
    assert "Perundungan di sekolah" in html
    assert "Perundungan rahasia" not in html  # drafts are not found
    assert "Bullying at school" not in html
    english = client.get("/en/cari/", {"q": "bullying"}).text
    assert "Bullying at school" in english and "Perundungan di sekolah" not in english
    assert "Tidak ada hasil" in client.get("/cari/", {"q": "zzzxxy"}).text
    empty = client.get("/cari/")
    assert empty.status_code == 200 and "search-results" not in empty.text
    assert '<meta name="robots" content="noindex">' in empty.text


@pytest.mark.postgres
def test_search_uses_postgresql_full_text_search_on_postgresql():
    from wagtail.search.backends import get_search_backend

    assert connection.vendor == "postgresql"
    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"


def test_rss_feed_lists_articles_per_language(client, bilingual):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert set(titles) == {"Perundungan di sekolah", "Air bersih untuk semua"}
    assert channel.findtext("language") == "id"
    links = [item.findtext("link") for item in channel.findall("item")]
    assert f"{settings.SITE_URL}/artikel/perundungan/" in links
    english = ET.fromstring(client.get("/en/feed/").content).find("channel")
    assert [i.findtext("title") for i in english.findall("item")] == ["Bullying at school"]
    assert english.findtext("language") == "en"


def test_sitemap_lists_every_live_page_with_its_translations(client, bilingual, article_index):
    add_article(article_index, "Belum terbit", slug="belum-terbit", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    site = settings.SITE_URL
    for path in ["/", "/artikel/", "/artikel/perundungan/", "/tentang/", "/en/", "/en/artikel/perundungan/"]:
        assert site + path in locations, path
    assert site + "/artikel/belum-terbit/" not in locations
    assert f'hreflang="en" href="{site}/en/artikel/perundungan/"' in xml


def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.text


@pytest.mark.parametrize(
    "path,title",
    [("/", "Forum Anak Kota Balikpapan"), ("/artikel/", "Artikel"), ("/artikel/perundungan/", "Perundungan di sekolah"),
     ("/tentang/", "Tentang Forum Anak"), ("/cari/", "Cari"), ("/akun/login/", None),
     ("/en/artikel/perundungan/", "Bullying at school")],
)
def test_every_page_has_description_and_open_graph_metadata(client, bilingual, path, title):
    html = client.get(path).text
    head = html[: html.index("</head>")]
    meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head))
    for key in ("description", "og:title", "og:description", "og:type", "og:url", "og:image", "og:site_name",
                "og:locale"):
        assert meta.get(key), (path, key)
    if title:
        assert meta["og:title"] == title.replace("'", "&#x27;")
    assert meta["og:url"] == settings.SITE_URL + path
    assert meta["og:image"].startswith(settings.SITE_URL + "/")
    assert '<link rel="canonical"' in head
    assert 'type="application/rss+xml"' in head


def test_an_article_describes_itself(client, bilingual):
    html = client.get("/en/artikel/perundungan/").text
    assert '<meta name="description" content="Bullying is not a joke.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="en_GB">' in html


def test_the_language_switcher_goes_to_the_translated_page(client, bilingual):
    assert client.get("/bahasa/en/", {"next": "/artikel/perundungan/"}).url == "/en/artikel/perundungan/"
    assert client.get("/bahasa/id/", {"next": "/en/artikel/perundungan/"}).url == "/artikel/perundungan/"
    assert client.get("/bahasa/en/", {"next": "/"}).url == "/en/"
    # no English version of this article: the nearest translated page, the English article list
    assert client.get("/bahasa/en/", {"next": "/artikel/air-bersih/"}).url == "/en/artikel/"
    # and a page whose ancestors are not translated either: the English home
    assert client.get("/bahasa/en/", {"next": "/tentang/"}).url == "/en/"

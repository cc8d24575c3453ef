"""Reading the child-rights content in Chromium: phones and desktops, no JavaScript needed for the
help panel, no serious accessibility problems, nothing loaded from another origin."""

import pytest
from django.utils import translation
from wagtail.models import Collection
from wagtail.rich_text import RichText

from cms.kla import ensure_topics
from cms.models import ArticleIndexPage, StandardPage, Topic
from tests.browser.conftest import NARROW, WIDE
from tests.cms.conftest import add_article, body, make_image, publish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _indonesian_before_and_after():
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture
def content(home_page, settings, tmp_path):
    settings.ROOT_URLCONF = "tests.browser.media_urls"  # serve the uploaded images
    settings.CMS_PAGE_CACHE_TOKEN_FILE = tmp_path / "pages.token"
    ensure_topics(Topic)  # a transactional test's flush removes what migrations made
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    index = publish(home_page.add_child(instance=ArticleIndexPage(title="Artikel", slug="artikel",
                                                                   intro="Bacaan tentang hak anak.")))
    hero = make_image("Sampul", size=(1200, 800), colour=(120, 180, 100), alt="Lapangan hijau tempat anak bermain")
    inside = make_image("Isi", size=(900, 600), colour=(64, 96, 176), alt="Kotak biru")
    thumb = make_image("Video", size=(640, 360), colour=(11, 93, 87), alt="Sampul video")
    article = add_article(index, "Bermain itu hak", slug="bermain-itu-hak", images=[inside], listing_image=hero,
                          paragraphs=6, topics=[Topic.objects.get(number=4)], tags=["bermain"])
    article.body = [
        *body(6, [inside]),
        ("video", {"url": "https://www.youtube.com/watch?v=abc123", "title": "Hak bermain", "duration": "2 menit",
                   "thumbnail": thumb}),
        ("did_you_know", {"title": "", "text": RichText("<p>Bermain membuat otak segar.</p>")}),
    ]
    publish(article)
    for i in range(3):
        add_article(index, f"Artikel lain {i}", listing_image=hero if i == 0 else None)
    publish(home_page.add_child(instance=StandardPage(title="Tentang Forum Anak", slug="tentang", body=body(2))))
    return {"article": article}


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_reading_an_article(visit, content, viewport):
    tab = visit(viewport)
    tab.goto("/artikel/bermain-itu-hak/")
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text() == "Bermain itu hak"
    # the main picture is loaded, from a responsive srcset, at a size that suits the screen
    hero = page.locator(".article-image img")
    hero.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=hero.element_handle())
    loaded = hero.evaluate("img => img.currentSrc")
    assert ".webp" in loaded
    assert hero.evaluate("img => img.getBoundingClientRect().width") <= viewport["width"]
    # body pictures wait until they are needed
    assert page.locator(".prose img").first.get_attribute("loading") == "lazy"
    # nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the video is a link out, not an embedded player
    assert page.locator("iframe").count() == 0
    video = page.get_by_role("link", name="Tonton video: Hak bermain")
    assert video.get_attribute("href") == "https://www.youtube.com/watch?v=abc123"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert tab.serious_axe_violations() == []
    assert tab.foreign_requests() == []


def test_the_help_panel_opens_without_javascript(visit, content):
    tab = visit(NARROW, java_script_enabled=False)
    tab.goto("/artikel/bermain-itu-hak/")
    page = tab.page
    page.get_by_role("link", name="Butuh bantuan?").click()
    assert page.url.endswith("#bantuan")
    panel = page.locator("#bantuan")
    assert panel.is_visible()
    assert panel.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    calls = panel.locator("a[href^='tel:']")
    assert calls.count() >= 2
    assert calls.first.get_attribute("href") == "tel:129"
    assert all(calls.nth(i).is_visible() for i in range(calls.count()))
    assert tab.foreign_requests() == []


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_no_serious_accessibility_problems_and_no_foreign_requests(visit, content, viewport):
    tab = visit(viewport)
    for path in ["/", "/artikel/", "/artikel/topik/pendidikan-waktu-luang-dan-budaya/", "/artikel/bermain-itu-hak/",
                 "/tentang/", "/cari/", "/cari/?q=bermain"]:
        tab.goto(path)
        tab.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        tab.page.wait_for_load_state("networkidle")
        assert tab.serious_axe_violations() == [], path
    assert tab.foreign_requests() == []


def test_searching_and_filtering_without_javascript(visit, content):
    tab = visit(NARROW, java_script_enabled=False)
    tab.goto("/cari/")
    page = tab.page
    page.get_by_label("Kata yang dicari").fill("bermain")
    page.get_by_role("button", name="Cari").click()
    assert page.get_by_role("link", name="Bermain itu hak").is_visible()
    tab.goto("/artikel/")
    page.get_by_label("Topik", exact=True).select_option("pendidikan-waktu-luang-dan-budaya")
    page.get_by_role("button", name="Tampilkan").click()
    assert "topik=pendidikan-waktu-luang-dan-budaya" in page.url
    assert page.locator(".card").count() == 1
    assert tab.foreign_requests() == []

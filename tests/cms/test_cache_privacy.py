"""The page caches and privacy (issue 25, section 3).

Every privacy-changing action, done as an editor does it (the Wagtail admin, signed in with
password and TOTP), is tried against pages an anonymous visitor has just had from the full-page
cache: afterwards no cached copy of a private page is ever served again, under any URL it was
cached at, nor in the listings, the feed, the sitemap or search. A translation is exactly as private
as its source (and the source as its translation): the strictest restrictions of a page and of its
translations apply to all of them."""

import random
import string
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, PageViewRestriction

from cms.cache import HEADER
from cms.models import ArticleIndexPage, ArticlePage
from tests.cms.conftest import add_article, publish, translate
from tests.conftest import PASSWORD, enable_totp, make_user

pytestmark = pytest.mark.django_db

SECRET = "Catatan rapat pengurus"
SECRET_EN = "Board meeting notes"
SLUG = "catatan-rapat"
TOPIC = "hak-sipil-dan-kebebasan"


# ---- who does what ---------------------------------------------------------------------------


def signed_in_staff(username, *, group=None, superuser=False):
    """A client signed in the one way there is: password, then the TOTP code (so the session has
    passed the second factor), as an editor signs in to the admin."""
    user = make_user(username, is_staff=True, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    code = enable_totp(user)
    client = Client()
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return client


def set_privacy(staff, page, **data):
    """The admin's privacy modal ("Privacy" in the page's status panel)."""
    response = staff.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), data)
    assert response.status_code == 200 and '"step": "set_privacy_done"' in response.text, response.text[:500]


# ---- the site ----------------------------------------------------------------------------------


@pytest.fixture
def site(article_index, page_cache):
    """A bilingual site: a board meeting note (to be made private) and a public article, both in
    Indonesian and English."""
    home = article_index.get_parent().specific
    secret = add_article(article_index, SECRET, slug=SLUG)
    add_article(article_index, "Hak untuk bermain", slug="hak-bermain", tags=["pendapat"])
    en_home = translate(home, title="Children's Forum")
    en_index = translate(article_index, title="Articles")
    en_secret = translate(secret, title=SECRET_EN, intro="What the board discussed.")
    return {"home": home, "index": article_index, "secret": secret, "en_home": en_home, "en_index": en_index,
            "en_secret": en_secret}


# What shows the secret article (or its translation) to an anonymous visitor, and how to tell.
ID_VIEWS = {
    f"/artikel/{SLUG}/": SECRET,
    f"/artikel/{SLUG}/?dari=beranda": SECRET,  # a query string the page does not use
    "/artikel/": SECRET,
    f"/artikel/?topik={TOPIC}": SECRET,
    f"/artikel/topik/{TOPIC}/": SECRET,
    "/": SECRET,
    "/feed/": SECRET,
    "/sitemap.xml": f"{settings.SITE_URL}/artikel/{SLUG}/",
    "/cari/?q=rapat": SECRET,
}
EN_VIEWS = {
    f"/en/artikel/{SLUG}/": SECRET_EN,
    "/en/artikel/": SECRET_EN,
    "/en/": SECRET_EN,
    "/en/feed/": SECRET_EN,
    "/sitemap.xml": f"{settings.SITE_URL}/en/artikel/{SLUG}/",
    "/en/cari/?q=meeting": SECRET_EN,
}


def anonymous_sees(client, url, marker):
    response = client.get(url)
    return response.status_code == 200 and marker in response.content.decode()


def warm(client, views):
    """An anonymous visitor reads every view (so each cacheable one is cached) and sees the article."""
    for url, marker in views.items():
        assert anonymous_sees(client, url, marker), url
    article_url = next(iter(views))
    assert client.get(article_url)[HEADER] == "hit"  # served from the full-page cache


def assert_never_shown(client, views):
    shown = [url for url, marker in views.items() if anonymous_sees(client, url, marker)]
    assert shown == [], shown


# ---- every privacy-changing action --------------------------------------------------------------


def login_only(s):
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["secret"], restriction_type="login")


def password(s):
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["secret"], restriction_type="password",
                password="rahasia-pengurus")


def groups(s):
    board = Group.objects.create(name="Pengurus Forum")
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["secret"], restriction_type="groups",
                groups=[board.pk])


def on_the_parent(s):
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["index"], restriction_type="login")


def on_the_translation(s):
    # the English page made private: its Indonesian source follows
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["en_secret"], restriction_type="login")


def on_the_translations_parent(s):
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), s["en_index"], restriction_type="password",
                password="rahasia-pengurus")


def move_under_a_private_parent(s):
    staff = signed_in_staff("admin-pindah", superuser=True)
    archive = s["home"].add_child(instance=ArticleIndexPage(title="Arsip pengurus", slug="arsip-pengurus"))
    publish(archive)
    set_privacy(staff, archive, restriction_type="login")
    response = staff.post(reverse("wagtailadmin_pages:move_confirm", args=[s["secret"].pk, archive.pk]))
    assert response.status_code == 302
    assert Page.objects.get(pk=s["secret"].pk).get_parent().pk == archive.pk


def unpublish(s):
    staff = signed_in_staff("editor-privasi", group="Editor")
    response = staff.post(reverse("wagtailadmin_pages:unpublish", args=[s["secret"].pk]))
    assert response.status_code == 302 and not Page.objects.get(pk=s["secret"].pk).live


def delete(s):
    staff = signed_in_staff("admin-hapus", superuser=True)
    response = staff.post(reverse("wagtailadmin_pages:delete", args=[s["secret"].pk]))
    assert response.status_code == 302 and not Page.objects.filter(pk=s["secret"].pk).exists()


# (action, whether the English translation must be hidden too)
ACTIONS = [
    (login_only, True),
    (password, True),
    (groups, True),
    (on_the_parent, True),
    (on_the_translation, True),
    (on_the_translations_parent, True),
    (move_under_a_private_parent, True),
    (unpublish, False),  # the translation is a page of its own: unpublishing one leaves the other live
    (delete, False),
]


@pytest.mark.parametrize("action,translation_follows", ACTIONS, ids=[a.__name__ for a, _ in ACTIONS])
def test_after_a_privacy_change_no_cached_copy_is_served(client, site, action, translation_follows):
    warm(client, ID_VIEWS)
    warm(client, EN_VIEWS)
    action(site)
    assert_never_shown(client, ID_VIEWS)
    if translation_follows:
        assert_never_shown(client, EN_VIEWS)
        # and a second look (now possibly from the cache) shows nothing either
        assert_never_shown(client, {**ID_VIEWS, **EN_VIEWS})


def test_removing_a_restriction_publishes_the_page_in_every_cached_listing(client, site):
    """Deleting a restriction (the admin's "Public" choice) ends the cached listings that left it out."""
    PageViewRestriction.objects.create(page=site["secret"], restriction_type=PageViewRestriction.LOGIN)
    for url in ID_VIEWS:
        client.get(url)
    assert not anonymous_sees(client, "/artikel/", SECRET) and client.get("/artikel/")[HEADER] == "hit"
    set_privacy(signed_in_staff("editor-privasi", group="Editor"), site["secret"], restriction_type="none")
    assert not PageViewRestriction.objects.exists()
    assert [url for url, marker in {**ID_VIEWS, **EN_VIEWS}.items() if not anonymous_sees(client, url, marker)] == []


def test_changing_a_restriction_applies_at_once_to_signed_in_readers(client, site):
    """Signed-in readers never get the full-page cache, but the route, page-data and fragment caches
    serve them: a changed restriction (login → password, one group → another) applies at once."""
    reader = make_user("anggota-pengurus")
    board, others = Group.objects.create(name="Pengurus"), Group.objects.create(name="Lainnya")
    reader.groups.add(board)
    staff = signed_in_staff("editor-privasi", group="Editor")
    set_privacy(staff, site["secret"], restriction_type="login")
    client.force_login(reader)
    for _ in range(2):
        assert anonymous_sees(client, f"/artikel/{SLUG}/", SECRET)
        assert anonymous_sees(client, f"/en/artikel/{SLUG}/", SECRET_EN)

    set_privacy(staff, site["secret"], restriction_type="groups", groups=[board.pk])
    assert anonymous_sees(client, f"/artikel/{SLUG}/", SECRET)
    set_privacy(staff, site["secret"], restriction_type="groups", groups=[others.pk])
    assert not anonymous_sees(client, f"/artikel/{SLUG}/", SECRET)
    assert not anonymous_sees(client, f"/en/artikel/{SLUG}/", SECRET_EN)

    set_privacy(staff, site["secret"], restriction_type="password", password="rahasia-pengurus")
    for url in (f"/artikel/{SLUG}/", f"/en/artikel/{SLUG}/"):
        response = client.get(url)
        assert response.status_code == 200 and 'name="password"' in response.text
        assert SECRET not in response.text and SECRET_EN not in response.text


def test_a_restricted_collection_hides_its_documents_from_cached_pages(client, article_index, page_cache):
    """A document link on an article: once its collection is made private (the collection's privacy
    modal), the cached article no longer shows the document's title nor links to it, and the
    document is not served to an anonymous visitor."""
    from wagtail.rich_text import RichText

    root = Collection.get_first_root_node()
    board = root.add_child(name="Dokumen pengurus")
    document = get_document_model().objects.create(
        title="Daftar hadir rapat pengurus", collection=board, file=ContentFile(b"Sari, Budi, Ani", name="hadir.txt"))
    link = f'<p>Silakan baca <a linktype="document" id="{document.pk}">lampirannya</a>.</p>'
    article = ArticlePage(title="Hasil rapat", slug="hasil-rapat", intro="Ringkasan rapat.", author="Tim",
                          body=[("paragraph", RichText(link)), ("document", {"document": document, "label": ""})])
    article_index.add_child(instance=article)
    publish(article)
    assert anonymous_sees(client, "/artikel/hasil-rapat/", "Daftar hadir rapat pengurus")
    assert client.get("/artikel/hasil-rapat/").text.count(f'href="{document.url}"') == 2  # the block, the link
    assert client.get("/artikel/hasil-rapat/")[HEADER] == "hit"
    assert client.get(document.url).status_code == 200

    staff = signed_in_staff("admin-koleksi", superuser=True)
    response = staff.post(reverse("wagtailadmin_collections:set_privacy", args=[board.pk]),
                          {"restriction_type": "login"})
    assert response.status_code == 200 and board.get_view_restrictions().exists()

    page = client.get("/artikel/hasil-rapat/")
    assert page.status_code == 200 and "Silakan baca <a>lampirannya</a>." in page.text
    assert "Daftar hadir rapat pengurus" not in page.text and document.url not in page.text
    served = client.get(document.url)
    assert served.status_code != 200 or b"Sari" not in b"".join(served)


# ---- a translation is as private as its source --------------------------------------------------


@pytest.fixture
def private_source(site):
    """The Indonesian note is login-only; its English translation has no restriction of its own."""
    PageViewRestriction.objects.create(page=site["secret"], restriction_type=PageViewRestriction.LOGIN)
    return site


def test_the_translation_of_a_private_page_is_private(client, private_source):
    response = client.get(f"/en/artikel/{SLUG}/")
    assert response.status_code == 302 and SECRET_EN not in response.content.decode()
    assert_never_shown(client, EN_VIEWS)
    # a signed-in reader passes the login restriction, in both languages
    client.force_login(make_user("pembaca"))
    assert anonymous_sees(client, f"/en/artikel/{SLUG}/", SECRET_EN)
    assert anonymous_sees(client, f"/artikel/{SLUG}/", SECRET)


def test_the_language_switcher_never_leads_to_a_private_translation(client, private_source):
    # the nearest page above it that the visitor may see instead
    assert client.get("/bahasa/en/", {"next": f"/artikel/{SLUG}/"}).url == "/en/artikel/"
    assert client.get("/bahasa/id/", {"next": f"/en/artikel/{SLUG}/"}).url == "/artikel/"
    client.force_login(make_user("pembaca"))
    assert client.get("/bahasa/en/", {"next": f"/artikel/{SLUG}/"}).url == f"/en/artikel/{SLUG}/"


def test_the_sitemap_lists_no_private_translation(client, private_source):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    listed += [link.get("href") for link in root.findall("s:url/x:link", ns)]
    assert f"{settings.SITE_URL}/en/artikel/" in listed  # the public pages are there
    assert [url for url in listed if SLUG in url] == []


def test_every_alternate_link_and_switcher_target_opens_for_the_visitor(client, private_source):
    """Crawl what an anonymous visitor can open: every hreflang alternate, in the pages and in the
    sitemap, and every language-switcher target, opens for that visitor too."""
    import re

    seen, queue, checked = set(), ["/", "/en/", "/artikel/", "/en/artikel/", f"/en/artikel/{SLUG}/"], 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        for href in re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', html):
            target = href.removeprefix(settings.SITE_URL)
            assert client.get(target).status_code == 200, (path, target)
            checked += 1
            queue.append(target)
        for language in ("id", "en"):
            target = client.get("/bahasa/" + language + "/", {"next": path}).url
            assert client.get(target).status_code == 200, (path, language, target)
        queue += [a for a in re.findall(r'href="(/[^"?#]*)"', html) if a.startswith(("/artikel/", "/en/artikel/"))]
    assert checked >= 4


def test_search_feed_and_listings_leave_out_a_page_whose_translation_is_private(client, site):
    """The other way round: the English page is private, so the Indonesian one is too."""
    PageViewRestriction.objects.create(page=site["en_secret"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="rahasia")
    assert_never_shown(client, ID_VIEWS)
    response = client.get(f"/artikel/{SLUG}/")
    assert response.status_code == 200 and 'name="password"' in response.text and SECRET not in response.text


# ---- the cache key admits only the query parameters a page uses -----------------------------------


def cache_entries():
    return sum(len(c._cache) for c in caches.all() if isinstance(c, LocMemCache))


def _random(n=8):
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=n))


def test_random_query_strings_add_no_cache_entries(client, site):
    bases = [f"/artikel/{SLUG}/", "/artikel/", f"/artikel/topik/{TOPIC}/", "/", "/en/", "/feed/", "/sitemap.xml",
             "/konsultasi/"]
    for base in bases:
        client.get(base)
        client.get(f"{base}?{_random()}=1")
    before = cache_entries()
    makers = [
        lambda: f"{_random()}={_random()}",
        lambda: f"halaman={random.randint(2, 10**6)}",
        lambda: f"halaman={_random()}",
        lambda: f"topik={_random()}",
        lambda: f"usia={_random()}",
        lambda: f"tag={_random()}",
        lambda: f"topik={TOPIC}&utm_source={_random()}",
        lambda: f"usia=13-17&usia={_random()}",
        lambda: f"p={random.randint(2, 10**6)}",
        lambda: f"q={_random()}",
    ]
    for _ in range(100):
        response = client.get(f"{random.choice(bases)}?{random.choice(makers)()}")
        assert response.status_code < 500
    assert cache_entries() == before


def test_the_query_parameters_a_listing_uses_are_cached(client, site, monkeypatch):
    monkeypatch.setattr(ArticleIndexPage, "per_page", 1)
    for url in ["/artikel/?halaman=2", f"/artikel/?topik={TOPIC}", "/artikel/?usia=13-17",
                f"/artikel/?topik={TOPIC}&usia=13-17", "/artikel/?tag=pendapat"]:
        client.get(url)
        assert client.get(url)[HEADER] == "hit", url
    # the same parameters in another order are the same page
    assert client.get(f"/artikel/?usia=13-17&topik={TOPIC}")[HEADER] == "hit"
    # a page number past the end shows the last page: it is not kept under the number asked for
    client.get("/artikel/?halaman=999")
    assert client.get("/artikel/?halaman=999").get(HEADER) != "hit"

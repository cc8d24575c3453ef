"""Fixtures for the CMS tests: a small content tree in two languages, made as editors make it
(pages saved as revisions and published, translations copied with Wagtail's own tools)."""

import io

import pytest
from django.core.files.images import ImageFile
from django.test import TestCase
from django.utils import translation
from PIL import Image as PILImage
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms.models import ArticleIndexPage, ArticlePage, SiteImage, StandardPage, Topic


def make_image(title="Gambar uji", *, size=(480, 320), colour=(11, 93, 87), alt="Kotak hijau polos", fmt="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, fmt)
    name = f"{title.lower().replace(' ', '-')}.{fmt.lower()}"
    return SiteImage.objects.create(title=title, alt_text=alt, file=ImageFile(buffer, name=name))


def publish(page, user=None):
    """Publish as the admin does; the tasks queued on commit (renditions) run, as after a real
    commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        revision = page.save_revision(user=user)
        revision.publish(user=user)
    page.refresh_from_db()
    return page


def body(paragraphs=1, images=(), heading="Apa itu hak anak?"):
    blocks = [("heading", {"text": heading, "level": "h2"})]
    for i in range(paragraphs):
        blocks.append(("paragraph", RichText(f"<p>Paragraf nomor {i + 1}. Setiap anak punya hak yang sama.</p>")))
    for image in images:
        blocks.append(("image", {"image": image, "alt_text": "", "caption": f"Keterangan {image.title}"}))
    return blocks


def add_article(index, title, *, slug=None, topics=(), images=(), paragraphs=2, listing_image=None, age_group="13-17",
                tags=(), live=True):
    article = ArticlePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        intro=f"Ringkasan {title}.",
        author="Tim Uji",
        age_group=age_group,
        listing_image=listing_image,
        body=body(paragraphs, images),
    )
    index.add_child(instance=article)
    article.topics.set(topics or [Topic.objects.get(number=1)])
    for tag in tags:
        article.tags.add(tag)
    if live:
        publish(article)
    else:
        article.live = False
        article.save_revision()
        article.save()
    return ArticlePage.objects.get(pk=article.pk)


def translate(page, language="en", **fields):
    """Copy ``page`` into ``language`` with Wagtail's translation action, change fields, publish."""
    locale = Locale.objects.get(language_code=language)
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


@pytest.fixture(autouse=True)
def _indonesian_before_and_after():
    """A request to /en/ leaves English active in the thread; start and end each test in Indonesian
    so that no test depends on, or leaks, the language of another."""
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _own_page_cache_generation(settings, tmp_path):
    """The page-cache generation file is shared by every process using var/ (other test runs
    too); these tests use their own, so nobody else's publishing changes what they measure."""
    settings.CMS_PAGE_CACHE_TOKEN_FILE = tmp_path / "pages.token"


@pytest.fixture
def en_locale(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def article_index(home_page):
    index = home_page.add_child(instance=ArticleIndexPage(title="Artikel", slug="artikel", intro="Bacaan tentang hak anak."))
    return publish(index)


@pytest.fixture
def article(article_index):
    return add_article(article_index, "Hak untuk didengar", slug="hak-untuk-didengar", tags=["pendapat"])


@pytest.fixture
def standard_page(home_page):
    page = home_page.add_child(
        instance=StandardPage(title="Tentang Forum Anak", slug="tentang", intro="Siapa kami.", body=body(1))
    )
    return publish(page)


@pytest.fixture
def page_cache(settings):
    """The full-page cache switched on (its generation file is per test, see above)."""
    settings.CMS_PAGE_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    return cache


def editorial_user(username, group_name):
    from django.contrib.auth.models import Group

    from tests.conftest import enable_totp, make_user

    user = make_user(username)
    user.groups.add(Group.objects.get(name=group_name))
    enable_totp(user)  # staff reach the admin only with two-factor login
    return user


@pytest.fixture
def penulis(db):
    return editorial_user("penulis-uji", "Penulis")


@pytest.fixture
def editor(db):
    return editorial_user("editor-uji", "Editor")


def article_form(title, *, slug=None, topics=None, go_live_at="", body_html="<p>Setiap anak berhak didengar.</p>"):
    """POST data of the admin's article form, as the browser sends it."""
    from django.utils.text import slugify
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    topics = topics or [Topic.objects.get(number=1)]
    data = nested_form_data(
        {
            "title": title,
            "slug": slug or slugify(title),
            "intro": "Ringkasan singkat.",
            "author": "Tim Uji",
            "date": "2026-01-05",
            "listing_image": "",
            "age_group": "13-17",
            "tags": "uji",
            "body": streamfield([("paragraph", rich_text(body_html))]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": go_live_at,
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    data["topics"] = [str(t.pk) for t in topics]
    return data

"""Demo content for ``manage.py seed_demo``: the editorial groups and workflow, the demo Penulis
and Editor, illustrations drawn locally, the home, about and privacy pages, eight articles (three
also in English, made with Wagtail's translation action) and the help settings.

Idempotent: anything that exists is left alone (an editor's changes are not overwritten).
"""

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from forumanak.core.demo import DEMO_PASSWORD, ensure_user

from . import demo_content as content
from . import demo_images, images
from .editorial import setup_editorial
from .kla import ensure_topics
from .models import (
    ArticleIndexPage,
    ArticlePage,
    HelpSettings,
    HomeFeaturedArticle,
    HomePage,
    SiteImage,
    StandardPage,
    Topic,
)


def seed(*, stdout):
    ensure_topics(Topic)
    penulis_group, editor_group = setup_editorial(django_apps)
    penulis = ensure_user(username="penulis", email="penulis@forumanak.local", first_name="Putri", last_name="Penulis")
    editor = ensure_user(username="editor", email="editor@forumanak.local", first_name="Eko", last_name="Editor")
    penulis.groups.add(penulis_group)
    editor.groups.add(editor_group)

    id_locale = Locale.objects.get_or_create(language_code="id")[0]
    en_locale = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.filter(locale=id_locale).order_by("path").first()
    if home is None:
        stdout.write("CMS demo: no home page (run migrate first); skipped.")
        return []

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        _help_settings(site)

    pictures = {name: _image(name) for name in demo_images.DRAWINGS}
    documents = {"kartu-nomor-bantuan": _help_card()}

    index = _child(home, ArticleIndexPage, "artikel", lambda: ArticleIndexPage(slug="artikel", **content.INDEX["id"]))
    articles = {}
    for data in content.ARTICLES:
        articles[data["slug"]] = _article(index, data, pictures, documents, owner=penulis, publisher=editor)
    for data in (content.ABOUT, content.PRIVACY):
        _standard(home, data, pictures, documents, publisher=editor)

    if not home.hero_image_id:
        for key, value in content.HOME["id"].items():
            setattr(home, key, value)
        home.hero_image = pictures["anak-bergandengan"]
        home.hero_link_page = index
        home.featured_articles.set(
            [HomeFeaturedArticle(article=articles[d["slug"]]) for d in content.ARTICLES if d.get("featured")]
        )
        _publish(home, editor)

    # English, through Wagtail's own translation action (what "Translate" in the admin does)
    en_home = _translate(home, en_locale, editor, content.HOME["en"])
    _translate(index, en_locale, editor, content.INDEX["en"])
    for data in content.ARTICLES:
        if "en" in data:
            _translate(
                articles[data["slug"]], en_locale, editor,
                {**data["en"], "body": _body(data["en"]["body"], pictures, documents, "en")},
            )
    for data in (content.ABOUT, content.PRIVACY):
        page = StandardPage.objects.child_of(home).get(slug=data["slug"])
        _translate(page, en_locale, editor, {**data["en"], "body": _body(data["en"]["body"], pictures, documents, "en")})
    if en_home is not None and not en_home.hero_link_page_id:
        en_home.hero_link_page = index.get_translation_or_none(en_locale)
        _publish(en_home, editor)

    stdout.write(
        f"CMS demo: {ArticlePage.objects.live().count()} live articles, "
        f"{StandardPage.objects.live().count()} standard pages, {SiteImage.objects.count()} images."
    )
    return [
        {
            "role": "penulis (writer)",
            "login": "penulis@forumanak.local",
            "password": DEMO_PASSWORD,
            "note": "drafts articles and submits them for review; cannot publish",
        },
        {
            "role": "editor",
            "login": "editor@forumanak.local",
            "password": DEMO_PASSWORD,
            "note": "approves, publishes and unpublishes; both set up TOTP on first visit to /admin/",
        },
    ]


def _publish(page, user):
    """Publish a revision and make its image renditions now (the task queued by the publish does
    the same once the seed commits, and finds nothing left to do)."""
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    images.prepare_renditions(page.specific)
    return page


def _help_settings(site):
    settings = HelpSettings.objects.filter(site=site).first() or HelpSettings(site=site)
    if not settings.whatsapp_number:
        settings.whatsapp_number = "0811 1129 129"  # SAPA 129's WhatsApp line
    if not settings.office_address:
        settings.office_address = "Kantor DP3AKB Kota Balikpapan\nBalikpapan, Kalimantan Timur"
    if not settings.office_hours:
        settings.office_hours = "Senin–Jumat, 08.00–16.00 WITA"
    settings.save()


def _image(name):
    existing = SiteImage.objects.filter(title=f"Demo: {name}").first()
    if existing is not None:
        return existing
    _draw, alt_id, alt_en = demo_images.DRAWINGS[name]
    image = SiteImage(title=f"Demo: {name}", alt_text=alt_id, alt_text_en=alt_en)
    image.file = ImageFile(demo_images.render_png(name), name=f"{name}.png")
    image.save()
    return image


def _help_card():
    Document = get_document_model()
    existing = Document.objects.filter(title="Kartu nomor bantuan").first()
    if existing is not None:
        return existing
    document = Document(title="Kartu nomor bantuan")
    document.file = ContentFile(content.HELP_CARD_TEXT.encode(), name="kartu-nomor-bantuan.txt")
    document.save()
    return document


def _body(blocks, pictures, documents, language="id"):
    out = []
    for block_type, value in blocks:
        if block_type == "paragraph":
            value = RichText(value)
        elif block_type == "did_you_know":
            value = {**value, "text": RichText(value["text"])}
        elif block_type == "image":
            alt = value["alt_text"] or ("" if language == "id" else demo_images.DRAWINGS[value["image"]][2])
            value = {**value, "image": pictures[value["image"]], "alt_text": alt}
        elif block_type == "video":
            value = {**value, "thumbnail": pictures.get(value["thumbnail"])}
        elif block_type == "document":
            value = {**value, "document": documents[value["document"]]}
        out.append((block_type, value))
    return out


def _child(parent, model, slug, factory, publisher=None):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = factory()
    parent.add_child(instance=page)
    return _publish(page, publisher)


def _article(index, data, pictures, documents, *, owner, publisher):
    existing = ArticlePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    text = data["id"]
    article = ArticlePage(
        slug=data["slug"],
        title=text["title"],
        intro=text["intro"],
        author="Tim DP3AKB Kota Balikpapan",
        age_group=data["age_group"],
        listing_image=pictures.get(data["image"]) if data["image"] else None,
        body=_body(text["body"], pictures, documents),
        owner=owner,
    )
    index.add_child(instance=article)
    article.topics.set([Topic.objects.get(number=data["topic"])])
    article.tags.add(*data["tags"])
    article.save()
    return _publish(article, publisher)


def _standard(home, data, pictures, documents, *, publisher):
    text = data["id"]
    return _child(
        home,
        StandardPage,
        data["slug"],
        lambda: StandardPage(
            slug=data["slug"],
            title=text["title"],
            intro=text["intro"],
            body=_body(text["body"], pictures, documents),
            last_reviewed=timezone.localdate() if data is content.PRIVACY else None,
        ),
        publisher,
    )


def _translate(page, locale, user, fields):
    """Copy ``page`` into ``locale`` with Wagtail's translation action, then write the translation
    and publish it. Leaves an existing translation alone."""
    if page.get_translation_or_none(locale) is not None:
        return None
    translated = page.copy_for_translation(locale, copy_parents=False).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    return _publish(translated, user)


"""Editorial content: Wagtail pages, the topic snippet, images and the help settings.

Page tree (one tree per language, created by Wagtail's translation tools)::

    Root
    └── HomePage (beranda)
        ├── ArticleIndexPage (/artikel/)
        │   └── ArticlePage …
        └── StandardPage (Tentang Forum Anak, Kebijakan Privasi …)
            └── StandardPage …
"""

import math
import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, WagtailImageField, get_upload_to
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from forumanak.core.files import public_storage, random_name

from .blocks import ArticleBodyBlock, StandardBodyBlock

WORDS_PER_MINUTE = 150  # a calm reading pace for a child of 10–12
SECONDS_PER_IMAGE = 10


# ---- images -----------------------------------------------------------------------------------


class SiteImage(AbstractImage):
    """An image with the alt text every public image needs. Images are the only uploads that are
    public: stored in the public storage (served by the web server at /media/), with their
    renditions (WAGTAILIMAGES_RENDITION_STORAGE), under random names."""

    file = WagtailImageField(
        verbose_name=_("berkas"), upload_to=get_upload_to, width_field="width", height_field="height",
        storage=public_storage,
    )

    alt_text = models.CharField(
        _("teks alternatif"),
        max_length=255,
        help_text=_(
            "Jelaskan isi gambar dengan singkat untuk orang yang tidak bisa melihatnya. "
            "Wajib diisi. Contoh: 'Tiga anak membaca buku bersama di taman'."
        ),
    )

    alt_text_en = models.CharField(
        _("teks alternatif (Inggris)"),
        max_length=255,
        blank=True,
        help_text=_("Untuk halaman berbahasa Inggris. Kosongkan bila gambar hanya dipakai di halaman Indonesia."),
    )

    def get_upload_to(self, filename):
        # random whatever the public storage is (object storage keeps names as given)
        return super().get_upload_to(random_name(filename))

    admin_form_fields = (
        "title",
        "alt_text",
        "alt_text_en",
        "file",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )
    search_fields = AbstractImage.search_fields + [index.SearchField("alt_text")]

    class Meta(AbstractImage.Meta):
        verbose_name = _("gambar")
        verbose_name_plural = _("gambar")
        permissions = [("choose_image", "Can choose image")]

    @property
    def default_alt_text(self):
        """The alt text in the current language (Indonesian when there is no English one)."""
        if translation.get_language() == "en" and self.alt_text_en:
            return self.alt_text_en
        return self.alt_text

    def clean(self):
        super().clean()
        if not (self.alt_text or "").strip():
            raise ValidationError({"alt_text": _("Teks alternatif wajib diisi.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .cache import invalidate

        invalidate()  # its alt text may show on cached pages


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# ---- topics (the five KLA clusters) -------------------------------------------------------------


class Topic(models.Model):
    """A cluster of the Kota Layak Anak indicators. Its name is in both languages because the same
    topic labels articles in both page trees."""

    number = models.PositiveSmallIntegerField(_("nomor klaster"), unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    name = models.CharField(_("nama (Indonesia)"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120)
    description = models.TextField(_("penjelasan (Indonesia)"), blank=True)
    description_en = models.TextField(_("penjelasan (Inggris)"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("slug")]),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("name_en"),
        FieldPanel("description_en"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = _("topik (klaster KLA)")
        verbose_name_plural = _("topik (klaster KLA)")

    def __str__(self):
        return f"{self.number}. {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .cache import invalidate

        invalidate()  # topic names show on cached listings

    @property
    def label(self):
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name

    @property
    def text(self):
        return self.description_en if translation.get_language() == "en" and self.description_en else self.description


class AgeGroup(models.TextChoices):
    AGE_10_12 = "10-12", _("Anak 10–12 tahun")
    AGE_13_17 = "13-17", _("Remaja 13–17 tahun")
    PARENTS = "orang-tua", _("Orang tua dan wali")
    EVERYONE = "semua", _("Semua umur")


# ---- shared page behaviour ----------------------------------------------------------------------


class CmsPage(Page):
    """Behaviour every public page type shares: metadata, alternates, the full-page cache flag."""

    cache_seconds = None  # None: settings.CMS_PAGE_CACHE_SECONDS
    show_in_search = True

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return mark_cacheable(response, self.cache_seconds)

    def get_meta_description(self):
        return self.search_description or getattr(self, "intro", "") or ""

    def get_meta_image(self):
        return getattr(self, "listing_image", None) or getattr(self, "hero_image", None)

    # True: the template loads the page's images itself ({% preload_page_images page %}), inside a
    # cached fragment, so that a cached fragment costs no image queries.
    preload_images_in_template = False

    def get_context(self, request, *args, **kwargs):
        from . import cache as page_cache
        from . import images

        context = super().get_context(request, *args, **kwargs)
        if not self.preload_images_in_template:
            # every image of the page, with its renditions, in two queries
            images.preload_page_images(self)
        context.update(page_cache.page_data(self, request, lambda: self.shared_context(request)))
        context["cache_generation"] = page_cache.generation()
        context["cache_seconds"] = settings.CMS_PAGE_CACHE_SECONDS
        return context

    def shared_context(self, request):
        """Context that is the same for every visitor of this live page (cached, see page_data)."""
        from . import images, selectors

        images.preload_page_images(self)  # the meta image, with the others (once per request)
        return {
            "alternates": selectors.page_alternates(self, request),
            "meta_description": self.get_meta_description(),
            "og_image_url": images.og_image_url(self.get_meta_image(), settings.SITE_URL),
        }

    # The child page types tried first when routing, each in one query (Wagtail's own routing
    # takes two: the page, then its specific type).
    child_route_models = ()

    def route(self, request, path_components):
        if path_components:
            for model in self.child_route_models:
                child = model.objects.child_of(self).filter(slug=path_components[0]).first()
                if child is not None:
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_view_restrictions(self):
        """The view restrictions of this page and its ancestors, in one query (Wagtail's takes
        two). Restrictions of an aliased ancestor's source page apply, as in Wagtail."""
        if self.alias_of_id:
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page__aliases__path__in=paths)).distinct()


def mark_cacheable(response, seconds=None):
    """Let the full-page cache keep this response for anonymous visitors (see cms/cache.py)."""
    response.cms_cache_seconds = settings.CMS_PAGE_CACHE_SECONDS if seconds is None else seconds
    return response


# ---- home -------------------------------------------------------------------------------------


class HomePage(CmsPage):
    intro = models.CharField(_("pengantar"), max_length=300, blank=True)
    body = RichTextField(_("isi"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    hero_image = models.ForeignKey(
        SiteImage, verbose_name=_("gambar utama"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("tombol menuju halaman"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("teks tombol"), max_length=60, blank=True)
    featured_heading = models.CharField(
        _("judul bagian artikel pilihan"), max_length=80, blank=True, help_text=_("Kosongkan untuk 'Artikel pilihan'.")
    )
    consultations_heading = models.CharField(
        _("judul bagian konsultasi"), max_length=80, blank=True, help_text=_("Kosongkan untuk 'Konsultasi yang dibuka'.")
    )
    consultations_intro = models.CharField(_("pengantar bagian konsultasi"), max_length=250, blank=True)
    events_heading = models.CharField(
        _("judul bagian kegiatan"), max_length=80, blank=True, help_text=_("Kosongkan untuk 'Kegiatan mendatang'.")
    )
    events_intro = models.CharField(_("pengantar bagian kegiatan"), max_length=250, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("intro"),
                FieldPanel("hero_image"),
                FieldRowPanel([PageChooserPanel("hero_link_page"), FieldPanel("hero_link_label")]),
            ],
            heading=_("Bagian pembuka"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("featured_heading"), InlinePanel("featured_articles", max_num=6, label=_("artikel pilihan"))],
            heading=_("Artikel pilihan"),
        ),
        MultiFieldPanel(
            [FieldPanel("consultations_heading"), FieldPanel("consultations_intro")],
            heading=_("Konsultasi yang dibuka"),
        ),
        MultiFieldPanel([FieldPanel("events_heading"), FieldPanel("events_intro")], heading=_("Kegiatan mendatang")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ArticleIndexPage", "cms.StandardPage"]
    cache_seconds = 60  # it will show open consultations and events, which change without a publish
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("beranda")
        verbose_name_plural = _("beranda")

    @classmethod
    def can_create_at(cls, parent):
        # One home page per site; its translations are made by Wagtail's translation tools,
        # which copy it rather than create it under the root.
        return super().can_create_at(parent) and not cls.objects.child_of(parent).exists()

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["featured"] = selectors.featured_articles(self)
        return context


class HomeFeaturedArticle(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_articles")
    article = models.ForeignKey("cms.ArticlePage", verbose_name=_("artikel"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("article", "cms.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("artikel pilihan")
        verbose_name_plural = _("artikel pilihan")


# ---- articles ---------------------------------------------------------------------------------


class ArticleIndexPage(RoutablePageMixin, CmsPage):
    intro = models.CharField(_("pengantar"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1
    per_page = 9
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("daftar artikel")
        verbose_name_plural = _("daftar artikel")

    @path("")
    def listing(self, request):
        return self._listing(request, topic=None)

    @path("topik/<slug:slug>/", name="topic")
    def topic(self, request, slug):
        from . import selectors

        topic = selectors.topic_by_slug(slug)
        if topic is None:
            raise Http404
        return self._listing(request, topic=topic)

    def _listing(self, request, *, topic):
        from . import selectors
        from .forms import ArticleFilterForm

        form = ArticleFilterForm(request.GET or None, topic=topic)
        filters = form.cleaned_filters()
        if topic is not None:
            filters["topic"] = topic
        page_obj = selectors.article_page(self, number=request.GET.get("halaman"), per_page=self.per_page, **filters)
        context = {
            "topic": topic,
            "filter_form": form,
            "page_obj": page_obj,
            "articles": page_obj.object_list,
            "topics": list(form.topic_by_slug.values()),
            "active_tag": filters.get("tag"),
        }
        response = self.render(request, context_overrides=context)
        return mark_cacheable(response, self.cache_seconds)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("cms.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(CmsPage):
    intro = models.CharField(
        _("ringkasan"), max_length=300, help_text=_("Satu atau dua kalimat pendek. Tampil di daftar dan di mesin pencari.")
    )
    author = models.CharField(_("penulis"), max_length=120, help_text=_("Nama yang tampil, misalnya 'Tim DP3AKB'."))
    date = models.DateField(_("tanggal"), default=timezone.localdate)
    listing_image = models.ForeignKey(
        SiteImage, verbose_name=_("gambar utama"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topik"), related_name="articles")
    tags = ClusterTaggableManager(verbose_name=_("label"), through=ArticlePageTag, blank=True)
    age_group = models.CharField(_("untuk usia"), max_length=12, choices=AgeGroup.choices, default=AgeGroup.AGE_13_17)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("isi"))
    reading_minutes = models.PositiveSmallIntegerField(_("waktu baca (menit)"), default=1, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("date")]),
        FieldPanel("listing_image"),
        FieldRowPanel([FieldPanel("age_group"), FieldPanel("topics", widget=forms.CheckboxSelectMultiple)]),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=1.5),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("age_group"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikel")

    def save(self, *args, **kwargs):
        self.reading_minutes = self.compute_reading_minutes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reading_minutes"}
        return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        # so that a saved draft (a revision) carries the reading time too
        self.reading_minutes = self.compute_reading_minutes()
        return super().full_clean(*args, **kwargs)

    def compute_reading_minutes(self):
        """Minutes to read the title, summary and body, rounded up; computed, never typed."""
        texts = [self.title or "", self.intro or ""]
        pictures = 0
        for child in self.body or []:
            texts.extend(str(t) for t in child.block.get_searchable_content(child.value))
            if child.block_type == "image":
                pictures += 1
        words = len(re.findall(r"\w+", " ".join(texts)))
        seconds = words / WORDS_PER_MINUTE * 60 + pictures * SECONDS_PER_IMAGE
        return max(1, math.ceil(seconds / 60))

    preload_images_in_template = True  # templates/cms/article_page.html caches the article's content

    def shared_context(self, request):
        return {**super().shared_context(request), "page_topics": list(self.topics.all()), "page_tags": list(self.tags.all())}


ArticleIndexPage.child_route_models = (ArticlePage,)


# ---- standard pages ---------------------------------------------------------------------------


class StandardPage(CmsPage):
    intro = models.CharField(_("pengantar"), max_length=300, blank=True)
    body = StreamField(StandardBodyBlock(), verbose_name=_("isi"))
    last_reviewed = models.DateField(
        _("terakhir diperiksa"), null=True, blank=True, help_text=_("Tampil di halaman, misalnya untuk kebijakan privasi.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("last_reviewed")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("halaman biasa")
        verbose_name_plural = _("halaman biasa")


HomePage.child_route_models = (ArticleIndexPage, StandardPage)
StandardPage.child_route_models = (StandardPage,)


# ---- the help panel ---------------------------------------------------------------------------

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{1,19}$", _("Tulis nomor telepon dengan angka saja, boleh dengan spasi, tanda - atau + di depan.")
)


def tel_href(number):
    """``tel:`` form of a phone number: digits, with a leading + kept."""
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    return "tel:" + ("+" if number.startswith("+") else "") + digits


@register_setting(icon="help")
class HelpSettings(BaseSiteSetting):
    """What the 'Butuh bantuan?' panel shows on every page. Only the office's own numbers and
    addresses belong here; check them before publishing."""

    sapa_number = models.CharField(
        _("nomor SAPA"), max_length=20, default="129", validators=[phone_validator],
        help_text=_("Layanan SAPA 129 dari Kementerian PPPA."),
    )
    hotline_number = models.CharField(
        _("nomor hotline 24 jam"), max_length=20, default="112", validators=[phone_validator]
    )
    whatsapp_number = models.CharField(
        _("nomor WhatsApp"), max_length=20, blank=True, validators=[phone_validator],
        help_text=_("Nomor dengan kode negara, misalnya +62 811 1129 129."),
    )
    complaints_name = models.CharField(_("nama aplikasi pengaduan"), max_length=80, default="Sitopan")
    complaints_url = models.URLField(_("alamat aplikasi pengaduan"), blank=True)
    office_name = models.CharField(_("nama kantor"), max_length=200, default="DP3AKB Kota Balikpapan")
    office_address = models.TextField(_("alamat kantor"), blank=True)
    office_hours = models.CharField(_("jam buka kantor"), max_length=120, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("sapa_number"), FieldPanel("hotline_number")],
                        heading=_("Telepon")),
        FieldPanel("whatsapp_number"),
        FieldRowPanel([FieldPanel("complaints_name"), FieldPanel("complaints_url")]),
        MultiFieldPanel([FieldPanel("office_name"), FieldPanel("office_address"), FieldPanel("office_hours")],
                        heading=_("Kantor")),
    ]

    class Meta:
        verbose_name = _("bantuan")
        verbose_name_plural = _("bantuan")

    @classmethod
    def for_site(cls, site):
        """The settings of ``site`` (kept in the cache), or unsaved defaults: reading them never
        writes to the database (anonymous page views must stay write-free)."""
        if site is None:
            raise cls.DoesNotExist("HelpSettings does not exist for site None.")
        from .cache import generation

        key = cls.cache_key(site.pk, generation())  # a new generation after every save, in every process
        instance = cache.get(key)
        if instance is None:
            instance = cls.base_queryset().filter(site=site).first() or cls(site=site)
            cache.set(key, instance, 3600)
        return instance

    @staticmethod
    def cache_key(site_id, generation):
        return f"cms:help-settings:{generation}:{site_id}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .cache import invalidate

        invalidate()  # the settings show on every cached page; their own cache key changes too

    @property
    def sapa_tel(self):
        return tel_href(self.sapa_number)

    @property
    def hotline_tel(self):
        return tel_href(self.hotline_number)

    @property
    def whatsapp_url(self):
        digits = re.sub(r"\D", "", self.whatsapp_number or "")
        if not digits:
            return ""
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return f"https://wa.me/{digits}"

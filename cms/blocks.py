"""StreamField blocks of articles and standard pages.

Video: no page may load anything from another origin (no trackers, no third-party cookies, fast on
a cheap phone), so a video is never an embedded player. It is a link-out card: a title, an optional
locally stored thumbnail and a plain link that opens the video on its own site when tapped.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from . import images

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """Loads every image of a StreamField, with its renditions, in two queries, however many
    images the body has."""

    def bulk_to_python(self, values):
        objects = dict(images.preloaded_images() or {})
        missing = [v for v in values if v is not None and v not in objects]
        if missing:
            objects.update(images.prefetch(self.model_class.objects.all()).in_bulk(missing))
        return [objects.get(v) if v is not None else None for v in values]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("teks judul"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("tingkat"),
        choices=[("h2", _("Judul bagian (H2)")), ("h3", _("Sub-judul (H3)"))],
        default="h2",
        help_text=_("Mulai dengan H2. H3 hanya di bawah H2, supaya urutan judul jelas."),
    )

    class Meta:
        icon = "title"
        label = _("Judul")
        template = "blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("gambar"))
    alt_text = blocks.CharBlock(
        label=_("teks alternatif di tempat ini"),
        required=False,
        max_length=255,
        help_text=_("Kosongkan untuk memakai teks alternatif yang tersimpan pada gambar."),
    )
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Gambar dengan keterangan")
        template = "blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("kutipan"))
    source = blocks.CharBlock(label=_("sumber"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Kutipan")
        template = "blocks/quote.html"


class VideoLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("alamat video"), help_text=_("Alamat https, misalnya dari YouTube."))
    title = blocks.CharBlock(label=_("judul video"), max_length=150)
    duration = blocks.CharBlock(label=_("durasi"), required=False, max_length=30, help_text=_("Misalnya: 3 menit"))
    thumbnail = PrefetchingImageChooserBlock(
        label=_("gambar kecil"),
        required=False,
        help_text=_("Unggah gambar sendiri. Gambar dari situs video tidak dimuat."),
    )

    class Meta:
        icon = "media"
        label = _("Video (tautan)")
        template = "blocks/video_link.html"

    def clean(self, value):
        value = super().clean(value)
        if urlsplit(value["url"]).scheme != "https":
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Gunakan alamat yang diawali https://."))}
            )
        return value


class DidYouKnowBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("judul"), required=False, max_length=80, help_text=_("Kosongkan untuk 'Tahukah kamu?'")
    )
    text = blocks.RichTextBlock(label=_("isi"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = _("Tahukah kamu?")
        template = "blocks/did_you_know.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("dokumen"))
    label = blocks.CharBlock(label=_("teks tautan"), required=False, max_length=150)

    class Meta:
        icon = "doc-full"
        label = _("Tautan dokumen")
        template = "blocks/document_link.html"

    def get_context(self, value, parent_context=None):
        from cms.privacy import restricted_document_ids

        context = super().get_context(value, parent_context)
        document = value.get("document")
        # a document in a restricted collection is never named nor linked on a page (cms/privacy.py)
        context["document"] = document if document and not restricted_document_ids([document.pk]) else None
        return context


class SimpleTableBlock(TableBlock):
    class Meta:
        icon = "table"
        label = _("Tabel sederhana")
        template = "blocks/table.html"


def _check_heading_order(stream_value):
    """The page title is the only H1; the body starts its headings at H2 and never skips a level."""
    errors = {}
    seen_h2 = False
    for index, child in enumerate(stream_value):
        if child.block_type != "heading":
            continue
        if child.value["level"] == "h2":
            seen_h2 = True
        elif not seen_h2:
            errors[index] = ValidationError(_("Sub-judul H3 harus berada di bawah judul H2."))
    return errors


class _BodyBlock(blocks.StreamBlock):
    def clean(self, value):
        value = super().clean(value)
        errors = _check_heading_order(value)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value


class ArticleBodyBlock(_BodyBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraf"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html", icon="pilcrow"
    )
    image = FigureBlock()
    quote = QuoteBlock()
    video = VideoLinkBlock()
    did_you_know = DidYouKnowBlock()
    document = DocumentLinkBlock()
    table = SimpleTableBlock()


class StandardBodyBlock(_BodyBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraf"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html", icon="pilcrow"
    )
    image = FigureBlock()
    quote = QuoteBlock()
    did_you_know = DidYouKnowBlock()
    document = DocumentLinkBlock()
    table = SimpleTableBlock()

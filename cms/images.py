"""Responsive images: the named rendition presets, how they are rendered and how they are made
ahead of time.

Every image on a public page is a ``<picture>`` with a WebP source and a JPEG fallback, each at
a few widths (``srcset``), with ``width``/``height`` set (no layout shift) and ``loading="lazy"``
except for the first image of a page. The renditions are generated when a page is published
(:func:`prepare_renditions`, run as a task), so that reading a page never writes to the database.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from wagtail.images import get_image_model


@dataclass(frozen=True)
class Preset:
    widths: tuple
    sizes: str
    ratio: tuple = ()  # (w, h) to crop to, around the focal point; empty: keep the image's own ratio

    def spec(self, width, fmt):
        # quality comes from WAGTAILIMAGES_WEBP_QUALITY / WAGTAILIMAGES_JPEG_QUALITY
        if self.ratio:
            height = round(width * self.ratio[1] / self.ratio[0])
            return f"fill-{width}x{height}|format-{fmt}"
        return f"width-{width}|format-{fmt}"

    def specs(self, fmt):
        return [self.spec(width, fmt) for width in self.widths]

    def all_specs(self):
        return self.specs("webp") + self.specs("jpeg")


PRESETS = {
    # the body of an article or page: at most 40rem wide
    "body": Preset(widths=(360, 720, 1080), sizes="(min-width: 44rem) 40rem, calc(100vw - 2rem)"),
    # the picture at the top of an article and the home page's hero
    "hero": Preset(widths=(360, 720, 1080), sizes="(min-width: 66rem) 64rem, calc(100vw - 2rem)", ratio=(16, 9)),
    # cards in listings
    "card": Preset(widths=(360, 720), sizes="(min-width: 48rem) 20rem, calc(100vw - 2rem)", ratio=(3, 2)),
}
# Open Graph previews want one JPEG of about 1200×630.
OG_SPEC = "fill-1200x630|format-jpeg"


def all_specs():
    specs = [OG_SPEC]
    for preset in PRESETS.values():
        specs.extend(preset.all_specs())
    return specs


def prefetch(queryset):
    """An image queryset with every preset's renditions prefetched (one extra query in all)."""
    return queryset.prefetch_renditions(*all_specs())


def picture(image, preset_name, *, alt=None, eager=False, css_class=""):
    """The HTML of a ``<picture>`` for ``image`` at the named preset."""
    if image is None:
        return ""
    preset = PRESETS[preset_name]
    renditions = image.get_renditions(*preset.all_specs())
    webp = [renditions[s] for s in preset.specs("webp")]
    jpeg = [renditions[s] for s in preset.specs("jpeg")]
    # identical widths happen when the original is small: keep one of each
    webp = _unique_widths(webp)
    jpeg = _unique_widths(jpeg)
    fallback = jpeg[min(1, len(jpeg) - 1)]
    alt_text = image.default_alt_text if alt is None else alt
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async"{}>'
        "</picture>",
        _srcset(webp),
        preset.sizes,
        fallback.url,
        _srcset(jpeg),
        preset.sizes,
        fallback.width,
        fallback.height,
        alt_text,
        "eager" if eager else "lazy",
        format_html(' class="{}"', css_class) if css_class else "",
    )


def og_image_url(image, site_url):
    if image is None:
        return ""
    return site_url + image.get_renditions(OG_SPEC)[OG_SPEC].url


def _srcset(renditions):
    return format_html_join(", ", "{} {}w", ((r.url, r.width) for r in renditions))


def _unique_widths(renditions):
    seen, out = set(), []
    for rendition in renditions:
        if rendition.width not in seen:
            seen.add(rendition.width)
            out.append(rendition)
    return out


_preloaded = ContextVar("cms_preloaded_images", default=None)


def preloaded_images():
    """Images loaded ahead for the page being rendered, by id (or None)."""
    return _preloaded.get()


def _image_ids_in_raw_stream(stream_value):
    from wagtail.blocks import StructBlock
    from wagtail.images.blocks import ImageChooserBlock

    stream_block = stream_value.stream_block
    for item in stream_value.raw_data:
        block = stream_block.child_blocks.get(item.get("type"))
        value = item.get("value")
        if isinstance(block, ImageChooserBlock) and isinstance(value, int):
            yield value
        elif isinstance(block, StructBlock) and isinstance(value, dict):
            for name, child in block.child_blocks.items():
                if isinstance(child, ImageChooserBlock) and isinstance(value.get(name), int):
                    yield value[name]


def preload_page_images(page, *, fields=("listing_image", "hero_image"), stream="body"):
    """Load every image of ``page`` (its image fields and the images in its StreamField) with all
    their renditions in two queries, however many images there are, and convert the StreamField
    while they are at hand. Once per page object: a second call returns what the first loaded."""
    if getattr(page, "_preloaded_images", None) is not None:
        return page._preloaded_images
    stream_value = getattr(page, stream, None)
    has_stream = stream_value is not None and hasattr(stream_value, "raw_data")
    ids = {getattr(page, f"{name}_id", None) for name in fields if hasattr(page, f"{name}_id")}
    if has_stream:
        ids.update(_image_ids_in_raw_stream(stream_value))
    ids.discard(None)
    loaded = prefetch(get_image_model().objects.filter(pk__in=ids)).in_bulk() if ids else {}
    with _preloading(loaded):
        if has_stream:
            for _block in stream_value:  # converts every block now, from the loaded images
                pass
    for name in fields:
        image_id = getattr(page, f"{name}_id", None)
        if image_id is not None:
            setattr(page, name, loaded.get(image_id))
    page._preloaded_images = loaded
    return loaded


@contextmanager
def _preloading(loaded):
    token = _preloaded.set(loaded)
    try:
        yield
    finally:
        _preloaded.reset(token)


def page_image_specs(page):
    """``{image: {filter spec, ...}}``: the renditions each image of ``page`` is shown in."""
    wanted = {}

    def want(image, specs):
        if image is not None:
            wanted.setdefault(image, set()).update(specs)

    for name in ("listing_image", "hero_image"):
        want(getattr(page, name, None), [*PRESETS["hero"].all_specs(), *PRESETS["card"].all_specs(), OG_SPEC])
    stream = getattr(page, "body", None)
    if stream is not None and hasattr(stream, "raw_data"):
        for child in stream:
            if child.block_type == "image":
                want(child.value["image"], PRESETS["body"].all_specs())
            elif child.block_type == "video":
                want(child.value["thumbnail"], PRESETS["card"].all_specs())
    return wanted


def prepare_renditions(page):
    """Make the renditions ``page`` shows (idempotent: existing ones are kept). Returns how many
    renditions the page uses."""
    count = 0
    for image, specs in page_image_specs(page).items():
        count += len(image.get_renditions(*sorted(specs)))
    return count

"""Images: alt text is required, uploads are checked, renditions are responsive and made ahead."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage
from wagtail.users.models import UserProfile

from cms import images
from cms.models import SiteImage, SiteRendition
from tests.cms.conftest import add_article, make_image
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def png(size=(640, 480)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 100, 50)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor_in_english(client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    sign_in_with_second_factor(client, editor)
    return client


def file_errors(response):
    with translation.override("en"):  # lazy messages, read in the user's language
        return " ".join(str(e) for e in response.context["form"].errors["file"])


def upload(client, content, name, alt="Kotak oranye"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Uji", "alt_text": alt, "file": SimpleUploadedFile(name, content), "collection": "1", "tags": ""},
    )


def test_the_site_uses_the_image_model_with_alt_text():
    from wagtail.images import get_image_model

    assert get_image_model() is SiteImage


def test_alt_text_is_required(editor_in_english):
    response = upload(editor_in_english, png(), "kotak.png", alt="")
    assert response.status_code == 200
    assert "alt_text" in response.context["form"].errors
    assert not SiteImage.objects.exists()
    with pytest.raises(ValidationError):
        SiteImage(title="x", alt_text="  ").clean()


def test_a_valid_image_is_uploaded(editor_in_english):
    response = upload(editor_in_english, png(), "kotak.png")
    assert response.status_code == 302
    assert SiteImage.objects.get().alt_text == "Kotak oranye"


def test_a_file_that_is_not_an_image_gets_a_clear_error(editor_in_english):
    response = upload(editor_in_english, b"%PDF-1.4 bukan gambar", "surat.png")
    assert "image" in file_errors(response).lower()
    response = upload(editor_in_english, png(), "gambar.bmp")
    assert "Not a supported image format" in file_errors(response)
    assert not SiteImage.objects.exists()


def test_an_image_that_is_too_large_gets_a_clear_error(editor_in_english, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    response = upload(editor_in_english, png((1200, 900)), "besar.png")
    assert "This file is too big" in file_errors(response)
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100_000
    response = upload(editor_in_english, png((1200, 900)), "banyak-piksel.png")
    assert "too many pixels" in file_errors(response)
    assert not SiteImage.objects.exists()


def test_pictures_are_responsive_modern_and_lazy(client, article_index):
    picture = make_image("Besar", size=(1600, 1000), alt="Anak menanam pohon")
    article = add_article(article_index, "Bergambar", images=[picture], listing_image=picture)
    html = client.get(article.url).text
    body = html[html.index('<div class="prose">'):]
    assert '<source type="image/webp" srcset="' in body
    assert " 360w, " in body and " 720w, " in body and " 1080w" in body
    assert 'sizes="(min-width: 44rem) 40rem' in body
    assert 'loading="lazy"' in body and 'decoding="async"' in body
    assert 'alt="Anak menanam pohon"' in body
    assert 'width="720" height="450"' in body  # no layout shift
    header = html[html.index('<header class="article-header">'):html.index('<div class="prose">')]
    assert 'loading="eager"' in header  # the first picture is not lazy


def test_publishing_makes_the_renditions_ahead(article_index):
    picture = make_image("Awal", size=(800, 600))
    assert not SiteRendition.objects.exists()
    add_article(article_index, "Siap", images=[picture], listing_image=picture)
    made = set(SiteRendition.objects.values_list("filter_spec", flat=True))
    expected = set(images.PRESETS["body"].all_specs()) | set(images.PRESETS["hero"].all_specs()) | {images.OG_SPEC}
    assert expected <= made


def test_a_block_can_override_the_alt_text(client, article_index):
    from wagtail.rich_text import RichText

    picture = make_image("Ganti", alt="Teks umum")
    article = add_article(article_index, "Konteks")
    article.body = [("paragraph", RichText("<p>Isi.</p>")),
                    ("image", {"image": picture, "alt_text": "Teks khusus di artikel ini", "caption": ""})]
    from tests.cms.conftest import publish

    publish(article)
    html = client.get(article.url).text
    assert 'alt="Teks khusus di artikel ini"' in html

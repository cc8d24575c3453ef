"""The 'Butuh bantuan?' panel: on every public page, one tap away, with tel: links, and driven by
the site settings."""

import re

import pytest

from cms.models import HelpSettings, tel_href
from tests.cms.conftest import translate
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/",
    "/artikel/",
    "/artikel/topik/perlindungan-khusus/",
    "/artikel/hak-untuk-didengar/",
    "/tentang/",
    "/cari/",
    "/cari/?q=hak",
    "/bantuan/",
    "/akun/login/",
    "/halaman-yang-tidak-ada/",
    "/en/",
    "/en/artikel/hak-untuk-didengar/",
]


@pytest.fixture
def help_settings(home_page):
    settings = HelpSettings.objects.get(site__is_default_site=True)
    settings.hotline_number = "0542 7200 123"
    settings.whatsapp_number = "0811-1129-129"
    settings.complaints_url = "https://pengaduan.example.go.id/"
    settings.office_address = "Jalan Contoh No. 1\nBalikpapan"
    settings.save()
    return settings


def panel(html):
    match = re.search(r'<aside id="bantuan".*?</aside>', html, re.S)
    assert match, "no help panel"
    return match.group(0)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_page_links_to_the_help_panel(client, help_settings, article, standard_page, path):
    translate(article.get_parent().get_parent(), title="Children's Forum")
    translate(article.get_parent(), title="Articles")
    translate(article, title="The right to be heard")
    response = client.get(path)
    assert response.status_code in (200, 404)
    html = response.text
    # one tap from the top of the page, a plain in-page link: works without JavaScript
    assert re.search(r'<a class="help-link" href="#bantuan">', html)
    assert html.index('class="help-link"') < html.index('id="main"')
    box = panel(html)
    assert 'href="tel:129"' in box
    assert 'href="tel:05427200123"' in box
    assert 'href="https://wa.me/628111129129"' in box
    assert 'href="https://pengaduan.example.go.id/"' in box and "Sitopan" in box
    assert "Jalan Contoh No. 1<br>Balikpapan" in box


def test_the_panel_follows_the_settings_and_the_language(client, home_page):
    settings = HelpSettings.objects.get(site__is_default_site=True)
    settings.sapa_number = "129"
    settings.hotline_number = "112"
    settings.whatsapp_number = ""
    settings.complaints_url = ""
    settings.save()
    box = panel(client.get("/").text)
    assert "Butuh bantuan?" in box and 'href="tel:112"' in box
    assert "wa.me" not in box
    assert "<strong class=\"help-name\">Sitopan</strong>" in box  # the name, without a link
    english = panel(client.get("/en/").text)
    assert "Need help?" in english and "24-hour hotline" in english and 'href="tel:129"' in english


@pytest.mark.parametrize(
    "number,href",
    [("129", "tel:129"), ("0542 7200 123", "tel:05427200123"), ("+62 811-1129-129", "tel:+628111129129"), ("", "")],
)
def test_phone_numbers_become_tel_links(number, href):
    assert tel_href(number) == href


def test_phone_numbers_are_validated(home_page):
    from django.core.exceptions import ValidationError

    settings = HelpSettings.objects.get(site__is_default_site=True)
    settings.hotline_number = "call us!"
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "hotline_number" in error.value.message_dict


def test_editors_change_the_settings_in_the_admin(client, home_page, editor):
    from django.urls import reverse
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    sign_in_with_second_factor(client, editor)
    url = reverse("wagtailsettings:edit", args=["cms", "helpsettings", site.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"sapa_number": "129", "hotline_number": "0542 111 222", "whatsapp_number": "", "complaints_name": "Sitopan",
         "complaints_url": "", "office_name": "DP3AKB", "office_address": "", "office_hours": ""},
    )
    assert response.status_code == 302
    client.logout()
    assert 'href="tel:0542111222"' in client.get("/").text


def test_a_penulis_cannot_change_the_settings(client, home_page, penulis):
    from django.urls import reverse
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    sign_in_with_second_factor(client, penulis)
    response = client.get(reverse("wagtailsettings:edit", args=["cms", "helpsettings", site.pk]))
    assert response.status_code in (302, 403)

"""Replace Wagtail's placeholder page with the site's home page, in Indonesian, as the site root."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Locale.objects.get_or_create(language_code="id")
    locale = Locale.objects.get(language_code="id")
    Locale.objects.get_or_create(language_code="en")
    # Wagtail's first migration made a locale named after the project's LANGUAGE_CODE; keep one "id".
    Page.objects.filter(depth=1).update(locale=locale)

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    homepage_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    if HomePage.objects.exists():
        return
    homepage = HomePage.objects.create(
        title="Forum Anak Kota Balikpapan",
        draft_title="Forum Anak Kota Balikpapan",
        slug="beranda",
        content_type=homepage_ct,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/beranda/",
        locale=locale,
        live=True,
        intro="Tempat anak-anak Balikpapan bersuara, belajar hak anak, dan ikut kegiatan.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=homepage.id, is_default_site=True,
                        site_name="Forum Anak Kota Balikpapan")


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]

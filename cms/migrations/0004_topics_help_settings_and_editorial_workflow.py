"""The five KLA clusters, the help settings of the existing sites, and the editorial groups and
moderation workflow (see cms/kla.py and cms/editorial.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from cms.editorial import setup_editorial
    from cms.kla import ensure_topics

    ensure_topics(apps.get_model("cms", "Topic"))
    Site = apps.get_model("wagtailcore", "Site")
    HelpSettings = apps.get_model("cms", "HelpSettings")
    for site in Site.objects.all():
        HelpSettings.objects.get_or_create(site=site)
    setup_editorial(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_content_models"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Issue 25: uploads are private unless published. Images (and their renditions) are the public
files, in the public storage under MEDIA_ROOT; every Wagtail document is a private file under
PRIVATE_MEDIA_ROOT, served only by Wagtail's document view, which checks the collection's view
restrictions. Documents that an earlier version put in MEDIA_ROOT under their uploaded names are
moved there now, under random names."""

import forumanak.core.files
import wagtail.images.models
from django.db import migrations


def move_documents(apps, schema_editor):
    from forumanak.core.files import move_to_private

    Document = apps.get_model("wagtaildocs", "Document")
    for document in Document.objects.exclude(file="").only("pk", "file"):
        new_name = move_to_private(document.file.name, folder="documents")
        if new_name != document.file.name:
            Document.objects.filter(pk=document.pk).update(file=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0004_topics_help_settings_and_editorial_workflow"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AlterField(
            model_name="siteimage",
            name="file",
            field=wagtail.images.models.WagtailImageField(height_field="height", storage=forumanak.core.files.public_storage, upload_to=wagtail.images.models.get_upload_to, verbose_name="berkas", width_field="width"),
        ),
        migrations.RunPython(move_documents, migrations.RunPython.noop, elidable=True),
    ]

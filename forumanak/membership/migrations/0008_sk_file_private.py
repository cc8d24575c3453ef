"""A forum's SK is a private file (issue 25): stored under PRIVATE_MEDIA_ROOT with a random name,
served only by a view that checks the staff member's scope. SK files that an earlier version put
in the public MEDIA_ROOT under their uploaded names are moved there now."""

import forumanak.core.models
import forumanak.membership.models
from django.db import migrations, models


def move_sk_files(apps, schema_editor):
    from forumanak.core.files import move_to_private

    Forum = apps.get_model("membership", "Forum")
    for forum in Forum.objects.exclude(sk_file="").only("pk", "sk_file"):
        new_name = move_to_private(forum.sk_file.name, folder="sk")
        if new_name != forum.sk_file.name:
            Forum.objects.filter(pk=forum.pk).update(sk_file=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0007_member_active_no_consent_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="forum",
            name="sk_file",
            field=models.FileField(blank=True, storage=forumanak.core.models.private_storage, upload_to="sk/", validators=[forumanak.membership.models.validate_uploaded_document], verbose_name="berkas SK"),
        ),
        migrations.RunPython(move_sk_files, migrations.RunPython.noop, elidable=True),
    ]

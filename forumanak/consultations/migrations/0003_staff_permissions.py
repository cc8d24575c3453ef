"""Pembina and Fasilitator manage consultations (within their forum chain); editors do not."""

from django.db import migrations


def forward(apps, schema_editor):
    from forumanak.consultations.permissions import grant_staff_permissions

    grant_staff_permissions(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0002_questions_locked_after_votes"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

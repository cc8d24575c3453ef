"""A participation keeps the date only (filled in 0005); the exact time is dropped.

SQLite rebuilds the participation table for this, and its triggers that lock the questions
(0002) read that table: they are dropped for the rebuild and made again afterwards."""

from importlib import import_module

from django.db import migrations, models

import forumanak.consultations.models

LOCK = import_module("forumanak.consultations.migrations.0002_questions_locked_after_votes")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in LOCK.SQLITE_BACKWARD:
            schema_editor.execute(statement)


def make_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in LOCK.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0005_secrecy"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, make_sqlite_triggers),
        migrations.RemoveField(
            model_name="participation",
            name="created_at",
        ),
        migrations.AlterField(
            model_name="participation",
            name="voted_on",
            field=models.DateField(default=forumanak.consultations.models.today, verbose_name="tanggal"),
        ),
        migrations.RunPython(make_sqlite_triggers, drop_sqlite_triggers),
    ]

"""SQLite rebuilds a table to alter a column (0004), which drops its triggers: restore the
append-only trigger on consent decisions. On PostgreSQL the trigger survived; nothing to do."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            """CREATE TRIGGER IF NOT EXISTS membership_consentdecision_no_update BEFORE UPDATE ON membership_consentdecision
               BEGIN SELECT RAISE(ABORT, 'consent decisions are append-only'); END;"""
        )


class Migration(migrations.Migration):
    dependencies = [("membership", "0004_paper_scan_private_storage")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

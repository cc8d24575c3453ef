"""Ballots written before the ballot box existed are stored in the order of voting: rewrite both
tables, all consultations at once, in the order of the random ids (as ``mixing.rewrite`` does for
one consultation; repeated here so that this migration keeps working whatever that module
becomes). Only data changes here: PostgreSQL refuses to alter a table with pending deferred
foreign-key checks in the same transaction."""

from django.db import migrations


def mix_everything(apps, schema_editor):
    # Snapshots computed by the old rules showed zeros and could be compared with each other: they
    # go. The minute task computes the final results of closed consultations again (the safety net
    # of ``services.close_due``) and the live ones at their next refresh.
    apps.get_model("consultations", "ResultSnapshot").objects.all().delete()
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("UPDATE consultations_ballot SET mixed = TRUE WHERE NOT mixed")
        if connection.vendor == "postgresql":
            for table in ("consultations_answer", "consultations_ballot"):
                cursor.execute(f"WITH moved AS (DELETE FROM {table} RETURNING *) "
                               f"INSERT INTO {table} SELECT * FROM moved ORDER BY id")
            return
        cursor.execute("PRAGMA secure_delete")
        secure = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete = ON")
        for table in ("consultations_answer", "consultations_ballot"):
            cursor.execute(f"CREATE TEMP TABLE mix_{table} AS SELECT * FROM {table}")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} SELECT * FROM temp.mix_{table} ORDER BY id")
            cursor.execute(f"DROP TABLE temp.mix_{table}")
        cursor.execute(f"PRAGMA secure_delete = {int(secure)}")


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0006_participation_date_only"),
    ]

    operations = [
        migrations.RunPython(mix_everything, migrations.RunPython.noop),
    ]

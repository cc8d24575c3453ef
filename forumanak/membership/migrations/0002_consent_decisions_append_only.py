"""Consent decisions are append-only: the database refuses UPDATE (and, on PostgreSQL, DELETE).

On SQLite only UPDATE is refused: its test-suite flush deletes rows one table at a time, and the
protecting foreign keys (on_delete=PROTECT) already stop an application-level delete."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION membership_consentdecision_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'consent decisions are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER membership_consentdecision_no_update BEFORE UPDATE OR DELETE ON membership_consentdecision
    FOR EACH ROW EXECUTE FUNCTION membership_consentdecision_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS membership_consentdecision_no_update ON membership_consentdecision;
DROP FUNCTION IF EXISTS membership_consentdecision_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER membership_consentdecision_no_update BEFORE UPDATE ON membership_consentdecision
       BEGIN SELECT RAISE(ABORT, 'consent decisions are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS membership_consentdecision_no_update;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

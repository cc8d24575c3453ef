"""The database refuses to change a consultation's questions once someone has voted.

PostgreSQL refuses INSERT, UPDATE (of anything but the order) and DELETE of question rows of a
consultation with a participation. SQLite refuses INSERT and UPDATE; its test-suite flush
deletes rows one table at a time, and deleting a question that has answers is refused by the
protecting foreign key anyway."""

from django.db import migrations

COLUMNS = ["kind", "prompt", "help_text", "required", "choices_text", "max_choices", "top_k", "max_length",
           "consultation_id"]
MESSAGE = "the questions of a consultation cannot change once someone has voted"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION consultations_question_locked() RETURNS trigger AS $$
DECLARE
    cid bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        cid := NEW.consultation_id;
    ELSE
        cid := OLD.consultation_id;
    END IF;
    IF TG_OP = 'UPDATE' AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in COLUMNS)} THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM consultations_participation WHERE consultation_id = cid) THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consultations_question_lock BEFORE INSERT OR UPDATE OR DELETE ON consultations_question
    FOR EACH ROW EXECUTE FUNCTION consultations_question_locked();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS consultations_question_lock ON consultations_question;
DROP FUNCTION IF EXISTS consultations_question_locked();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER consultations_question_lock_update BEFORE UPDATE ON consultations_question
       WHEN ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)})
        AND EXISTS (SELECT 1 FROM consultations_participation WHERE consultation_id = OLD.consultation_id)
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER consultations_question_lock_insert BEFORE INSERT ON consultations_question
       WHEN EXISTS (SELECT 1 FROM consultations_participation WHERE consultation_id = NEW.consultation_id)
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS consultations_question_lock_update;",
    "DROP TRIGGER IF EXISTS consultations_question_lock_insert;",
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
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

"""The database refuses to lower an event's capacity below the seats already held (registrations
pending consent, confirmed, attended or no-show): invariant 2 holds even for a write that does
not go through ``services.save_event`` (which refuses it first, under the event's row lock, with
a message for the person)."""

from django.db import migrations

HOLDING = "('pending_consent', 'confirmed', 'attended', 'no_show')"
HELD = f"SELECT COUNT(*) FROM events_registration WHERE event_id = NEW.id AND status IN {HOLDING}"
MESSAGE = "the capacity of an event cannot be lower than the seats it holds"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION events_event_capacity_check() RETURNS trigger AS $$
BEGIN
    IF NEW.capacity < OLD.capacity AND NEW.capacity < ({HELD}) THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_event_capacity_not_below_held BEFORE UPDATE OF capacity ON events_event
    FOR EACH ROW EXECUTE FUNCTION events_event_capacity_check();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS events_event_capacity_not_below_held ON events_event;
DROP FUNCTION IF EXISTS events_event_capacity_check();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER events_event_capacity_not_below_held BEFORE UPDATE OF capacity ON events_event
WHEN NEW.capacity < OLD.capacity AND NEW.capacity < ({HELD})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS events_event_capacity_not_below_held;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

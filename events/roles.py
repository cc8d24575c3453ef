"""What the staff groups may do with events (gathered by ``manage.py setup_roles``). Scope — which
events and registrations — comes from StaffAssignment: a fasilitator sees only their forum chain."""

PERMISSIONS = {
    "Pembina": [f"events.{codename}" for codename in (
        "add_event", "change_event", "delete_event", "view_event", "view_registration", "change_registration",
    )],
    "Fasilitator": [f"events.{codename}" for codename in (
        "add_event", "change_event", "view_event", "view_registration", "change_registration",
    )],
}

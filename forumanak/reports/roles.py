"""What the staff groups may do with reports (gathered by ``manage.py setup_roles``).

The KLA dashboard is open to every staff member with a forum assignment, limited to their forum
chain (no permission needed). The audit log spans every forum, so only Pembina read it; Fasilitator
do not get ``core.view_auditentry``."""

PERMISSIONS = {
    "Pembina": ["core.view_auditentry"],
}

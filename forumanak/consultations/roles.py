"""What the staff groups may do with consultations (see forumanak/core setup_roles). Scope —
which consultations — comes from StaffAssignment: a fasilitator sees only their forum chain."""

from .permissions import CODENAMES

PERMISSIONS = {
    "Pembina": [f"consultations.{codename}" for codename in CODENAMES],
    "Fasilitator": [f"consultations.{codename}" for codename in CODENAMES],
}

"""Staff groups and what they may do in the admin. Scope (which forums) comes from
StaffAssignment, not from the group: a fasilitator only ever sees their own forum chain."""

ADMIN = ["wagtailadmin.access_admin"]

PERMISSIONS = {
    "Pembina": ADMIN + [
        f"membership.{action}_{model}"
        for model in ("forum", "boardterm", "boardposition", "staffassignment", "consenttext")
        for action in ("add", "change", "view")
    ],
    "Fasilitator": ADMIN + [
        "membership.view_forum", "membership.change_forum",
        "membership.add_boardterm", "membership.change_boardterm", "membership.view_boardterm",
        "membership.add_boardposition", "membership.change_boardposition", "membership.view_boardposition",
        "membership.delete_boardposition",
    ],
}

"""The model permissions that staff groups get for consultations (scope is applied on top)."""

STAFF_GROUPS = ("Pembina", "Fasilitator")
CODENAMES = [
    "add_consultation", "change_consultation", "delete_consultation", "view_consultation", "export_consultation",
    "change_answer", "view_answer",
    "change_safeguardingflag", "view_safeguardingflag",
    "add_governmentresponse", "change_governmentresponse", "delete_governmentresponse", "view_governmentresponse",
]


def grant_staff_permissions(apps=None):
    """Give the Pembina and Fasilitator groups the consultation permissions. Idempotent."""
    from django.contrib.auth.management import create_permissions

    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    config = apps.get_app_config("consultations")
    if getattr(config, "models_module", None) is None:
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(content_type__app_label="consultations", codename__in=CODENAMES))
    for name in STAFF_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)
    return perms

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from forumanak.core.registry import app_modules


def ensure_roles():
    """Create the staff groups and give them the permissions that each app's ``roles.py``
    lists in ``PERMISSIONS = {"Group name": ["app_label.codename", ...]}``. Idempotent; adds only."""
    wanted = {}
    for _config, module in app_modules("roles"):
        for group, perms in module.PERMISSIONS.items():
            wanted.setdefault(group, set()).update(perms)
    added = 0
    for name, perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            if not group.permissions.filter(pk=perm.pk).exists():
                group.permissions.add(perm)
                added += 1
    return wanted, added


class Command(BaseCommand):
    help = "Create the staff groups (Pembina, Fasilitator, …) with their permissions. Idempotent."

    def handle(self, *args, **options):
        wanted, added = ensure_roles()
        self.stdout.write(f"Roles: {', '.join(sorted(wanted))}; {added} permission(s) added.")

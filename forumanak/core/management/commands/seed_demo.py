from django.core.management.base import BaseCommand
from django.db import transaction

from forumanak.core.registry import app_modules


class Command(BaseCommand):
    help = "Create the demo data of every app (idempotent) and print the demo accounts."

    def handle(self, *args, **options):
        from .setup_roles import ensure_roles

        ensure_roles()  # the demo staff accounts rely on their groups' permissions
        accounts = []
        for config, module in app_modules("demo"):
            with transaction.atomic():
                accounts.extend(module.seed(stdout=self.stdout) or [])
            self.stdout.write(f"Demo data: {config.label} ready.")
        if accounts:
            self.stdout.write("")
            self.stdout.write("Demo accounts (log in at /akun/login/):")
            width = max(len(a["role"]) for a in accounts)
            for account in accounts:
                note = f"  — {account['note']}" if account.get("note") else ""
                self.stdout.write(f"  {account['role']:<{width}}  {account['login']}  /  {account['password']}{note}")

import time

from django.core.management.base import BaseCommand

from forumanak.regions.services import DATA_FILE, load_regions


class Command(BaseCommand):
    help = "Load every Indonesian region (Kemendagri codes) from the shipped data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help="CSV with columns code,name")

    def handle(self, *args, **options):
        started = time.monotonic()
        result = load_regions(path=options["file"])
        elapsed = time.monotonic() - started
        if result.created or result.updated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Regions: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged ({result.total} in the file, {elapsed:.1f} s)."
                )
            )
        else:
            self.stdout.write(f"Regions: nothing to change; all {result.total} are up to date ({elapsed:.1f} s).")

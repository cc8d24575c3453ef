from django.core.management.base import BaseCommand
from django_q.models import Schedule

from forumanak.core.registry import app_modules


class Command(BaseCommand):
    help = "Create or update the recurring task schedules of every app. Idempotent."

    def handle(self, *args, **options):
        created = updated = unchanged = 0
        for _config, module in app_modules("schedules"):
            for spec in module.SCHEDULES:
                spec = dict(spec)
                name = spec.pop("name")
                schedule = Schedule.objects.filter(name=name).first()
                if schedule is None:
                    Schedule.objects.create(name=name, **spec)
                    created += 1
                    continue
                changed = [k for k, v in spec.items() if getattr(schedule, k) != v]
                if changed:
                    for key in changed:
                        setattr(schedule, key, spec[key])
                    schedule.save(update_fields=changed)
                    updated += 1
                else:
                    unchanged += 1
        self.stdout.write(f"Schedules: {created} created, {updated} updated, {unchanged} unchanged.")

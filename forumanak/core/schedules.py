from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "core: requeue unsent emails",
        "func": "forumanak.core.tasks.requeue_unsent_emails",
        "schedule_type": Schedule.MINUTES,
        "minutes": 15,
        "repeats": -1,
    },
]

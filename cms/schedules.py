from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "cms: publish scheduled pages",
        "func": "cms.tasks.publish_scheduled",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
        "repeats": -1,
    },
]

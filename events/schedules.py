from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "events: release seats whose consent deadline passed",
        "func": "events.tasks.expire_overdue_consents",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
        "repeats": -1,
    },
    {
        "name": "events: reminders 24 hours before",
        "func": "events.tasks.send_reminders",
        "schedule_type": Schedule.MINUTES,
        "minutes": 15,
        "repeats": -1,
    },
    {
        "name": "events: delete answers past retention",
        "func": "events.tasks.delete_expired_answers",
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
    },
    {
        "name": "events: mark no-shows after the event",
        "func": "events.tasks.mark_no_shows",
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
    },
]

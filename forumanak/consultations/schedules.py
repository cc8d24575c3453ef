from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "consultations: close due consultations",
        "func": "forumanak.consultations.tasks.close_due_consultations",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
        "repeats": -1,
    },
    {
        "name": "consultations: mix the ballot boxes",
        "func": "forumanak.consultations.tasks.mix_ballot_boxes",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
        "repeats": -1,
    },
    {
        "name": "consultations: refresh live results",
        "func": "forumanak.consultations.tasks.refresh_live_results",
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
        "repeats": -1,
    },
]

from django_q.models import Schedule

SCHEDULES = [
    {"name": "membership: consent reminders", "func": "forumanak.membership.tasks.consent_reminders",
     "schedule_type": Schedule.HOURLY, "repeats": -1},
    {"name": "membership: consent expiry notices", "func": "forumanak.membership.tasks.consent_expiry",
     "schedule_type": Schedule.HOURLY, "repeats": -1},
    {"name": "membership: erase ended memberships", "func": "forumanak.membership.tasks.erase_overdue",
     "schedule_type": Schedule.HOURLY, "repeats": -1},
    {"name": "membership: members turning 18 become alumni", "func": "forumanak.membership.tasks.age_out_members",
     "schedule_type": Schedule.DAILY, "repeats": -1},
]

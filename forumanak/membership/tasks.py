"""django-q2 targets: take primary keys, idempotent."""


def erase_member(member_id):
    from .services import erase_member_data

    return erase_member_data(member_id=member_id)


def erase_overdue():
    from .services import erase_overdue as run

    return run()


def age_out_members():
    from .services import age_out_members as run

    return run()


def consent_reminders():
    from .services import send_consent_reminders

    return send_consent_reminders()


def consent_expiry():
    from .services import notify_expired_consents

    return notify_expired_consents()

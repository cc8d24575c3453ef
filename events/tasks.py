"""django-q2 targets of the events app. Each is idempotent and safe to run at any time."""


def expire_overdue_consents():
    """Release seats whose guardian consent deadline passed; the waitlist moves up."""
    from .services import expire_overdue_consents as run

    return run()


def send_reminders():
    """Reminder emails 24 hours before an event (participant and, for a child, the guardians)."""
    from .services import send_reminders as run

    return run()


def delete_expired_answers():
    """Delete registration answers past their retention period."""
    from .services import delete_expired_answers as run

    return run()


def mark_no_shows():
    """After an event, confirmed registrations that never checked in become no-shows."""
    from .services import mark_no_shows as run

    return run()

"""django-q2 targets. They take primary keys and are idempotent."""


def close_due_consultations():
    """Close every consultation whose closing time has come (runs every minute)."""
    from .services import close_due

    return close_due()


def mix_ballot_boxes():
    """Ask for the mixing of the consultations with ballots waiting in their box (every minute)."""
    from .services import mix_ballot_boxes

    return mix_ballot_boxes()


def mix_ballots(consultation_id):
    """Rewrite one consultation's ballots and answers in random order (again, if asked twice)."""
    from .services import mix_ballots

    return mix_ballots(consultation_id=consultation_id)


def compute_results(consultation_id):
    """Mix the ballots of a closed consultation a last time and compute its final snapshot
    (again, if asked twice)."""
    from .models import Consultation
    from .results import store_snapshot
    from .services import mix_ballots

    if not Consultation.objects.filter(pk=consultation_id, status=Consultation.Status.CLOSED).exists():
        return "not closed"
    mix_ballots(consultation_id=consultation_id)  # the last ballots leave the box: this order stays
    store_snapshot(consultation_id, final=True)
    return "ok"


def refresh_live_results():
    """Refresh the snapshot of open consultations whose results are live for members."""
    from django.utils import timezone

    from .models import Consultation
    from .results import store_snapshot

    now = timezone.now()
    due = Consultation.objects.filter(
        status=Consultation.Status.PUBLISHED, results_policy=Consultation.ResultsPolicy.LIVE, opens_at__lte=now,
        closes_at__gt=now,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        store_snapshot(pk, final=False)
        count += 1
    return count

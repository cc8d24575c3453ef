#!/usr/bin/env python
"""make bench: the invariants after the load, read from the database. Prints one JSON object.

- seats held by the burst event (pending consent + confirmed) never exceed its capacity;
- ballots = participations for every vote through the site: in every consultation, ballots minus
  participations is what it was before the load (the 1M synthetic ballots of bench/seed.py and the
  demo's synthetic results are written straight into the database, without participations: the
  data set has 50,000 members, not a million);
- the vote scenario's participations, ballots and answers.

    DJANGO_SETTINGS_MODULE=forumanak.settings.bench python bench/invariants.py fixtures.json
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forumanak.settings.bench")


def main():
    import django

    django.setup()
    from django.db.models import Count

    from events.models import Event, Registration
    from forumanak.consultations.models import Answer, Ballot, Consultation, Participation

    fixtures = json.loads(Path(sys.argv[1]).read_text())
    event = Event.objects.get(pk=fixtures["burst"]["event"])
    statuses = dict(Registration.objects.filter(event=event).values_list("status").annotate(n=Count("id")))
    held = sum(n for status, n in statuses.items() if status in Registration.SEAT_HOLDING)
    ballots = dict(Ballot.objects.values_list("consultation").annotate(n=Count("id")))
    participations = dict(Participation.objects.values_list("consultation").annotate(n=Count("id")))
    before = {int(c): n for c, n in fixtures["ballots_without_participation"].items()}
    mismatched = {
        c: {"ballots": ballots.get(c, 0), "participations": participations.get(c, 0), "seeded_without": before.get(c, 0)}
        for c in Consultation.objects.values_list("pk", flat=True)
        if ballots.get(c, 0) - participations.get(c, 0) != before.get(c, 0)
    }
    vote = fixtures["vote"]["consultation"]
    print(json.dumps({
        "burst": {"capacity": event.capacity, "seats_held": held, "registrations": statuses},
        "vote": {"participations": participations.get(vote, 0), "ballots": ballots.get(vote, 0),
                 "answers": Answer.objects.filter(ballot__consultation_id=vote).count()},
        "consultations_checked": Consultation.objects.count(),
        "ballots_participations_mismatched": mismatched,
        "big_consultation_ballots": ballots.get(fixtures["results"]["consultation"], 0),
    }))


if __name__ == "__main__":
    main()

"""What one registration POST costs (make bench sends 1,000 at once to a 100-seat event): a guard
against queries creeping back into the request, and under the event's row lock in particular."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Answer, Registration
from forumanak.core.models import AuditEntry
from forumanak.membership.models import ConsentRequest

from .conftest import make_event, make_member

R = Registration.Status

pytestmark = pytest.mark.django_db


def _post(client, event, member, data):
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 200
    print("\n".join(q["sql"][:150] for q in queries))
    return response, [q["sql"] for q in queries]


def _under_lock(queries):
    """The statements from the event's row lock to the end of the registering transaction."""
    start = next(i for i, sql in enumerate(queries) if sql.startswith('SELECT "events_event"') and i > 2)
    end = max(i for i, sql in enumerate(queries) if sql.startswith(("RELEASE SAVEPOINT", "COMMIT")))
    return queries[start:end]


def test_a_waitlisted_child_costs_a_fixed_small_number_of_queries(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, photo_level="none")
    first = make_member(city)
    services.register(event=event, user=first.user, actor=first.user)
    member = make_member(city)
    response, queries = _post(client, event, member, {})
    registration = Registration.objects.get(member=member)
    assert registration.status == R.WAITLISTED
    assert "daftar tunggu nomor 1" in response.content.decode()
    assert AuditEntry.objects.filter(action="registration.create", object_id=str(registration.pk)).exists()
    # session, user, the event (with "asked questions?" and "registered already?"), the member
    # with their guardian; in the transaction: the event lock, the seat count, the registration,
    # its audit entry; the page's help panel (site, settings). Before: 20.
    assert len(queries) <= 12, "\n".join(q[:120] for q in queries)
    assert len(_under_lock(queries)) <= 4, "\n".join(q[:120] for q in _under_lock(queries))


def test_a_seated_child_costs_a_fixed_small_number_of_queries(client, city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, photo_level="none",
                       questions=[("Alergi makanan?", 30), ("Butuh pendamping?", 30)])
    q1, q2 = event.questions.all()
    member = make_member(city)
    response, queries = _post(client, event, member, {f"q_{q1.pk}": "Kacang", f"q_{q2.pk}": "Tidak"})
    registration = Registration.objects.get(member=member)
    assert registration.status == R.PENDING_CONSENT
    assert registration.consent_request == ConsentRequest.objects.get(member=member, purpose="event")
    assert Answer.objects.filter(registration=registration).count() == 2
    assert "Kursimu disimpan" in response.content.decode()
    # as above, plus the questions and, under the lock, the answers (one INSERT), the consent
    # request (text, request, audit entry, email, in a savepoint) and the link to it. Before: 30.
    assert len(queries) <= 21, "\n".join(q[:120] for q in queries)
    assert len(_under_lock(queries)) <= 12, "\n".join(q[:120] for q in _under_lock(queries))

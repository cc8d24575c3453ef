"""Invariant 2 against PostgreSQL: 200 children register at once for a 50-seat event; exactly 50
seats are held and 150 wait, with no error response. Cancelling 10 (through the ticket page, at
once) gives their seats to the first 10 on the waitlist, in order. Twenty rounds, the same result
each time. Every fourth round's registrations go through the real view over HTTP (Django's test
Client in threads); the others call the service that view calls, which keeps the test quick on
two cores. Each thread uses its own database connection and closes it."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from events import services
from events.models import Registration
from forumanak.membership.models import ConsentRequest

from .conftest import make_event, make_member

R = Registration.Status
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE, SEATS, ROUNDS, CANCEL, WORKERS = 200, 50, 20, 10, 40
HTTP_EVERY = 4  # every 4th round goes through the real view over HTTP; the others call its service


def _post(client, path, data):
    try:
        response = client.post(path, data)
        return response.status_code, response.content.decode()
    except Exception as exc:  # an exception is an error response too
        return 500, repr(exc)
    finally:
        connection.close()  # each request's thread opened its own connection


def _service(event, member):
    """What the view calls, for the rounds that skip the HTTP layer."""
    try:
        registration = services.register(event=event, user=member.user, actor=member.user)
        return 200, "Kamu di daftar tunggu" if registration.status == R.WAITLISTED else "Kursimu disimpan"
    except Exception as exc:
        return 500, repr(exc)
    finally:
        connection.close()


def test_200_concurrent_registrations_for_50_seats_twenty_times(city, consent_texts, monkeypatch):
    assert connection.vendor == "postgresql"
    # Emails are queued to the broker after commit, as in production, instead of being sent inline
    # by the test settings' synchronous django-q2 (which would measure email rendering, not seats).
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    members = [make_member(city, age=12 + i % 5) for i in range(PEOPLE)]
    clients = []
    for member in members:
        client = Client()
        client.force_login(member.user)
        clients.append(client)
    by_user = {m.user_id: c for m, c in zip(members, clients, strict=True)}
    forum = city["forums"]["64.71.01.1001"]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for round_number in range(ROUNDS):
            event = make_event(forum, capacity=SEATS, photo_level="none", slug=f"serentak-{round_number}")
            path = f"/kegiatan/{event.slug}/daftar/"
            if round_number % HTTP_EVERY == 0:
                results = list(pool.map(lambda c, path=path: _post(c, path, {}), clients))
            else:
                results = list(pool.map(lambda m, event=event: _service(event, m), members))

            # every request succeeded: registered (seat held) or waitlisted
            statuses = [status for status, _body in results]
            assert statuses == [200] * PEOPLE, [b[:300] for s, b in results if s != 200][:3]
            seat_pages = sum("Kursimu disimpan" in body for _s, body in results)
            wait_pages = sum("Kamu di daftar tunggu" in body for _s, body in results)
            assert (seat_pages, wait_pages) == (SEATS, PEOPLE - SEATS)

            registrations = Registration.objects.filter(event=event)
            assert registrations.filter(status=R.PENDING_CONSENT).count() == SEATS
            assert registrations.filter(status=R.WAITLISTED).count() == PEOPLE - SEATS
            assert registrations.count() == PEOPLE
            # one consent request per child holding a seat, none for the waitlist
            assert ConsentRequest.objects.filter(details__event=event.pk).count() == SEATS
            if round_number % HTTP_EVERY == 0:
                # the waitlist numbers shown are 1..150, each once
                positions = sorted(int(m.group(1)) for _s, body in results
                                   for m in [re.search(r"daftar tunggu nomor (\d+)", body)] if m)
                assert positions == list(range(1, PEOPLE - SEATS + 1))

            # 10 children with a seat cancel at the same time (through the ticket page)
            waitlist_before = list(registrations.filter(status=R.WAITLISTED).order_by("id").values_list("pk", flat=True))
            leaving = list(registrations.filter(status=R.PENDING_CONSENT).order_by("?")[:CANCEL])
            cancel_results = list(pool.map(
                lambda r: _post(by_user[r.user_id], f"/kegiatan/tiket/{r.code}/batal/", {"confirm": "yes"}), leaving
            ))
            assert [s for s, _b in cancel_results] == [302] * CANCEL

            assert registrations.filter(pk__in=[r.pk for r in leaving], status=R.CANCELLED).count() == CANCEL
            assert registrations.filter(status__in=Registration.SEAT_HOLDING).count() == SEATS
            promoted = list(registrations.filter(promoted_at__isnull=False).order_by("promoted_at", "id")
                            .values_list("pk", flat=True))
            assert promoted == waitlist_before[:CANCEL]  # the first ten, in order
            assert all(r.status == R.PENDING_CONSENT and r.consent_request_id
                       for r in registrations.filter(pk__in=promoted))
            assert list(registrations.filter(status=R.WAITLISTED).order_by("id").values_list("pk", flat=True)) == \
                waitlist_before[CANCEL:]

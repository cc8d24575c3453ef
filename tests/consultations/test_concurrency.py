"""Against PostgreSQL: concurrent submissions leave exactly one participation and one ballot
per member."""

import threading

import pytest
from django.db import connection

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Ballot, Participation
from tests.consultations.conftest import full_answers, make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait()
            job()
            result = "ok"
        except services.AlreadyVoted:
            result = "voted"
        except Exception as exc:  # noqa: BLE001
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_twenty_concurrent_submissions_by_one_member_leave_one_ballot(city, consultation):
    member = make_member(city)
    answers = full_answers(consultation)

    def vote():
        services.submit_ballot(consultation=consultation, member=member, answers=answers, actor=member.user)

    outcomes = run_concurrently([vote] * 20)
    assert outcomes.count("ok") == 1 and outcomes.count("voted") == 19, outcomes
    assert Participation.objects.count() == 1
    assert Ballot.objects.count() == 1
    assert Answer.objects.count() == len(Ballot.objects.get().answers.all()) == 5


def test_two_hundred_members_voting_concurrently_leave_two_hundred_ballots(city, consultation):
    members = [make_member(city, kelurahan=("64.71.01.1001", "64.71.02.1001")[i % 2]) for i in range(200)]
    answers = full_answers(consultation)

    def voter(member):
        return lambda: services.submit_ballot(consultation=consultation, member=member, answers=answers, actor=member.user)

    outcomes = run_concurrently([voter(m) for m in members])
    assert outcomes == ["ok"] * 200
    assert Participation.objects.count() == 200
    assert Ballot.objects.count() == 200
    assert Participation.objects.values("member").distinct().count() == 200

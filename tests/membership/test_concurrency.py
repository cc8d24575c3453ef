"""Two guardians' tabs (or a double tap) deciding at the same moment leave exactly one decision."""

import threading

import pytest
from django.db import connection

from forumanak.membership import services
from forumanak.membership.models import ConsentDecision, Member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_decisions_leave_exactly_one(applicant):
    member, _request, token = applicant
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(decision):
        try:
            barrier.wait()
            services.decide_by_link(token=token, purpose="membership", decision=decision,
                                    date_of_birth=member.date_of_birth, guardian_name="Wali", ip_address="10.0.0.2",
                                    user_agent="thread")
            outcomes.append("ok")
        except services.LinkProblem as problem:
            outcomes.append(problem.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("granted", "refused")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "used"]
    assert ConsentDecision.objects.filter(request__member=member).count() == 1
    member.refresh_from_db()
    decision = ConsentDecision.objects.get().decision
    assert member.status == (Member.Status.PENDING_REVIEW if decision == "granted" else Member.Status.WITHDRAWN)


def test_many_concurrent_decisions_leave_exactly_one(applicant):
    member, _request, token = applicant
    n = 10
    barrier = threading.Barrier(n)
    outcomes = []

    def decide():
        try:
            barrier.wait()
            services.decide_by_link(token=token, purpose="membership", decision="granted",
                                    date_of_birth=member.date_of_birth, guardian_name="Wali", ip_address="10.0.0.2",
                                    user_agent="thread")
            outcomes.append("ok")
        except services.LinkProblem as problem:
            outcomes.append(problem.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("used") == n - 1
    assert ConsentDecision.objects.count() == 1

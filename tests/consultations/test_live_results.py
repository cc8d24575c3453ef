"""Live results (issue 15 §2): a member (and a staff member) reads the live results after every
single vote and every refresh, and compares all the versions seen, and the final results, to
work out what the children who voted in between chose. It must find nothing.

The rule (on the consultation form): live figures appear only once at least the threshold of
children voted, and change only when at least the threshold of new ballots came in; a figure
that would let the new ballots be told apart stays hidden, in the later live versions and in
the final results (results.py ties each snapshot to every earlier one).

The attacker knows exactly which children voted between two readings (it watched them), and
takes from each reading what tests/consultations/attacker.py can work out of it alone (step 1
and 2 there). Across readings it uses that counts never go down and grow by at most the number
of new ballots. It has *derived* something when, for the children who voted between two
readings, all of them or none of them share a fact about their answer: all chose X, nobody
chose X, all put X first …
"""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forumanak.consultations import services, tasks
from forumanak.consultations.models import Consultation, ResultSnapshot
from tests.conftest import sign_in_with_second_factor
from tests.consultations.attacker import Attacker, Fact, read_results_page
from tests.consultations.conftest import make_consultation, make_member, make_staff
from tests.consultations.test_small_results import QUESTIONS, T, answers_for, truth_of

pytestmark = pytest.mark.django_db

VOTERS = 32


def place_counts(attacker, q, label, bounds):
    """From "ranked by n" and "p points" (both exact), the counts per place (K = 2)."""
    count, points = bounds.get(("row", q.pk, label)), attacker.facts.get(("points", q.pk, label))
    if count is None or points is None or count[0] != count[1] or q.top_k != 2:
        return {}
    first = points.value - count[0]
    return {("place", q.pk, label, 1): (first, first), ("place", q.pk, label, 2): (count[0] - first, count[0] - first)}


def knowledge(reading, consultation):
    """What the attacker knows from one reading alone: {key: (lo, hi)} for every overall count."""
    facts, truth, n = reading["facts"], reading["truth"], reading["n"]
    attacker = Attacker(consultation.questions.all(), facts, T, truth)
    attacker.attack()
    bounds = {}
    for key in truth:
        if key[0] in ("row", "answered"):
            bounds[key] = attacker.get(key) if key in facts else (0, n)
    for q in attacker.questions:
        if q.kind == "ranking":
            for label in q.choices:
                bounds.update(place_counts(attacker, q, label, bounds))
    return bounds


def differencing_attack(readings, consultation):
    """Every fact shared by all or none of the children who voted between two readings."""
    known = [knowledge(r, consultation) for r in readings]
    keys = set().union(*known)
    for bounds, reading in zip(known, readings, strict=True):
        for key in keys:
            bounds.setdefault(key, (0, reading["n"]))
    # counts never go down and grow by at most the new ballots: narrow every reading by the others
    changed = True
    while changed:
        changed = False
        for i, a in enumerate(readings):
            for j, b in enumerate(readings):
                if i >= j:
                    continue
                grow = b["n"] - a["n"]
                for key in keys:
                    (alo, ahi), (blo, bhi) = known[i][key], known[j][key]
                    new_a = (max(alo, blo - grow), min(ahi, bhi))
                    new_b = (max(blo, alo), min(bhi, ahi + grow))
                    if new_a != known[i][key] or new_b != known[j][key]:
                        known[i][key], known[j][key] = new_a, new_b
                        changed = True
    leaks = []
    for i, a in enumerate(readings):
        for j in range(i + 1, len(readings)):
            b = readings[j]
            batch = b["n"] - a["n"]
            if batch <= 0:
                continue
            for key in keys:
                (alo, ahi), (blo, bhi) = known[i][key], known[j][key]
                low, high = max(0, blo - ahi), min(batch, bhi - alo)
                if high <= 0 or low >= batch:
                    leaks.append((a["n"], b["n"], key, "nobody" if high <= 0 else "everyone"))
    return leaks


def read(client, consultation):
    page = client.get(reverse("consultations:results", args=[consultation.slug])).content.decode()
    snapshot = ResultSnapshot.objects.filter(consultation=consultation).first()
    return page, snapshot


@pytest.mark.parametrize("pattern", ["random", "friends alike"])
def test_live_results_cannot_be_differenced(client, city, django_capture_on_commit_callbacks, pattern):
    consultation = make_consultation(city["forums"]["city"], questions=QUESTIONS, results_policy="live")
    pembina = make_staff("pembina-live", city["forums"]["city"], "pembina")
    watcher = make_member(city, age=15)  # a member who reads the live results and does not vote
    rng = random.Random(2015)
    voters = [make_member(city, age=10 + i % 8, gender="PL"[i % 2], kelurahan=("64.71.01.1001", "64.71.02.1001")[i % 3 == 0])
              for i in range(VOTERS)]
    readings, published = [], []
    block = None
    for count, voter in enumerate(voters, start=1):
        if pattern == "random":
            answers = answers_for(consultation, rng)
        else:  # friends vote in sixes, each six alike: the new ballots of a refresh often agree
            if (count - 1) % 6 == 0:
                block = answers_for(consultation, rng)
            answers = block
        services.submit_ballot(consultation=consultation, member=voter, answers=answers, actor=voter.user)
        tasks.refresh_live_results()
        for reader in ("member", "staff"):
            if reader == "member":
                client.force_login(watcher.user)
            else:
                sign_in_with_second_factor(client, pembina)
            page, snapshot = read(client, consultation)
            if snapshot is None:
                assert "Hasil sementara muncul setelah paling sedikit 5 anak memberi suara" in page
                assert count < T
                continue
            assert not snapshot.is_final and "Menurut kecamatan" not in page
            facts = read_results_page(page)
            assert facts[("N",)] == Fact("exact", snapshot.ballot_count)
            if not published or published[-1] != snapshot.ballot_count:
                published.append(snapshot.ballot_count)
                readings.append({"n": snapshot.ballot_count, "facts": facts, "truth": truth_of(consultation)})
    # the rule: nothing before T votes, then only steps of at least T new ballots
    assert published[0] >= T
    assert all(b - a >= T for a, b in zip(published, published[1:], strict=False)), published
    assert len(published) >= 4  # the live results did move along
    assert len(ResultSnapshot.objects.get(consultation=consultation).history) == len(published)
    # the final results, compared with every live version
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    client.logout()
    page, snapshot = read(client, consultation)
    assert snapshot.is_final and snapshot.ballot_count == VOTERS
    facts = {k: v for k, v in read_results_page(page).items() if k[0] not in ("cell", "n")}
    readings.append({"n": VOTERS, "facts": facts, "truth": truth_of(consultation)})
    assert differencing_attack(readings, consultation) == []


def test_the_differencing_attacker_finds_a_single_new_vote(city):
    """Two readings one vote apart, every figure shown (as the live results were refreshed before
    issue 15): the attacker reads the friend's vote."""
    consultation = make_consultation(city["forums"]["city"], questions=QUESTIONS)
    q = {x.kind: x for x in consultation.questions.all()}
    before = {("row", q["single"].pk, "Taman"): 5, ("row", q["single"].pk, "Lapangan"): 3,
              ("row", q["single"].pk, "Perpustakaan"): 2}
    after = dict(before)
    after[("row", q["single"].pk, "Lapangan")] += 1
    readings = [{"n": n, "facts": {("N",): Fact("exact", n), **{k: Fact("exact", v) for k, v in counts.items()}},
                 "truth": {("N",): n, **counts}} for n, counts in ((10, before), (11, after))]
    leaks = differencing_attack(readings, consultation)
    assert (10, 11, ("row", q["single"].pk, "Lapangan"), "everyone") in leaks
    assert (10, 11, ("row", q["single"].pk, "Taman"), "nobody") in leaks

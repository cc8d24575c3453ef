"""A stored ballot cannot be joined back to the member (issue 15 §3): no key to the member, no
time finer than the date, and no stored order shared with the participations — not in the
physical order of the rows (what ``pg_dump`` writes, and SQLite's ``rowid``), not in any id.

The attack: 50 members vote one by one. From a plain dump (``pg_dump`` on PostgreSQL, the
database file read with Python's sqlite3 module on SQLite) the attacker lines the ballots up by
every order it can find (their place in the dump or the file, their id, the first place or id of
their answers, the date) against the participations in every order it can find (their place,
their id, the date), and pairs the i-th ballot with the i-th voter.

The statistic: for each pair of orders, Spearman's rank correlation rho between a ballot's
position and its true voter's position, and the number of exact matches (the i-th ballot is the
i-th voter's). Chance level: for a random order of 50, rho is about normal with standard
deviation 1/7, so P(|rho| ≥ 0.6) ≈ 3e-5; the exact matches are about Poisson(1), so
P(matches ≥ 8) ≈ 1e-5. The test fails if any pair of orders reaches |rho| ≥ 0.6 or 8 matches.
With at most a few dozen pairs of orders per run, a correct mechanism fails it with probability
below 1e-3 (the mixing uses the operating system's randomness, so that is not seeded; the test's
own choices are). Before issue 15 every order gave rho = 1 and 50 matches out of 50.

During voting, ballots younger than the mixing window (a minute: the task that empties the box)
are still in voting order; they are marked and left out of the statistic, and the test shows the
attacker could pair them (that is what the window is).
"""

import math
import random
import re
import sqlite3
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, models
from django.utils import timezone

from forumanak.consultations import services, tasks
from forumanak.consultations.models import Answer, Ballot, Consultation, Participation, ResultSnapshot
from forumanak.membership.models import Member
from tests.conftest import subprocess_database_url
from tests.consultations.conftest import full_answers, make_consultation, make_member

RHO_BOUND = 0.6
MATCH_BOUND = 8
VOTERS = 50
LATE = 3  # votes after the last mixing: still in the box


@pytest.mark.django_db
def test_ballot_has_no_key_to_a_person_and_no_time():
    for model in (Ballot, Answer, Participation):
        for field in model._meta.get_fields():
            if model is not Participation:
                related = getattr(field, "related_model", None)
                assert related not in (Member, Participation), f"{model.__name__}.{field.name}"
                assert related is None or related._meta.label not in ("core.User",) or field.name == "moderated_by", field
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name} holds a time"
    for model in (Ballot, Answer):
        assert not any(isinstance(f, models.AutoField | models.BigAutoField) for f in model._meta.fields), model
    assert isinstance(Ballot._meta.pk, models.UUIDField) and isinstance(Answer._meta.pk, models.UUIDField)
    assert [f.name for f in Ballot._meta.concrete_fields] == ["id", "consultation", "age_band", "gender", "kecamatan_code",
                                                              "voted_on", "mixed"]


@pytest.mark.django_db
def test_the_snapshot_on_the_ballot_is_coarse(city, consultation):
    member = make_member(city, age=16, gender="L", kelurahan="64.71.01.1002")
    ballot = services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                                    actor=member.user)
    ballot.refresh_from_db()
    assert (ballot.age_band, ballot.gender, ballot.kecamatan_code) == ("16-17", "L", "64.71.01")
    assert member.date_of_birth.isoformat() not in str(Ballot.objects.filter(pk=ballot.pk).values().get())
    assert "1002" not in ballot.kecamatan_code  # the kelurahan is not kept
    assert Participation.objects.get().voted_on == timezone.localdate()


# ---- reading a dump ---------------------------------------------------------------------------------


def pg_dump():
    """{table: [row as {column: value}]} in the order ``pg_dump`` writes them."""
    binary = next(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), None) or "pg_dump"
    tables = ["consultations_participation", "consultations_ballot", "consultations_answer"]
    args = [str(binary), "--data-only", "--no-owner", *[f"--table={t}" for t in tables], subprocess_database_url()]
    text = subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout
    found = {}
    for table, columns, body in re.findall(r"COPY public\.(\w+) \((.*?)\) FROM stdin;\n(.*?)\n\\\.", text, re.S):
        names = [c.strip().strip('"') for c in columns.split(",")]
        found[table] = [dict(zip(names, line.split("\t"), strict=True)) for line in body.splitlines() if line]
    return found


def sqlite_dump():
    """The same from the SQLite file, with each row's rowid (its place in the file's b-tree)."""
    db = sqlite3.connect(f"file:{connection.settings_dict['NAME']}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    found = {}
    for table in ("consultations_participation", "consultations_ballot", "consultations_answer"):
        found[table] = [{k: str(row[k]) for k in row.keys()} for row in db.execute(f"SELECT rowid AS rowid_, * FROM {table}")]
    db.close()
    return found


def dump():
    return pg_dump() if connection.vendor == "postgresql" else sqlite_dump()


def ballot_orders(rows, consultation_id):
    """Every order of the consultation's ballot ids an attacker can read off the dump."""
    ballots = [r for r in rows["consultations_ballot"] if r["consultation_id"] == str(consultation_id)]
    ids = {r["id"] for r in ballots}
    answers = [r for r in rows["consultations_answer"] if r["ballot_id"] in ids]
    orders = {
        "ballots as dumped": [r["id"] for r in ballots],
        "ballot id": sorted(ids),
        "answers as dumped": list(dict.fromkeys(r["ballot_id"] for r in answers)),
        "answer id": list(dict.fromkeys(r["ballot_id"] for r in sorted(answers, key=lambda r: r["id"]))),
        "date": [r["id"] for r in sorted(ballots, key=lambda r: r["voted_on"])],
    }
    if "rowid_" in ballots[0]:
        orders["ballot rowid"] = [r["id"] for r in sorted(ballots, key=lambda r: int(r["rowid_"]))]
        orders["answer rowid"] = list(dict.fromkeys(r["ballot_id"] for r in sorted(answers, key=lambda r: int(r["rowid_"]))))
    return orders


def participation_orders(rows, consultation_id):
    found = [r for r in rows["consultations_participation"] if r["consultation_id"] == str(consultation_id)]
    return {
        "participations as dumped": [r["member_id"] for r in found],
        "participation id": [r["member_id"] for r in sorted(found, key=lambda r: int(r["id"]))],
        # the date (before issue 15: the exact time)
        "participation date": [r["member_id"] for r in sorted(found, key=lambda r: (r.get("voted_on") or r["created_at"],
                                                                                     r["member_id"]))],
    }


def shared_transactions(consultation):
    """PostgreSQL: how many ballots were written by the transaction that wrote a participation
    (``xmin``, which a database administrator can read, though a dump does not hold it)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consultations_ballot b JOIN consultations_participation p "
                       "ON p.xmin = b.xmin AND p.consultation_id = b.consultation_id WHERE b.consultation_id = %s",
                       [consultation.pk])
        return cursor.fetchone()[0]


def spearman(xs, ys):
    n = len(xs)
    d2 = sum((x - y) ** 2 for x, y in zip(xs, ys, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def best_pairing(rows, consultation_id, voter_of, only):
    """The strongest pairing of ballots with voters over all orders, on the ballots in ``only``:
    (|rho|, matches, the orders used)."""
    best = (0.0, 0, None)
    for b_name, b_order in ballot_orders(rows, consultation_id).items():
        b_order = [b for b in b_order if b in only]
        for p_name, p_order in participation_orders(rows, consultation_id).items():
            p_order = [m for m in p_order if m in {voter_of[b] for b in only}]
            position = {m: i for i, m in enumerate(p_order)}
            xs = list(range(len(b_order)))
            ys = [position[voter_of[b]] for b in b_order]
            rho = abs(spearman(xs, ys))
            matches = sum(1 for x, y in zip(xs, ys, strict=True) if x == y)
            if (rho, matches) > best[:2]:
                best = (rho, matches, (b_name, p_name))
    return best


# ---- the attack -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_dump_does_not_pair_ballots_with_voters(city, django_capture_on_commit_callbacks):
    rng = random.Random(3150)
    consultation = make_consultation(city["forums"]["city"])
    members = [make_member(city, age=rng.randint(10, 17), gender=rng.choice("PL"),
                           kelurahan=rng.choice(["64.71.01.1001", "64.71.01.1002", "64.71.02.1001"]))
               for _ in range(VOTERS + LATE)]
    voter_of = {}
    for member in members[:VOTERS]:
        ballot = services.submit_ballot(consultation=consultation, member=member, actor=member.user,
                                        answers=full_answers(consultation, single=rng.randrange(3), scale=rng.randrange(5),
                                                             text="ide" if rng.random() < 0.3 else ""))
        voter_of[str(ballot.id).replace("-", "") if connection.vendor == "sqlite" else str(ballot.id)] = str(member.pk)
    # before any mixing, the dump gives the voting order away: the attack works
    rows = dump()
    rho, matches, _orders = best_pairing(rows, consultation.pk, voter_of, set(voter_of))
    assert rho > 0.99 and matches == VOTERS
    assert shared_transactions(consultation) in (None, VOTERS)
    # the task that empties the box runs (every minute); then a few more children vote
    assert tasks.mix_ballot_boxes() == 1
    late = {}
    for member in members[VOTERS:]:
        ballot = services.submit_ballot(consultation=consultation, member=member, actor=member.user,
                                        answers=full_answers(consultation))
        late[str(ballot.id).replace("-", "") if connection.vendor == "sqlite" else str(ballot.id)] = str(member.pk)
    voter_of.update(late)
    rows = dump()
    mixed = {r["id"] for r in rows["consultations_ballot"] if r["mixed"] in ("t", "1", "True")}
    assert mixed == set(voter_of) - set(late)
    rho, matches, orders = best_pairing(rows, consultation.pk, voter_of, mixed)
    assert rho < RHO_BOUND and matches < MATCH_BOUND, (rho, matches, orders)
    # on PostgreSQL a mixed ballot no longer shares its writing transaction (xmin) with the vote
    assert shared_transactions(consultation) in (None, LATE)
    # (the few in the box are still in voting order: that is the mixing window)
    assert best_pairing(rows, consultation.pk, voter_of, set(late))[1] == LATE
    # closing mixes them all once more
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    rows = dump()
    assert all(r["mixed"] in ("t", "1", "True") for r in rows["consultations_ballot"])
    rho, matches, orders = best_pairing(rows, consultation.pk, voter_of, set(voter_of))
    assert rho < RHO_BOUND and matches < MATCH_BOUND, (rho, matches, orders)
    # nothing was lost or changed on the way
    assert Ballot.objects.filter(consultation=consultation).count() == VOTERS + LATE
    assert Answer.objects.filter(ballot__consultation=consultation).count() == sum(
        len(r) for r in [rows["consultations_answer"]])
    assert len({r["id"] for r in rows["consultations_answer"]}) == len(rows["consultations_answer"])


def test_spearman_bound_is_far_in_the_tail():
    """The bound's false-failure probability, checked by simulation rather than trusted: in
    20,000 random orders of 50 none reaches |rho| ≥ 0.6 or 8 matches (expected: about 0.6 and 0.2)."""
    rng = random.Random(15)
    worst_rho = worst_matches = 0
    for _ in range(20_000):
        order = list(range(VOTERS))
        rng.shuffle(order)
        worst_rho = max(worst_rho, abs(spearman(list(range(VOTERS)), order)))
        worst_matches = max(worst_matches, sum(1 for i, v in enumerate(order) if i == v))
    assert worst_rho < RHO_BOUND and worst_matches < MATCH_BOUND
    assert 1 / math.sqrt(VOTERS - 1) < 0.15  # the standard deviation used in the docstring


@pytest.mark.django_db
def test_mixing_keeps_every_ballot_answer_and_flag(city, consultation):
    """The rewrite changes where rows are, nothing else: ids, answers, moderation and the
    safeguarding flags that point at answers survive it."""
    members = [make_member(city) for _ in range(6)]
    for i, member in enumerate(members):
        services.submit_ballot(consultation=consultation, member=member, actor=member.user,
                               answers=full_answers(consultation, text=f"Ide {i}"))
    answer = Answer.objects.get(text="Ide 3")
    staff = members[0].user
    services.moderate_answer(answer=answer, actor=staff, moderation="approved", featured=True, quote="Ide tiga")
    flag_answer = Answer.objects.get(text="Ide 4")
    flag = services.flag_answer(answer=flag_answer, actor=staff, reason="perlu dicek")
    before_b = sorted(Ballot.objects.values_list("id", "age_band", "gender", "kecamatan_code", "voted_on"))
    before_a = sorted(Answer.objects.values_list("id", "ballot_id", "question_id", "choice", "rank", "text", "moderation",
                                                 "featured", "quote"))
    assert services.mix_ballots(consultation_id=consultation.pk) == 6
    assert services.mix_ballots(consultation_id=consultation.pk) == 6  # idempotent
    assert sorted(Ballot.objects.values_list("id", "age_band", "gender", "kecamatan_code", "voted_on")) == before_b
    assert sorted(Answer.objects.values_list("id", "ballot_id", "question_id", "choice", "rank", "text", "moderation",
                                             "featured", "quote")) == before_a
    assert not Ballot.objects.filter(mixed=False).exists()
    flag.refresh_from_db()
    assert flag.answer_id == flag_answer.pk
    assert services.mix_ballot_boxes() == 0  # an empty box: nothing to do
    other = make_consultation(city["forums"]["city"])
    services.submit_ballot(consultation=other, member=members[0], actor=staff, answers=full_answers(other))
    assert services.mix_ballot_boxes() == 1
    assert Ballot.objects.filter(consultation=consultation).count() == 6


@pytest.mark.django_db(transaction=True)
def test_the_migrations_mix_ballots_stored_before_and_keep_only_the_date(city):
    """Existing data: ballots written in voting order before the ballot box existed are
    rewritten in id order, and each participation keeps its (local) date."""
    from django.db.migrations.executor import MigrationExecutor

    before, latest = ("consultations", "0004_answer_partial_indexes"), ("consultations", "0007_mix_existing_ballots")
    members = [make_member(city) for _ in range(20)]
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        apps = executor.loader.project_state([before]).apps
        Consultation_ = apps.get_model("consultations", "Consultation")
        now = timezone.now()
        old = Consultation_.objects.create(slug="lama", title="Lama", summary="-", cluster=4, forum_id=city["forums"]["city"].pk,
                                           opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1),
                                           status="closed", published_at=now - timedelta(days=4),
                                           closed_at=now - timedelta(days=1),
                                           min_age=10, max_age=17, results_policy="after_close", created_at=now,
                                           updated_at=now)
        question = apps.get_model("consultations", "Question").objects.create(
            consultation=old, sort_order=0, kind="single", prompt="?", choices_text="A\nB", required=True, max_length=500)
        late_evening = timezone.make_aware(datetime(2026, 3, 1, 23, 30))
        for i, member in enumerate(members):  # participation, ballot and answer, one vote after the other
            apps.get_model("consultations", "Participation").objects.create(consultation=old, member_id=member.pk,
                                                                            created_at=late_evening)
            ballot = apps.get_model("consultations", "Ballot").objects.create(
                id=uuid.uuid4(), consultation=old, age_band="13-15", gender="P", kecamatan_code="64.71.01",
                voted_on=late_evening.date())
            apps.get_model("consultations", "Answer").objects.create(id=uuid.uuid4(), ballot=ballot, question=question,
                                                                     choice=i % 2)
        apps.get_model("consultations", "ResultSnapshot").objects.create(  # counted by the old rules (zeros shown)
            consultation=old, computed_at=now, is_final=True, ballot_count=20, threshold=5, public={}, raw={})
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([latest])
    assert set(Participation.objects.values_list("voted_on", flat=True)) == {timezone.localdate(late_evening)}
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM consultations_ballot ORDER BY {order}")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT id FROM consultations_answer ORDER BY {order}")
        answers = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 20 and stored == sorted(stored) and answers == sorted(answers)
    assert Ballot.objects.filter(mixed=True).count() == 20 and Answer.objects.count() == 20
    # the old snapshot is gone; the safety net counts again by the new rules
    assert not ResultSnapshot.objects.exists()
    tasks.close_due_consultations()
    assert ResultSnapshot.objects.get().public["total"] == {"v": 20, "s": None}


@pytest.mark.django_db
def test_the_box_is_emptied_every_minute_and_a_large_consultation_less_often(city, consultation, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "MIX_BALLOTS_PER_MINUTE", 10)  # 30 ballots count as "large": every 3 minutes
    members = [make_member(city) for _ in range(31)]
    for member in members[:30]:
        services.submit_ballot(consultation=consultation, member=member, actor=member.user, answers=full_answers(consultation))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.mix_ballot_boxes(now=now) == 1  # a first mixing at once
    assert len(callbacks) == 1 and not Ballot.objects.filter(mixed=False).exists()
    services.submit_ballot(consultation=consultation, member=members[30], actor=members[30].user,
                           answers=full_answers(consultation))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mix_ballot_boxes(now=now + timedelta(minutes=1)) == 0
        assert services.mix_ballot_boxes(now=now + timedelta(minutes=2)) == 0
    assert Ballot.objects.filter(mixed=False).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mix_ballot_boxes(now=now + timedelta(minutes=3)) == 1
    assert not Ballot.objects.filter(mixed=False).exists()
    monkeypatch.setattr(services, "MIX_BALLOTS_PER_MINUTE", 20_000)  # as deployed: every minute up to 20,000
    services.submit_ballot(consultation=consultation, member=make_member(city), actor=members[0].user,
                           answers=full_answers(consultation))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mix_ballot_boxes(now=now + timedelta(minutes=4)) == 1

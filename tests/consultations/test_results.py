"""Closing and results: the snapshot is counted by SQL aggregation and equals an independent
count; the results page reads the snapshot (constant queries), hides small groups and shows
the government's answer."""

import random
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forumanak.consultations import results, services, tasks
from forumanak.consultations.models import Answer, Ballot, Consultation, GovernmentResponse, ResultSnapshot
from forumanak.consultations.suppression import HIDDEN, SMALL
from tests.consultations.attacker import recovered
from tests.consultations.conftest import full_answers, make_consultation, make_member, questions_of

pytestmark = pytest.mark.django_db

KECAMATAN = ["64.71.01", "64.71.02"]


def generate(consultation, n, seed):
    """n random ballots written straight to the tables; returns what was generated."""
    rng = random.Random(seed)
    q = questions_of(consultation)
    generated = []
    answers = []
    for _ in range(n):
        snap = (rng.choice(["10-12", "13-15", "16-17"]), rng.choice("PL"), rng.choice(KECAMATAN))
        ballot = Ballot.objects.create(id=uuid.uuid4(), consultation=consultation, age_band=snap[0], gender=snap[1],
                                       kecamatan_code=snap[2], voted_on=timezone.localdate())
        single = rng.randrange(3)
        multiple = rng.sample(range(4), rng.randint(1, 2))
        ranking = rng.sample(range(3), 2)
        scale = rng.randrange(5)
        text = rng.random() < 0.4
        generated.append({"snap": snap, "single": single, "multiple": multiple, "ranking": ranking, "scale": scale,
                          "text": text})
        answers += [Answer(id=uuid.uuid4(), ballot=ballot, question=q["single"], choice=single),
                    Answer(id=uuid.uuid4(), ballot=ballot, question=q["scale"], choice=scale)]
        answers += [Answer(id=uuid.uuid4(), ballot=ballot, question=q["multiple"], choice=c) for c in multiple]
        answers += [Answer(id=uuid.uuid4(), ballot=ballot, question=q["ranking"], choice=c, rank=r)
                    for r, c in enumerate(ranking, start=1)]
        if text:
            answers.append(Answer(id=uuid.uuid4(), ballot=ballot, question=q["text"], text="ide", moderation="pending"))
    Answer.objects.bulk_create(answers)
    return generated


@pytest.mark.parametrize("seed, n", [(1, 23), (2, 61), (3, 140)])
def test_snapshot_equals_an_independent_count(city, seed, n):
    consultation = make_consultation(city["forums"]["city"])
    generated = generate(consultation, n, seed)
    public, raw = results.compute(consultation)
    q = questions_of(consultation)
    assert raw["total"] == n
    dims = {"age_band": 0, "gender": 1, "kecamatan": 2}
    for dim, index in dims.items():
        assert raw["groups"][dim] == dict(Counter(g["snap"][index] for g in generated))
    single = raw["questions"][str(q["single"].pk)]
    for choice in range(3):
        assert single[str(choice)] == sum(1 for g in generated if g["single"] == choice)
        for dim, index in dims.items():
            for group, count in single["by"][dim][str(choice)].items():
                assert count == sum(1 for g in generated if g["single"] == choice and g["snap"][index] == group)
    multiple = raw["questions"][str(q["multiple"].pk)]
    for choice in range(4):
        assert multiple[str(choice)] == sum(1 for g in generated if choice in g["multiple"])
        for group, count in multiple["by"]["gender"][str(choice)].items():
            assert count == sum(1 for g in generated if choice in g["multiple"] and g["snap"][1] == group)
    ranking = raw["questions"][str(q["ranking"].pk)]
    for choice in range(3):
        assert ranking[str(choice)] == sum(1 for g in generated if choice in g["ranking"])
        expected_points = sum(2 - g["ranking"].index(choice) for g in generated if choice in g["ranking"])
        assert ranking["points"].get(str(choice), 0) == expected_points
    scale = raw["questions"][str(q["scale"].pk)]
    assert [scale[str(i)] for i in range(5)] == [sum(1 for g in generated if g["scale"] == i) for i in range(5)]
    assert raw["questions"][str(q["text"].pk)]["answered"] == sum(1 for g in generated if g["text"])
    # what is public agrees with the raw counts wherever it shows a number
    for entry in public["questions"]:
        for row in entry.get("rows", []):
            if row["s"] is None:
                assert row["v"] == raw["questions"][str(entry["id"])][str(row["choice"] if row["choice"] is not None else "none")]
            else:
                assert row["v"] is None  # a hidden value is not stored in the public snapshot at all


@pytest.mark.parametrize("seed, n", [(4, 17), (5, 38)])
def test_no_hidden_value_of_a_real_snapshot_can_be_recovered(city, seed, n):
    consultation = make_consultation(city["forums"]["city"])
    generate(consultation, n, seed)
    questions = list(consultation.questions.all())
    ballots = results.count_ballots(consultation.pk)
    variables = results.build_variables(questions, ballots, results.count_answers(consultation.pk))
    tables, values, _groups = results.build_tables(variables, ballots)
    fixed = {("N",): (n, n)}  # the number of children is known
    status = results.suppress(tables, values, 5, fixed=fixed)
    assert any(s == SMALL for s in status.values())
    assert recovered(tables, values, status, 5, fixed=fixed) == set()
    for key, value in values.items():
        if 1 <= value < 5:
            assert status.get(key) == SMALL


def test_snapshot_takes_the_same_queries_for_any_number_of_ballots(city):
    small = make_consultation(city["forums"]["city"])
    generate(small, 5, 7)
    large = make_consultation(city["forums"]["city"])
    generate(large, 150, 8)
    with CaptureQueriesContext(connection) as few:
        results.store_snapshot(small.pk, final=True)
    with CaptureQueriesContext(connection) as many:
        results.store_snapshot(large.pk, final=True)
    assert len(few) == len(many)
    aggregates = [q["sql"] for q in many if "COUNT(" in q["sql"].upper() and "GROUP BY" in q["sql"].upper()]
    assert len(aggregates) == 2  # ballots per group, answers per group: counted by the database
    assert not any('"consultations_answer"."id"' in q["sql"] and "GROUP BY" not in q["sql"].upper() for q in many)


def _closed_with_results(city, n=40, seed=9):
    now = timezone.now()
    consultation = make_consultation(city["forums"]["city"], opens=now - timedelta(days=3), closes=now - timedelta(minutes=5),
                                     title="Sekolah ramah anak")
    generate(consultation, n, seed)
    return consultation


def test_closing_task_closes_and_computes_the_final_snapshot(city, django_capture_on_commit_callbacks):
    consultation = _closed_with_results(city)
    open_one = make_consultation(city["forums"]["city"])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_due_consultations() == 1
    consultation.refresh_from_db()
    open_one.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED and consultation.closed_at is not None
    assert open_one.status == Consultation.Status.PUBLISHED
    snapshot = ResultSnapshot.objects.get(consultation=consultation)
    assert snapshot.is_final and snapshot.ballot_count == 40
    # idempotent: running again changes nothing and keeps one snapshot
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_due_consultations() == 0
        assert tasks.compute_results(consultation.pk) == "ok"
    assert ResultSnapshot.objects.filter(consultation=consultation).count() == 1


def test_results_page_reads_the_snapshot_in_few_queries(client, city, django_capture_on_commit_callbacks,
                                                        django_assert_max_num_queries):
    consultation = _closed_with_results(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    GovernmentResponse.objects.create(consultation=consultation, recommendation="Toilet sekolah bersih",
                                      action="Perbaikan toilet di 20 sekolah", status="in_progress", agency="Dinas Pendidikan")
    answer = Answer.objects.filter(choice__isnull=True).first()
    Answer.objects.filter(pk=answer.pk).update(moderation="approved", featured=True, quote="Toilet harus bersih!")
    url = reverse("consultations:results", args=[consultation.slug])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    client.force_login(make_member(city).user)
    with django_assert_max_num_queries(10):
        client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "40 anak ikut memberi suara" in text
    assert "disembunyikan untuk melindungi anak-anak" in text  # small groups (e.g. by kecamatan and age) are hidden
    assert "Kamu bilang, kami lakukan" in text and "Perbaikan toilet di 20 sekolah" in text and "sedang dikerjakan" in text
    assert "Toilet harus bersih!" in text
    assert "ide" not in text.split("Kata anak-anak")[0]  # raw open answers never shown
    # the page does not recount: new ballots do not change it until the snapshot is recomputed
    generate(consultation, 10, 99)
    assert "40 anak ikut memberi suara" in client.get(url).content.decode()


def test_results_hidden_before_closing_unless_live(client, city):
    consultation = make_consultation(city["forums"]["city"])
    member = make_member(city)
    services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)
    url = reverse("consultations:results", args=[consultation.slug])
    page = client.get(url).content.decode()
    assert "Hasil akan ditampilkan setelah konsultasi ditutup" in page
    live = make_consultation(city["forums"]["city"], results_policy="live")
    tasks.refresh_live_results()
    live_url = reverse("consultations:results", args=[live.slug])
    assert "Hasil akan ditampilkan" in client.get(live_url).content.decode()  # not for visitors
    client.force_login(member.user)
    shown = client.get(live_url)
    assert "Hasil sementara" in shown.content.decode()
    assert shown["Cache-Control"] == "private, no-store"
    assert "Menurut kecamatan" not in shown.content.decode()  # no breakdown while voting goes on
    outsider = make_member(city, kelurahan="64.71.02.1001")
    scoped = make_consultation(city["forums"]["64.71.01"], results_policy="live")
    tasks.refresh_live_results()
    client.force_login(outsider.user)
    assert "Hasil akan ditampilkan" in client.get(reverse("consultations:results", args=[scoped.slug])).content.decode()


def test_suppressed_cells_render_alike(client, city, django_capture_on_commit_callbacks):
    consultation = _closed_with_results(city, n=12, seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    snapshot = ResultSnapshot.objects.get()
    states = [cell["s"] for q in snapshot.public["questions"] for rows in q["breakdown"].values() for r in rows
              for cell in r["cells"]]
    assert SMALL in states
    assert all(s in (None, SMALL, HIDDEN) for s in states)
    page = client.get(reverse("consultations:results", args=[consultation.slug])).content.decode()
    assert "disembunyikan untuk melindungi anak-anak" in page
    assert "&lt;5" not in page and "kurang dari 5, disembunyikan" not in page  # a small count looks like any hidden one


def test_missing_final_results_are_computed_again(city, django_capture_on_commit_callbacks):
    now = timezone.now()
    consultation = make_consultation(city["forums"]["city"], status="closed", opens=now - timedelta(days=3),
                                     closes=now - timedelta(hours=1))
    generate(consultation, 6, 1)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.close_due_consultations()
    assert ResultSnapshot.objects.get(consultation=consultation).ballot_count == 6


def test_anonymous_visitors_get_public_results_and_the_listing_from_the_page_cache(client, city,
                                                                                  django_capture_on_commit_callbacks):
    consultation = _closed_with_results(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    url = reverse("consultations:results", args=[consultation.slug])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get("/konsultasi/")["X-Page-Cache"] == "miss"
    assert client.get("/konsultasi/")["X-Page-Cache"] == "hit"
    client.force_login(make_member(city).user)  # a signed-in member never gets a cached page
    assert "X-Page-Cache" not in client.get(url) and "X-Page-Cache" not in client.get("/konsultasi/")


def test_results_not_yet_public_are_never_cached(client, city):
    consultation = make_consultation(city["forums"]["city"])  # open, results after closing
    url = reverse("consultations:results", args=[consultation.slug])
    client.get(url)
    response = client.get(url)
    assert "X-Page-Cache" not in response and response["Cache-Control"] == "private, no-store"

#!/usr/bin/env python
"""Benchmark: the results snapshot of a consultation with 1,000,000 ballots, on PostgreSQL.

    bash scripts/with_postgres.sh .venv/bin/python bench/consultations_snapshot.py [--ballots N] [--xlsx]

It migrates the (throwaway) database named by DATABASE_URL, writes the ballots and their answers
with INSERT … SELECT generate_series (in the database, fast), then times
  1. the snapshot task (SQL aggregation + small-cell suppression), with its query count;
  2. the results page (Django test client), with its query count;
  3. streaming the anonymous-ballot CSV download, with the process's peak memory.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forumanak.settings.test")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--xlsx", action="store_true", help="also time the XLSX ballot download (slow)")
    parser.add_argument("--no-csv", action="store_true", help="skip the ballot CSV download")
    args = parser.parse_args()

    from _django import setup_postgres

    setup_postgres("consultations_snapshot.py")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from forumanak.consultations import exports, results, services
    from forumanak.consultations.models import Consultation, Question
    from forumanak.core.models import User
    from forumanak.membership.models import Forum, StaffAssignment
    from forumanak.regions.models import Region

    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPU, load {os.getloadavg()[0]:.1f}; {args.ballots:,} ballots")
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": 0})[0]
    city = Region.objects.get_or_create(code="64.71", defaults={"name": "Kota Balikpapan", "level": 1, "parent": prov})[0]
    kecamatan = []
    for i in range(1, 7):
        code = f"64.71.0{i}"
        Region.objects.get_or_create(code=code, defaults={"name": f"Kecamatan {i}", "level": 2, "parent": city})
        kecamatan.append(code)
    forum = Forum.objects.get_or_create(region=city, defaults={"name": "Forum Anak Kota Balikpapan", "slug": "kota", "level": 1})[0]
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=f"bench-{int(time.time())}", title="Benchmark", summary="-", cluster=4, forum=forum,
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1), status="closed",
        published_at=now - timedelta(days=11), closed_at=now,
    )
    specs = [
        ("single", {"choices_text": "A\nB\nC"}),
        ("multiple", {"choices_text": "A\nB\nC\nD", "max_choices": 2}),
        ("ranking", {"choices_text": "A\nB\nC", "top_k": 2}),
        ("scale", {}),
        ("text", {"required": False}),
    ]
    q = {}
    for index, (kind, extra) in enumerate(specs):
        q[kind] = Question.objects.create(consultation=consultation, kind=kind, prompt=f"Pertanyaan {kind}", sort_order=index,
                                          **extra).pk

    kec_array = "ARRAY[" + ",".join(f"'{k}'" for k in kecamatan) + "]"
    statements = [
        ("ballots", f"""
            INSERT INTO consultations_ballot (id, consultation_id, age_band, gender, kecamatan_code, voted_on, mixed)
            SELECT gen_random_uuid(), %(c)s,
                   (ARRAY['10-12','13-15','16-17'])[1 + floor(random() * 3)::int],
                   (ARRAY['P','L'])[1 + floor(random() * 2)::int],
                   ({kec_array})[1 + floor(random() * 6)::int],
                   current_date - floor(random() * 10)::int, true
            FROM generate_series(1, %(n)s)"""),
        ("single + scale answers", """
            INSERT INTO consultations_answer (id, ballot_id, question_id, choice, rank, text, moderation, featured, quote)
            SELECT gen_random_uuid(), b.id, q.id,
                   CASE WHEN q.kind = 'single' THEN floor(random() * 3)::int ELSE floor(random() * 5)::int END,
                   NULL, '', '', false, ''
            FROM consultations_ballot b CROSS JOIN consultations_question q
            WHERE b.consultation_id = %(c)s AND q.id IN (%(single)s, %(scale)s)"""),
        ("multiple-choice answers", """
            WITH picks AS (
                SELECT id, floor(random() * 4)::int AS a, 1 + floor(random() * 3)::int AS step, random() < 0.5 AS two
                FROM consultations_ballot WHERE consultation_id = %(c)s)
            INSERT INTO consultations_answer (id, ballot_id, question_id, choice, rank, text, moderation, featured, quote)
            SELECT gen_random_uuid(), id, %(multiple)s, a, NULL::smallint, '', '', false, '' FROM picks
            UNION ALL
            SELECT gen_random_uuid(), id, %(multiple)s, (a + step) %% 4, NULL::smallint, '', '', false, '' FROM picks WHERE two"""),
        ("ranking answers", """
            WITH picks AS (
                SELECT id, floor(random() * 3)::int AS a, 1 + floor(random() * 2)::int AS step
                FROM consultations_ballot WHERE consultation_id = %(c)s)
            INSERT INTO consultations_answer (id, ballot_id, question_id, choice, rank, text, moderation, featured, quote)
            SELECT gen_random_uuid(), id, %(ranking)s, a, 1, '', '', false, '' FROM picks
            UNION ALL
            SELECT gen_random_uuid(), id, %(ranking)s, (a + step) %% 3, 2, '', '', false, '' FROM picks"""),
        ("open-text answers (5 %)", """
            INSERT INTO consultations_answer (id, ballot_id, question_id, choice, rank, text, moderation, featured, quote)
            SELECT gen_random_uuid(), id, %(text)s, NULL, NULL, 'ide', 'pending', false, ''
            FROM consultations_ballot WHERE consultation_id = %(c)s AND random() < 0.05"""),
    ]
    params = {"c": consultation.pk, "n": args.ballots, **q}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # bulk seeding only: skip the foreign-key triggers (the rows are made consistent here)
        cursor.execute("SET session_replication_role = replica")
        for label, sql in statements:
            t0 = time.perf_counter()
            cursor.execute(sql, params)
            print(f"  seeded {label}: {cursor.rowcount:,} rows in {time.perf_counter() - t0:.1f} s")
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE consultations_ballot; ANALYZE consultations_answer;")
        cursor.execute("SELECT count(*) FROM consultations_answer a JOIN consultations_ballot b ON b.id = a.ballot_id "
                       "WHERE b.consultation_id = %s", [consultation.pk])
        answers = cursor.fetchone()[0]
    print(f"Seeding: {time.perf_counter() - started:.1f} s ({answers:,} answers)")

    t0 = time.perf_counter()
    mixed = services.mix_ballots(consultation_id=consultation.pk)
    print(f"Mixing (every ballot and answer rewritten in random-id order, as on closing): {mixed:,} ballots in "
          f"{time.perf_counter() - t0:.1f} s")

    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            snapshot = results.store_snapshot(consultation.pk, final=True)
            timings.append(time.perf_counter() - t0)
    print(f"Snapshot: {len(queries)} queries; {min(timings):.2f} s best, {statistics.median(timings):.2f} s median of 3"
          f" (ballots counted: {snapshot.ballot_count:,})")

    client = Client(HTTP_HOST="localhost")
    url = f"/konsultasi/{consultation.slug}/hasil/"
    client.get(url)
    page_times = []
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - t0)
    assert response.status_code == 200
    print(f"Results page: {len(queries)} queries; {statistics.median(page_times) * 1000:.1f} ms median of 20, "
          f"{max(page_times) * 1000:.1f} ms max; {len(response.content):,} bytes")

    if args.no_csv:
        return
    staff = User.objects.create_user(f"bench-{int(time.time())}", is_superuser=True, is_staff=True)
    StaffAssignment.objects.get_or_create(user=staff, forum=forum, role="pembina")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    coarsening = exports.ballot_coarsening(consultation, 5)
    size = sum(len(chunk) for chunk in exports.csv_response(exports.ballot_rows(consultation, coarsening, 5), "x.csv").streaming_content)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"Ballot CSV download (streamed): {size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s; "
          f"peak RSS {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after")
    if args.xlsx:
        t0 = time.perf_counter()
        response = exports.xlsx_response(exports.ballot_rows(consultation, coarsening, 5), "x.xlsx", "surat suara")
        size = sum(len(chunk) for chunk in response.streaming_content)
        print(f"Ballot XLSX download: {size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s; "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Benchmark: the KLA evidence dashboard with 100,000 members, 1,000,000 ballots and 500 events,
on PostgreSQL.

    bash scripts/with_postgres.sh .venv/bin/python bench/kla_dashboard.py [--members N] [--ballots N] [--events N]

It migrates the (throwaway) database named by DATABASE_URL, builds a city of 6 kecamatan and 34
kelurahan with their forums, decrees and board terms, then writes with INSERT … SELECT
generate_series (in the database, fast): the members in every status with their membership
consents, 20 consultations sharing the ballots (each ballot with its participation), and the
events with 50 registrations each. Then, as a pembina of the city, it times
  1. each section of the report (selectors), with its query count;
  2. the dashboard page /admin/kla/ (Django test client), with its query count;
  3. the XLSX workbook download.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forumanak.settings.test")

CONSULTATIONS = 20
REGISTRATIONS_PER_EVENT = 50


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="a database seeded by an earlier run (DATABASE_URL of a cluster you keep): skip seeding")
    args = parser.parse_args()

    from _django import setup_postgres

    setup_postgres("kla_dashboard.py")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from forumanak.core.management.commands.setup_roles import ensure_roles
    from forumanak.core.models import User
    from forumanak.membership.models import Forum, StaffAssignment
    from forumanak.reports.selectors import Period

    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} CPU, load {os.getloadavg()[0]:.1f}; "
          f"{args.members:,} members, {args.ballots:,} ballots, {args.events:,} events")
    today = timezone.localdate()
    year = today.year
    period = Period.year(year)
    if args.reuse and User.objects.filter(username="bench-pembina").exists():
        print("Reusing the seeded database")
        measure(User.objects.get(username="bench-pembina"), period, args.runs)
        return
    seed(args, today)
    ensure_roles()
    pembina = User.objects.create_user("bench-pembina", email="bench-pembina@example.test", password="x")
    pembina.groups.add(*Group.objects.filter(name="Pembina"))
    StaffAssignment.objects.create(user=pembina, forum=Forum.objects.get(region_id="64.71"), role="pembina")
    TOTP.activate(pembina, generate_totp_secret())
    measure(pembina, period, args.runs)


def seed(args, today):
    from django.db import connection
    from django.utils import timezone

    from events.models import Event
    from forumanak.consultations.models import Consultation
    from forumanak.membership.models import BoardTerm, ConsentText, Forum
    from forumanak.regions.models import Region

    year = today.year
    started = time.perf_counter()

    # the city: 6 kecamatan, 34 kelurahan; forums with decrees and terms (a few lapsed, a few ending soon)
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": 0})[0]
    city = Region.objects.get_or_create(code="64.71", defaults={"name": "Kota Balikpapan", "level": 1, "parent": prov})[0]
    city_forum = Forum.objects.get_or_create(region=city, defaults={
        "name": "Forum Anak Kota Balikpapan", "slug": "kota", "level": 1, "sk_number": "1/2025", "sk_date": date(year - 1, 7, 1)})[0]
    kelurahan_forums, n = [], 0
    for k in range(1, 7):
        kec = Region.objects.get_or_create(code=f"64.71.0{k}", defaults={"name": f"Kecamatan {k}", "level": 2, "parent": city})[0]
        kec_forum = Forum.objects.get_or_create(region=kec, defaults={
            "name": f"Forum Anak Kecamatan {k}", "slug": f"kec-{k}", "level": 2, "parent": city_forum,
            "sk_number": f"{k}/2025", "sk_date": date(year - 1, 1, 1)})[0]
        BoardTerm.objects.get_or_create(forum=kec_forum, name="2025–2027", start_date=date(year - 1, 1, 1),
                                        end_date=date(year + 1, 12, 31))
        for j in range(1, 7 if k <= 4 else 6):
            n += 1
            code = f"64.71.0{k}.10{j:02d}"
            kel = Region.objects.get_or_create(code=code, defaults={"name": f"Kelurahan {k}.{j}", "level": 3, "parent": kec})[0]
            forum = Forum.objects.get_or_create(region=kel, defaults={
                "name": f"Forum Anak Kelurahan {k}.{j}", "slug": f"kel-{k}-{j}", "level": 3, "parent": kec_forum,
                "sk_number": f"{k}.{j}/2025" if n % 9 else "", "sk_date": date(year - 1, 1, 1),
                "sk_valid_until": today + timedelta(days=30) if n % 7 == 0 else None})[0]
            if n % 5:
                BoardTerm.objects.get_or_create(forum=forum, name="2025–2026", start_date=date(year - 1, 1, 1),
                                                end_date=today + timedelta(days=60 if n % 4 == 0 else 400))
            kelurahan_forums.append((forum.pk, kec.code, kel.code))
    text = ConsentText.objects.filter(purpose="membership", language="id").first()
    forum_ids = "ARRAY[" + ",".join(str(f) for f, _k, _l in kelurahan_forums) + "]"
    kec_codes = "ARRAY[" + ",".join(f"'{k}'" for _f, k, _l in kelurahan_forums) + "]"
    kel_codes = "ARRAY[" + ",".join(f"'{c}'" for _f, _k, c in kelurahan_forums) + "]"
    nf = len(kelurahan_forums)

    statements = [
        ("members", f"""
            INSERT INTO membership_member (forum_id, status, member_number, full_name, display_name, date_of_birth,
                school, kelurahan_id, gender, kecamatan_id, birth_year, applied_at, approved_at, status_changed_at,
                status_reason, ended_at, erased_at, user_id, membership_consent, membership_consent_at)
            SELECT ({forum_ids})[k], s.status,
                   CASE WHEN s.status IN ('active','suspended','alumni','withdrawn') THEN 'B-' || g END,
                   'Anak ' || g, 'Anak' || g, dob, '', ({kel_codes})[k], (ARRAY['P','L'])[1 + g %% 2], ({kec_codes})[k],
                   extract(year from dob)::int, applied,
                   CASE WHEN s.status IN ('active','suspended','alumni','withdrawn') THEN applied + interval '10 days' END,
                   applied, '',
                   CASE WHEN s.status IN ('alumni','withdrawn','rejected') THEN applied + interval '200 days' END,
                   NULL, NULL,
                   -- the latest membership decision, which the decisions below copy: granted for 95 in 100, else none
                   CASE WHEN s.status <> 'applied' AND c < 0.95 THEN 'granted' ELSE '' END,
                   CASE WHEN s.status <> 'applied' AND c < 0.95 THEN applied + interval '1 day' END
            FROM (SELECT g, 1 + floor(random() * {nf})::int AS k,
                         current_date - (3650 + floor(random() * 3650))::int AS dob,
                         now() - (floor(random() * 900) || ' days')::interval AS applied,
                         random() AS r, random() AS c
                  FROM generate_series(1, %(members)s) g) x
            CROSS JOIN LATERAL (SELECT CASE WHEN r < 0.70 THEN 'active' WHEN r < 0.74 THEN 'applied'
                                            WHEN r < 0.77 THEN 'awaiting_consent' WHEN r < 0.80 THEN 'pending_review'
                                            WHEN r < 0.90 THEN 'alumni' WHEN r < 0.95 THEN 'withdrawn'
                                            WHEN r < 0.97 THEN 'suspended' ELSE 'rejected' END AS status) s"""),
        ("membership consent requests", """
            INSERT INTO membership_consentrequest (member_id, purpose, text_id, details, language, token_hash, created_at,
                expires_at, failed_attempts)
            SELECT id, 'membership', %(text)s, '{}', 'id', encode(sha256(('t' || id)::bytea), 'hex'), applied_at,
                   applied_at + interval '7 days', 0
            FROM membership_member WHERE status <> 'applied'"""),
        ("consent decisions (95 % granted, the rest none)", """
            INSERT INTO membership_consentdecision (request_id, decision, method, decided_at, text_id, text_hash,
                guardian_name_typed, user_agent, paper_scan, details)
            SELECT r.id, 'granted', 'link', m.membership_consent_at, r.text_id, %(hash)s, 'Wali', 'bench', '', '{}'
            FROM membership_consentrequest r JOIN membership_member m ON m.id = r.member_id
            WHERE m.membership_consent = 'granted'"""),
    ]
    params = {"members": args.members, "text": text.pk, "hash": text.text_hash}
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # bulk seeding only: skip triggers
        for label, sql in statements:
            t0 = time.perf_counter()
            cursor.execute(sql, params)
            print(f"  seeded {label}: {cursor.rowcount:,} rows in {time.perf_counter() - t0:.1f} s")
        cursor.execute("SET session_replication_role = DEFAULT")

    # consultations: all in this year, sharing the ballots; every ballot has its participation
    now = timezone.now()
    consultations = []
    for i in range(CONSULTATIONS):
        opens = now - timedelta(days=2 + 8 * i) if now.timetuple().tm_yday > 170 else now - timedelta(days=2 + i)
        consultations.append(Consultation.objects.create(
            slug=f"bench-{i}", title=f"Konsultasi {i}", summary="-", cluster=1 + i % 5,
            forum=city_forum if i % 2 else Forum.objects.get(region_id=f"64.71.0{1 + i % 6}"),
            opens_at=opens, closes_at=opens + timedelta(days=1), status="closed", published_at=opens, closed_at=now,
        ))
    per = args.ballots // CONSULTATIONS
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for c in consultations:
            cursor.execute("""
                INSERT INTO consultations_participation (consultation_id, member_id, voted_on)
                SELECT %s, id, current_date FROM membership_member ORDER BY random() LIMIT %s""", [c.pk, per])
            cursor.execute("""
                INSERT INTO consultations_ballot (id, consultation_id, age_band, gender, kecamatan_code, voted_on, mixed)
                SELECT gen_random_uuid(), %s, (ARRAY['10-12','13-15','16-17'])[1 + floor(random() * 3)::int],
                       (ARRAY['P','L'])[1 + floor(random() * 2)::int], '64.71.01', current_date, true
                FROM generate_series(1, %s)""", [c.pk, per])
        cursor.execute("SET session_replication_role = DEFAULT")
    print(f"  seeded {CONSULTATIONS} consultations: {per * CONSULTATIONS:,} ballots and participations "
          f"in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    forums = list(Forum.objects.exclude(level=-1))
    Event.objects.bulk_create([
        Event(title=f"Kegiatan {i}", slug=f"bench-{i}", description="-", forum=forums[i % len(forums)],
              audience="adults" if i % 10 == 0 else "children", capacity=100, venue_name="Aula",
              starts_at=now - timedelta(hours=6 + i), ends_at=now - timedelta(hours=4 + i), is_published=True)
        for i in range(args.events)
    ])
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("""
            INSERT INTO events_registration (event_id, member_id, status, adult_name, code, photo_level, created_at,
                status_changed_at, status_reason, attended_at, waitlisted_at)
            SELECT e.id, m.member_id, s.status, '', 'R' || lpad((e.id * 1000 + m.n)::text, 11, '0'), 'none', now(), now(),
                   '', CASE WHEN s.status = 'attended' THEN now() END, CASE WHEN s.status = 'waitlisted' THEN now() END
            FROM events_event e
            CROSS JOIN LATERAL (SELECT n, 1 + ((e.id * 7919 + n * 104729) %% %(members)s) AS member_id, random() AS r
                                FROM generate_series(1, %(per)s) n) m
            CROSS JOIN LATERAL (SELECT CASE WHEN m.r < 0.6 THEN 'attended' WHEN m.r < 0.75 THEN 'no_show'
                                            WHEN m.r < 0.85 THEN 'confirmed' WHEN m.r < 0.95 THEN 'cancelled'
                                            ELSE 'waitlisted' END AS status) s""",
                       {"members": args.members, "per": REGISTRATIONS_PER_EVENT})
        registrations = cursor.rowcount
        cursor.execute("SET session_replication_role = DEFAULT")
        # what autovacuum does on its own within a minute of a bulk load (statistics, and the
        # visibility map that lets PostgreSQL count an index without visiting the table)
        cursor.execute("VACUUM ANALYZE")
    print(f"  seeded {args.events} events with {registrations:,} registrations in {time.perf_counter() - t0:.1f} s")
    print(f"Seeding: {time.perf_counter() - started:.1f} s")


def measure(pembina, period, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from forumanak.reports import selectors

    year = period.start.year
    report = selectors.kla_report(pembina, period)
    print(f"Report: {report['members']['totals']['active']:,} active members, "
          f"{report['consultations']['totals']['participants']:,} participations in "
          f"{report['consultations']['totals']['count']} consultations, {report['events']['totals']['events']} events, "
          f"{report['events']['totals']['registrations']:,} registrations, consent "
          f"{report['consent']['totals']['valid']:,}/{report['consent']['totals']['active']:,}")
    prefixes = selectors.area_prefixes(pembina)
    for name, section in (("coverage", selectors.forum_coverage), ("members", selectors.members),
                          ("consultations", selectors.consultations), ("events", selectors.events),
                          ("consent", selectors.consent)):
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                section(prefixes, period)
                times.append(time.perf_counter() - t0)
        print(f"  {name:14s} {len(queries):3d} queries, {statistics.median(times) * 1000:7.1f} ms median of {runs}")

    client = Client(HTTP_HOST="localhost")
    client.force_login(pembina)
    url = f"/admin/kla/?tahun={year}"
    assert client.get(url).status_code == 200
    page_times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - t0)
    assert response.status_code == 200
    print(f"Dashboard /admin/kla/: {len(queries)} queries; {statistics.median(page_times) * 1000:.0f} ms median of "
          f"{runs}, {min(page_times) * 1000:.0f} ms best; {len(response.content):,} bytes")
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/kla/unduh.xlsx?tahun={year}")
        size = sum(len(chunk) for chunk in response.streaming_content)
    print(f"Workbook download: {len(queries)} queries; {time.perf_counter() - t0:.2f} s; {size:,} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""make bench: the large data set, written in bulk (INSERT … SELECT generate_series in the
database, bulk_create for the small tables), on top of ``seed_demo``:

- 50,000 active members (10–17) across the city's 34 kelurahan forums, each with a user account,
  a guardian and a granted membership consent;
- 200 events (plus the 100-seat event of the registration burst);
- 50 consultations: the demo's, one open for the vote scenario, one closed with 1,000,000 ballots
  (and their answers) and its results snapshot, the rest open, upcoming or closed;
- 30 published articles (the demo's, and copies of one of them);
- pre-made sessions (the scenarios' logged-in users: voters, registrants, a reader and a pembina
  with TOTP) and one CSRF secret, written to a fixtures JSON for bench/run.py.

    DJANGO_SETTINGS_MODULE=forumanak.settings.bench python bench/seed.py fixtures.json
"""

import json
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forumanak.settings.bench")

MEMBERS = 50_000
EVENTS = 200
CONSULTATIONS = 50
BALLOTS = 1_000_000
ARTICLES = 30
VOTERS = 6_000
REGISTRANTS = 1_000
BURST_CAPACITY = 100
PASSWORD = "bench-not-a-real-password"


def step(label, started):
    print(f"  seeded {label} in {time.perf_counter() - started:.1f} s", flush=True)
    return time.perf_counter()


def seed_articles(count):
    from wagtail.models import Locale

    from cms.models import ArticleIndexPage, ArticlePage

    locale = Locale.objects.get(language_code="id")
    index = ArticleIndexPage.objects.filter(locale=locale).first()
    live = ArticlePage.objects.live().filter(locale=locale)
    model = live.order_by("path").first()
    topics = list(model.topics.all())
    n = live.count()
    while n < count:
        n += 1
        article = ArticlePage(
            slug=f"bench-artikel-{n}", title=f"{model.title} ({n})", intro=model.intro, author=model.author,
            age_group=model.age_group, listing_image=model.listing_image, body=model.body.raw_data, owner=model.owner,
        )
        index.add_child(instance=article)
        article.topics.set(topics)
        article.save_revision().publish()
    return model


def seed_members(cursor, *, forums, text, today):
    from django.contrib.auth.hashers import make_password

    forum_ids = "ARRAY[" + ",".join(str(f.pk) for f in forums) + "]"
    kecamatan = "ARRAY[" + ",".join(f"'{f.parent.region_id}'" for f in forums) + "]"
    kelurahan = "ARRAY[" + ",".join(f"'{f.region_id}'" for f in forums) + "]"
    params = {"n": MEMBERS, "pw": make_password(PASSWORD), "today": today, "text": text.pk, "hash": text.text_hash}
    statements = [
        ("users", """
            INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                                   date_joined, language)
            SELECT %(pw)s, false, 'bench-anak-' || g, 'Anak', 'Bench ' || g, '', false, true, now(), 'id'
            FROM generate_series(1, %(n)s) g"""),
        ("members", f"""
            INSERT INTO membership_member (user_id, forum_id, status, member_number, full_name, display_name, date_of_birth,
                school, kelurahan_id, gender, kecamatan_id, birth_year, applied_at, approved_at, status_changed_at,
                status_reason, membership_consent, membership_consent_at)
            SELECT u.id, ({forum_ids})[k], 'active', 'BENCH-' || u.id, u.first_name || ' ' || u.last_name, 'Anak' || u.id,
                   dob, 'SD/SMP Bench', ({kelurahan})[k], (ARRAY['P','L'])[1 + u.id %% 2], ({kecamatan})[k],
                   extract(year from dob)::int, now() - interval '100 days', now() - interval '90 days',
                   now() - interval '90 days', '', 'granted', now() - interval '98 days'
            FROM (SELECT id, first_name, last_name, 1 + (id %% {len(forums)}) AS k,
                         %(today)s::date - interval '10 years 60 days' - (floor(random() * 2500) || ' days')::interval AS dob
                  FROM core_user WHERE username LIKE 'bench-anak-%%') u"""),
        ("guardians", """
            INSERT INTO membership_guardian (name, email, phone, language, created_at)
            SELECT 'Wali ' || m.id, 'wali-' || m.id || '@bench.test', '', 'id', now()
            FROM membership_member m WHERE m.member_number LIKE 'BENCH-%%'"""),
        ("guardian links", """
            INSERT INTO membership_guardianlink (guardian_id, member_id, relationship, created_at)
            SELECT g.id, m.id, 'ibu', now() FROM membership_member m
            JOIN membership_guardian g ON g.email = 'wali-' || m.id || '@bench.test'
            WHERE m.member_number LIKE 'BENCH-%%'"""),
        ("membership consent requests", """
            INSERT INTO membership_consentrequest (member_id, guardian_id, purpose, text_id, details, language, token_hash,
                created_at, expires_at, failed_attempts)
            SELECT l.member_id, l.guardian_id, 'membership', %(text)s, '{}', 'id',
                   encode(sha256(('bench-consent-' || l.member_id)::bytea), 'hex'),
                   now() - interval '99 days', now() - interval '92 days', 0
            FROM membership_guardianlink l JOIN membership_member m ON m.id = l.member_id
            WHERE m.member_number LIKE 'BENCH-%%'"""),
        ("membership consent decisions", """
            INSERT INTO membership_consentdecision (request_id, decision, method, decided_at, text_id, text_hash,
                guardian_name_typed, user_agent, paper_scan, details)
            SELECT r.id, 'granted', 'link', m.membership_consent_at, r.text_id, %(hash)s, 'Wali', 'bench', '', '{}'
            FROM membership_consentrequest r JOIN membership_member m ON m.id = r.member_id
            WHERE r.token_hash = encode(sha256(('bench-consent-' || r.member_id)::bytea), 'hex')"""),
    ]
    for label, sql in statements:
        started = time.perf_counter()
        cursor.execute(sql, params)
        print(f"  seeded {label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def seed_events(*, forums, now):
    from events.models import Event

    have = Event.objects.count()
    Event.objects.bulk_create([
        Event(title=f"Kegiatan bench {i}", slug=f"bench-kegiatan-{i}", description="Kegiatan untuk anak.",
              forum=forums[i % len(forums)], audience="adults" if i % 10 == 0 else "children", capacity=30 + i % 70,
              venue_name="Aula Kelurahan", starts_at=now + timedelta(days=3 + i % 60, hours=i % 8),
              ends_at=now + timedelta(days=3 + i % 60, hours=2 + i % 8), is_published=True)
        for i in range(max(EVENTS - have, 0))
    ])
    return Event.objects.create(
        title="Lomba poster hak anak (bench)", slug="bench-burst", description="100 kursi, pendaftaran dibuka sekarang.",
        forum=forums[0].parent.parent, audience="children", capacity=BURST_CAPACITY, venue_name="Balai Kota",
        starts_at=now + timedelta(days=14), ends_at=now + timedelta(days=14, hours=3), is_published=True,
    )


def seed_consultations(cursor, *, city_forum, now):
    from forumanak.consultations import results
    from forumanak.consultations.models import Consultation, Question

    def make(slug, title, status, opens, closes, *, scale=True):
        consultation = Consultation.objects.create(
            slug=slug, title=title, summary="Apa pendapatmu?", cluster=4, forum=city_forum, opens_at=opens,
            closes_at=closes, status=status, published_at=opens - timedelta(days=1),
            closed_at=closes if status == "closed" else None)
        Question.objects.bulk_create([
            Question(consultation=consultation, kind="single", prompt="Apa yang paling penting?",
                     choices_text="Taman bermain\nPerpustakaan\nJalur sepeda", sort_order=0),
            *([Question(consultation=consultation, kind="scale", prompt="Seberapa setuju kamu?", sort_order=1)]
              if scale else []),
        ])
        return consultation

    vote = make("bench-suara", "Konsultasi bench: suaramu", "published", now - timedelta(days=1), now + timedelta(days=6))
    big = make("bench-sejuta", "Konsultasi bench: sejuta suara", "closed", now - timedelta(days=40), now - timedelta(days=10),
               scale=False)
    for i in range(max(CONSULTATIONS - Consultation.objects.count(), 0)):
        kind = i % 3
        if kind == 0:
            make(f"bench-{i}", f"Konsultasi bench {i}", "published", now - timedelta(days=1), now + timedelta(days=5 + i))
        elif kind == 1:
            make(f"bench-{i}", f"Konsultasi bench {i}", "published", now + timedelta(days=2 + i), now + timedelta(days=9 + i))
        else:
            make(f"bench-{i}", f"Konsultasi bench {i}", "closed", now - timedelta(days=60 + i), now - timedelta(days=50 + i))
    single = big.questions.get().pk
    kecamatan = "ARRAY[" + ",".join(f"'{f.region_id}'" for f in city_forum.children.all()) + "]"
    params = {"c": big.pk, "n": BALLOTS, "single": single}
    cursor.execute("SET session_replication_role = replica")  # bulk only: no FK triggers (rows made consistent here)
    for label, sql in [
        ("1M ballots", f"""
            INSERT INTO consultations_ballot (id, consultation_id, age_band, gender, kecamatan_code, voted_on, mixed)
            SELECT gen_random_uuid(), %(c)s, (ARRAY['10-12','13-15','16-17'])[1 + floor(random() * 3)::int],
                   (ARRAY['P','L'])[1 + floor(random() * 2)::int], ({kecamatan})[1 + floor(random() * 6)::int],
                   current_date - 10 - floor(random() * 30)::int, true
            FROM generate_series(1, %(n)s)"""),
        ("their answers (one question)", """
            INSERT INTO consultations_answer (id, ballot_id, question_id, choice, rank, text, moderation, featured, quote)
            SELECT gen_random_uuid(), b.id, %(single)s, floor(random() * 3)::int, NULL, '', '', false, ''
            FROM consultations_ballot b WHERE b.consultation_id = %(c)s"""),
    ]:
        started = time.perf_counter()
        cursor.execute(sql, params)
        print(f"  seeded {label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    cursor.execute("SET session_replication_role = DEFAULT")
    cursor.execute("ANALYZE consultations_ballot; ANALYZE consultations_answer")
    started = time.perf_counter()
    results.store_snapshot(big.pk, final=True)
    print(f"  results snapshot of 1M ballots in {time.perf_counter() - started:.1f} s", flush=True)
    return vote, big


def sessions_for(users):
    """Signed-in sessions, as django.contrib.auth.login leaves them, written to the session store
    in bulk (database sessions) or one by one (any other engine)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator

    with_totp = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True))

    def signed_in(user):
        # as allauth's login leaves it: a password, and the TOTP code for staff with a device
        # (the admin opens only for a session that passed the second factor)
        records = [{"method": "password", "at": time.time()}]
        if user.pk in with_totp:
            records.append({"method": "mfa", "at": time.time(), "type": "totp"})
        return {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(), AUTHENTICATION_METHODS_SESSION_KEY: records,
                _AUTHENTICATION_METHODS_USER_SESSION_KEY: str(user.pk)}

    data = [signed_in(user) for user in users]
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        rows = [Session(session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                        session_data=store().encode(d), expire_date=expire) for d in data]
        Session.objects.bulk_create(rows, batch_size=2000)
        return [row.session_key for row in rows]
    keys = []
    for d in data:
        session = store()
        session.update(d)
        session.create()
        keys.append(session.session_key)
    return keys


def ballot_surplus():
    """{consultation id: ballots − participations}, for every consultation."""
    from django.db.models import Count

    from forumanak.consultations.models import Ballot, Consultation, Participation

    ballots = dict(Ballot.objects.values_list("consultation").annotate(n=Count("id")))
    participations = dict(Participation.objects.values_list("consultation").annotate(n=Count("id")))
    return {str(c): ballots.get(c, 0) - participations.get(c, 0) for c in Consultation.objects.values_list("pk", flat=True)}


def main():
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from cms import cache as page_cache
    from forumanak.core.models import User
    from forumanak.membership.models import ConsentText, Forum, StaffAssignment

    out = Path(sys.argv[1])
    now = timezone.now()
    started = total = time.perf_counter()
    city_forum = Forum.objects.get(region_id="64.71")
    forums = list(Forum.objects.filter(level=Forum.Level.DESA, parent__parent=city_forum).select_related("parent")
                  .order_by("region_id"))
    text = ConsentText.objects.filter(purpose="membership", language="id").order_by("-published_at").first()

    article = seed_articles(ARTICLES)
    started = step(f"{ARTICLES} articles", started)
    with transaction.atomic(), connection.cursor() as cursor:
        seed_members(cursor, forums=forums, text=text, today=timezone.localdate())
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    burst_event = seed_events(forums=forums, now=now)
    started = step(f"{EVENTS} events and the burst event", started)
    with transaction.atomic(), connection.cursor() as cursor:
        vote, big = seed_consultations(cursor, city_forum=city_forum, now=now)
    started = time.perf_counter()

    members = list(User.objects.filter(username__startswith="bench-anak-").order_by("id")[: VOTERS + REGISTRANTS + 1])
    csrf = secrets.token_hex(16)  # a CSRF secret (32 characters), sent as cookie and as form field
    pembina = User.objects.create_user("bench-pembina", email="bench-pembina@bench.test", password=PASSWORD,
                                       first_name="Pembina", last_name="Bench", is_staff=True)
    pembina.groups.add(*Group.objects.filter(name="Pembina"))
    StaffAssignment.objects.create(user=pembina, forum=city_forum, role="pembina")
    TOTP.activate(pembina, generate_totp_secret())
    keys = sessions_for([*members, pembina])
    started = step(f"{len(keys):,} sessions", started)
    page_cache.invalidate()

    single, scale = vote.questions.order_by("sort_order").values_list("pk", flat=True)
    fixtures = {
        "article": article.url, "csrf": csrf,
        "vote": {"path": f"/konsultasi/{vote.slug}/", "consultation": vote.pk,
                 "body": f"csrfmiddlewaretoken={csrf}&q{single}=1&q{scale}=3"},
        "results": {"path": f"/konsultasi/{big.slug}/hasil/", "consultation": big.pk},
        "burst": {"path": f"/kegiatan/{burst_event.slug}/daftar/", "event": burst_event.pk,
                  "capacity": burst_event.capacity, "body": f"csrfmiddlewaretoken={csrf}&photo_level=none"},
        "voters": keys[:VOTERS], "registrants": keys[VOTERS:VOTERS + REGISTRANTS],
        "reader": keys[VOTERS + REGISTRANTS], "pembina": keys[-1],
        "counts": {"members": User.objects.filter(username__startswith="bench-anak-").count()},
    }
    # ballots written straight into the database (here and by the demo's synthetic results) have no
    # participation; the load must keep this difference unchanged in every consultation
    fixtures["ballots_without_participation"] = ballot_surplus()
    out.write_text(json.dumps(fixtures))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # what autovacuum does on its own within a minute of a bulk load: statistics, and the
        # visibility map that lets PostgreSQL count from an index without visiting the table
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s", flush=True)
    print(f"Bulk seeding: {time.perf_counter() - total:.1f} s", flush=True)


if __name__ == "__main__":
    main()

"""Generated data with a known answer for the KLA report, and an independent count of it.

``build_world`` writes rows directly (the report only reads them): a small city whose forums have
every decree and board-term situation, members in every status with edge-case birthdays,
membership consents in every state, consultations and events in and around the period. The
``expected_*`` functions count the same things with plain Python over the rows, using the model's
own rules (``Forum.sk_in_force``, ``BoardTerm.is_current``, ``age_on``), not the report's queries.
"""

import hashlib
import random
import uuid
from datetime import date, datetime, time, timedelta
from importlib import import_module

import pytest
from django.utils import timezone

from events.models import Event, Registration
from forumanak.consultations.models import Consultation, GovernmentResponse, Participation
from forumanak.membership import services
from forumanak.membership.models import (
    BoardTerm,
    ConsentDecision,
    ConsentRequest,
    ConsentText,
    Forum,
    Member,
    StaffAssignment,
    age_on,
)
from forumanak.regions.models import Region
from forumanak.reports.selectors import Period
from tests.conftest import grant_admin_access, make_user

TEXTS = import_module("forumanak.membership.migrations.0003_consent_texts").TEXTS
YEAR = timezone.localdate().year - 1  # a period wholly in the past: the answers do not move with the clock
PERIOD = Period.year(YEAR)
D = date(YEAR, 12, 31)  # the reference date of the period
STATUSES = ["applied", "awaiting_consent", "pending_review", "active", "suspended", "rejected", "withdrawn", "alumni"]


@pytest.fixture(autouse=True)
def indonesian_after_each_test():
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def aware(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def shift_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def region(code, name, level, parent):
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def build_city():
    prov = region("64", "Kalimantan Timur", 0, None)
    city = region("64.71", "Kota Balikpapan", 1, prov)
    r = {"city": city}
    for code, name in [("64.71.01", "Balikpapan Timur"), ("64.71.02", "Balikpapan Barat")]:
        r[code] = region(code, name, 2, city)
    for code, name in [("64.71.01.1001", "Manggar"), ("64.71.01.1002", "Lamaru"), ("64.71.02.1001", "Baru Tengah"),
                       ("64.71.02.1002", "Margo Mulyo")]:
        r[code] = region(code, name, 3, r[code.rsplit(".", 1)[0]])
    y = YEAR
    # decree and board-term situations on 31 December of the period's year
    plans = {
        # code: (level, sk_date, sk_valid_until, [(term start, term end)])
        "city": (1, date(y - 1, 7, 23), None, [(date(y - 1, 1, 1), date(y + 1, 12, 31))]),
        "64.71.01": (2, date(y - 1, 2, 1), None, [(date(y - 1, 1, 1), date(y + 1, 12, 31))]),  # covered
        "64.71.02": (2, date(y - 2, 1, 1), date(y, 6, 30), [(date(y - 1, 1, 1), date(y + 1, 12, 31))]),  # SK expired
        "64.71.01.1001": (3, date(y - 1, 1, 1), D + timedelta(days=30), [(date(y - 1, 3, 1), D + timedelta(days=60))]),
        "64.71.01.1002": (3, date(y - 1, 1, 1), None, [(date(y - 2, 1, 1), date(y, 3, 1))]),  # term ended
        "64.71.02.1001": (3, date(y, 12, 31), date(y + 3, 1, 1), [(date(y, 1, 1), date(y + 2, 1, 1))]),  # SK from the last day
        # 64.71.02.1002 has no forum
    }
    forums = {}
    for code, (level, sk_date, until, terms) in plans.items():
        reg = r[code]
        parent = None if code == "city" else forums["city" if level == 2 else code.rsplit(".", 1)[0]]
        forums[code] = Forum.objects.create(
            name=f"Forum Anak {reg.name}", slug=code.replace(".", "-"), region=reg, level=level, parent=parent,
            sk_number=f"{len(forums) + 1}/SK/{y}", sk_date=sk_date, sk_valid_until=until,
        )
        for index, (start, end) in enumerate(terms):
            BoardTerm.objects.create(forum=forums[code], name=f"Periode {index + 1}", start_date=start, end_date=end)
    return {"regions": r, "forums": forums}


def consent_texts():
    texts = {}
    for (purpose, language), (title, summary, body) in TEXTS.items():
        text = ConsentText.objects.filter(purpose=purpose, language=language).first() or ConsentText.objects.create(
            purpose=purpose, language=language, version=1, title=title, summary=summary, body=body)
        texts[(purpose, language)] = text
    return texts


def _request(member, text, created):
    return ConsentRequest.objects.create(
        member=member, purpose="membership", text=text, token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        created_at=created, expires_at=created + timedelta(days=7),
    )


def _decide(request, decision, when):
    record = ConsentDecision.objects.create(request=request, decision=decision, method="link", decided_at=when,
                                            text=request.text, text_hash=request.text.text_hash)
    # what the membership service does with every decision it appends
    services.note_membership_decision(request.member, decision=decision, decided_at=when)
    return record


def build_world(scale=1, seed=7):
    rng = random.Random(seed)
    world = build_city()
    forums, regions = world["forums"], world["regions"]
    text = consent_texts()[("membership", "id")]
    y = YEAR
    forum_codes = list(forums)
    # edge-case birthdays: 18 on the first and last day of the period (in), the day before and after (out),
    # 29 February, and children well inside each band
    edge_dobs = [date(y - 18, 1, 1), date(y - 18, 12, 31), date(y - 19, 12, 31), date(y - 17, 1, 1),
                 date(2008, 2, 29) if y - 18 == 2008 else date(y - 18, 2, 28), date(y - 13, 12, 31), date(y - 13, 1, 1),
                 date(y - 16, 12, 31), date(y - 16, 1, 1)]
    members = []
    n = 60 * scale
    for i in range(n):
        code = forum_codes[i % len(forum_codes)]
        forum = forums[code]
        kec_code = code[:8] if len(code) >= 8 else ("64.71.01", "64.71.02")[i % 2]
        status = STATUSES[(i * 5 + i // 8) % len(STATUSES)]
        dob = edge_dobs[i] if i < len(edge_dobs) else date(y - 19, 1, 1) + timedelta(days=rng.randrange(0, 365 * 10))
        applied = aware(date(y - 1, 1, 1) + timedelta(days=rng.randrange(0, 700)), hour=rng.randrange(0, 24))
        approved = ended = None
        if status in ("active", "suspended", "alumni", "withdrawn"):
            approved = applied + timedelta(days=rng.randrange(1, 40))
        if status in ("alumni", "withdrawn"):
            ended = approved + timedelta(days=rng.randrange(1, 300))
        if status == "rejected":
            ended = applied + timedelta(days=3)
        erased = status in ("withdrawn", "rejected") and i % 3 == 0
        members.append(Member(
            forum=forum, status=status, member_number=f"FA-6471-{i + 1:06d}" if approved else None,
            full_name="" if erased else f"Anak {i}", display_name="" if erased else f"Anak{i}",
            date_of_birth=None if erased else dob, gender="PL"[i % 2], kecamatan=regions[kec_code],
            kelurahan=regions[code] if len(code) > 8 else None, birth_year=dob.year, applied_at=applied,
            approved_at=approved, ended_at=ended, erased_at=ended if erased else None,
        ))
    Member.objects.bulk_create(members)
    members = list(Member.objects.select_related("forum").order_by("pk"))
    # membership consent: granted, none, granted then withdrawn, refused on a newer request, refused then granted
    for i, m in enumerate(m for m in members if m.status == "active"):
        kind = ("granted", "granted", "none", "withdrawn", "refused_latest", "granted_after_refusal", "granted")[i % 7]
        if kind == "none":
            continue
        first = _request(m, text, m.applied_at)
        if kind in ("granted", "withdrawn", "refused_latest"):
            _decide(first, "granted", m.applied_at + timedelta(hours=1))
        if kind == "withdrawn":
            _decide(first, "withdrawn", m.applied_at + timedelta(days=20))
        if kind == "refused_latest":
            _decide(_request(m, text, m.applied_at + timedelta(days=30)), "refused", m.applied_at + timedelta(days=31))
        if kind == "granted_after_refusal":
            _decide(first, "refused", m.applied_at + timedelta(hours=1))
            _decide(_request(m, text, m.applied_at + timedelta(days=2)), "granted", m.applied_at + timedelta(days=3))
    # consultations: three in the period, one the year before, a draft
    def consultation(slug, forum, cluster, opens, closes, status="closed", ages=(10, 17), scope=()):
        c = Consultation.objects.create(
            slug=slug, title=f"Konsultasi {slug}", summary="-", cluster=cluster, forum=forums[forum], min_age=ages[0],
            max_age=ages[1], opens_at=aware(opens), closes_at=aware(closes), status=status,
            published_at=None if status == "draft" else aware(opens - timedelta(days=1)),
            closed_at=aware(closes) if status == "closed" else None,
        )
        if scope:
            c.scope_forums.set([forums[s] for s in scope])
        return c

    cs = [
        consultation("musrenbang", "city", 1, date(y, 3, 1), date(y, 3, 15)),
        consultation("sekolah", "64.71.01", 4, date(y, 6, 1), date(y, 6, 20), ages=(13, 17)),
        consultation("taman", "city", 4, date(y, 9, 1), date(y, 9, 30), status="published", ages=(10, 15),
                     scope=["64.71.02"]),
        consultation("lama", "city", 2, date(y - 1, 3, 1), date(y - 1, 3, 15)),
        consultation("draf", "city", 3, date(y, 4, 1), date(y, 4, 15), status="draft"),
    ]
    for k in range(scale - 1):
        cs.append(consultation(f"tambahan-{k}", "64.71.02.1001", 5, date(y, 10, 1 + k), date(y, 11, 1 + k)))
    GovernmentResponse.objects.create(consultation=cs[0], recommendation="Lampu jalan", action="Dipasang 40 lampu.")
    GovernmentResponse.objects.create(consultation=cs[0], recommendation="Taman", action="Dibangun.")
    GovernmentResponse.objects.create(consultation=cs[2], recommendation="Ayunan", action="Disiapkan.")
    participations = []
    for c in cs:
        if c.status == "draft":
            continue
        for m in eligible_members(c, members):
            if rng.random() < 0.6:
                participations.append(Participation(consultation=c, member=m, voted_on=timezone.localdate(c.opens_at)))
    Participation.objects.bulk_create(participations)
    # events: children's and adults', at kelurahan, kecamatan and city level, and one the year before
    plans = [("64.71.01.1001", "children", date(y, 2, 10)), ("city", "children", date(y, 5, 5)),
             ("64.71.02", "adults", date(y, 8, 17)), ("64.71.02.1001", "children", date(y, 12, 31)),
             ("64.71.01", "children", date(y - 1, 12, 31))]
    events = []
    for k in range(scale):
        for index, (forum, audience, day) in enumerate(plans):
            events.append(Event.objects.create(
                title=f"Kegiatan {k}-{index}", slug=f"kegiatan-{k}-{index}", description="-", forum=forums[forum],
                audience=audience, capacity=100, venue_name="Aula", starts_at=aware(day, hour=20),
                ends_at=aware(day, hour=22) + timedelta(hours=1), is_published=True,
            ))
    reg_statuses = ["attended", "no_show", "confirmed", "cancelled", "waitlisted", "consent_refused", "attended",
                    "pending_consent"]
    registrations = []
    for e in events:
        for j, m in enumerate(rng.sample(members, 12)):
            status = reg_statuses[(j + e.pk) % len(reg_statuses)]
            if e.audience == "adults" and status == "pending_consent":
                status = "confirmed"
            registrations.append(Registration(
                event=e, member=m if e.audience == "children" else None,
                adult_name="" if e.audience == "children" else f"Warga {j}", status=status,
                attended_at=e.starts_at if status == "attended" else None,
                waitlisted_at=e.starts_at if status == "waitlisted" else None,
                consent_deadline=e.starts_at if status == "pending_consent" else None,
            ))
    Registration.objects.bulk_create(registrations)
    world["members"] = members
    world["consultations"] = cs
    world["events"] = events
    return world


def staff(username, forum, role):
    user = grant_admin_access(make_user(username, is_staff=True))
    StaffAssignment.objects.create(user=user, forum=forum, role=role)
    from tests.conftest import enable_totp

    enable_totp(user)
    return user


@pytest.fixture
def world(db):
    w = build_world()
    w["pembina"] = staff("pembina", w["forums"]["city"], "pembina")
    w["fasilitator"] = staff("fas-manggar", w["forums"]["64.71.01.1001"], "fasilitator")
    w["kec_fasilitator"] = staff("fas-barat", w["forums"]["64.71.02"], "fasilitator")
    return w


# ---- the independent count --------------------------------------------------------------------


def in_area(code, prefix):
    return code is not None and (code == prefix or code.startswith(prefix + "."))


def local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def eligible_members(c, members):
    """Members at the consultation's close (or now) of its participant forums, of an age in its range."""
    close = min(c.closes_at, timezone.now())
    scope = [f.region_id for f in c.scope_forums.all()] or [c.forum.region_id]
    out = []
    for m in members:
        if m.status not in ("active", "suspended", "alumni", "withdrawn") or m.approved_at is None:
            continue
        if not (m.approved_at < close and (m.ended_at is None or m.ended_at >= close)):
            continue
        if not any(in_area(m.forum.region_id, s) for s in scope) or m.date_of_birth is None:
            continue
        if c.min_age <= age_on(m.date_of_birth, local_day(close)) <= c.max_age:
            out.append(m)
    return out


def expected(world, prefix, period=PERIOD):
    on = min(period.end, timezone.localdate())
    start, end = period.start, on

    def in_period(moment):
        return moment is not None and start <= local_day(moment) <= end

    # coverage
    levels = {}
    uncovered = []
    for reg in Region.objects.filter(level__in=[2, 3]):
        if not in_area(reg.code, prefix):
            continue
        forum = Forum.objects.filter(region=reg).first()
        sk = bool(forum and forum.sk_in_force(on))
        term = bool(forum and any(t.is_current(on) for t in forum.board_terms.all()))
        row = levels.setdefault(reg.level, {"total": 0, "with_forum": 0, "with_sk": 0, "with_term": 0, "covered": 0})
        row["total"] += 1
        row["with_forum"] += bool(forum)
        row["with_sk"] += sk
        row["with_term"] += term
        row["covered"] += sk and term
        if not (sk and term):
            uncovered.append(reg.code)
    soon = on + timedelta(days=90)
    warnings = sorted(
        [("sk", f.name) for f in Forum.objects.all() if in_area(f.region_id, prefix) and f.sk_valid_until
         and on <= f.sk_valid_until <= soon]
        + [("term", t.forum.name) for t in BoardTerm.objects.select_related("forum") if in_area(t.forum.region_id, prefix)
           and t.is_current(on) and t.end_date <= soon]
    )
    # members
    mine = [m for m in Member.objects.select_related("forum") if in_area(m.forum.region_id, prefix)]
    groups = {"active": ["active"], "applied": ["applied", "awaiting_consent", "pending_review"], "alumni": ["alumni"],
              "withdrawn": ["withdrawn"]}

    def member_on(m, day_after):
        moment = timezone.make_aware(datetime.combine(day_after, time.min))
        return m.approved_at is not None and m.approved_at < moment and (m.ended_at is None or m.ended_at >= moment)

    def band(m):
        if m.date_of_birth is None:
            return "unknown"
        age = age_on(m.date_of_birth, on)
        return "10-12" if age <= 12 else "13-15" if age <= 15 else "16-17" if age <= 17 else "18+"

    def breakdown(key):
        out = {}
        for m in mine:
            for g, statuses in groups.items():
                out.setdefault(key(m), dict.fromkeys(groups, 0))[g] += m.status in statuses
        return out

    def turns_18_in_period(m):
        return m.date_of_birth is not None and start <= shift_years(m.date_of_birth, 18) <= end

    totals = {g: sum(m.status in s for m in mine) for g, s in groups.items()}
    totals.update(
        at_start=sum(member_on(m, start) for m in mine),
        at_end=sum(member_on(m, end + timedelta(days=1)) for m in mine),
        joined=sum(in_period(m.approved_at) for m in mine),
        applied_in_period=sum(in_period(m.applied_at) for m in mine),
        aged_out=sum(m.status == "alumni" and in_period(m.ended_at) for m in mine),
        withdrew=sum(m.status == "withdrawn" and in_period(m.ended_at) for m in mine),
        turning_18=sum(m.status in ("active", "suspended", "alumni") and turns_18_in_period(m) for m in mine),
        active_18_plus=sum(m.status == "active" and m.date_of_birth is not None and age_on(m.date_of_birth, on) >= 18
                           for m in mine),
    )
    totals["growth"] = totals["at_end"] - totals["at_start"]
    members = {
        "totals": totals,
        "by_level": breakdown(lambda m: m.forum.level),
        "by_kecamatan": breakdown(lambda m: m.kecamatan_id),
        "by_gender": breakdown(lambda m: m.gender),
        "by_age": breakdown(band),
        "months": {},
    }
    for m in mine:
        for kind, moment in (("joined", m.approved_at), ("ended", m.ended_at if m.approved_at else None)):
            if in_period(moment):
                month = members["months"].setdefault(local_day(moment).replace(day=1), {"joined": 0, "ended": 0})
                month[kind] += 1
    # consultations
    rows = {}
    for c in Consultation.objects.exclude(status="draft").select_related("forum"):
        if not in_area(c.forum.region_id, prefix):
            continue
        if not (local_day(c.opens_at) <= end and local_day(c.closes_at) >= start):
            continue
        eligible = len(eligible_members(c, Member.objects.select_related("forum")))
        participants = Participation.objects.filter(consultation=c).count()
        rows[c.slug] = {"cluster": c.cluster, "eligible": eligible, "participants": participants,
                        "answer_published": c.status == "closed" and c.responses.exists()}
    # events
    ev = {}
    for e in Event.objects.select_related("forum"):
        if not in_area(e.forum.region_id, prefix) or not start <= local_day(e.starts_at) <= end:
            continue
        kec = e.forum.region_id[:8] if e.forum.level >= 2 else ""
        row = ev.setdefault((e.audience, kec), {"events": 0, "registrations": 0, "attended": 0, "no_show": 0})
        row["events"] += 1
        for r in e.registrations.all():
            row["registrations"] += r.status in ("pending_consent", "confirmed", "attended", "no_show")
            row["attended"] += r.status == "attended"
            row["no_show"] += r.status == "no_show"
    # consent
    active = [m for m in mine if m.status == "active"]
    reasons = {}
    for m in active:
        decisions = list(ConsentDecision.objects.filter(request__member=m, request__purpose="membership"))
        latest = max(decisions, key=lambda d: (d.decided_at, d.id)).decision if decisions else "none"
        if latest != "granted":
            reasons[m.pk] = latest
    consent = {"active": len(active), "valid": len(active) - len(reasons), "exceptions": reasons}
    return {"levels": levels, "uncovered": sorted(uncovered), "warnings": warnings, "members": members,
            "consultations": rows, "events": ev, "consent": consent}

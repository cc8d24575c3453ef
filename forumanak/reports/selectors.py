"""KLA evidence: the city's participation figures, computed with aggregate queries.

Everything here is a read. The figures are limited to the asking staff member's *area*: the
regions of the forums they are assigned to and everything below (a superuser gets the home city,
``FORUM_CITY_CODE``). The number of queries does not depend on how many members, ballots or events
there are: each section is a handful of grouped aggregates, and the only Python loops run over
the few result rows (kecamatan, clusters, consultations of the period), never over members.

Definitions (shown on the dashboard too):
- a region is *covered* when its forum has a decree (SK) in force and a board term that is current
  on the reference date (the end of the period, or today if that is earlier);
- *members at a date*: approved before it and not ended by it (withdrawal and ageing out set
  ``ended_at``); *turning 18 in the period*: members and alumni whose 18th birthday falls in it;
- *eligible* for a consultation: members at its closing time (or now, if still open) of its
  participant forums, whose age on that day is within its age range;
- *government answer published*: the consultation is closed (results are public) and has at least
  one government response;
- *valid membership consent*: the latest decision on the member's membership consent is a grant
  (read from the member, where the membership service keeps it in step with the decisions).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from events.models import Audience, Event, Registration
from forumanak.consultations import selectors as consultation_selectors
from forumanak.consultations.models import Consultation, GovernmentResponse, Participation
from forumanak.membership import selectors as membership_selectors
from forumanak.membership.models import BoardTerm, ConsentDecision, Forum, Member
from forumanak.regions.models import Region

WARN_DAYS = 90
EXCEPTION_LIMIT = 200  # rows listed on the page; the workbook lists them all

S = Member.Status
STATUS_GROUPS = {
    "active": [S.ACTIVE],
    "applied": [S.APPLIED, S.AWAITING_CONSENT, S.PENDING_REVIEW],
    "alumni": [S.ALUMNI],
    "withdrawn": [S.WITHDRAWN],
}
AGE_BANDS = ("10-12", "13-15", "16-17", "18+", "unknown")
SEAT_HOLDING = list(Registration.SEAT_HOLDING)


# ---- who and when -----------------------------------------------------------------------------


def is_report_staff(user):
    """Staff with a forum assignment (pembina or fasilitator) and superusers."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.staff_assignments.exists()))


def can_read_audit_log(user):
    """Pembina (the group permission ``core.view_auditentry``, see reports/roles.py) and superusers.
    Fasilitator do not get it: the log spans every forum."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("core.view_auditentry"))


def audit_entries_for(user):
    """The audit log spans every forum, so it is read whole or not at all: by those who may read
    it (``can_read_audit_log``) and whose area covers the whole home city (or more). A pembina of
    one kecamatan reads none of it."""
    from forumanak.core.models import AuditEntry

    if not can_read_audit_log(user):
        return AuditEntry.objects.none()
    city = settings.FORUM_CITY_CODE
    if any(prefix == "" or city == prefix or city.startswith(prefix + ".") for prefix in area_prefixes(user)):
        return AuditEntry.objects.all()
    return AuditEntry.objects.none()


def area_prefixes(user):
    """Region codes whose regions (and everything below) the user's report covers: the regions of
    their forums, without codes already inside another. "" means the whole country."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return [settings.FORUM_CITY_CODE]
    rows = list(membership_selectors.staff_forums(user).values_list("region_id", "level"))
    if any(level == Forum.Level.NASIONAL for _code, level in rows):
        return [""]
    codes = sorted({code for code, _level in rows if code})
    return [c for c in codes if not any(o != c and c.startswith(o + ".") for o in codes)]


def area_q(prefixes, field):
    """Rows whose region code (at ``field``) is one of ``prefixes`` or below one."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        if prefix == "":
            return Q()
        q |= Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})
    return q


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (inclusive). Figures stop at ``as_of``: the end, or
    today if the period has not ended yet."""

    start: date
    end: date

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def as_of(self):
        return min(self.end, timezone.localdate())

    @property
    def start_dt(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_dt(self):
        """The moment the period (as far as it has gone) ends: midnight after ``as_of``."""
        return timezone.make_aware(datetime.combine(self.as_of + timedelta(days=1), time.min))

    @property
    def is_year(self):
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)


def years_before(day, years):
    """The latest birth date of someone who is ``years`` old on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_case(on):
    """A SQL expression for a member's age band on ``on``, from the date of birth (none after
    erasure)."""
    return Case(
        When(date_of_birth__isnull=True, then=Value("unknown")),
        When(date_of_birth__gt=years_before(on, 13), then=Value("10-12")),
        When(date_of_birth__gt=years_before(on, 16), then=Value("13-15")),
        When(date_of_birth__gt=years_before(on, 18), then=Value("16-17")),
        default=Value("18+"),
        output_field=CharField(),
    )


def _status_counts(prefix=""):
    return {
        group: Count("pk", filter=Q(**{f"{prefix}status__in": statuses}))
        for group, statuses in STATUS_GROUPS.items()
    }


def _member_at(moment):
    """Members at ``moment``: approved before it and not ended by it."""
    return Q(approved_at__lt=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gte=moment))


# ---- sections ---------------------------------------------------------------------------------


def forum_coverage(prefixes, period):
    on = period.as_of
    soon = on + timedelta(days=WARN_DAYS)
    sk_in_force = (
        ~Q(sk_number="") & Q(sk_date__isnull=False, sk_date__lte=on)
        & (Q(sk_valid_until__isnull=True) | Q(sk_valid_until__gte=on))
    )
    forum = Forum.objects.filter(region=OuterRef("pk"))
    current_term = BoardTerm.objects.filter(forum__region=OuterRef("pk"), start_date__lte=on, end_date__gte=on)
    regions = Region.objects.filter(area_q(prefixes, "code"), level__in=[Region.Level.KECAMATAN, Region.Level.DESA]).annotate(
        has_forum=Exists(forum), sk_ok=Exists(forum.filter(sk_in_force)), term_ok=Exists(current_term),
    )
    by_level = {
        row["level"]: row
        for row in regions.order_by().values("level").annotate(
            total=Count("pk"),
            with_forum=Count("pk", filter=Q(has_forum=True)),
            with_sk=Count("pk", filter=Q(sk_ok=True)),
            with_term=Count("pk", filter=Q(term_ok=True)),
            covered=Count("pk", filter=Q(sk_ok=True, term_ok=True)),
        )
    }
    levels = []
    for level, key in ((Region.Level.KECAMATAN, "kecamatan"), (Region.Level.DESA, "kelurahan")):
        row = by_level.get(level, {})
        levels.append({
            "key": key, "total": row.get("total", 0), "with_forum": row.get("with_forum", 0),
            "with_sk": row.get("with_sk", 0), "with_term": row.get("with_term", 0), "covered": row.get("covered", 0),
        })
    last_term_end = BoardTerm.objects.filter(forum__region=OuterRef("pk")).order_by("-end_date").values("end_date")[:1]
    uncovered = list(
        regions.filter(Q(sk_ok=False) | Q(term_ok=False))
        .annotate(last_term_end=Subquery(last_term_end))
        .order_by("code")
        .values("code", "name", "level", "parent__name", "has_forum", "sk_ok", "term_ok", "forum__name",
                "forum__sk_number", "forum__sk_valid_until", "last_term_end")
    )
    for row in uncovered:
        row["reasons"] = coverage_reasons(row, on)
    forums = Forum.objects.filter(area_q(prefixes, "region__code"))
    warnings = [
        {"kind": "sk", "forum": name, "region": region, "ends": ends}
        for name, region, ends in forums.filter(sk_valid_until__gte=on, sk_valid_until__lte=soon)
        .order_by("sk_valid_until", "name").values_list("name", "region_id", "sk_valid_until")
    ] + [
        {"kind": "term", "forum": name, "region": region, "ends": ends, "term": term}
        for name, region, ends, term in BoardTerm.objects.filter(
            area_q(prefixes, "forum__region__code"), start_date__lte=on, end_date__gte=on, end_date__lte=soon
        ).order_by("end_date", "forum__name").values_list("forum__name", "forum__region_id", "end_date", "name")
    ]
    warnings.sort(key=lambda w: (w["ends"], w["forum"]))
    return {"levels": levels, "uncovered": uncovered, "warnings": warnings, "on": on, "warn_days": WARN_DAYS}


def coverage_reasons(row, on):
    """Why a region is not covered, as codes the template and the workbook put into words."""
    if not row["has_forum"]:
        return ["no_forum"]
    reasons = []
    if not row["sk_ok"]:
        until = row["forum__sk_valid_until"]
        reasons.append("sk_expired" if until and until < on and row["forum__sk_number"] else "no_sk")
    if not row["term_ok"]:
        ended = row["last_term_end"]
        reasons.append("term_ended" if ended and ended < on else "no_term")
    return reasons


def members(prefixes, period):
    """Two grouped passes over the area's members. The first groups them by forum level, gender,
    age band, status and the months in the period in which they joined and ended (a few hundred
    cells, times the months of the period at most, however many members): every total, the
    breakdowns by level, gender and age and the months are sums of its cells. The second gives the
    breakdown by kecamatan."""
    qs = Member.objects.filter(area_q(prefixes, "forum__region__code"))
    start, end, on = period.start_dt, period.end_dt, period.as_of
    born_from = years_before(period.start - timedelta(days=1), 18)  # 17 the day before the period
    born_to = years_before(on, 18)  # 18 on its last day
    ended_between = Q(ended_at__gte=start, ended_at__lt=end)
    joined_in_period = Q(approved_at__gte=start, approved_at__lt=end)
    ended_in_period = Q(approved_at__isnull=False, ended_at__gte=start, ended_at__lt=end)
    cells = list(
        qs.annotate(
            band=age_band_case(on),
            joined_month=Case(When(joined_in_period, then=TruncMonth("approved_at")), output_field=DateTimeField()),
            ended_month=Case(When(ended_in_period, then=TruncMonth("ended_at")), output_field=DateTimeField()),
        ).order_by().values("forum__level", "gender", "band", "status", "joined_month", "ended_month").annotate(
            n=Count("pk"),
            at_start=Count("pk", filter=_member_at(start)),
            at_end=Count("pk", filter=_member_at(end)),
            applied_in_period=Count("pk", filter=Q(applied_at__gte=start, applied_at__lt=end)),
            joined=Count("pk", filter=Q(approved_at__gte=start, approved_at__lt=end)),
            ended=Count("pk", filter=Q(approved_at__isnull=False) & ended_between),
            ended_any=Count("pk", filter=ended_between),
            turning_18=Count("pk", filter=Q(date_of_birth__gt=born_from, date_of_birth__lte=born_to)),
        )
    )

    def total(key, statuses=None, band=None):
        return sum(cell[key] for cell in cells
                   if (statuses is None or cell["status"] in statuses) and (band is None or cell["band"] == band))

    totals = {group: total("n", statuses) for group, statuses in STATUS_GROUPS.items()}
    totals.update({key: total(key) for key in ("at_start", "at_end", "applied_in_period", "joined", "ended")})
    totals.update(
        aged_out=total("ended_any", [S.ALUMNI]),
        withdrew=total("ended_any", [S.WITHDRAWN]),
        turning_18=total("turning_18", [S.ACTIVE, S.SUSPENDED, S.ALUMNI]),
        active_18_plus=total("n", [S.ACTIVE], band="18+"),  # the band "18+" is born on or before born_to
    )
    totals["growth"] = totals["at_end"] - totals["at_start"]

    def breakdown(key, order):
        rows = {}
        for cell in cells:
            row = rows.setdefault(cell[key], {key: cell[key], **dict.fromkeys(STATUS_GROUPS, 0)})
            for group, statuses in STATUS_GROUPS.items():
                if cell["status"] in statuses:
                    row[group] += cell["n"]
        return [rows[k] for k in sorted(rows, key=order)]

    by_level = breakdown("forum__level", lambda level: level)
    by_gender = breakdown("gender", lambda gender: gender)
    by_age = breakdown("band", AGE_BANDS.index)
    # grouped by the code alone (a hash of a few groups), named and sorted after: grouping by the
    # joined name made PostgreSQL sort every member first
    kecamatan_name = Region.objects.filter(code=OuterRef("kecamatan_id")).values("name")[:1]
    by_kecamatan = [
        {"kecamatan_id": row["kecamatan_id"], "kecamatan__name": row["name"],
         **{group: row[group] for group in STATUS_GROUPS}}
        for row in qs.order_by().values("kecamatan_id").annotate(**_status_counts())
        .annotate(name=Subquery(kecamatan_name)).order_by("name", "kecamatan_id")
    ]
    joined_by_month, ended_by_month = {}, {}
    for cell in cells:
        for by_month, month in ((joined_by_month, cell["joined_month"]), (ended_by_month, cell["ended_month"])):
            if month is not None:
                key = _month_key(month)
                by_month[key] = by_month.get(key, 0) + cell["n"]
    months = []
    for month in month_starts(period.start, on):
        joined = joined_by_month.get((month.year, month.month), 0)
        ended = ended_by_month.get((month.year, month.month), 0)
        months.append({"month": month, "joined": joined, "ended": ended, "net": joined - ended})
    return {"totals": totals, "by_level": by_level, "by_kecamatan": by_kecamatan, "by_gender": by_gender,
            "by_age": by_age, "months": months}


def _month_key(value):
    """(year, month) of a truncated month as the database returns it (a datetime, a date, or text on
    SQLite inside an expression)."""
    if isinstance(value, str):
        return int(value[:4]), int(value[5:7])
    return value.year, value.month


def month_starts(start, end):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def consultations(prefixes, period):
    start, end = period.start_dt, period.end_dt
    now = timezone.now()
    qs = consultation_selectors.public_consultations().filter(
        area_q(prefixes, "forum__region__code"), opens_at__lt=end, closes_at__gte=start,
    )
    # COUNT(*) of a consultation's participations reads only the index on the consultation
    participants = (Participation.objects.filter(consultation=OuterRef("pk")).order_by().values("consultation")
                    .annotate(n=Count("*")).values("n"))
    responses = (GovernmentResponse.objects.filter(consultation=OuterRef("pk")).order_by().values("consultation")
                 .annotate(n=Count("pk")).values("n"))
    rows = list(
        qs.annotate(participants=Coalesce(Subquery(participants, output_field=IntegerField()), 0),
                    responses_count=Coalesce(Subquery(responses, output_field=IntegerField()), 0))
        .order_by("opens_at", "pk")
        .values("pk", "title", "slug", "cluster", "status", "opens_at", "closes_at", "min_age", "max_age",
                "forum_id", "forum__region_id", "participants", "responses_count")
    )
    scope = {}
    if rows:
        through = Consultation.scope_forums.through
        for consultation_id, region_id in through.objects.filter(consultation_id__in=[r["pk"] for r in rows]).values_list(
            "consultation_id", "forum__region_id"
        ):
            scope.setdefault(consultation_id, []).append(region_id)
    # One pass over the members for all the consultations: what they share (a status that was once
    # approved, approved before the last closing, within the consultations' regions) filters the
    # rows once; each count then tests the cheap date conditions before the region. Consultations
    # that ask the same question (the open ones all count at "now") share one count, and a count
    # over all the regions of the pass needs no region test.
    moments, all_regions, keys = [], set(), {}
    for row in rows:
        moment = min(row["closes_at"], now)
        regions = frozenset("" if r is None else r for r in scope.get(row["pk"]) or [row["forum__region_id"]])
        row["as_of"] = timezone.localdate(moment)
        moments.append(moment)
        all_regions.update(regions)
        keys[row["pk"]] = (moment, row["as_of"], row["min_age"], row["max_age"], regions)
    eligible_counts, aliases = {}, {}
    for key in dict.fromkeys(keys.values()):
        moment, day, min_age, max_age, regions = key
        condition = Q(date_of_birth__lte=years_before(day, min_age), date_of_birth__gt=years_before(day, max_age + 1))
        condition &= _member_at(moment)
        if regions != all_regions:
            condition &= area_q(sorted(regions), "forum__region__code")
        aliases[key] = f"c{len(aliases)}"
        eligible_counts[aliases[key]] = Count("pk", filter=condition)
    eligible = Member.objects.filter(
        area_q(sorted(all_regions), "forum__region__code"),
        status__in=[S.ACTIVE, S.SUSPENDED, S.ALUMNI, S.WITHDRAWN], approved_at__lt=max(moments),
    ).aggregate(**eligible_counts) if eligible_counts else {}
    for row in rows:
        row["eligible"] = eligible.get(aliases[keys[row["pk"]]], 0)
        row["turnout"] = row["participants"] / row["eligible"] if row["eligible"] else None
        row["answer_published"] = row["status"] == Consultation.Status.CLOSED and row["responses_count"] > 0
        row["cluster_label"] = Consultation.Cluster(row["cluster"]).label
    by_cluster = {
        row["cluster"]: row
        for row in qs.order_by().values("cluster").annotate(n=Count("pk"))
    }
    clusters = []
    for value, label in Consultation.Cluster.choices:
        held = [r for r in rows if r["cluster"] == value]
        clusters.append({
            "cluster": value, "label": label, "count": by_cluster.get(value, {}).get("n", 0),
            "participants": sum(r["participants"] for r in held),
            "eligible": sum(r["eligible"] for r in held),
        })
    total_participants = sum(r["participants"] for r in rows)
    total_eligible = sum(r["eligible"] for r in rows)
    totals = {
        "count": len(rows), "participants": total_participants, "eligible": total_eligible,
        "turnout": total_participants / total_eligible if total_eligible else None,
        "answered": sum(1 for r in rows if r["answer_published"]),
    }
    return {"rows": rows, "clusters": clusters, "totals": totals}


def events(prefixes, period):
    qs = Event.objects.filter(area_q(prefixes, "forum__region__code"), starts_at__gte=period.start_dt,
                              starts_at__lt=period.end_dt)
    kecamatan = Case(
        When(forum__level__gte=Forum.Level.KECAMATAN, then=Substr("forum__region_id", 1, 8)),
        default=Value(""), output_field=CharField(),
    )
    name = Region.objects.filter(code=OuterRef("kec")).values("name")[:1]
    reg = "registrations__status"
    rows = list(
        qs.annotate(kec=kecamatan).order_by().values("audience", "kec")
        .annotate(
            events=Count("pk", distinct=True),
            registered=Count("registrations", filter=Q(**{f"{reg}__in": SEAT_HOLDING})),
            attended=Count("registrations", filter=Q(**{reg: Registration.Status.ATTENDED})),
            no_show=Count("registrations", filter=Q(**{reg: Registration.Status.NO_SHOW})),
            waitlisted=Count("registrations", filter=Q(**{reg: Registration.Status.WAITLISTED})),
        )
        .annotate(kec_name=Subquery(name))
    )
    for row in rows:
        row["registrations"] = row.pop("registered")
    rows.sort(key=lambda r: (r["audience"], r["kec"] == "", r["kec_name"] or "", r["kec"]))
    audiences = []
    for value, label in Audience.choices:
        mine = [r for r in rows if r["audience"] == value]
        audiences.append({"audience": value, "label": label,
                          **{k: sum(r[k] for r in mine) for k in ("events", "registrations", "attended", "no_show",
                                                                 "waitlisted")}})
    totals = {k: sum(a[k] for a in audiences) for k in ("events", "registrations", "attended", "no_show", "waitlisted")}
    for row in [*rows, *audiences, totals]:
        checked = row["attended"] + row["no_show"]
        row["attendance_rate"] = row["attended"] / checked if checked else None
    labels = dict(Audience.choices)
    for row in rows:
        row["audience_label"] = labels.get(row["audience"], row["audience"])
    return {"rows": rows, "audiences": audiences, "totals": totals}


def consent(prefixes, period, *, limit=EXCEPTION_LIMIT, active_count=None):
    """Active members whose latest membership decision is a grant, and the others.

    Each member carries their latest membership decision (``Member.membership_consent``, kept in
    step with the decisions by the membership service that appends them). The exceptions (active,
    latest decision not a grant) are few and have a partial index of their own: one grouped count
    of them gives the reasons, and a second query lists them (sorted, then cut) only when there
    are any. ``active_count``, the area's active members, comes from the members section when the
    whole report is built; otherwise it is counted here."""
    D = ConsentDecision.Decision
    active = Member.objects.filter(area_q(prefixes, "forum__region__code"), status=S.ACTIVE)
    not_granted = active.filter(~Q(membership_consent=D.GRANTED))
    by_consent = dict(not_granted.order_by().values_list("membership_consent").annotate(n=Count("pk")))
    totals = {"active": active.count() if active_count is None else active_count,
              "exceptions": sum(by_consent.values())}
    totals["valid"] = totals["active"] - totals["exceptions"]
    totals["share"] = totals["valid"] / totals["active"] if totals["active"] else None
    exceptions = []
    if totals["exceptions"]:
        exceptions = (
            not_granted.order_by("forum__name", "member_number")
            .values("pk", "member_number", "display_name", "forum__name", "kecamatan__name", "membership_consent",
                    "approved_at")
        )
        exceptions = list(exceptions[:limit] if limit is not None else exceptions)
    for row in exceptions:
        row["consent"] = row["reason"] = row.pop("membership_consent") or "none"
    by_reason = {D.REFUSED: by_consent.get(D.REFUSED, 0), D.WITHDRAWN: by_consent.get(D.WITHDRAWN, 0)}
    by_reason = {"none": totals["exceptions"] - sum(by_reason.values()), **by_reason}
    return {"totals": totals, "by_reason": by_reason, "exceptions": exceptions}


def kla_report(user, period, *, exception_limit=EXCEPTION_LIMIT):
    """Every section of the KLA evidence report for ``user``'s area and ``period``."""
    prefixes = area_prefixes(user)
    names = dict(Region.objects.filter(code__in=[p for p in prefixes if p]).values_list("code", "name"))
    area = [names.get(p, p) for p in prefixes] if prefixes != [""] else []
    member_figures = members(prefixes, period)
    return {
        "period": period,
        "prefixes": prefixes,
        "area": area,
        "coverage": forum_coverage(prefixes, period),
        "members": member_figures,
        "consultations": consultations(prefixes, period),
        "events": events(prefixes, period),
        "consent": consent(prefixes, period, limit=exception_limit,
                           active_count=member_figures["totals"]["active"]),
    }

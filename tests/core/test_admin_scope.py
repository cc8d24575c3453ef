"""Every admin page of every viewset the project registers is limited to the staff member's area
(issue 16 §3). This is the attacker's test: it does not list the views it knows. It walks the URL
resolver (tests/urlwalk.py) for every URL pattern of every viewset in Wagtail's registry whose
class is the project's, so a view that Wagtail adds in an upgrade (another "history" or "usage"
page) or that we add later, and a new viewset, are attacked too.

The world holds, in each of four areas — the city's own forum, kelurahan Manggar (kecamatan
Balikpapan Timur), kelurahan Baru Tengah (kecamatan Balikpapan Barat) and another city
(Samarinda) — one row of every model a viewset shows, made by ``build_area``. Which rows belong
to which area is recorded as they are made, per model, so a new viewset only needs its rows made
there (the test fails and says so until they are).

For each role (the city's pembina, a kecamatan and a kelurahan fasilitator, an editor and a
penulis, with the groups ``setup_roles`` and the editorial migration give them), every view of
every viewset is requested for one row inside and every row outside the role's area, by GET, and
for the rows outside also by POST (not followed). Outside: 404 or 403, never 200, never 500, and
the row is unchanged afterwards. Inside: never 500. Lists never link to a row outside.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from events.models import Event, Registration
from forumanak.consultations.models import Answer, Ballot, Consultation, GovernmentResponse, Question, SafeguardingFlag
from forumanak.core import audit
from forumanak.core.management.commands.setup_roles import ensure_roles
from forumanak.core.viewsets import ScopedModelViewSet
from forumanak.membership.models import BoardPosition, BoardTerm, ConsentText, Forum, Member, StaffAssignment
from forumanak.regions.models import Region
from tests.conftest import enable_totp, grant_admin_access, make_user, sign_in_with_second_factor
from tests.urlwalk import project_viewsets, viewset_routes

pytestmark = pytest.mark.django_db

# Viewsets that are the same for everyone who may open them, and why. Each must still be registered
# (a stale entry fails), and its views are still requested (never 500).
UNSCOPED_BY_DESIGN = {
    "membership.consenttext": "city-wide reference data: the versioned texts shown to guardians, no personal data; "
                              "only the Pembina group may add or change them",
    "cms.topic": "editorial snippet (the five KLA clusters), edited by Editors; no child data",
    "regions.region": "the region chooser: the official public list of Indonesia's regions (Kemendagri), "
                      "read-only; who may set a forum's region is the forum viewset's scope",
}
# Rows that belong to no area: the audit log spans every forum. Only staff whose area covers the
# whole home city (and superusers) read it; for everyone else every entry is outside.
WHOLE_LOG = {"core.auditentry"}

AREAS = ("city", "manggar", "barutengah", "samarinda")
ROLES = {
    # role: (forum key of the staff assignment, group, areas inside)
    "pembina": ("city", "Pembina", {"city", "manggar", "barutengah"}),
    "fasilitator_kecamatan": ("timur", "Fasilitator", {"manggar"}),
    "fasilitator_kelurahan": ("manggar", "Fasilitator", {"manggar"}),
    "editor": (None, "Editor", set()),
    "penulis": (None, "Penulis", set()),
}
OUTSIDE = (403, 404)


def region(code, name, level, parent=None):
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def forum(name, reg, level, parent=None):
    return Forum.objects.create(name=name, slug=reg.code.replace(".", "-"), region=reg, level=level, parent=parent)


def build_area(area_forum, kelurahan, *, kecamatan_code, visitor=None):
    """One row of every model a viewset shows, in ``area_forum``'s area. ``visitor``: a member of
    another area who registered for this area's event (the door of issue 16 §2)."""
    n = area_forum.slug
    today = timezone.localdate()
    dob = today.replace(year=today.year - 13) - timedelta(days=30)
    member = Member.objects.create(
        user=make_user(f"anak-{n}", email=""), forum=area_forum, status=Member.Status.ACTIVE,
        member_number=f"FA-{n}", full_name=f"Anak {n} Lengkap", display_name=f"Anak {n}", date_of_birth=dob,
        gender="P", kelurahan=kelurahan, kecamatan_id=kelurahan.parent_id, birth_year=dob.year,
    )
    term = BoardTerm.objects.create(forum=area_forum, name=f"Periode {n}", start_date=date(2025, 1, 1),
                                    end_date=date(2027, 12, 31))
    BoardPosition.objects.create(term=term, member=member, role="ketua", start_date=date(2025, 1, 1),
                                 end_date=date(2027, 12, 31))
    StaffAssignment.objects.create(user=make_user(f"staf-{n}"), forum=area_forum, role="fasilitator")
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=f"konsultasi-{n}", title=f"Konsultasi {n}", summary="Ringkasan", cluster=4, forum=area_forum,
        opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1), status="closed",
        published_at=now - timedelta(days=4), closed_at=now - timedelta(days=1),
    )
    question = Question.objects.create(consultation=consultation, kind="text", prompt="Usulanmu?", required=False,
                                       max_length=200, sort_order=0)
    ballot = Ballot.objects.create(consultation=consultation, age_band="13-15", gender="P",
                                   kecamatan_code=kecamatan_code, voted_on=today)
    answer = Answer.objects.create(ballot=ballot, question=question, text=f"Tolong aku, {n}",
                                   moderation=Answer.Moderation.PENDING)
    SafeguardingFlag.objects.create(answer=answer, consultation=consultation, forum=area_forum, reason="Perlu dicek")
    GovernmentResponse.objects.create(consultation=consultation, recommendation="Taman", action="Dibangun")
    start = now + timedelta(days=7)
    event = Event.objects.create(
        title=f"Kegiatan {n}", slug=f"kegiatan-{n}", description="Kita belajar.", starts_at=start,
        ends_at=start + timedelta(hours=3), venue_name="Aula", forum=area_forum, capacity=200, is_published=True,
        min_age=10, max_age=17,
    )
    Registration.objects.create(event=event, member=member, user=member.user, status=Registration.Status.CONFIRMED)
    if visitor is not None:
        Registration.objects.create(event=event, member=visitor, user=visitor.user, status=Registration.Status.CONFIRMED)
    audit.record(actor=None, action="test.world", obj=member, object_label=f"member #{member.pk}")
    return member


@pytest.fixture
def world(db):
    """The four areas, the rows of each (by model label), and a user per role."""
    prov = region("64", "Kalimantan Timur", 0)
    bpp = region("64.71", "Kota Balikpapan", 1, prov)
    timur, barat = region("64.71.01", "Balikpapan Timur", 2, bpp), region("64.71.02", "Balikpapan Barat", 2, bpp)
    manggar = region("64.71.01.1001", "Manggar", 3, timur)
    baru_tengah = region("64.71.02.1001", "Baru Tengah", 3, barat)
    smd = region("64.72", "Kota Samarinda", 1, prov)
    smd_kec = region("64.72.01", "Palaran", 2, smd)
    smd_kel = region("64.72.01.1001", "Rawa Makmur", 3, smd_kec)

    models = {v.model for v in project_viewsets()}
    rows = {area: {} for area in AREAS}

    def recording(area, make):
        before = {m: set(m._default_manager.values_list("pk", flat=True)) for m in models}
        result = make()
        for m in models:
            made = set(m._default_manager.values_list("pk", flat=True)) - before[m]
            rows[area].setdefault(m._meta.label_lower, []).extend(sorted(made, key=str))
        return result

    forums = {}

    def make_city():
        forums["city"] = forum("Forum Anak Kota Balikpapan", bpp, 1)
        return None

    recording("city", make_city)
    forums["timur"] = forum("Forum Anak Balikpapan Timur", timur, 2, forums["city"])
    forums["barat"] = forum("Forum Anak Balikpapan Barat", barat, 2, forums["city"])

    def make_manggar():
        forums["manggar"] = forum("Forum Anak Manggar", manggar, 3, forums["timur"])
        return build_area(forums["manggar"], manggar, kecamatan_code="64.71.01")

    manggar_child = recording("manggar", make_manggar)

    def make_baru_tengah():
        forums["barutengah"] = forum("Forum Anak Baru Tengah", baru_tengah, 3, forums["barat"])
        return build_area(forums["barutengah"], baru_tengah, kecamatan_code="64.71.02")

    baru_tengah_child = recording("barutengah", make_baru_tengah)
    # the city's event has children of both kecamatan registered (the city's own rows are made
    # now, when the members exist); the city's ballot comes from Balikpapan Barat
    recording("city", lambda: build_area(forums["city"], baru_tengah, kecamatan_code="64.71.02",
                                         visitor=manggar_child))
    Registration.objects.create(event=Event.objects.get(slug="kegiatan-64-71"), member=baru_tengah_child,
                                user=baru_tengah_child.user, status=Registration.Status.CONFIRMED)

    def make_samarinda():
        forums["samarinda"] = forum("Forum Anak Kota Samarinda", smd, 1)
        return build_area(forums["samarinda"], smd_kel, kecamatan_code="64.72.01")

    recording("samarinda", make_samarinda)
    ConsentText.objects.get_or_create(purpose="membership", language="id", version=99,
                                      defaults={"title": "Uji", "summary": "Uji", "body": "Uji"})

    ensure_roles()
    users = {}
    for role, (forum_key, group, _inside) in ROLES.items():
        user = grant_admin_access(make_user(f"peran-{role}", is_staff=True))
        user.groups.add(Group.objects.get(name=group))
        if forum_key:
            StaffAssignment.objects.create(user=user, forum=forums[forum_key],
                                           role="pembina" if group == "Pembina" else "fasilitator")
        enable_totp(user)
        users[role] = user
    return {"rows": rows, "users": users, "forums": forums}


def test_every_project_viewset_is_scoped_or_unscoped_by_design():
    found = {v.model._meta.label_lower: v for v in project_viewsets()}
    assert {"events.event", "membership.boardposition", "consultations.safeguardingflag"} <= set(found)
    unscoped = {label for label, v in found.items() if not isinstance(v, ScopedModelViewSet)}
    assert unscoped == set(UNSCOPED_BY_DESIGN), "a viewset must extend forumanak.core.viewsets.ScopedModelViewSet"


def area_of(label, pk, world):
    return next(area for area in AREAS if pk in world["rows"][area].get(label, []))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_admin_view_of_a_viewset_opens_outside_the_area(world, role):
    user = world["users"][role]
    inside_areas = ROLES[role][2]
    covers_city = "city" in inside_areas
    client = Client(raise_request_exception=False)
    sign_in_with_second_factor(client, user)
    walked = viewset_routes()
    assert walked, "the walk found no viewset URLs"

    by_viewset = {}
    for viewset, route in walked:
        by_viewset.setdefault(viewset, []).append(route)

    failures = []
    opened_inside = []  # the detector: the same walk does open pages inside the area
    for viewset, routes in by_viewset.items():
        model = viewset.model
        label = model._meta.label_lower
        object_routes = [r for r in routes if r.params]
        list_routes = [r for r in routes if not r.params]
        if label in UNSCOPED_BY_DESIGN:
            sample = model._default_manager.first()
            for route in routes:
                path = route.path_for({"pk": sample.pk}) if (route.params and sample) else route.path
                status = client.get(path).status_code
                if status >= 500:
                    failures.append(f"{role} GET {path} (unscoped {label}): {status}")
            continue
        if label in WHOLE_LOG:
            every = [pk for area in AREAS for pk in world["rows"][area].get(label, [])]
            inside, outside = (every, []) if covers_city else ([], every)
        else:
            per_area = {area: world["rows"][area].get(label, []) for area in AREAS}
            assert all(per_area.values()), f"build_area makes no {label} in some area: add one for the new viewset"
            inside = [pk for area in AREAS if area in inside_areas for pk in per_area[area]]
            outside = [pk for area in AREAS if area not in inside_areas for pk in per_area[area]]
        before = list(model._default_manager.filter(pk__in=outside).order_by("pk").values())

        for route in object_routes:
            assert route.params == {"pk"}, f"{route.route}: a viewset URL names its object by pk"
            for pk in inside[:1]:
                path = route.path_for({"pk": pk})
                status = client.get(path).status_code
                if status >= 500:
                    failures.append(f"{role} GET {path} (inside): {status}")
                elif status == 200:
                    opened_inside.append(route.route)
            for pk in outside:
                path = route.path_for({"pk": pk})
                where = "whole log" if label in WHOLE_LOG else area_of(label, pk, world)
                for method in ("get", "post"):
                    status = getattr(client, method)(path).status_code
                    if status not in OUTSIDE:
                        failures.append(f"{role} {method.upper()} {path} ({where}): {status}")
        for route in list_routes:  # index, results, add and any other view without an object
            response = client.get(route.path)
            if response.status_code >= 500:
                failures.append(f"{role} GET {route.path}: {response.status_code}")
                continue
            html = response.content.decode(errors="replace") if response.status_code == 200 else ""
            for pk in outside:
                for object_route in object_routes:
                    if object_route.path_for({"pk": pk}) in html:
                        failures.append(f"{role} GET {route.path} links to {object_route.path_for({'pk': pk})}")
        if list(model._default_manager.filter(pk__in=outside).order_by("pk").values()) != before:
            failures.append(f"{role}: rows of {label} outside the area were changed or deleted")
    assert failures == [], "\n".join(failures)
    if role in ("pembina", "fasilitator_kelurahan"):
        assert {"admin/kegiatan/edit/<int:pk>/", "admin/kegiatan/history/<int:pk>/", "admin/boardposition/usage/<int:pk>/",
                "admin/konsultasi-perlindungan/history/<int:pk>/"} <= set(opened_inside), sorted(set(opened_inside))


def test_the_site_history_report_leaves_out_the_rows_of_scoped_viewsets(world, client):
    """Wagtail's site-wide history report listed the edits of every forum's board positions, with
    the children's names, to anyone with a permission on the model (a kelurahan fasilitator)."""
    from django.contrib.auth import get_user_model
    from wagtail.log_actions import log

    position = BoardPosition.objects.get(term__forum=world["forums"]["barutengah"])
    log(instance=position, action="wagtail.edit", user=world["users"]["pembina"])
    name = str(position)
    assert "Anak 64-71-02-1001" in name
    boss = get_user_model().objects.create_superuser("boss", "boss@example.test", "x")
    enable_totp(boss)
    for who, shown in (("fasilitator_kelurahan", False), ("pembina", False), ("editor", False), ("superuser", True)):
        user = boss if who == "superuser" else world["users"][who]
        sign_in_with_second_factor(client, user)
        for path in ("/admin/reports/site-history/", "/admin/reports/site-history/results/",
                     "/admin/reports/site-history/?export=csv"):
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert (name in body.decode()) is shown, (who, path)
        client.logout()

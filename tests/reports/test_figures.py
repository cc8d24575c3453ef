"""Every figure of the KLA report equals an independent count of generated data with a known
answer (tests/reports/conftest.py), on the dashboard, in the workbook, and for each scope."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from forumanak.core.models import AuditEntry
from forumanak.reports import selectors
from forumanak.reports.labels import describe
from forumanak.reports.selectors import Period
from tests.conftest import sign_in_with_second_factor
from tests.reports.conftest import PERIOD, YEAR, expected

pytestmark = pytest.mark.django_db


def report_for(user, period=PERIOD):
    return describe(selectors.kla_report(user, period))


def assert_matches(report, exp):
    cov = report["coverage"]
    assert {2 if lvl["key"] == "kecamatan" else 3: {k: lvl[k] for k in ("total", "with_forum", "with_sk", "with_term", "covered")}
            for lvl in cov["levels"] if lvl["total"]} == exp["levels"]
    assert sorted(row["code"] for row in cov["uncovered"]) == exp["uncovered"]
    assert sorted((w["kind"], w["forum"]) for w in cov["warnings"]) == exp["warnings"]
    mem = report["members"]
    assert {k: mem["totals"][k] for k in exp["members"]["totals"]} == exp["members"]["totals"]
    groups = ("active", "applied", "alumni", "withdrawn")
    for dim, key in (("by_level", "forum__level"), ("by_kecamatan", "kecamatan_id"), ("by_gender", "gender"),
                     ("by_age", "band")):
        assert {row[key]: {g: row[g] for g in groups} for row in mem[dim]} == exp["members"][dim], dim
    assert {m["month"]: {"joined": m["joined"], "ended": m["ended"]} for m in mem["months"]
            if m["joined"] or m["ended"]} == exp["members"]["months"]
    con = report["consultations"]
    assert {row["slug"]: {"cluster": row["cluster"], "eligible": row["eligible"], "participants": row["participants"],
                          "answer_published": row["answer_published"]} for row in con["rows"]} == exp["consultations"]
    assert con["totals"]["count"] == len(exp["consultations"])
    assert con["totals"]["participants"] == sum(c["participants"] for c in exp["consultations"].values())
    for cluster in con["clusters"]:
        assert cluster["count"] == sum(c["cluster"] == cluster["cluster"] for c in exp["consultations"].values())
    ev = report["events"]
    assert {(row["audience"], row["kec"]): {k: row[k] for k in ("events", "registrations", "attended", "no_show")}
            for row in ev["rows"]} == exp["events"]
    for k in ("events", "registrations", "attended", "no_show"):
        assert ev["totals"][k] == sum(row[k] for row in exp["events"].values())
    cs = report["consent"]
    assert cs["totals"]["active"] == exp["consent"]["active"]
    assert cs["totals"]["valid"] == exp["consent"]["valid"]
    assert {row["pk"]: row["reason"] for row in cs["exceptions"]} == exp["consent"]["exceptions"]


def test_pembina_report_equals_an_independent_count(world):
    report = report_for(world["pembina"])
    exp = expected(world, "64.71")
    assert_matches(report, exp)
    # the known answer of the generated data
    cov = report["coverage"]
    assert [(lvl["covered"], lvl["total"]) for lvl in cov["levels"]] == [(1, 2), (2, 4)]
    reasons = {row["code"]: row["reasons"] for row in cov["uncovered"]}
    assert reasons == {"64.71.02": ["sk_expired"], "64.71.01.1002": ["term_ended"], "64.71.02.1002": ["no_forum"]}
    assert [(w["kind"], w["ends"]) for w in cov["warnings"]] == [("sk", date(YEAR + 1, 1, 30)), ("term", date(YEAR + 1, 3, 1))]
    assert report["members"]["totals"]["turning_18"] >= 2  # the edge birthdays on the first and last day
    assert {c["slug"] for c in report["consultations"]["rows"]} == {"musrenbang", "sekolah", "taman"}
    assert [c["answer_published"] for c in report["consultations"]["rows"]] == [True, False, False]
    assert set(exp["consent"]["exceptions"].values()) == {"none", "withdrawn", "refused"}
    assert 0 < report["consultations"]["totals"]["turnout"] <= 1


def test_members_turning_18_on_the_edges_of_the_period(world):
    """Born on 1 January or 31 December eighteen years before the period's year: counted. Born a
    day earlier or later: not."""
    from forumanak.membership.models import Member

    by_dob = {m.date_of_birth: m for m in Member.objects.filter(date_of_birth__isnull=False)}
    inside = [by_dob[date(YEAR - 18, 1, 1)].pk, by_dob[date(YEAR - 18, 12, 31)].pk]
    outside = [by_dob[date(YEAR - 19, 12, 31)].pk, by_dob[date(YEAR - 17, 1, 1)].pk]
    for pk in inside + outside:
        Member.objects.filter(pk=pk).update(status="active", member_number=f"EDGE-{pk}")

    def turning_18():
        counted = report_for(world["pembina"])["members"]["totals"]["turning_18"]
        assert counted == expected(world, "64.71")["members"]["totals"]["turning_18"]
        return counted

    everyone = turning_18()
    Member.objects.filter(pk__in=outside).update(status="applied", member_number=None)
    assert turning_18() == everyone
    Member.objects.filter(pk__in=inside).update(status="applied", member_number=None)
    assert turning_18() == everyone - 2


@pytest.mark.parametrize("who, prefix", [("fasilitator", "64.71.01.1001"), ("kec_fasilitator", "64.71.02")])
def test_fasilitator_sees_only_their_forum_chain(world, who, prefix):
    report = report_for(world[who])
    assert report["prefixes"] == [prefix]
    assert_matches(report, expected(world, prefix))
    everyone = report_for(world["pembina"])
    assert sum(report["members"]["totals"][k] for k in ("active", "applied", "alumni", "withdrawn")) < sum(
        everyone["members"]["totals"][k] for k in ("active", "applied", "alumni", "withdrawn"))
    assert report["events"]["totals"]["events"] < everyone["events"]["totals"]["events"]


def test_fasilitator_page_shows_nothing_from_other_forums(client, world):
    sign_in_with_second_factor(client, world["fasilitator"])
    html = client.get(f"/admin/kla/?tahun={YEAR}").content.decode()
    assert "Manggar" in html
    for other in ("Lamaru", "Margo Mulyo", "Balikpapan Barat", "Konsultasi musrenbang"):
        assert other not in html


def figure(html, key):
    match = re.search(rf'data-figure="{key}"[^>]*>(?:<span class="kla-figure-value">)?([^<]+)<', html)
    return int(re.sub(r"[^\d]", "", match.group(1)) or 0) * (-1 if match.group(1).strip().startswith("-") else 1)


def test_dashboard_page_shows_the_figures(client, world):
    sign_in_with_second_factor(client, world["pembina"])
    response = client.get(f"/admin/kla/?tahun={YEAR}")
    assert response.status_code == 200
    html = response.content.decode()
    exp = expected(world, "64.71")
    t = exp["members"]["totals"]
    for key in ("active", "applied", "alumni", "withdrawn", "at_start", "joined", "aged_out", "withdrew", "at_end",
                "applied_in_period", "turning_18", "active_18_plus"):
        assert figure(html, key) == t[key], key
    for key in ("events", "registrations", "attended", "no_show"):
        assert figure(html, key) == sum(row[key] for row in exp["events"].values()), key
    assert html.count('class="kla-uncovered"') == 3 and "Margo Mulyo" in html
    assert html.count('class="kla-exception"') == len(exp["consent"]["exceptions"])
    assert html.count("<svg") >= 6 and "<script" not in html.split('id="main"')[1].split("</main>")[0]
    # numbers are text inside the charts
    assert re.search(r'<text[^>]*class="kla-chart-value">\d', html)
    assert not re.search(r'(?:x|y|width)="\d+,\d', html)  # SVG coordinates are never localised (27,5)


def test_date_range_filter(client, world):
    period = Period(date(YEAR, 6, 1), date(YEAR, 9, 30))
    report = report_for(world["pembina"], period)
    assert_matches(report, expected(world, "64.71", period))
    assert {c["slug"] for c in report["consultations"]["rows"]} == {"sekolah", "taman"}
    sign_in_with_second_factor(client, world["pembina"])
    response = client.get(f"/admin/kla/?dari={YEAR}-06-01&sampai={YEAR}-09-30")
    assert response.context["period"] == period
    response = client.get(f"/admin/kla/?dari={YEAR}-09-30&sampai={YEAR}-06-01")  # reversed: refused, this year shown
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["period"] == Period.year(date.today().year)


def sheet_values(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def lookup(rows, label, column=1):
    for row in rows:
        if row and row[0] == label:
            return row[column]
    raise KeyError(label)


def test_workbook_opens_and_matches_the_dashboard(client, world):
    sign_in_with_second_factor(client, world["pembina"])
    dashboard = client.get(f"/admin/kla/?tahun={YEAR}").context["report"]
    response = client.get(f"/admin/kla/unduh.xlsx?tahun={YEAR}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bukti-kla-')
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames == ["Cakupan forum", "Anggota", "Konsultasi", "Kegiatan", "Persetujuan"]
    exp = expected(world, "64.71")

    cov = sheet_values(wb["Cakupan forum"])
    for lvl in dashboard["coverage"]["levels"]:
        row = next(r for r in cov if r[0] == str(lvl["label"]))
        assert list(row[1:6]) == [lvl["total"], lvl["with_forum"], lvl["with_sk"], lvl["with_term"], lvl["covered"]]
    assert {r[0] for r in cov if r and r[0] and r[0].startswith("64.71.")} == set(exp["uncovered"])

    mem = sheet_values(wb["Anggota"])
    t = dashboard["members"]["totals"]
    assert lookup(mem, "Anggota aktif (saat ini)") == t["active"] == exp["members"]["totals"]["active"]
    assert lookup(mem, "Anggota pada awal periode") == t["at_start"]
    assert lookup(mem, "Anggota pada akhir periode") == t["at_end"]
    assert lookup(mem, "Berumur 18 tahun dalam periode") == t["turning_18"] == exp["members"]["totals"]["turning_18"]
    # every breakdown adds up to the totals
    sums = [r for r in mem if r and r[0] == "Jumlah"]
    assert len(sums) == 4
    for row in sums:
        assert list(row[1:5]) == [t["active"], t["applied"], t["alumni"], t["withdrawn"]]

    con = sheet_values(wb["Konsultasi"])
    titles = {r[0]: r for r in con if r and r[0] and str(r[0]).startswith("Konsultasi ")}
    for row in dashboard["consultations"]["rows"]:
        assert list(titles[row["title"]][5:8]) == [row["eligible"], row["participants"], pytest.approx(row["turnout"])]
    totals = next(r for r in con if r and r[0] == "Jumlah")
    assert totals[6] == dashboard["consultations"]["totals"]["participants"]

    ev = sheet_values(wb["Kegiatan"])
    total = next(r for r in ev if r and r[0] == "Jumlah")
    assert list(total[2:6]) == [dashboard["events"]["totals"][k] for k in ("events", "registrations", "attended", "no_show")]

    cs = sheet_values(wb["Persetujuan"])
    assert lookup(cs, "Anggota aktif") == dashboard["consent"]["totals"]["active"]
    assert lookup(cs, "Dengan persetujuan keanggotaan yang sah") == dashboard["consent"]["totals"]["valid"]
    listed = [r for r in cs if r and r[0] and str(r[0]).startswith("FA-6471-")]
    assert len(listed) == len(exp["consent"]["exceptions"])
    assert all(r[5] for r in listed)  # each exception says what to do
    # exporting is audited
    entry = AuditEntry.objects.get(action="reports.kla_export")
    assert entry.actor == world["pembina"] and entry.data["wilayah"] == ["64.71"]


def test_workbook_is_indonesian_for_an_english_speaking_officer(client, world):
    world["pembina"].language = "en"
    world["pembina"].save()
    sign_in_with_second_factor(client, world["pembina"])
    response = client.get(f"/admin/kla/unduh.xlsx?tahun={YEAR}", HTTP_ACCEPT_LANGUAGE="en")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames[0] == "Cakupan forum"


def test_people_without_a_forum_assignment_cannot_open_the_report(client, world, staff_with_mfa):
    sign_in_with_second_factor(client, staff_with_mfa)  # an editor: admin access, no forum
    for url in ("/admin/kla/", "/admin/kla/unduh.xlsx"):
        response = client.get(url)  # the Wagtail admin turns the refusal into a redirect to its home
        assert response.status_code == 302 and response.url == "/admin/"
    assert "Bukti KLA" not in client.get("/admin/").content.decode()  # and no menu item
    assert not AuditEntry.objects.filter(action="reports.kla_export").exists()

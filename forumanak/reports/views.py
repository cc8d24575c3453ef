"""The KLA evidence dashboard and its workbook download, in the Wagtail admin."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from forumanak.core import audit

from . import charts, exports, selectors
from .forms import PeriodForm
from .labels import STATUS_LABELS, describe


def _require_report_staff(request):
    if not selectors.is_report_staff(request.user):
        raise PermissionDenied


def _period(request):
    form = PeriodForm(request.GET if request.GET else None)
    return form, form.period()


def _query(period):
    if period.is_year:
        return urlencode({"tahun": period.start.year})
    return urlencode({"dari": period.start.isoformat(), "sampai": period.end.isoformat()})


def _charts(report):
    cov, mem, con, ev, cs = (report[k] for k in ("coverage", "members", "consultations", "events", "consent"))

    def of(part, whole):
        return _("%(part)s dari %(whole)s (%(share)s)") % {
            "part": formats.number_format(part, force_grouping=True),
            "whole": formats.number_format(whole, force_grouping=True),
            "share": charts.percent(part / whole if whole else None),
        }

    return {
        "coverage": charts.bar_chart("chart-coverage", _("Wilayah dengan forum ber-SK dan pengurus aktif"), [
            (lvl["label"], lvl["share"] or 0, of(lvl["covered"], lvl["total"])) for lvl in cov["levels"]
        ], fractions=True),
        "status": charts.bar_chart("chart-status", _("Anggota menurut status"), [
            (STATUS_LABELS[key], mem["totals"][key]) for key in STATUS_LABELS
        ]),
        "kecamatan": charts.bar_chart("chart-kecamatan", _("Anggota aktif menurut kecamatan"), [
            (row["label"], row["active"]) for row in mem["by_kecamatan"]
        ]),
        "months": charts.bar_chart("chart-months", _("Anggota baru dan yang berakhir per bulan"), [
            (formats.date_format(m["month"], "YEAR_MONTH_FORMAT"), m["joined"], f"+{m['joined']} / −{m['ended']}")
            for m in mem["months"]
        ]),
        "turnout": charts.bar_chart("chart-turnout", _("Partisipasi per konsultasi"), [
            (row["title"][:34], row["turnout"] or 0, of(row["participants"], row["eligible"])) for row in con["rows"]
        ], fractions=True),
        "clusters": charts.bar_chart("chart-clusters", _("Konsultasi menurut klaster KLA"), [
            (_("Klaster %(n)s") % {"n": row["cluster"]}, row["count"]) for row in con["clusters"]
        ]),
        "attendance": charts.bar_chart("chart-attendance", _("Kehadiran menurut peserta"), [
            (row["label"], row["attendance_rate"] or 0, of(row["attended"], row["attended"] + row["no_show"]))
            for row in ev["audiences"]
        ], fractions=True),
        "consent": charts.bar_chart("chart-consent", _("Anggota aktif dengan persetujuan keanggotaan yang sah"), [
            (_("persetujuan sah"), cs["totals"]["share"] or 0, of(cs["totals"]["valid"], cs["totals"]["active"])),
        ], fractions=True),
    }


def dashboard(request):
    _require_report_staff(request)
    form, period = _period(request)
    report = describe(selectors.kla_report(request.user, period))
    title = _("Bukti KLA: partisipasi anak")
    return render(request, "reports/dashboard.html", {
        "form": form, "report": report, "charts": _charts(report), "period": period, "query": _query(period),
        "status_labels": STATUS_LABELS, "exception_limit": selectors.EXCEPTION_LIMIT,
        "page_title": title, "header_title": title, "header_icon": "table",
    })


def workbook(request):
    """The same figures as an XLSX workbook, one sheet per section, in Indonesian. Exporting is
    written to the audit log (the workbook lists members whose consent needs attention)."""
    _require_report_staff(request)
    _form, period = _period(request)
    report = selectors.kla_report(request.user, period, exception_limit=None)
    with transaction.atomic():
        audit.record(actor=request.user, action="reports.kla_export", data={
            "dari": period.start.isoformat(), "sampai": period.end.isoformat(), "wilayah": report["prefixes"],
        }, object_label="KLA")
    return exports.workbook_response(report, f"bukti-kla-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")

"""The KLA evidence workbook: one sheet per dashboard section, labelled in Indonesian (it is
attached to the city's KLA application), written to a temporary file and sent from there. Every
cell goes through the safe writer (forumanak.core.spreadsheets): names and titles never become
formulas, figures stay numbers."""

import tempfile

from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forumanak.core.spreadsheets import Font, SafeWorkbook

from .labels import STATUS_LABELS, describe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


class Sheet:
    def __init__(self, workbook, title, report, widths):
        self.ws = workbook.create_sheet(title=title[:31])
        self.ws.set_column_widths(widths)
        period = report["period"]
        self.title(title)
        self.row(_("Wilayah"), ", ".join(report["area"]) or _("seluruh Indonesia"))
        self.row(_("Periode"), f"{period.start:%d-%m-%Y} – {period.end:%d-%m-%Y}")
        self.row(_("Data sampai tanggal"), f"{period.as_of:%d-%m-%Y}")
        self.row(_("Dibuat pada"), timezone.localtime().strftime("%d-%m-%Y %H:%M"))

    def title(self, text):
        self.ws.append([text], font=TITLE)

    def blank(self):
        self.ws.append([])

    def header(self, *cells):
        self.ws.append(cells, font=BOLD)

    def row(self, *cells, percent_columns=()):
        self.ws.append(cells, number_formats=dict.fromkeys(percent_columns, PERCENT))


def _d(value):
    return value.strftime("%d-%m-%Y") if value else ""


def coverage_sheet(wb, report):
    cov = report["coverage"]
    s = Sheet(wb, _("Cakupan forum"), report, [34, 16, 14, 14, 16, 22, 14])
    s.blank()
    s.title(_("Kecamatan dan kelurahan dengan Forum Anak ber-SK dan pengurus aktif"))
    s.header(_("Tingkat"), _("Jumlah wilayah"), _("Ada forum"), _("SK berlaku"), _("Pengurus aktif"),
             _("Tercakup (SK dan pengurus)"), _("Persentase"))
    for lvl in cov["levels"]:
        s.row(lvl["label"], lvl["total"], lvl["with_forum"], lvl["with_sk"], lvl["with_term"], lvl["covered"],
              lvl["share"], percent_columns=(7,))
    s.blank()
    s.title(_("Wilayah yang belum tercakup"))
    s.header(_("Kode"), _("Nama"), _("Tingkat"), _("Induk"), _("Forum"), _("Alasan"))
    for row in cov["uncovered"]:
        s.row(row["code"], row["name"], row["level_label"], row["parent__name"] or "", row["forum__name"] or "",
              "; ".join(str(r) for r in row["reason_labels"]))
    s.blank()
    s.title(_("SK atau periode kepengurusan yang berakhir dalam %(days)s hari") % {"days": cov["warn_days"]})
    s.header(_("Forum"), _("Kode wilayah"), _("Yang berakhir"), _("Tanggal berakhir"))
    for w in cov["warnings"]:
        s.row(w["forum"], w["region"] or "", w["label"], _d(w["ends"]))


def members_sheet(wb, report):
    mem = report["members"]
    t = mem["totals"]
    s = Sheet(wb, _("Anggota"), report, [40, 14, 22, 14, 20])
    s.blank()
    s.title(_("Ringkasan"))
    s.header(_("Keterangan"), _("Jumlah"))
    for key, label in STATUS_LABELS.items():
        s.row(_("Anggota %(status)s (saat ini)") % {"status": label}, t[key])
    for key, label in (
        ("at_start", _("Anggota pada awal periode")),
        ("at_end", _("Anggota pada akhir periode")),
        ("growth", _("Pertumbuhan dalam periode")),
        ("joined", _("Anggota baru (disetujui dalam periode)")),
        ("applied_in_period", _("Pendaftaran baru dalam periode")),
        ("aged_out", _("Menjadi alumni dalam periode")),
        ("withdrew", _("Mengundurkan diri dalam periode")),
        ("turning_18", _("Berumur 18 tahun dalam periode")),
        ("active_18_plus", _("Masih aktif padahal sudah 18 tahun")),
    ):
        s.row(label, t[key])
    statuses = list(STATUS_LABELS.values())
    for title, rows in (
        (_("Menurut tingkat forum"), mem["by_level"]),
        (_("Menurut kecamatan"), mem["by_kecamatan"]),
        (_("Menurut kelompok umur (pada akhir periode)"), mem["by_age"]),
        (_("Menurut jenis kelamin"), mem["by_gender"]),
    ):
        s.blank()
        s.title(title)
        s.header("", *statuses)
        for row in rows:
            s.row(row["label"], *[row[key] for key in STATUS_LABELS])
        s.row(_("Jumlah"), *[sum(row[key] for row in rows) for key in STATUS_LABELS])
    s.blank()
    s.title(_("Per bulan"))
    s.header(_("Bulan"), _("Anggota baru"), _("Berakhir (alumni, mundur)"), _("Selisih"))
    for m in mem["months"]:
        s.row(m["month"].strftime("%m-%Y"), m["joined"], m["ended"], m["net"])


def consultations_sheet(wb, report):
    con = report["consultations"]
    s = Sheet(wb, _("Konsultasi"), report, [44, 48, 12, 12, 12, 18, 12, 14, 22, 14])
    s.blank()
    s.title(_("Konsultasi anak dalam periode"))
    s.header(_("Judul"), _("Klaster KLA"), _("Dibuka"), _("Ditutup"), _("Status"), _("Anggota yang memenuhi syarat"),
             _("Peserta"), _("Partisipasi"), _("Tanggapan pemerintah terbit"), _("Jumlah tanggapan"))
    statuses = {"published": _("terbit"), "closed": _("ditutup")}
    for row in con["rows"]:
        s.row(row["title"], row["cluster_label"], _d(timezone.localtime(row["opens_at"])),
              _d(timezone.localtime(row["closes_at"])), statuses.get(row["status"], row["status"]), row["eligible"],
              row["participants"], row["turnout"], _("ya") if row["answer_published"] else _("belum"),
              row["responses_count"], percent_columns=(8,))
    tot = con["totals"]
    s.row(_("Jumlah"), "", "", "", "", tot["eligible"], tot["participants"], tot["turnout"], tot["answered"],
          "", percent_columns=(8,))
    s.blank()
    s.title(_("Menurut klaster KLA"))
    s.header(_("Klaster"), _("Jumlah konsultasi"), _("Peserta"), _("Anggota yang memenuhi syarat"))
    for row in con["clusters"]:
        s.row(row["label"], row["count"], row["participants"], row["eligible"])
    s.row(_("Jumlah"), tot["count"], tot["participants"], tot["eligible"])


def events_sheet(wb, report):
    ev = report["events"]
    s = Sheet(wb, _("Kegiatan"), report, [30, 30, 12, 14, 12, 14, 14, 18])
    s.blank()
    s.title(_("Kegiatan dalam periode"))
    s.header(_("Peserta"), _("Kecamatan"), _("Kegiatan"), _("Pendaftar"), _("Hadir"), _("Tidak hadir"),
             _("Daftar tunggu"), _("Tingkat kehadiran"))
    for row in ev["rows"]:
        s.row(row["audience_label"], row["kec_name"] or _("tingkat kota/kabupaten"), row["events"], row["registrations"],
              row["attended"], row["no_show"], row["waitlisted"], row["attendance_rate"], percent_columns=(8,))
    for row in ev["audiences"]:
        s.row(_("Jumlah: %(audience)s") % {"audience": row["label"]}, "", row["events"], row["registrations"],
              row["attended"], row["no_show"], row["waitlisted"], row["attendance_rate"], percent_columns=(8,))
    tot = ev["totals"]
    s.row(_("Jumlah"), "", tot["events"], tot["registrations"], tot["attended"], tot["no_show"], tot["waitlisted"],
          tot["attendance_rate"], percent_columns=(8,))


def consent_sheet(wb, report):
    cs = report["consent"]
    t = cs["totals"]
    s = Sheet(wb, _("Persetujuan"), report, [34, 20, 34, 24, 36, 70])
    s.blank()
    s.title(_("Kelengkapan persetujuan keanggotaan"))
    s.header(_("Keterangan"), _("Jumlah"))
    s.row(_("Anggota aktif"), t["active"])
    s.row(_("Dengan persetujuan keanggotaan yang sah"), t["valid"])
    s.row(_("Pengecualian"), t["exceptions"])
    s.row(_("Persentase sah"), t["share"], percent_columns=(2,))
    s.blank()
    s.title(_("Pengecualian menurut masalah"))
    s.header(_("Masalah"), _("Jumlah"), _("Yang perlu dilakukan"))
    for row in cs["reasons"]:
        s.row(row["label"], row["n"], row["action"])
    s.blank()
    s.title(_("Daftar pengecualian"))
    s.header(_("Nomor anggota"), _("Nama panggilan"), _("Forum"), _("Kecamatan"), _("Masalah"), _("Yang perlu dilakukan"))
    for row in cs["exceptions"]:
        s.row(row["member_number"] or "", row["display_name"], row["forum__name"], row["kecamatan__name"],
              row["reason_label"], row["action"])


def build_workbook(report):
    """The workbook for a report from ``selectors.kla_report`` (labels are added here)."""
    with translation.override("id"):
        describe(report)
        wb = SafeWorkbook()
        coverage_sheet(wb, report)
        members_sheet(wb, report)
        consultations_sheet(wb, report)
        events_sheet(wb, report)
        consent_sheet(wb, report)
    return wb


def workbook_response(report, filename):
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    build_workbook(report).save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "no-store"
    return response


"""Downloads for staff: the aggregated results and the anonymous ballots, as CSV or XLSX.

The ballots are read with a server-side cursor in chunks and written out row by row: CSV is
streamed straight to the response, XLSX (openpyxl's write-only mode) goes through a temporary
file. Neither ever holds all ballots in memory. Every cell goes through the safe writer
(forumanak.core.spreadsheets)."""

import tempfile
from itertools import groupby

from django.db.models import Count
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from forumanak.core.spreadsheets import SafeWorkbook, csv_stream

from .models import Ballot, Question

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; start a new one before that
CHUNK = 5000


def result_rows(snapshot):
    """The aggregated results, as shown to the public (small cells suppressed)."""
    data = snapshot.public
    t = data["threshold"]

    def shown(item):
        if item.get("s"):  # small or hidden to protect a small one: written alike
            return _("disembunyikan")
        return item["v"]

    yield [_("pertanyaan"), _("jawaban"), _("kelompok"), _("nilai kelompok"), _("jumlah")]
    if data.get("too_few"):
        yield [_("Kurang dari %(t)s anak ikut memberi suara. Untuk melindungi mereka, hasilnya tidak ditampilkan.")
               % {"t": t}, "", "", "", ""]
        return
    yield ["", _("semua peserta"), "", "", shown(data["total"])]
    for dim, groups in data["groups"].items():
        for g in groups:
            yield ["", _("peserta"), dim, g.get("label") or g["g"], shown(g)]
    for q in data["questions"]:
        if q["kind"] == Question.Kind.TEXT:
            yield [q["prompt"], _("menulis jawaban"), "", "", shown(q["answered"])]
            continue
        for row in q["rows"]:
            label = row["label"] if row["choice"] is not None else _("tidak menjawab")
            yield [q["prompt"], label, "", "", shown(row)]
        for dim, rows in q.get("breakdown", {}).items():
            groups = data["groups"][dim]
            for row in rows:
                label = row["label"] if row["choice"] is not None else _("tidak menjawab")
                for g, cell in zip(groups, row["cells"], strict=True):
                    yield [q["prompt"], label, dim, g.get("label") or g["g"], shown(cell)]


# How coarse each describing column of the ballot download may become, finest first. "" removes it.
DATE_LEVELS = ("day", "week", "month", "")
KEPT = (("kecamatan", "age_band", "gender"), ("kecamatan", "age_band"), ("kecamatan", "gender"), ("age_band", "gender"),
        ("kecamatan",), ("age_band",), ("gender",), ())


def _date_as(level, day):
    if level == "day":
        return day.isoformat()
    if level == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if level == "month":
        return f"{day:%Y-%m}"
    return ""


def ballot_coarsening(consultation, t):
    """The finest way to write the describing columns (date, age band, gender, kecamatan) of the
    ballot download such that every combination of them in the file covers at least ``t``
    ballots: (date level, the columns kept). The same for every row (global recoding), so a
    coarse row does not stand out. None when there are fewer than ``t`` ballots."""
    counts = list(Ballot.objects.filter(consultation=consultation).values_list("voted_on", "age_band", "gender",
                                                                             "kecamatan_code").annotate(n=Count("*"))
                  .order_by())
    if sum(row[4] for row in counts) < t:
        return None
    for kept in KEPT:
        for level in DATE_LEVELS:
            groups = {}
            for day, band, gender, kecamatan, n in counts:
                values = {"age_band": band, "gender": gender, "kecamatan": kecamatan}
                key = (_date_as(level, day), *[values[name] for name in kept])
                groups[key] = groups.get(key, 0) + n
            if min(groups.values()) >= t:
                return level, kept
    raise AssertionError("unreachable: with nothing kept there is one group of at least t ballots")


def ballot_rows(consultation, coarsening, t):
    """One row per ballot: id, date, snapshot (coarsened, see ``ballot_coarsening``), then one
    column per question. The header says how the describing columns were coarsened."""
    level, kept = coarsening
    questions = list(consultation.questions.all())
    choices = {q.pk: q.choices for q in questions}
    removed = _("dihapus")
    date_header = {"day": _("tanggal"), "week": _("tanggal (minggu)"), "month": _("tanggal (bulan)"),
                   "": f"{_('tanggal')} ({removed})"}[level]

    def header(label, name):
        return label if name in kept else f"{label} ({removed})"

    yield [_("id surat suara"), date_header, header(_("kelompok umur"), "age_band"), header(_("jenis kelamin"), "gender"),
           header(_("kode kecamatan"), "kecamatan"), *[q.prompt for q in questions],
           _("Catatan: setiap gabungan tanggal, kelompok umur, jenis kelamin dan kecamatan di berkas ini mencakup "
             "paling sedikit %(t)s surat suara. Kolom yang lebih rinci digabung atau dihapus supaya tidak ada surat "
             "suara yang bisa dikenali.") % {"t": t}]
    rows = (
        Ballot.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("id", "voted_on", "age_band", "gender", "kecamatan_code", "answers__question_id",
                     "answers__choice", "answers__rank", "answers__text")
        .iterator(chunk_size=CHUNK)
    )
    for (ballot_id, voted_on, band, gender, kecamatan), answers in groupby(rows, key=lambda r: r[:5]):
        by_question = {}
        for *_head, question_id, choice, rank, text in answers:
            if question_id is None:
                continue
            if choice is None:
                by_question[question_id] = [(0, text)]
            else:
                by_question.setdefault(question_id, []).append((rank or 0, choices[question_id][choice]))
        cells = []
        for q in questions:
            parts = sorted(by_question.get(q.pk, []))
            if q.kind == Question.Kind.RANKING:
                cells.append("; ".join(f"{rank}. {label}" for rank, label in parts))
            else:
                cells.append("; ".join(label for _rank, label in parts))
        yield [str(ballot_id), _date_as(level, voted_on), band if "age_band" in kept else "",
               gender if "gender" in kept else "", kecamatan if "kecamatan" in kept else "", *cells, ""]


def csv_response(rows, filename):
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(rows, filename, title):
    workbook = SafeWorkbook(write_only=True)
    rows = iter(rows)
    header = next(rows)
    sheet, count, number = None, XLSX_MAX_ROWS, 0
    for row in rows:
        if count >= XLSX_MAX_ROWS:
            number += 1
            sheet = workbook.create_sheet(title=f"{title[:25]} {number}" if number > 1 else title[:31])
            sheet.append(header)
            count = 0
        sheet.append(row)
        count += 1
    if sheet is None:
        workbook.create_sheet(title=title[:31]).append(header)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "no-store"
    return response

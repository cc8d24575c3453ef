"""Staff actions on a consultation beside the viewset's own views: publish, and downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forumanak.core.access import get_object_or_deny

from . import exports, results, selectors, services
from .models import Consultation, ResultSnapshot


def _consultation(request, pk, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_deny(selectors.consultations_for_staff(request.user), allowed=lambda c: True, pk=pk)


def publish(request, pk):
    consultation = _consultation(request, pk, "consultations.change_consultation")
    if request.method == "POST":
        try:
            services.publish(consultation=consultation, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Konsultasi diterbitkan."))
        return redirect("consultations_consultation:edit", pk)
    return render(request, "consultations/admin/publish_confirm.html", {
        "consultation": consultation, "page_title": _("Terbitkan konsultasi"), "header_title": _("Terbitkan konsultasi"),
        "header_icon": "form",
    })


def download(request, pk, kind, fmt):
    consultation = _consultation(request, pk, "consultations.export_consultation")
    if kind == "hasil":
        snapshot = ResultSnapshot.objects.filter(consultation=consultation, is_final=True).first()
        if snapshot is None:
            messages.error(request, _("Hasil belum dihitung: konsultasi belum ditutup."))
            return redirect("consultations_consultation:edit", pk)
        rows = exports.result_rows(snapshot)
        title = _("hasil")
    elif kind == "surat-suara":
        if consultation.status != Consultation.Status.CLOSED:
            messages.error(request, _("Surat suara bisa diunduh setelah konsultasi ditutup."))
            return redirect("consultations_consultation:edit", pk)
        t = results.threshold()
        coarsening = exports.ballot_coarsening(consultation, t)
        if coarsening is None:
            messages.error(request, _("Kurang dari %(t)s anak ikut memberi suara: surat suara tidak bisa diunduh, supaya "
                                      "tidak ada yang bisa dikenali.") % {"t": t})
            return redirect("consultations_consultation:edit", pk)
        rows = exports.ballot_rows(consultation, coarsening, t)
        title = _("surat suara")
    else:
        raise Http404
    services.record_export(consultation=consultation, actor=request.user, kind=kind.replace("-", "_"))
    filename = f"{consultation.slug}-{kind}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(rows, filename)
    return exports.xlsx_response(rows, filename, title)

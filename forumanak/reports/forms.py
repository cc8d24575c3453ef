from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import Period

MAX_DAYS = 5 * 366
FIRST_YEAR = 2000


class PeriodForm(forms.Form):
    """A calendar year, or a date range (which wins when both dates are given)."""

    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["tahun"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1)]

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Isi kedua tanggal, atau kosongkan keduanya dan pilih tahun."))
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
            if end - start > timedelta(days=MAX_DAYS):
                raise forms.ValidationError(_("Rentang paling panjang lima tahun."))
            if start.year < FIRST_YEAR or start > timezone.localdate():
                raise forms.ValidationError(_("Tanggal awal harus antara tahun 2000 dan hari ini."))
        return data

    def period(self):
        """The chosen period; this year when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            if self.cleaned_data.get("dari"):
                return Period(self.cleaned_data["dari"], self.cleaned_data["sampai"])
            if self.cleaned_data.get("tahun"):
                return Period.year(self.cleaned_data["tahun"])
        return Period.year(timezone.localdate().year)

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from forumanak.membership import selectors as membership_selectors

from . import selectors, services
from .models import Answer, GovernmentResponse, Question, SafeguardingFlag


class BallotForm(forms.Form):
    """The ballot: one field per question (one per position for a ranking)."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            choices = list(enumerate(q.choices))
            name = f"q{q.pk}"
            if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
                if q.kind == Question.Kind.SCALE:
                    choices = [(i, f"{i + 1} – {label}") for i, label in choices]
                self.fields[name] = forms.TypedChoiceField(
                    label=q.prompt, help_text=q.help_text, choices=choices, coerce=int, required=False,
                    widget=forms.RadioSelect,
                )
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[name] = forms.TypedMultipleChoiceField(
                    label=q.prompt, help_text=q.help_text, choices=choices, coerce=int, required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif q.kind == Question.Kind.RANKING:
                for position in range(1, (q.top_k or len(choices)) + 1):
                    self.fields[f"{name}_r{position}"] = forms.TypedChoiceField(
                        label=_("Pilihan ke-%(n)s") % {"n": position}, choices=[("", "—"), *choices], coerce=int,
                        empty_value=None, required=False,
                    )
            else:
                self.fields[name] = forms.CharField(
                    label=q.prompt, help_text=q.help_text, required=False, strip=True,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": q.max_length}),
                )

    def answers(self):
        data = self.cleaned_data
        found = {}
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.RANKING:
                ranks = [data.get(f"{name}_r{p}") for p in range(1, (q.top_k or len(q.choices)) + 1)]
                found[q.pk] = [] if all(r is None for r in ranks) else ranks
            else:
                value = data.get(name)
                found[q.pk] = None if value in ("", None) else value
        return found

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        answers = self.answers()
        for q in self.questions:
            if q.kind == Question.Kind.RANKING and any(v is None for v in answers[q.pk]) and answers[q.pk]:
                self.add_error(f"q{q.pk}_r1", _("Isi semua %(k)s urutan.") % {"k": q.top_k})
        if self.errors:
            return cleaned
        try:
            services.check_answers(self.questions, answers)
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned

    def add_service_errors(self, exc):
        for key, messages in exc.message_dict.items():
            field = key if key in self.fields else f"{key}_r1" if f"{key}_r1" in self.fields else None
            for message in messages:
                self.add_error(field, message)

    def blocks(self):
        """The questions with their bound fields, for the template."""
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.RANKING:
                fields = [self[f"{name}_r{p}"] for p in range(1, (q.top_k or len(q.choices)) + 1)]
            else:
                fields = [self[name]]
            errors = [e for f in fields for e in f.errors]
            yield {"question": q, "fields": fields, "errors": errors, "name": name}


# ---- admin forms --------------------------------------------------------------------------


class ConsultationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "results_policy" in self.fields:
            from .results import threshold

            self.fields["results_policy"].help_text = _(
                "Hasil langsung: anggota (dan staf) melihat angka sementara tanpa rincian per kelompok. Angka itu "
                "baru muncul setelah paling sedikit %(t)s anak memberi suara, dan hanya berubah setelah paling sedikit "
                "%(t)s suara baru masuk; angka yang bisa menunjukkan pilihan beberapa anak yang baru memberi suara "
                "tetap disembunyikan, juga di hasil akhir. Jadi tidak ada yang bisa membandingkan dua tampilan untuk "
                "menebak suara satu anak. “Setelah ditutup”: semua angka baru muncul setelah konsultasi ditutup."
            ) % {"t": threshold()}
        user = self.for_user
        if user is not None:
            forums = membership_selectors.forums_in_scope(user).order_by("level", "name")
            for name in ("forum", "scope_forums"):
                if name in self.fields:
                    self.fields[name].queryset = forums

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Waktu tutup harus sesudah waktu buka."))
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None:
            if low < 10 or high > 17 or low > high:
                self.add_error("max_age", _("Umur 10 sampai 17 tahun, dan yang paling muda tidak lebih tua dari yang paling tua."))
        forum = cleaned.get("forum")
        scope = cleaned.get("scope_forums") or []
        if forum is not None:
            outside = [f for f in scope if not selectors.forum_in_scope(None, f, [forum])]
            if outside:
                self.add_error("scope_forums", _("Forum peserta harus berada di wilayah forum penyelenggara."))
        formset = self.formsets.get("questions") if hasattr(self, "formsets") else None
        if formset is not None:
            if self.instance.pk and services.has_votes(self.instance) and services.question_formset_changed(self):
                raise ValidationError(_("Pertanyaan tidak bisa diubah karena sudah ada yang memberi suara."))
            if formset.is_valid():
                questions = [
                    f.instance for f in formset.forms
                    if not formset._should_delete_form(f) and (f.instance.pk or f.has_changed())
                ]
                try:
                    services.validate_questions(questions)
                except ValidationError as exc:
                    for message in exc.messages:
                        self.add_error(None, message)
        return cleaned


class ModerationForm(WagtailAdminModelForm):
    flag_reason = forms.CharField(
        label=_("Tandai untuk perlindungan anak"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Isi jika jawaban ini menunjukkan anak mungkin dalam bahaya. Fasilitator forum akan diberi tahu."),
    )

    class Meta:
        model = Answer
        fields = ["moderation", "featured", "quote"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("featured") and cleaned.get("moderation") != Answer.Moderation.APPROVED:
            self.add_error("featured", _("Hanya jawaban yang aman yang bisa ditampilkan sebagai kutipan."))
        if cleaned.get("featured") and not (cleaned.get("quote") or "").strip():
            self.add_error("quote", _("Tulis kutipan yang akan ditampilkan."))
        return cleaned


class FlagResolveForm(WagtailAdminModelForm):
    class Meta:
        model = SafeguardingFlag
        fields = ["handling_note"]

    def clean_handling_note(self):
        note = (self.cleaned_data.get("handling_note") or "").strip()
        if not note:
            raise ValidationError(_("Tuliskan apa yang sudah dilakukan."))
        return note


class GovernmentResponseForm(WagtailAdminModelForm):
    class Meta:
        model = GovernmentResponse
        fields = ["consultation", "recommendation", "action", "agency", "status", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "consultation" in self.fields:
            self.fields["consultation"].queryset = selectors.consultations_for_staff(self.for_user).filter(
                status="closed"
            )

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from forumanak.membership import selectors as membership_selectors
from forumanak.membership.models import PublicationLevel

from . import selectors, services
from .models import Audience, RegistrationQuestion

RESERVED_SLUGS = {"saya", "tiket"}

PHOTO_LABELS = {
    PublicationLevel.NONE: _("Jangan foto aku untuk dibagikan."),
    PublicationLevel.INTERNAL: _("Fotoku boleh dipakai di dalam forum saja."),
    PublicationLevel.PUBLIC: _("Fotoku boleh dibagikan ke publik (situs dan media sosial)."),
}
PHOTO_LABELS_ADULT = {
    PublicationLevel.NONE: _("Jangan foto saya untuk dibagikan."),
    PublicationLevel.INTERNAL: _("Foto saya boleh dipakai di dalam forum saja."),
    PublicationLevel.PUBLIC: _("Foto saya boleh dibagikan ke publik (situs dan media sosial)."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventFilterForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    audience = forms.ChoiceField(
        label=_("Untuk siapa"), required=False, choices=[("", _("Semua")), *Audience.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *selectors.kecamatan_choices()]


class RegistrationForm(forms.Form):
    """The registration form of one event: the photo choice, the event's questions and, for
    adults, their name and date of birth (anyone under 18 needs a guardian's consent, so an
    adult event checks it)."""

    def __init__(self, *args, event, user, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all()) if questions is None else questions
        if not event.is_for_children:
            self.fields["adult_name"] = forms.CharField(
                label=_("Nama lengkap"), max_length=150, initial=user.get_full_name(),
            )
            self.fields["date_of_birth"] = forms.DateField(
                label=_("Tanggal lahir"), widget=DateInput(),
                help_text=_("Untuk memeriksa umur peserta. Tidak disimpan."),
            )
        levels = services.allowed_photo_levels(event)
        labels = PHOTO_LABELS if event.is_for_children else PHOTO_LABELS_ADULT
        if len(levels) > 1:
            self.fields["photo_level"] = forms.ChoiceField(
                label=_("Foto di kegiatan"), choices=[(level, labels[level]) for level in levels],
                widget=forms.RadioSelect, initial=PublicationLevel.NONE,
                help_text=_("Orang tua/walimu akan ditanya juga.") if event.is_for_children else "",
            )
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == RegistrationQuestion.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=question.label, required=question.required, widget=forms.RadioSelect,
                    choices=[("ya", _("Ya")), ("tidak", _("Tidak"))],
                )
            else:
                field = forms.CharField(label=question.label, required=question.required, max_length=500)
            field.help_text = question.help_text
            self.fields[name] = field

    def registration_input(self):
        data = self.cleaned_data
        return services.RegistrationInput(
            photo_level=data.get("photo_level") or PublicationLevel.NONE,
            answers={q.pk: data.get(f"q_{q.pk}", "") for q in self.questions},
            adult_name=data.get("adult_name", ""),
            date_of_birth=data.get("date_of_birth"),
        )

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode tiket"), max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "inputmode": "text"}),
    )


class EventAdminForm(WagtailAdminModelForm):
    """The event form in the Wagtail admin: the organising forum is one in the user's scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "forum" in self.fields and user is not None:
            self.fields["forum"].queryset = membership_selectors.forums_in_scope(user).order_by("level", "name")

    def clean_capacity(self):
        """Not below the seats already held (checked again under the row lock when saving)."""
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and self.instance.pk:
            held = selectors.held_seats(self.instance)
            if capacity < held:
                raise forms.ValidationError(services.capacity_below_held_message(held), code="capacity_below_held")
        return capacity

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Pakai slug lain."))
        return slug

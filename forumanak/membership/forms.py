from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forumanak.core.uploads import validate_paper_upload
from forumanak.core.validators import PersonNameField
from forumanak.regions.models import Region

from .models import ConsentDecision, GuardianLink, Member, PublicationLevel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def kelurahan_choices(city_code):
    """Kelurahan grouped by kecamatan: a plain <select> with <optgroup>s works without JavaScript."""
    groups = {}
    for kel in Region.objects.filter(level=Region.Level.DESA, code__startswith=f"{city_code}.").select_related("parent").order_by("parent__name", "name"):
        groups.setdefault(kel.parent.name, []).append((kel.code, kel.name))
    return [("", _("— pilih kelurahan —"))] + [(f"Kecamatan {kec}", options) for kec, options in groups.items()]


class ApplicationForm(forms.Form):
    full_name = PersonNameField(label=_("Nama lengkap"), max_length=100)
    display_name = PersonNameField(
        label=_("Nama panggilan"), max_length=30, help_text=_("Nama ini yang dilihat teman-teman di forum.")
    )
    date_of_birth = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Member.Gender.choices, widget=forms.RadioSelect)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), help_text=_("Pilih kelurahan di dalam kecamatanmu."))
    school = forms.CharField(label=_("Sekolah atau kelompok"), max_length=150)

    guardian_name = PersonNameField(label=_("Nama orang tua/wali"), max_length=100)
    guardian_relationship = forms.ChoiceField(label=_("Hubungan denganmu"), choices=GuardianLink.Relationship.choices)
    guardian_email = forms.EmailField(
        label=_("Email orang tua/wali"), help_text=_("Kami kirim permintaan persetujuan ke email ini.")
    )
    guardian_phone = forms.CharField(label=_("Nomor telepon orang tua/wali"), max_length=30)
    guardian_language = forms.ChoiceField(
        label=_("Bahasa email untuk orang tua/wali"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        initial="id",
    )

    email = forms.EmailField(
        label=_("Emailmu (boleh kosong)"), required=False,
        help_text=_("Kalau kamu tidak punya email, isi nama pengguna di bawah. Semua kabar dikirim ke email orang tua/wali."),
    )
    username = forms.SlugField(
        label=_("Nama pengguna (kalau tidak punya email)"), max_length=40, required=False,
        help_text=_("Huruf, angka, dan tanda minus. Contoh: putri-bpp"),
    )
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    agreement = forms.BooleanField(
        label=_("Aku mau ikut Forum Anak. Aku tahu orang tua/waliku akan ditanya dulu, dan aku boleh berhenti kapan saja."),
    )

    def __init__(self, *args, city_code, with_account=True, with_guardian=True, **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = Region.objects.filter(parent_id=city_code, level=Region.Level.KECAMATAN).order_by("name")
        self.fields["kecamatan"].choices = [("", _("— pilih kecamatan —"))] + [(k.code, k.name) for k in kecamatan]
        self.fields["kelurahan"].choices = kelurahan_choices(city_code)
        self.city_code = city_code
        if not with_account:
            for name in ("email", "username", "password1", "password2"):
                del self.fields[name]
        if not with_guardian:
            for name in ("guardian_name", "guardian_email", "guardian_phone", "guardian_language"):
                del self.fields[name]
            self.fields["agreement"].label = _("Anak saya mau ikut Forum Anak, dan saya sudah membicarakannya dengan dia.")

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        return dob

    def clean_username(self):
        # Never "this username is taken" (that tells anyone which usernames exist): a taken one is
        # given a free variant when the account is made, and the child is shown it (issue 16 §6).
        return self.cleaned_data.get("username", "").lower()

    # No "this email is already registered" either: the application page answers the same whatever
    # the address, and the address's owner hears by email (allauth's "account already exists").

    def clean(self):
        data = super().clean()
        kec, kel = data.get("kecamatan"), data.get("kelurahan")
        if kec and kel and not kel.startswith(kec + "."):
            self.add_error("kelurahan", _("Kelurahan ini tidak ada di kecamatan yang kamu pilih."))
        if kel:
            data["kelurahan_region"] = Region.objects.filter(code=kel, level=Region.Level.DESA).select_related("parent").first()
        if "password1" in self.fields:
            if not data.get("email") and not data.get("username"):
                self.add_error("username", _("Isi emailmu atau buat nama pengguna."))
            p1, p2 = data.get("password1"), data.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
            elif p1:
                try:
                    password_validation.validate_password(p1)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        if data.get("email") and data.get("guardian_email") and data["email"].lower() == data["guardian_email"].lower():
            self.add_error("guardian_email", _("Email orang tua/wali harus berbeda dengan emailmu."))
        return data


class ConsentDecisionForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Tanggal lahir anak"), widget=DateInput(), help_text=_("Untuk memastikan Anda mengenal anak ini.")
    )
    guardian_name = PersonNameField(label=_("Nama lengkap Anda"), max_length=100)
    decision = forms.ChoiceField(
        label=_("Keputusan Anda"),
        choices=[(ConsentDecision.Decision.GRANTED, _("Setuju")), (ConsentDecision.Decision.REFUSED, _("Tidak setuju"))],
        widget=forms.RadioSelect,
    )
    purpose = forms.CharField(widget=forms.HiddenInput)


class PublicationLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Foto dan nama panggilan anak"), choices=PublicationLevel.choices, widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=300)


class PaperConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan di formulir"),
        choices=[(ConsentDecision.Decision.GRANTED, _("Setuju")), (ConsentDecision.Decision.REFUSED, _("Tidak setuju"))],
        widget=forms.RadioSelect,
    )
    guardian_name = PersonNameField(label=_("Nama wali di formulir"), max_length=100)
    scan = forms.FileField(label=_("Pindaian formulir (PDF atau gambar)"))

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        validate_paper_upload(scan)  # by content: a "PDF" that is really HTML is refused
        return scan

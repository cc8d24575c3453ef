from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "forumanak.consultations"
    label = "consultations"
    verbose_name = _("Konsultasi")

    def member_page_section(self, member):
        """The consultations open to ``member``, for their own page (/anggota/saya/)."""
        from django.template.loader import render_to_string

        from . import selectors

        return render_to_string(
            "consultations/includes/member_section.html",
            {"consultations": selectors.open_for_member(member), "taken_part": selectors.participations_of(member)},
        )

    def export_member_data(self, member):
        """Which consultations the member took part in, and on which day. Never what they answered:
        ballots cannot be traced back to anyone."""
        from . import selectors

        return {
            "konsultasi_yang_diikuti": [
                {"konsultasi": p.consultation.title, "alamat": p.consultation.slug, "tanggal": p.voted_on}
                for p in selectors.participations_of(member)
            ]
        }

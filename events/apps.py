from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Kegiatan")

    def ready(self):
        from forumanak.membership.consent_hooks import on_consent

        from . import services

        on_consent("event", services.on_event_consent)
        on_consent("membership", services.on_membership_consent)

    # ---- hooks called by the membership app (see forumanak/membership) -----------------------

    def member_page_section(self, member):
        """The member's registrations and participation record, for /anggota/saya/."""
        from django.template.loader import render_to_string

        from . import selectors
        from .models import Registration

        OPEN = (Registration.Status.PENDING_CONSENT, Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
        registrations = list(selectors.member_registrations(member))
        return render_to_string("events/includes/member_section.html", {
            "registrations": [r for r in registrations if r.status in OPEN],
            "attended": [r for r in registrations if r.status == r.Status.ATTENDED],
        })

    def export_member_data(self, member):
        from . import selectors

        rows = []
        for r in selectors.member_registrations(member).prefetch_related("answers__question"):
            rows.append({
                "kegiatan": r.event.title,
                "mulai": r.event.starts_at,
                "selesai": r.event.ends_at,
                "forum_penyelenggara": r.event.forum.name,
                "status": r.status,
                "mendaftar_pada": r.created_at,
                "hadir_pada": r.attended_at,
                "izin_foto": r.photo_level,
                "kode_tiket": r.code,
                "jawaban": [{"pertanyaan": a.question.label, "jawaban": a.value} for a in r.answers.all()],
            })
        return {"kegiatan": rows}

    def erase_member_data(self, member_id):
        from . import services

        services.erase_member_registrations(member_id=member_id)

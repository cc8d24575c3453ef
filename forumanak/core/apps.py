from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "forumanak.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        from . import mfa, signals

        signals.connect()
        mfa.remember_used_totp_codes_for_their_whole_validity()

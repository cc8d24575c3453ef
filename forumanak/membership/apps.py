from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "forumanak.membership"
    label = "membership"
    verbose_name = _("Keanggotaan")

    def ready(self):
        from . import (
            services,  # noqa: F401  (registers the membership consent consequences)
            signals,
        )

        signals.connect()

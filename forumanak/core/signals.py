"""Receivers for third-party signals (allauth): the only place the project uses signals."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator


def record_second_factor_on_totp_setup(sender, request, user, authenticator, **kwargs):
    """Setting up TOTP checks a code from the new device: this session has passed the second factor
    (as a sign-in with the code would), so the admin opens without asking for the code again."""
    if (
        request is not None
        and authenticator.type == Authenticator.Type.TOTP
        and getattr(request, "user", None) is not None
        and request.user.pk == user.pk
    ):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


def connect():
    from allauth.mfa.signals import authenticator_added

    authenticator_added.connect(record_second_factor_on_totp_setup, dispatch_uid="core.totp_setup_passes_mfa")

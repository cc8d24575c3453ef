"""Receivers for allauth's signals (house rule 6: signals only to decouple from third-party code)."""


def _bind_after_code_login(sender, request, user, **kwargs):
    """A sign-in with a code emailed to the address proves the inbox (a password does not)."""
    from allauth.account.authentication import get_authentication_records

    from .services import bind_guardian_on_proof

    records = get_authentication_records(request, user)
    if records and records[-1].get("method") == "code":
        bind_guardian_on_proof(user=user)


def _bind_after_confirmation(sender, request, email_address, **kwargs):
    from .services import bind_guardian_on_proof

    bind_guardian_on_proof(user=email_address.user)


def connect():
    from allauth.account.signals import email_confirmed, user_logged_in

    user_logged_in.connect(_bind_after_code_login, dispatch_uid="membership.bind_guardian_after_code_login")
    email_confirmed.connect(_bind_after_confirmation, dispatch_uid="membership.bind_guardian_after_confirmation")

"""The second factor: what the project adds to allauth's MFA."""

from django.core.cache import cache


def remember_used_totp_codes_for_their_whole_validity():
    """RFC 6238 §5.2: a TOTP code that was accepted is never accepted again. allauth remembers a used
    code for one period (30 s), but with ``MFA_TOTP_TOLERANCE`` = 1 a code is valid for three periods
    (the one before, its own, the one after), so it worked again 31 s later. Remember it for all of
    them. allauth offers no setting or hook for this, so its method is replaced (and
    tests/core/test_accounts.py replays a code at 1, 31, 59 and 89 s to catch an upgrade that
    renames it)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import TOTP

    def _mark_code_used(self, code):
        window = app_settings.TOTP_PERIOD * (2 * app_settings.TOTP_TOLERANCE + 2)
        return cache.add(self._get_used_cache_key(code), "y", timeout=window)

    TOTP._mark_code_used = _mark_code_used

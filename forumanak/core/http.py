"""What the project believes about a request's origin: one client-IP function for every rate
limit (allauth's included, through the account adapter) and every recorded IP address."""

import ipaddress

from django.conf import settings


def _clean(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "198.51.100.7:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client that sent ``request``.

    Without a proxy of our own (``TRUSTED_PROXY_COUNT`` = 0) it is ``REMOTE_ADDR``; a client's
    X-Forwarded-For is ignored. Behind ``n`` proxies of our own (nginx in production: 1) it is the
    n-th address from the right of X-Forwarded-For: the one our outermost proxy appended. Whatever
    a client wrote further left is never believed. A header shorter than expected (a request that
    did not come through the proxy) falls back to ``REMOTE_ADDR``. None if nothing is a valid IP.
    """
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= trusted:
            ip = _clean(hops[-trusted])
            if ip:
                return ip
    return _clean(request.META.get("REMOTE_ADDR"))

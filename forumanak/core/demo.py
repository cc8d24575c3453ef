"""Demo accounts of the foundation: a superuser (pembina of the city later) and an adult."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_PASSWORD = "forumanak-demo"


def ensure_user(*, username, email, password=DEMO_PASSWORD, first_name="", last_name="", **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name, **flags},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if email:
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed(*, stdout):
    ensure_user(
        username="admin",
        email="admin@forumanak.local",
        first_name="Admin",
        last_name="Demo",
        is_staff=True,
        is_superuser=True,
    )
    ensure_user(username="warga", email="warga@forumanak.local", first_name="Sari", last_name="Warga")
    return [
        {
            "role": "superuser",
            "login": "admin@forumanak.local",
            "password": DEMO_PASSWORD,
            "note": "sets up two-factor login (TOTP) on first visit to /admin/",
        },
        {"role": "adult", "login": "warga@forumanak.local", "password": DEMO_PASSWORD, "note": ""},
    ]

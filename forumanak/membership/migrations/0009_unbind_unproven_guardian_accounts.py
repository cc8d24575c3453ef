"""Issue 16 §1: guardian records were bound to any account with the same address, which then was
marked verified, so a stranger who signed up with a guardian's address (unverified) got the child.

The consent flow's own accounts have no password (the guardian signs in by emailed code). An account
with a usable password that holds a guardian record was bound without proof, and its "verified" flag
may be ours. Unbind it and take back that flag: its owner proves the address again by signing in
with an emailed code (or confirming the address), and is bound again then
(membership.services.bind_guardian_on_proof). Audited, without names."""

from django.contrib.auth.hashers import is_password_usable
from django.db import migrations


def unbind(apps, schema_editor):
    Guardian = apps.get_model("membership", "Guardian")
    EmailAddress = apps.get_model("account", "EmailAddress")
    AuditEntry = apps.get_model("core", "AuditEntry")
    for guardian in Guardian.objects.filter(user__isnull=False).select_related("user"):
        if not is_password_usable(guardian.user.password):
            continue
        user_id = guardian.user_id
        Guardian.objects.filter(pk=guardian.pk).update(user=None)
        EmailAddress.objects.filter(user_id=user_id, email__iexact=guardian.email).update(verified=False)
        AuditEntry.objects.create(
            actor=None, actor_label="sistem", action="guardian.account_unbound", object_type="membership.guardian",
            object_id=str(guardian.pk), object_label=f"guardian #{guardian.pk}",
            data={"reason": "bound_without_proof", "user": user_id},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0008_sk_file_private"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("core", "0002_user_session_generation"),
    ]

    operations = [migrations.RunPython(unbind, migrations.RunPython.noop)]

"""Each member keeps their latest membership consent decision and its time (kept in step by the
service that appends decisions); filled here from the decisions, which stay the record."""

from django.db import migrations, models
from django.db.models import Case, Exists, OuterRef, Subquery, Value, When


def backfill(apps, schema_editor):
    Member = apps.get_model("membership", "Member")
    ConsentDecision = apps.get_model("membership", "ConsentDecision")
    mine = ConsentDecision.objects.filter(request__member=OuterRef("pk"), request__purpose="membership")
    # the latest; at the same instant a grant, then a withdrawal, then a refusal (as services.DECISION_RANK)
    latest = mine.order_by("-decided_at", Case(When(decision="granted", then=Value(0)),
                                               When(decision="withdrawn", then=Value(1)), default=Value(2)))
    Member.objects.filter(Exists(mine)).update(
        membership_consent=Subquery(latest.values("decision")[:1]),
        membership_consent_at=Subquery(latest.values("decided_at")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0005_restore_sqlite_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="membership_consent",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name="member",
            name="membership_consent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

"""Secret ballots (issue 15): the ballot box (a flag per ballot, when mixing was last asked for),
the history of live snapshots, and the date of a participation (its exact time goes in 0006)."""

from django.db import migrations, models
from django.utils import timezone

CHUNK = 2000


def participation_dates(apps, schema_editor):
    Participation = apps.get_model("consultations", "Participation")
    batch = []
    for participation in Participation.objects.only("id", "created_at").iterator(chunk_size=CHUNK):
        participation.voted_on = timezone.localdate(participation.created_at)
        batch.append(participation)
        if len(batch) >= CHUNK:
            Participation.objects.bulk_update(batch, ["voted_on"])
            batch = []
    Participation.objects.bulk_update(batch, ["voted_on"])


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0004_answer_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="mixed",
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name="sudah diacak"),
        ),
        migrations.AddField(
            model_name="resultsnapshot",
            name="history",
            field=models.JSONField(blank=True, default=list, verbose_name="hasil sementara yang pernah ditampilkan"),
        ),
        migrations.AddIndex(
            model_name="ballot",
            index=models.Index(condition=models.Q(("mixed", False)), fields=["consultation"], name="consultations_ballot_box"),
        ),
        migrations.CreateModel(
            name="BallotBox",
            fields=[
                ("consultation", models.OneToOneField(on_delete=models.deletion.CASCADE, primary_key=True,
                                                      related_name="+", serialize=False,
                                                      to="consultations.consultation")),
                ("requested_at", models.DateTimeField(verbose_name="pengacakan terakhir diminta")),
            ],
            options={"verbose_name": "kotak suara", "verbose_name_plural": "kotak suara"},
        ),
        migrations.AddField(
            model_name="participation",
            name="voted_on",
            field=models.DateField(null=True, verbose_name="tanggal"),
        ),
        migrations.RunPython(participation_dates, migrations.RunPython.noop),
    ]

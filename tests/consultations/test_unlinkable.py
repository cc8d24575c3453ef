"""A stored ballot cannot be joined back to the member: no key to the member, no exact time,
and no order shared with the participation rows."""

import pytest
from django.db import models
from django.utils import timezone

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Ballot, Participation
from forumanak.membership.models import Member
from tests.consultations.conftest import full_answers, make_member

pytestmark = pytest.mark.django_db


def test_ballot_has_no_key_to_a_person_and_no_time():
    for model in (Ballot, Answer):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related not in (Member, Participation), f"{model.__name__}.{field.name}"
            assert related is None or related._meta.label not in ("core.User",) or field.name == "moderated_by", field
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name} holds a time"
            assert not isinstance(field, models.AutoField | models.BigAutoField), f"{model.__name__}.{field.name}"
    assert isinstance(Ballot._meta.pk, models.UUIDField) and isinstance(Answer._meta.pk, models.UUIDField)
    assert [f.name for f in Ballot._meta.concrete_fields] == ["id", "consultation", "age_band", "gender", "kecamatan_code",
                                                              "voted_on"]


def test_ballot_rows_share_no_order_with_participations(city, consultation):
    members = [make_member(city, age=11 + i % 6, gender="PL"[i % 2], kelurahan=("64.71.01.1001", "64.71.02.1001")[i % 2])
               for i in range(40)]
    for member in members:
        services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)
    participation_order = [p.member_id for p in Participation.objects.order_by("created_at", "id")]
    assert participation_order == [m.pk for m in members]
    ballots = list(Ballot.objects.all())  # the default order: by random id
    assert [b.id.version for b in ballots] == [4] * 40
    assert [b.id for b in ballots] == sorted(b.id for b in ballots)
    # every column a ballot has gives no order that follows the voting order
    def matches_voting_order(ordered):
        snap = [(b.age_band, b.gender, b.kecamatan_code) for b in ordered]
        expected = [(m.gender, m.kecamatan_id) for m in members]
        return [s[1:] for s in snap] == expected
    for field in ("id", "age_band", "gender", "kecamatan_code", "voted_on"):
        assert not matches_voting_order(Ballot.objects.order_by(field, "id")), field
    # answers are keyed by random ids as well
    answer_ballots = list(Answer.objects.order_by("id").values_list("ballot_id", flat=True))
    first_seen = list(dict.fromkeys(answer_ballots))
    assert not matches_voting_order([Ballot.objects.get(pk=pk) for pk in first_seen])
    # and the ballot knows only the date of voting
    assert {b.voted_on for b in ballots} == {timezone.localdate()}


def test_the_snapshot_on_the_ballot_is_coarse(city, consultation):
    member = make_member(city, age=16, gender="L", kelurahan="64.71.01.1002")
    ballot = services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation),
                                    actor=member.user)
    ballot.refresh_from_db()
    assert (ballot.age_band, ballot.gender, ballot.kecamatan_code) == ("16-17", "L", "64.71.01")
    assert member.date_of_birth.isoformat() not in str(Ballot.objects.filter(pk=ballot.pk).values().get())
    assert "1002" not in ballot.kecamatan_code  # the kelurahan is not kept

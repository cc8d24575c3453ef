"""Voting: one submission writes the participation and an unlinkable ballot; invalid answers
save nothing; a second submission ends on the friendly "already voted" page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Ballot, Participation
from tests.consultations.conftest import full_answers, make_consultation, make_staff, post_data, questions_of

pytestmark = pytest.mark.django_db


def test_a_vote_costs_a_fixed_small_number_of_queries(client, consultation, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member.user)
    url, data = reverse("consultations:detail", args=[consultation.slug]), post_data(consultation)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    # consultation, session, user, member with its forum, questions; in the transaction (a
    # savepoint here, inside the test's transaction): the lock, the scope, participation, ballot,
    # answers. make bench: 20, then 16, now 10 outside tests.
    assert len(queries) <= 12, "\n".join(q["sql"][:120] for q in queries)
    assert Participation.objects.count() == Ballot.objects.count() == 1


def test_questions_loaded_before_an_edit_are_not_used_for_the_vote(consultation, member):
    from django.core.exceptions import ValidationError

    from forumanak.consultations import selectors
    from forumanak.consultations.models import Consultation, Question

    seen = Consultation.objects.get(pk=consultation.pk)  # what the ballot page was built from
    questions = selectors.ballot_questions(seen)
    answers = full_answers(consultation)
    # meanwhile the organiser adds a required question (through the admin, which saves the row)
    added = Question.objects.create(consultation=consultation, sort_order=9, kind="single", prompt="Baru?",
                                    choices_text="Ya\nTidak")
    Consultation.objects.get(pk=consultation.pk).save()
    with pytest.raises(ValidationError) as refused:
        services.submit_ballot(consultation=seen, member=member, answers=answers, actor=member.user,
                               questions=questions)
    assert f"q{added.pk}" in refused.value.message_dict
    assert Participation.objects.count() == Ballot.objects.count() == 0
    # and the ballot page reads the questions afresh (the cache is keyed by the row's updated_at)
    assert added in selectors.ballot_questions(Consultation.objects.get(pk=consultation.pk))
    assert added not in selectors.ballot_questions(seen)


def test_vote_writes_participation_and_ballot_with_coarse_snapshot(client, consultation, member):
    client.force_login(member.user)
    response = client.post(reverse("consultations:detail", args=[consultation.slug]),
                           post_data(consultation, multiple=("1", "3"), ranking=("2", "0"), text="Lampu jalan"))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:thanks", args=[consultation.slug])
    participation = Participation.objects.get()
    assert (participation.consultation, participation.member) == (consultation, member)
    ballot = Ballot.objects.get()
    assert ballot.consultation == consultation
    assert (ballot.age_band, ballot.gender, ballot.kecamatan_code) == ("13-15", "P", "64.71.01")
    assert ballot.voted_on == timezone.localdate()
    q = questions_of(consultation)
    answers = {(a.question_id, a.choice, a.rank, a.text) for a in ballot.answers.all()}
    assert answers == {
        (q["single"].pk, 0, None, ""), (q["multiple"].pk, 1, None, ""), (q["multiple"].pk, 3, None, ""),
        (q["ranking"].pk, 2, 1, ""), (q["ranking"].pk, 0, 2, ""), (q["scale"].pk, 2, None, ""),
        (q["text"].pk, None, None, "Lampu jalan"),
    }
    assert Answer.objects.get(text="Lampu jalan").moderation == "pending"
    thanks = client.get(response["Location"])
    assert "Terima kasih" in thanks.content.decode()


def test_second_submission_and_second_tab_end_with_one_ballot(client, consultation, member):
    client.force_login(member.user)
    url = reverse("consultations:detail", args=[consultation.slug])
    first_tab = client.get(url)
    assert 'name="csrfmiddlewaretoken"' in first_tab.content.decode() or first_tab.status_code == 200
    assert client.post(url, post_data(consultation)).status_code == 302
    again = client.post(url, post_data(consultation, single="2"))  # the other tab, or the back button
    assert again.status_code == 200
    assert "Kamu sudah memberi suara" in again.content.decode()
    assert Participation.objects.count() == 1 and Ballot.objects.count() == 1
    assert Ballot.objects.get().answers.get(question__kind="single").choice == 0
    # the page itself now says so, and shows no ballot
    page = client.get(url).content.decode()
    assert "Kamu sudah memberi suara" in page and "Kirim suaraku" not in page
    # refreshing the thank-you page changes nothing
    assert client.get(reverse("consultations:thanks", args=[consultation.slug])).status_code == 200
    assert Ballot.objects.count() == 1


def test_service_refuses_a_second_ballot(consultation, member):
    services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)
    with pytest.raises(services.AlreadyVoted):
        services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)
    assert Ballot.objects.count() == 1 and Participation.objects.count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"single": ""}, "single", "wajib dijawab"),
    ({"multiple": ("0", "1", "2")}, "multiple", "paling banyak 2"),
    ({"ranking": ("1", "1")}, "ranking", "hanya boleh dipakai sekali"),
    ({"ranking": ("1", "")}, "ranking", "Isi semua 2 urutan"),
    ({"text": "x" * 51}, "text", "terlalu panjang"),
    ({"scale": "7"}, "scale", ""),
], ids=["missing-required", "too-many-choices", "repeated-rank", "incomplete-ranking", "text-over-limit", "unknown-choice"])
def test_invalid_answers_get_form_errors_and_save_nothing(client, consultation, member, change, field, message):
    client.force_login(member.user)
    response = client.post(reverse("consultations:detail", args=[consultation.slug]), post_data(consultation, **change))
    assert response.status_code == 400
    page = response.content.decode()
    assert "perlu diperbaiki" in page
    if message:
        assert message in page
    q = questions_of(consultation)[field]
    assert f'id="q{q.pk}-errors"' in page
    assert Participation.objects.count() == 0 and Ballot.objects.count() == 0 and Answer.objects.count() == 0


def test_service_validates_answers_too(consultation, member):
    answers = full_answers(consultation, multiple=(0, 1, 2))
    with pytest.raises(Exception) as exc:
        services.submit_ballot(consultation=consultation, member=member, answers=answers, actor=member.user)
    assert "Pilih paling banyak 2" in str(exc.value)
    assert Participation.objects.count() == 0 and Ballot.objects.count() == 0


def test_optional_text_may_stay_empty(client, consultation, member):
    client.force_login(member.user)
    client.post(reverse("consultations:detail", args=[consultation.slug]), post_data(consultation, text="   "))
    assert Ballot.objects.count() == 1
    assert not Answer.objects.filter(choice__isnull=True).exists()


def test_staff_preview_a_draft_others_get_404(client, city, member):
    draft = make_consultation(city["forums"]["city"], status="draft", title="Draf rahasia")
    url = reverse("consultations:detail", args=[draft.slug])
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    assert client.get(url).status_code == 404
    other = make_staff("fas-lain", city["forums"]["64.71.02"], "fasilitator")
    client.force_login(other)
    assert client.get(url).status_code == 404  # not their forum chain
    pembina = make_staff("pembina", city["forums"]["city"])
    client.force_login(pembina)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pratinjau draf" in text and "Draf rahasia" in text and "disabled" in text
    refused = client.post(url, post_data(draft))
    assert refused.status_code == 403
    assert Ballot.objects.count() == 0
    # a draft is not listed
    assert "Draf rahasia" not in client.get(reverse("consultations:list")).content.decode()

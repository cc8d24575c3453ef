"""The consultations in the Wagtail admin: scope, permissions, questions locked after the first
vote (also by the database), publishing, moderation, the safeguarding queue (audited), the
government's answer and the streamed downloads."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, transaction
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forumanak.consultations import services
from forumanak.consultations.models import Answer, Consultation, GovernmentResponse, Question, SafeguardingFlag
from forumanak.core.models import AuditEntry
from tests.conftest import grant_admin_access, make_user, sign_in_with_second_factor
from tests.consultations.conftest import full_answers, make_consultation, make_member, make_staff

pytestmark = pytest.mark.django_db

INDEX = "consultations_consultation:index"


def edit_url(c):
    return reverse("consultations_consultation:edit", args=[c.pk])


def test_staff_see_only_consultations_of_their_chain(client, city):
    forums = city["forums"]
    city_wide = make_consultation(forums["city"], title="Untuk seluruh kota")
    timur = make_consultation(forums["64.71.01"], title="Untuk Balikpapan Timur")
    barat = make_consultation(forums["64.71.02"], title="Untuk Balikpapan Barat")
    fasilitator = make_staff("fas-timur", forums["64.71.01"], "fasilitator")
    sign_in_with_second_factor(client, fasilitator)
    page = client.get(reverse(INDEX)).content.decode()
    assert "Untuk Balikpapan Timur" in page
    assert "Untuk Balikpapan Barat" not in page and "Untuk seluruh kota" not in page
    assert client.get(edit_url(timur)).status_code == 200
    assert client.get(edit_url(barat)).status_code == 404
    assert client.get(edit_url(city_wide)).status_code == 404
    pembina = make_staff("pembina", forums["city"])
    sign_in_with_second_factor(client, pembina)
    page = client.get(reverse(INDEX)).content.decode()
    assert all(t in page for t in ("Untuk Balikpapan Timur", "Untuk Balikpapan Barat", "Untuk seluruh kota"))


def test_editors_without_consultation_permissions_are_refused(client, city, consultation):
    editor = grant_admin_access(make_user("editor", is_staff=True))
    from tests.conftest import enable_totp

    enable_totp(editor)
    sign_in_with_second_factor(client, editor)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    assert client.get(edit_url(consultation)).status_code == 404  # outside every editor's area
    menu = client.get("/admin/").content.decode()
    assert "konsultasi-jawaban" not in menu and "/admin/konsultasi/" not in menu


def _form_data(forum, *, title="Konsultasi baru", slug="konsultasi-baru", questions=()):
    now = timezone.localtime()
    data = {
        "title": title, "slug": slug, "summary": "Ringkas", "cluster": "4", "forum": str(forum.pk),
        "min_age": "10", "max_age": "17", "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=8)).strftime("%Y-%m-%d %H:%M"), "results_policy": "after_close",
        "questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, q in enumerate(questions):
        prefix = f"questions-{i}-"
        data.update({prefix + "kind": q["kind"], prefix + "prompt": q["prompt"], prefix + "help_text": "",
                     prefix + "required": "on", prefix + "choices_text": q.get("choices_text", ""),
                     prefix + "max_choices": q.get("max_choices", ""), prefix + "top_k": q.get("top_k", ""),
                     prefix + "max_length": "500", prefix + "ORDER": str(i + 1), prefix + "id": "", prefix + "DELETE": ""})
    return data


def test_create_with_questions_then_publish(client, city, pembina):
    sign_in_with_second_factor(client, pembina)
    data = _form_data(city["forums"]["city"], questions=[
        {"kind": "single", "prompt": "Pilih satu", "choices_text": "A\nB"},
        {"kind": "multiple", "prompt": "Pilih dua", "choices_text": "A\nB\nC", "max_choices": "2"},
    ])
    response = client.post(reverse("consultations_consultation:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get(slug="konsultasi-baru")
    assert consultation.status == "draft" and consultation.created_by == pembina
    assert [q.prompt for q in consultation.questions.all()] == ["Pilih satu", "Pilih dua"]
    assert AuditEntry.objects.filter(action="consultation.create", object_id=str(consultation.pk)).exists()
    client.post(reverse("consultations_admin_publish", args=[consultation.pk]))
    consultation.refresh_from_db()
    assert consultation.status == "published" and consultation.published_at
    assert AuditEntry.objects.filter(action="consultation.publish").exists()


def test_invalid_questions_are_refused_by_the_form(client, city, pembina):
    sign_in_with_second_factor(client, pembina)
    data = _form_data(city["forums"]["city"], questions=[{"kind": "multiple", "prompt": "Pilih", "choices_text": "Satu"}])
    response = client.post(reverse("consultations_consultation:add"), data)
    assert response.status_code == 200
    assert "tulis paling sedikit dua pilihan" in response.content.decode()
    assert not Consultation.objects.exists()


def test_fasilitator_cannot_run_a_consultation_above_their_forum(client, city):
    fasilitator = make_staff("fas-timur", city["forums"]["64.71.01"], "fasilitator")
    sign_in_with_second_factor(client, fasilitator)
    data = _form_data(city["forums"]["city"], questions=[{"kind": "single", "prompt": "P", "choices_text": "A\nB"}])
    response = client.post(reverse("consultations_consultation:add"), data)
    assert response.status_code == 200
    assert not Consultation.objects.exists()


def _vote(consultation, city):
    member = make_member(city)
    services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation), actor=member.user)


def test_questions_cannot_change_once_someone_has_voted(client, city, pembina, consultation):
    sign_in_with_second_factor(client, pembina)
    before = client.get(edit_url(consultation)).content.decode()
    assert "questions-TOTAL_FORMS" in before
    _vote(consultation, city)
    page = client.get(edit_url(consultation)).content.decode()
    assert "questions-TOTAL_FORMS" not in page
    assert "pertanyaan tidak bisa diubah lagi" in page
    # other fields may still change (e.g. a later closing time)
    data = _form_data(city["forums"]["city"], title="Judul baru", slug=consultation.slug)
    data["opens_at"] = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")
    for key in [k for k in data if k.startswith("questions-")]:
        del data[key]
    assert client.post(edit_url(consultation), data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Judul baru" and consultation.questions.count() == 5


def test_the_database_refuses_question_changes_after_a_vote(city, consultation):
    question = consultation.questions.first()
    Question.objects.filter(pk=question.pk).update(prompt="Diubah sebelum ada suara")  # allowed
    _vote(consultation, city)
    Question.objects.filter(pk=question.pk).update(sort_order=9)  # the order alone may change
    for change in (lambda: Question.objects.filter(pk=question.pk).update(prompt="Diubah"),
                   lambda: Question.objects.filter(pk=question.pk).update(choices_text="X\nY"),
                   lambda: Question.objects.create(consultation=consultation, kind="text", prompt="Baru")):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    question.refresh_from_db()
    assert question.prompt == "Diubah sebelum ada suara" and consultation.questions.count() == 5


def _text_answer(city, consultation, text="Aku takut pulang ke rumah", kelurahan="64.71.01.1001"):
    member = make_member(city, kelurahan=kelurahan)
    services.submit_ballot(consultation=consultation, member=member, answers=full_answers(consultation, text=text),
                           actor=member.user)
    return Answer.objects.get(text=text)


def test_moderation_features_a_quote_and_flags_a_child_at_risk(client, city, pembina, consultation,
                                                               django_capture_on_commit_callbacks):
    fasilitator = make_staff("fas-timur", city["forums"]["64.71.01"], "fasilitator")
    fasilitator.email = "fas@example.test"
    fasilitator.save()
    answer = _text_answer(city, consultation)
    safe = _text_answer(city, consultation, text="Taman baca buka sore")
    sign_in_with_second_factor(client, pembina)
    url = reverse("consultations_moderation:edit", args=[safe.pk])
    response = client.post(url, {"moderation": "approved", "featured": "on", "quote": "Taman baca buka sore!", "flag_reason": ""})
    assert response.status_code == 302
    safe.refresh_from_db()
    assert safe.featured and safe.quote == "Taman baca buka sore!"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consultations_moderation:edit", args=[answer.pk]),
                               {"moderation": "hidden", "quote": "", "flag_reason": "Anak menulis takut pulang."})
    assert response.status_code == 302
    flag = SafeguardingFlag.objects.get()
    assert flag.forum == city["forums"]["64.71.01"]  # the kecamatan of the ballot
    assert flag.status == "open" and flag.raised_by == pembina
    entry = AuditEntry.objects.get(action="consultation.safeguarding_flag")
    assert entry.actor == pembina and entry.object_id == str(flag.pk)
    assert [m.to for m in mail.outbox] == [["fas@example.test"]]
    assert "takut pulang" not in mail.outbox[0].body  # the text stays behind the two-factor login
    assert f"/admin/konsultasi-perlindungan/edit/{flag.pk}/" in mail.outbox[0].body
    # the kecamatan's fasilitator sees it; one of another kecamatan does not
    sign_in_with_second_factor(client, fasilitator)
    assert "Anak menulis takut pulang." in client.get(reverse("consultations_flags:edit", args=[flag.pk])).content.decode()
    other = make_staff("fas-barat", city["forums"]["64.71.02"], "fasilitator")
    sign_in_with_second_factor(client, other)
    assert client.get(reverse("consultations_flags:edit", args=[flag.pk])).status_code == 404
    assert client.get(reverse("consultations_moderation:edit", args=[answer.pk])).status_code == 404
    # handled, and audited
    sign_in_with_second_factor(client, fasilitator)
    client.post(reverse("consultations_flags:edit", args=[flag.pk]), {"handling_note": "Sosialisasi SAPA 129 di sekolah."})
    flag.refresh_from_db()
    assert flag.status == "handled" and flag.handled_by == fasilitator
    assert AuditEntry.objects.filter(action="consultation.safeguarding_handled", actor=fasilitator).exists()


def test_a_quote_needs_an_approved_answer(city, pembina, consultation):
    answer = _text_answer(city, consultation, text="Ide bagus")
    with pytest.raises(Exception, match="aman"):
        services.moderate_answer(answer=answer, actor=pembina, moderation="pending", featured=True, quote="Ide")


def test_government_response_only_after_closing(client, city, pembina):
    open_one = make_consultation(city["forums"]["city"])
    now = timezone.now()
    closed = make_consultation(city["forums"]["city"], status="closed", opens=now - timedelta(days=5),
                               closes=now - timedelta(days=1))
    sign_in_with_second_factor(client, pembina)
    data = {"consultation": str(open_one.pk), "recommendation": "Toilet bersih", "action": "Perbaikan toilet",
            "agency": "Dinas Pendidikan", "status": "accepted", "sort_order": "1"}
    assert client.post(reverse("consultations_responses:add"), data).status_code == 200
    assert not GovernmentResponse.objects.exists()
    data["consultation"] = str(closed.pk)
    assert client.post(reverse("consultations_responses:add"), data).status_code == 302
    response = GovernmentResponse.objects.get()
    assert response.consultation == closed and response.updated_by == pembina
    assert AuditEntry.objects.filter(action="consultation.response_create").exists()


def _closed_with_ballots(city, django_capture_on_commit_callbacks):
    consultation = make_consultation(city["forums"]["city"])
    for i in range(7):
        _text_answer(city, consultation, text=f"Usul {i}", kelurahan="64.71.02.1001" if i < 2 else "64.71.01.1001")
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    return consultation


def test_downloads_stream_aggregates_and_anonymous_ballots(client, city, pembina, django_capture_on_commit_callbacks):
    consultation = _closed_with_ballots(city, django_capture_on_commit_callbacks)
    sign_in_with_second_factor(client, pembina)
    url = lambda kind, fmt: reverse("consultations_admin_download", args=[consultation.pk, kind, fmt])  # noqa: E731
    response = client.get(url("surat-suara", "csv"))
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    # 5 ballots of one kecamatan and 2 of another: the kecamatan column goes, so that every
    # combination of the describing columns covers at least 5 ballots (issue 15 §3)
    assert rows[0][:5] == ["id surat suara", "tanggal", "kelompok umur", "jenis kelamin", "kode kecamatan (dihapus)"]
    assert "paling sedikit 5 surat suara" in rows[0][-1]
    assert len(rows) == 8
    assert {r[2] for r in rows[1:]} == {"13-15"} and {r[4] for r in rows[1:]} == {""}
    assert {r[5] for r in rows[1:]} == {"Taman"}
    assert {r[7] for r in rows[1:]} == {"1. Toilet; 2. Air minum"}
    assert not any(pembina.username in ",".join(r) for r in rows)
    response = client.get(url("hasil", "xlsx"))
    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["pertanyaan", "jawaban", "kelompok", "nilai kelompok", "jumlah"]
    assert any(row[1] == "semua peserta" and row[4] == 7 for row in values)
    assert any(row[4] == "disembunyikan" for row in values)  # the aggregate download is suppressed like the page
    assert not any(row[4] == 0 or row[4] == "<5" for row in values)  # zeros too, and alike
    response = client.get(url("surat-suara", "xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 8
    assert AuditEntry.objects.filter(action="consultation.export_surat_suara").count() == 2
    assert AuditEntry.objects.filter(action="consultation.export_hasil").count() == 1
    # staff of another chain cannot download
    other = make_staff("fas-barat", city["forums"]["64.71.02"], "fasilitator")
    sign_in_with_second_factor(client, other)
    assert client.get(url("hasil", "csv")).status_code == 404


def test_ballots_of_fewer_than_the_threshold_cannot_be_downloaded(client, city, pembina,
                                                                  django_capture_on_commit_callbacks):
    consultation = make_consultation(city["forums"]["city"])
    for i in range(4):
        _text_answer(city, consultation, text=f"Usul {i}")
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close(consultation_id=consultation.pk)
    sign_in_with_second_factor(client, pembina)
    response = client.get(reverse("consultations_admin_download", args=[consultation.pk, "surat-suara", "csv"]))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__startswith="consultation.export").exists()
    rows = list(csv.reader(io.StringIO(b"".join(client.get(
        reverse("consultations_admin_download", args=[consultation.pk, "hasil", "csv"])).streaming_content)
        .decode("utf-8-sig"))))
    assert len(rows) == 2 and "Kurang dari 5 anak" in rows[1][0]  # and the aggregates say only that


def test_ballots_of_an_open_consultation_cannot_be_downloaded(client, city, pembina, consultation):
    sign_in_with_second_factor(client, pembina)
    response = client.get(reverse("consultations_admin_download", args=[consultation.pk, "surat-suara", "csv"]))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__startswith="consultation.export").exists()


def test_admin_pages_render_for_staff(client, city, pembina, consultation):
    _text_answer(city, consultation, text="Ide untuk kota")
    draft = make_consultation(city["forums"]["city"], status="draft")
    sign_in_with_second_factor(client, pembina)
    for url in (reverse("consultations_consultation:add"), reverse("consultations_moderation:index"),
                reverse("consultations_flags:index"), reverse("consultations_responses:index"),
                reverse("consultations_responses:add"), reverse("consultations_admin_publish", args=[draft.pk]),
                reverse("consultations_moderation:edit", args=[Answer.objects.get(text="Ide untuk kota").pk])):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Ide untuk kota" in client.get(reverse("consultations_moderation:index")).content.decode()
    assert "Terbitkan" in client.get(edit_url(draft)).content.decode()

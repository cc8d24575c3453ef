"""Small results (issue 15 §1): for 1 to 12 children and every kind of question, an attacker reads
every page and download that a visitor, a member and the organising pembina can reach, and tries
to work out something about one child's answer. It must find nothing.

What the attacker tries (tests/consultations/attacker.py): below the threshold, any figure at
all. Above it: differences between rows and totals, across the three breakdowns and the
download (step 1, exact integer tables), and whole ballots filling each group: zeros, a group
that all answered alike, percentages, ranking points with the number who ranked an option, the
scale mean, the most a multiple-choice ballot can hold (step 2). "Derived" means: for some group
that the page lists (or all children), every filling consistent with what is published has all
its children share a fact about their answer, or none of them: "all chose X", "nobody chose X",
"all put X first", "nobody wrote an answer". The attacker knows the group of a child it targets
(age band, gender, kecamatan: from the member pages) and that the child voted.

The staff's anonymous-ballot download is microdata by design; for it the test checks that it
is refused below the threshold and that each combination of its describing columns covers at
least the threshold of ballots.
"""

import csv
import io
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forumanak.consultations import services
from forumanak.consultations.models import Consultation, ResultSnapshot
from forumanak.regions.models import Region
from tests.conftest import sign_in_with_second_factor
from tests.consultations.attacker import NONE_LABEL, Attacker, Fact, merge_facts, read_result_rows, read_results_page
from tests.consultations.conftest import make_consultation, make_member, make_staff

pytestmark = pytest.mark.django_db

T = 5
QUESTIONS = [
    {"kind": "single", "prompt": "Tempat bermain favorit?", "choices_text": "Taman\nLapangan\nPerpustakaan"},
    {"kind": "multiple", "prompt": "Kegiatan yang kamu mau?", "choices_text": "Olahraga\nMusik\nKomputer", "max_choices": 2},
    {"kind": "ranking", "prompt": "Urutkan yang terpenting", "choices_text": "Toilet\nAir minum\nKantin", "top_k": 2},
    {"kind": "scale", "prompt": "Seberapa aman sekolahmu?", "choices_text": ""},
    {"kind": "text", "prompt": "Usulanmu?", "required": False, "max_length": 50},
]
# ages, genders and kelurahan (two kecamatan) of the twelve children, in voting order
CHILDREN = [(11, "P", "64.71.01.1001"), (14, "L", "64.71.02.1001"), (16, "P", "64.71.01.1002"), (13, "P", "64.71.01.1001"),
            (12, "L", "64.71.01.1002"), (17, "L", "64.71.02.1001"), (14, "P", "64.71.02.1001"), (15, "L", "64.71.01.1001"),
            (10, "P", "64.71.01.1001"), (16, "L", "64.71.01.1002"), (13, "P", "64.71.02.1001"), (12, "L", "64.71.01.1001")]


def answers_for(consultation, rng):
    q = {x.kind: x.pk for x in consultation.questions.all()}
    if rng is None:  # everyone alike: the hardest case for zeros
        return {q["single"]: 0, q["multiple"]: [0], q["ranking"]: [0, 1], q["scale"]: 4, q["text"]: ""}
    return {q["single"]: rng.randrange(3), q["multiple"]: rng.sample(range(3), rng.randint(1, 2)),
            q["ranking"]: rng.sample(range(3), 2), q["scale"]: rng.randrange(5),
            q["text"]: "ide" if rng.random() < 0.5 else ""}


def closed_consultation(city, members, n, rng, capture):
    consultation = make_consultation(city["forums"]["city"], questions=QUESTIONS)
    for member in members[:n]:
        services.submit_ballot(consultation=consultation, member=member, answers=answers_for(consultation, rng),
                               actor=member.user)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with capture(execute=True):
        services.close(consultation_id=consultation.pk)
    return consultation


def truth_of(consultation):
    """The true value of every fact key (the test's knowledge, handed to the attacker only as a
    starting point for its searches)."""
    raw = ResultSnapshot.objects.get(consultation=consultation).raw
    names = dict(Region.objects.filter(level=2).values_list("code", "name"))  # pages name the kecamatan

    def group(dim, g):
        return names[g] if dim == "kecamatan" else g

    truth = {("N",): raw["total"]}
    for dim, groups in raw["groups"].items():
        for g, n in groups.items():
            truth[("n", dim, group(dim, g))] = n
    for q in consultation.questions.all():
        counts = raw["questions"][str(q.pk)]
        if q.kind == "text":
            truth[("answered", q.pk)] = counts["answered"]
            continue
        labels = list(enumerate(q.choices)) + ([("none", NONE_LABEL)] if q.kind in ("single", "scale") else [])
        for index, label in labels:
            if str(index) not in counts:
                continue
            truth[("row", q.pk, label)] = counts[str(index)]
            for dim, by_group in counts["by"].items():
                for g, n in by_group[str(index)].items():
                    truth[("cell", q.pk, label, dim, group(dim, g))] = n
    return truth


def read_everything(client, consultation, member, pembina):
    """Every page and download the three kinds of reader can reach, as facts."""
    results = reverse("consultations:results", args=[consultation.slug])
    pages = [client.get(results).content.decode()]  # a visitor
    client.force_login(member.user)
    pages.append(client.get(results).content.decode())
    sign_in_with_second_factor(client, pembina)
    pages.append(client.get(results).content.decode())
    sources = [read_results_page(page) for page in pages]
    questions = list(consultation.questions.all())
    download = reverse("consultations_admin_download", args=[consultation.pk, "hasil", "csv"])
    text = b"".join(client.get(download).streaming_content).decode("utf-8-sig")
    sources.append(read_result_rows(list(csv.reader(io.StringIO(text))), questions))
    download = reverse("consultations_admin_download", args=[consultation.pk, "hasil", "xlsx"])
    sheet = load_workbook(io.BytesIO(b"".join(client.get(download).streaming_content))).active
    rows = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
    sources.append(read_result_rows(rows, questions))
    client.logout()
    return pages, merge_facts(sources), text


def ballot_download(client, consultation, pembina):
    sign_in_with_second_factor(client, pembina)
    response = client.get(reverse("consultations_admin_download", args=[consultation.pk, "surat-suara", "csv"]))
    client.logout()
    if response.status_code != 200:
        return None
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def children(city):
    return [make_member(city, age=age, gender=gender, kelurahan=kelurahan) for age, gender, kelurahan in CHILDREN]


@pytest.mark.parametrize("n", range(1, 13))
def test_no_child_answer_can_be_worked_out(client, city, children, n, django_capture_on_commit_callbacks):
    pembina = make_staff(f"pembina-{n}", city["forums"]["city"], "pembina")
    for name, rng in (("random", random.Random(1500 + n)), ("alike", None)):
        consultation = closed_consultation(city, children, n, rng, django_capture_on_commit_callbacks)
        pages, facts, aggregate_csv = read_everything(client, consultation, children[0], pembina)
        microdata = ballot_download(client, consultation, pembina)
        if n < T:
            # nothing but "fewer than 5 children took part", anywhere
            assert all(f"Kurang dari {T} anak ikut memberi suara" in page for page in pages), name
            assert facts == {}, (name, facts)
            for label in ("Taman", "Olahraga", "Toilet", "Setuju", "Menurut kecamatan"):
                assert all(label not in page for page in pages) and label not in aggregate_csv, (name, label)
            assert microdata is None, name
            continue
        # the reader found every figure: 14 option rows, the open answers, a breakdown of each
        assert sum(1 for k in facts if k[0] == "row") == 14 and ("answered", consultation.questions.get(
            kind="text").pk) in facts
        assert {k[3] for k in facts if k[0] == "cell"} == {"age_band", "gender", "kecamatan"}
        shown_n = facts.get(("N",))
        facts[("N",)] = Fact("exact", n)  # known anyway: the participations are counted in the KLA report
        leaks = Attacker(consultation.questions.all(), facts, T, truth_of(consultation)).attack()
        assert leaks == [], (name, leaks)
        assert shown_n == Fact("exact", n)  # and the page says it
        # the anonymous ballots: each combination of date, age band, gender and kecamatan ≥ T
        combinations = Counter(tuple(row[1:5]) for row in microdata[1:])
        assert sum(combinations.values()) == n and min(combinations.values()) >= T, (name, combinations)
        assert f"paling sedikit {T} surat suara" in microdata[0][-1]


def test_the_attacker_finds_what_unprotected_figures_give_away(city, children, django_capture_on_commit_callbacks):
    """The attacker is not blind: shown the true counts (as the pages were before issue 15, with
    their zeros), it works out answers."""
    consultation = closed_consultation(city, children, 8, None, django_capture_on_commit_callbacks)
    truth = truth_of(consultation)
    facts = {key: Fact("exact", value) for key, value in truth.items()}
    leaks = Attacker(consultation.questions.all(), facts, T, truth).attack()
    assert ("single", "all", "chose Taman", "everyone") in leaks
    assert ("multiple", ("gender", "L"), "chose Musik", "nobody") in leaks
    # only the small counts hidden, zeros shown (the old rule): still found
    facts = {key: Fact("small") if 1 <= value < T else Fact("exact", value) for key, value in truth.items()}
    assert Attacker(consultation.questions.all(), facts, T, truth).attack()

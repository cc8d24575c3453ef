"""The results snapshot: counted by SQL aggregation, protected by small-cell suppression.

Two aggregate queries do all the counting, whatever the number of ballots: ballots per
(age band, gender, kecamatan) and answers per (question, choice, rank, age band, gender,
kecamatan). Everything else is arithmetic on those few hundred rows.

Each question becomes one or more *variables* whose categories split all ballots:
- single choice and scale: the options, plus "no answer";
- multiple choice: per option, chose it / did not;
- ranking: per option, put it in the top K / did not (the points follow the ranks);
- open text: answered / did not (the texts themselves are never counted here or shown raw).
Each variable is crossed with each dimension (age band, gender, kecamatan) into a table whose
column totals are the group sizes and whose grand total is the number of ballots.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import AgeBand, Answer, Ballot, Consultation, Question, ResultSnapshot
from .suppression import HIDDEN, SMALL, Table, suppress

DIMENSIONS = ("age_band", "gender", "kecamatan")
NO_ANSWER = "none"


def threshold():
    return int(getattr(settings, "CONSULTATION_SUPPRESSION_THRESHOLD", 5))


def count_ballots(consultation_id):
    """{(age_band, gender, kecamatan): ballots}, by one GROUP BY."""
    rows = (
        Ballot.objects.filter(consultation_id=consultation_id)
        .values_list("age_band", "gender", "kecamatan_code")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {(a, g, k): n for a, g, k, n in rows}


def count_answers(consultation_id):
    """{(question, choice, rank, age_band, gender, kecamatan): answers}, by one GROUP BY."""
    rows = (
        Answer.objects.filter(ballot__consultation_id=consultation_id)
        .values_list("question_id", "choice", "rank", "ballot__age_band", "ballot__gender", "ballot__kecamatan_code")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {tuple(row[:6]): row[6] for row in rows}


def _group(cell, dim):
    return cell[DIMENSIONS.index(dim)]


def build_variables(questions, ballots, answers):
    """Return a list of variables: dicts with the question, a name, the categories and
    {category: {cell: count}} where a cell is (age_band, gender, kecamatan)."""
    variables = []
    for q in questions:
        by_cell = defaultdict(lambda: defaultdict(int))  # (choice, rank) -> cell -> n
        for (qid, choice, rank, a, g, k), n in answers.items():
            if qid == q.pk:
                by_cell[(choice, rank)][(a, g, k)] += n
        choices = q.choices
        if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
            counts = {}
            answered = defaultdict(int)
            for index in range(len(choices)):
                counts[index] = dict(by_cell.get((index, None), {}))
                for cell, n in counts[index].items():
                    answered[cell] += n
            counts[NO_ANSWER] = {cell: n - answered[cell] for cell, n in ballots.items()}
            variables.append({"question": q.pk, "name": "choice", "categories": [*range(len(choices)), NO_ANSWER],
                              "counts": counts})
        elif q.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
            for index in range(len(choices)):
                yes = defaultdict(int)
                for (choice, _rank), cells in by_cell.items():
                    if choice == index:
                        for cell, n in cells.items():
                            yes[cell] += n
                counts = {"yes": dict(yes), "no": {cell: n - yes[cell] for cell, n in ballots.items()}}
                variables.append({"question": q.pk, "name": f"option-{index}", "option": index,
                                  "categories": ["yes", "no"], "counts": counts})
        else:
            yes = dict(by_cell.get((None, None), {}))
            counts = {"yes": yes, "no": {cell: n - yes.get(cell, 0) for cell, n in ballots.items()}}
            variables.append({"question": q.pk, "name": "text", "categories": ["yes", "no"], "counts": counts})
    return variables


def build_tables(variables, ballots):
    """The tables to protect and the value of every key in them."""
    values = {("N",): sum(ballots.values())}
    groups = {}
    for dim in DIMENSIONS:
        sizes = defaultdict(int)
        for cell, n in ballots.items():
            sizes[_group(cell, dim)] += n
        groups[dim] = sorted(sizes)
        for g, n in sizes.items():
            values[("n", dim, g)] = n
    tables = []
    for var in variables:
        vid = (var["question"], var["name"])
        for cat in var["categories"]:
            values[("r", vid, cat)] = sum(var["counts"][cat].values())
        for dim in DIMENSIONS:
            cells = []
            for cat in var["categories"]:
                per_group = defaultdict(int)
                for cell, n in var["counts"][cat].items():
                    per_group[_group(cell, dim)] += n
                row = []
                for g in groups[dim]:
                    key = ("x", vid, cat, dim, g)
                    values[key] = per_group.get(g, 0)
                    row.append(key)
                cells.append(row)
            tables.append(Table(
                cells=cells,
                row_totals=[("r", vid, cat) for cat in var["categories"]],
                col_totals=[("n", dim, g) for g in groups[dim]],
                total=("N",),
            ))
    # the participants table on its own (when there are no questions to cross it with)
    for dim in DIMENSIONS:
        tables.append(Table(cells=[[("n", dim, g) for g in groups[dim]]], row_totals=[("N",)],
                            col_totals=[("n", dim, g) for g in groups[dim]], total=("N",)))
    return tables, values, groups


def _shown(key, values, status, *, base=None):
    state = status.get(key)
    if state:
        return {"v": None, "s": state}
    value = values[key]
    item = {"v": value, "s": None}
    if base:
        item["p"] = round(100 * value / base, 1)
    return item


def compute(consultation, *, t=None):
    """Count, protect and lay out the results of ``consultation``. Returns (public, raw)."""
    t = t or threshold()
    questions = list(consultation.questions.all())
    ballots = count_ballots(consultation.pk)
    answers = count_answers(consultation.pk)
    variables = build_variables(questions, ballots, answers)
    tables, values, groups = build_tables(variables, ballots)
    status = suppress(tables, values, t, protected={("N",)})

    total_key = ("N",)
    total = _shown(total_key, values, status)
    base = values[total_key] if not status.get(total_key) else None
    from forumanak.regions.models import Region

    kecamatan_names = dict(Region.objects.filter(code__in=groups["kecamatan"]).values_list("code", "name"))

    def group_entry(dim, g):
        item = _shown(("n", dim, g), values, status, base=base)
        item["g"] = g
        if dim == "kecamatan":
            item["label"] = kecamatan_names.get(g, g)
        return item

    public = {
        "threshold": t,
        "total": total,
        "groups": {dim: [group_entry(dim, g) for g in groups[dim]] for dim in DIMENSIONS},
        "questions": [],
    }
    raw = {"total": values[total_key], "groups": {dim: {g: values[("n", dim, g)] for g in groups[dim]} for dim in DIMENSIONS},
           "questions": {}}
    by_question = defaultdict(list)
    for var in variables:
        by_question[var["question"]].append(var)
    for q in questions:
        entry = {"id": q.pk, "kind": q.kind, "prompt": q.prompt, "rows": [], "breakdown": {}}
        raw_q = raw["questions"][str(q.pk)] = {}
        choices = q.choices
        if q.kind == Question.Kind.TEXT:
            vid = (q.pk, "text")
            entry["answered"] = _shown(("r", vid, "yes"), values, status, base=base)
            raw_q["answered"] = values[("r", vid, "yes")]
            public["questions"].append(entry)
            continue
        rows = []  # (label, category key prefix vid, cat)
        if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
            vid = (q.pk, "choice")
            rows = [(choices[i], vid, i, i) for i in range(len(choices))]
            if not q.required:
                rows.append(("", vid, NO_ANSWER, None))
        else:
            rows = [(choices[i], (q.pk, f"option-{i}"), "yes", i) for i in range(len(choices))]
        points = _points(q, answers) if q.kind == Question.Kind.RANKING else {}
        for label, vid, cat, index in rows:
            item = _shown(("r", vid, cat), values, status, base=base)
            item.update({"label": label, "choice": index})
            if q.kind == Question.Kind.RANKING and item["s"] is None:
                item["points"] = points.get(index, 0)
            entry["rows"].append(item)
            raw_q[str(index if index is not None else NO_ANSWER)] = values[("r", vid, cat)]
        if q.kind == Question.Kind.SCALE and all(r["s"] is None for r in entry["rows"]):
            answered = sum(r["v"] for r in entry["rows"] if r["choice"] is not None)
            if answered:
                entry["mean"] = round(sum((r["choice"] + 1) * r["v"] for r in entry["rows"] if r["choice"] is not None) / answered, 2)
        if q.kind == Question.Kind.RANKING:
            raw_q["points"] = {str(k): v for k, v in points.items()}
        for dim in DIMENSIONS:
            table_rows = []
            for label, vid, cat, index in rows:
                cells = []
                for g in groups[dim]:
                    size_key = ("n", dim, g)
                    group_base = values[size_key] if not status.get(size_key) else None
                    cells.append(_shown(("x", vid, cat, dim, g), values, status, base=group_base))
                    raw_q.setdefault("by", {}).setdefault(dim, {}).setdefault(str(index if index is not None else NO_ANSWER), {})[g] = values[("x", vid, cat, dim, g)]
                table_rows.append({"label": label, "choice": index, "cells": cells})
            entry["breakdown"][dim] = table_rows
        public["questions"].append(entry)
    return public, raw


def _points(question, answers):
    """Ranking points: the first place earns K points, the K-th earns 1."""
    k = question.top_k or 1
    points = defaultdict(int)
    for (qid, choice, rank, *_cell), n in answers.items():
        if qid == question.pk and choice is not None and rank:
            points[choice] += (k + 1 - rank) * n
    return dict(points)


def store_snapshot(consultation_id, *, final):
    """Compute and store the snapshot of one consultation. Idempotent."""
    consultation = Consultation.objects.get(pk=consultation_id)
    public, raw = compute(consultation)
    with transaction.atomic():
        snapshot, _ = ResultSnapshot.objects.update_or_create(
            consultation=consultation,
            defaults={"computed_at": timezone.now(), "is_final": final, "ballot_count": raw["total"],
                      "threshold": public["threshold"], "public": public, "raw": raw},
        )
    return snapshot


__all__ = ["AgeBand", "HIDDEN", "SMALL", "compute", "store_snapshot"]

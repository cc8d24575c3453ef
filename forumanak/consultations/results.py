"""The results snapshot: counted by SQL aggregation, protected by small-cell suppression.

Two aggregate queries do all the counting, whatever the number of ballots: ballots per
(age band, gender, kecamatan) and answers per (question, choice, rank, age band, gender,
kecamatan). Everything else is arithmetic on those few hundred rows.

Nothing is published while fewer than the threshold of children took part: not a single figure,
only that there were too few. Above it, each question becomes one or more *variables* whose
categories split all ballots:
- single choice and scale: the options, plus "no answer" when the question is optional;
- multiple choice: per option, chose it / did not;
- ranking: per option, the place it was given (1..K) or "not in the top K" (when that can happen);
  the number of children who ranked it and its points are computed from those counts;
- open text: answered / did not, when the question is optional (the texts themselves are never
  counted here or shown raw).
The final results cross each variable with each dimension (age band, gender, kecamatan) into a
table whose column totals are the group sizes and whose grand total is the number of ballots.
Live results publish the overall counts only.

Two snapshots compared must not tell more than one. Every live snapshot that members or staff
have seen is kept (its counts and what an attacker knows of each) in ``ResultSnapshot.history``;
each later snapshot, and the final one, is protected together with tables that link it to each
of them: "ballots counted then" + "ballots since" = "ballots now", per category, where the
ballots since are never published and may not be worked out while they are few. A live snapshot
is replaced only when at least the threshold of new ballots came in (see ``store_snapshot``).
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import AgeBand, Answer, Ballot, Consultation, Question, ResultSnapshot
from .suppression import BIG, HIDDEN, SMALL, Table, interval, suppress

DIMENSIONS = ("age_band", "gender", "kecamatan")
NO_ANSWER = "none"
NOT_RANKED = "out"


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


def _rest(ballots, taken):
    return {cell: n - taken.get(cell, 0) for cell, n in ballots.items()}


def _structural(counts, category, required):
    """A category that no ballot can be in (a required question left unanswered) is left out of
    its variable: everyone knows it is empty, there is nothing to hide."""
    return required and not any(counts[category].values())


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
            counts[NO_ANSWER] = _rest(ballots, answered)
            categories = list(range(len(choices)))
            if not _structural(counts, NO_ANSWER, q.required):
                categories.append(NO_ANSWER)
            variables.append({"question": q.pk, "name": "choice", "categories": categories, "counts": counts})
        elif q.kind == Question.Kind.MULTIPLE:
            for index in range(len(choices)):
                yes = dict(by_cell.get((index, None), {}))
                counts = {"yes": yes, "no": _rest(ballots, yes)}
                variables.append({"question": q.pk, "name": f"option-{index}", "option": index,
                                  "categories": ["yes", "no"], "counts": counts})
        elif q.kind == Question.Kind.RANKING:
            k = q.top_k or len(choices)
            for index in range(len(choices)):
                places = {}
                ranked = defaultdict(int)
                for place in range(1, k + 1):
                    places[place] = dict(by_cell.get((index, place), {}))
                    for cell, n in places[place].items():
                        ranked[cell] += n
                places[NOT_RANKED] = _rest(ballots, ranked)
                everyone = _structural(places, NOT_RANKED, q.required) and k == len(choices)
                if not everyone:
                    # in the top K or not: published with the breakdowns
                    variables.append({"question": q.pk, "name": f"rank-{index}", "option": index, "top_k": k,
                                      "categories": ["yes", "no"],
                                      "counts": {"yes": dict(ranked), "no": places[NOT_RANKED]}})
                # the place it was given: overall only, for the points
                variables.append({"question": q.pk, "name": f"place-{index}", "option": index, "top_k": k,
                                  "overall_only": True, "everyone": everyone,
                                  "categories": [*range(1, k + 1), *([] if everyone else [NOT_RANKED])],
                                  "counts": places})
        else:
            yes = dict(by_cell.get((None, None), {}))
            counts = {"yes": yes, "no": _rest(ballots, yes)}
            if _structural(counts, "no", q.required):
                continue  # every child answered: the number is the number of ballots
            variables.append({"question": q.pk, "name": "text", "categories": ["yes", "no"], "counts": counts})
    return variables


def build_tables(variables, ballots, *, breakdowns=True):
    """The tables to protect and the value of every key in them. Without breakdowns (live
    results) only the overall counts of each variable are published."""
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
        row_keys = [("r", vid, cat) for cat in var["categories"]]
        for cat in var["categories"]:
            values[("r", vid, cat)] = sum(var["counts"][cat].values())
        if not breakdowns or var.get("overall_only"):
            tables.append(Table(cells=[[key] for key in row_keys], row_totals=row_keys, col_totals=[("N",)],
                                total=("N",)))
        if var.get("overall_only"):
            # the places add up to "in the top K" (everyone, when every option must be ranked)
            places = [("r", vid, place) for place in range(1, var["top_k"] + 1)]
            ranked = ("N",) if var["everyone"] else ("r", (var["question"], f"rank-{var['option']}"), "yes")
            tables.append(Table(cells=[places], row_totals=[ranked], col_totals=places, total=ranked))
            continue
        if not breakdowns:
            continue
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
            tables.append(Table(cells=cells, row_totals=row_keys, col_totals=[("n", dim, g) for g in groups[dim]],
                                total=("N",)))
    if breakdowns:
        # the participants by group, on their own (also when there are no questions to cross them with)
        for dim in DIMENSIONS:
            tables.append(Table(cells=[[("n", dim, g) for g in groups[dim]]], row_totals=[("N",)],
                                col_totals=[("n", dim, g) for g in groups[dim]], total=("N",)))
    return tables, values, groups


# ---- what one ballot allows: the options of a question are not independent ---------------------


def coupling_tables(questions, variables, column, values, fixed, *, overall=False):
    """Tables that tie the options of a multiple-choice or ranking question together within one
    column of ballots (everyone, a group, or the ballots since an earlier snapshot).

    ``column(vid, category)`` gives the key of a count in that column, ``column(None, None)`` the
    key of the column's number of ballots. Multiple choice: every ballot chose between 1 (0 if
    optional) and the maximum of options. Ranking: every answered ballot put exactly K options in
    its top K, and (in the overall columns, ``overall``, where the places are counted) gave each
    place to exactly one option. The sums are never published; an attacker is assumed to know the
    number of ballots of the column exactly (the stronger assumption)."""
    tables = []
    size_key = column(None, None)
    n = values[size_key]
    by_question = defaultdict(list)
    for var in variables:
        by_question[var["question"]].append(var)

    def yes_no(q, found, low, high):
        options = len(found)
        tag = ("q", q.pk, "yes", size_key)
        total, chose, left = ("T", tag), ("Y", tag), ("Y-", tag)
        rows = [[column((q.pk, v["name"]), "yes"), column((q.pk, v["name"]), "no")] for v in found]
        values[total] = options * n
        values[chose] = sum(values[r[0]] for r in rows)
        values[left] = options * n - values[chose]
        fixed[total] = (options * n, options * n)
        fixed[chose] = (low, high)
        fixed[left] = (options * n - high, options * n - low)
        tables.append(Table(cells=rows, row_totals=[size_key] * options, col_totals=[chose, left], total=total))

    for q in questions:
        found = by_question.get(q.pk)
        if not found:
            continue
        if q.kind == Question.Kind.MULTIPLE:
            yes_no(q, found, n if q.required else 0, (q.max_choices or len(found)) * n)
            continue
        if q.kind != Question.Kind.RANKING:
            continue
        ranks = [v for v in found if v["name"].startswith("rank-")]
        k = found[0]["top_k"]
        if ranks:
            yes_no(q, ranks, k * n if q.required else 0, k * n)
        places = [v for v in found if v["name"].startswith("place-")]
        if not overall or not places:
            continue
        options = len(places)
        tag = ("q", q.pk, "place", size_key)
        with_rest = NOT_RANKED in places[0]["categories"]
        cats = [*range(1, k + 1), *([NOT_RANKED] if with_rest else [])]
        rows = [[column((q.pk, v["name"]), cat) for cat in cats] for v in places]
        total, answered = ("T", tag), ("A", tag)
        values[total] = options * n
        fixed[total] = (options * n, options * n)
        values[answered] = sum(values[r[0]] for r in rows)
        fixed[answered] = (n, n) if q.required else (0, n)
        col_totals = [answered] * k
        if with_rest:
            rest = ("O", tag)
            values[rest] = options * n - k * values[answered]
            lo, hi = fixed[answered]
            fixed[rest] = (options * n - k * hi, options * n - k * lo)
            col_totals.append(rest)
        tables.append(Table(cells=rows, row_totals=[size_key] * options, col_totals=col_totals, total=total))
    return tables


# ---- earlier snapshots ---------------------------------------------------------------------


def key_name(key):
    """A published overall key as text (for the stored history)."""
    if key == ("N",):
        return "N"
    _r, (qid, name), cat = key
    return f"{qid}:{name}:{cat}"


def history_tables(questions, variables, values, history, t, fixed):
    """Tables that tie the counts now to each earlier published snapshot. Adds the bounds an
    attacker has to ``fixed``; returns (tables, sensitive keys) for ``suppress``."""
    tables, sensitive = [], set()
    n_now = values[("N",)]
    for number, past in enumerate(history):
        since = n_now - past["n"]
        then_n, since_n = ("EN", number), ("DN", number)
        values[then_n], values[since_n] = past["n"], since
        fixed[then_n], fixed[since_n] = (past["n"], past["n"]), (since, since)
        for var in variables:
            vid = (var["question"], var["name"])
            row_keys = [("r", vid, cat) for cat in var["categories"]]
            names = [key_name(key) for key in row_keys]
            if not all(name in past["values"] for name in names):
                continue
            cells = []
            for key, name in zip(row_keys, names, strict=True):
                then, new = ("E", number, key), ("D", number, key)
                values[then] = past["values"][name]
                values[new] = values[key] - values[then]
                fixed[then] = tuple(past["known"][name])
                fixed[new] = (0, since)
                if values[new] < t:
                    sensitive.add(new)
                cells.append([then, new])
            tables.append(Table(cells=cells, row_totals=row_keys, col_totals=[then_n, since_n], total=("N",)))
        # the ballots since that snapshot are ballots too: their options are tied like everyone's
        complete = [v for v in variables if all(("D", number, ("r", (v["question"], v["name"]), c)) in values
                                                for c in v["categories"])]
        tables += coupling_tables(
            questions, complete, lambda vid, cat, number=number, since_n=since_n: since_n if vid is None
            else ("D", number, ("r", vid, cat)), values, fixed, overall=True)
    return tables, sensitive


def what_is_known(tables, values, status, t, fixed, keys):
    """For each published overall key, the bounds an attacker can give it from this snapshot
    (and the earlier ones tied to it): its value when shown, an interval when hidden."""
    n = values[("N",)]
    known = {}
    for key in keys:
        if key not in status:
            known[key_name(key)] = [values[key], values[key]]
            continue
        lo, hi = 0, n
        for table in tables:
            if key in set(table.keys()):
                a, b = interval(table, key, values, status, t, fixed, cap=n)
                lo, hi = max(lo, a), min(hi, b)
        known[key_name(key)] = [lo, hi]
    return known


# ---- the snapshot -----------------------------------------------------------------------------


def _shown(key, values, status, *, base=None):
    state = status.get(key)
    if state:
        return {"v": None, "s": state}
    value = values[key]
    item = {"v": value, "s": None}
    if base:
        item["p"] = round(100 * value / base, 1)
    return item


def _derived(value, components, status, *, base=None):
    """A figure computed from counts: shown only when all of them are."""
    if any(status.get(key) for key in components):
        return {"v": None, "s": HIDDEN}
    item = {"v": value, "s": None}
    if base:
        item["p"] = round(100 * value / base, 1)
    return item


def too_few(t):
    return {"threshold": t, "too_few": True, "total": {"v": None, "s": SMALL}, "groups": {}, "questions": []}


def compute(consultation, *, t=None, breakdowns=True, history=()):
    """Count, protect and lay out the results of ``consultation``. Returns (public, raw).

    ``raw["published"]`` is what this snapshot adds to the history when it is published."""
    t = t or threshold()
    questions = list(consultation.questions.all())
    ballots = count_ballots(consultation.pk)
    answers = count_answers(consultation.pk)
    variables = build_variables(questions, ballots, answers)
    tables, values, groups = build_tables(variables, ballots, breakdowns=breakdowns)
    n = values[("N",)]
    raw = _raw(questions, variables, values, groups, answers, breakdowns)
    if n < t:
        return too_few(t), raw
    fixed = {("N",): (n, n)}  # how many took part is no secret (the participations are counted elsewhere)
    tables += coupling_tables(questions, variables, lambda vid, cat: ("N",) if vid is None else ("r", vid, cat),
                              values, fixed, overall=True)
    if breakdowns:
        in_groups = [v for v in variables if not v.get("overall_only")]
        for dim in DIMENSIONS:
            for g in groups[dim]:
                tables += coupling_tables(
                    questions, in_groups,
                    lambda vid, cat, dim=dim, g=g: ("n", dim, g) if vid is None else ("x", vid, cat, dim, g),
                    values, fixed)
    linked, sensitive = history_tables(questions, variables, values, history, t, fixed)
    everything = tables + linked
    status = suppress(everything, values, t, protected={("N",)}, fixed=fixed, sensitive=sensitive)
    overall = [("N",)] + [("r", (v["question"], v["name"]), cat) for v in variables for cat in v["categories"]]
    raw["published"] = {"n": n, "values": {key_name(k): values[k] for k in overall},
                        "known": what_is_known(everything, values, status, t, fixed, overall)}
    base = n
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
        "total": _shown(("N",), values, status),
        "groups": {dim: [group_entry(dim, g) for g in groups[dim]] for dim in DIMENSIONS} if breakdowns else {},
        "questions": [],
    }
    by_question = defaultdict(list)
    for var in variables:
        by_question[var["question"]].append(var)
    for q in questions:
        public["questions"].append(_question_entry(q, by_question[q.pk], values, status, groups, breakdowns))
    return public, raw


def _group_base(dim, g, values, status):
    key = ("n", dim, g)
    return values[key] if not status.get(key) else None


def _question_entry(q, variables, values, status, groups, breakdowns):
    entry = {"id": q.pk, "kind": q.kind, "prompt": q.prompt, "rows": [], "breakdown": {}}
    choices = q.choices
    n = values[("N",)]
    if q.kind == Question.Kind.TEXT:
        if variables:
            entry["answered"] = _shown(("r", (q.pk, "text"), "yes"), values, status, base=n)
        else:
            entry["answered"] = _derived(n, [("N",)], status, base=n)
        return entry
    if q.kind == Question.Kind.RANKING:
        return _ranking_entry(q, variables, values, status, groups, breakdowns, entry)
    if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
        var = variables[0]
        vid = (q.pk, "choice")
        rows = [(choices[i], vid, i, i) for i in range(len(choices))]
        if NO_ANSWER in var["categories"]:
            rows.append(("", vid, NO_ANSWER, None))
    else:
        rows = [(choices[i], (q.pk, f"option-{i}"), "yes", i) for i in range(len(choices))]
    for label, vid, cat, index in rows:
        item = _shown(("r", vid, cat), values, status, base=n)
        item.update({"label": label, "choice": index})
        entry["rows"].append(item)
    if q.kind == Question.Kind.SCALE:
        options = [r for r in entry["rows"] if r["choice"] is not None]
        answered = sum(r["v"] or 0 for r in options)
        if all(r["s"] is None for r in options) and answered:
            entry["mean"] = round(sum((r["choice"] + 1) * r["v"] for r in options) / answered, 2)
    if breakdowns:
        for dim in DIMENSIONS:
            table_rows = []
            for label, vid, cat, index in rows:
                cells = [_shown(("x", vid, cat, dim, g), values, status, base=_group_base(dim, g, values, status))
                         for g in groups[dim]]
                table_rows.append({"label": label, "choice": index, "cells": cells})
            entry["breakdown"][dim] = table_rows
    return entry


def _ranking_entry(q, variables, values, status, groups, breakdowns, entry):
    """Per option: how many children put it in their top K (with the breakdowns), and its points
    (place 1 earns K points, place K earns 1), computed from the counts per place and so shown
    only when all of those are."""
    n = values[("N",)]
    for var in [v for v in variables if v["name"].startswith("place-")]:
        index, k = var["option"], var["top_k"]
        if var["everyone"]:
            item = _derived(n, [("N",)], status, base=n)
        else:
            item = _shown(("r", (q.pk, f"rank-{index}"), "yes"), values, status, base=n)
        item.update({"label": q.choices[index], "choice": index})
        places = [("r", (q.pk, var["name"]), place) for place in range(1, k + 1)]
        if not any(status.get(key) for key in places):
            item["points"] = sum((k + 1 - place) * values[key] for place, key in enumerate(places, start=1))
        entry["rows"].append(item)
    if breakdowns:
        for dim in DIMENSIONS:
            table_rows = []
            for var in [v for v in variables if v["name"].startswith("place-")]:
                index = var["option"]
                cells = []
                for g in groups[dim]:
                    base = _group_base(dim, g, values, status)
                    if var["everyone"]:
                        cells.append(_derived(values[("n", dim, g)], [("n", dim, g)], status, base=base))
                    else:
                        cells.append(_shown(("x", (q.pk, f"rank-{index}"), "yes", dim, g), values, status, base=base))
                table_rows.append({"label": q.choices[index], "choice": index, "cells": cells})
            entry["breakdown"][dim] = table_rows
    return entry


def _raw(questions, variables, values, groups, answers, breakdowns):
    """The full counts (for checks and tests; never shown)."""
    raw = {"total": values[("N",)], "groups": {dim: {g: values[("n", dim, g)] for g in groups[dim]} for dim in DIMENSIONS},
           "questions": {}}
    by_question = defaultdict(list)
    for var in variables:
        by_question[var["question"]].append(var)

    def per_group(var, cats):
        found = {}
        for dim in DIMENSIONS:
            sums = defaultdict(int)
            for cat in cats:
                for cell, count in var["counts"][cat].items():
                    sums[_group(cell, dim)] += count
            found[dim] = {g: sums.get(g, 0) for g in groups[dim]}
        return found

    for q in questions:
        raw_q = raw["questions"][str(q.pk)] = {}
        if q.kind == Question.Kind.TEXT:
            var = next(iter(by_question[q.pk]), None)
            raw_q["answered"] = sum(var["counts"]["yes"].values()) if var else values[("N",)]
            continue
        for var in by_question[q.pk]:
            if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
                cats = [*range(len(q.choices)), NO_ANSWER]
                for cat in cats:
                    raw_q[str(cat)] = sum(var["counts"][cat].values())
                    raw_q.setdefault("by", {})
                    for dim, found in per_group(var, [cat]).items():
                        raw_q["by"].setdefault(dim, {})[str(cat)] = found
            else:
                if var["name"].startswith("rank-"):
                    continue  # the same counts as its places
                index = var["option"]
                yes = ["yes"] if q.kind == Question.Kind.MULTIPLE else list(range(1, var["top_k"] + 1))
                raw_q[str(index)] = sum(sum(var["counts"][cat].values()) for cat in yes)
                for dim, found in per_group(var, yes).items():
                    raw_q.setdefault("by", {}).setdefault(dim, {})[str(index)] = found
        if q.kind == Question.Kind.RANKING:
            raw_q["points"] = {str(k): v for k, v in _points(q, answers).items()}
    return raw


def _points(question, answers):
    """Ranking points: the first place earns K points, the K-th earns 1."""
    k = question.top_k or 1
    points = defaultdict(int)
    for (qid, choice, rank, *_cell), n in answers.items():
        if qid == question.pk and choice is not None and rank:
            points[choice] += (k + 1 - rank) * n
    return dict(points)


def store_snapshot(consultation_id, *, final):
    """Compute and store the snapshot of one consultation. Idempotent.

    A live snapshot (``final=False``) is published only when at least the threshold of children
    took part, and replaces the one shown only when at least the threshold of new ballots came in
    since; otherwise the old one stays (or there is none). Returns the snapshot shown, or None."""
    t = threshold()
    with transaction.atomic():
        consultation = Consultation.objects.get(pk=consultation_id)
        # two computations of one consultation wait for each other here (votes do not: they lock the
        # consultation row); only the very first snapshot has no row to lock, and a second first
        # snapshot written at the same moment would simply replace it
        current = ResultSnapshot.objects.select_for_update().filter(consultation=consultation).first()
        history = list(current.history) if current is not None else []
        if final:
            public, raw = compute(consultation, t=t, history=history)
        else:
            if current is not None and current.is_final:
                return current
            count = Ballot.objects.filter(consultation=consultation).count()
            if count < t or (current is not None and count - current.ballot_count < t):
                return current
            public, raw = compute(consultation, t=t, breakdowns=False, history=history)
            history.append(raw["published"])
        snapshot, _ = ResultSnapshot.objects.update_or_create(
            consultation=consultation,
            defaults={"computed_at": timezone.now(), "is_final": final, "ballot_count": raw["total"],
                      "threshold": t, "public": public, "raw": raw, "history": history},
        )
    return snapshot


__all__ = ["AgeBand", "BIG", "HIDDEN", "SMALL", "compute", "store_snapshot"]

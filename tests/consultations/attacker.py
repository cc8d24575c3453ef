"""An independent attacker for suppressed tables, written without the production flow model.

It knows every shown value, that each total is the sum of what it totals, and the values in
``fixed`` (e.g. the number of children, published elsewhere) exactly or within given bounds.
Small and hidden values are shown alike (issue 15), so a hidden value could be anything from 0
up; with ``small_known`` the attacker reads pages as they were before, where "<t" said 0..t-1
and any other hidden value was at least t. A hidden value is *recovered* when every table
consistent with that knowledge gives it the same value.

If any consistent table gives a hidden cell another value, then one does that differs from the
true table by at most 1 in every entry (the difference of two tables with the same sums splits
into cycles of +1/−1 steps; adding one cycle through the cell stays between the two). So it is
enough to try every interior hidden cell at its value −1, +0, +1."""

from itertools import product

from forumanak.consultations.suppression import SMALL

SETTINGS = {"small_known": False, "fixed": {}}


def _bounds(key, status, t):
    if key in SETTINGS["fixed"]:
        return tuple(SETTINGS["fixed"][key])
    if not SETTINGS["small_known"]:
        return (0, 10**12)
    return (0, t - 1) if status[key] == SMALL else (t, 10**12)


def _ok(key, value, values, status, t):
    if key in status or key in SETTINGS["fixed"]:
        lo, hi = _bounds(key, status, t)
        return lo <= value <= hi
    return value == values[key]


def feasible_values(table, values, status, t):
    """{hidden key: set of values it takes over all consistent tables near the true one}.
    Rows are filled one at a time; a row whose total does not fit is not extended."""
    n_rows, n_cols = len(table.row_totals), len(table.col_totals)
    seen = {key: set() for key in table.keys() if key in status}

    def row_options(i):
        keys = table.cells[i]
        choices = []
        for key in keys:
            if key in status:
                lo, hi = _bounds(key, status, t)
                choices.append([v for v in (values[key] - 1, values[key], values[key] + 1) if lo <= v <= hi])
            else:
                choices.append([values[key]])
        return [row for row in product(*choices) if _ok(table.row_totals[i], sum(row), values, status, t)]

    options = [row_options(i) for i in range(n_rows)]

    def fill(i, rows):
        if i == n_rows:
            cols = [sum(row[j] for row in rows) for j in range(n_cols)]
            total = sum(cols)
            if not all(_ok(table.col_totals[j], cols[j], values, status, t) for j in range(n_cols)):
                return
            if not _ok(table.total, total, values, status, t):
                return
            for r, row in enumerate(rows):
                for j, v in enumerate(row):
                    if table.cells[r][j] in seen:
                        seen[table.cells[r][j]].add(v)
                if table.row_totals[r] in seen:
                    seen[table.row_totals[r]].add(sum(row))
            for j in range(n_cols):
                if table.col_totals[j] in seen:
                    seen[table.col_totals[j]].add(cols[j])
            if table.total in seen:
                seen[table.total].add(total)
            return
        for row in options[i]:
            partial = [sum(r[j] for r in rows) + row[j] for j in range(n_cols)]
            if any(table.col_totals[j] not in status and partial[j] > values[table.col_totals[j]] for j in range(n_cols)):
                continue
            fill(i + 1, [*rows, row])

    fill(0, [])
    return seen


def recovered(tables, values, status, t, *, fixed=None, small_known=False):
    SETTINGS.update(small_known=small_known, fixed=dict(fixed or {}))
    try:
        found = set()
        for table in tables:
            for key, taken in feasible_values(table, values, status, t).items():
                if len(taken) < 2:
                    found.add(key)
        return found
    finally:
        SETTINGS.update(small_known=False, fixed={})


def single_hidden_lines(tables, status):
    """Lines (a row or column with its total) with exactly one hidden value: that value would
    follow from the total."""
    bad = []
    for table in tables:
        for members, total in table.lines():
            line = [*members, total]
            if sum(1 for k in line if k in status) == 1:
                bad.append(line)
    return bad


# ==== reading what is published ===============================================================
#
# The attacker below reads the results page (as a visitor, a member and a staff member) and the
# result downloads (CSV and XLSX) the way a person would: from the HTML and the files, not from
# the snapshot. Every figure becomes a *fact*: exact, "<t" or hidden.

import html as html_lib  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from itertools import combinations, permutations  # noqa: E402

from forumanak.consultations.suppression import BIG, Table, feasible  # noqa: E402

DIM_TITLES = {"Menurut kelompok umur": "age_band", "Menurut jenis kelamin": "gender", "Menurut kecamatan": "kecamatan"}
GROUP_LABELS = {"10–12 tahun": "10-12", "13–15 tahun": "13-15", "16–17 tahun": "16-17", "perempuan": "P",
                "laki-laki": "L"}
NONE_LABEL = "Tidak menjawab"


@dataclass(frozen=True)
class Fact:
    kind: str  # "exact", "small" or "hidden"
    value: int | None = None


def _text(fragment):
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def parse_shown(fragment):
    """A count as the page renders it (``shown_count``): a number, "<t" or "disembunyikan"."""
    if 'class="suppressed"' in fragment:
        assert 'class="pct"' not in fragment, fragment  # a percentage would give the hidden count away
        return Fact("small") if "&lt;" in fragment else Fact("hidden")
    if "disembunyikan" in fragment:
        return Fact("hidden")
    found = re.match(r"\s*(\d+)", _text(fragment))
    return Fact("exact", int(found.group(1))) if found else None


def parse_cell(value):
    """A count as a download writes it."""
    if isinstance(value, int):
        return Fact("exact", value)
    value = str(value).strip()
    if value.startswith("<"):
        return Fact("small")
    if value == "disembunyikan":
        return Fact("hidden")
    if value.isdigit():
        return Fact("exact", int(value))
    return None


def group_code(label):
    return GROUP_LABELS.get(label, label)


def read_results_page(page):
    """{fact key: Fact} from a results page; keys:
    ("N",), ("n", dim, group), ("row", question id, label), ("cell", question id, label, dim, group),
    ("answered", question id), ("points", question id, label), ("mean", question id)."""
    facts = {}
    lead = re.search(r'<p class="lead">(.*?)</p>', page, re.S)
    if lead:
        found = re.match(r"(\d+) anak ikut memberi suara", _text(lead.group(1)))
        if found:
            facts[("N",)] = Fact("exact", int(found.group(1)))
    for qid, body in re.findall(r'<section class="result-question" aria-labelledby="rq-(\d+)">(.*?)</section>', page, re.S):
        qid = int(qid)
        answered = re.search(r"Jawaban bebas:(.*?)anak menulis jawaban", body, re.S)
        if answered:
            facts[("answered", qid)] = parse_shown(answered.group(1))
        for label, width, value in re.findall(
                r'<span class="bar-label">(.*?)</span>.*?class="bar-fill"[^>]*width="([\d.]+)".*?'
                r'<span class="bar-value">(.*?)</span>\s*</li>', body, re.S):
            label = _text(label)
            facts[("row", qid, label)] = parse_shown(value)
            if facts[("row", qid, label)].kind != "exact":
                assert float(width) == 0, (label, width)  # the bar of a hidden count is empty
            points = re.search(r"·\s*(\d+) poin", _text(value))
            if points:
                facts[("points", qid, label)] = Fact("exact", int(points.group(1)))
        mean = re.search(r"Rata-rata: ([\d,.]+) dari 5", body)
        if mean:
            facts[("mean", qid)] = float(mean.group(1).replace(",", "."))
        for title, head, rows, foot in re.findall(
                r'<details class="breakdown">\s*<summary>(.*?)</summary>.*?<thead>(.*?)</thead>.*?<tbody>(.*?)</tbody>'
                r'.*?<tfoot>(.*?)</tfoot>', body, re.S):
            dim = DIM_TITLES[_text(title)]
            groups = [group_code(_text(g)) for g in re.findall(r'<th scope="col">(.*?)</th>', head, re.S)[1:]]
            sizes = re.findall(r"<td>(.*?)</td>", foot, re.S)
            for g, size in zip(groups, sizes, strict=True):
                facts[("n", dim, g)] = parse_shown(size)
            for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', rows, re.S):
                for g, cell in zip(groups, re.findall(r"<td>(.*?)</td>", cells, re.S), strict=True):
                    facts[("cell", qid, _text(label), dim, g)] = parse_shown(cell)
    return facts


def read_result_rows(rows, questions):
    """{fact key: Fact} from the rows of the aggregate download (CSV or XLSX)."""
    by_prompt = {q.prompt: q.pk for q in questions}
    facts = {}
    for row in rows[1:]:
        prompt, label, dim, group, value = (row + [""] * 5)[:5]
        fact = parse_cell(value)
        if fact is None:
            continue
        if not prompt and label == "semua peserta":
            facts[("N",)] = fact
        elif not prompt and label == "peserta":
            facts[("n", dim, group_code(group))] = fact
        elif prompt in by_prompt:
            qid = by_prompt[prompt]
            label = NONE_LABEL if label == "tidak menjawab" else label
            if label == "menulis jawaban":
                facts[("answered", qid)] = fact
            elif dim:
                facts[("cell", qid, label, dim, group_code(group))] = fact
            else:
                facts[("row", qid, label)] = fact
    return facts


RANK = {"exact": 2, "small": 1, "hidden": 0}


def merge_facts(sources):
    """What all the sources together tell: the most precise fact of each key. Two exact facts
    that disagree would be a bug, not a leak."""
    merged = {}
    for facts in sources:
        for key, fact in facts.items():
            if not isinstance(fact, Fact):
                merged[key] = fact
                continue
            known = merged.get(key)
            if known is None or RANK[fact.kind] > RANK[known.kind]:
                merged[key] = fact
            elif known.kind == fact.kind == "exact":
                assert known.value == fact.value, key
    return merged


# ==== reasoning: what can be worked out about one child =======================================
#
# Step 1 (tables): every published count is a cell, row total or column total of a table
# (answer × group); the attacker narrows each unknown to the interval that some consistent table
# allows (``suppression.feasible`` as the oracle: an exact integer check, itself compared with
# the brute-force search above in test_suppression.py), across all tables that share it.
# Step 2 (whole ballots): for every column (all children, or one group), every way to fill it
# with whole answers (a set of options, an ordered top K, …) that fits the intervals, the points
# and the mean. A child's answer is *derived* when every way gives a group in which all children
# share something about it, or none does: all chose X, nobody chose X (zeros count), all put X
# first, nobody wrote an answer… The two steps feed each other until nothing changes.


class Question_:
    """What anyone knows of a question from the ballot: kind, options, required, K, maximum."""

    def __init__(self, q):
        self.pk, self.kind, self.choices, self.required = q.pk, q.kind, q.choices, q.required
        self.top_k = q.top_k or len(self.choices)
        self.max_choices = q.max_choices or len(self.choices)

    def labels(self):
        return [*self.choices, *([NONE_LABEL] if self.kind in ("single", "scale") and not self.required else [])]

    def patterns(self):
        """Every complete answer one ballot can hold."""
        options = range(len(self.choices))
        if self.kind in ("single", "scale"):
            return [(c,) for c in options] + ([()] if not self.required else [])
        if self.kind == "multiple":
            low = 1 if self.required else 0
            return [p for size in range(low, self.max_choices + 1) for p in combinations(options, size)]
        if self.kind == "ranking":
            return list(permutations(options, self.top_k)) + ([()] if not self.required else [])
        return [("yes",), ()] if not self.required else [("yes",)]

    def published(self, pattern):
        """The published quantities (by label) that one ballot with ``pattern`` adds 1 to."""
        if self.kind in ("single", "scale"):
            return [self.choices[pattern[0]]] if pattern else [NONE_LABEL]
        if self.kind == "text":
            return ["answered"] if pattern else []
        return [self.choices[c] for c in pattern]

    def properties(self):
        """Each fact about one child's answer, as a test on a pattern."""
        found = []
        if self.kind in ("single", "scale"):
            for c, label in enumerate(self.choices):
                found.append((f"chose {label}", lambda p, c=c: p == (c,)))
            if not self.required:
                found.append(("no answer", lambda p: p == ()))
        elif self.kind == "multiple":
            for c, label in enumerate(self.choices):
                found.append((f"chose {label}", lambda p, c=c: c in p))
        elif self.kind == "ranking":
            for c, label in enumerate(self.choices):
                found.append((f"ranked {label}", lambda p, c=c: c in p))
                for place in range(self.top_k):
                    found.append((f"put {label} at {place + 1}", lambda p, c=c, i=place: len(p) > i and p[i] == c))
        else:
            found.append(("wrote an answer", lambda p: bool(p)))
        return found


class Attacker:
    """Everything published about one consultation, and what follows from it."""

    def __init__(self, questions, facts, t, truth):
        self.questions = [Question_(q) for q in questions]
        self.facts, self.t = facts, t
        # the true counts of every key: only a starting point for the searches (any consistent
        # table would do; the true one is one), never read as knowledge
        self.truth = truth
        self.n_max = truth[("N",)]
        self.bounds = {}
        for key, fact in facts.items():
            if not isinstance(fact, Fact):
                continue
            if fact.kind == "exact":
                self.bounds[key] = (fact.value, fact.value)
            elif fact.kind == "small":  # "<t", as the pages showed before issue 15
                self.bounds[key] = (0, t - 1)
            else:
                self.bounds[key] = (0, self.n_max)
        self.columns = ["all"] + sorted({(k[1], k[2]) for k in facts if k[0] == "n"})

    # -- the keys of one column --------------------------------------------------------------

    def size_key(self, column):
        return ("N",) if column == "all" else ("n", *column)

    def key(self, q, label, column):
        if q.kind == "text":
            return ("answered", q.pk) if column == "all" else None
        return ("row", q.pk, label) if column == "all" else ("cell", q.pk, label, *column)

    def get(self, key):
        if key in self.bounds:
            return self.bounds[key]
        return (0, self.n_max)  # never published

    # -- step 1: tables ------------------------------------------------------------------------

    def tables(self):
        """(Table, keys) for every answer × group table the attacker can assemble; unpublished
        complements ("did not choose X") get keys of their own."""
        dims = sorted({c[0] for c in self.columns if c != "all"})
        found = []
        for dim in dims:
            groups = [c for c in self.columns if c != "all" and c[0] == dim]
            found.append(Table(cells=[[self.size_key(c) for c in groups]], row_totals=[("N",)],
                               col_totals=[self.size_key(c) for c in groups], total=("N",)))
        for q in self.questions:
            if q.kind == "text":
                if ("answered", q.pk) in self.facts:
                    rows = [("answered", q.pk), ("not", q.pk)]
                    found.append(Table(cells=[[r] for r in rows], row_totals=rows, col_totals=[("N",)], total=("N",)))
                continue
            variables = [q.labels()] if q.kind in ("single", "scale") else [[label, ("not", label)] for label in q.choices]
            for labels in variables:
                def k(label, column, q=q):
                    if isinstance(label, tuple):
                        return ("not", q.pk, label[1], column)
                    return self.key(q, label, column)
                row_totals = [k(label, "all") for label in labels]
                if not all(key in self.facts for key in row_totals if key[0] != "not"):
                    continue
                found.append(Table(cells=[[key] for key in row_totals], row_totals=row_totals, col_totals=[("N",)],
                                   total=("N",)))
                for dim in dims:
                    groups = [c for c in self.columns if c != "all" and c[0] == dim]
                    if not all(k(labels[0], c) in self.facts for c in groups):
                        continue
                    found.append(Table(cells=[[k(label, c) for c in groups] for label in labels], row_totals=row_totals,
                                       col_totals=[self.size_key(c) for c in groups], total=("N",)))
        return found

    def true_value(self, key):
        if key[0] == "not":
            if len(key) == 2:
                return self.truth[("N",)] - self.truth[("answered", key[1])]
            _n, qid, label, column = key
            q = next(q for q in self.questions if q.pk == qid)
            return self.truth[self.size_key(column)] - self.truth[self.key(q, label, column)]
        return self.truth[key]

    def step_tables(self, tables):
        changed = False
        for table in tables:
            keys = list(dict.fromkeys(table.keys()))
            values = {key: self.true_value(key) for key in keys}
            for key in keys:
                lo, hi = self.get(key)
                if lo == hi:
                    continue
                bounds = {k: self.get(k) for k in keys}

                def ok(a, b, key=key, bounds=bounds, table=table):
                    trial = dict(bounds)
                    trial[key] = (a, b)
                    return feasible(table, trial)

                value = values[key]
                assert lo <= value <= hi, (key, lo, value, hi)
                low, high = lo, value
                while low < high:
                    middle = (low + high) // 2
                    if ok(low, middle):
                        high = middle
                    else:
                        low = middle + 1
                new_lo = low
                low, high = value, hi
                while low < high:
                    middle = (low + high + 1) // 2
                    if ok(middle, hi):
                        low = middle
                    else:
                        high = middle - 1
                if (new_lo, low) != (lo, hi):
                    self.bounds[key] = (new_lo, low)
                    changed = True
        return changed

    # -- step 2: whole ballots, column by column -----------------------------------------------

    def step_columns(self, leaks):
        changed = False
        for column in self.columns:
            size_lo, size_hi = self.get(self.size_key(column))
            for q in self.questions:
                published = {}
                labels = ["answered"] if q.kind == "text" else q.labels()
                for label in labels:
                    key = self.key(q, label, column)
                    if key is not None and key in self.facts:
                        published[label] = key
                if not published and column != "all":
                    continue
                found = self._fill(q, column, published, max(1, size_lo), size_hi)
                assert found["any"], (column, q.kind, "no way to fill the column: the attacker's model is wrong")
                for label, key in published.items():
                    lo, hi = found["range"][label]
                    if (lo, hi) != self.get(key) and self.get(key)[0] <= lo and hi <= self.get(key)[1]:
                        self.bounds[key] = (lo, hi)
                        changed = True
                for name, always_none, always_all in found["properties"]:
                    if always_none or always_all:
                        leaks.add((q.kind, column, name, "nobody" if always_none else "everyone"))
        return changed

    def _fill(self, q, column, published, n_lo, n_hi):
        patterns = q.patterns()
        adds = [q.published(p) for p in patterns]
        bounds = {label: self.get(key) for label, key in published.items()}
        extra = []
        if column == "all":
            if q.kind == "ranking":
                for c, label in enumerate(q.choices):
                    key = ("points", q.pk, label)
                    if key in self.facts:
                        weights = [q.top_k - p.index(c) if c in p else 0 for p in patterns]
                        extra.append((weights, self.facts[key].value, self.facts[key].value))
            if q.kind == "scale" and ("mean", q.pk) in self.facts:
                mean = self.facts[("mean", q.pk)]
                extra.append(("mean", mean, None))
        props = q.properties()
        result = {"any": False, "range": {label: [BIG, -1] for label in published},
                  "properties": [[name, True, True] for name, _test in props]}
        tests = [[test(p) for p in patterns] for _name, test in props]
        sums = {label: 0 for label in published}

        open_props = set(range(len(tests)))

        class Done(Exception):
            pass

        def settled():
            """Nothing more to learn: every property seen both ways, every range at its bounds."""
            return not open_props and all(result["range"][label] == list(bounds[label]) for label in published)

        def finish(counts, n):
            for weights, lo, hi in extra:
                if weights == "mean":
                    answered = sum(c for c, p in zip(counts, patterns, strict=True) if p)
                    if not answered:
                        return
                    value = sum(c * (p[0] + 1) for c, p in zip(counts, patterns, strict=True) if p) / answered
                    if abs(round(value, 2) - lo) > 0.05 + 1e-9:  # the page shows one decimal
                        return
                elif not lo <= sum(w * c for w, c in zip(weights, counts, strict=True)) <= hi:
                    return
            result["any"] = True
            for label in published:
                low, high = result["range"][label]
                result["range"][label] = [min(low, sums[label]), max(high, sums[label])]
            for i in list(open_props):
                having = sum(c for c, yes in zip(counts, tests[i], strict=True) if yes)
                if having:
                    result["properties"][i][1] = False
                if having != n:
                    result["properties"][i][2] = False
                if not result["properties"][i][1] and not result["properties"][i][2]:
                    open_props.discard(i)
            if settled():
                raise Done

        def fill(i, left, counts, n):
            if i == len(patterns) - 1:
                options = [left]
            else:
                options = range(left + 1)
            for count in options:
                ok = True
                for label in adds[i]:
                    if label in sums:
                        sums[label] += count
                        if sums[label] > bounds[label][1]:
                            ok = False
                if ok:
                    if i == len(patterns) - 1:
                        if all(bounds[label][0] <= sums[label] for label in sums):
                            finish([*counts, count], n)
                    else:
                        fill(i + 1, left - count, [*counts, count], n)
                for label in adds[i]:
                    if label in sums:
                        sums[label] -= count
                if not ok:
                    break  # a larger count only overshoots more

        try:
            for n in range(n_lo, n_hi + 1):
                fill(0, n, [], n)
        except Done:
            pass
        return result

    def attack(self, rounds=6):
        """Every fact about one child's answer that follows from what is published."""
        tables = self.tables()
        leaks = set()
        for _ in range(rounds):
            changed = self.step_tables(tables)
            changed = self.step_columns(leaks) or changed
            if not changed:
                break
        return sorted(leaks, key=str)

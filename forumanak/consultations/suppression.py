"""Small-cell suppression for published count tables.

A table has cells, row totals, column totals and a grand total (every total is the sum of what
it totals). Every value is identified by a key, so that a value published in several tables (a
row total, a group size, the number of ballots) is hidden in all of them or in none.

The rule (what may be published)
--------------------------------
Nothing at all is published while fewer than ``threshold`` (t, default 5) children took part:
``results.compute`` stops before any table is built. Above it:

1. **Small counts, zeros included** (status ``SMALL``). Every count from 0 to t-1 is hidden. A
   zero is a small count: "nobody in this group chose X" tells something about every child of
   the group (and in a yes/no table it tells everything). Every published group has at least one
   child, so there is no harmless zero to keep.
2. **Counts that follow from the others** (status ``HIDDEN``). Further values are hidden until no
   hidden value can be worked out. Both kinds are shown alike ("—" on the page, "disembunyikan"
   in a download): were they told apart, "hidden but not small" would say "at least t", and with
   5 children of whom all 5 wrote an answer, that alone would give the 5 away. The attacker is
   assumed to know every shown value, every sum relation, and the number of children who took
   part (the participation counts are published elsewhere). For each hidden value the check
   asks, with an exact integer flow model of the table (a transportation problem), whether
   another table consistent with all of that exists in which the value differs. Where none does,
   a further value in the same row or column is hidden. Because no small value can be pinned
   down, no zero can be proved either: no published group is ever shown to have answered all
   alike.
3. **Figures computed from counts** (percentages, ranking points, the scale mean, the number of
   children who ranked an option at all) are shown only when every count they are computed from
   is shown; then they tell nothing new.
4. **Earlier publications.** Keys can be *fixed*: values already published (an earlier live
   snapshot, with the bounds an attacker knows for them) and values never published but worth
   protecting (how many of the ballots since that snapshot chose X). Fixed keys are never hidden
   or shown anew; the ``sensitive`` ones among them must not be determined either. This is how
   two snapshots compared give nothing away (``results`` builds those tables).

Worked example: 12 children, a single-choice question, by kecamatan. ``suppress`` turns

                    Timur  Barat | all                 Timur  Barat | all
    Taman             6      3   |  9                    —      —   |   9
    Lapangan          2      0   |  2       into         —      —   |   —
    Perpustakaan      0      1   |  1                    —      —   |   —
    children          8      4   | 12                    —      —   |  12

Step 1 hides every value below 5: 3, 2, 0, 0, 1, the row totals 2 and 1 and Barat's 4. With only
that, Taman in Barat would follow from its row (9 - 6 = 3) and Barat's 4 from the children's row
(12 - 8). Step 2 therefore hides Taman in Timur and Timur's 8 as well. Now the Timur/Barat split
of Taman's 9 and of the 12 children, and every count below 5 (the zeros too), can each take
several values consistent with the table: no child's choice can be told. The 12 and Taman's 9
stay: they do not single anyone out (Lapangan and Perpustakaan together have 3 children, and
nothing says which).
"""

from collections import deque
from dataclasses import dataclass

SMALL = "small"  # below the threshold (zeros too)
HIDDEN = "hidden"  # hidden to protect a small value (complementary suppression)
BIG = 10**12


@dataclass
class Table:
    cells: list  # rows × columns of keys
    row_totals: list
    col_totals: list
    total: object

    def keys(self):
        for row in self.cells:
            yield from row
        yield from self.row_totals
        yield from self.col_totals
        yield self.total

    def lines(self):
        """Each line is (keys that add up, the key of their sum)."""
        for i, row in enumerate(self.cells):
            yield list(row), self.row_totals[i]
        for j, key in enumerate(self.col_totals):
            yield [row[j] for row in self.cells], key
        yield list(self.row_totals), self.total
        yield list(self.col_totals), self.total


# ---- exact check: a feasible circulation with lower and upper bounds -----------------------


class _Flow:
    def __init__(self, n):
        self.graph = [[] for _ in range(n)]

    def add(self, u, v, cap):
        self.graph[u].append([v, cap, len(self.graph[v])])
        self.graph[v].append([u, 0, len(self.graph[u]) - 1])

    def max_flow(self, s, t):
        flow = 0
        while True:
            level = self._levels(s)
            if level[t] < 0:
                return flow
            it = [0] * len(self.graph)
            while True:
                pushed = self._push(s, t, BIG * 4, level, it)
                if not pushed:
                    break
                flow += pushed

    def _levels(self, s):
        level = [-1] * len(self.graph)
        level[s] = 0
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for v, cap, _rev in self.graph[u]:
                if cap > 0 and level[v] < 0:
                    level[v] = level[u] + 1
                    queue.append(v)
        return level

    def _push(self, u, t, limit, level, it):
        if u == t:
            return limit
        edges = self.graph[u]
        while it[u] < len(edges):
            edge = edges[it[u]]
            v, cap, rev = edge
            if cap > 0 and level[v] == level[u] + 1:
                pushed = self._push(v, t, min(limit, cap), level, it)
                if pushed:
                    edge[1] -= pushed
                    self.graph[v][rev][1] += pushed
                    return pushed
            it[u] += 1
        return 0


def feasible(table, bounds):
    """Is there an integer table with every value within ``bounds[key] = (lo, hi)``?"""
    n_rows, n_cols = len(table.row_totals), len(table.col_totals)
    source, sink = 0, 1
    row_node = [2 + i for i in range(n_rows)]
    col_node = [2 + n_rows + j for j in range(n_cols)]
    super_source, super_sink = 2 + n_rows + n_cols, 3 + n_rows + n_cols
    flow = _Flow(4 + n_rows + n_cols)
    excess = [0] * (4 + n_rows + n_cols)

    def edge(u, v, key):
        lo, hi = bounds[key]
        if lo > hi:
            return False
        flow.add(u, v, hi - lo)
        excess[v] += lo
        excess[u] -= lo
        return True

    ok = edge(sink, source, table.total)
    for i in range(n_rows):
        ok = ok and edge(source, row_node[i], table.row_totals[i])
        for j in range(n_cols):
            ok = ok and edge(row_node[i], col_node[j], table.cells[i][j])
    for j in range(n_cols):
        ok = ok and edge(col_node[j], sink, table.col_totals[j])
    if not ok:
        return False
    need = 0
    for node, value in enumerate(excess):
        if value > 0:
            flow.add(super_source, node, value)
            need += value
        elif value < 0:
            flow.add(node, super_sink, -value)
    return flow.max_flow(super_source, super_sink) == need


def attacker_bounds(table, values, status, threshold, fixed=None):
    """What an attacker knows of each value of ``table``: (lowest, highest)."""
    bounds = {}
    for key in table.keys():
        if fixed and key in fixed:
            bounds[key] = tuple(fixed[key])
            continue
        state = status.get(key)
        if state is None:
            bounds[key] = (values[key], values[key])
        else:  # small or hidden: shown alike, so nothing tells which
            bounds[key] = (0, BIG)
    return bounds


def is_determined(table, key, values, status, threshold, fixed=None):
    """True if the hidden value of ``key`` can be worked out from what the table shows."""
    bounds = attacker_bounds(table, values, status, threshold, fixed)
    lo, hi = bounds[key]
    value = values[key]
    for alternative in ((lo, value - 1), (value + 1, hi)):
        if alternative[0] <= alternative[1]:
            trial = dict(bounds)
            trial[key] = alternative
            if feasible(table, trial):
                return False
    return True


def interval(table, key, values, status, threshold, fixed=None, cap=None):
    """The lowest and highest value ``key`` can take in a table consistent with what ``table``
    shows (``cap``: an upper limit known anyway, e.g. the number of ballots)."""
    bounds = attacker_bounds(table, values, status, threshold, fixed)
    lo, hi = bounds[key]
    if cap is not None:
        hi = min(hi, cap)
    value = values[key]

    def ok(a, b):
        trial = dict(bounds)
        trial[key] = (a, b)
        return feasible(table, trial)

    low, high = lo, value  # the true value is feasible: search below it, then above it
    while low < high:
        middle = (low + high) // 2
        if ok(low, middle):
            high = middle
        else:
            low = middle + 1
    found_lo = low
    low, high = value, hi
    while low < high:
        middle = (low + high + 1) // 2
        if ok(middle, hi):
            low = middle
        else:
            high = middle - 1
    return found_lo, low


# ---- the suppression itself ----------------------------------------------------------------


def suppress(tables, values, threshold, *, protected=(), fixed=None, sensitive=()):
    """Return {key: SMALL | HIDDEN} for every value that must not be shown.

    ``protected`` keys (e.g. the number of ballots) are hidden only as a last resort.
    ``fixed``: {key: (lo, hi)} for keys this call must not decide (see the module docstring);
    ``sensitive``: the fixed keys that must not be determined."""
    fixed = dict(fixed or {})
    sensitive = set(sensitive)
    status = {}
    for table in tables:
        for key in table.keys():
            if key not in fixed and values[key] < threshold:
                status[key] = SMALL
    protected = set(protected)
    margins = set()
    for table in tables:
        margins.update(table.row_totals)
        margins.update(table.col_totals)
        margins.add(table.total)

    def unknown(key):
        if key in fixed:
            lo, hi = fixed[key]
            return lo < hi
        return key in status

    def guarded(key):
        return key in status or key in sensitive

    def candidates(line_keys):
        found = [k for k in dict.fromkeys(line_keys) if k not in status and k not in fixed and values[k] >= threshold]
        found.sort(key=lambda k: (k in protected, k in margins, values[k] <= threshold, values[k]))
        return found

    def hide_one_in(line_keys):
        found = candidates(line_keys)
        if found:
            status[found[0]] = HIDDEN
            return True
        return False

    def protect(table, key):
        """Hide one more value so that ``key`` can no longer be worked out: the first that
        does it on its own, trying values in the lines through ``key`` first; if none does,
        the first candidate, and the caller checks again. False if nothing is left to hide."""
        near = [k for members, total in table.lines() if key in members or key == total for k in (*members, total)]
        found = candidates(near)
        rest = [k for k in candidates(list(table.keys())) if k not in found]
        # totals are published in several tables (and are the headline numbers): keep them last
        ordered = ([k for k in found if k not in margins] + [k for k in rest if k not in margins]
                   + [k for k in found if k in margins] + [k for k in rest if k in margins])
        ordered.sort(key=lambda k: k in protected)
        if not ordered:
            return False
        for candidate in ordered:
            status[candidate] = HIDDEN
            if not is_determined(table, key, values, status, threshold, fixed):
                return True
            del status[candidate]
        status[ordered[0]] = HIDDEN
        return True

    by_key = {}
    for index, table in enumerate(tables):
        for key in table.keys():
            by_key.setdefault(key, set()).add(index)
    dirty = set(range(len(tables)))
    while dirty:
        index = min(dirty)  # a fixed order: the same counts always give the same result
        dirty.discard(index)
        table = tables[index]
        before = set(status)
        # a line with exactly one unknown value gives it away
        changed = True
        while changed:
            changed = False
            for members, total in table.lines():
                line = list(dict.fromkeys([*members, total]))
                if sum(1 for k in line if unknown(k)) == 1 and any(guarded(k) for k in line) and hide_one_in(line):
                    changed = True
        # the exact check, value by value
        for key in dict.fromkeys(table.keys()):
            while guarded(key) and is_determined(table, key, values, status, threshold, fixed):
                if not protect(table, key):
                    break
        new = set(status) - before
        for key in new:
            dirty.update(by_key[key])
        if new:
            dirty.add(index)
    return status


def recoverable(tables, values, status, threshold, fixed=None, sensitive=()):
    """Keys of hidden values that can still be worked out (for checks and tests)."""
    found = set()
    for table in tables:
        for key in table.keys():
            if (key in status or key in sensitive) and is_determined(table, key, values, status, threshold, fixed):
                found.add(key)
    return found

"""Small-cell suppression for published count tables.

A table has cells, row totals, column totals and a grand total (every total is the sum of what
it totals). Every value is identified by a key, so that a value published in several tables (a
row total, a group size, the number of ballots) is hidden in all of them or in none.

1. Primary suppression: any value from 1 to threshold-1 is shown as "<threshold". A zero is
   shown, except where its row or column total is itself small (a zero there would tell how a
   small group answered) — unless that total is zero too, which shows the zero anyway.
2. Complementary suppression: values are hidden until no hidden value can be worked out. An
   attacker is assumed to know every shown value, every sum relation, that a "<t" value lies in
   0..t-1 and that any other hidden value is at least t. For each hidden value the check asks,
   with an exact integer flow model of the table (a transportation problem), whether another
   table consistent with all of that exists in which the value differs. Where none does, a
   further value in the same row or column is hidden.
"""

from collections import deque
from dataclasses import dataclass

SMALL = "small"  # shown as "<t"
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


def attacker_bounds(table, values, status, threshold):
    bounds = {}
    for key in table.keys():
        state = status.get(key)
        if state is None:
            bounds[key] = (values[key], values[key])
        elif state == SMALL:
            bounds[key] = (0, threshold - 1)
        else:
            bounds[key] = (threshold, BIG)
    return bounds


def is_determined(table, key, values, status, threshold):
    """True if the hidden value of ``key`` can be worked out from what the table shows."""
    bounds = attacker_bounds(table, values, status, threshold)
    lo, hi = bounds[key]
    value = values[key]
    for alternative in ((lo, value - 1), (value + 1, hi)):
        if alternative[0] <= alternative[1]:
            trial = dict(bounds)
            trial[key] = alternative
            if feasible(table, trial):
                return False
    return True


# ---- the suppression itself ----------------------------------------------------------------


def suppress(tables, values, threshold, *, protected=()):
    """Return {key: SMALL | HIDDEN} for every value that must not be shown.

    ``protected`` keys (e.g. the number of ballots) are hidden only as a last resort."""
    status = {}
    for table in tables:
        for key in table.keys():
            if 1 <= values[key] < threshold:
                status[key] = SMALL
    # zeros that would tell how a small group answered
    for table in tables:
        for i, row in enumerate(table.cells):
            for j, key in enumerate(row):
                row_total, col_total = table.row_totals[i], table.col_totals[j]
                if values[key] or not values[row_total] or not values[col_total]:
                    continue  # not a zero, or a zero that its own zero total already shows
                if status.get(row_total) == SMALL or status.get(col_total) == SMALL:
                    status[key] = SMALL
    protected = set(protected)
    margins = set()
    for table in tables:
        margins.update(table.row_totals)
        margins.update(table.col_totals)
        margins.add(table.total)

    def candidates(line_keys):
        found = [k for k in line_keys if k not in status and values[k] >= threshold]
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
            if not is_determined(table, key, values, status, threshold):
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
        index = dirty.pop()
        table = tables[index]
        before = set(status)
        # a line with exactly one hidden value gives it away
        changed = True
        while changed:
            changed = False
            for members, total in table.lines():
                line = members + [total]
                if sum(1 for k in line if k in status) == 1 and hide_one_in(line):
                    changed = True
        # the exact check, cell by cell
        for key in list(table.keys()):
            while key in status and is_determined(table, key, values, status, threshold):
                if not protect(table, key):
                    break
        new = set(status) - before
        for key in new:
            dirty.update(by_key[key])
        if new:
            dirty.add(index)
    return status


def recoverable(tables, values, status, threshold):
    """Keys of hidden values that can still be worked out (for checks and tests)."""
    found = set()
    for table in tables:
        for key in table.keys():
            if key in status and is_determined(table, key, values, status, threshold):
                found.add(key)
    return found

"""An independent attacker for suppressed tables, written without the production flow model.

It knows every shown value, that each total is the sum of what it totals, that "<t" lies in
0..t-1 and that any other hidden value is at least t. A hidden value is *recovered* when every
table consistent with that knowledge gives it the same value.

If any consistent table gives a hidden cell another value, then one does that differs from the
true table by at most 1 in every entry (the difference of two tables with the same sums splits
into cycles of +1/−1 steps; adding one cycle through the cell stays between the two). So it is
enough to try every interior hidden cell at its value −1, +0, +1."""

from itertools import product

from forumanak.consultations.suppression import SMALL


def _bounds(key, status, t):
    return (0, t - 1) if status[key] == SMALL else (t, 10**12)


def _ok(key, value, values, status, t):
    if key in status:
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


def recovered(tables, values, status, t):
    found = set()
    for table in tables:
        for key, taken in feasible_values(table, values, status, t).items():
            if len(taken) < 2:
                found.add(key)
    return found


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

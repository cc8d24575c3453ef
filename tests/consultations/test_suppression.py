"""Small-cell suppression: no value under the threshold is shown, and no hidden value can be
worked out from the totals (checked by an independent attacker, on generated tables)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumanak.consultations.suppression import HIDDEN, SMALL, Table, recoverable, suppress
from tests.consultations.attacker import recovered, single_hidden_lines

T = 5


def table_from(matrix):
    n_rows, n_cols = len(matrix), len(matrix[0])
    values = {("N",): sum(map(sum, matrix))}
    cells = [[("x", i, j) for j in range(n_cols)] for i in range(n_rows)]
    for i in range(n_rows):
        values[("r", i)] = sum(matrix[i])
        for j in range(n_cols):
            values[("x", i, j)] = matrix[i][j]
    for j in range(n_cols):
        values[("c", j)] = sum(row[j] for row in matrix)
    table = Table(cells=cells, row_totals=[("r", i) for i in range(n_rows)], col_totals=[("c", j) for j in range(n_cols)],
                  total=("N",))
    return table, values


def check(tables, values, status):
    # 1. no value from 1 to t-1 is shown
    for table in tables:
        for key in table.keys():
            if 1 <= values[key] < T:
                assert status.get(key) == SMALL, key
            if status.get(key) == HIDDEN:
                assert values[key] >= T  # "other hidden" values are never small ones
    # 2. no hidden value follows from one row or column total
    assert single_hidden_lines(tables, status) == []
    # 3. nor from all of them together (independent attacker)
    assert recovered(tables, values, status, T) == set()


matrices = st.integers(min_value=1, max_value=3).flatmap(
    lambda rows: st.integers(min_value=1, max_value=3).flatmap(
        lambda cols: st.lists(
            st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 14]), min_size=cols, max_size=cols),
            min_size=rows, max_size=rows,
        )
    )
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices)
def test_no_hidden_cell_can_be_recovered(matrix):
    table, values = table_from(matrix)
    status = suppress([table], values, T, protected={("N",)})
    check([table], values, status)
    # the production check agrees with the independent one
    assert recoverable([table], values, status, T) == set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices, st.data())
def test_tables_sharing_totals_hide_them_alike(matrix, data):
    """Two breakdowns of the same answers (the same row totals and grand total)."""
    first, values = table_from(matrix)
    # a second split of each row into two other groups
    other = []
    for row in matrix:
        total = sum(row)
        part = data.draw(st.integers(min_value=0, max_value=total))
        other.append([part, total - part])
    cells = [[("y", i, j) for j in range(2)] for i in range(len(matrix))]
    for i, row in enumerate(other):
        for j, v in enumerate(row):
            values[("y", i, j)] = v
    for j in range(2):
        values[("d", j)] = sum(row[j] for row in other)
    second = Table(cells=cells, row_totals=first.row_totals, col_totals=[("d", 0), ("d", 1)], total=("N",))
    status = suppress([first, second], values, T, protected={("N",)})
    check([first, second], values, status)


def test_two_small_cells_adding_up_to_their_total_are_protected():
    # 4 + 4 = 8: both "<5" would give away 4 and 4 (the only way to make 8)
    table, values = table_from([[4, 4], [10, 12]])
    status = suppress([table], values, T, protected={("N",)})
    check([table], values, status)
    assert status[("x", 0, 0)] == SMALL and status[("x", 0, 1)] == SMALL
    assert len([k for k, s in status.items() if s == HIDDEN]) >= 1


def test_a_single_small_cell_gets_a_complement_in_its_row_and_column():
    table, values = table_from([[3, 20, 30], [12, 25, 40]])
    status = suppress([table], values, T, protected={("N",)})
    check([table], values, status)
    row = [k for k in (("x", 0, 0), ("x", 0, 1), ("x", 0, 2), ("r", 0)) if k in status]
    col = [k for k in (("x", 0, 0), ("x", 1, 0), ("c", 0)) if k in status]
    assert len(row) >= 2 and len(col) >= 2
    assert ("N",) not in status


def test_zeros_of_a_small_group_are_hidden_too():
    # a kecamatan with 3 children who all chose the first option: "0" for the others would tell
    table, values = table_from([[3, 20], [0, 25]])
    status = suppress([table], values, T, protected={("N",)})
    assert status[("x", 1, 0)] == SMALL
    check([table], values, status)


def test_nothing_hidden_when_every_group_is_large():
    table, values = table_from([[10, 20], [15, 25]])
    assert suppress([table], values, T) == {}


@pytest.mark.parametrize("t", [3, 5, 10])
def test_threshold_is_a_parameter(t):
    table, values = table_from([[t - 1, 40], [t + 10, 30]])
    status = suppress([table], values, t)
    assert status[("x", 0, 0)] == SMALL
    assert recoverable([table], values, status, t) == set()


def test_the_attacker_finds_what_primary_suppression_alone_gives_away():
    """Without complementary suppression the hidden cell follows from its row total."""
    table, values = table_from([[3, 20, 30], [12, 25, 40]])
    primary_only = {("x", 0, 0): SMALL}
    assert recovered([table], values, primary_only, T) == {("x", 0, 0)}
    assert recovered([table], values, primary_only, T, small_known=True) == {("x", 0, 0)}
    assert single_hidden_lines([table], primary_only)
    assert recoverable([table], values, primary_only, T) == {("x", 0, 0)}
    # two small cells whose shown row total is 8 can only be 4 and 4
    table, values = table_from([[4, 4, 0], [10, 12, 9]])
    both_small = {("x", 0, 0): SMALL, ("x", 0, 1): SMALL, ("x", 1, 0): HIDDEN, ("x", 1, 1): HIDDEN}
    assert not single_hidden_lines([table], both_small)
    assert {("x", 0, 0), ("x", 0, 1)} <= recovered([table], values, both_small, T, small_known=True)
    # hence small and hidden values are shown alike now: then 8 could be 3 + 5 as well
    assert not {("x", 0, 0), ("x", 0, 1)} & recovered([table], values, both_small, T)


def test_a_zero_in_a_large_group_is_hidden_and_cannot_be_worked_out():
    # nobody of 20 chose the second option: "0" would tell it about each of the 20
    table, values = table_from([[20, 0], [15, 10]])
    status = suppress([table], values, T)
    assert status[("x", 0, 1)] == SMALL
    check([table], values, status)


def test_a_group_that_answered_alike_is_not_shown_so():
    # all 5 answered, the number of children known: "5 wrote an answer" alone would say it
    table, values = table_from([[5], [0]])
    fixed = {("N",): (5, 5), ("c", 0): (5, 5)}
    status = suppress([table], values, T, fixed=fixed)
    assert ("r", 0) in status and ("r", 1) in status
    assert recovered([table], values, status, T, fixed=fixed) == set()

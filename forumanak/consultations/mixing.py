"""Mixing the ballot box: rewrite a consultation's ballots and answers in random order.

Rows are stored in the order they are written: PostgreSQL's heap (``ctid``, and the order of a
``pg_dump``), SQLite's ``rowid``. Written at the moment of voting, ballots would line up with the
participations. So every ballot is written a second time, soon after the vote, together with all
the other ballots of its consultation, in the order of their random ids:

- PostgreSQL: ``DELETE … RETURNING`` and ``INSERT … SELECT … ORDER BY id`` in one statement per
  table. The rewritten rows go where the free-space map puts them, one after the other in id
  order; they also get the mixing transaction's ``xmin`` instead of the vote's. A transaction-level
  advisory lock keeps two mixings of one consultation apart; votes are not blocked (a ballot
  written while mixing runs simply waits for the next mixing).
- SQLite: a temporary copy, then delete and insert in id order (new rowids follow that order).
  The write lock is held from the start of the transaction (``transaction_mode`` IMMEDIATE), and
  ``secure_delete`` overwrites the deleted rows in the file with zeros.

Ballot and answer ids, and therefore flags and moderation links, do not change.
"""

from django.db import connection

from .models import Answer, Ballot

LOCK_KEY = 15_003  # first key of the PostgreSQL advisory lock (the second is the consultation id)


def _columns(model):
    return [f.column for f in model._meta.concrete_fields]


def rewrite(consultation_id):
    """Rewrite the ballots and answers of one consultation in random (id) order and mark the
    ballots mixed. Call inside a transaction. Returns the number of ballots."""
    ballot, answer = Ballot._meta.db_table, Answer._meta.db_table
    ballot_cols, answer_cols = _columns(Ballot), _columns(Answer)
    qn = connection.ops.quote_name
    b_list = ", ".join(qn(c) for c in ballot_cols)
    b_select = ", ".join("TRUE" if c == "mixed" else qn(c) for c in ballot_cols)
    a_list = ", ".join(qn(c) for c in answer_cols)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, consultation_id])
            cursor.execute(
                f"WITH moved AS (DELETE FROM {answer} a USING {ballot} b WHERE a.ballot_id = b.id "
                f"AND b.consultation_id = %s RETURNING a.*) "
                f"INSERT INTO {answer} ({a_list}) SELECT {a_list} FROM moved ORDER BY id", [consultation_id])
            cursor.execute(
                f"WITH moved AS (DELETE FROM {ballot} WHERE consultation_id = %s RETURNING *) "
                f"INSERT INTO {ballot} ({b_list}) SELECT {b_select} FROM moved ORDER BY id", [consultation_id])
            return cursor.rowcount
        cursor.execute("PRAGMA secure_delete")
        secure = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete = ON")
        try:
            cursor.execute("DROP TABLE IF EXISTS temp.consultations_mix_ballot")
            cursor.execute("DROP TABLE IF EXISTS temp.consultations_mix_answer")
            cursor.execute(f"CREATE TEMP TABLE consultations_mix_ballot AS SELECT * FROM {ballot} WHERE consultation_id = %s",
                           [consultation_id])
            cursor.execute(f"CREATE TEMP TABLE consultations_mix_answer AS SELECT a.* FROM {answer} a "
                           f"WHERE a.ballot_id IN (SELECT id FROM temp.consultations_mix_ballot)")
            cursor.execute(f"DELETE FROM {answer} WHERE ballot_id IN (SELECT id FROM temp.consultations_mix_ballot)")
            cursor.execute(f"DELETE FROM {ballot} WHERE id IN (SELECT id FROM temp.consultations_mix_ballot)")
            cursor.execute(f"INSERT INTO {ballot} ({b_list}) SELECT {b_select} FROM temp.consultations_mix_ballot "
                           f"ORDER BY id")
            count = cursor.rowcount
            cursor.execute(f"INSERT INTO {answer} ({a_list}) SELECT {a_list} FROM temp.consultations_mix_answer ORDER BY id")
            cursor.execute("DROP TABLE temp.consultations_mix_ballot")
            cursor.execute("DROP TABLE temp.consultations_mix_answer")
        finally:
            cursor.execute(f"PRAGMA secure_delete = {int(secure)}")
        return count

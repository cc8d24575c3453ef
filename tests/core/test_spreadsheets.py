"""The safe spreadsheet cell writer (issue 15 §4, invariant 6): what it writes for text, numbers
and dates in CSV and XLSX, and a check of the code that nothing else writes a spreadsheet."""

import ast
import csv
import io
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell

from forumanak.core.spreadsheets import SafeCsvWriter, SafeWorkbook, csv_stream, neutralise
from tests.cell_checks import PAYLOADS, evaluable, xlsx_cells

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "forumanak" / "core" / "spreadsheets.py"

MORE = ["\uff0b1", "\uff0d1", "\uff201", "\n=1", "\u3000=1", "\ufeff=1", "  \t -1+1", "-", "@"]
HARMLESS = ["", "Taman", "a=1", "1-2", "13-15", "2026-01-05", "64.71.01", "Rp 5.000", "'=1", "#N/A", "<5"]


@pytest.mark.parametrize("text", [*PAYLOADS, *MORE])
def test_text_that_starts_a_formula_gets_a_quote(text):
    assert evaluable(text)
    assert neutralise(text) == "'" + text
    assert not evaluable(neutralise(text))


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text


def test_csv_keeps_numbers_and_dates_and_neutralises_text():
    out = io.StringIO()
    moment = timezone.make_aware(datetime(2026, 1, 5, 9, 30), ZoneInfo("Asia/Makassar"))
    SafeCsvWriter(out).writerows([
        [-2, 2.5, Decimal("-0.25"), 0, None, date(2026, 1, 5), moment, time(7, 5)],
        list(PAYLOADS),
    ])
    numbers, texts = csv.reader(io.StringIO(out.getvalue(), newline=""))
    local = timezone.localtime(moment).replace(tzinfo=None).isoformat(sep=" ")
    assert numbers == ["-2", "2.5", "-0.25", "0", "", "2026-01-05", local, "07:05:00"]
    assert texts == ["'" + text for text in PAYLOADS]
    assert not any(evaluable(field) for field in texts)


def test_csv_stream_starts_with_a_byte_order_mark_outside_the_first_field():
    content = "".join(csv_stream([["=1", 2]])).encode()
    assert content.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == [["'=1", "2"]]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_has_no_formula_and_keeps_numbers_and_dates(write_only, settings):
    workbook = SafeWorkbook(write_only=write_only)
    sheet = workbook.create_sheet("Uji")
    sheet.append([*PAYLOADS, *MORE])
    sheet.append([-2, 2.5, Decimal("-0.25"), None, date(2026, 1, 5), timezone.now(), True])
    sheet.append(["#N/A", "bel\x07", "=A1", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = xlsx_cells(buffer.getvalue())  # no formula, no text that starts one
    rows = {}
    for cell in cells:
        rows.setdefault(cell.row, []).append(cell)
    # (an XML parser reads a carriage return in a text as a line feed)
    assert [c.value for c in rows[1]] == ["'" + t.replace("\r", "\n") for t in (*PAYLOADS, *MORE)]
    numbers = rows[2]
    assert [(c.value, c.data_type) for c in numbers[:3]] == [(-2, "n"), (2.5, "n"), (-0.25, "n")]
    assert numbers[3].value is None
    assert numbers[4].is_date and numbers[4].value == datetime(2026, 1, 5)
    assert numbers[5].is_date and numbers[5].value.date() == timezone.localdate()
    assert (numbers[6].value, numbers[6].data_type) == (True, "b")
    assert [(c.value, c.data_type) for c in rows[3][:3]] == [("#N/A", "s"), ("bel", "s"), ("'=A1", "s")]


def test_openpyxl_cells_cannot_be_slipped_past_the_writer():
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet("Uji")
    with pytest.raises(TypeError):
        sheet.append([WriteOnlyCell(None, value="=1")])


# ---- nothing else writes a spreadsheet ------------------------------------------------------

SPREADSHEET_LIBRARIES = {"openpyxl", "xlsxwriter", "xlwt", "odf", "ezodf", "pyexcel", "tablib", "pandas"}
CSV_WRITERS = {"writer", "DictWriter"}
HELPER_INTERNALS = {"_worksheet", "_workbook"}
FILE_TYPES = ("text/csv", "spreadsheetml", "opendocument.spreadsheet", "ms-excel")


def spreadsheet_writes(source, filename="<code>"):
    """Where ``source`` writes a spreadsheet cell, or could, other than through the helper: a
    spreadsheet library, csv's writers, a ``writerow`` call, the helper's internals, or a CSV or
    spreadsheet response from a module that does not use the helper."""
    tree = ast.parse(source, filename)
    found, uses_helper, file_type = [], False, None
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in SPREADSHEET_LIBRARIES:
                    found.append(f"{where} imports {alias.name}")
                uses_helper |= alias.name == "forumanak.core.spreadsheets"
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in SPREADSHEET_LIBRARIES:
                found.append(f"{where} imports from {module}")
            if module == "csv" and {a.name for a in node.names} & CSV_WRITERS:
                found.append(f"{where} imports csv's writer")
            uses_helper |= module == "forumanak.core.spreadsheets" or (
                module == "forumanak.core" and any(a.name == "spreadsheets" for a in node.names))
        elif isinstance(node, ast.Attribute):
            if node.attr in CSV_WRITERS and isinstance(node.value, ast.Name) and node.value.id == "csv":
                found.append(f"{where} uses csv.{node.attr}")
            elif node.attr in ("writerow", "writerows"):
                found.append(f"{where} calls {node.attr}")
            elif node.attr in HELPER_INTERNALS:
                found.append(f"{where} reaches into the safe writer ({node.attr})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.split(".")[0] in SPREADSHEET_LIBRARIES:
                found.append(f"{where} names {node.value}")
            if any(kind in node.value for kind in FILE_TYPES):
                file_type = file_type or where
    if file_type and not uses_helper:
        found.append(f"{file_type} sends a spreadsheet without the safe writer")
    return found


def project_sources():
    skip = {".venv", "var", "tests", "node_modules", "static", "media"}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part in skip or part.startswith(".") for part in parts[:-1]):
            continue
        yield path


def test_every_spreadsheet_is_written_by_the_safe_writer():
    sources = [p for p in project_sources() if p != HELPER]
    assert any(p.parts[-2:] == ("consultations", "exports.py") for p in sources)  # the scan sees the apps
    assert any(p.parts[-2:] == ("events", "admin_views.py") for p in sources)
    found = [hit for path in sources for hit in spreadsheet_writes(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == []


@pytest.mark.parametrize("source", [
    "import openpyxl",
    "from openpyxl import Workbook",
    "from openpyxl.styles import Font",
    "import xlsxwriter",
    "import csv\nw = csv.writer(f)",
    "from csv import DictWriter",
    "w.writerow(['=1'])",
    "sheet._worksheet.append(['=1'])",
    "import importlib\nimportlib.import_module('openpyxl')",
    "HttpResponse(body, content_type='text/csv')",
    "TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'",
])
def test_the_check_finds_a_spreadsheet_written_by_hand(source):
    assert spreadsheet_writes(source)


@pytest.mark.parametrize("source", [
    "import csv\nrows = csv.reader(f)\ncells = []\ncells.append(1)",
    "from forumanak.core.spreadsheets import csv_stream\nStreamingHttpResponse(csv_stream(rows), content_type='text/csv')",
    "from forumanak.core import spreadsheets\nX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'",
])
def test_the_check_lets_the_helper_and_csv_reading_through(source):
    assert spreadsheet_writes(source) == []

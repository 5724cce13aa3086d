"""Exports of the filtered deals journal: CSV with every field (for programs), XLSX as the journal reads."""
import csv
import io
from datetime import datetime

from engine.db import db
from processes import fields, journal, statuses
from processes.serialize import deal_dict, plain_cell, to_csv

MAX_ROWS = 100_000


def deals_csv(filters):
    return to_csv(rows(filters)).encode("utf-8")


def _query(filters, model):
    return journal.ordered(journal.filtered(filters, model), filters, model).limit(MAX_ROWS)


def rows(filters):
    """Deal dicts matching filters, in the journal's order (at most MAX_ROWS)."""
    model = statuses.current_model()
    return [deal_dict(d, model) for d in db.session.scalars(_query(filters, model))]


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


def deals_xlsx(filters, columns):
    """The journal as people read it: ``columns`` ((key, header) of the journal's chosen columns), in order.

    Budgets are numbers, times local date cells, statuses their labels; strings go in as typed text
    cells: kept exactly (a phone +7…) and never read as formulas.
    """
    from openpyxl import Workbook
    model = statuses.current_model()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("deals")
    sheet.append([str(header) for _, header in columns])

    for deal in db.session.scalars(_query(filters, model)):
        sheet.append([sheet_cell(sheet, _sheet_value(deal, key, model)) for key, _ in columns])
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
        moment.number_format = "DD.MM.YYYY HH:MM"
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

"""Exports of the filtered deals journal: CSV and XLSX with every field."""
import io
from datetime import datetime
from decimal import Decimal

from engine.db import db
from processes import fields, journal, statuses
from processes.serialize import FIELDS, deal_dict, to_csv

MAX_ROWS = 100_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(filters):
    """Deal dicts matching filters, in the journal's order (at most MAX_ROWS)."""
    model = statuses.current_model()
    query = journal.ordered(journal.filtered(filters, model), filters, model).limit(MAX_ROWS)
    return [deal_dict(d, model) for d in db.session.scalars(query)]


def _plain(value):
    """A cell value a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def deals_csv(filters):
    return to_csv([{k: _plain(v) for k, v in row.items()} for row in rows(filters)]).encode("utf-8")


NUMBERS = ("budget",)  # sums and filters work on them in the spreadsheet
TIMES = ("created_at", "status_changed_at")  # shown in the app's time zone, as on the pages


def deals_xlsx(filters):
    """Budgets as numbers, times as local date cells; strings as typed text cells: kept exactly
    (a phone +7…) and never read as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    sheet = book.create_sheet("deals")
    sheet.append(list(FIELDS))

    def cell(key, value):
        if value is None:
            return ""
        if key in NUMBERS:
            return Decimal(value)
        if key in TIMES:
            moment = WriteOnlyCell(sheet, fields.to_local(datetime.fromisoformat(value)).replace(tzinfo=None))
            moment.number_format = "DD.MM.YYYY HH:MM"
            return moment
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text

    for row in rows(filters):
        sheet.append([cell(k, row.get(k)) for k in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Exports of the filtered deals journal: CSV and XLSX with every field."""
import io

from engine.db import db
from processes import journal, statuses
from processes.serialize import FIELDS, deal_dict, to_csv

MAX_ROWS = 100_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(filters):
    """Deal dicts matching filters, in the journal's order (at most MAX_ROWS)."""
    model = statuses.current_model()
    query = journal.ordered(journal.filtered(filters, model), filters).limit(MAX_ROWS)
    return [deal_dict(d, model) for d in db.session.scalars(query)]


def _plain(value):
    """A cell value a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def deals_csv(filters):
    return to_csv([{k: _plain(v) for k, v in row.items()} for row in rows(filters)]).encode("utf-8")


def deals_xlsx(filters):
    """Strings go in as typed text cells: kept exactly (a phone +7…) and never read as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    sheet = book.create_sheet("deals")
    sheet.append(list(FIELDS))

    def cell(value):
        if not isinstance(value, str):
            return "" if value is None else value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text

    for row in rows(filters):
        sheet.append([cell(row.get(k)) for k in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

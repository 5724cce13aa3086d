"""Rows written together with Core statements: one INSERT per table for a group, ids read back in order."""
from sqlalchemy import insert

from engine.db import db


def insert_returning_ids(table, rows):
    """Insert ``rows`` (dicts of column values) and return their new ids in the order given.

    Rows naming the same columns go in one executemany (SQLAlchemy's insertmanyvalues with
    ``sort_by_parameter_order``, so the ids come back in row order on SQLite and PostgreSQL);
    rows naming other columns (a field one letter has and another has not) in one more each.
    """
    shapes = {}
    for index, row in enumerate(rows):
        shapes.setdefault(tuple(sorted(row)), []).append(index)
    ids = [None] * len(rows)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for indexes in shapes.values():
        found = db.session.execute(statement, [rows[index] for index in indexes]).scalars().all()
        for index, row_id in zip(indexes, found):
            ids[index] = row_id
    return ids

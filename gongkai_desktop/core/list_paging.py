"""Paging shared by the list queries (registry_query, application_query, complaint_query):
deep pages read from the far end, rows ordered by a column then id, distinct years."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from . import search


def far_end(
    total: int | None, offset: int, limit: int, descending: bool
) -> tuple[bool, bool, int, int]:
    """(reverse, descending, offset, limit): with the known *total*, a page past the middle
    is read from the other end in the opposite order and flipped afterwards."""
    reverse = total is not None and total // 2 < offset < total
    if reverse:
        descending = not descending
        offset, limit = max(0, total - offset - limit), min(limit, total - offset)
    return reverse, descending, offset, limit


def select_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: tuple[str, ...],
    where: str,
    params: list,
    order: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[dict]:
    """*columns* of *table* rows matching *where*, ordered by *order* then id."""
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT {', '.join(columns)} FROM {table}{where}"
        f" ORDER BY {order} {direction}, id {direction} LIMIT ? OFFSET ?"
    )
    return [dict(zip(columns, r, strict=True)) for r in db.execute(sql, [*params, limit, offset])]


def years(db: sqlite_utils.Database, table: str) -> list[int]:
    """Distinct years of *table*, newest first: one index seek per year, not a scan."""
    out: list[int] = []
    y = db.execute(f"SELECT max(year) FROM {table}").fetchone()[0]
    while y is not None:
        out.append(y)
        y = db.execute(f"SELECT max(year) FROM {table} WHERE year < ?", [y]).fetchone()[0]
    return out


def count_rows(
    db: sqlite_utils.Database,
    table: str,
    text: str,
    text_only: bool,
    where: Callable[[], tuple[str, list]],
) -> int:
    """Rows of *table* matching the filter; with a *text* search as its only condition
    (*text_only*), the FTS index ``<table>_fts`` alone knows the count."""
    q = search.match_query(text)
    if q and text_only:
        return db.execute(
            f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?", [q]
        ).fetchone()[0]
    w, p = where()
    return db.execute(f"SELECT count(*) FROM {table}{w}", p).fetchone()[0]

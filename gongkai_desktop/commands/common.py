"""Helpers shared by the headless commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlite_utils

from ..core.db import connect
from ..core.errors import UserError


def open_db(path: str | None) -> sqlite_utils.Database:
    """Open --db FILE; a path that does not exist becomes a new, empty database."""
    if not path:
        raise UserError("请用 --db 指定数据库文件。")
    db = connect(Path(path))
    from ..exports import pdf_fonts

    pdf_fonts.apply_settings(db)  # the font the clerk chose in settings comes first (RULES §9)
    return db


@contextmanager
def opened_db(path: str | None) -> Iterator[sqlite_utils.Database]:
    """open_db for the length of a ``with`` block, closed however the block ends."""
    db = open_db(path)
    try:
        yield db
    finally:
        db.conn.close()


def parse_date(text: str, label: str = "日期") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{label}“{text}”无法识别，请写成 2026-09-25 这样的格式。") from None

"""主题分类 and 公开方式 lists: seeded from resources/, extendable by the clerk."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from . import audit
from .db import transaction
from .errors import ValidationError


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    seed_item: int | None
    description: str
    builtin: bool


def categories(db: sqlite_utils.Database) -> list[Category]:
    rows = db.execute(
        "SELECT code, name, seed_item, description, builtin FROM categories ORDER BY sort, code"
    ).fetchall()
    return [Category(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def category_names(db: sqlite_utils.Database) -> dict[str, str]:
    """code → name."""
    return {c.code: c.name for c in categories(db)}


def code_for(db: sqlite_utils.Database, name_or_code: str) -> str | None:
    row = db.execute(
        "SELECT code FROM categories WHERE name = ? OR code = ?", [name_or_code, name_or_code]
    ).fetchone()
    return row[0] if row else None


def add_category(db: sqlite_utils.Database, name: str, who: str, description: str = "") -> str:
    name = name.strip()
    if not name:
        raise ValidationError("分类名称不能为空。")
    if code_for(db, name):
        raise ValidationError(f"分类“{name}”已经存在。")
    with transaction(db):
        n = db.execute("SELECT count(*) FROM categories WHERE builtin = 0").fetchone()[0]
        code = f"U{n + 1:02d}"
        while code_for(db, code):
            n += 1
            code = f"U{n + 1:02d}"
        sort = db.execute("SELECT coalesce(max(sort), 0) + 1 FROM categories").fetchone()[0]
        row = {"code": code, "name": name, "seed_item": None, "description": description,
               "builtin": 0, "sort": sort}
        db.execute(
            "INSERT INTO categories(code, name, seed_item, description, builtin, sort)"
            " VALUES (:code, :name, :seed_item, :description, :builtin, :sort)", row)
        audit.record(db, who, "categories", code, "insert", None, row)
    return code


def channels(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM channels ORDER BY sort, name").fetchall()]


def add_channel(db: sqlite_utils.Database, name: str, who: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError("公开方式名称不能为空。")
    if name in channels(db):
        raise ValidationError(f"公开方式“{name}”已经存在。")
    with transaction(db):
        sort = db.execute("SELECT coalesce(max(sort), 0) + 1 FROM channels").fetchone()[0]
        db.execute("INSERT INTO channels(name, builtin, sort) VALUES (?, 0, ?)", [name, sort])
        audit.record(db, who, "channels", name, "insert", None, {"name": name})

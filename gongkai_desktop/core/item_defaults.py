"""Defaults for a new registry item (新增事项的默认值): what the clerk typed last time.

A clerk usually logs several items from the same issuer and category in a row, so the
form starts from the last item's 发布机构 and 主题分类, else from the unit profile.
"""

from __future__ import annotations

import sqlite_utils

from . import profile


def last_item_defaults(db: sqlite_utils.Database) -> dict[str, str]:
    """``{"issuer", "category", "doc_no"}`` for a new item's form.

    issuer: last item's 发布机构, else the unit name; category: last item's code, else "";
    doc_no: the profile's 文号前缀 (机关代字), else "".
    """
    prof = profile.load(db)
    row = db.execute(
        "SELECT issuer, category FROM items ORDER BY created_at DESC, id DESC LIMIT 1"
    ).fetchone()
    issuer = (row[0] if row and row[0] else "") or (prof.unit_name if prof else "")
    return {
        "issuer": issuer,
        "category": row[1] if row else "",
        "doc_no": prof.doc_prefix if prof else "",
    }

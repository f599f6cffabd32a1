"""行政复议、行政诉讼 (appeals) against the handling of an application, with their outcome
(RULES.md §3 Appeals; 年度报告表四).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile, year_lock
from .application_store import (
    add_event,
    as_date,
    catalog,
    check_step_date,
    day,
    handler,
    require,
)
from .db import transaction
from .errors import ValidationError

LITIGATION = "行政诉讼"
APPEAL_KINDS = ("行政复议", LITIGATION)

# -- 行政复议、行政诉讼 ---------------------------------------------------------------------------

APPEAL_COLUMNS = ("id", "app_id", "kind", "route", "filed_date", "outcome", "closed_date", "note")


def appeals(db: sqlite_utils.Database, app_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(APPEAL_COLUMNS)} FROM appeals WHERE app_id = ? ORDER BY filed_date, id",
        [app_id],
    ).fetchall()
    return [dict(zip(APPEAL_COLUMNS, r, strict=True)) for r in rows]


def _check_outcome(outcome: str, closed: Any, filed: date, today: date) -> str | None:
    cat = catalog()
    if outcome not in cat.appeal_outcomes:
        raise ValidationError("复议或诉讼结果应为：" + "、".join(cat.appeal_outcomes) + "。")
    c = as_date(closed, "审结日期", False)
    if outcome == cat.appeal_outcomes[-1]:  # 尚未审结
        if c:
            raise ValidationError("结果为“尚未审结”时不能填写审结日期，请清空或改选结果。")
        return None
    if c is None:
        raise ValidationError(f"结果为“{outcome}”，请填写审结日期。")
    if c < filed or c > today:
        raise ValidationError(f"审结日期 {c} 应在提起日期 {filed} 与今天之间，请核对。")
    return c.isoformat()


def add_appeal(
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    route: str,
    filed_date: Any,
    outcome: str = "尚未审结",
    closed_date: Any = None,
    note: str = "",
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """Record an administrative review (行政复议) or a lawsuit (行政诉讼; *route*: directly or
    after review) against the handling of the application."""
    app = require(db, app_id)
    today = today or date.today()
    if kind not in APPEAL_KINDS:
        raise ValidationError("请选择“行政复议”或“行政诉讼”。")
    routes = catalog().litigation_routes
    route = str(route or "").strip()
    if kind == LITIGATION and route not in routes:
        raise ValidationError("行政诉讼请选择起诉方式：" + "、".join(routes) + "。")
    if kind != LITIGATION:
        route = ""
    filed = check_step_date(db, app, filed_date, "提起日期", today, in_order=False)
    row = {
        "app_id": app_id,
        "kind": kind,
        "route": route,
        "filed_date": filed.isoformat(),
        "outcome": outcome,
        "closed_date": _check_outcome(outcome, closed_date, filed, today),
        "note": str(note or "").strip(),
    }
    operator = profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, filed)
        cur = db.execute(
            "INSERT INTO appeals(app_id, kind, route, filed_date, outcome, closed_date, note)"
            " VALUES (:app_id, :kind, :route, :filed_date, :outcome, :closed_date, :note)",
            row,
        )
        audit.record(db, operator, "appeals", cur.lastrowid, "insert", None, row)
        add_event(
            db,
            app_id,
            kind,
            handler(db, who),
            filed,
            note,
            {"appeal_id": cur.lastrowid, "route": route},
            operator,
        )
    return cur.lastrowid


def update_appeal(
    db: sqlite_utils.Database,
    appeal_id: int,
    outcome: str,
    closed_date: Any = None,
    note: str = "",
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    r = db.execute(
        f"SELECT {', '.join(APPEAL_COLUMNS)} FROM appeals WHERE id = ?", [appeal_id]
    ).fetchone()
    if r is None:
        raise ValidationError("找不到这条复议或诉讼记录，可能已被删除。")
    before = dict(zip(APPEAL_COLUMNS, r, strict=True))
    today = today or date.today()
    closed = _check_outcome(outcome, closed_date, day(before["filed_date"]), today)
    after = before | {"outcome": outcome, "closed_date": closed, "note": str(note or "").strip()}
    operator = profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, closed or today, before["closed_date"])
        db.execute(
            "UPDATE appeals SET outcome = ?, closed_date = ?, note = ? WHERE id = ?",
            [outcome, closed, after["note"], appeal_id],
        )
        audit.record(db, operator, "appeals", appeal_id, "update", before, after)
        add_event(
            db,
            before["app_id"],
            "复议诉讼结果",
            handler(db, who),
            day(closed) or today,
            note,
            {"appeal_id": appeal_id, "kind": before["kind"], "outcome": outcome},
            operator,
        )

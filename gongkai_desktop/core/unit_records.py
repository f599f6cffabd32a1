"""单位台账 (unit records): the contact card, the rules register, the budget and the
recognitions.

- 公开工作机构信息: the working body's name, head, address, office hours, phone, fax and
  e-mail are published (seed 三(一)5; 考核表第3项), with the consultation and complaint
  lines and the opinion box (seed item 24). Each publication keeps its own row and date.
- 规章制度: the office's rules on disclosure work (seed 三(一)6; 考核表第4项).
- 经费: disclosure funding in the annual budget, in 万元 (考核表第38项).
- 表彰、推广、批示…: what the bonus items 39–45 of the assessment score.

Every write is one transaction with an audit row (operator from the profile).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from .complaint_rules import as_date, choice
from .db import transaction
from .errors import ValidationError

# -- 公开工作机构信息 (contact card) -------------------------------------------------------------

CARD_FIELDS = {
    "name": "机构名称",
    "head": "负责人",
    "address": "办公地址",
    "hours": "办公时间",
    "phone": "联系电话",
    "fax": "传真号码",
    "email": "电子邮箱",
    "consult_phone": "咨询电话",
    "complaint_phone": "投诉电话",
    "opinion_box": "意见箱",
}
REQUIRED_TO_PUBLISH = ("name", "head", "address", "hours", "phone", "fax", "email")  # 考核表第3项
CARD_COLUMNS = ("id", *CARD_FIELDS, "published_date", "created_at")
CARD_TITLE = "政务公开工作机构信息"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _operator(db: sqlite_utils.Database, who: str | None) -> str:
    return who or profile.operator(db)


def _insert(db: sqlite_utils.Database, table: str, row: dict, operator: str) -> int:
    cur = db.execute(
        f"INSERT INTO {table}({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    audit.record(db, operator, table, cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def _update(db, table: str, key: str, before: dict, changes: dict, operator: str) -> None:
    db.execute(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changes)} WHERE {key} = ?",
        [*changes.values(), before[key]],
    )
    audit.record(db, operator, table, before[key], "update", before, before | changes)


def _get(db, table: str, cols: tuple[str, ...], where: str, params: list) -> list[dict]:
    rows = db.execute(f"SELECT {', '.join(cols)} FROM {table} {where}", params).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _one(db, table: str, cols: tuple[str, ...], where: str, params: list) -> dict | None:
    rows = _get(db, table, cols, where + " LIMIT 1", params)
    return rows[0] if rows else None


def _delete(db, table: str, before: dict | None, operator: str) -> None:
    if before is None:
        return
    with transaction(db):
        db.execute(f"DELETE FROM {table} WHERE id = ?", [before["id"]])
        audit.record(db, operator, table, before["id"], "delete", before, None)


def _not_future(value: Any, label: str, today: date) -> date:
    d = as_date(value, label)
    if d > today:
        raise ValidationError(f"{label} {d} 晚于今天（{today}），不能登记将来的日期。")
    return d


def cards(db: sqlite_utils.Database) -> list[dict]:
    """Every version of the card, newest first (each publication keeps its row)."""
    return _get(db, "contact_cards", CARD_COLUMNS, "ORDER BY id DESC", [])


def current_card(db: sqlite_utils.Database) -> dict | None:
    """The newest version: the draft being edited, or the last one published."""
    return _one(db, "contact_cards", CARD_COLUMNS, "ORDER BY id DESC", [])


def published_card(db: sqlite_utils.Database) -> dict | None:
    """The card as last published (what the public sees), or None."""
    where = "WHERE published_date IS NOT NULL ORDER BY published_date DESC, id DESC"
    return _one(db, "contact_cards", CARD_COLUMNS, where, [])


def draft_card(db: sqlite_utils.Database) -> dict:
    """What the card form starts from: the current card, or the unit's public channels
    from the profile (seed item 24) when no card was saved yet."""
    cur = current_card(db)
    if cur:
        return cur
    p = profile.load(db) or profile.UnitProfile()
    channels = {k: getattr(p, k) for k in ("consult_phone", "complaint_phone", "opinion_box")}
    return dict.fromkeys(CARD_FIELDS, "") | channels | {"published_date": None}


def save_card(db: sqlite_utils.Database, card: dict, who: str | None = None) -> int:
    """Save the card's fields (CARD_FIELDS); returns the id of the version saved.

    An unpublished version is edited in place; a published one is kept as it was and
    the change becomes a new, unpublished version. Unchanged input writes nothing."""
    row = {k: str(card.get(k) or "").strip() for k in CARD_FIELDS}
    if not any(row.values()):
        raise ValidationError("公开工作机构信息是空的，请至少填写机构名称。")
    if row["email"] and not _EMAIL.fullmatch(row["email"]):
        raise ValidationError(
            f"电子邮箱“{row['email']}”格式不对，请写成 gkb@example.gov.cn 这样的格式。"
        )
    cur = current_card(db)
    if cur and all(cur[k] == row[k] for k in CARD_FIELDS):
        return cur["id"]
    operator = _operator(db, who)
    with transaction(db):
        if cur and not cur["published_date"]:
            changes = {k: v for k, v in row.items() if cur[k] != v}
            _update(db, "contact_cards", "id", cur, changes, operator)
            return cur["id"]
        return _insert(db, "contact_cards", row | {"published_date": None,
                                                   "created_at": audit.now_iso()}, operator)  # fmt: skip


def missing_for_publication(card: dict) -> list[str]:
    """Labels of the fields 考核表第3项 asks for that the card lacks."""
    return [CARD_FIELDS[k] for k in REQUIRED_TO_PUBLISH if not str(card.get(k) or "").strip()]


def publish_card(
    db: sqlite_utils.Database,
    card_id: int,
    published_date: Any,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """Record the day the card was published (the assessment asks for it)."""
    today = today or date.today()
    card = _one(db, "contact_cards", CARD_COLUMNS, "WHERE id = ?", [card_id])
    if card is None:
        raise ValidationError("该版本的公开工作机构信息不存在。请刷新后重试。")
    if card["published_date"]:
        raise ValidationError(
            f"这一版已于 {card['published_date']} 发布。内容有变化的，请修改后作为新版本发布。"
        )
    missing = missing_for_publication(card)
    if missing:
        raise ValidationError(
            "发布前请填写：" + "、".join(missing) + "（考核表第3项要求公开这些信息；没有传真的，"
            "请填写“无”）。"
        )
    d = _not_future(published_date, "发布日期", today)
    last = published_card(db)
    if last and d.isoformat() < last["published_date"]:
        raise ValidationError(
            f"发布日期 {d} 早于上一版的发布日期 {last['published_date']}，请核对。"
        )
    with transaction(db):
        _update(db, "contact_cards", "id", card, {"published_date": d.isoformat()},
                _operator(db, who))  # fmt: skip


def card_html(card: dict) -> str:
    """An HTML fragment of the card for the website's disclosure column; every value
    is escaped, so the clerk's text never becomes markup."""
    e = html.escape
    rows = []
    for k, label in CARD_FIELDS.items():
        value = str(card.get(k) or "").strip()
        if not value:
            continue
        cell = e(value)
        if k == "email" and _EMAIL.fullmatch(value):
            cell = f'<a href="mailto:{e(value, quote=True)}">{cell}</a>'
        rows.append(
            f'  <tr><th style="text-align:right;padding:4px 8px;white-space:nowrap">{e(label)}'
            f'</th><td style="padding:4px 8px">{cell}</td></tr>'
        )
    out = [
        '<div class="gongkai-contact-card">',
        f"<h3>{e(CARD_TITLE)}</h3>",
        '<table style="border-collapse:collapse">',
        *rows,
        "</table>",
    ]
    if card.get("published_date"):
        d = date.fromisoformat(card["published_date"])
        out.append(f"<p>发布日期：{d.year}年{d.month}月{d.day}日</p>")
    out.append("</div>")
    return "\n".join(out) + "\n"


# -- 规章制度 (rules register) ---------------------------------------------------------------

RULE_STATUSES = ("现行有效", "已修订", "已废止")
RULE_COLUMNS = ("id", "title", "doc_no", "issued_date", "status", "file_name", "created_at")
RULE_EDITABLE = {"title": "制度名称", "doc_no": "文号", "issued_date": "印发日期",
                 "status": "状态", "file_name": "文件"}  # fmt: skip


def _rule_row(data: dict, today: date) -> dict:
    out = {k: str(data.get(k) or "").strip() for k in ("title", "doc_no", "file_name")}
    if not out["title"]:
        raise ValidationError("请填写制度名称，例如“政府信息公开保密审查制度”。")
    out["issued_date"] = _not_future(data.get("issued_date"), "印发日期", today).isoformat()
    out["status"] = choice(data.get("status") or RULE_STATUSES[0], RULE_STATUSES, "制度状态")
    return out


def add_rule(
    db: sqlite_utils.Database,
    title: str,
    doc_no: str,
    issued_date: Any,
    status: str = RULE_STATUSES[0],
    file_name: str = "",
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """Register one rule or regulation (规章制度); returns its id."""
    data = {"title": title, "doc_no": doc_no, "issued_date": issued_date, "status": status,
            "file_name": file_name}  # fmt: skip
    row = _rule_row(data, today or date.today()) | {"created_at": audit.now_iso()}
    with transaction(db):
        return _insert(db, "rules_register", row, _operator(db, who))


def get_rule(db: sqlite_utils.Database, rule_id: int) -> dict | None:
    return _one(db, "rules_register", RULE_COLUMNS, "WHERE id = ?", [rule_id])


def update_rule(
    db: sqlite_utils.Database,
    rule_id: int,
    data: dict,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    before = get_rule(db, rule_id)
    if before is None:
        raise ValidationError("该规章制度已被删除。请刷新列表。")
    merged = before | {k: v for k, v in data.items() if k in RULE_EDITABLE}
    row = _rule_row(merged, today or date.today())
    changes = {k: v for k, v in row.items() if before[k] != v}
    if changes:
        with transaction(db):
            _update(db, "rules_register", "id", before, changes, _operator(db, who))


def delete_rule(db: sqlite_utils.Database, rule_id: int, who: str | None = None) -> None:
    _delete(db, "rules_register", get_rule(db, rule_id), _operator(db, who))


def list_rules(db: sqlite_utils.Database, status: str | None = None) -> list[dict]:
    """The register, newest first; optionally only rules of one *status*."""
    if status is None:
        return _get(db, "rules_register", RULE_COLUMNS, "ORDER BY issued_date DESC, id DESC", [])
    s = choice(status, RULE_STATUSES, "制度状态")
    return _get(db, "rules_register", RULE_COLUMNS,
                "WHERE status = ? ORDER BY issued_date DESC, id DESC", [s])  # fmt: skip


# -- 经费 (budget, 考核表第38项) ---------------------------------------------------------------

BUDGET_COLUMNS = ("year", "amount", "note", "updated_at")


def _amount(value: Any) -> float:
    text = str(value if value is not None else "").strip().removesuffix("万元").strip()
    if not text:
        raise ValidationError("请填写预算金额（单位：万元）。")
    try:
        amount = float(text)
    except ValueError:
        raise ValidationError(
            f"预算金额“{value}”不是数字，请填写以万元为单位的金额，例如 3.5。"
        ) from None
    if not math.isfinite(amount):
        raise ValidationError(f"预算金额“{value}”不是有效的数字。")
    if amount < 0:
        raise ValidationError(f"预算金额 {text} 万元是负数，请填写 0 或正数。")
    return round(amount, 4)


def _year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"年度“{value}”无法识别，请写成 2026 这样的四位年份。") from None
    if not 1990 <= year <= 2100:
        raise ValidationError(f"年度 {year} 不在合理范围内，请写成 2026 这样的四位年份。")
    return year


def set_budget(
    db: sqlite_utils.Database, year: Any, amount: Any, note: str = "", who: str | None = None
) -> None:
    """The year's disclosure funding in 万元, with a note (e.g. the budget line)."""
    y, a = _year(year), _amount(amount)
    row = {"year": y, "amount": a, "note": str(note or "").strip()}
    before = budget(db, y)
    if before and all(before[k] == row[k] for k in row):
        return
    row["updated_at"] = audit.now_iso()
    operator = _operator(db, who)
    with transaction(db):
        if before:
            changes = {k: v for k, v in row.items() if k != "year"}
            _update(db, "budgets", "year", before, changes, operator)
        else:  # the year is the row id
            _insert(db, "budgets", row, operator)


def budget(db: sqlite_utils.Database, year: Any) -> dict | None:
    return _one(db, "budgets", BUDGET_COLUMNS, "WHERE year = ?", [_year(year)])


def budgets(db: sqlite_utils.Database) -> list[dict]:
    return _get(db, "budgets", BUDGET_COLUMNS, "ORDER BY year DESC", [])


# -- 表彰、推广、批示… (recognitions, 考核表第39–45项) -------------------------------------------


@dataclass(frozen=True)
class RecognitionKind:
    kind: str
    item: int  # 考核表 item number
    points: int
    rule: str


RECOGNITION_KINDS = (
    RecognitionKind("发文推广", 39, 2, "经验做法被省政务公开工作小组或省部级以上单位以文件形式推广"),
    RecognitionKind("表彰", 40, 1, "经验做法受到省政务公开工作小组或省部级以上单位表彰"),
    RecognitionKind("肯定批示", 41, 1, "经验做法受到省部级以上领导肯定批示或在讲话材料中肯定"),
    RecognitionKind("经验介绍", 42, 1, "在全省性以上会议作典型经验介绍"),
    RecognitionKind("系统推广", 43, 1, "经验做法在本系统或全省范围推广"),
    RecognitionKind("绩效考评名次", 44, 2, "在省或设区市效能办组织的年度绩效考评中位列前三名"),
    RecognitionKind("文明单位", 45, 2, "被市或县（区）直机关工委评为先进文明单位"),
)  # fmt: skip
KINDS = tuple(k.kind for k in RECOGNITION_KINDS)
RECOGNITION_COLUMNS = ("id", "on_date", "kind", "issuer", "title", "document", "evidence",
                       "created_at")  # fmt: skip


def recognition_kind(kind: str) -> RecognitionKind:
    return next(k for k in RECOGNITION_KINDS if k.kind == choice(kind, KINDS, "表彰类型"))


def add_recognition(
    db: sqlite_utils.Database,
    on_date: Any,
    kind: str,
    issuer: str,
    title: str,
    document: str = "",
    evidence: str = "",
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """Record a recognition: date, kind (KINDS), issuing level, what it was, the document
    (文号) and the evidence; returns its id."""
    d = _not_future(on_date, "日期", today or date.today())
    row = {"on_date": d.isoformat(), "kind": choice(kind, KINDS, "表彰类型")}
    row |= {k: str(v or "").strip() for k, v in
            (("issuer", issuer), ("title", title), ("document", document), ("evidence", evidence))}  # fmt: skip
    if not row["issuer"]:
        raise ValidationError("请填写发文或表彰单位（级别），例如“福建省政务公开办”。")
    if not row["title"]:
        raise ValidationError("请填写表彰、推广或批示的名称或内容。")
    row["created_at"] = audit.now_iso()
    with transaction(db):
        return _insert(db, "recognitions", row, _operator(db, who))


def delete_recognition(db: sqlite_utils.Database, rec_id: int, who: str | None = None) -> None:
    before = _one(db, "recognitions", RECOGNITION_COLUMNS, "WHERE id = ?", [rec_id])
    _delete(db, "recognitions", before, _operator(db, who))


def list_recognitions(db: sqlite_utils.Database, year: int | None = None) -> list[dict]:
    """Recognitions by date (of one *year* if given); each row has ``item`` and ``points``
    from the assessment table (the bonus cap and once-only rule are scored elsewhere)."""
    if year is None:
        rows = _get(db, "recognitions", RECOGNITION_COLUMNS, "ORDER BY on_date, id", [])
    else:
        rows = _get(db, "recognitions", RECOGNITION_COLUMNS,
                    "WHERE on_date >= ? AND on_date < ? ORDER BY on_date, id",
                    [f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"])  # fmt: skip
    for r in rows:
        k = next((k for k in RECOGNITION_KINDS if k.kind == r["kind"]), None)
        r["item"], r["points"] = (k.item, k.points) if k else (None, 0)
    return rows

"""Registry repository (公开事项登记): every SQL statement about items lives here.

Each write is one transaction that also writes an audit row (core/audit.py).
"""

from __future__ import annotations

import json
from datetime import date
from difflib import SequenceMatcher
from typing import Any

import sqlite_utils

from . import audit, index_numbers, profile, search, workflow, year_lock
from .calendar import WorkCalendar
from .date_input import as_iso
from .db import transaction
from .deadlines import display_period_end, publish_deadline
from .errors import ValidationError

SCOPES = ("面向社会", "特定对象")
VALIDITIES = ("现行有效", "已废止", "已失效")
# seed 三(四)1
TIMING_TYPES = ("经常性内容定期公开", "阶段性内容逐段公开", "动态性内容及时公开", "临时性内容随时公开")
DECISION_STAGES = ("决策前", "决策中", "决策后")  # seed item 25

# Fields the clerk edits; label used in messages, forms and the ledger.
EDITABLE = {
    "title": "信息名称",
    "doc_no": "文号",
    "issuer": "发布机构",
    "formed_date": "生成日期",
    "published_date": "公开日期",
    "category": "主题分类",
    "channels": "公开方式",
    "url": "网址",
    "scope": "公开范围",
    "validity": "有效性",
    "keywords": "关键词",
    "timing_type": "公开时限类型",
    "major_decision": "重大决策",
    "long_term": "长期公开",
    "end_date": "公开截止日期",
}
COLUMNS = ("id", "index_no", *EDITABLE, "year", "stage", "returns", "publish_due",
           "provisional", "created_at", "updated_at")


def normalize(db: sqlite_utils.Database, data: dict[str, Any], today: date | None = None) -> dict:
    """Validate clerk input; return the stored form. Raises ValidationError."""
    today = today or date.today()
    out: dict[str, Any] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationError("请填写“信息名称”。")
    out["title"] = title
    for k in ("doc_no", "issuer", "url", "keywords"):
        out[k] = str(data.get(k) or "").strip()
    out["formed_date"] = as_iso(data.get("formed_date"), "生成日期", True)
    if out["formed_date"] > today.isoformat():
        raise ValidationError(f"生成日期 {out['formed_date']} 晚于今天，请检查。")
    out["published_date"] = as_iso(data.get("published_date"), "公开日期", False)
    if out["published_date"] and out["published_date"] > today.isoformat():
        raise ValidationError(f"公开日期 {out['published_date']} 晚于今天，请检查。")
    if out["published_date"] and out["published_date"] < out["formed_date"]:
        raise ValidationError("公开日期早于生成日期，请检查两个日期。")
    cat = str(data.get("category") or "").strip()
    code = _category_code(db, cat)
    if code is None:
        raise ValidationError(f"主题分类“{cat}”不在分类表中。请从列表中选择，或先在“工具→分类与公开方式”中增加。")
    out["category"] = code
    chans = data.get("channels") or []
    if isinstance(chans, str):
        chans = [c for c in chans.replace("，", "、").replace(",", "、").split("、") if c.strip()]
    known = set(_channels(db))
    bad = [c for c in chans if c.strip() not in known]
    if bad:
        raise ValidationError(f"公开方式“{bad[0]}”不在列表中。请从列表中选择，或先增加这种公开方式。")
    out["channels"] = json.dumps([c.strip() for c in chans], ensure_ascii=False)
    for k, allowed, default in (("scope", SCOPES, SCOPES[0]), ("validity", VALIDITIES, VALIDITIES[0]),
                                ("timing_type", TIMING_TYPES, TIMING_TYPES[2])):
        v = str(data.get(k) or default).strip()
        if v not in allowed:
            raise ValidationError(f"“{EDITABLE[k]}”只能是：" + "、".join(allowed) + f"；现在是“{v}”。")
        out[k] = v
    out["major_decision"] = int(bool(data.get("major_decision")))
    out["long_term"] = int(bool(data.get("long_term")))
    out["end_date"] = None if out["long_term"] else as_iso(data.get("end_date"), "公开截止日期", False)
    if out["end_date"] and out["published_date"]:
        _check_display_period(out["published_date"], out["end_date"])
    return out


def _check_display_period(published: str, end: str, cal: WorkCalendar | None = None) -> None:
    """持续公开的时间不得少于15日 (seed item 27)."""
    minimum = display_period_end(date.fromisoformat(published), False, cal or WorkCalendar())
    if end < minimum.due.isoformat():
        raise ValidationError(
            f"公开截止日期 {end} 太早：公开后持续公开的时间不得少于15日（考核表第27项），"
            f"{published} 公开的信息最早 {minimum.due.isoformat()} 截止。请改日期，或勾选“长期公开”。")


def _category_code(db, name_or_code: str) -> str | None:
    row = db.execute("SELECT code FROM categories WHERE name = ? OR code = ?",
                     [name_or_code, name_or_code]).fetchone()
    return row[0] if row else None


def _channels(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM channels")]


def _fts_tokens(row: dict) -> str:
    return search.tokens(row["title"], row["doc_no"], row["index_no"], row["keywords"])


def _with_deadline(row: dict, cal: WorkCalendar) -> dict:
    d = publish_deadline(date.fromisoformat(row["formed_date"]), cal)
    row["publish_due"] = d.due.isoformat()
    row["provisional"] = int(d.provisional)
    row["year"] = int(row["formed_date"][:4])
    return row


def check_stage(stage: str, published_date: str | None) -> None:
    """An item has a 公开日期 exactly when its stage is past 公开 (RULES.md §2)."""
    if stage not in workflow.STAGES:
        raise ValidationError(f"当前环节“{stage}”无法识别，应为：" + "、".join(workflow.STAGES) + "。")
    published_stage = workflow.STAGES.index(stage) > workflow.STAGES.index("公开")
    if published_date and not published_stage:
        raise ValidationError(
            f"已填写公开日期，当前环节应在“公开”之后（如“待反馈”），现在是“{workflow.stage_label(stage)}”。")
    if published_stage and not published_date:
        raise ValidationError(f"当前环节是“{workflow.stage_label(stage)}”，说明已经公开，请填写公开日期。")


def get(db: sqlite_utils.Database, item_id: int) -> dict | None:
    cur = db.execute(f"SELECT {', '.join(COLUMNS)} FROM items WHERE id = ?", [item_id])
    r = cur.fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def create(db: sqlite_utils.Database, data: dict, *, cal: WorkCalendar | None = None,
           who: str | None = None, stage: str | None = None, today: date | None = None) -> int:
    """Insert a new item; its 索引号 comes from the unit's pattern. Returns the id.

    *stage* defaults to 提出, or to 反馈 for an item entered with its 公开日期 (an item
    published before it was registered here)."""
    cal = cal or WorkCalendar.from_db(db)
    row = _with_deadline(normalize(db, data, today), cal)
    stage = stage or ("反馈" if row["published_date"] else "提出")
    check_stage(stage, row["published_date"])
    prof = profile.load(db) or profile.UnitProfile(fonds_no="", operator="")
    who = who or prof.operator or "未设置经办人"
    now = audit.now_iso()
    with transaction(db):
        year_lock.check_editable(db, row["formed_date"], row["published_date"])
        serial = index_numbers.next_serial(db, row["year"])
        row["index_no"] = index_numbers.render(
            prof.index_pattern, fonds_no=prof.fonds_no or "0000", year=row["year"],
            category_code=row["category"], serial=serial)
        row.update(stage=stage, returns=0, created_at=now, updated_at=now)
        cols = list(row)
        cur = db.execute(
            f"INSERT INTO items({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols])
        item_id = cur.lastrowid
        db.execute("INSERT INTO items_fts(rowid, tokens) VALUES (?, ?)", [item_id, _fts_tokens(row)])
        audit.record(db, who, "items", item_id, "insert", None, row)
    return item_id


def update(db: sqlite_utils.Database, item_id: int, data: dict, *, cal: WorkCalendar | None = None,
           who: str | None = None, today: date | None = None) -> None:
    before = get(db, item_id)
    if before is None:
        raise ValidationError("该事项已被删除，无法保存。")
    cal = cal or WorkCalendar.from_db(db)
    merged = {k: before[k] for k in EDITABLE} | data
    if isinstance(merged["channels"], str) and merged["channels"].startswith("["):
        merged["channels"] = json.loads(merged["channels"])
    row = _with_deadline(normalize(db, merged, today), cal)
    check_stage(before["stage"], row["published_date"])
    row["updated_at"] = audit.now_iso()
    who = who or profile.operator(db)
    with transaction(db):
        year_lock.check_item_update(db, before, row, today)
        db.execute(f"UPDATE items SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                   [*row.values(), item_id])
        after = get(db, item_id)
        db.execute("INSERT INTO items_fts(items_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                   [item_id, _fts_tokens(before)])
        db.execute("INSERT INTO items_fts(rowid, tokens) VALUES (?, ?)", [item_id, _fts_tokens(after)])
        audit.record(db, who, "items", item_id, "update", before, after)


def delete(db: sqlite_utils.Database, item_id: int, *, who: str | None = None) -> None:
    before = get(db, item_id)
    if before is None:
        return
    who = who or profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, before["formed_date"], before["published_date"])
        db.execute("INSERT INTO items_fts(items_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                   [item_id, _fts_tokens(before)])
        db.execute("DELETE FROM items WHERE id = ?", [item_id])
        audit.record(db, who, "items", item_id, "delete", before, None)


def steps(db: sqlite_utils.Database, item_id: int) -> list[dict]:
    cols = ("id", "step", "action", "who", "on_date", "opinion", "result", "extra", "created_at")
    rows = db.execute(f"SELECT {', '.join(cols)} FROM item_steps WHERE item_id = ? ORDER BY id",
                      [item_id]).fetchall()
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    for r in out:
        r["extra"] = json.loads(r["extra"] or "{}")
    return out


def record_step(db: sqlite_utils.Database, item_id: int, inp: workflow.StepInput,
                *, today: date | None = None) -> workflow.Transition:
    """Record one step of the seven-step procedure (with its audit rows)."""
    today = today or date.today()
    item = get(db, item_id)
    if item is None:
        raise ValidationError("该事项已被删除。")
    history = steps(db, item_id)
    if history:
        prev_date, prev_label = date.fromisoformat(history[-1]["on_date"]), f"上一环节“{history[-1]['step']}”的"
    else:
        prev_date, prev_label = date.fromisoformat(item["formed_date"]), "信息生成"
    t = workflow.advance(item["stage"], prev_date, prev_label, inp, today)
    now = audit.now_iso()
    step_row = {"item_id": item_id, "step": inp.step, "action": inp.action, "who": inp.who.strip(),
                "on_date": inp.on_date.isoformat(), "opinion": inp.opinion.strip(),
                "result": inp.result.strip(), "extra": json.dumps(inp.extra, ensure_ascii=False),
                "created_at": now}
    changes: dict[str, Any] = {"stage": t.new_stage, "updated_at": now}
    if t.returned:
        changes["returns"] = item["returns"] + 1
    if inp.step == "公开" and not t.returned:
        if item["end_date"] and not item["long_term"]:
            _check_display_period(inp.on_date.isoformat(), item["end_date"], WorkCalendar.from_db(db))
        changes["published_date"] = inp.on_date.isoformat()
        changes["channels"] = json.dumps(inp.extra.get("channels", []), ensure_ascii=False)
        changes["url"] = inp.extra.get("url", "").strip()
    operator = profile.operator(db)  # audit records who used the program; the step keeps its handler
    with transaction(db):
        year_lock.check_editable(db, inp.on_date)
        cols = list(step_row)
        cur = db.execute(f"INSERT INTO item_steps({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         [step_row[c] for c in cols])
        audit.record(db, operator, "item_steps", cur.lastrowid, "insert", None, step_row)
        db.execute(f"UPDATE items SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
                   [*changes.values(), item_id])
        audit.record(db, operator, "items", item_id, "update", item, get(db, item_id))
    return t


def decision_stages(db: sqlite_utils.Database, item_id: int) -> list[dict]:
    cols = ("id", "stage", "on_date", "content", "opinions")
    rows = db.execute(f"SELECT {', '.join(cols)} FROM decision_stages WHERE item_id = ? ORDER BY on_date, id",
                      [item_id]).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


def add_decision_stage(db: sqlite_utils.Database, item_id: int, stage: str, on_date: Any,
                       content: str, opinions: str = "", *, who: str | None = None) -> int:
    """Record a 决策前/中/后 disclosure of a major decision (seed item 25)."""
    if stage not in DECISION_STAGES:
        raise ValidationError("决策阶段只能是：决策前、决策中、决策后。")
    day = as_iso(on_date, "日期", True)
    if not content.strip():
        raise ValidationError("请填写这一阶段公开的内容。")
    row = {"item_id": item_id, "stage": stage, "on_date": day, "content": content.strip(),
           "opinions": opinions.strip()}
    with transaction(db):
        year_lock.check_editable(db, day)
        cur = db.execute("INSERT INTO decision_stages(item_id, stage, on_date, content, opinions)"
                         " VALUES (:item_id, :stage, :on_date, :content, :opinions)", row)
        audit.record(db, who or profile.operator(db), "decision_stages", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def likely_duplicates(db: sqlite_utils.Database, data: dict, exclude_id: int | None = None,
                      threshold: float = 0.85) -> list[dict]:
    """Items with the same 文号, or a very similar title in the same year."""
    found: dict[int, dict] = {}
    doc_no = str(data.get("doc_no") or "").strip()
    if doc_no:
        for r in db.execute("SELECT id, index_no, title, doc_no FROM items WHERE doc_no = ? AND id IS NOT ?",
                            [doc_no, exclude_id]):
            found[r[0]] = {"id": r[0], "index_no": r[1], "title": r[2], "reason": f"文号相同（{r[3]}）"}
    title = str(data.get("title") or "").strip()
    formed = str(data.get("formed_date") or "")[:4]
    q = search.match_query(title[:12])
    if title and formed.isdigit() and q:
        rows = db.execute(
            "SELECT id, index_no, title FROM items WHERE year = ? AND id IS NOT ? AND id IN"
            " (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) LIMIT 50",
            [int(formed), exclude_id, q]).fetchall()
        for r in rows:
            ratio = SequenceMatcher(None, title, r[2]).ratio()
            if ratio >= threshold and r[0] not in found:
                found[r[0]] = {"id": r[0], "index_no": r[1], "title": r[2],
                               "reason": f"同一年标题相似（{ratio:.0%}）"}
    return list(found.values())


def recompute_deadlines(db: sqlite_utils.Database, cal: WorkCalendar, who: str | None = None) -> int:
    """Recompute every item's publish deadline after a calendar change. Returns items changed."""
    changed = 0
    with transaction(db):
        days = [r[0] for r in db.execute("SELECT DISTINCT formed_date FROM items")]
        for day in days:
            d = publish_deadline(date.fromisoformat(day), cal)
            cur = db.execute(
                "UPDATE items SET publish_due = ?, provisional = ? WHERE formed_date = ?"
                " AND (publish_due <> ? OR provisional <> ?)",
                [d.due.isoformat(), int(d.provisional), day, d.due.isoformat(), int(d.provisional)])
            changed += cur.rowcount
        if changed:
            audit.record(db, who or profile.operator(db), "items", "*", "update", None,
                         {"重新计算公开期限": changed})
    return changed

"""依申请公开文书: the context a letter is rendered from, its 文号, and the stored PDFs.

The PDF itself is made by exports/letters.py (render_letter); core only gathers the
facts (application, clock, fee, pauses, answer details, unit profile) and keeps the
result with the application (table app_letters) so it can be printed again.
文号 (RULES.md §9): ``{机关代字}依申〔{年}〕{n}号``, n counted per year, no leading zeros.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from .application_store import (
    add_event,
    catalog,
    clock_of,
    day,
    events,
    handler,
    pauses,
    require,
)
from .calendar import WorkCalendar
from .db import transaction
from .deadlines import add_working_days
from .errors import ValidationError
from .index_numbers import next_serial

KINDS = ("receipt", "supplement", "extension", "consultation", "fee", "answer")
# 条例第三十六条 item → the answer letter (exports/letters.LETTER_KINDS)
ANSWER_LETTERS = {
    1: "answer_public",
    2: "answer_disclose",
    3: "answer_refuse",
    4: "answer_not_exist",
    5: "answer_not_ours",
    6: "answer_repeat",
    7: "answer_special_law",
}
LETTER_SERIAL = "letter_serial"
SETTINGS_KEY = "letter_settings"  # review_body, contact_phone: printed on every letter
# Default 法律依据 for a refusal, by reason (条例第十四至十六条).
_BASIS = "《中华人民共和国政府信息公开条例》"
REFUSAL_BASIS = {
    "属于国家秘密": f"{_BASIS}第十四条",
    "危及“三安全一稳定”": f"{_BASIS}第十四条",
    "保护第三方合法权益": f"{_BASIS}第十五条",
    "属于三类内部事务信息": f"{_BASIS}第十六条第一款",
    "属于四类过程性信息": f"{_BASIS}第十六条第二款",
    "属于行政执法案卷": f"{_BASIS}第十六条第二款",
}


def letter_doc_no(doc_prefix: str, year: int, n: int) -> str:
    return f"{doc_prefix}依申〔{year}〕{n}号"


def _peek_serial(db: sqlite_utils.Database, year: int) -> int:
    row = db.execute(
        "SELECT value FROM settings WHERE key = ?", [f"{LETTER_SERIAL}:{year}"]
    ).fetchone()
    return int(row[0]) + 1 if row else 1


# -- letter settings (复议机关, 联系电话) ----------------------------------------------------


def default_review_body(unit_name: str) -> str:
    """行政复议机关 of a county-level-or-higher department: the 本级人民政府 (行政复议法
    第二十四条). Guessed from the unit's name, e.g. 厦门市人力资源和社会保障局 → 厦门市人民政府."""
    m = re.match(r"^(.+?(?:省|自治区))?(.+?(?:市|州|盟))?(.+?(?:区|县|旗))?", unit_name or "")
    area = "".join(g for g in (m.groups() if m else ()) if g)
    return f"{area}人民政府" if area else "本级人民政府"


def letter_settings(db: sqlite_utils.Database) -> dict[str, str]:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
    saved = json.loads(row[0]) if row else {}
    prof = profile.load(db)
    return {
        "review_body": saved.get("review_body")
        or default_review_body(prof.unit_name if prof else ""),
        "contact_phone": saved.get("contact_phone", ""),
    }


def save_letter_settings(
    db: sqlite_utils.Database, review_body: str, contact_phone: str, who: str | None = None
) -> None:
    before = db.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
    value = {
        "review_body": str(review_body or "").strip(),
        "contact_phone": str(contact_phone or "").strip(),
    }
    if not value["review_body"]:
        raise ValidationError("请填写行政复议机关（一般为本级人民政府），答复告知书要写明。")
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
            " SET value = excluded.value",
            [SETTINGS_KEY, json.dumps(value, ensure_ascii=False)],
        )
        audit.record(
            db,
            who or profile.operator(db),
            "settings",
            SETTINGS_KEY,
            "update" if before else "insert",
            json.loads(before[0]) if before else None,
            value,
        )


# -- the context -----------------------------------------------------------------------


def resolve_kind(app: dict, kind: str) -> str:
    """`answer` → the letter for the application's answer type; checks the prerequisite."""
    need = {
        "supplement": (
            app["supplement_requested"],
            "这件申请没有发出补正告知，无法生成补正告知书。",
        ),
        "extension": (app["extension_days"], "这件申请没有延期，无法生成延期答复告知书。"),
        "fee": (app["fee_notice_date"], "这件申请没有发出收费通知，无法生成收费通知书。"),
    }
    if kind in need and not need[kind][0]:
        raise ValidationError(need[kind][1])
    if kind == "answer" or kind in ANSWER_LETTERS.values():
        if app["answer_type"] is None:
            why = (
                f"已按“{catalog().result_label(app['result'], app['result_reason'])}”办结"
                if app["closed_date"]
                else "尚未答复"
            )
            raise ValidationError(f"这件申请{why}，没有答复告知书。请先登记答复。")
        return ANSWER_LETTERS[app["answer_type"]]
    if kind not in KINDS:
        raise ValidationError(
            "文书种类应为：receipt（登记回执）、supplement（补正告知书）、extension（延期答复"
            "告知书）、consultation（征求意见书）、fee（收费通知书）、answer（答复告知书）。"
        )
    return kind


def _fee_explain(app: dict) -> str:
    from .fees import fee

    r = fee("piece" if app["fee_method"] == "按件" else "page", app["fee_count"])
    unit = "件" if app["fee_method"] == "按件" else "页"
    head = (
        f"同一申请人本自然月累计申请{app['fee_count']}件"
        if unit == "件"
        else f"申请提供{app['fee_count']}页"
    )
    parts = [
        f"{t['range']}{unit}{t['count']}{unit}×{t['rate']}元={t['subtotal']}元"
        for t in r.to_json()["tiers"]
    ]
    return f"{head}，超额累进计算：" + "；".join(parts) + f"，合计{r.total}元"


def _answer_details(db: sqlite_utils.Database, app_id: int) -> dict:
    found = [e for e in events(db, app_id) if e["step"] == "答复"]
    return dict(found[-1]["extra"].get("details") or {}) if found else {}


def letter_context(
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    today: date | None = None,
    *,
    pause_id: int | None = None,
    extra: dict | None = None,
    cal: WorkCalendar | None = None,
) -> dict:
    """Everything exports/letters.render_letter needs for *kind* (``answer`` picks the
    letter of the answer type). ``doc_no`` is the next free 文号 of the letter's year; it is
    reserved when the letter is stored (store_letter). *extra* overrides any field."""
    app = require(db, app_id)
    real = resolve_kind(app, kind)
    today = today or date.today()
    cal = cal or WorkCalendar.from_db(db)
    prs = pauses(db, app_id)
    c = clock_of(app, prs, cal, today)
    prof = profile.load(db) or profile.UnitProfile()
    ctx: dict[str, Any] = {
        "unit_name": prof.unit_name,
        "doc_prefix": prof.doc_prefix,
        "app_no": app["app_no"],
        "applicant_name": app["applicant_name"],
        "received_date": day(app["received_date"]),
        "request_content": app["content"],
        "answer_due": c.due,
        **letter_settings(db),
    }
    letter_date = day(app["received_date"])
    if real == "supplement":
        letter_date = day(app["supplement_requested"])
        ctx |= {
            "supplement_items": app["supplement_items"].splitlines() or [app["supplement_items"]],
            "supplement_deadline": day(app["supplement_deadline"]),
        }
    elif real == "extension":
        before = clock_of(app | {"extension_days": 0}, prs, cal, today)
        letter_date = day(app["extension_notified"]) or day(app["extension_date"])
        ctx |= {
            "answer_due": before.due,
            "new_due": c.due,
            "extension_days": app["extension_days"],
            "approver": app["extension_approver"],
        }
    elif real == "consultation":
        if not prs:
            raise ValidationError(
                "这件申请没有征求意见记录，无法生成征求意见书。请先登记征求意见。"
            )
        p = next((x for x in prs if x["id"] == pause_id), prs[-1])
        letter_date = day(p["start"])
        ctx |= {
            "third_party": p["party"],
            "consultation_reply_due": add_working_days(
                day(p["start"]), p["reply_working_days"], cal
            ).due,
        }
    elif real == "fee":
        letter_date = day(app["fee_notice_date"])
        ctx |= {
            "fee_total": app["fee_total"],
            "fee_method": app["fee_method"],
            "fee_explain": _fee_explain(app),
            "payment_deadline": day(app["fee_payment_deadline"]),
        }
    elif real.startswith("answer"):
        letter_date = day(app["answer_date"])
        details = _answer_details(db, app_id)
        ctx |= {
            "answer_text": app["answer_text"],
            "refuse_reason": app["result_reason"] if app["result"] == "不予公开" else "",
            "legal_basis": REFUSAL_BASIS.get(app["result_reason"], ""),
        }
        if real == "answer_public":
            ctx["where_public"] = app["answer_text"]
        ctx |= {k: v for k, v in details.items() if v not in (None, "")}
    ctx["letter_date"] = letter_date
    ctx["doc_no"] = letter_doc_no(
        prof.doc_prefix, letter_date.year, _peek_serial(db, letter_date.year)
    )
    ctx |= extra or {}
    return ctx


# -- stored letters --------------------------------------------------------------------

LETTER_COLUMNS = ("id", "app_id", "kind", "doc_no", "letter_date", "sha256", "created_at")


def store_letter(
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    doc_no: str,
    letter_date: Any,
    pdf: bytes,
    who: str | None = None,
) -> int:
    """Keep the PDF with the application and reserve its 文号 (which must be the one
    letter_context proposed). Returns the letter id."""
    require(db, app_id)
    d = letter_date if isinstance(letter_date, date) else date.fromisoformat(str(letter_date))
    if not pdf or not bytes(pdf).startswith(b"%PDF"):
        raise ValidationError("文书文件不是有效的 PDF，未保存。请重新生成。")
    prof = profile.load(db) or profile.UnitProfile()
    operator = profile.operator(db)
    with transaction(db):
        expected = letter_doc_no(prof.doc_prefix, d.year, next_serial(db, d.year, LETTER_SERIAL))
        if doc_no != expected:
            raise ValidationError(
                f"文号“{doc_no}”已被占用或不是本单位的依申请公开文号（下一个是“{expected}”），"
                "请重新生成文书。"
            )
        row = {
            "app_id": app_id,
            "kind": kind,
            "doc_no": doc_no,
            "letter_date": d.isoformat(),
            "pdf": bytes(pdf),
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "created_at": audit.now_iso(),
        }
        cur = db.execute(
            "INSERT INTO app_letters(app_id, kind, doc_no, letter_date, pdf, sha256, created_at)"
            " VALUES (:app_id, :kind, :doc_no, :letter_date, :pdf, :sha256, :created_at)",
            row,
        )
        letter_id = cur.lastrowid
        audit.record(
            db,
            operator,
            "app_letters",
            letter_id,
            "insert",
            None,
            {k: v for k, v in row.items() if k != "pdf"},
        )
        add_event(
            db,
            app_id,
            "生成文书",
            handler(db, who),
            d,
            "",
            {"letter_id": letter_id, "kind": kind, "doc_no": doc_no},
            operator,
        )
    return letter_id


def issue_letter(
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    render: Callable[[str, dict], bytes],
    *,
    today: date | None = None,
    who: str | None = None,
    extra: dict | None = None,
) -> tuple[int, bytes, dict]:
    """Build the context, render the PDF with *render(kind, context)* (exports/letters.
    render_letter) and store it: (letter id, PDF bytes, context)."""
    real = resolve_kind(require(db, app_id), kind)
    ctx = letter_context(db, app_id, real, today, extra=extra)
    pdf = render(real, ctx)
    return store_letter(db, app_id, real, ctx["doc_no"], ctx["letter_date"], pdf, who), pdf, ctx


def letters(db: sqlite_utils.Database, app_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(LETTER_COLUMNS)} FROM app_letters WHERE app_id = ? ORDER BY id",
        [app_id],
    ).fetchall()
    return [dict(zip(LETTER_COLUMNS, r, strict=True)) for r in rows]


def letter_pdf(db: sqlite_utils.Database, letter_id: int) -> bytes:
    row = db.execute("SELECT pdf FROM app_letters WHERE id = ?", [letter_id]).fetchone()
    if row is None:
        raise ValidationError("找不到这份文书，可能已随申请一起删除。")
    return bytes(row[0])

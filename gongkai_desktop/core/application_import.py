"""依申请公开登记台账 import: every row checked, then all written in one transaction or none.

A row keeps its 申请编号 (blank: a new one from the unit's pattern), its dates, the
supplement, the consultations (征求意见明细, or the two date columns), the extension and
the result; state and answer deadline are recomputed. The layout is in application_io.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlite_utils

from . import applications, audit, profile
from .application_answers import check_answer
from .application_clock import PAUSE_KINDS, answer_clock
from .application_io import COMPUTED, REQUIRED, REQUIRED_HEADERS, parse_pause_lines
from .application_store import add_event, catalog, clock_input, write
from .calendar import WorkCalendar
from .db import transaction
from .errors import ValidationError
from .registry_io import parse_date
from .sheet_import import RowsCancelled, RowsRejected, all_or_nothing
from .sheet_import import cell_text as _text


class ImportRejected(RowsRejected):
    """The sheet has errors; nothing was imported. ``errors`` lists every one."""

    NOUN = "申请"


class ImportCancelled(RowsCancelled):
    NOUN = "申请"


def _answer_type(text: str) -> int | None:
    cat = catalog()
    t = text.strip().rstrip("项").lstrip("第")
    if t.isdigit() and int(t) in cat.answer_types:
        return int(t)
    for k, name in cat.answer_types.items():
        if text.strip() in (name, f"{k}.{name}", f"{k}{name}"):
            return k
    raise ValueError(text)


class _RowChecker:
    """One sheet row → (create data, app_no, history), collecting every error."""

    def __init__(self, cols: dict[str, int], today: date, cal: WorkCalendar):
        self.cols, self.today, self.cal = cols, today, cal
        self.cat = catalog()

    def check(self, n: int, cells: tuple) -> tuple[dict | None, list[str]]:
        errs: list[str] = []
        cat = self.cat

        def get(col: str) -> Any:
            i = self.cols.get(col)
            return cells[i] if i is not None and i < len(cells) else None

        def err(col: str, msg: str) -> None:
            errs.append(f"第{n}行“{col}”：{msg}")

        def day(col: str, future_ok: bool = False) -> date | None:
            raw = get(col)
            try:
                v = parse_date(raw)
            except ValueError:
                err(col, f"“{_text(raw)}”不是有效日期，请写成 2026-03-15 这样的格式。")
                return None
            if v and v > self.today and not future_ok:
                err(col, f"{v} 晚于今天，请核对。")
            return v

        row: dict[str, Any] = {"app_no": _text(get("申请编号"))}
        for col in REQUIRED:
            if not _text(get(col)):
                err(col, "没有填写，这一列必须填写。")
        kind, channel = _text(get("申请人类型")), _text(get("申请方式"))
        if kind and kind not in cat.applicant_types:
            err(
                "申请人类型",
                f"“{kind}”无法识别，可填：{'、'.join(cat.applicant_types)}（“其他”指其他组织）。",
            )
        if channel and channel not in cat.channels:
            err("申请方式", f"“{channel}”无法识别，可填：{'、'.join(cat.channels)}。")
        received = day("收到日期")
        row["data"] = {
            "applicant_type": kind,
            "applicant_name": _text(get("申请人")),
            "channel": channel,
            "received_date": received,
            "content": _text(get("申请内容")),
        }
        asked, got, sup_due = day("补正告知日期"), day("补正收到日期"), day("补正期限", True)
        p_start, p_end = day("征求意见开始日期"), day("征求意见结束日期")
        answered = day("答复日期")
        ext_text = _text(get("延期工作日"))
        ext = 0
        if ext_text:
            if re.fullmatch(r"\d+", ext_text) and 0 <= int(ext_text) <= 20:
                ext = int(ext_text)
            else:
                err(
                    "延期工作日",
                    f"“{ext_text}”应为 0 到 20 之间的整数（条例第三十三条：最长延长20个工作日）。",
                )
        pauses = self._pauses(get, err, p_start, p_end)
        label, result, reason = _text(get("办理结果")), "", ""
        if label:
            try:
                result, reason = cat.parse_result_label(label)
            except ValidationError as e:
                err("办理结果", f"“{label}”无法识别。{e} 写法如“不予公开/属于国家秘密”“予以公开”。")
        t_text, a_type = _text(get("答复类型")), None
        if t_text:
            try:
                a_type = _answer_type(t_text)
            except ValueError:
                err(
                    "答复类型",
                    f"“{t_text}”无法识别，可填：{'、'.join(cat.answer_types.values())}。",
                )
        if label and not answered:
            err("答复日期", "填写了办理结果，请同时填写答复（办结）日期。")
        if answered and not label:
            err("办理结果", "填写了答复日期，请同时填写办理结果，如“予以公开”。")
        if a_type and result:
            try:
                check_answer(a_type, result, reason)
            except ValidationError as e:
                err("答复类型", str(e))
        if label and any(p["outcome"] == "" for p in pauses):
            err("征求意见结束日期", "已办结的申请，征求意见应已结束，请填写结束日期。")
        if received:
            for col, v in (
                ("补正告知日期", asked),
                ("征求意见开始日期", p_start),
                ("答复日期", answered),
            ):
                if v and v < received:
                    err(col, f"{v} 早于收到日期 {received}，请核对。")
        if got and not asked:
            err("补正告知日期", "填写了补正收到日期，请同时填写补正告知日期。")
        if asked and got and got < asked:
            err("补正收到日期", f"{got} 早于补正告知日期 {asked}，请核对。")
        if (
            answered
            and (late := max([v for v in (got, p_end) if v], default=None))
            and answered < late
        ):
            err("答复日期", f"{answered} 早于补正或征求意见的日期 {late}，请核对。")
        row["history"] = {
            "supplement_requested": asked,
            "supplement_received": got,
            "supplement_deadline": sup_due,
            "extension_days": ext,
            "extension_approver": _text(get("延期批准人")),
            "answer_type": a_type,
            "result": result,
            "result_reason": reason,
            "answer_date": answered,
            "pauses": pauses,
        }
        if not errs:
            errs += self._rules(n, row)
        return (None if errs else row), errs

    def _pauses(self, get, err, p_start: date | None, p_end: date | None) -> list[dict]:
        detail = _text(get("征求意见明细"))
        if detail:
            try:
                pauses = parse_pause_lines(detail)
            except ValueError as e:
                err(
                    "征求意见明细",
                    f"“{e}”无法识别，每行写一次征求意见，如“第三方：某公司，2026-03-02发出，"
                    "2026-03-10答复，同意公开”，未答复写“未答复”，尚未结束写“征求意见中”。",
                )
                return []
            if p_start and pauses and p_start != pauses[0]["start"]:
                err(
                    "征求意见开始日期",
                    f"{p_start} 与征求意见明细的第一次发出日期 {pauses[0]['start']} 不一致。",
                )
            return pauses
        if p_end and not p_start:
            err("征求意见开始日期", "填写了征求意见结束日期，请同时填写开始日期。")
            return []
        if p_start and p_end and p_end < p_start:
            err("征求意见结束日期", f"{p_end} 早于开始日期 {p_start}，请核对。")
            return []
        if not p_start:
            return []
        return [
            {
                "kind": PAUSE_KINDS[0],
                "party": "",
                "start": p_start,
                "reply": p_end,
                "outcome": "已答复" if p_end else "",
                "silent": False,
            }
        ]

    def _rules(self, n: int, row: dict) -> list[str]:
        """The repository's own rules: intake and the clock."""
        try:
            applications.normalize(row["data"], self.today, contact_required=False)
            h = row["history"]
            app = {
                "received_date": row["data"]["received_date"].isoformat(),
                "extension_days": h["extension_days"],
                **{
                    k: h[k] and h[k].isoformat()
                    for k in ("supplement_requested", "supplement_received")
                },
            }
            answer_clock(
                clock_input(app, [_pause_row(p, self.cal) for p in h["pauses"]]),
                self.cal,
                self.today,
            )
        except ValidationError as e:
            return [f"第{n}行：{e}"]
        return []


def _pause_row(p: dict, cal: WorkCalendar) -> dict:
    return {
        "kind": p["kind"],
        "party": p["party"],
        "start": p["start"].isoformat(),
        "reply": p["reply"] and p["reply"].isoformat(),
        "reply_working_days": 15,
        "outcome": p["outcome"],
        "note": "",
    }


def validate_rows(
    db: sqlite_utils.Database,
    cols: dict[str, int],
    rows: Iterable[tuple[int, tuple]],
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> list[tuple[int, dict]]:
    """Check every row; (Excel row number, row) for each. Raises ImportRejected listing
    every error; nothing is written."""
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ImportRejected(
            [
                f"表头缺少{'、'.join(f'“{c}”' for c in missing)}列。表头行应包括："
                f"{'、'.join(REQUIRED_HEADERS)}（可先导出一份台账作为模板）。"
            ]
        )
    checker = _RowChecker(cols, today or date.today(), cal or WorkCalendar.from_db(db))
    used = [i for h, i in cols.items() if h not in COMPUTED]
    seen: dict[str, int] = {}
    out: list[tuple[int, dict]] = []
    errors: list[str] = []
    for n, cells in rows:
        if all(_text(cells[i]) == "" for i in used if i < len(cells)):
            continue
        row, errs = checker.check(n, cells)
        no = (
            _text(cells[cols["申请编号"]])
            if "申请编号" in cols and cols["申请编号"] < len(cells)
            else ""
        )
        if no and no in seen:
            errs.append(f"第{n}行“申请编号”：“{no}”与第{seen[no]}行重复，每件申请的编号必须不同。")
        elif no and applications.get_by_no(db, no):
            errs.append(
                f"第{n}行“申请编号”：“{no}”已经登记在本数据库中，请删除这一行或改用新编号。"
            )
        if no:
            seen.setdefault(no, n)
        errors += errs
        if not errs:
            out.append((n, row))
    return all_or_nothing(out, errors, ImportRejected)


def import_rows(
    db: sqlite_utils.Database,
    cols: dict[str, int],
    rows: Iterable[tuple[int, tuple]],
    *,
    today: date | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> list[int]:
    """Validate every row, then write all in one transaction (or nothing). Returns the ids.
    Each application keeps its 申请编号 (blank: a new one), dates, supplement, consultations,
    extension and result; its state and due date are recomputed."""
    today = today or date.today()
    cal = WorkCalendar.from_db(db)
    valid = validate_rows(db, cols, rows, today=today, cal=cal)
    operator = profile.operator(db)
    ids: list[int] = []
    with transaction(db):
        for k, (n, row) in enumerate(valid, 1):
            app_id = applications.create(
                db,
                row["data"],
                today=today,
                app_no=row["app_no"] or None,
                cal=cal,
                contact_required=False,
            )
            _restore(db, app_id, row["history"], cal, operator, n)
            ids.append(app_id)
            if progress and k % 100 == 0 and progress(k, len(valid)) is False:
                raise ImportCancelled()
    if progress:
        progress(len(ids), len(ids))
    return ids


def _restore(db, app_id: int, h: dict, cal: WorkCalendar, operator: str, n: int) -> None:
    """Write an imported row's handling data (inside import_rows' transaction)."""
    for p in h["pauses"]:
        prow = _pause_row(p, cal) | {"app_id": app_id}
        cur = db.execute(
            "INSERT INTO app_pauses(app_id, kind, party, start, reply, reply_working_days,"
            " outcome, note) VALUES (:app_id, :kind, :party, :start, :reply,"
            " :reply_working_days, :outcome, :note)",
            prow,
        )
        audit.record(db, operator, "app_pauses", cur.lastrowid, "insert", None, prow)
    iso = {
        k: h[k] and h[k].isoformat()
        for k in (
            "supplement_requested",
            "supplement_received",
            "supplement_deadline",
            "answer_date",
        )
    }
    changes = iso | {
        "extension_days": h["extension_days"],
        "extension_approver": h["extension_approver"],
        "answer_type": h["answer_type"],
        "result": h["result"],
        "result_reason": h["result_reason"],
        "closed_date": iso["answer_date"],
    }
    after = write(db, app_id, changes, cal, operator)
    # dated by the record's last step, so later steps are still checked for order
    dates = [h[k] for k in ("supplement_requested", "supplement_received", "answer_date") if h[k]]
    dates += [d for p in h["pauses"] for d in (p["start"], p["reply"]) if d]
    on = max(dates, default=date.fromisoformat(after["received_date"]))
    add_event(
        db,
        app_id,
        "导入",
        operator,
        on,
        f"从台账第{n}行导入",
        {k: v for k, v in changes.items() if v},
        operator,
    )

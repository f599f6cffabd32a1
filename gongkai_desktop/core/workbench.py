"""工作台 (workbench): what is due, the inspection countdown, the year's charts.

Read-only views over the db. Every date comes from the rule module that owns it
(deadlines, application_clock, complaint_rules, rectifications); nothing is recounted
here, and every line carries the rule's own explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from . import application_store, assessment, assessment_template, rectifications
from . import complaint_rules as rules
from .calendar import WorkCalendar
from .deadlines import add_working_days, publish_status, working_days_left
from .workbench_requirements import Requirement, requirements

__all__ = [
    "KINDS",
    "KIND_RULES",
    "DueLine",
    "Requirement",
    "due_items",
    "requirements",
    "inspection_countdown",
    "set_inspection_date",
    "charts",
    "calendar_warning",
]

# The workbench groups, in display order (issue 8 §1).
KINDS = ("公开期限", "申请答复", "补正告知", "咨询答复", "投诉答复", "主要负责人答复", "整改")
# What each group means, with its source (shown on the group rows).
KIND_RULES = {
    "公开期限": "主动公开：自信息形成或变更之日起20个工作日内公开（条例第二十六条）。",
    "申请答复": "依申请公开：自收到申请之日起20个工作日内答复，征求意见期间不计算在内（条例第三十三条）。",
    "补正告知": "需要补正的，应在收到申请之日起7个工作日内一次性告知；申请人补正期限到期的也列在这里（条例第三十条）。",
    "咨询答复": "咨询：自收到之日起30日内答复（考核表第33项）。",
    "投诉答复": "投诉、举报、意见建议：自收到之日起30日内调查核实并反馈（考核表第33项）。",
    "主要负责人答复": "监督小组反馈的意见建议，主要负责人在30日内答复或说明（考核表第32项）。",
    "整改": "整改事项：按登记的整改期限完成。",
}
HORIZON_WORKING_DAYS = 5  # product choice: a working week ahead
_RUNNING = tuple(
    s
    for s in application_store.STATES
    if s not in application_store.CLOCK_STOPPED and s != application_store.CLOSED
)


@dataclass(frozen=True)
class DueLine:
    """One open deadline: overdue, or due within the horizon."""

    kind: str  # one of KINDS
    record_table: str  # items / applications / complaints / rectifications
    record_id: int
    label: str
    due: date
    working_days_left: int  # negative = overdue
    explain: str

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def left_text(self) -> str:
        """剩余/逾期 in working days, as the workbench shows it."""
        n = self.working_days_left
        if n < 0:
            return f"已逾期{-n}个工作日"
        return "今天到期" if n == 0 else f"剩{n}个工作日"


def _d(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _short(text: str, n: int = 28) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def due_items(
    db: sqlite_utils.Database,
    today: date,
    horizon_working_days: int = HORIZON_WORKING_DAYS,
    cal: WorkCalendar | None = None,
) -> list[DueLine]:
    """Open deadlines overdue or due within *horizon_working_days*, by kind then due date."""
    cal = cal or WorkCalendar.from_db(db)
    cutoff = add_working_days(today, horizon_working_days, cal).due.isoformat()
    lines = [
        *_items(db, today, cal, cutoff),
        *_applications(db, today, cal, cutoff),
        *_complaints(db, today, cal, cutoff),
        *_rectifications(db, today, cal, cutoff),
    ]
    # A day that is past due but had no working day since (due Fri, today Sat) is overdue.
    return sorted(lines, key=lambda x: (KINDS.index(x.kind), x.due, x.record_id))


def _left(today: date, due: date, cal: WorkCalendar) -> int:
    n = working_days_left(today, due, cal)
    return min(n, -1) if today > due else n  # deadlines.working_days_left: decide by date


def _items(db, today: date, cal: WorkCalendar, cutoff: str) -> list[DueLine]:
    """条例第二十六条: unpublished items within 20 working days of forming."""
    rows = db.execute(
        "SELECT id, index_no, title, formed_date FROM items"
        " WHERE published_date IS NULL AND publish_due <= ? ORDER BY publish_due, id",
        [cutoff],
    ).fetchall()
    out = []
    by_formed: dict[str, tuple] = {}  # open items share few formed dates: count each once
    for item_id, index_no, title, formed in rows:
        if formed not in by_formed:
            st = publish_status(_d(formed), None, today, cal)
            due = st.deadline.due
            by_formed[formed] = (due, _left(today, due, cal), st.explain())
        due, left, explain = by_formed[formed]
        out.append(
            DueLine("公开期限", "items", item_id, f"{index_no} {_short(title)}", due, left, explain)
        )
    return out


def _applications(db, today: date, cal: WorkCalendar, cutoff: str) -> list[DueLine]:
    """条例第三十条、第三十三条: the answer clock, the 7-day supplement notice, and the
    applicant's supplement deadline, all from application_clock."""
    cols = application_store.COLUMNS
    rows = db.execute(
        f"SELECT {', '.join(cols)} FROM applications WHERE closed_date IS NULL ORDER BY id"
    ).fetchall()
    out = []
    for r in rows:
        app = dict(zip(cols, r, strict=True))
        label = f"{app['app_no']} {app['applicant_name']}：{_short(app['content'], 22)}"
        if app["state"] in _RUNNING and app["answer_due"] and app["answer_due"] <= cutoff:
            c = application_store.clock(db, app, cal, today)
            head = f"状态：{c.state(today)}\n"
            out.append(
                DueLine("申请答复", "applications", app["id"], label, c.due,
                        _left(today, c.due, cal), head + c.explain())
            )  # fmt: skip
        if app["state"] in _RUNNING and not app["supplement_requested"]:
            c = application_store.clock(db, app, cal, today)
            due = c.supplement_notice_due
            if today <= due and due.isoformat() <= cutoff:
                text = (
                    f"如申请内容不明确、需要补正，应在 {due.isoformat()} 前一次性告知申请人需要补正的"
                    "事项和合理的补正期限（条例第三十条）；不需要补正的可忽略本提醒。\n"
                    + c.explain()
                )
                out.append(
                    DueLine("补正告知", "applications", app["id"], label, due,
                            _left(today, due, cal), text)
                )  # fmt: skip
        if app["state"] == application_store.SUPPLEMENT and app["supplement_deadline"]:
            due = _d(app["supplement_deadline"])
            if due.isoformat() <= cutoff:
                text = (
                    f"已于 {app['supplement_requested']} 告知补正，申请人补正期限为 "
                    f"{due.isoformat()}。申请人无正当理由逾期不补正的，视为放弃申请，"
                    "可按“其他处理”办结（条例第三十条）。"
                )
                out.append(
                    DueLine("补正告知", "applications", app["id"], label, due,
                            _left(today, due, cal), text)
                )  # fmt: skip
    return out


def _complaints(db, today: date, cal: WorkCalendar, cutoff: str) -> list[DueLine]:
    """考核表第32、33项: 30-day reply, 30-day principal answer (complaint_rules)."""
    rows = db.execute(
        "SELECT id, no, kind, content, received_date, reply_due, reply_date, closed_date,"
        " forwarded_date, principal, principal_due, principal_answer_date FROM complaints"
        " WHERE closed_date IS NULL ORDER BY id"
    ).fetchall()
    keys = ("id", "no", "kind", "content", "received_date", "reply_due", "reply_date",
            "closed_date", "forwarded_date", "principal", "principal_due",
            "principal_answer_date")  # fmt: skip
    out = []
    for r in rows:
        row = dict(zip(keys, r, strict=True))
        label = f"{row['no']} {row['kind']}：{_short(row['content'], 24)}"
        if not row["reply_date"] and row["reply_due"] <= cutoff:
            due = rules.reply_deadline(_d(row["received_date"]), cal).due
            kind = "咨询答复" if row["kind"] == "咨询" else "投诉答复"
            out.append(
                DueLine(kind, "complaints", row["id"], label, due, _left(today, due, cal),
                        rules.explain(row, today, cal))
            )  # fmt: skip
        if (
            row["forwarded_date"]
            and not row["principal_answer_date"]
            and (row["principal_due"] or "") <= cutoff
        ):
            d = rules.principal_deadline(_d(row["forwarded_date"]), cal)
            who = f"（{row['principal']}）" if row["principal"] else ""
            text = f"状态：{rules.principal_state(row, today)}{who}\n{d.explain()}"
            out.append(
                DueLine("主要负责人答复", "complaints", row["id"], label, d.due,
                        _left(today, d.due, cal), text)
            )  # fmt: skip
    return out


def _rectifications(db, today: date, cal: WorkCalendar, cutoff: str) -> list[DueLine]:
    """整改: the due date the clerk set when the problem was registered."""
    out = []
    for r in rectifications.list_open(db, today):
        if r["due_date"] > cutoff:
            continue
        due = _d(r["due_date"])
        text = (
            f"状态：{r['state']}\n整改期限：{due.isoformat()}（登记整改事项时确定）\n"
            f"来源：{r['source']}；责任人：{r['responsible']}\n"
            f"整改措施：{r['measure'] or '（未填写）'}"
        )
        out.append(
            DueLine("整改", "rectifications", r["id"], _short(r["problem"], 34), due,
                    _left(today, due, cal), text)
        )  # fmt: skip
    return out


# -- inspection countdown (迎检倒计时) --------------------------------------------------------


def inspection_countdown(db: sqlite_utils.Database, today: date, year: int | None = None) -> dict:
    """The expected inspection date and the self-score so far (RULES.md §7).

    The date is the 迎检日期 of the year's assessment (the one the 自评打分 tab edits),
    so the two screens never disagree."""
    year = year or today.year
    template = assessment_template.load(assessment_template.DEFAULT, db)
    aid = assessment.find(db, year)
    d = _d(assessment.get(db, aid)["inspection_date"]) if aid else None
    total, scored = 0.0, set()
    if aid:
        total = assessment.assessment_totals(db, aid).total
        scored = {n for n, s in assessment.scores(db, aid).items() if s["score"] is not None}
    # bonus items (加分项) are optional, so only base items count as 未评分
    unscored = [
        f"第{it.no}项 {_short(it.text, 30)}"
        for it in template.items
        if it.no not in scored and not _is_bonus(template, it)
    ]
    return {
        "year": year,
        "inspection_date": d,
        "days_left": (d - today).days if d else None,
        "score_total": total,
        "score_max": template.base_max,
        "bonus_max": sum(g.max for g in template.bonus_groups),
        "unscored": unscored,
    }


def _is_bonus(template, it) -> bool:
    return any(g.name == it.group for g in template.bonus_groups)


def set_inspection_date(
    db: sqlite_utils.Database, d: date | str | None, who: str | None = None, year: int | None = None
) -> None:
    """Set (None clears) the expected inspection date of *year*'s assessment (default: the
    date's year). Writes through core/assessment (transaction + audit)."""
    day = _d(d) if d not in (None, "") else None
    y = year or (day.year if day else date.today().year)
    aid = assessment.open_assessment(db, y, who=who)
    assessment.set_inspection_date(db, aid, day.isoformat() if day else None, who=who)


# -- charts ----------------------------------------------------------------------------------


def charts(db: sqlite_utils.Database, year: int) -> dict:
    """The year's figures: items published by month (with on time, 条例第二十六条),
    applications by result (表三 labels), complaints by kind."""
    y = int(year)
    a, b = f"{y:04d}-01-01", f"{y:04d}-12-31"
    by_month = {m: [0, 0] for m in range(1, 13)}
    for month, n, on_time in db.execute(
        "SELECT substr(published_date, 6, 2), count(*), sum(published_date <= publish_due)"
        " FROM items WHERE published_date BETWEEN ? AND ? GROUP BY 1",
        [a, b],
    ):
        by_month[int(month)] = [n, on_time or 0]
    results: dict[str, int] = dict.fromkeys(application_store.catalog().results, 0)
    open_n = 0
    for closed, result in db.execute(
        "SELECT closed_date, result FROM applications WHERE year = ?", [y]
    ):
        if closed and result:
            results[result] = results.get(result, 0) + 1
        else:
            open_n += 1
    apps = [(k, n) for k, n in results.items() if n]
    if open_n:
        apps.append(("办理中", open_n))
    kinds = dict.fromkeys(rules.KINDS, 0)
    for kind, n in db.execute(
        "SELECT kind, count(*) FROM complaints WHERE year = ? GROUP BY kind", [y]
    ):
        kinds[kind] = n
    return {
        "published_by_month": [(m, v[0], v[1]) for m, v in by_month.items()],
        "applications_by_result": apps,
        "complaints_by_kind": list(kinds.items()),
    }


# -- calendar warning ------------------------------------------------------------------------


def calendar_warning(db: sqlite_utils.Database, today: date) -> str | None:
    """Banner text when an open deadline reaches into a year without an official holiday
    schedule (RULES.md §1: such deadlines are 推算)."""
    cal = WorkCalendar.from_db(db)
    nxt = today.year + 1
    if cal.is_official(nxt):
        return None
    start = f"{nxt:04d}-01-01"
    n = sum(
        db.execute(sql, [start]).fetchone()[0]
        for sql in (
            "SELECT count(*) FROM items WHERE published_date IS NULL AND publish_due >= ?",
            "SELECT count(*) FROM applications WHERE closed_date IS NULL AND answer_due >= ?",
            "SELECT count(*) FROM complaints WHERE closed_date IS NULL AND reply_date IS NULL"
            " AND reply_due >= ?",
            "SELECT count(*) FROM complaints WHERE principal_answer_date IS NULL"
            " AND principal_due >= ?",
            "SELECT count(*) FROM rectifications WHERE done_date IS NULL AND due_date >= ?",
        )
    )
    if not n:
        return None
    return (
        f"{nxt}年的放假安排尚未录入：有{n}项未办结事项的期限延伸到{nxt}年，目前按法定节假日推算。"
        f"国务院公布{nxt}年放假安排后，请在“工具 → 节假日安排”中录入，期限会自动重算。"
    )

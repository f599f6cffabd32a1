"""投诉与意见的规则 (rules for complaints, opinions and the half-yearly key inspection).

Pure functions; every date they produce explains itself.

- A complaint, report, consultation or opinion is investigated and answered within
  30 days of receipt (考核表第33项); natural days, start not counted, moved to the next
  working day when the last day is not one (RULES.md §1, 民法典第二百零三条).
- An opinion passed on to the principal (主要负责人) is answered or explained within 30
  days of being passed on (考核表第31、32项).
- The supervisory group makes one key inspection every half year (考核表第30项).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .calendar import WorkCalendar
from .date_input import as_date
from .deadlines import Deadline, add_natural_days
from .errors import ValidationError, WorkflowError

__all__ = [
    "KINDS", "SOURCES", "STEPS", "DONE", "OPTIONAL_STEPS", "REPLY_METHODS", "MEETING_KINDS",
    "REPLY_DAYS", "PRINCIPAL_DAYS", "DUE_SOON_DAYS", "REPLY_RULE", "PRINCIPAL_RULE",
    "STATES", "PRINCIPAL_STATES", "IN_PROGRESS", "DUE_SOON", "OVERDUE", "ON_TIME", "LATE",
    "CHECKED", "NOT_CHECKED", "ENDING", "MISSED", "HALF_LABELS", "HalfYearStatus",
    "reply_deadline", "principal_deadline", "days_left", "complaint_state", "principal_state",
    "reply_late", "principal_late", "INTAKE", "as_date", "choice", "normalize", "derived",
    "stage_label", "next_steps", "check_step", "stage_after", "half_of", "half_bounds",
    "half_year_status", "explain",
]  # fmt: skip

KINDS = ("咨询", "投诉", "举报", "意见建议")
SOURCES = ("电话", "意见箱", "网站留言", "来信", "来访", "电子邮件")  # seed item 24
STEPS = ("受理", "调查核实", "答复", "整改", "办结")
DONE = "已办结"
OPTIONAL_STEPS = ("整改",)  # only where something needs fixing
# Suggestions for the 答复 step; free text is kept as typed.
REPLY_METHODS = ("电话", "书面", "当面", "电子邮件", "网站回复", "短信")
MEETING_KINDS = ("局务会", "全体人员大会")  # seed 三(六)2

REPLY_DAYS = 30  # 考核表第33项
PRINCIPAL_DAYS = 30  # 考核表第32项
# Product choice: "即将到期" with this many natural days left or fewer.
DUE_SOON_DAYS = 5

REPLY_RULE = f"自收到之日起{REPLY_DAYS}日内调查核实并予以反馈（考核表第33项）"
PRINCIPAL_RULE = (
    f"主要负责人对监督小组反馈的意见和建议在{PRINCIPAL_DAYS}日内予以答复或者说明（考核表第32项）"
)

# complaint_state labels, in list order
IN_PROGRESS, DUE_SOON, OVERDUE, ON_TIME, LATE = (
    "办理中",
    "即将到期",
    "已逾期",
    "按时答复",
    "逾期答复",
)
STATES = (IN_PROGRESS, DUE_SOON, OVERDUE, ON_TIME, LATE, DONE)
# principal_state labels ("" when the opinion was not passed on)
PRINCIPAL_STATES = ("待答复", DUE_SOON, OVERDUE, ON_TIME, LATE)

# Half-year check states
CHECKED, NOT_CHECKED, ENDING, MISSED = "已检查", "未检查", "即将结束未检查", "已过期未检查"
HALF_LABELS = {1: "上半年", 2: "下半年"}
# Warn from 1 June / 1 December when the half has no key inspection yet.
_WARN_MONTH = {1: 6, 2: 12}


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# -- deadlines -----------------------------------------------------------------------------


def reply_deadline(received: date, cal: WorkCalendar) -> Deadline:
    """The 30-day reply deadline of anything received on *received* (考核表第33项)."""
    return add_natural_days(received, REPLY_DAYS, cal, REPLY_RULE)


def principal_deadline(forwarded: date, cal: WorkCalendar) -> Deadline:
    """The principal's 30-day answer deadline for an opinion passed on (考核表第32项)."""
    return add_natural_days(forwarded, PRINCIPAL_DAYS, cal, PRINCIPAL_RULE)


def days_left(due: date | str, today: date) -> int:
    """Signed natural days from *today* to *due* (0 = due today, -1 = one day late).
    The period is counted in natural days, so the days left are too."""
    return (_day(due) - today).days


def _pending_state(due: date, today: date) -> str:
    left = days_left(due, today)
    if left < 0:
        return OVERDUE
    return DUE_SOON if left <= DUE_SOON_DAYS else IN_PROGRESS


def reply_late(row: dict) -> bool:
    """答复逾期: replied after the due date (stays true after 办结)."""
    return bool(row.get("reply_date")) and row["reply_date"] > row["reply_due"]


def principal_late(row: dict) -> bool:
    return bool(row.get("principal_answer_date")) and row["principal_answer_date"] > (
        row.get("principal_due") or ""
    )


def complaint_state(row: dict, today: date, cal: WorkCalendar | None = None) -> str:
    """办理中 / 即将到期 (≤5 days left) / 已逾期 (not replied, past due) / 按时答复 /
    逾期答复 (replied, not yet closed) / 已办结. *row* has reply_due, reply_date, closed_date.
    *cal* is not needed (natural days) and kept for symmetry with the other rules."""
    if row.get("closed_date"):
        return DONE
    if row.get("reply_date"):
        return LATE if reply_late(row) else ON_TIME
    return _pending_state(_day(row["reply_due"]), today)


def principal_state(row: dict, today: date) -> str:
    """The principal's answer: "" (not passed on), 待答复, 即将到期, 已逾期, 按时答复, 逾期答复."""
    if not row.get("forwarded_date"):
        return ""
    if row.get("principal_answer_date"):
        return LATE if principal_late(row) else ON_TIME
    state = _pending_state(_day(row["principal_due"]), today)
    return "待答复" if state == IN_PROGRESS else state


# -- intake ----------------------------------------------------------------------------------

INTAKE = {
    "kind": "类别",
    "source": "来源",
    "anonymous": "匿名",
    "person": "反映人",
    "contact": "联系方式",
    "received_date": "收到日期",
    "content": "反映内容",
    "handler": "经办人",
}


def choice(value: Any, allowed: tuple[str, ...], label: str) -> str:
    v = str(value or "").strip()
    if v not in allowed:
        what = f"“{v}”无法识别" if v else "没有选择"
        raise ValidationError(f"{label}{what}，请选择：" + "、".join(allowed) + "。")
    return v


def normalize(data: dict, today: date | None = None) -> dict:
    """Validate intake input; return the stored fields. Anonymous (匿名) when asked for or
    when no name is given; an anonymous record keeps no name (举报人保护)."""
    today = today or date.today()
    out: dict[str, Any] = {
        "kind": choice(data.get("kind"), KINDS, "类别"),
        "source": choice(data.get("source"), SOURCES, "来源"),
    }
    for k in ("person", "contact", "handler"):
        out[k] = str(data.get(k) or "").strip()
    out["anonymous"] = int(bool(data.get("anonymous")) or not out["person"])
    if out["anonymous"]:
        out["person"] = ""
    received = as_date(data.get("received_date"), "收到日期")
    if received > today:
        raise ValidationError(f"收到日期 {received} 晚于今天（{today}），请核对。")
    out["received_date"], out["year"] = received.isoformat(), received.year
    out["content"] = str(data.get("content") or "").strip()
    if not out["content"]:
        raise ValidationError("请填写反映的内容：反映了什么问题、提了什么意见或咨询什么事项。")
    return out


def derived(row: dict, cal: WorkCalendar) -> dict:
    """reply_due, principal_due and provisional (either deadline 推算) as stored."""
    reply = reply_deadline(date.fromisoformat(row["received_date"]), cal)
    out = {"reply_due": reply.due.isoformat(), "principal_due": None}
    provisional = reply.provisional
    if row.get("forwarded_date"):
        p = principal_deadline(date.fromisoformat(row["forwarded_date"]), cal)
        out["principal_due"] = p.due.isoformat()
        provisional = provisional or p.provisional
    out["provisional"] = int(provisional)
    return out


# -- the handling steps ------------------------------------------------------------------


def stage_label(stage: str) -> str:
    """What a record waits for: 待受理 … 待整改或办结, or 已办结."""
    if stage == DONE:
        return DONE
    return "待整改或办结" if stage == "整改" else f"待{stage}"


def next_steps(stage: str) -> tuple[str, ...]:
    """Steps that may be recorded now. 整改 is optional: 答复 → 办结 is allowed."""
    if stage == DONE:
        return ()
    if stage in OPTIONAL_STEPS:
        return (stage, STEPS[STEPS.index(stage) + 1])
    return (stage,)


def stage_after(step: str) -> str:
    i = STEPS.index(step)
    return STEPS[i + 1] if i + 1 < len(STEPS) else DONE


def check_step(stage: str, step: str) -> None:
    """Refuse a step out of order or skipped (WorkflowError, a ValidationError)."""
    order = " → ".join(f"{s}（需要时）" if s in OPTIONAL_STEPS else s for s in STEPS)
    if step not in STEPS:
        raise WorkflowError(f"没有“{step}”这个办理环节。办理顺序：{order}。")
    if stage == DONE:
        raise WorkflowError("该记录已经办结，不能再登记办理环节。")
    allowed = next_steps(stage)
    if step in allowed:
        return
    if STEPS.index(step) < STEPS.index(stage):
        raise WorkflowError(
            f"“{step}”已经登记过了，现在应登记“{'”或“'.join(allowed)}”。办理顺序：{order}。"
        )
    raise WorkflowError(
        f"现在应登记“{'”或“'.join(allowed)}”，不能跳过直接登记“{step}”。办理顺序：{order}。"
    )


# -- half-yearly key inspection (考核表第30项) ---------------------------------------------


def half_of(d: date) -> int:
    return 1 if d.month <= 6 else 2


def half_bounds(year: int, half: int) -> tuple[date, date]:
    """First and last day of the half-year."""
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (
            date(year, 7, 1),
            date(year, 12, 31),
        )
    )


@dataclass(frozen=True)
class HalfYearStatus:
    """Whether the half-year has its key inspection, as of *today*."""

    year: int
    half: int
    state: str  # 已检查 / 未检查 / 即将结束未检查 / 已过期未检查
    dates: tuple[date, ...]  # key inspections recorded in the half
    today: date

    @property
    def label(self) -> str:
        return f"{self.year}年{HALF_LABELS[self.half]}"

    @property
    def start(self) -> date:
        return half_bounds(self.year, self.half)[0]

    @property
    def end(self) -> date:
        return half_bounds(self.year, self.half)[1]

    @property
    def warn_from(self) -> date:
        return date(self.year, _WARN_MONTH[self.half], 1)

    @property
    def needs_attention(self) -> bool:
        return self.state in (ENDING, MISSED)

    def explain(self) -> str:
        span = f"{self.start.isoformat()} 至 {self.end.isoformat()}"
        rule = "监督小组每半年开展一次重点检查，并形成检查报告（考核表第30项）。"
        if self.state == CHECKED:
            done = "、".join(d.isoformat() for d in self.dates)
            return f"{self.label}（{span}）已开展重点检查：{done}。"
        if self.state == MISSED:
            return (
                f"{self.label}（{span}）已结束，没有登记重点检查。{rule}"
                "如已检查，请补录检查记录和报告。"
            )
        if self.state == ENDING:
            left = (self.end - self.today).days
            return (
                f"{self.label}将于 {self.end.isoformat()} 结束（还剩{left}天），尚未登记重点检查。"
                f"{rule}请尽快安排检查。"
            )
        return f"{self.label}（{span}）尚未登记重点检查；{self.warn_from.isoformat()} 起开始提醒。"


def half_year_status(year: int, half: int, key_inspection_dates, today: date) -> HalfYearStatus:
    """已检查 when a key inspection falls in the half; otherwise 已过期未检查 after it ended,
    即将结束未检查 from 1 June / 1 December, else 未检查."""
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, not {half}")
    start, end = half_bounds(year, half)
    dates = tuple(sorted(d for d in map(_day, key_inspection_dates) if start <= d <= end))
    if dates:
        state = CHECKED
    elif today > end:
        state = MISSED
    elif today >= date(year, _WARN_MONTH[half], 1):
        state = ENDING
    else:
        state = NOT_CHECKED
    return HalfYearStatus(year, half, state, dates, today)


# -- explanation ---------------------------------------------------------------------------


def explain(row: dict, today: date, cal: WorkCalendar) -> str:
    """期限说明 of one record: its state, the reply deadline and, for an opinion passed
    on, the principal's deadline, each with how it was counted."""
    state = complaint_state(row, today, cal)
    reply = reply_deadline(_day(row["received_date"]), cal)
    if row.get("reply_date"):
        head = f"状态：{state}（答复日期 {row['reply_date']}，届满日 {reply.due.isoformat()}）"
        if row.get("closed_date"):
            late = "，逾期答复" if reply_late(row) else "，按时答复"
            head = f"状态：已办结（{row['closed_date']}{late}）"
    elif state == OVERDUE:
        head = f"状态：已逾期（届满日 {reply.due.isoformat()}，已超过{-days_left(reply.due, today)}天）"
    else:
        head = f"状态：{state}（剩余{days_left(reply.due, today)}天）"
    parts = [head, "【答复期限】", reply.explain()]
    if row.get("forwarded_date"):
        pd = principal_deadline(_day(row["forwarded_date"]), cal)
        ps = principal_state(row, today)
        who = f"（{row['principal']}）" if row.get("principal") else ""
        parts += [
            f"【主要负责人答复期限】{who}转送日期 {row['forwarded_date']}，状态：{ps}",
            pd.explain(),
        ]
    return "\n".join(parts)

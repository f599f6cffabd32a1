"""期限计算 (deadline rules). Pure functions; every result explains itself.

Counting (RULES.md §1):
- the start day is not counted (民法典第二百零一条);
- working-day periods end on the N-th working day after the start day;
- natural-day periods end N days after the start day, moved to the next working day
  when that day is not a working day (民法典第二百零三条);
- a period touching a year without an official schedule is 推算 (provisional).

The application clock (consultation pauses, extensions; 条例第三十条至第三十三条) will
add fields to :class:`Deadline`; the counting primitives here stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai_desktop.core.calendar import WorkCalendar, weekday_label

__all__ = [
    "PUBLISH_WORKING_DAYS",
    "DISPLAY_MIN_NATURAL_DAYS",
    "DUE_SOON_WORKING_DAYS",
    "PUBLISH_RULE",
    "DISPLAY_RULE",
    "STATE_NOT_DUE",
    "STATE_DUE_SOON",
    "STATE_OVERDUE",
    "STATE_ON_TIME",
    "STATE_LATE",
    "Skipped",
    "Deadline",
    "PublishStatus",
    "add_working_days",
    "add_natural_days",
    "working_days_left",
    "publish_deadline",
    "publish_status",
    "display_period_end",
]

# -- Constants (one place; cite the source) -------------------------------------------

# 条例第二十六条; seed 三(四)3 and assessment table item 26.
PUBLISH_WORKING_DAYS = 20
# Seed 三(四)4 and assessment table item 27: 持续公开的时间不得少于15日.
DISPLAY_MIN_NATURAL_DAYS = 15
# Product choice: an unpublished item is "即将到期" with this many working days left or fewer.
DUE_SOON_WORKING_DAYS = 3

PUBLISH_RULE = (
    f"主动公开：自形成或变更之日起{PUBLISH_WORKING_DAYS}个工作日内（条例第二十六条；考核表第26项）"
)
DISPLAY_RULE = (
    f"持续公开：公布后不少于{DISPLAY_MIN_NATURAL_DAYS}日，长期公开内容长期公开（考核表第27项）"
)

STATE_NOT_DUE = "未到期"
STATE_DUE_SOON = "即将到期"
STATE_OVERDUE = "已逾期"
STATE_ON_TIME = "按时公开"
STATE_LATE = "逾期公开"

_ONE_DAY = timedelta(days=1)


# -- Results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A day passed over while counting, and why."""

    date: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A computed due date with everything needed to explain it.

    Exactly one of ``working_days`` / ``natural_days`` is set. ``skipped`` lists the
    non-working days passed over (working-day periods: every one from the day after
    ``start`` to ``due``; natural-day periods: the days the end was moved past).
    ``workdays_on_weekend`` lists make-up working weekend days (调休上班) that were counted.
    """

    start: date
    rule: str
    working_days: int | None
    natural_days: int | None
    due: date
    skipped: tuple[Skipped, ...] = ()
    provisional: bool = False
    provisional_years: tuple[int, ...] = ()
    workdays_on_weekend: tuple[Skipped, ...] = field(default=())

    def explain(self) -> str:
        """Multi-line Chinese explanation: start, rule, skipped days, 推算 warning."""
        lines = [f"起算日：{_fmt(self.start)}，当日不计入（民法典第二百零一条）"]
        if self.rule:
            lines.append(f"规则：{self.rule}")
        if self.working_days is not None:
            lines.append(
                f"计算：自次日起数满{self.working_days}个工作日，第{self.working_days}个工作日为届满日"
            )
            lines.append(f"届满日：{_fmt(self.due)}")
            if self.skipped:
                lines.append(f"跳过的非工作日（共{len(self.skipped)}天）：")
                lines.extend(f"  {_fmt_reason(s)}" for s in self.skipped)
            else:
                lines.append("期间内没有非工作日。")
        else:
            natural_end = self.start + timedelta(days=self.natural_days or 0)
            lines.append(
                f"计算：自次日起算{self.natural_days}日，期间最后一日为 {_fmt(natural_end)}"
            )
            if self.skipped:
                lines.append("最后一日不是工作日，顺延至其后第一个工作日（民法典第二百零三条）：")
                lines.extend(f"  {_fmt_reason(s)}" for s in self.skipped)
            lines.append(f"届满日：{_fmt(self.due)}")
        if self.workdays_on_weekend:
            lines.append("计为工作日的周末：")
            lines.extend(f"  {_fmt_reason(s)}" for s in self.workdays_on_weekend)
        if self.provisional:
            lines.append(provisional_note(self.provisional_years))
        return "\n".join(lines)

    def to_json(self) -> dict:
        """``{"start", "working_days", "due", "skipped", "provisional"}`` with ISO dates;
        a natural-day period also carries ``"natural_days"``."""
        out: dict = {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in self.skipped],
            "provisional": self.provisional,
        }
        if self.natural_days is not None:
            out["natural_days"] = self.natural_days
        return out


@dataclass(frozen=True)
class PublishStatus:
    """Where a proactive-disclosure item stands against its 20-working-day deadline."""

    deadline: Deadline
    days_left: int | None  # working days left (see working_days_left); None once published
    state: str  # one of the STATE_* labels
    published: date | None = None
    today: date | None = None

    def explain(self) -> str:
        if self.published is not None:
            head = f"状态：{self.state}（公开日期 {_fmt(self.published)}，届满日 {_fmt(self.deadline.due)}）"
        elif self.state == STATE_OVERDUE:
            head = f"状态：{self.state}（届满日 {_fmt(self.deadline.due)}，尚未公开）"
        else:
            head = f"状态：{self.state}（剩余{self.days_left}个工作日）"
        return head + "\n" + self.deadline.explain()


# -- Counting primitives --------------------------------------------------------------


def add_working_days(start: date, n: int, cal: WorkCalendar, rule: str = "") -> Deadline:
    """Due date of "自 start 之日起 n 个工作日内": the n-th working day after ``start``.

    The start day is not counted (RULES §1). ``n == 0`` gives ``due == start``.
    """
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    skipped: list[Skipped] = []
    weekend_work: list[Skipped] = []
    d, counted = start, 0
    while counted < n:
        d += _ONE_DAY
        if cal.is_working_day(d):
            counted += 1
            if d.weekday() >= 5:
                weekend_work.append(Skipped(d, cal.working_reason(d)))
        else:
            skipped.append(Skipped(d, cal.non_working_reason(d)))
    years = _provisional_years(start, d, cal)
    return Deadline(
        start=start,
        rule=rule,
        working_days=n,
        natural_days=None,
        due=d,
        skipped=tuple(skipped),
        provisional=bool(years),
        provisional_years=years,
        workdays_on_weekend=tuple(weekend_work),
    )


def add_natural_days(start: date, n: int, cal: WorkCalendar, rule: str = "") -> Deadline:
    """Due date of an "n日内 / 不少于n日" period: ``start + n`` days, start not counted.

    If that day is not a working day the period ends on the next working day.
    民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日;
    in practice 法定休假日 includes weekends, so any non-working day moves the end.
    """
    if n < 0:
        raise ValueError(f"天数不能为负数：{n}")
    due = start + timedelta(days=n)
    skipped: list[Skipped] = []
    while not cal.is_working_day(due):
        skipped.append(Skipped(due, cal.non_working_reason(due)))
        due += _ONE_DAY
    years = _provisional_years(start, due, cal)
    return Deadline(
        start=start,
        rule=rule,
        working_days=None,
        natural_days=n,
        due=due,
        skipped=tuple(skipped),
        provisional=bool(years),
        provisional_years=years,
    )


def working_days_left(today: date, due: date, cal: WorkCalendar) -> int:
    """Signed working days between ``today`` and ``due``.

    - ``due >= today``: the number of working days after today up to and including
      ``due`` (0 when due is today; 1 when due is the next working day).
    - ``due < today``: minus the number of working days after ``due`` up to and
      including today (-1 on the first working day after due).

    0 can also mean "past due, but no working day has passed since" (due Friday,
    today Saturday); decide overdue by ``today > due``, not by this number.
    """
    if due >= today:
        return _count_working_days(today, due, cal)
    return -_count_working_days(due, today, cal)


# -- Disclosure rules -----------------------------------------------------------------


def publish_deadline(formed_date: date, cal: WorkCalendar) -> Deadline:
    """主动公开: publish within 20 working days of forming or change (条例第二十六条)."""
    return add_working_days(formed_date, PUBLISH_WORKING_DAYS, cal, PUBLISH_RULE)


def publish_status(
    formed_date: date, published_date: date | None, today: date, cal: WorkCalendar
) -> PublishStatus:
    """State of a proactive-disclosure item on ``today``.

    Published: 按时公开 if on or before the due date, else 逾期公开.
    Not published: 已逾期 after the due date; 即将到期 with at most
    DUE_SOON_WORKING_DAYS working days left; otherwise 未到期.
    """
    deadline = publish_deadline(formed_date, cal)
    if published_date is not None:
        state = STATE_ON_TIME if published_date <= deadline.due else STATE_LATE
        return PublishStatus(deadline, None, state, published_date, today)
    left = working_days_left(today, deadline.due, cal)
    if today > deadline.due:
        state = STATE_OVERDUE
    elif left <= DUE_SOON_WORKING_DAYS:
        state = STATE_DUE_SOON
    else:
        state = STATE_NOT_DUE
    return PublishStatus(deadline, left, state, None, today)


def display_period_end(published_date: date, long_term: bool, cal: WorkCalendar) -> Deadline | None:
    """Earliest day a published item may come down: at least 15 days after publication
    (seed item 27). None for 长期公开 content, which has no end date."""
    if long_term:
        return None
    return add_natural_days(published_date, DISPLAY_MIN_NATURAL_DAYS, cal, DISPLAY_RULE)


# -- Helpers --------------------------------------------------------------------------


def _count_working_days(after: date, through: date, cal: WorkCalendar) -> int:
    """Working days in (after, through]."""
    count, d = 0, after
    while d < through:
        d += _ONE_DAY
        count += cal.is_working_day(d)
    return count


def _provisional_years(start: date, due: date, cal: WorkCalendar) -> tuple[int, ...]:
    """Years of the counted days (start+1 .. due) without an official schedule."""
    if due <= start:
        return ()
    first = (start + _ONE_DAY).year
    return tuple(y for y in range(first, due.year + 1) if not cal.is_official(y))


def provisional_note(years: list[int] | tuple[int, ...]) -> str:
    """The 【推算】 line of an explanation whose period reaches a year without a schedule."""
    named = "、".join(f"{y}年" for y in years)
    return (
        f"【推算】{named}尚无国务院放假安排（工作日历中也未录入），本期限按法定节假日推算，"
        "该年放假安排公布后请在工作日历中录入并核对。"
    )


def _fmt(d: date) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）"


def _fmt_reason(s: Skipped) -> str:
    label = weekday_label(s.date)
    text = f"{s.date.isoformat()}（{label}）"
    return text if s.reason in ("", label) else f"{text}{s.reason}"


def display_term(published_date: date | None, long_term: bool, end_date: date | None,
                 cal: WorkCalendar) -> str:
    """What the registry shows for 持续公开 (seed item 27): 长期公开, the end date, or
    the earliest day the item may come down."""
    if long_term:
        return "长期公开"
    if end_date:
        return end_date.isoformat()
    if published_date:
        return f"至少到 {display_period_end(published_date, False, cal).due.isoformat()}"
    return ""

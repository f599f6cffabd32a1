"""申请答复期限 (the legal clock of a disclosure application). Pure; no Qt, no SQL.

Rules (RULES.md §1 and §3 "The clock"; 《政府信息公开条例》第三十至三十四条):
- the answer is due 20 working days after receipt (条例第三十三条), the start day not
  counted (民法典第二百零一条);
- after a supplement (补正) the count runs from the day the supplement arrives; the
  office must send the supplement notice within 7 working days of receipt (条例第三十条);
- consultation of a third party or another agency is not counted (条例第三十二条、第三十四条):
  a pause runs from the day the request is sent through the day the reply arrives, both
  included, or, without a reply, through the last day of the 15-working-day reply period;
  the deadline moves later by the working days of the pause;
- an approved extension adds at most 20 working days (条例第三十三条).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .calendar import WorkCalendar, weekday_label
from .deadlines import (
    DUE_SOON_WORKING_DAYS,
    STATE_DUE_SOON,
    STATE_OVERDUE,
    Deadline,
    Skipped,
    add_working_days,
    provisional_note,
    working_days_left,
)
from .errors import ValidationError

# 条例第三十三条: 自收到申请之日起20个工作日内予以答复.
ANSWER_WORKING_DAYS = 20
# 条例第三十三条: 延长的期限最长不得超过20个工作日.
EXTENSION_MAX = 20
# 条例第三十条: 自收到申请之日起7个工作日内一次性告知申请人作出补正.
SUPPLEMENT_NOTICE_WORKING_DAYS = 7
# 条例第三十二条（第三方）、第三十四条（其他机关）: 自收到征求意见书之日起15个工作日内提出意见.
CONSULTATION_REPLY_WORKING_DAYS = 15

PAUSE_KINDS = ("第三方", "其他机关")

STATE_IN_PROGRESS = "办理中"
STATE_PAUSED = "征求意见中（暂停计时）"
STATE_EXTENDED = "已延期"
STATE_AWAITING_SUPPLEMENT = "待补正"
STATE_ANSWERED_ON_TIME = "按时答复"
STATE_ANSWERED_LATE = "逾期答复"

# Pause status labels.
PAUSE_REPLIED = "已答复"
PAUSE_SILENT = "逾期未答复"
PAUSE_OPEN = "征求意见中"

_ONE_DAY = timedelta(days=1)
_RULE = (
    f"依申请公开答复期限：自收到申请之日起{ANSWER_WORKING_DAYS}个工作日（条例第三十三条），"
    "征求意见期间不计算在内（条例第三十二条、第三十四条）"
)


# -- Input ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """征求意见: one request for comments. ``start`` is the day it was sent; ``reply``
    the day the reply arrived (None: no reply yet, or none ever came)."""

    kind: str  # one of PAUSE_KINDS
    start: date
    reply: date | None = None
    reply_working_days: int = CONSULTATION_REPLY_WORKING_DAYS


@dataclass(frozen=True)
class ClockInput:
    received: date  # 收到申请之日（条例第三十一条）
    supplement_requested: date | None = None  # 补正告知发出之日
    supplement_received: date | None = None  # 收到补正材料之日
    pauses: tuple[Pause, ...] = ()
    extension_days: int = 0  # 延期工作日，0..EXTENSION_MAX


# -- Result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PauseCount:
    """How one pause was counted.

    ``end`` is the last paused day: the reply day, or the last day of the reply period
    when there is no reply. ``working_days`` are its working days that stopped the
    clock (only days after the clock start and before the deadline; a day shared with
    another pause is credited to both here but counted once in the total).
    """

    pause: Pause
    reply_period_end: date
    end: date
    status: str  # PAUSE_REPLIED / PAUSE_SILENT / PAUSE_OPEN
    working_days: int
    note: str = ""

    @property
    def late_reply(self) -> bool:
        return self.pause.reply is not None and self.pause.reply > self.reply_period_end

    def to_json(self) -> dict:
        p = self.pause
        return {
            "kind": p.kind,
            "start": p.start.isoformat(),
            "reply": p.reply.isoformat() if p.reply else None,
            "reply_period_end": self.reply_period_end.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status,
            "working_days": self.working_days,
            "note": self.note,
        }


@dataclass(frozen=True)
class AnswerClock:
    """The computed answer deadline of one application, with everything to explain it.

    ``deadline`` is the plain count "start + (20 + paused + extension) working days";
    ``due``, ``skipped``, ``provisional`` and ``provisional_years`` come from it.
    While a supplement is awaited (requested, not yet received) no answer clock runs:
    ``awaiting_supplement`` is True, ``due`` is what the deadline would be without the
    supplement, ``days_left`` is None and ``state`` says 待补正.
    """

    received: date
    start: date
    start_reason: str
    supplement_requested: date | None
    supplement_received: date | None
    supplement_notice_due: date
    base_due: date
    pauses: tuple[PauseCount, ...]
    paused_working_days: int
    overlap_working_days: int
    extension_days: int
    deadline: Deadline
    notice_provisional_years: tuple[int, ...] = ()
    cal: WorkCalendar | None = field(default=None, repr=False, compare=False)

    # -- derived ---------------------------------------------------------------

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        return self.deadline.skipped

    @property
    def total_working_days(self) -> int:
        return ANSWER_WORKING_DAYS + self.paused_working_days + self.extension_days

    @property
    def provisional_years(self) -> tuple[int, ...]:
        return tuple(
            sorted(set(self.deadline.provisional_years) | set(self.notice_provisional_years))
        )

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def awaiting_supplement(self) -> bool:
        return self.supplement_requested is not None and self.supplement_received is None

    @property
    def supplement_notice_late(self) -> bool:
        return (
            self.supplement_requested is not None
            and self.supplement_requested > self.supplement_notice_due
        )

    def days_left(self, today: date) -> int | None:
        """Signed working days from ``today`` to ``due`` (see deadlines.working_days_left);
        None while a supplement is awaited."""
        if self.awaiting_supplement:
            return None
        return working_days_left(today, self.due, self._cal())

    def state(self, today: date, answered: date | None = None) -> str:
        """Chinese state label on ``today``; ``answered`` is the answer date, if any."""
        if answered is not None:
            if answered < self.received:
                raise ValidationError(
                    f"答复日期 {answered.isoformat()} 早于收到申请日期 {self.received.isoformat()}，请核对。"
                )
            if self.awaiting_supplement or answered <= self.due:
                return STATE_ANSWERED_ON_TIME
            return STATE_ANSWERED_LATE
        if self.awaiting_supplement:
            return STATE_AWAITING_SUPPLEMENT
        if any(p.working_days and p.pause.start <= today <= p.end for p in self.pauses):
            return STATE_PAUSED
        if today > self.due:
            return STATE_OVERDUE
        if working_days_left(today, self.due, self._cal()) <= DUE_SOON_WORKING_DAYS:
            return STATE_DUE_SOON
        return STATE_EXTENDED if self.extension_days else STATE_IN_PROGRESS

    def explain(self) -> str:
        """Multi-line Chinese 期限说明: start and why, restart, pauses, extension,
        skipped days, due date, 推算 flag."""
        lines = [f"收到申请：{_day(self.received)}（条例第三十一条）"]
        notice = f"补正告知期限：收到申请之日起{SUPPLEMENT_NOTICE_WORKING_DAYS}个工作日内，即 {_day(self.supplement_notice_due)}前（条例第三十条）"
        if self.supplement_notice_late:
            notice += f"；补正告知于 {_day(self.supplement_requested)}发出，已超过该期限"
        lines.append(notice)
        if self.supplement_requested is not None:
            lines.append(f"补正告知：{_day(self.supplement_requested)}发出")
            if self.awaiting_supplement:
                lines.append(
                    "尚未收到补正材料：答复期限暂不计算，收到补正材料后自收到之日起重新计算"
                    f"{ANSWER_WORKING_DAYS}个工作日（条例第三十条）。以下为未补正时的期限，仅供参考。"
                )
            else:
                lines.append(
                    f"收到补正：{_day(self.supplement_received)}，答复期限自该日重新起算（条例第三十条）"
                )
        lines.append(
            f"起算日：{_day(self.start)}（{self.start_reason}），当日不计入（民法典第二百零一条）"
        )
        lines.append(
            f"法定期限：{ANSWER_WORKING_DAYS}个工作日，至 {_day(self.base_due)}（条例第三十三条）"
        )
        if self.pauses:
            lines.append(
                "征求意见（期间不计算在答复期限内，条例第三十二条、第三十四条；发出日与答复日均计入暂停）："
            )
            lines.extend(f"  {i}. {_pause_line(p)}" for i, p in enumerate(self.pauses, 1))
            if self.overlap_working_days:
                lines.append(
                    f"  以上征求意见期间有重叠，重叠的{self.overlap_working_days}个工作日只计一次。"
                )
            lines.append(f"暂停合计：{self.paused_working_days}个工作日")
        if self.extension_days:
            lines.append(
                f"延期：{self.extension_days}个工作日（条例第三十三条：经政府信息公开工作机构负责人同意并告知申请人，"
                f"最长{EXTENSION_MAX}个工作日）"
            )
        lines.append(
            f"计算：{ANSWER_WORKING_DAYS} + 暂停{self.paused_working_days} + 延期{self.extension_days}"
            f" = {self.total_working_days}个工作日，自起算日次日起数满{self.total_working_days}个工作日"
        )
        if self.skipped:
            lines.append(f"跳过的非工作日（共{len(self.skipped)}天）：")
            lines.extend(f"  {_day_reason(s)}" for s in self.skipped)
        else:
            lines.append("期间内没有非工作日。")
        if self.deadline.workdays_on_weekend:
            lines.append("计为工作日的周末：")
            lines.extend(f"  {_day_reason(s)}" for s in self.deadline.workdays_on_weekend)
        lines.append(f"答复期限：{_day(self.due)}" + ("（推算）" if self.provisional else ""))
        if self.provisional:
            lines.append(provisional_note(self.provisional_years))
        return "\n".join(lines)

    def to_json(self) -> dict:
        """Plain dict with ISO dates (for --json and exports)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "received": iso(self.received),
            "start": iso(self.start),
            "start_reason": self.start_reason,
            "supplement_requested": iso(self.supplement_requested),
            "supplement_received": iso(self.supplement_received),
            "supplement_notice_due": iso(self.supplement_notice_due),
            "awaiting_supplement": self.awaiting_supplement,
            "base_working_days": ANSWER_WORKING_DAYS,
            "base_due": iso(self.base_due),
            "pauses": [p.to_json() for p in self.pauses],
            "paused_working_days": self.paused_working_days,
            "overlap_working_days": self.overlap_working_days,
            "extension_days": self.extension_days,
            "total_working_days": self.total_working_days,
            "due": iso(self.due),
            "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in self.skipped],
            "provisional": self.provisional,
            "provisional_years": list(self.provisional_years),
        }

    def _cal(self) -> WorkCalendar:
        return self.cal if self.cal is not None else WorkCalendar()


# -- Computation ----------------------------------------------------------------------


def answer_clock(inp: ClockInput, cal: WorkCalendar, today: date | None = None) -> AnswerClock:
    """Compute the answer deadline of ``inp`` (see the module docstring).

    ``today`` only decides whether a pause without a reply is still open (its reply
    period not yet over); it defaults to the system date.
    """
    _validate(inp)
    today = today or date.today()
    restarted = inp.supplement_received is not None
    start = inp.supplement_received if restarted else inp.received
    start_reason = (
        "收到补正材料之日，条例第三十条"
        if restarted
        else "收到申请之日，条例第三十一条、第三十三条"
    )

    windows = [(p, _reply_period_end(p, cal)) for p in inp.pauses]
    ends = [p.reply or period_end for p, period_end in windows]

    # Walk forward from the day after start. A working day inside any pause window stops
    # the clock; overlapping pauses share the day, so it is counted once (RULES §3).
    # Days up to the start day are outside the period, so a pause sent before the
    # restart (or on the start day) counts only from the day after start.
    need = ANSWER_WORKING_DAYS + inp.extension_days
    credit = [0] * len(windows)
    paused = shared = counted = 0
    d = start
    while counted < need:
        d += _ONE_DAY
        if not cal.is_working_day(d):
            continue
        covering = [i for i, (p, _e) in enumerate(windows) if p.start <= d <= ends[i]]
        if covering:
            paused += 1
            shared += len(covering) - 1
            for i in covering:
                credit[i] += 1
        else:
            counted += 1

    deadline = add_working_days(start, need + paused, cal, _RULE)
    assert deadline.due == d, (deadline.due, d)  # same count, two ways
    notice = add_working_days(inp.received, SUPPLEMENT_NOTICE_WORKING_DAYS, cal)

    counts = []
    for i, (p, period_end) in enumerate(windows):
        if p.reply is not None:
            status = PAUSE_REPLIED
        elif today <= period_end:
            status = PAUSE_OPEN
        else:
            status = PAUSE_SILENT
        note = _pause_note(p, ends[i], start, deadline.due, credit[i])
        counts.append(PauseCount(p, period_end, ends[i], status, credit[i], note))

    return AnswerClock(
        received=inp.received,
        start=start,
        start_reason=start_reason,
        supplement_requested=inp.supplement_requested,
        supplement_received=inp.supplement_received,
        supplement_notice_due=notice.due,
        base_due=add_working_days(start, ANSWER_WORKING_DAYS, cal).due,
        pauses=tuple(counts),
        paused_working_days=paused,
        overlap_working_days=shared,
        extension_days=inp.extension_days,
        deadline=deadline,
        notice_provisional_years=notice.provisional_years,
        cal=cal,
    )


def _reply_period_end(p: Pause, cal: WorkCalendar) -> date:
    # 条例第三十二条: 15 working days, the day the request is sent not counted.
    return add_working_days(p.start, p.reply_working_days, cal).due


def _pause_note(p: Pause, end: date, start: date, due: date, credited: int) -> str:
    if end <= start:
        return "在答复期限起算日之前（含当日），不计入"
    if p.start > due:
        return "发出时答复期限已届满，不顺延"
    if p.start <= start:
        return f"起算日 {start.isoformat()}（含）之前的部分不计入"
    if credited == 0:
        return "期间内没有工作日"
    return ""


def _validate(inp: ClockInput) -> None:
    ext = inp.extension_days
    if not isinstance(ext, int) or not 0 <= ext <= EXTENSION_MAX:
        raise ValidationError(
            f"延期工作日为 {ext}，条例第三十三条规定延长期限最长不得超过{EXTENSION_MAX}个工作日，"
            f"请填写 0 到 {EXTENSION_MAX} 之间的整数。"
        )
    if inp.supplement_received is not None and inp.supplement_requested is None:
        raise ValidationError("填写了收到补正日期，但没有补正告知日期，请先填写补正告知日期。")
    _in_order(inp.received, "收到申请日期", inp.supplement_requested, "补正告知日期")
    _in_order(inp.supplement_requested, "补正告知日期", inp.supplement_received, "收到补正日期")
    for i, p in enumerate(inp.pauses, 1):
        label = f"第{i}次征求意见"
        if p.kind not in PAUSE_KINDS:
            raise ValidationError(f"{label}的对象类型“{p.kind}”无效，应为“第三方”或“其他机关”。")
        _in_order(inp.received, "收到申请日期", p.start, f"{label}的发出日期")
        _in_order(p.start, f"{label}的发出日期", p.reply, f"{label}的答复日期")
        if not isinstance(p.reply_working_days, int) or not 1 <= p.reply_working_days <= 60:
            raise ValidationError(
                f"{label}的答复期限为 {p.reply_working_days} 个工作日，应为 1 到 60 之间的整数"
                f"（条例规定为{CONSULTATION_REPLY_WORKING_DAYS}个工作日）。"
            )


def _in_order(
    earlier: date | None, earlier_label: str, later: date | None, later_label: str
) -> None:
    if earlier is not None and later is not None and later < earlier:
        raise ValidationError(
            f"{later_label} {later.isoformat()} 早于{earlier_label} {earlier.isoformat()}，请核对后重新填写。"
        )


def _day(d: date) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）"


def _day_reason(s: Skipped) -> str:
    # "周六（清明节假期）" after "（周六）" would repeat the weekday.
    reason = s.reason.removeprefix(weekday_label(s.date))
    return _day(s.date) + reason


def _pause_line(p: PauseCount) -> str:
    head = f"{p.pause.kind}：{_day(p.pause.start)}发出"
    if p.status == PAUSE_REPLIED:
        body = f"，{_day(p.end)}收到答复"
        if p.late_reply:
            body += f"（晚于{p.pause.reply_working_days}个工作日的征求意见期限 {p.reply_period_end.isoformat()}）"
    elif p.status == PAUSE_SILENT:
        consequence = (
            "视为同意公开，条例第三十四条"
            if p.pause.kind == "其他机关"
            else "由本机关依法决定是否公开，条例第三十二条"
        )
        body = (
            f"，{p.pause.reply_working_days}个工作日内未答复（{consequence}），"
            f"暂停计至期限届满日 {_day(p.end)}"
        )
    else:
        body = (
            f"，尚未答复（征求意见进行中），暂计至征求意见期限届满日 {_day(p.end)}，"
            "收到答复后按实际答复日重算"
        )
    tail = f"，暂停{p.working_days}个工作日"
    if p.note:
        tail += f"（{p.note}）"
    return head + body + tail

"""申请答复期限 (RULES.md §1, §3 "The clock"). Expected dates are counted by hand from the
2026 State Council holiday notice; the working days are listed in each comment.

2026 days that matter here: 清明 Apr 4 (Sat)–6 (Mon) off; 劳动节 May 1 (Fri)–5 (Tue) off,
Sat May 9 worked; 春节 Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked; 中秋 Fri Sep 25 off;
国庆 Oct 1–7 off, Sat Oct 10 worked. No holiday in March 2026.
"""

import json
from datetime import date

import pytest

from gongkai_desktop.core.application_clock import (
    ClockInput,
    Pause,
    answer_clock,
)
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError

D = date
CAL = WorkCalendar()
LATER = D(2026, 12, 31)  # a "today" after every period below


def clock(received, *, today=LATER, cal=CAL, **kw):
    return answer_clock(ClockInput(received, **kw), cal, today=today)


# -- Plain counts ---------------------------------------------------------------------


def test_plain_twenty_working_days():
    # Received Mon Mar 2. Mar 3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), Mon Mar 30 (20).
    c = clock(D(2026, 3, 2))
    assert c.start == D(2026, 3, 2) and c.base_due == c.due == D(2026, 3, 30)
    assert c.paused_working_days == 0 and c.extension_days == 0 and c.total_working_days == 20
    # Only the 8 weekend days Mar 7/8, 14/15, 21/22, 28/29 are skipped.
    assert [s.date.day for s in c.skipped] == [7, 8, 14, 15, 21, 22, 28, 29]
    assert not c.provisional
    text = c.explain()
    assert "起算日：2026-03-02" in text and "当日不计入" in text
    assert "答复期限：2026-03-30" in text


@pytest.mark.parametrize(
    "received, due",
    [
        # RULES §1 example: Feb 11, 12, 13, Sat Feb 14 (make-up) = 4; Feb 15–23 off;
        # Feb 24–27 = 8, Sat Feb 28 (make-up) = 9; Mar 2–6 = 14, 9–13 = 19, Mar 16 = 20.
        (D(2026, 2, 10), D(2026, 3, 16)),
        # RULES §1 example: Sep 28–30 = 3; Oct 1–7 off; Oct 8, 9 = 5, Sat Oct 10 (make-up) = 6;
        # Oct 12–16 = 11, 19–23 = 16, Oct 26–29 = 20.
        (D(2026, 9, 25), D(2026, 10, 29)),
    ],
)
def test_across_spring_festival_and_national_day(received, due):
    c = clock(received)
    assert c.due == due
    text = c.explain()
    assert due.isoformat() in text
    assert "春节" in text if received.month == 2 else "国庆节" in text
    assert "调休上班" in text  # the worked Saturdays are named


def test_national_day_skipped_days_are_listed_with_reasons():
    c = clock(D(2026, 9, 25))
    skipped = {s.date: s.reason for s in c.skipped}
    # Sep 26/27, Oct 1–7, Oct 11, 17/18, 24/25: 14 days; Sat Oct 10 is worked.
    assert len(skipped) == 14
    assert all(D(2026, 10, d) in skipped for d in range(1, 8))
    assert D(2026, 10, 10) not in skipped
    assert skipped[D(2026, 10, 1)] == "国庆节"


def test_receipt_on_a_weekend_counts_from_the_next_working_day():
    # Received Sat Mar 7: the start day is never counted and Sun Mar 8 is not a working day,
    # so counting begins Mon Mar 9: Mar 9–13 (5), 16–20 (10), 23–27 (15), Mar 30–Apr 3 (20).
    # The same due date as a receipt on Fri Mar 6 — a weekend receipt gains no extra day.
    sat = clock(D(2026, 3, 7))
    assert sat.start == D(2026, 3, 7)  # the receipt day stays the start (art. 31)
    assert sat.due == D(2026, 4, 3)
    assert clock(D(2026, 3, 8)).due == clock(D(2026, 3, 6)).due == D(2026, 4, 3)
    assert sat.skipped[0].date == D(2026, 3, 8)  # the Sunday after, not the Saturday itself


def test_receipt_on_a_holiday_counts_from_the_next_working_day():
    # Fri Sep 25 is 中秋节. Received that day or the Thursday before: counting begins
    # Mon Sep 28 either way (Thu Sep 24 start skips the holiday itself), due Oct 29.
    holiday = clock(D(2026, 9, 25))
    assert holiday.due == clock(D(2026, 9, 24)).due == D(2026, 10, 29)
    assert "中秋节" not in [s.reason for s in holiday.skipped]  # start day is not a skipped day
    assert "中秋节" in [s.reason for s in clock(D(2026, 9, 24)).skipped]


# -- Supplement (补正) ------------------------------------------------------------------


def test_supplement_restarts_the_clock_and_notice_deadline():
    # Received Mon Mar 2; notice due Mar 2 + 7 wd: Mar 3–6 (4), 9, 10, 11 → Wed Mar 11.
    # Supplement arrives Thu Mar 12: Mar 13 (1), 16–20 (6), 23–27 (11), Mar 30–Apr 3 (16),
    # Apr 4–6 清明 off, Apr 7–10 (20) → Fri Apr 10.
    c = clock(D(2026, 3, 2), supplement_requested=D(2026, 3, 5), supplement_received=D(2026, 3, 12))
    assert c.supplement_notice_due == D(2026, 3, 11)
    assert not c.supplement_notice_late
    assert c.start == D(2026, 3, 12) and c.due == D(2026, 4, 10)
    assert [s.reason for s in c.skipped if s.date == D(2026, 4, 5)] == ["清明节"]
    text = c.explain()
    assert "补正告知期限" in text and "2026-03-11" in text
    assert "收到补正：2026-03-12" in text and "重新起算" in text
    assert "起算日：2026-03-12" in text


def test_supplement_notice_is_the_clerks_deadline_even_without_supplement():
    assert clock(D(2026, 3, 2)).supplement_notice_due == D(2026, 3, 11)
    late = clock(
        D(2026, 3, 2), supplement_requested=D(2026, 3, 12), supplement_received=D(2026, 3, 13)
    )
    assert late.supplement_notice_late and "已超过该期限" in late.explain()


def test_awaiting_supplement_is_not_overdue():
    c = clock(D(2026, 3, 2), supplement_requested=D(2026, 3, 5))
    assert c.awaiting_supplement
    assert c.state(D(2026, 5, 1)) == "待补正"  # long after Mar 30, still not 已逾期
    assert c.days_left(D(2026, 5, 1)) is None
    assert "尚未收到补正材料" in c.explain()


# -- Consultation pauses (征求意见) --------------------------------------------------------

# Base for the pause cases: received Mon Mar 23. Working days after it:
# Mar 24–27 (1–4), Mar 30–Apr 3 (5–9), [Apr 4–6 清明], Apr 7–10 (10–13), Apr 13–17 (14–18),
# Apr 20–24 (19–23), Apr 27–30 (24–27), [May 1–5 劳动节], May 6–8 (28–30),
# Sat May 9 make-up (31), May 11–15 (32–36).
R = D(2026, 3, 23)


def test_base_of_the_pause_cases():
    assert clock(R).due == D(2026, 4, 21)  # 20th working day


def test_one_pause_counts_working_days_sent_through_reply_inclusive():
    # Sent Wed Apr 1, reply Wed Apr 8: Apr 1, 2, 3, 7, 8 = 5 working days
    # (Sat Apr 4, Sun Apr 5 and 清明补假 Mon Apr 6 are not). Due = 25th working day = Tue Apr 28.
    c = clock(R, pauses=(Pause("第三方", D(2026, 4, 1), D(2026, 4, 8)),))
    (p,) = c.pauses
    assert p.working_days == 5 and p.end == D(2026, 4, 8) and p.status == "已答复"
    assert c.paused_working_days == 5
    assert c.base_due == D(2026, 4, 21) and c.due == D(2026, 4, 28)
    text = c.explain()
    assert "2026-04-01（周三）发出" in text and "2026-04-08（周三）收到答复" in text
    assert "暂停5个工作日" in text and "暂停合计：5个工作日" in text
    assert c.state(D(2026, 4, 7)) == "征求意见中（暂停计时）"


def test_two_pauses_add_up():
    # 5 (Apr 1–8) + Mon Apr 20..Wed Apr 22 = 3 → 28th working day: Wed May 6, across 劳动节.
    c = clock(
        R,
        pauses=(
            Pause("第三方", D(2026, 4, 1), D(2026, 4, 8)),
            Pause("其他机关", D(2026, 4, 20), D(2026, 4, 22)),
        ),
    )
    assert [p.working_days for p in c.pauses] == [5, 3]
    assert c.paused_working_days == 8 and c.overlap_working_days == 0
    assert c.due == D(2026, 5, 6)
    assert "劳动节" in [s.reason for s in c.skipped if s.date == D(2026, 5, 1)]


def test_overlapping_pauses_count_each_working_day_once():
    # A: Apr 1–8 → 1, 2, 3, 7, 8 (5). B: Apr 7–10 → 7, 8, 9, 10 (4).
    # Union: 1, 2, 3, 7, 8, 9, 10 = 7 (Apr 7 and 8 shared). 27th working day: Thu Apr 30.
    c = clock(
        R,
        pauses=(
            Pause("第三方", D(2026, 4, 1), D(2026, 4, 8)),
            Pause("第三方", D(2026, 4, 7), D(2026, 4, 10)),
        ),
    )
    assert [p.working_days for p in c.pauses] == [5, 4]
    assert c.paused_working_days == 7 and c.overlap_working_days == 2
    assert c.due == D(2026, 4, 30)
    assert "重叠的2个工作日只计一次" in c.explain()


@pytest.mark.parametrize("kind, consequence", [("第三方", "依法决定"), ("其他机关", "视为同意")])
def test_silent_party_pauses_until_its_reply_period_ends(kind, consequence):
    # Sent Wed Apr 1, no reply. 15 wd after Apr 1: Apr 2, 3 (2), 7–10 (6), 13–17 (11),
    # 20–23 (15) → Thu Apr 23. Pause Apr 1..23 = 1 + 15 = 16 working days.
    # Due = 36th working day = Fri May 15.
    c = clock(R, pauses=(Pause(kind, D(2026, 4, 1)),), today=D(2026, 5, 1))
    (p,) = c.pauses
    assert p.reply_period_end == p.end == D(2026, 4, 23)
    assert p.status == "逾期未答复" and p.working_days == 16
    assert c.due == D(2026, 5, 15)
    assert consequence in c.explain()


def test_open_pause_counts_to_its_period_end_and_says_so():
    c = clock(R, pauses=(Pause("第三方", D(2026, 4, 1)),), today=D(2026, 4, 10))
    (p,) = c.pauses
    assert p.status == "征求意见中" and p.end == D(2026, 4, 23) and c.due == D(2026, 5, 15)
    assert "进行中" in c.explain()
    assert c.state(D(2026, 4, 10)) == "征求意见中（暂停计时）"
    # The reply comes early (Mon Apr 13: Apr 1, 2, 3, 7–10, 13 = 8 wd) → 28th wd, Wed May 6.
    replied = clock(R, pauses=(Pause("第三方", D(2026, 4, 1), D(2026, 4, 13)),))
    assert replied.paused_working_days == 8 and replied.due == D(2026, 5, 6)


def test_pause_before_the_restart_does_not_count():
    # Consulted Mar 6–10 while the supplement was awaited; the clock restarts on Mar 12.
    c = clock(
        D(2026, 3, 2),
        supplement_requested=D(2026, 3, 5),
        supplement_received=D(2026, 3, 12),
        pauses=(Pause("第三方", D(2026, 3, 6), D(2026, 3, 10)),),
    )
    assert c.pauses[0].working_days == 0 and c.due == D(2026, 4, 10)
    assert "不计入" in c.explain()


def test_pause_sent_on_the_start_day_counts_from_the_next_day():
    # The start day (Mon Mar 23) is outside the 20-day period; only Mar 24, 25 are paused.
    c = clock(R, pauses=(Pause("第三方", R, D(2026, 3, 25)),))
    assert c.paused_working_days == 2 and c.due == D(2026, 4, 23)  # 22nd working day


def test_pause_sent_after_the_deadline_does_not_revive_it():
    c = clock(R, pauses=(Pause("第三方", D(2026, 4, 22), D(2026, 4, 24)),))
    assert c.paused_working_days == 0 and c.due == D(2026, 4, 21)
    assert "已届满" in c.explain()


# -- Extension (延期) -------------------------------------------------------------------


def test_extension_of_twenty_working_days():
    # Received Mar 2: 20th wd Mar 30; Mar 31–Apr 3 (24), Apr 7–10 (28), 13–17 (33),
    # 20–24 (38), Apr 27, 28 (40) → Tue Apr 28.
    c = clock(D(2026, 3, 2), extension_days=20)
    assert c.base_due == D(2026, 3, 30) and c.due == D(2026, 4, 28)
    assert "延期：20个工作日" in c.explain()
    # Past the base date but inside the extension: shown as extended, not overdue.
    assert c.state(D(2026, 4, 1)) == "已延期"


@pytest.mark.parametrize("days", [21, -1])
def test_extension_beyond_twenty_is_refused(days):
    with pytest.raises(ValidationError, match="20"):
        clock(D(2026, 3, 2), extension_days=days)


# -- Everything together --------------------------------------------------------------


def test_all_combined():
    # Received Mon Mar 2, notice Mar 5 (due Mar 11: on time), supplement Thu Mar 12 → start.
    # A pause Mar 6–10 before the restart: 0. 第三方 Apr 1–8: 5. 其他机关 Apr 20–22: 3.
    # Extension 10. Total 20 + 8 + 10 = 38 wd after Mar 12: Mar 13 (1), 16–20 (6),
    # 23–27 (11), Mar 30–Apr 3 (16), Apr 7–10 (20), 13–17 (25), 20–24 (30), 27–30 (34),
    # [May 1–5 off], May 6–8 (37), Sat May 9 make-up (38) → due Sat 2026-05-09.
    c = clock(
        D(2026, 3, 2),
        supplement_requested=D(2026, 3, 5),
        supplement_received=D(2026, 3, 12),
        pauses=(
            Pause("第三方", D(2026, 3, 6), D(2026, 3, 10)),
            Pause("第三方", D(2026, 4, 1), D(2026, 4, 8)),
            Pause("其他机关", D(2026, 4, 20), D(2026, 4, 22)),
        ),
        extension_days=10,
    )
    assert c.start == D(2026, 3, 12) and c.base_due == D(2026, 4, 10)
    assert [p.working_days for p in c.pauses] == [0, 5, 3]
    assert c.paused_working_days == 8 and c.total_working_days == 38
    assert c.due == D(2026, 5, 9)
    text = c.explain()
    for fragment in (
        "重新起算",
        "暂停合计：8个工作日",
        "延期：10个工作日",
        "20 + 暂停8 + 延期10 = 38",
        "2026-05-09（周六）调休上班",
        "答复期限：2026-05-09（周六）",
    ):
        assert fragment in text
    data = json.loads(json.dumps(c.to_json(), ensure_ascii=False))
    assert data["due"] == "2026-05-09" and data["start"] == "2026-03-12"
    assert data["paused_working_days"] == 8 and data["extension_days"] == 10
    assert [p["working_days"] for p in data["pauses"]] == [0, 5, 3]
    assert data["supplement_notice_due"] == "2026-03-11" and data["provisional"] is False


# -- 推算 (provisional) years -------------------------------------------------------------


def test_year_without_official_schedule_is_provisional():
    # 2027 has no State Council notice yet. Received Mon 2027-03-01: Mar 2–5 (4), 8–12 (9),
    # 15–19 (14), 22–26 (19), Mon Mar 29 (20).
    c = clock(D(2027, 3, 1))
    assert c.due == D(2027, 3, 29)
    assert c.provisional and c.provisional_years == (2027,)
    assert "【推算】2027年" in c.explain() and "（推算）" in c.explain()
    assert c.to_json()["provisional"] is True


def test_crossing_into_an_unofficial_year_is_provisional_and_clerk_entries_fix_it():
    assert clock(D(2026, 12, 15)).provisional_years == (2027,)
    assert not clock(D(2026, 3, 2)).provisional
    entered = WorkCalendar({D(2027, 1, 4): (False, "元旦调休")})
    c = clock(D(2026, 12, 15), cal=entered)
    assert not c.provisional
    assert "元旦调休" in " ".join(s.reason for s in c.skipped)


# -- State labels and working days left ---------------------------------------------------


def test_states_and_days_left():
    c = clock(D(2026, 3, 2))  # due Mon Mar 30
    assert c.state(D(2026, 3, 10)) == "办理中"
    assert c.days_left(D(2026, 3, 24)) == 4 and c.state(D(2026, 3, 24)) == "办理中"
    # Mar 26, 27, 30 left = 3 → due soon.
    assert c.days_left(D(2026, 3, 25)) == 3 and c.state(D(2026, 3, 25)) == "即将到期"
    assert c.days_left(D(2026, 4, 1)) == -2 and c.state(D(2026, 4, 1)) == "已逾期"
    assert c.state(D(2026, 4, 1), answered=D(2026, 3, 30)) == "按时答复"
    assert c.state(D(2026, 4, 1), answered=D(2026, 3, 31)) == "逾期答复"


# -- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, fragment",
    [
        ({"supplement_received": D(2026, 3, 12)}, "没有补正告知日期"),
        ({"supplement_requested": D(2026, 3, 1)}, "补正告知日期 2026-03-01 早于收到申请日期"),
        (
            {"supplement_requested": D(2026, 3, 5), "supplement_received": D(2026, 3, 4)},
            "收到补正日期 2026-03-04 早于补正告知日期",
        ),
        ({"pauses": (Pause("第三方", D(2026, 2, 27)),)}, "发出日期 2026-02-27 早于收到申请日期"),
        ({"pauses": (Pause("第三方", D(2026, 3, 10), D(2026, 3, 9)),)}, "答复日期 2026-03-09 早于"),
        ({"pauses": (Pause("申请人", D(2026, 3, 10)),)}, "应为“第三方”或“其他机关”"),
        ({"pauses": (Pause("第三方", D(2026, 3, 10), reply_working_days=0),)}, "1 到 60"),
    ],
)
def test_bad_input_is_refused_in_chinese(kw, fragment):
    with pytest.raises(ValidationError) as e:
        clock(D(2026, 3, 2), **kw)
    assert fragment in str(e.value)


def test_answer_before_receipt_is_refused():
    with pytest.raises(ValidationError, match="早于收到申请日期"):
        clock(D(2026, 3, 2)).state(D(2026, 3, 3), answered=D(2026, 3, 1))

"""工作台 · 年度要求 (this year's requirements), each green/amber/red with its reason.

Every status is taken from the module that already decides it for the banners and
tabs (meetings, inspections, annual_report, organisation, unit_records,
rectifications); this module only maps their states to three colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from . import annual_report, inspections, meetings, organisation, rectifications, unit_records
from . import complaint_rules as rules

GREEN, AMBER, RED = "green", "amber", "red"
GREY = "grey"  # nothing in this ledger to judge by (e.g. last year was kept elsewhere)
STATUS_LABELS = {GREEN: "已落实", AMBER: "待办", RED: "未落实", GREY: "无记录"}

# Tab names the workbench links to (ui/main_window.py opens them); "tab/section".
TAB_ORGANISATION = "机构与会议/机构成员"
TAB_MEETINGS = "机构与会议/会议"
TAB_CARD = "机构与会议/公开工作机构信息"
TAB_BUDGET = "机构与会议/经费"
TAB_SUPERVISION = "监督检查/半年重点检查"
TAB_RECTIFICATIONS = "监督检查/整改事项"
TAB_ANNUAL_REPORT = "年度报告"


@dataclass(frozen=True)
class Requirement:
    key: str
    title: str
    status: str  # GREEN / AMBER / RED / GREY
    reason: str  # Chinese: why this colour, and what to do
    link: str  # the tab (and section) that fixes it


def requirements(db: sqlite_utils.Database, year: int, today: date) -> list[Requirement]:
    """*year*'s requirements as of *today* (seed 三(一)–三(六); 考核表 items cited)."""
    return [
        _meetings(db, year, today),
        *_key_inspections(db, year, today),
        _annual_report(db, year, today),
        _contact_card(db),
        _budget(db, year, today),
        _rectifications(db, today),
        _organisation(db, year, today),
    ]


def _meetings(db, year: int, today: date) -> Requirement:
    """Seed 三(一)2: at least two leading-group special meetings a year."""
    s = meetings.special_meeting_status(db, year, today)
    status = GREEN if s.count >= s.target else (RED if s.state == meetings.FAIL else AMBER)
    title = f"领导小组专题会议（{s.count}/{s.target}次）"
    return Requirement("meetings", title, status, s.message, TAB_MEETINGS)


def _key_inspections(db, year: int, today: date) -> list[Requirement]:
    """考核表第30项: one key inspection by the supervisory group each half-year."""
    out = []
    for s in inspections.half_year_checks(db, year, today):
        status = {rules.CHECKED: GREEN, rules.MISSED: RED}.get(s.state, AMBER)
        out.append(
            Requirement(f"key_inspection_{s.half}", f"{s.label}重点检查", status, s.explain(),
                        TAB_SUPERVISION)
        )  # fmt: skip
    return out


def _annual_report(db, year: int, today: date) -> Requirement:
    """条例第四十九条: last year's report is published by its deadline in *year*."""
    s = annual_report.deadline_status(db, min(today, date(year, 12, 31)))
    title = f"{s.year}年度报告（{s.due.month}月{s.due.day}日前发布）"
    if s.state == "ok":
        status = AMBER if s.late else GREEN
        return Requirement("annual_report", title, status, s.message, TAB_ANNUAL_REPORT)
    if s.state == "none":
        reason = (f"本台账没有{s.year}年的记录，无法判断{s.year}年度报告是否已发布；"
                  "如已在其他地方发布，可忽略本行。")  # fmt: skip
        return Requirement("annual_report", title, GREY, reason, TAB_ANNUAL_REPORT)
    status = RED if s.state == "fail" else AMBER
    return Requirement("annual_report", title, status, s.message, TAB_ANNUAL_REPORT)


def _contact_card(db) -> Requirement:
    """Seed 三(一)5, 考核表第3项: the working body's contact details are published."""
    title = "公开工作机构联系方式"
    card = unit_records.published_card(db)
    if card:
        reason = f"已于{card['published_date']}公开：{card['name'] or '工作机构'}，电话{card['phone'] or '（未填）'}。"
        return Requirement("contact_card", title, GREEN, reason, TAB_CARD)
    if unit_records.current_card(db):
        reason = "联系方式已填写但尚未登记公开。请在“机构与会议 → 公开工作机构信息”中公开后登记公开日期（考核表第3项）。"
        return Requirement("contact_card", title, AMBER, reason, TAB_CARD)
    reason = (
        "尚未填写工作机构的地址、办公时间、电话、传真和电子邮箱（实施方案三（一）5；考核表第3项）。"
    )
    return Requirement("contact_card", title, RED, reason, TAB_CARD)


def _budget(db, year: int, today: date) -> Requirement:
    """考核表第38项: disclosure funding is in the year's budget."""
    title = f"{year}年政务公开工作经费"
    b = unit_records.budget(db, year)
    if b:
        note = f"（{b['note']}）" if b.get("note") else ""
        reason = f"已登记{year}年预算经费{b['amount']:g}万元{note}。"
        return Requirement("budget", title, GREEN, reason, TAB_BUDGET)
    reason = f"尚未登记{year}年政务公开工作经费。工作经费应列入年度预算（考核表第38项），请在“机构与会议 → 经费”中登记。"
    status = RED if today > date(year, 12, 31) else AMBER
    return Requirement("budget", title, status, reason, TAB_BUDGET)


def _rectifications(db, today: date) -> Requirement:
    """Open rectifications, overdue ones red (考核表第30–33项 整改落实)."""
    n, late = rectifications.open_counts(db, today)
    title = f"未完成整改（{n}项）"
    if not n:
        return Requirement(
            "rectifications", title, GREEN, "没有未完成的整改事项。", TAB_RECTIFICATIONS
        )
    if late:
        reason = f"有{n}项整改未完成，其中{late}项已超过整改期限。请督促责任人落实并登记完成日期。"
        return Requirement("rectifications", title, RED, reason, TAB_RECTIFICATIONS)
    reason = f"有{n}项整改正在进行，均未超过整改期限。"
    return Requirement("rectifications", title, AMBER, reason, TAB_RECTIFICATIONS)


def _organisation(db, year: int, today: date) -> Requirement:
    """考核表第1、2项 and seed 三(一)4, as organisation.checks decides them."""
    day = min(today, date(year, 12, 31))
    failed = [c for c in organisation.checks(db, day) if not c.ok]
    title = "领导小组、监督小组和工作机构"
    if not failed:
        return Requirement("organisation", title, GREEN, "领导小组、监督小组和兼职工作人员均已落实。",
                           TAB_ORGANISATION)  # fmt: skip
    reason = "\n".join(c.message for c in failed)
    return Requirement("organisation", title, RED, reason, TAB_ORGANISATION)

"""Suggested self-assessment scores (自评打分建议) from the records (issue 6 §2).

Pure reads. ``suggest(db, year, template)`` returns one Suggestion per item of the table
(the seed's 福建省政务公开评估考核表 numbering). Scoring rule of thumb, per item below:
full marks when the records show the item fully met, proportional marks (rounded down to
0.5) or half marks when partly met, 0 when not met; ``score`` None when the records cannot
answer, with a reason saying what the clerk must check. Items 28–45 are in
core/assessment_suggest_process.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlite_utils

from . import catalog, organisation, profile, unit_records
from .calendar import WorkCalendar
from .deadlines import STATE_ON_TIME, display_period_end, publish_status

WEBSITE = "门户网站"  # seed item 23
FORMS_FOR_FULL = 3  # item 22: at least 3 of the listed forms for full marks (documented choice)
LIST_LIMIT = 10  # late items etc. named in a reason before “等”


@dataclass(frozen=True)
class Suggestion:
    no: int
    score: float | None
    reason: str
    evidence: list[tuple[str, int, str]] = field(default_factory=list)  # (table, id, title)


@dataclass
class Context:
    """What every rule needs: the db, the year, today, the template's maxima."""

    db: sqlite_utils.Database
    year: int
    today: date
    maxima: dict[int, float]
    cal: WorkCalendar
    _items: list[dict] | None = None

    @property
    def day(self) -> date:
        """The day organisation records are read on: 31 December, or today in the year."""
        return min(self.today, date(self.year, 12, 31))

    def published_items(self) -> list[dict]:
        """Items published in the year (公开日期 in the year), with channels as a list."""
        if self._items is None:
            cols = ("id", "index_no", "title", "category", "channels", "formed_date",
                    "published_date", "long_term", "end_date", "stage", "major_decision")  # fmt: skip
            rows = self.db.execute(
                f"SELECT {', '.join(cols)} FROM items WHERE published_date >= ? AND"
                " published_date < ? ORDER BY published_date, id",
                [f"{self.year:04d}-01-01", f"{self.year + 1:04d}-01-01"],
            ).fetchall()
            self._items = [dict(zip(cols, r, strict=True)) for r in rows]
            for r in self._items:
                r["channels"] = json.loads(r["channels"] or "[]")
        return self._items


# -- helpers ---------------------------------------------------------------------------------


def _maxima(template: Any) -> dict[int, float]:
    items = template["items"] if isinstance(template, dict) else template.items
    out = {}
    for it in items:
        no, mx = (it["no"], it["max"]) if isinstance(it, dict) else (it.no, it.max)
        out[int(no)] = float(mx)
    return out


def part(mx: float, done: int, total: int) -> float:
    """Proportional marks, rounded down to 0.5 (full only when all are met)."""
    if total <= 0:
        return 0.0
    return math.floor(mx * done / total * 2) / 2


def pct(done: int, total: int) -> str:
    return f"{done / total * 100:.1f}%" if total else "—"


def fmt(score: float) -> str:
    return f"{score:g}"


def names(rows: list[dict], label) -> str:
    """“甲；乙；…等 N 条” for a reason."""
    shown = "；".join(label(r) for r in rows[:LIST_LIMIT])
    return shown + (f"；等共 {len(rows)} 条" if len(rows) > LIST_LIMIT else "")


def _ev(table: str, rows: list[dict], title_key: str = "title") -> list[tuple[str, int, str]]:
    return [(table, r["id"], str(r.get(title_key) or "")) for r in rows]


# -- 组织机构与职责 (items 1–4) ---------------------------------------------------------------


def item1(c: Context) -> Suggestion:
    """Full: the leading group has the principal as 组长 and a working body exists; one of
    the two: half; neither: 0 (organisation.checks)."""
    mx = c.maxima[1]
    head = organisation.checks(c.db, c.day)[0]
    body = organisation.members_on(c.db, c.day, "工作机构")
    parts = [head.message]
    parts.append(f"工作机构现有{len(body)}名成员。" if body else "尚未登记政务公开工作机构成员。")
    met = int(head.ok) + int(bool(body))
    score = mx if met == 2 else (mx / 2 if met else 0.0)
    ev = _ev("memberships", organisation.members_on(c.db, c.day, "领导小组") + body, "name")
    return Suggestion(1, score, f"截至 {c.day}：" + "".join(parts), ev)


def item2(c: Context) -> Suggestion:
    """Full when a supervisory group is on record, else 0."""
    chk = organisation.checks(c.db, c.day)[1]
    ev = _ev("memberships", organisation.members_on(c.db, c.day, "监督小组"), "name")
    return Suggestion(2, c.maxima[2] if chk.ok else 0.0, f"截至 {c.day}：{chk.message}", ev)


def item3(c: Context) -> Suggestion:
    """Full when the working body's contact card was published by the day; else 0."""
    card = unit_records.published_card(c.db)
    if card is None or card["published_date"] > c.day.isoformat():
        return Suggestion(3, 0.0, "工作机构信息（名称、负责人、地址、办公时间、电话、传真、"
                                  "电子邮箱）尚未登记公开。请在“组织机构”中填写并公开。")  # fmt: skip
    missing = unit_records.missing_for_publication(card)
    mx = c.maxima[3]
    n = len(unit_records.REQUIRED_TO_PUBLISH)
    score = part(mx, n - len(missing), n)
    reason = (
        f"工作机构信息已于 {card['published_date']} 公开（{card['name']}，电话 {card['phone']}）"
    )
    reason += f"，缺少：{'、'.join(missing)}。" if missing else f"，{n} 项内容齐全。"
    return Suggestion(3, score, reason, [("contact_cards", card["id"], unit_records.CARD_TITLE)])


def item4(c: Context) -> Suggestion:
    """Full when the rules register has a rule in force; else 0."""
    rules = unit_records.list_rules(c.db, "现行有效")
    if not rules:
        return Suggestion(
            4, 0.0, "规章制度登记为空（没有现行有效的制度）。请在“组织机构→规章制度”中登记。"
        )
    return Suggestion(
        4,
        c.maxima[4],
        f"现行有效的规章制度 {len(rules)} 项：" + names(rules, lambda r: f"《{r['title']}》"),
        _ev("rules_register", rules),
    )


# -- 公开内容 (items 5–21) --------------------------------------------------------------------


def content_items(c: Context) -> list[Suggestion]:
    """Items 5–21: full when an item of the category (categories.seed_item) was published
    in the year, else 0."""
    out = []
    pub = c.published_items()
    for cat in catalog.categories(c.db):
        no = cat.seed_item
        if no is None or no not in c.maxima or not 5 <= no <= 21:
            continue
        rows = [r for r in pub if r["category"] == cat.code]
        if rows:
            reason = f"本年公开“{cat.name}”类（{cat.code}）信息 {len(rows)} 条：" + names(
                rows, lambda r: f"{r['title']}（{r['published_date']}）"
            )
            out.append(Suggestion(no, c.maxima[no], reason, _ev("items", rows)))
        else:
            out.append(Suggestion(no, 0.0, f"本年没有公开“{cat.name}”类（{cat.code}）信息。"
                                           "如确有公开而未登记，请补登。"))  # fmt: skip
    return out


# -- 公开形式 (items 22–24) -------------------------------------------------------------------


def item22(c: Context) -> Suggestion:
    """Forms other than the website used by items published in the year: at least
    FORMS_FOR_FULL for full marks, 1–2 half, none 0."""
    counts: dict[str, int] = {}
    for r in c.published_items():
        for ch in r["channels"]:
            if ch != WEBSITE:
                counts[ch] = counts.get(ch, 0) + 1
    mx = c.maxima[22]
    if not counts:
        return Suggestion(
            22, 0.0, "本年公开的信息没有使用门户网站以外的公开形式（公报、公开栏、宣传资料等）。"
        )
    score = mx if len(counts) >= FORMS_FOR_FULL else mx / 2
    used = "、".join(f"{k} {v} 条" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    reason = f"本年使用门户网站以外的公开形式 {len(counts)} 种：{used}"
    if len(counts) < FORMS_FOR_FULL:
        reason += f"（少于 {FORMS_FOR_FULL} 种，建议得一半分）"
    return Suggestion(22, score, reason + "。")


def item23(c: Context) -> Suggestion:
    """Full when items published in the year went out on the 门户网站; else 0."""
    pub = c.published_items()
    web = [r for r in pub if WEBSITE in r["channels"]]
    site = (profile.load(c.db) or profile.UnitProfile()).online_channel
    tail = f"单位网址：{site}。" if site else "单位资料中未填写网上渠道（网址）。"
    if not web:
        return Suggestion(23, 0.0, f"本年公开 {len(pub)} 条，没有通过门户网站公开的。{tail}")
    return Suggestion(23, c.maxima[23], f"本年公开 {len(pub)} 条，其中通过门户网站公开 {len(web)} 条"
                      f"（{pct(len(web), len(pub))}）。{tail}", _ev("items", web[:LIST_LIMIT]))  # fmt: skip


def item24(c: Context) -> Suggestion:
    """The profile's 咨询/投诉/举报 phones and opinion box: all four full, some half, none 0."""
    p = profile.load(c.db) or profile.UnitProfile()
    fields_ = {"咨询电话": p.consult_phone, "投诉电话": p.complaint_phone,
               "举报电话": p.report_phone, "意见箱": p.opinion_box}  # fmt: skip
    have = [f"{k} {v}" for k, v in fields_.items() if v.strip()]
    miss = [k for k, v in fields_.items() if not v.strip()]
    mx = c.maxima[24]
    score = mx if not miss else (mx / 2 if have else 0.0)
    reason = ("已公布：" + "；".join(have) + "。") if have else ""
    if miss:
        reason += "单位资料中未填写：" + "、".join(miss) + "。请在“单位资料”中补填并公布。"
    return Suggestion(24, score, reason)


# -- 公开时间 (items 25–27) -------------------------------------------------------------------


def item25(c: Context) -> Suggestion:
    """Major decisions formed or published in the year: proportional to those with all of
    决策前/中/后 recorded; none recorded: None (the clerk confirms there were none)."""
    from . import items as repo

    rows = c.db.execute(
        "SELECT id, title FROM items WHERE major_decision = 1 AND (year = ? OR"
        " (published_date >= ? AND published_date < ?)) ORDER BY id",
        [c.year, f"{c.year:04d}-01-01", f"{c.year + 1:04d}-01-01"],
    ).fetchall()
    if not rows:
        return Suggestion(25, None, "本年没有登记重大决策事项。如本年确无重大决策，请人工确认后打分；"
                                    "如有，请在公开事项中勾选“重大决策”并登记决策前、中、后的公开情况。")  # fmt: skip
    full, gaps, opinions = [], [], 0
    for item_id, title in rows:
        stages = repo.decision_stages(c.db, item_id)
        have = {s["stage"] for s in stages}
        opinions += sum(1 for s in stages if s["opinions"].strip())
        missing = [s for s in repo.DECISION_STAGES if s not in have]
        (gaps.append(f"{title}（缺{'、'.join(missing)}）") if missing else full.append(title))
    mx = c.maxima[25]
    reason = f"本年重大决策 {len(rows)} 项，决策前、中、后均有公开记录的 {len(full)} 项"
    reason += f"，听取意见记录 {opinions} 条"
    reason += ("；不完整：" + "；".join(gaps) + "。") if gaps else "。"
    ev = [("items", i, t) for i, t in rows]
    return Suggestion(25, part(mx, len(full), len(rows)), reason, ev)


def item26(c: Context) -> Suggestion:
    """Share of items published within 20 working days (条例第二十六条), counting items
    formed in the year still unpublished past their deadline as late; proportional."""
    late: list[dict] = []
    on_time = 0
    pub = c.published_items()
    for r in pub:
        st = publish_status(date.fromisoformat(r["formed_date"]),
                            date.fromisoformat(r["published_date"]), c.today, c.cal)  # fmt: skip
        if st.state == STATE_ON_TIME:
            on_time += 1
        else:
            late.append(r | {"due": st.deadline.due.isoformat()})
    overdue = []
    cols = ("id", "title", "formed_date", "publish_due")
    for row in c.db.execute(
        f"SELECT {', '.join(cols)} FROM items WHERE year = ? AND published_date IS NULL"
        " AND publish_due < ? ORDER BY formed_date, id", [c.year, c.today.isoformat()]):  # fmt: skip
        overdue.append(dict(zip(cols, row, strict=True)))
    total = len(pub) + len(overdue)
    if not total:
        return Suggestion(
            26, None, "本年没有已公开或已逾期的公开事项，无法计算按时公开率。请核实登记是否完整。"
        )
    reason = f"本年公开 {len(pub)} 条，按时 {on_time} 条（{pct(on_time, len(pub))}），逾期 {len(late)} 条"
    if late:
        reason += "：" + names(late, lambda r: f"{r['title']}（生成 {r['formed_date']}，届满"
                                              f" {r['due']}，公开 {r['published_date']}）")  # fmt: skip
    if overdue:
        reason += f"；另有 {len(overdue)} 条已过期限尚未公开：" + names(
            overdue, lambda r: f"{r['title']}（届满 {r['publish_due']}）"
        )
    reason += f"。按 {on_time}/{total} 计分。"
    return Suggestion(26, part(c.maxima[26], on_time, total), reason, _ev("items", late + overdue))


def item27(c: Context) -> Suggestion:
    """Items published in the year displayed at least 15 days, or long-term; an item with
    no end date is still displayed. Proportional."""
    pub = c.published_items()
    if not pub:
        return Suggestion(27, None, "本年没有公开的信息，无法核对持续公开时间。")
    short = []
    for r in pub:
        if r["long_term"] or not r["end_date"]:
            continue
        minimum = display_period_end(date.fromisoformat(r["published_date"]), False, c.cal)
        if r["end_date"] < minimum.due.isoformat():
            short.append(r | {"min": minimum.due.isoformat()})
    long_term = sum(1 for r in pub if r["long_term"])
    ok = len(pub) - len(short)
    reason = (f"本年公开 {len(pub)} 条，长期公开 {long_term} 条，持续公开不少于15日的 {ok} 条"
              f"（{pct(ok, len(pub))}）")  # fmt: skip
    if short:
        reason += "；不足15日：" + names(short, lambda r: f"{r['title']}（{r['published_date']} 至"
                                                    f" {r['end_date']}，应至 {r['min']}）")  # fmt: skip
    return Suggestion(27, part(c.maxima[27], ok, len(pub)), reason + "。", _ev("items", short))


# -- entry point -----------------------------------------------------------------------------

TEMPLATE_ID = "fujian"


def suggest(
    db: sqlite_utils.Database, year: int, template: Any, today: date | None = None
) -> dict[int, Suggestion]:
    """One Suggestion per item number of *template* (any object with ``items`` whose
    entries have ``no`` and ``max``, or the template dict). The rules follow the seed's
    Fujian numbering; a table with another ``id`` gets score None for every item."""
    from . import assessment_suggest_process as process

    today = today or date.today()
    maxima = _maxima(template)
    tid = template.get("id") if isinstance(template, dict) else getattr(template, "id", None)
    if tid not in (None, TEMPLATE_ID):
        why = f"评估表“{tid}”尚未配置自动建议规则，请对照记录人工打分。"
        return {no: Suggestion(no, None, why) for no in sorted(maxima)}
    c = Context(db, int(year), today, maxima, WorkCalendar.from_db(db))
    rules = {1: item1, 2: item2, 3: item3, 4: item4, 22: item22, 23: item23, 24: item24,
             25: item25, 26: item26, 27: item27} | process.RULES  # fmt: skip
    found: dict[int, Suggestion] = {s.no: s for s in content_items(c)}
    for no, rule in rules.items():
        if no in maxima:
            found[no] = rule(c, no) if no in process.RULES else rule(c)
    out = {}
    for no in sorted(maxima):
        s = found.get(no) or Suggestion(
            no, None, "记录中没有可以判断这一项的数据，请对照实际工作人工打分。"
        )
        if s.score is not None:
            s = Suggestion(no, min(max(s.score, 0.0), maxima[no]), s.reason, s.evidence)
        out[no] = s
    return out

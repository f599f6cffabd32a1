"""演示数据库 (demo database): a realistic year of a 厦门 personnel bureau's disclosure work.

build_demo() fills a new file through the repository functions the window uses
(items.create, items.record_step, items.add_decision_stage), so every row passes
the same checks and is audited. bulk_items() (core/demo_bulk.py) is only for
benchmarks and load tests.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from . import demo_data as dd
from . import items, profile, work_plan, workflow
from .calendar import WorkCalendar
from .db import connect, transaction
from .deadlines import add_working_days, display_period_end, publish_deadline
from .demo_applications import add_demo_applications
from .demo_archive import add_demo_archive
from .demo_assessment import add_demo_assessment
from .demo_bulk import bulk_items, fill_values, timing_type, workdays
from .demo_organisation import add_demo_organisation
from .demo_supervision import add_demo_supervision
from .errors import UserError
from .workflow import StepInput

__all__ = ["build_demo", "bulk_items", "summary"]

N_ITEMS = 240
N_RETURNED = 8  # returned at 初审/审核, then re-proposed
N_LATE = 8  # published after the 20-working-day deadline (条例第二十六条)
N_OVERDUE = 6  # stuck before 公开 past the deadline
N_MAJOR = 6  # 重大决策 with 决策前/中/后 records (seed item 25)


@dataclass
class _Plan:
    formed: date
    code: str
    flags: str
    data: dict
    office: str
    proposer: str
    fate: str = ""  # "", "late", "stuck", "fresh", "return:初审", "return:审核"
    anchor: bool = False
    major: bool = False
    keep: int | None = None  # forced truncation of the step list
    display_days: int = 15
    decisions: list[tuple[str, date, str, str]] = field(default_factory=list)
    steps: list[StepInput] = field(default_factory=list)

    def kept(self, today: date) -> list[StepInput]:
        out = []
        for s in self.steps[: self.keep]:
            if s.on_date > today:
                break
            out.append(s)
        return out


# -- building the demo ------------------------------------------------------------------


def build_demo(path: Path, today: date | None = None, seed: int = 2026) -> dict:
    """Create a demo database at *path* with the year of *today* filled in.

    Refuses to overwrite an existing non-empty file (UserError). Deterministic for a
    given (today, seed). Returns summary() of the new file.
    """
    today = today or date.today()
    path = Path(path)
    _check_target(path)
    db = None
    try:
        db = connect(path)
        cal = WorkCalendar.from_db(db)
        rng = random.Random(seed)
        plans = _plan_year(rng, cal, today)
        with transaction(db):  # all or nothing
            profile.save(db, dd.PROFILE)
            for p in plans:
                _write(db, p, cal, today)
            add_demo_applications(db, today, seed)
            add_demo_supervision(db, today, seed)
            add_demo_organisation(db, today, seed)
            _publish_last_years_report(db, today)
            add_demo_assessment(db, today, seed)
            add_demo_archive(db, today, seed)
            work_plan.seed_demo_plan(db, today.year, today=today)  # seed 实施步骤
        result = summary(db, today)
    except BaseException:
        if db is not None:
            db.conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    db.conn.close()
    return {"path": str(path), **result}


def _publish_last_years_report(db: sqlite_utils.Database, today: date) -> None:
    """The office published last year's annual report in January (条例第四十九条)."""
    from . import annual_report

    published = date(today.year, 1, 20)
    if today < published:
        return
    year = today.year - 1
    annual_report.save_table2_manual(
        db, year, {"行政许可": 1260, "行政处罚": 37, "行政强制": 0, "行政事业性收费": 0})
    annual_report.save_sections(db, year, annual_report.draft_sections(db, year, today=published))
    annual_report.publish(db, year, published, today=today)


def summary(db: sqlite_utils.Database, today: date) -> dict:
    """Counts a newcomer looks at: items per stage, overdue, late, returned, long-term."""
    one = lambda sql, *p: db.execute(sql, p).fetchone()[0]  # noqa: E731
    stages = dict.fromkeys(workflow.STAGES, 0)
    for stage, n in db.execute("SELECT stage, count(*) FROM items GROUP BY stage"):
        stages[stage] = n
    return {
        "year": today.year,
        "today": today.isoformat(),
        "items": one("SELECT count(*) FROM items"),
        "stages": stages,
        "overdue": one(
            "SELECT count(*) FROM items WHERE published_date IS NULL AND publish_due < ?",
            today.isoformat(),
        ),
        "published_late": one("SELECT count(*) FROM items WHERE published_date > publish_due"),
        "returned": one("SELECT count(*) FROM items WHERE returns > 0"),
        "long_term": one("SELECT count(*) FROM items WHERE long_term = 1"),
        "major_decisions": one("SELECT count(*) FROM items WHERE major_decision = 1"),
        "steps": one("SELECT count(*) FROM item_steps"),
        "audit_rows": one("SELECT count(*) FROM audit"),
        "applications": one("SELECT count(*) FROM applications"),
        "applications_open": one("SELECT count(*) FROM applications WHERE state <> '已办结'"),
        "complaints": one("SELECT count(*) FROM complaints"),
        "complaints_late": one("SELECT count(*) FROM complaints WHERE reply_date > reply_due"),
        "rectifications_open": one("SELECT count(*) FROM rectifications WHERE done_date IS NULL"),
        "rectifications_overdue": one(
            "SELECT count(*) FROM rectifications WHERE done_date IS NULL AND due_date < ?",
            today.isoformat(),
        ),
        "key_inspections": one("SELECT count(*) FROM key_inspections"),
        "members": one(
            "SELECT count(*) FROM memberships WHERE start_date <= ?"
            " AND (end_date IS NULL OR end_date >= ?)", today.isoformat(), today.isoformat(),
        ),
        "special_meetings": one(
            "SELECT count(*) FROM meetings WHERE kind = '专题会议' AND body = '领导小组'"
            " AND on_date >= ?", f"{today.year}-01-01",
        ),
        "archive_pieces": one("SELECT count(*) FROM archive_pieces"),
        "sealed_boxes": one("SELECT count(*) FROM archive_boxes WHERE sealed_at IS NOT NULL"),
        "attachments": one("SELECT count(*) FROM attachment_links"),
        "carried_over": one(
            "SELECT count(*) FROM applications WHERE received_date < ?"
            " AND (closed_date IS NULL OR closed_date >= ?)",
            f"{today.year}-01-01", f"{today.year}-01-01",
        ),
    }


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise UserError(
            f"“{path}”是一个文件夹。请给出演示数据库的文件名，例如“{path / '演示.db'}”。"
        )
    if path.exists() and path.stat().st_size > 0:
        raise UserError(
            f"文件“{path}”已存在，演示数据库不会覆盖它。请换一个文件名，或先把该文件移走。"
        )
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise UserError(f"“{folder}”不是文件夹，无法在其中创建演示数据库。请换一个位置。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"无法创建文件夹“{folder}”：{e.strerror}。请换一个位置。") from e
    if not os.access(folder, os.W_OK):
        raise UserError(f"没有权限在文件夹“{folder}”中创建文件。请换一个有写入权限的位置。")


def _write(db: sqlite_utils.Database, p: _Plan, cal: WorkCalendar, today: date) -> None:
    data = dict(p.data)
    kept = p.kept(today)
    pub = next((s.on_date for s in kept if s.step == "公开"), None)
    if pub and "E" in p.flags:  # 公示 stays up at least 15 days (seed item 27)
        shortest = display_period_end(pub, False, cal).due
        data["end_date"] = max(pub + timedelta(days=p.display_days), shortest)
    item_id = items.create(db, data, cal=cal, today=today)
    for s in kept:
        items.record_step(db, item_id, s, today=today)
    for stage, on, content, opinions in p.decisions:
        on = pub if stage == "决策后" else on
        if on and on <= today:
            items.add_decision_stage(
                db, item_id, stage, on, content, opinions, who=dd.WORKING_BODY[0]
            )


# -- planning the year ------------------------------------------------------------------


def _plan_year(rng: random.Random, cal: WorkCalendar, today: date) -> list[_Plan]:
    days = workdays(date(today.year, 1, 1), today, cal) or [today]
    slots = [
        (_on_or_after(date(today.year, m, d), cal), code, frag)
        for m, d, code, frag in dd.ANCHORS
        if date(today.year, m, d) <= today
    ]
    codes = list(dd.CATEGORIES)  # every category at least once
    codes += rng.choices(
        list(dd.CATEGORIES),
        weights=[c[0] for c in dd.CATEGORIES.values()],
        k=N_ITEMS - len(codes) - len(slots),
    )
    slots += [(rng.choice(days), code, "") for code in codes]
    slots.sort(key=lambda s: s[0])  # stable: the 索引号 serial follows the formed date
    used = {_title(rng, c, f, {}, set(), a)[1] for f, c, a in slots if a}
    counters: dict[str, int] = {}
    doc_n = reg_n = 0
    plans = []
    for f, code, anchor in slots:
        flags, title, keywords = _title(rng, code, f, counters, used, anchor)
        doc_no = ""
        if "G" in flags:
            reg_n += 1
            doc_no = (
                f"{dd.PROFILE.doc_prefix}规〔{f.year}〕{reg_n}号"  # GB/T 9704: no 第, no leading 0
            )
        elif "D" in flags:
            doc_n += rng.randint(1, 4)
            doc_no = f"{dd.PROFILE.doc_prefix}〔{f.year}〕{doc_n}号"
        office = rng.choice(dd.CATEGORIES[code][1])
        data = {
            "title": title,
            "doc_no": doc_no,
            "issuer": dd.PROFILE.unit_name,
            "formed_date": f,
            "category": code,
            "keywords": keywords,
            "long_term": "L" in flags,
            "scope": "特定对象" if "I" in flags else "面向社会",
            "timing_type": timing_type(code, flags),
        }
        proposer = rng.choice(dd.OFFICES[office])
        days_up = rng.choice((15, 20, 30))
        plans.append(
            _Plan(f, code, flags, data, office, proposer, anchor=bool(anchor), display_days=days_up)
        )
    _assign_fates(rng, plans, cal, today)
    for p in plans:
        p.steps = _schedule(rng, p, cal)
    for p in plans:
        if p.fate == "stuck":  # waiting at 初审/审核/公开 long past the deadline
            p.keep = workflow.STEPS.index(rng.choice(("初审", "审核", "审核", "公开")))
    _cover_all_stages(plans, today)
    return plans


def _assign_fates(rng: random.Random, plans: list[_Plan], cal: WorkCalendar, today: date) -> None:
    def pick(pool: list[_Plan], k: int) -> list[_Plan]:
        pool = [p for p in pool if not p.fate and not p.anchor]
        return rng.sample(pool, min(k, len(pool)))

    for i, p in enumerate(pick([p for p in plans if (today - p.formed).days > 30], N_RETURNED)):
        p.fate = "return:" + workflow.RETURNABLE[i % 2]
    for p in pick([p for p in plans if (today - p.formed).days > 60], N_LATE):
        p.fate = "late"
    middle = [
        p
        for p in plans
        if 40 < (today - p.formed).days <= 120 and publish_deadline(p.formed, cal).due < today
    ]
    for p in pick(middle, N_OVERDUE):
        p.fate = "stuck"
    recent = [p for p in plans if (today - p.formed).days <= 14]
    for p in pick(recent, 1):  # returned last week, not yet re-proposed
        p.fate = "return:初审"
        p.keep = 2
    for p in [p for p in plans if not p.fate][-2:]:  # just registered, not yet proposed
        p.fate, p.keep = "fresh", 0
    majors = [p for p in plans if "M" in p.flags and p.fate in ("", "late")]
    chosen = [p for p in majors if p.anchor]
    chosen += rng.sample(
        [p for p in majors if not p.anchor], min(N_MAJOR, len(majors)) - len(chosen)
    )
    for p in chosen:
        p.major = True
        p.data.update(major_decision=True, timing_type="阶段性内容逐段公开")
        a = rng.randint(6, 60)
        texts = {
            s: (c, o.format(a=a, b=rng.randint(1, a // 3 + 1), c=rng.randint(5, 20)))
            for s, c, o in dd.DECISION_TEXT
        }
        before = _on_or_after(p.formed - timedelta(days=rng.randint(35, 60)), cal)
        during = _on_or_after(p.formed - timedelta(days=rng.randint(7, 20)), cal)
        p.decisions = [
            (s, d, *texts[s]) for s, d in (("决策前", before), ("决策中", during), ("决策后", None))
        ]


def _schedule(rng: random.Random, p: _Plan, cal: WorkCalendar) -> list[StepInput]:
    """All seven steps with realistic people and dates; truncated at today later."""
    out: list[StepInput] = []
    r = rng.randint

    def add(
        step: str,
        on: date,
        who: str,
        opinion: str = "",
        result: str = "",
        action: str = workflow.COMPLETE,
        extra: dict | None = None,
    ) -> None:
        out.append(
            StepInput(
                step, action, who, on, opinion, result or workflow.DEFAULT_RESULT[step], extra or {}
            )
        )

    clean = {"secrecy": "不涉密", "exemption": "无", "review_reason": dd.REVIEW_REASON}
    reviewer = dd.HEAD if p.major else rng.choice(dd.LEADERS)
    d = _wd(p.formed, rng.choice((0, 0, 1, 1, 2)), cal)
    add("提出", d, p.proposer, f"{p.office}提出，拟主动公开")
    if p.fate.startswith("return:"):
        at = p.fate.split(":")[1]
        fits = [o for o in dd.RETURN_OPINIONS[at] if not o[2] or set(o[2]) & set(p.flags)]
        opinion, exemption, _ = rng.choice(fits)
        if at == "审核":
            d = _wd(d, r(1, 2), cal)
            add("初审", d, dd.WORKING_BODY[0], "同意报领导小组审核", extra=clean)
            d = _wd(d, r(1, 3), cal)
            add("审核", d, reviewer, opinion, "退回修改", workflow.RETURN)
        else:
            d = _wd(d, r(1, 2), cal)
            add(
                "初审",
                d,
                dd.WORKING_BODY[0],
                opinion,
                "退回修改",
                workflow.RETURN,
                {"secrecy": "不涉密", "exemption": exemption, "review_reason": opinion},
            )
        d = _wd(d, r(2, 6), cal)
        add("提出", d, p.proposer, "已按退回意见修改，重新提出")
    d = _wd(d, r(1, 2), cal)
    add("初审", d, rng.choice(dd.WORKING_BODY), "经保密审查，同意报领导小组审核", extra=clean)
    late = p.fate == "late"
    d = _wd(d, r(22, 30) if late else r(1, 3), cal)
    add("审核", d, reviewer, "经领导小组专题会议审定，同意公开" if late or p.major else "同意公开")
    d = _wd(d, rng.choice((0, 1, 1, 2)), cal)
    channels, url = _channels(rng, p, d)
    add(
        "公开",
        d,
        dd.WEB_EDITOR if url else dd.WORKING_BODY[0],
        "",
        extra={"channels": channels, "url": url},
    )
    d = _on_or_after(d + timedelta(days=r(7, 25)), cal)
    fb = rng.choice(dd.FEEDBACK) if rng.random() < 0.12 else None
    add("反馈", d, rng.choice(dd.SUPERVISORS), fb[0] if fb else "", fb[1] if fb else "无反馈")
    d = _wd(d, r(1, 6), cal)
    add("整改", d, p.proposer if fb else dd.WORKING_BODY[0], "", fb[2] if fb else "无需整改")
    d = _on_or_after(d + timedelta(days=r(10, 40)), cal)
    add("建档", d, dd.ARCHIVIST, "", "已归档")
    return out


def _channels(rng: random.Random, p: _Plan, on: date) -> tuple[list[str], str]:
    """Mostly the portal, plus boards, media and the gazette (seed 三(三)1, item 22)."""
    if "I" in p.flags:
        return ["固定公开栏", "全体人员会议"], ""
    if not p.major and rng.random() < 0.05:
        return ["固定公开栏", "宣传资料"], ""
    ch = ["门户网站"]
    extra = [
        ("公报", "G" in p.flags and rng.random() < 0.5),
        ("新闻发布会", p.major),
        ("新闻媒体", p.major or (p.code in ("03", "11") and rng.random() < 0.25)),
        ("固定公开栏", rng.random() < 0.2),
        ("电子触摸屏", p.code == "09" and rng.random() < 0.3),
        ("内部刊物", p.code == "02" and rng.random() < 0.15),
    ]
    ch += [name for name, yes in extra if yes]
    section = dd.CATEGORIES[p.code][2]
    url = f"{dd.SITE}/{section}/{on:%Y%m}/t{on:%Y%m%d}_{rng.randint(100000, 999999)}.htm"
    return ch, url


def _cover_all_stages(plans: list[_Plan], today: date) -> None:
    """Make sure the year shows an item waiting at every step (most recent candidates)."""
    present = {_stage_after(p.kept(today)) for p in plans}
    for target in workflow.STEPS:
        if target in present:
            continue
        i = workflow.STEPS.index(target)
        for p in reversed(plans):
            if not p.fate and not p.major and len(p.kept(today)) > i:
                p.keep = i
                break


def _stage_after(steps: list[StepInput]) -> str:
    stage, prev = "提出", None
    for s in steps:
        stage = workflow.advance(stage, prev, "", s, s.on_date).new_stage
        prev = s.on_date
    return stage


def _title(
    rng: random.Random,
    code: str,
    formed: date,
    counters: dict[str, int],
    used: set[str],
    anchor: str = "",
) -> tuple[str, str, str]:
    tpls = [t.split("|") for t in dd.TEMPLATES[code]]
    if anchor:  # its title was reserved in *used* beforehand
        flags, text, keywords = next(t for t in tpls if anchor in t[1])
        return flags, text.format(**fill_values(formed)), keywords
    batched = [t for t in tpls if "{n}" in t[1]]
    for attempt in range(60):
        flags, text, keywords = rng.choice(tpls) if attempt < 30 else rng.choice(batched)
        months = next((m for frag, m in dd.SEASONS.items() if frag in text), None)
        if attempt < 50 and months and formed.month not in months:
            continue
        n = counters.get(text, 0) + 1
        title = text.format(
            **fill_values(formed), n=n, p=rng.choice(dd.PEOPLE), t=rng.choice(dd.TYPHOONS)
        )
        if title not in used:
            counters[text] = n
            used.add(title)
            return flags, title, keywords
        counters[text] = n
    raise AssertionError(f"no unused title left for category {code}")


def _wd(d: date, n: int, cal: WorkCalendar) -> date:
    return _on_or_after(d, cal) if n == 0 else add_working_days(d, n, cal).due


def _on_or_after(d: date, cal: WorkCalendar) -> date:
    while not cal.is_working_day(d):
        d += timedelta(days=1)
    return d

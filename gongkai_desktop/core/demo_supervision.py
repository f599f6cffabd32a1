"""演示投诉与监督 (demo complaints, opinions, inspections and rectifications).

A year of the supervisory group's work at a city personnel bureau, written through the
repositories exactly as the window does: thirty complaints, reports, consultations and
opinions of every kind and source (some answered late, three opinions passed on to the
principal: one answered in time, one late, one pending, and open ones overdue, due soon
and fresh), a fortnightly patrol log, one half-year key inspection (the other half has
none, so the window warns), a self-inspection reported at the 局务会, and rectifications
open, overdue and done. Deterministic for (today, seed).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from . import complaints as C
from . import demo_data as dd
from . import inspections as insp
from . import rectifications as R
from .calendar import WorkCalendar
from .complaint_rules import SOURCES

HANDLERS = dd.WORKING_BODY
SUPERVISORS = dd.SUPERVISORS
PRINCIPAL = dd.HEAD

# (kind, content, fate); fates are handled in _handle
CASES = [
    ("投诉", "门户网站“人事任免”栏目2月份以来未更新，要求按时公开", "rect"),
    ("咨询", "咨询2026年事业单位公开招聘公告在哪个栏目查询", "closed"),
    ("意见建议", "建议网站增加政策解读图解，方便群众理解", "opinion_ok"),
    ("举报", "反映某区人社所未按规定公示就业困难人员认定名单", "closed"),
    ("投诉", "依申请公开申请提交后超过二十个工作日未收到答复", "late"),
    ("咨询", "咨询灵活就业人员社保补贴政策文件的公开渠道", "closed"),
    ("意见建议", "建议政务公开栏增加办事指南和流程图", "closed"),
    ("投诉", "政务公开栏张贴的2025年招聘公告已过期仍未撤换", "rect"),
    ("举报", "举报某培训机构冒用我局名义发布虚假补贴政策信息", "closed"),
    ("咨询", "咨询如何申请公开本人档案转递记录", "closed"),
    ("意见建议", "建议在阅览室提供电子查询终端", "opinion_late"),
    ("投诉", "网站公布的社保经办机构咨询电话无人接听", "late"),
    ("咨询", "咨询技能提升补贴申领条件的政策依据", "closed"),
    ("意见建议", "建议招聘公告同步在微信公众号发布", "closed"),
    ("投诉", "阅览室工作日下午无人值守，无法查阅公开目录", "rect"),
    ("举报", "反映某街道劳动保障站公示的公益性岗位人员名单与实际不符", "late"),
    ("咨询", "咨询政府信息公开年度报告的查阅方式", "closed"),
    ("意见建议", "建议依申请公开答复书写明救济途径和期限", "closed"),
    ("投诉", "网站“财政预决算”栏目附件无法下载", "closed"),
    ("咨询", "咨询失业保险稳岗返还名单公示时间", "closed"),
    ("意见建议", "建议按月公开就业补助资金发放进度", "closed"),
    ("投诉", "政府信息公开指南中的受理地址与实际不符", "rect"),
    ("举报", "匿名反映本局网站发布的招聘结果公示期不足7天", "closed"),
    ("咨询", "咨询人才引进补贴名单公示期限", "closed"),
    ("投诉", "电话咨询就业补贴政策时工作人员答复不一致", "closed"),
    ("意见建议", "建议将政务公开意见箱移至一楼办事大厅入口", "opinion_pending"),
    ("举报", "举报某人力资源服务公司借用我局公开信息进行虚假宣传", "open_overdue"),
    ("投诉", "网站搜索功能无法检索到已公开的规范性文件", "open_soon"),
    ("意见建议", "建议在门户网站首页设置政务公开意见征集入口", "open_investigating"),
    ("咨询", "咨询2026年高校毕业生就业见习补贴申领材料", "open_fresh"),
]
STILL_OPEN = 14  # the case whose rectification is left open (and overdue)
# received this many days before today (open cases)
OPEN_AGE = {"opinion_pending": 32, "open_overdue": 36, "open_soon": 27,
            "open_investigating": 12, "open_fresh": 2}  # fmt: skip
PEOPLE = ("陈秀英", "林志强", "黄伟明", "吴丽清", "郑国栋", "蔡晓燕", "洪建新", "许雅芳", "杨俊杰")
REPLIES = {
    "咨询": "已告知查询栏目和政策文件名称",
    "投诉": "经调查核实情况属实，已责成相关处室整改并告知处理结果",
    "举报": "经调查核实，已依法处理并书面告知举报人",
    "意见建议": "感谢建议，已研究采纳并答复",
}
TARGETS = {
    "网站栏目": "“政府信息公开”专栏各栏目更新情况、链接和附件",
    "公开栏": "一楼政务公开栏张贴内容及更新日期",
    "阅览室": "政府信息查阅室公开目录、值守和登记情况",
}


class _Plan:
    def __init__(self, cal: WorkCalendar, today: date):
        self.cal, self.today = cal, today

    def wd(self, d: date) -> date:
        """The first working day on or after *d*, never after today."""
        while not self.cal.is_working_day(d) and d < self.today:
            d += timedelta(days=1)
        return min(d, self.today)


def add_demo_supervision(db: sqlite_utils.Database, today: date, seed: int = 2026) -> dict:
    """Add the demo's supervision records; returns their counts."""
    rng = random.Random(seed * 7 + 11)
    cal = WorkCalendar.from_db(db)
    p = _Plan(cal, today)
    # the inspected half: this year's first half once it is over, else last year's
    year = today.year if today >= date(today.year, 7, 1) else today.year - 1
    first = date(year, 1, 5) if year == today.year else today - timedelta(days=300)
    dated = [c for c in CASES if c[2] not in OPEN_AGE]
    step = (today - timedelta(days=75) - first).days / len(dated)
    n = 0
    planned = []
    for k, case in enumerate(CASES):
        if case[2] in OPEN_AGE:
            received = today - timedelta(days=OPEN_AGE[case[2]])
        else:
            received = first + timedelta(days=int(n * step) + rng.randint(0, 4))
            n += 1
        planned.append((p.wd(received), k, case))
    for received, k, (kind, content, fate) in sorted(planned):  # numbers follow receipt
        _complaint(db, p, rng, k, kind, content, fate, received)
    counts = {"complaints": len(CASES)}
    counts["patrols"] = _patrols(db, p, rng, first)
    counts["key_inspections"] = _key_inspection(db, p, year)
    counts["self_inspections"] = _self_inspection(db, p, year)
    return counts


def _complaint(db, p: _Plan, rng, k: int, kind: str, content: str, fate: str, received: date):
    today = p.today
    handler = HANDLERS[k % 2]
    anonymous = kind == "举报" and ("匿名" in content or k % 2 == 0)
    person = "" if anonymous else PEOPLE[k % len(PEOPLE)]
    data = {"kind": kind, "source": SOURCES[k % len(SOURCES)], "person": person,
            "contact": "" if anonymous else f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
            "received_date": received, "content": content, "handler": handler}  # fmt: skip
    cid = C.create(db, data, who=handler, today=today)

    def do(step: str, d: date, **kw) -> date:
        d = p.wd(d)
        C.record_step(db, cid, step, d, kw.pop("who", handler), kw.pop("opinion", ""),
                      today=today, **kw)  # fmt: skip
        return d

    if fate == "open_fresh":
        return
    d = do("受理", received)
    if fate == "open_soon":
        return
    sup = SUPERVISORS[k % 2]
    if fate in ("opinion_ok", "opinion_late", "opinion_pending"):
        fwd = p.wd(received + timedelta(days=2))
        C.forward_to_principal(db, cid, fwd, PRINCIPAL, sup, "监督小组收集的意见建议，请阅示",
                               today=today)  # fmt: skip
        d = fwd
    d = do("调查核实", d + timedelta(days=rng.randint(2, 6)), who=sup, opinion="已调查核实")
    if fate in ("open_overdue", "open_investigating"):
        return
    due = date.fromisoformat(C.get(db, cid)["reply_due"])
    if fate == "late":  # a few days past the 30-day due date
        on = p.wd(due + timedelta(days=rng.randint(2, 9)))
    else:
        on = min(
            p.wd(
                max(
                    d,
                    received
                    + timedelta(days=10 if fate == "opinion_pending" else rng.randint(12, 24)),
                )
            ),
            due,
        )
    d = do("答复", on, reply_method="书面" if kind in ("投诉", "举报") else "电话",
           reply_content=REPLIES[kind])  # fmt: skip
    if fate.startswith("opinion"):
        if fate == "opinion_pending":
            return
        pdue = date.fromisoformat(C.get(db, cid)["principal_due"])
        ans = p.wd(pdue + timedelta(days=6) if fate == "opinion_late" else fwd + timedelta(days=20))
        ans = ans if fate == "opinion_late" else min(ans, pdue)
        rects = [_rect(content.removeprefix("建议"), "办公室 郭雅婷", ans, 30)]
        C.record_principal_answer(db, cid, ans, "同意采纳，由办公室牵头落实", PRINCIPAL,
                                  rectifications=rects, today=today)  # fmt: skip
        _maybe_done(db, p, cid, ans + timedelta(days=25))
        d = max(d, ans)
    elif fate == "rect":
        d = do("整改", d + timedelta(days=1),
               rectifications=[_rect(content, dd.WEB_EDITOR if "网站" in content else "办公室 郭雅婷",
                                     d, 20)])  # fmt: skip
        if k != STILL_OPEN:
            _maybe_done(db, p, cid, d + timedelta(days=15))
    do("办结", d + timedelta(days=rng.randint(1, 3)))


def _rect(problem: str, responsible: str, found: date, days: int) -> dict:
    return {"problem": problem, "responsible": responsible, "measure": "明确专人负责，限期整改并复查",
            "due_date": found + timedelta(days=days)}  # fmt: skip


def _maybe_done(db, p: _Plan, cid: int, done: date, table: str = "complaints") -> None:
    """Complete the record's rectifications on *done* if that day has come."""
    for r in R.for_source(db, table, cid):
        if p.wd(done) < p.today:
            R.complete(db, r["id"], p.wd(done), "整改后的网页截图和复查记录", today=p.today)


def _patrols(db, p: _Plan, rng, first: date) -> int:
    n, d = 0, p.wd(first + timedelta(days=3))
    targets = list(TARGETS)
    while d < p.today:
        target = targets[n % 3]
        finding, rects = "未发现问题", []
        if n % 5 == 4:
            finding = {"网站栏目": "“规划计划”栏目有2个附件链接失效",
                       "公开栏": "公开栏仍张贴已过期的招聘公示",
                       "阅览室": "查阅登记簿本月未登记"}[target]  # fmt: skip
            rects = [
                _rect(finding, dd.WEB_EDITOR if target == "网站栏目" else "办公室 郭雅婷", d, 10)
            ]
        pid = insp.add_patrol(db, d, SUPERVISORS[n % 2], target, TARGETS[target], finding,
                           rectifications=rects, today=p.today)  # fmt: skip
        if rects:
            _maybe_done(db, p, pid, d + timedelta(days=rng.randint(3, 8)), "patrols")
        n += 1
        d = p.wd(d + timedelta(days=14))
    return n


def _key_inspection(db, p: _Plan, year: int) -> int:
    """The first half's key inspection with its report; the second half has none."""
    on = p.wd(date(year, 6, 22))
    rects = [
        _rect("依申请公开答复书未统一载明救济途径", "政策法规处 黄丽娟", on, 28),
        _rect("“人事任免”“财政预决算”栏目更新不及时", dd.WEB_EDITOR, on, 70),
    ]
    kid = insp.add_key_inspection(
        db, on, f"{SUPERVISORS[0]}（监督小组组长）、{SUPERVISORS[1]}",
        f"{year}年上半年主动公开、依申请公开、投诉与意见办理、公开栏和查阅室",
        "1. 主动公开总体及时，个别栏目更新滞后；\n2. 依申请公开均在法定期限内答复，"
        "部分答复书未载明救济途径；\n3. 投诉与意见均已登记办理，个别答复超过30日。",
        "上半年政务公开工作总体规范，发现问题2项，已明确责任人和整改期限。",
        who=SUPERVISORS[0], rectifications=rects, today=p.today,
    )  # fmt: skip
    first = R.for_source(db, "key_inspections", kid)[0]
    done = p.wd(on + timedelta(days=20))
    if done < p.today:  # the second one stays open: overdue once its due date passes
        R.complete(db, first["id"], done, "统一修订后的答复书模板", today=p.today)
    return 1


def _self_inspection(db, p: _Plan, year: int) -> int:
    on = p.wd(date(year, 6, 10))
    meeting = p.wd(on + timedelta(days=5))
    insp.add_self_inspection(
        db, on, "对照考核表逐项自查：公开指南未及时更新受理地址；阅览室公开目录未按季度更新。",
        "局务会", meeting,
        rectifications=[_rect("政府信息公开指南受理地址未更新", "办公室 郭雅婷", on, 20),
                        _rect("阅览室公开目录未按季度更新", "办公室 郭雅婷", on, 200)],
        who=HANDLERS[0], today=p.today,
    )  # fmt: skip
    sid = db.execute("SELECT max(id) FROM self_inspections").fetchone()[0]
    first = R.for_source(db, "self_inspections", sid)[0]
    if p.wd(on + timedelta(days=15)) < p.today:
        R.complete(
            db, first["id"], p.wd(on + timedelta(days=15)), "更新后的公开指南", today=p.today
        )
    return 1

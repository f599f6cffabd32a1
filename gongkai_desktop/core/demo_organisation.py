"""演示机构与会议 (demo organisation): the bureau's three disclosure bodies, their meetings,
the contact card, rules, budgets, a recognition, and last December's applications.

Written through the repositories exactly as the window does. The bodies were set up two
years ago; one leading-group member (the 政策法规处 head) changed since. Last year the
leading group held only one special meeting (so that year fails the 2-a-year check);
this year it holds two. Applications received last December, several still open on
1 January, give the annual report's table 3 a 上年结转 row. Deterministic for (today, seed).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils

from . import applications as A
from . import demo_data as dd
from . import meetings as M
from . import organisation as O
from . import unit_records as U
from .calendar import WorkCalendar
from .deadlines import add_working_days

MAIL = "xmhrss.example.cn"  # not a real domain: the demo must never mail anyone
WORKING_BODY_HEAD = ("黄晓峰", "办公室主任")
OLD_LAW_HEAD, NEW_LAW_HEAD = ("李国华", "政策法规处处长"), ("黄丽娟", "政策法规处处长")

# (body, name, post, role, principal, mail user)
MEMBERS = [
    ("领导小组", dd.HEAD, "局长", "组长", True, "wanghaitao"),
    ("领导小组", dd.LEADERS[0], "副局长", "副组长", False, "chenjianguo"),
    ("领导小组", dd.LEADERS[1], "副局长", "副组长", False, "sumh"),
    ("领导小组", *WORKING_BODY_HEAD, "成员", False, "huangxf"),
    ("领导小组", *OLD_LAW_HEAD, "成员", False, "ligh"),
    ("领导小组", "王建华", "规划财务处处长", "成员", False, "wangjh"),
    ("领导小组", dd.WEB_EDITOR, "信息中心主任", "成员", False, "xiejp"),
    ("领导小组", dd.WORKING_BODY[0], "办公室科员", "联络员", False, "linxh"),
    ("工作机构", *WORKING_BODY_HEAD, "组长", False, "huangxf"),
    ("工作机构", dd.WORKING_BODY[0], "办公室科员", "兼职工作人员", False, "linxh"),
    ("工作机构", dd.WORKING_BODY[1], "办公室档案员", "兼职工作人员", False, "guoyt"),
    ("监督小组", dd.SUPERVISORS[0], "驻局纪检组组长", "组长", False, "huangzw"),
    ("监督小组", dd.SUPERVISORS[1], "驻局纪检组干部", "成员", False, "suwq"),
    ("监督小组", "陈美玲", "机关党委专职副书记", "成员", False, "chenml"),
]

CARD = {
    "name": "厦门市人力资源和社会保障局政务公开办公室（设在局办公室）",
    "head": f"{WORKING_BODY_HEAD[0]}（{WORKING_BODY_HEAD[1]}）",
    "address": "厦门市思明区仙岳路市行政服务中心三楼",
    "hours": "工作日上午8:00—12:00，下午14:30—17:30",
    "phone": "0592-5050100",
    "fax": "0592-5050109",
    "email": f"gkb@{MAIL}",
    "consult_phone": dd.PROFILE.consult_phone,
    "complaint_phone": dd.PROFILE.complaint_phone,
    "opinion_box": dd.PROFILE.opinion_box,
}
SUMMER_HOURS = "工作日上午8:00—12:00，下午15:00—18:00（夏令时）"

RULES = [  # (title, year offset from today's year, month, day, status)
    ("政府信息公开工作制度", -2, 3, 12, "已修订"),
    ("政府信息公开保密审查制度", -2, 3, 12, "现行有效"),
    ("政府信息公开申请办理制度", -2, 4, 8, "现行有效"),
    ("政务公开监督检查和责任追究制度", -2, 4, 8, "现行有效"),
    ("政府信息公开工作制度（修订）", -1, 5, 20, "现行有效"),
    ("政务公开工作考核办法", -1, 5, 20, "现行有效"),
]
FUNDING_NOTE = "政务公开专项经费：网站专栏维护、公开栏和查阅室、档案整理"

# Last December's applications: (applicant type, name, content, working days to the answer
# or None = still open, answer type, result, reason)
DECEMBER = [
    ("自然人", "陈雅琴", "上年度企业退休人员基本养老金调整方案", 6, 1, "予以公开", ""),
    ("商业企业", "厦门鹭岛人力资源服务有限公司", "上年度人力资源服务机构年度报告公示名单",
     9, 2, "予以公开", ""),
    ("自然人", "王志明", "本市上年度工伤保险浮动费率核定办法", 12, 2, "予以公开", ""),
    ("科研机构", "厦门理工学院劳动经济研究所", "近三年全市就业困难人员认定数量分月统计",
     14, 4, "无法提供", "没有现成信息需要另行制作"),
    ("法律服务机构", "福建鹭江律师事务所", "某劳动保障监察案件的调查询问笔录",
     15, 3, "不予公开", "属于行政执法案卷"),
    ("社会公益组织", "厦门市心和社工服务中心", "上年度公益性岗位补贴资金拨付明细",
     13, 2, "予以公开", ""),
    ("自然人", "郑丽华", "本局上年度政务公开工作要点的起草说明和讨论稿",
     11, 3, "不予公开", "属于四类过程性信息"),
]  # fmt: skip
DECEMBER_DAYS = (2, 4, 10, 15, 19, 23, 29)  # received on (or after) these December days


class _Days:
    def __init__(self, cal: WorkCalendar, today: date):
        self.cal, self.today = cal, today

    def on(self, d: date) -> date:
        """The first working day on or after *d*."""
        while not self.cal.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add(self, d: date, n: int) -> date:
        return add_working_days(d, n, self.cal).due


def add_demo_organisation(db: sqlite_utils.Database, today: date, seed: int = 2026) -> dict:
    """Add the demo's bodies, meetings, contact card, rules, budgets, recognition and last
    December's applications; returns their counts."""
    rng = random.Random(seed * 13 + 5)
    wd = _Days(WorkCalendar.from_db(db), today)
    year, last = today.year, today.year - 1
    counts = {"memberships": _bodies(db, wd, year, last)}
    counts |= _meetings(db, wd, year, last)
    counts["contact_cards"] = _card(db, wd, year, last)
    counts["rules"] = _rules(db, wd, year)
    for y, amount in ((last, 8.0), (year, 8.5)):
        U.set_budget(db, y, amount, FUNDING_NOTE, who=dd.WORKING_BODY[0])
    counts["budgets"] = 2
    U.add_recognition(
        db, wd.on(date(last, 4, 15)), "绩效考评名次", "厦门市机关效能建设领导小组办公室",
        f"{last - 1}年度市直机关绩效考评政务公开单项位列第二名", f"厦效能〔{last}〕12号",
        "通报文件扫描件（第3页）", who=dd.WORKING_BODY[0], today=today,
    )  # fmt: skip
    counts["recognitions"] = 1
    counts |= _december(db, wd, rng, last)
    return counts


def _change_day(wd: _Days, year: int, last: int) -> date:
    """This March after the 三定 reshuffle, or last September early in the year."""
    d = wd.on(date(year, 3, 16))
    return d if d <= wd.today - timedelta(days=7) else wd.on(date(last, 9, 1))


def _bodies(db, wd: _Days, year: int, last: int) -> int:
    start = wd.on(date(last - 1, 3, 4))  # 政务公开领导小组 set up two years ago
    ids = {}
    for body, name, post, role, principal, user in MEMBERS:
        ids[(body, name)] = O.add_member(
            db, body, name, post, role, start, is_principal=principal,
            phone=f"0592-50501{len(ids):02d}", email=f"{user}@{MAIL}",
            who=dd.WORKING_BODY[0], today=wd.today,
        )  # fmt: skip
    O.replace_member(
        db, ids[("领导小组", OLD_LAW_HEAD[0])],
        {"name": NEW_LAW_HEAD[0], "post": NEW_LAW_HEAD[1], "phone": "0592-5050131",
         "email": f"huanglj@{MAIL}"},
        _change_day(wd, year, last), who=dd.WORKING_BODY[0], today=wd.today,
    )  # fmt: skip
    return len(MEMBERS) + 1


# (month, day, kind, body, subject, decisions); last year has one special meeting only
_LAST_YEAR = [
    (1, 20, "局务会", "", "部署本年度政务公开工作要点", "印发年度政务公开工作要点，明确责任处室"),
    (3, 18, "专题会议", "领导小组", "研究主动公开目录更新和依申请公开答复规范",
     "更新主动公开目录；统一依申请公开答复书格式"),
    (7, 8, "全体人员大会", "", "政务公开和保密审查业务培训", "各处室指定一名信息员"),
]  # fmt: skip
_THIS_YEAR = [
    (1, 19, "局务会", "", "部署本年度政务公开工作要点", "印发年度政务公开工作要点"),
    (3, 10, "专题会议", "领导小组", "研究年度政务公开工作要点和重点领域信息公开",
     "明确18类主动公开事项责任处室；公开栏每月更新"),
    (6, 16, "局务会", "", "通报上半年政务公开自查情况", "对自查发现问题限期整改"),
    (8, 20, "专题会议", "领导小组", "研究依申请公开办理和上半年重点检查发现的问题",
     "答复书统一载明救济途径；栏目更新纳入处室考核"),
]  # fmt: skip


def _meetings(db, wd: _Days, year: int, last: int) -> dict:
    n = {"meetings": 0, "special_meetings_last_year": 0, "special_meetings_this_year": 0}
    for y, plan in ((last, _LAST_YEAR), (year, _THIS_YEAR)):
        for month, day, kind, body, subject, decisions in plan:
            on = wd.on(date(y, month, day))
            if on > wd.today:
                continue
            people = O.members_on(db, on, body or "领导小组")
            attendees = [p["name"] for p in people]
            if kind == "全体人员大会":
                attendees = "局机关全体干部职工"
            M.add_meeting(
                db, on, kind, body, subject, attendees, decisions,
                f"会议由{people[0]['name']}主持，{subject}，形成议定事项{decisions.count('；') + 1}项。",
                who=dd.WORKING_BODY[0], today=wd.today,
            )  # fmt: skip
            n["meetings"] += 1
            if kind == M.SPECIAL and body == M.COUNTED_BODY:
                n["special_meetings_last_year" if y == last else "special_meetings_this_year"] += 1
    return n


def _card(db, wd: _Days, year: int, last: int) -> int:
    """Published last February; this May's summer hours are a second published version."""
    who = dd.WORKING_BODY[0]
    first = U.save_card(db, CARD, who=who)
    U.publish_card(db, first, wd.on(date(last, 2, 20)), who=who, today=wd.today)
    summer = wd.on(date(year, 5, 8))
    if summer > wd.today:
        return 1
    second = U.save_card(db, CARD | {"hours": SUMMER_HOURS}, who=who)
    U.publish_card(db, second, summer, who=who, today=wd.today)
    return 2


def _rules(db, wd: _Days, year: int) -> int:
    serial = {}
    for title, offset, month, day, status in RULES:
        y = year + offset
        serial[y] = serial.get(y, 0) + 1
        U.add_rule(
            db, title, f"{dd.PROFILE.doc_prefix}办〔{y}〕{serial[y] * 3 + 2}号",
            wd.on(date(y, month, day)), status, f"{title}.pdf", who=dd.WORKING_BODY[0],
            today=wd.today,
        )  # fmt: skip
    return len(RULES)


def _december(db, wd: _Days, rng: random.Random, last: int) -> dict:
    """Last December's applications; those answered after 31 December are 上年结转."""
    today, closed_last_year, carried = wd.today, 0, 0
    for k, (kind, name, content, days, t, result, reason) in enumerate(DECEMBER):
        received = wd.on(date(last, 12, DECEMBER_DAYS[k]))
        person = kind == "自然人"
        data = {
            "applicant_type": kind, "applicant_name": name, "channel": ("当面", "邮寄", "网络")[k % 3],
            "id_type": "居民身份证" if person else "统一社会信用代码",
            "id_number": f"35020319{rng.randint(60, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
                         f"{rng.randint(1000, 9999)}" if person else f"91350200MA{rng.randint(10**7, 10**8 - 1)}",
            "phone": f"13{rng.randint(100000000, 999999999)}",
            "address": f"厦门市湖里区{('嘉禾路', '湖里大道', '兴隆路')[k % 3]}{rng.randint(1, 400)}号",
            "received_date": received, "submitted_date": received - timedelta(days=1) if k % 3 == 2 else None,
            "content": content, "form_wanted": "纸质", "delivery": "邮寄",
        }  # fmt: skip
        clerk = dd.WORKING_BODY[k % 2]
        app_id = A.create(db, data, who=clerk, today=today, cal=wd.cal)
        on = wd.add(received, days)
        if on > today:  # early January: not answered yet
            carried += 1
            continue
        details = {"where_public": "本局门户网站“政府信息公开”专栏"} if t == 1 else {}
        if t == 4:
            details = {"search_desc": "检索了本局业务统计台账，没有按月分区统计的现成信息"}
        A.answer(
            db, app_id, answer_type=t, result=result, reason=reason, answer_date=on,
            delivered_date=on + timedelta(days=2) if on + timedelta(days=2) <= today else None,
            text="" if reason else "现将该信息随本告知书一并提供。", who=clerk, details=details,
            today=today, cal=wd.cal,
        )  # fmt: skip
        if on.year == last:
            closed_last_year += 1
        else:
            carried += 1
    return {"december_applications": len(DECEMBER), "carried_over": carried,
            "closed_in_december": closed_last_year}  # fmt: skip

"""演示申请 (demo applications): about forty 依申请公开 cases of a city personnel bureau.

Every case goes through core/applications.py exactly as the window does, so each row
passes the same rules and is audited. The mix covers every applicant type and channel,
supplements (one never answered), consultations (one silent third party, one agency),
two extensions, a paid and an unpaid fee, every annual-report result with its reasons,
one administrative review and one lawsuit, and open cases: awaiting supplement, in
consultation, extended, due soon, overdue and fresh. Deterministic for (today, seed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import sqlite_utils

from . import applications as A
from . import demo_data as dd
from .calendar import WorkCalendar
from .deadlines import add_working_days

APPROVER = "黄晓峰"  # 办公室主任: head of the disclosure working body (条例第三十三条)
CLERKS = dd.WORKING_BODY

# applicant type → (names, contact kind)
APPLICANTS = {
    "自然人": ("陈秀英", "林志强", "黄伟明", "吴丽清", "郑国栋", "蔡晓燕", "洪建新", "许雅芳", "杨俊杰",
            "庄美华", "张文斌", "叶晓东", "卢婷婷"),
    "商业企业": ("厦门鹭海信息科技有限公司", "厦门嘉禾建筑劳务有限公司", "厦门海湾物流有限公司"),
    "科研机构": ("厦门大学公共政策研究院", "福建省社会科学院人口研究所"),
    "社会公益组织": ("厦门市助残志愿者协会", "厦门市青年就业促进会"),
    "法律服务机构": ("福建明正律师事务所", "厦门思明区法律援助工作站"),
    "其他": ("厦门市软件行业协会", "厦门市湖里区金山街道居民委员会"),
}  # fmt: skip
CHANNELS = ("当面", "邮寄", "平信", "网络", "传真", "电子邮件")

WEB = "本局门户网站“政府信息公开—法定主动公开内容”栏目（http://hrss.xm.gov.cn/xxgk）"
CONTENT = {
    "public1": (
        "2026年厦门市最低工资标准调整通知",
        "2025年度厦门市人力资源和社会保障事业发展统计公报",
        "2026年事业单位公开招聘公告及岗位表",
    ),
    "disclose": (
        "2025年度就业补助资金使用情况",
        "2025年失业保险稳岗返还企业名单",
        "2025年职业技能培训补贴发放汇总表",
        "2026年第一批高层次人才认定结果",
        "本局2025年度部门决算中“三公”经费明细",
        "2025年劳动人事争议仲裁案件数量统计",
    ),
    "refuse": {
        "属于国家秘密": "2026年全市社会保险基金运行风险评估报告（涉密件）",
        "其他法律行政法规禁止公开": "2025年劳动力调查中本人所在企业的原始调查表",
        "危及“三安全一稳定”": "全市欠薪群体性事件应急处置预案的具体部署",
        "属于三类内部事务信息": "本局2025年机关干部考勤和绩效考核细则",
        "属于四类过程性信息": "2026年最低工资标准调整方案的讨论稿和内部研究意见",
        "属于行政执法案卷": "对厦门某建筑公司劳动保障监察案件的全部案卷材料",
        "属于行政查询事项": "本人2010年至2025年的社会保险缴费明细",
    },
}


class _Days:
    """Working-day arithmetic on the demo's calendar."""

    def __init__(self, cal: WorkCalendar):
        self.cal = cal

    def add(self, d: date, n: int) -> date:
        return add_working_days(d, n, self.cal).due

    def back(self, d: date, n: int) -> date:
        """The working day *n* working days before *d* (0: the last working day ≤ d)."""
        while not self.cal.is_working_day(d):
            d -= timedelta(days=1)
        for _ in range(n):
            d -= timedelta(days=1)
            while not self.cal.is_working_day(d):
                d -= timedelta(days=1)
        return d

    def on_or_after(self, d: date) -> date:
        while not self.cal.is_working_day(d):
            d += timedelta(days=1)
        return d


def add_demo_applications(db: sqlite_utils.Database, today: date, seed: int = 2026) -> list[int]:
    """Add the demo's applications through the repository; returns their ids."""
    rng = random.Random(seed * 31 + 3)
    cal = WorkCalendar.from_db(db)
    wd = _Days(cal)
    closed, open_ = _cases()
    last = today - timedelta(days=95)  # closed cases finish before today
    first = date(today.year, 1, 5)
    if (last - first).days < 150:  # early in the year: last year's cases too
        first = last - timedelta(days=270)
    step = (last - first).days / max(1, len(closed))
    dated = [
        (wd.on_or_after(first + timedelta(days=int(i * step) + rng.randint(0, 3))), c)
        for i, c in enumerate(closed)
    ]
    dated += [(f(wd, today), c) for f, c in open_]
    dated.sort(key=lambda x: x[0])
    ids = []
    for k, (received, (fate, kind, content)) in enumerate(dated):
        clerk = CLERKS[k % 2]
        kind = kind or _pick_kind(rng)
        app_id = A.create(
            db,
            _intake(rng, kind, content, received, CHANNELS[k % len(CHANNELS)]),
            who=clerk,
            today=today,
            cal=cal,
        )
        _FATES[fate](db, app_id, received, wd, clerk, today)
        ids.append(app_id)
    return ids


def _pick_kind(rng: random.Random) -> str:
    return rng.choices(list(APPLICANTS), weights=[12, 3, 1, 1, 2, 1])[0]


def _intake(rng: random.Random, kind: str, content: str, received: date, channel: str) -> dict:
    name = rng.choice(APPLICANTS[kind])
    person = kind == "自然人"
    return {
        "applicant_type": kind, "applicant_name": name, "channel": channel,
        "id_type": "居民身份证" if person else "统一社会信用代码",
        "id_number": f"350203{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(1000, 9999)}"
        if person else f"91350200MA{rng.randint(10000000, 99999999)}",
        "phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        "address": f"厦门市思明区{rng.choice(('湖滨南路', '厦禾路', '莲前西路', '嘉禾路'))}{rng.randint(1, 600)}号",
        "email": f"apply{rng.randint(100, 999)}@example.cn" if channel == "电子邮件" else "",
        "submitted_date": received - timedelta(days=1) if channel in ("平信", "网络") else None,
        "received_date": received, "content": content,
        "form_wanted": rng.choice(("纸质", "电子")), "delivery": rng.choice(("邮寄", "电子邮件", "自行领取")),
    }  # fmt: skip


def _cases() -> tuple[list[tuple], list[tuple]]:
    """(closed cases, open cases); a case is (fate, applicant type or None, content)."""
    closed = [("public1", None, c) for c in CONTENT["public1"]]
    closed += [("disclose", None, c) for c in CONTENT["disclose"]]
    closed += [(f"refuse:{r}", None, c) for r, c in CONTENT["refuse"].items()]
    closed += [
        ("partial", "法律服务机构", "厦门某人力资源服务公司的经营许可审批材料"),
        ("refuse_third", "商业企业", "竞争企业申报的2025年技能人才评价机构备案材料"),
        ("silent_third", "科研机构", "2025年享受培训补贴的职业培训机构名单及补贴金额"),
        ("agency", "社会公益组织", "2025年残疾人就业保障金用于就业补贴的情况"),
        ("not_exist", "自然人", "1998年本市国有企业下岗职工安置方案原件"),
        ("not_made", "科研机构", "近十年全市灵活就业人员参保情况的分区县对比分析"),
        ("not_ours", "自然人", "本人2025年医保报销明细"),
        ("unclear", "自然人", "有关补贴的所有文件"),
        ("petition", "自然人", "投诉某公司拖欠本人工资，要求查处"),
        ("repeat", "自然人", "2025年度就业补助资金使用情况"),
        ("publication", "其他", "《厦门人力资源和社会保障年鉴2025》全书"),
        ("bulk", "自然人", "本局2015年以来每一份发文的原件（按件拆分后第15件）"),
        ("confirm", "商业企业", "请确认贵局2025年已提供给本公司的稳岗返还核定表是否真实"),
        ("special_law", "商业企业", "某劳务派遣公司的企业登记档案"),
        ("no_supplement", "自然人", "关于那个政策的文件"),
        ("supplement_ok", "社会公益组织", "去年的那批补贴名单"),
        ("fee_paid", "法律服务机构", "2025年全部工伤认定决定书（约150页，要求纸质复印件）"),
        ("fee_unpaid", "自然人", "2025年全部劳动保障监察责令改正决定书（约60页，要求纸质复印件）"),
        ("extended", "科研机构", "2021—2025年全市高校毕业生就业见习补贴分年度明细"),
    ]
    open_ = [
        (lambda wd, t: wd.back(t, 3), ("open_supplement", "自然人", "社保方面的规定")),
        (lambda wd, t: wd.back(t, 9), ("open_consult", "商业企业", "同行企业申报的2026年稳岗返还金额")),
        (lambda wd, t: wd.back(t, 19), ("open_extended", "科研机构", "2016—2025年全市劳动人事争议案件的案由分类统计")),
        (lambda wd, t: wd.back(t, 18), ("running", "自然人", "2026年第一季度公益性岗位补贴发放名单")),
        (lambda wd, t: wd.back(t, 24), ("running", "其他", "2026年社区就业服务站建设补助资金分配表")),
        (lambda wd, t: wd.back(t, 4), ("running", "自然人", "2026年灵活就业人员社保补贴申领条件")),
        (lambda wd, t: wd.back(t, 0), ("running", "自然人", "2026年技能提升补贴的审核进度")),
    ]  # fmt: skip
    return closed, open_


# -- fates: what happens after intake ------------------------------------------------------

Fate = Callable[[sqlite_utils.Database, int, date, _Days, str, date], None]


def _answer(db, app_id, on, who, today, t, result, reason="", text="", **details):
    A.answer(
        db,
        app_id,
        answer_type=t,
        result=result,
        reason=reason,
        answer_date=on,
        delivered_date=on + timedelta(days=2) if on + timedelta(days=2) <= today else None,
        text=text,
        who=who,
        details=details,
        today=today,
    )


def _public1(db, i, r, wd, who, today):
    _answer(db, i, wd.add(r, 4), who, today, 1, "予以公开", where_public=WEB)


def _disclose(db, i, r, wd, who, today):
    _answer(
        db, i, wd.add(r, 9), who, today, 2, "予以公开", text="现将该信息复印件随本告知书一并提供。"
    )


def _refuse(reason: str) -> Fate:
    def fate(db, i, r, wd, who, today):
        _answer(
            db,
            i,
            wd.add(r, 12),
            who,
            today,
            3,
            "不予公开",
            reason,
            text=f"经审查，所申请信息{reason}。",
        )

    return fate


def _consult(db, i, start, kind, party, reply, outcome, who, today, silent=False):
    p = A.start_consultation(
        db, i, kind, party, start, who, "涉及第三方权益，依法征求意见", today=today
    )
    A.end_consultation(db, p, None if silent else reply, outcome, who, today=today)


def _partial(db, i, r, wd, who, today):
    _consult(
        db,
        i,
        wd.add(r, 3),
        "第三方",
        "厦门众信人力资源服务有限公司",
        wd.add(r, 10),
        "同意公开许可证信息，不同意公开股东身份证件",
        who,
        today,
    )
    _answer(
        db,
        i,
        wd.add(r, 14),
        who,
        today,
        2,
        "部分公开",
        text="随函提供可以公开的部分。",
        withheld_part="股东身份证件复印件",
        withheld_reason="属于个人隐私，第三方不同意公开",
        legal_basis="《中华人民共和国政府信息公开条例》第十五条、第三十七条",
    )


def _refuse_third(db, i, r, wd, who, today):
    _consult(
        db,
        i,
        wd.add(r, 4),
        "第三方",
        "厦门技评通职业技能评价中心",
        wd.add(r, 12),
        "不同意公开，材料含商业秘密",
        who,
        today,
    )
    on = wd.add(r, 16)
    _answer(
        db,
        i,
        on,
        who,
        today,
        3,
        "不予公开",
        "保护第三方合法权益",
        text="所申请材料含第三方商业秘密，第三方不同意公开。",
    )
    closed = wd.add(on, 45)
    A.add_appeal(
        db,
        i,
        "行政复议",
        "",
        wd.add(on, 15),
        "结果维持" if closed <= today else "尚未审结",
        closed if closed <= today else None,
        "厦门市人民政府受理",
        who,
        today=today,
    )


def _silent_third(db, i, r, wd, who, today):
    _consult(
        db, i, wd.add(r, 2), "第三方", "厦门新技职业培训学校", None, "", who, today, silent=True
    )
    _answer(
        db,
        i,
        wd.add(r, 22),
        who,
        today,
        2,
        "予以公开",
        text="第三方逾期未提出意见，本机关经审查决定予以公开。",
    )


def _agency(db, i, r, wd, who, today):
    _consult(
        db, i, wd.add(r, 3), "其他机关", "厦门市残疾人联合会", wd.add(r, 9), "同意公开", who, today
    )
    _answer(db, i, wd.add(r, 13), who, today, 2, "予以公开", text="随函提供。")


def _not_exist(db, i, r, wd, who, today):
    on = wd.add(r, 10)
    _answer(
        db,
        i,
        on,
        who,
        today,
        4,
        "无法提供",
        "本机关不掌握相关政府信息",
        search_desc="检索了本局档案室1995年至2005年文书档案和劳动就业处业务档案",
    )
    A.add_appeal(
        db,
        i,
        "行政诉讼",
        "未经复议直接起诉",
        wd.add(on, 20),
        "尚未审结",
        None,
        "思明区人民法院立案",
        who,
        today=today,
    )


def _simple(t: int, result: str, reason: str, **details) -> Fate:
    def fate(db, i, r, wd, who, today):
        _answer(db, i, wd.add(r, 8), who, today, t, result, reason, **details)

    return fate


def _unclear(db, i, r, wd, who, today):
    A.request_supplement(
        db, i, wd.add(r, 2), "请写明补贴的名称、年份和发文单位", wd.add(r, 12), who, today=today
    )
    got = wd.add(r, 7)
    A.receive_supplement(db, i, got, who, today=today)
    _answer(db, i, wd.add(got, 10), who, today, 4, "无法提供", "补正后申请内容仍不明确")


def _no_supplement(db, i, r, wd, who, today):
    deadline = wd.add(wd.add(r, 3), 15)
    A.request_supplement(
        db, i, wd.add(r, 3), "请写明所称政策的名称、文号或发布时间", deadline, who, today=today
    )
    A.close_without_supplement(db, i, wd.add(deadline, 2), who, "补正期限届满未补正", today=today)


def _supplement_ok(db, i, r, wd, who, today):
    A.request_supplement(
        db, i, wd.add(r, 2), "请写明补贴的种类和所属年度", wd.add(r, 12), who, today=today
    )
    got = wd.add(r, 6)
    A.receive_supplement(db, i, got, who, today=today)
    _answer(
        db, i, wd.add(got, 9), who, today, 2, "予以公开", text="随函提供2025年一次性扩岗补助名单。"
    )


def _fee_paid(db, i, r, wd, who, today):
    A.issue_fee_notice(db, i, "按量", 150, wd.add(r, 5), None, who, today=today)
    paid = wd.add(r, 9)
    A.record_fee_paid(db, i, paid, who, today=today)
    _answer(
        db, i, wd.add(paid, 6), who, today, 2, "予以公开", text="纸质复印件已按申请人要求邮寄。"
    )


def _fee_unpaid(db, i, r, wd, who, today):
    notice = wd.add(r, 5)
    A.issue_fee_notice(db, i, "按量", 60, notice, None, who, today=today)
    A.close_fee_unpaid(db, i, wd.add(wd.add(notice, 20), 1), who, "缴费期限届满未缴费", today=today)


def _extended(db, i, r, wd, who, today):
    on = wd.add(r, 17)
    A.extend(db, i, 15, APPROVER, on, on, who, "需跨年度汇总五年数据", today=today)
    _answer(db, i, wd.add(r, 31), who, today, 2, "予以公开", text="随函提供汇总表。")


def _open_supplement(db, i, r, wd, who, today):
    A.request_supplement(
        db, i, wd.add(r, 2), "请写明所需规定的名称或涉及的社会保险险种", None, who, today=today
    )


def _open_consult(db, i, r, wd, who, today):
    A.start_consultation(
        db, i, "第三方", "厦门海联电子有限公司", wd.add(r, 4), who, "涉及企业经营信息", today=today
    )


def _open_extended(db, i, r, wd, who, today):
    on = wd.back(today, 0)
    A.extend(db, i, 20, APPROVER, on, on, who, "需调取十年档案统计", today=today)


def _running(db, i, r, wd, who, today):
    pass


_FATES: dict[str, Fate] = {
    "public1": _public1, "disclose": _disclose, "partial": _partial, "refuse_third": _refuse_third,
    "silent_third": _silent_third, "agency": _agency, "not_exist": _not_exist,
    "not_made": _simple(3, "无法提供", "没有现成信息需要另行制作"),
    "not_ours": _simple(5, "无法提供", "本机关不掌握相关政府信息", right_office="厦门市医疗保障局",
                        right_office_contact="0592-12345"),
    "unclear": _unclear,
    "petition": _simple(7, "不予处理", "信访举报投诉类申请",
                        special_procedure="请通过劳动保障监察投诉渠道（12333）反映",
                        legal_basis="《中华人民共和国政府信息公开条例》第三十九条"),
    "repeat": _simple(6, "不予处理", "重复申请", previous_answer="本机关已于此前作出答复"),
    "publication": _simple(7, "不予处理", "要求提供公开出版物",
                           special_procedure="可在厦门市图书馆或新华书店获取该出版物",
                           legal_basis="《中华人民共和国政府信息公开条例》第三十九条"),
    "bulk": _simple(6, "不予处理", "无正当理由大量反复申请"),
    "confirm": _simple(6, "不予处理", "要求行政机关确认或重新出具已获取信息"),
    "special_law": _simple(7, "其他处理", "其他", legal_basis="《企业信息公示暂行条例》",
                           special_procedure="请向市场监督管理部门申请查询企业登记档案"),
    "no_supplement": _no_supplement, "supplement_ok": _supplement_ok, "fee_paid": _fee_paid,
    "fee_unpaid": _fee_unpaid, "extended": _extended, "open_supplement": _open_supplement,
    "open_consult": _open_consult, "open_extended": _open_extended, "running": _running,
    **{f"refuse:{r}": _refuse(r) for r in CONTENT["refuse"]},
}  # fmt: skip

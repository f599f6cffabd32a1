"""年度报告第一、五、六部分的草稿 (drafts of the sections the clerk writes).

Each draft states the year's figures from the records, so the clerk starts from facts
and adds what only the office knows: 一、总体情况 (items published and their channels,
applications, meetings held, inspections, complaints and their timeliness, funding);
五、存在的主要问题及改进情况 (late publications and answers, missed meetings and
inspections, open rectifications); 六、其他需要报告的事项 (information processing fees,
国办函〔2020〕109号; recognitions).
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from . import meetings, unit_records
from .annual_tables import CARRIED_IN, CARRIED_OUT, NEW, TOTAL, table3

ON_TIME_RULE = "信息形成或变更之日起20个工作日内"  # 条例第二十六条


def _one(db, sql: str, params: list) -> int:
    return db.execute(sql, params).fetchone()[0] or 0


def figures(db: sqlite_utils.Database, year: int, today: date | None = None) -> dict:
    """The year's figures the drafts state (each a number or a short list). *today*
    decides which half-years have ended (a missing inspection is a problem only then)."""
    a, b = f"{year}-01-01", f"{year}-12-31"
    today = today or date.today()
    f: dict = {"year": year, "year_over": today > date(year, 12, 31)}
    f["halves_ended"] = [h for h, end in ((1, date(year, 6, 30)), (2, date(year, 12, 31)))
                         if today > end]  # fmt: skip
    pub = "published_date BETWEEN ? AND ?"
    f["published"] = _one(db, f"SELECT count(*) FROM items WHERE {pub}", [a, b])
    f["published_late"] = _one(
        db, f"SELECT count(*) FROM items WHERE {pub} AND published_date > publish_due", [a, b]
    )
    f["channels"] = db.execute(
        "SELECT j.value, count(*) FROM items, json_each(items.channels) j"
        f" WHERE {pub} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 6",
        [a, b],
    ).fetchall()
    f["categories"] = db.execute(
        "SELECT c.name, count(*) FROM items i JOIN categories c ON c.code = i.category"
        f" WHERE i.{pub} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
        [a, b],
    ).fetchall()
    t3 = table3(db, year)
    f["new"], f["carried_in"] = t3.rows[NEW][-1], t3.rows[CARRIED_IN][-1]
    f["closed"], f["carried_out"] = t3.rows[TOTAL][-1], t3.rows[CARRIED_OUT][-1]
    # answered late: after the due date, except closings for the applicant's default
    f["answered_late"] = _one(
        db,
        "SELECT count(*) FROM applications WHERE closed_date BETWEEN ? AND ?"
        " AND answer_due IS NOT NULL AND answer_date > answer_due AND NOT (result = '其他处理'"
        " AND result_reason LIKE '申请人%')",
        [a, b],
    )
    f["fee_notices"] = _one(
        db, "SELECT count(*) FROM applications WHERE fee_notice_date BETWEEN ? AND ?", [a, b]
    )
    f["fees_paid"] = _one(
        db,
        "SELECT sum(fee_total) FROM applications WHERE fee_paid_date BETWEEN ? AND ?",
        [a, b],
    )
    f["special_meetings"] = [
        m["on_date"] for m in meetings.list_year(db, year, meetings.SPECIAL) if m["counted"]
    ]
    f["other_meetings"] = {
        k: len(meetings.list_year(db, year, k)) for k in meetings.KINDS if k != meetings.SPECIAL
    }
    f["patrols"] = _one(db, "SELECT count(*) FROM patrols WHERE on_date BETWEEN ? AND ?", [a, b])
    f["key_halves"] = [
        r[0] for r in db.execute(
            "SELECT DISTINCT half FROM key_inspections WHERE year = ? ORDER BY 1", [year])
    ]  # fmt: skip
    f["self_inspections"] = _one(
        db, "SELECT count(*) FROM self_inspections WHERE on_date BETWEEN ? AND ?", [a, b]
    )
    f["rectifications"] = _one(db, "SELECT count(*) FROM rectifications WHERE year = ?", [year])
    f["rectified"] = _one(
        db, "SELECT count(*) FROM rectifications WHERE year = ? AND done_date IS NOT NULL", [year]
    )
    c = db.execute(
        "SELECT count(*), count(reply_date), sum(reply_date IS NOT NULL AND reply_date <="
        " reply_due) FROM complaints WHERE received_date BETWEEN ? AND ?",
        [a, b],
    ).fetchone()
    f["complaints"], f["complaints_replied"], f["complaints_on_time"] = c[0], c[1], c[2] or 0
    bud = unit_records.budget(db, year)
    f["budget"] = bud["amount"] if bud else None
    f["recognitions"] = [
        f"{r['issuer']}{r['title']}" for r in unit_records.list_recognitions(db, year)
    ]
    return f


def _num(n: float) -> str:
    return f"{n:g}"


def _date_cn(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.month}月{d.day}日"


def section1(f: dict) -> str:
    y = f["year"]
    paras = [f"{y}年，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，按照政务公开工作"
             "有关要求，健全工作机制，规范公开流程，政府信息公开工作情况如下。"]  # fmt: skip
    text = f"（一）主动公开。全年主动公开政府信息{f['published']}条"
    if f["published"]:
        text += f"，其中在{ON_TIME_RULE}公开{f['published'] - f['published_late']}条"
        if f["published_late"]:
            text += f"，逾期公开{f['published_late']}条"
        if f["categories"]:
            text += "；主要为" + "、".join(f"{n}{k}条" for n, k in f["categories"])
        if f["channels"]:
            text += "；公开渠道包括" + "、".join(f"{n}（{k}条）" for n, k in f["channels"])
    paras.append(text + "。")
    text = f"（二）依申请公开。全年新收政府信息公开申请{f['new']}件，上年结转{f['carried_in']}件，"
    text += f"办结{f['closed']}件"
    if f["closed"]:
        text += f"，其中在法定期限内答复{f['closed'] - f['answered_late']}件"
        text += f"、逾期答复{f['answered_late']}件" if f["answered_late"] else ""
    paras.append(text + f"，结转下年度继续办理{f['carried_out']}件。")
    held = f["special_meetings"]
    text = "（三）组织保障。政务公开工作领导小组全年召开专题会议"
    text += (f"{len(held)}次（" + "、".join(_date_cn(d) for d in held) + "）") if held else "0次"
    others = "、".join(f"{k}{n}次" for k, n in f["other_meetings"].items() if n)
    text += f"，另召开{others}" if others else ""
    if f["budget"] is not None:
        text += f"；政务公开工作经费{_num(f['budget'])}万元列入年度预算"
    paras.append(text + "。")
    text = f"（四）监督保障。监督小组开展日常巡查{f['patrols']}次，"
    halves = "、".join({1: "上半年", 2: "下半年"}[h] for h in f["key_halves"])
    text += f"开展{halves}重点检查" if halves else "未开展半年重点检查"
    text += f"，开展定期自查{f['self_inspections']}次"
    if f["rectifications"]:
        text += f"；提出整改事项{f['rectifications']}项，已完成{f['rectified']}项"
    text += f"。收到咨询、投诉、举报和意见建议{f['complaints']}件"
    if f["complaints"]:
        text += f"，已答复{f['complaints_replied']}件，其中在30日内答复{f['complaints_on_time']}件"
    paras.append(text + "。")
    return "\n".join(paras)


def section5(f: dict) -> str:
    problems = []
    if f["published_late"]:
        problems.append(f"{f['published_late']}条信息未在{ON_TIME_RULE}公开")
    if f["answered_late"]:
        problems.append(f"{f['answered_late']}件政府信息公开申请未在法定期限内答复")
    late = f["complaints_replied"] - f["complaints_on_time"]
    if late > 0:
        problems.append(f"{late}件投诉和意见建议超过30日答复")
    if f["year_over"] and len(f["special_meetings"]) < meetings.TARGET:
        problems.append(
            f"领导小组全年召开专题会议{len(f['special_meetings'])}次，少于每年{meetings.TARGET}次的要求"
        )
    missed = [h for h in f["halves_ended"] if h not in f["key_halves"]]
    if missed:
        names = "、".join({1: "上半年", 2: "下半年"}[h] for h in missed)
        problems.append(f"{names}未开展重点检查（监督小组每半年进行一次重点检查）")
    open_rect = f["rectifications"] - f["rectified"]
    if problems:
        text = "（一）存在的主要问题。" + "；".join(problems) + "。"
    else:
        text = "（一）存在的主要问题。经日常巡查、重点检查和定期自查，本年度未发现政府信息公开工作中的突出问题。"
    fix = "（二）改进情况。"
    if f["rectifications"]:
        fix += (
            f"针对检查发现的问题，提出整改事项{f['rectifications']}项，已完成整改{f['rectified']}项"
        )
        fix += f"，其余{open_rect}项正在整改" if open_rect else ""
        fix += "。"
    else:
        fix += "本年度没有需要整改的事项。"
    return text + "\n" + fix


def section6(f: dict) -> str:
    paras = []
    if f["fee_notices"]:
        paras.append(
            f"（一）收取信息处理费情况。依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
            f"本年度发出收费通知{f['fee_notices']}件，实际收取信息处理费{f['fees_paid']}元。"
        )
    else:
        paras.append("（一）收取信息处理费情况。本年度未收取信息处理费。")
    if f["recognitions"]:
        paras.append("（二）工作成效。" + "；".join(f["recognitions"]) + "。")
    return "\n".join(paras)


def draft_sections(db: sqlite_utils.Database, year: int, *, today: date | None = None) -> dict:
    """Drafts of sections 一、五、六 (keys section1, section5, section6) stating *year*'s figures."""
    f = figures(db, year, today)
    return {"section1": section1(f), "section5": section5(f), "section6": section6(f)}

"""Suggested scores for items 28–45 (公开程序, 监督和保障, 加分项目); see assessment_suggest."""

from __future__ import annotations

from datetime import date

from . import annual_report, applications, complaints, inspections, unit_records, workflow
from . import items as repo
from .assessment_suggest import Context, Suggestion, _ev, names, part, pct
from .fees import fee

TABLE_DEADLINE = (3, 31)  # seed item 37: 每年3月31日前公布上一年度年度报告


# -- 公开程序 (items 28–36) -------------------------------------------------------------------


def _passed(c: Context, step: str, no: int, who: str) -> Suggestion:
    """Items 28/29: share of the year's published items whose 初审/审核 was completed."""
    pub = c.published_items()
    if not pub:
        return Suggestion(no, None, "本年没有公开的信息，无法核对审查程序。")
    missing = [r for r in pub if not any(s["step"] == step and s["action"] == workflow.COMPLETE
                                         for s in repo.steps(c.db, r["id"]))]  # fmt: skip
    ok = len(pub) - len(missing)
    reason = f"本年公开 {len(pub)} 条，经{who}{step}通过的 {ok} 条（{pct(ok, len(pub))}）"
    if missing:
        reason += f"；没有{step}记录：" + names(missing, lambda r: r["title"])
    return Suggestion(no, part(c.maxima[no], ok, len(pub)), reason + "。", _ev("items", missing))


def item28(c: Context, no: int) -> Suggestion:
    """Proportional to the published items that passed 初审 (the working body)."""
    return _passed(c, "初审", no, "工作机构")


def item29(c: Context, no: int) -> Suggestion:
    """Proportional to the published items that passed 审核 (the leading group)."""
    return _passed(c, "审核", no, "领导小组")


def item30(c: Context, no: int) -> Suggestion:
    """Each half-year with a key inspection: half the marks (a quarter without a stored
    report); no daily patrol recorded in the year: minus a quarter. One key inspection
    with its report and patrols in the year = half marks."""
    mx = c.maxima[no]
    keys = inspections.key_inspections(c.db, c.year)
    patrols = inspections.patrols(c.db, c.year)
    score, lines = 0.0, []
    for h in inspections.half_year_checks(c.db, c.year, c.today):
        rows = [k for k in keys if k["half"] == h.half]
        if not rows:
            lines.append(
                f"{h.label}没有重点检查" + ("（本半年尚未结束）" if c.today <= h.end else "")
            )
            continue
        with_report = [k for k in rows if k["has_report"]]
        score += mx / 2 if with_report else mx / 4
        days = "、".join(k["on_date"] for k in rows)
        lines.append(
            f"{h.label}重点检查 {days}"
            + ("，有检查报告" if with_report else "，未存检查报告（请在“监督检查”中生成并保存）")
        )
    if patrols:
        lines.append(f"日常监督巡查 {len(patrols)} 次")
    else:
        lines.append("没有登记日常监督巡查")
        score = max(0.0, score - mx / 4)
    reason = (
        f"{c.year}年："
        + "；".join(lines)
        + "。监督小组每半年开展一次重点检查并形成报告（考核表第30项）。"
    )
    ev = _ev("key_inspections", keys, "on_date") + _ev("patrols", patrols[:5], "on_date")
    return Suggestion(no, score, reason, ev)


def _complaints(c: Context, kinds: tuple[str, ...]) -> list[dict]:
    ids = [r[0] for r in c.db.execute(
        f"SELECT id FROM complaints WHERE year = ? AND kind IN ({', '.join('?' * len(kinds))})"
        " ORDER BY received_date, id", [c.year, *kinds])]  # fmt: skip
    return [complaints.get(c.db, i) for i in ids]


def _label(r: dict) -> str:
    return f"{r['no']}（收到 {r['received_date']}）"


def item31(c: Context, no: int) -> Suggestion:
    """Proportional to the year's 意见建议 forwarded to the principal; none: None."""
    rows = _complaints(c, ("意见建议",))
    if not rows:
        return Suggestion(
            no, None, "本年没有登记意见建议。请核实意见箱、来信等渠道是否确无意见建议，再人工打分。"
        )
    fwd = [r for r in rows if r["forwarded_date"]]
    rest = [r for r in rows if not r["forwarded_date"]]
    reason = f"本年收到意见建议 {len(rows)} 条，已向主要负责人反馈 {len(fwd)} 条（{pct(len(fwd), len(rows))}）"
    if rest:
        reason += "；未反馈：" + names(rest, _label)
    return Suggestion(
        no, part(c.maxima[no], len(fwd), len(rows)), reason + "。", _ev("complaints", rows, "no")
    )


def item32(c: Context, no: int) -> Suggestion:
    """Forwarded opinions answered by the principal within 30 days; unanswered ones past
    due count as late, those still within the period are left out. Proportional."""
    rows = [r for r in _complaints(c, ("意见建议",)) if r["forwarded_date"]]
    today = c.today.isoformat()
    on_time = [r for r in rows if r["principal_answer_date"] and r["principal_answer_date"]
               <= r["principal_due"]]  # fmt: skip
    late = [r for r in rows if (r["principal_answer_date"] or today) > r["principal_due"]]
    counted = len(on_time) + len(late)
    if not counted:
        what = (f"本年转送主要负责人的意见建议 {len(rows)} 条，均在答复期内" if rows
                else "本年没有转送主要负责人的意见建议")  # fmt: skip
        return Suggestion(no, None, f"{what}，无法判断。请人工确认后打分。")
    reason = (f"本年转送主要负责人的意见建议 {len(rows)} 条，30日内答复 {len(on_time)} 条"
              f"（{pct(len(on_time), counted)}），逾期 {len(late)} 条")  # fmt: skip
    if late:
        reason += "：" + names(late, lambda r: f"{r['no']}（转送 {r['forwarded_date']}，应于"
                                              f" {r['principal_due']} 前答复）")  # fmt: skip
    return Suggestion(
        no, part(c.maxima[no], len(on_time), counted), reason + "。", _ev("complaints", rows, "no")
    )


def item33(c: Context, no: int) -> Suggestion:
    """投诉 and 举报 replied within 30 days; unreplied past due count as late. Proportional."""
    rows = _complaints(c, ("投诉", "举报"))
    today = c.today.isoformat()
    on_time = [r for r in rows if r["reply_date"] and r["reply_date"] <= r["reply_due"]]
    late = [r for r in rows if (r["reply_date"] or today) > r["reply_due"]]
    counted = len(on_time) + len(late)
    if not counted:
        what = f"本年投诉、举报 {len(rows)} 条，均在答复期内" if rows else "本年没有登记投诉、举报"
        return Suggestion(no, None, f"{what}，无法判断。请人工确认后打分。")
    reason = (f"本年投诉、举报 {len(rows)} 条，30日内调查反馈 {len(on_time)} 条"
              f"（{pct(len(on_time), counted)}），逾期 {len(late)} 条")  # fmt: skip
    if late:
        reason += "：" + names(late, lambda r: f"{r['no']}（收到 {r['received_date']}，应于"
                                              f" {r['reply_due']} 前反馈）")  # fmt: skip
    return Suggestion(
        no, part(c.maxima[no], len(on_time), counted), reason + "。", _ev("complaints", rows, "no")
    )


def _applications(c: Context) -> list[dict]:
    ids = [
        r[0]
        for r in c.db.execute(
            "SELECT id FROM applications WHERE year = ? ORDER BY received_date, id", [c.year]
        )
    ]
    return [applications.get(c.db, i) for i in ids]


def item34(c: Context, no: int) -> Suggestion:
    """Applications received in the year answered within their deadlines (条例第三十三条,
    pauses and extensions included); open ones past due count as late. Proportional."""
    rows = _applications(c)
    late = [r for r in rows if applications.is_overdue(r, c.today)]
    on_time = [r for r in rows if r["closed_date"] and r not in late]
    counted = len(on_time) + len(late)
    if not counted:
        what = (
            f"本年收到申请 {len(rows)} 件，均在办理期限内"
            if rows
            else "本年没有收到政府信息公开申请"
        )
        return Suggestion(no, None, f"{what}，无法判断。请人工确认后打分。")
    reason = (f"本年收到申请 {len(rows)} 件，按期答复 {len(on_time)} 件（{pct(len(on_time), counted)}），"
              f"逾期 {len(late)} 件")  # fmt: skip
    if late:
        reason += "：" + names(late, lambda r: f"{r['app_no']}（期限 {r['answer_due']}，"
                                              f"{'答复 ' + r['answer_date'] if r['answer_date'] else '尚未答复'}）")  # fmt: skip
    pending = len(rows) - counted
    if pending:
        reason += f"；另有 {pending} 件仍在期限内办理"
    return Suggestion(
        no,
        part(c.maxima[no], len(on_time), counted),
        reason + "。",
        _ev("applications", late or on_time[:5], "app_no"),
    )


def item35(c: Context, no: int) -> Suggestion:
    """No fee charged in the year: full. Fees that differ from the schedule (fees.fee): 0.
    Fees per 国办函〔2020〕109号 are an 信息处理费, which the table's older rule (only search,
    copy and postage costs, RULES.md §3) does not name: None, the clerk judges. Paid
    services through intermediaries are not in the records: the reason says so."""
    apps = _applications(c)
    rows = [r for r in apps if r["fee_notice_date"]]
    tail = "是否通过其他组织、个人以有偿服务方式提供信息，记录中无法反映，请人工核实。"
    if not rows:
        return Suggestion(no, c.maxima[no], f"本年收到申请 {len(apps)} 件，均未收费。" + tail)
    bad = []
    for r in rows:
        method = applications.FEE_METHODS.get(r["fee_method"])
        if method is None or fee(method, int(r["fee_count"])).total != r["fee_total"]:
            bad.append(r)
    total = sum(r["fee_total"] or 0 for r in rows)
    reason = f"本年发出收费通知 {len(rows)} 件，合计 {total:g} 元"
    if bad:
        reason += "；与收费标准不符：" + names(
            bad, lambda r: f"{r['app_no']}（{r['fee_total']:g} 元）"
        )
        return Suggestion(no, 0.0, reason + "。" + tail, _ev("applications", bad, "app_no"))
    reason += (
        "，均按国办函〔2020〕109号的信息处理费标准计收。考核表第35项只允许收取检索、复制、邮寄等"
        "成本费用，请对照当地评估口径人工打分。"
    )
    return Suggestion(no, None, reason + tail, _ev("applications", rows, "app_no"))


def item36(c: Context, no: int) -> Suggestion:
    """Proportional to the year's published items that reached 已建档."""
    pub = c.published_items()
    if not pub:
        return Suggestion(no, None, "本年没有公开的信息，无法核对建档情况。")
    filed = [r for r in pub if r["stage"] == workflow.DONE]
    rest = [r for r in pub if r["stage"] != workflow.DONE]
    reason = f"本年公开 {len(pub)} 条，已建档 {len(filed)} 条（{pct(len(filed), len(pub))}）"
    if rest:
        reason += "；未建档：" + names(rest, lambda r: f"{r['title']}（待{r['stage']}）")
    return Suggestion(
        no, part(c.maxima[no], len(filed), len(pub)), reason + "。", _ev("items", rest)
    )


# -- 监督和保障 (items 37–38) -----------------------------------------------------------------


def item37(c: Context, no: int) -> Suggestion:
    """Last year's report published by 31 March of the year (the table's date): full; later
    or missing after that day: 0; not yet published before it: None."""
    prev = c.year - 1
    due = date(c.year, *TABLE_DEADLINE)
    rep = annual_report.report(c.db, prev, today=c.today)
    legal = annual_report.deadline(c.db, prev)
    name = f"{prev}年政府信息公开工作年度报告"
    note = f"（条例规定本单位期限为 {legal}）" if legal != due else ""
    ev = [("annual_reports", prev, name)]
    if rep.published_date:
        ok = rep.published_date <= due.isoformat()
        when = "未晚于" if ok else "晚于"
        reason = f"{name}于 {rep.published_date} 发布，{when}考核表规定的 {due}{note}。"
        return Suggestion(no, c.maxima[no] if ok else 0.0, reason, ev)
    if c.today <= due:
        return Suggestion(no, None, f"{name}尚未登记发布，{due} 前发布可得满分{note}。")
    return Suggestion(no, 0.0, f"{name}在 {due} 前没有登记发布{note}。", [])


def item38(c: Context, no: int) -> Suggestion:
    """Full when the year's budget has a disclosure line above 0; else 0."""
    b = unit_records.budget(c.db, c.year)
    if not b:
        return Suggestion(
            no, 0.0, f"没有登记{c.year}年政务公开工作经费预算。请在“组织机构→经费”中登记。"
        )
    if b["amount"] <= 0:
        return Suggestion(no, 0.0, f"{c.year}年政务公开工作经费预算为 0 万元。")
    note = f"（{b['note']}）" if b["note"] else ""
    return Suggestion(
        no,
        c.maxima[no],
        f"{c.year}年政务公开工作经费预算 {b['amount']:g} 万元{note}。",
        [("budgets", c.year, f"{c.year}年经费预算")],
    )


# -- 加分项目 (items 39–45) -------------------------------------------------------------------


def recognition(c: Context, no: int) -> Suggestion:
    """The item's value when a recognition of its kind is dated in the year; else 0. The
    once-per-experience rule (39–43) and the cap of 10 are applied in the totals."""
    kind = next((k for k in unit_records.RECOGNITION_KINDS if k.item == no), None)
    if kind is None:
        return Suggestion(no, None, "记录中没有对应的表彰类型，请人工打分。")
    rows = [r for r in unit_records.list_recognitions(c.db, c.year) if r["kind"] == kind.kind]
    if not rows:
        return Suggestion(no, 0.0, f"本年没有登记“{kind.kind}”（{kind.rule}）。")
    reason = f"本年“{kind.kind}”{len(rows)} 项：" + names(
        rows,
        lambda r: (
            f"{r['on_date']} {r['issuer']}《{r['title']}》"
            + (f"（{r['document']}）" if r["document"] else "")
        ),
    )
    if 39 <= no <= 43:
        reason += "。同一经验做法同时符合第39–43项的，只按最高分值计一次"
    return Suggestion(
        no, min(float(kind.points), c.maxima[no]), reason + "。", _ev("recognitions", rows)
    )


RULES = {28: item28, 29: item29, 30: item30, 31: item31, 32: item32, 33: item33, 34: item34,
         35: item35, 36: item36, 37: item37, 38: item38} | {n: recognition for n in range(39, 46)}  # fmt: skip

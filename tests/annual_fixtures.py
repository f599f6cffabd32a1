"""A hand-built year of applications, appeals and registry items for the annual report tests.

Built through core/applications and core/items exactly as the clerk would. The expected
table 3 (year 2026) is written out cell by cell in EXPECTED_T3.
"""

from datetime import date

from gongkai_desktop.core import annual_report as R
from gongkai_desktop.core import applications as A

YEAR = 2026
TODAY = date(2027, 2, 1)
COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def new(db, kind, received, no, name="申请人"):
    return A.create(
        db,
        {"applicant_type": kind, "applicant_name": f"{name}{no}", "phone": "13800000000",
         "channel": "当面", "received_date": received, "content": f"申请公开的信息{no}"},
        who="李四", today=TODAY, app_no=no,
    )  # fmt: skip


def ans(db, app_id, on, answer_type, result, reason=""):
    A.answer(db, app_id, answer_type=answer_type, result=result, reason=reason,
             answer_date=on, who="李四", today=TODAY)  # fmt: skip


def build_year(db) -> dict:
    """Applications for 2025–2027; returns their ids by name."""
    ids = {}
    # carry-in from December 2025
    ids["c1"] = new(db, "自然人", "2025-12-15", "C1")
    ans(db, ids["c1"], "2026-01-08", 2, "予以公开")
    ids["c2"] = new(db, "商业企业", "2025-12-20", "C2")  # closed in 2025: not in 2026
    ans(db, ids["c2"], "2025-12-30", 2, "予以公开")
    ids["c3"] = new(db, "科研机构", "2025-12-28", "C3")  # open across 2026
    ids["c4"] = new(db, "自然人", "2025-12-10", "C4")  # closed on 1 January: still carried in
    ans(db, ids["c4"], "2026-01-01", 2, "部分公开")
    # received in 2026
    n = {
        "n1": ("自然人", 2, "予以公开", ""),
        "n2": ("商业企业", 2, "部分公开", ""),
        "n3": ("社会公益组织", 3, "不予公开", "属于国家秘密"),
        "n4": ("法律服务机构", 3, "不予公开", "保护第三方合法权益"),
        "n5": ("其他", 5, "无法提供", "本机关不掌握相关政府信息"),
        "n6": ("自然人", 4, "无法提供", "没有现成信息需要另行制作"),
        "n7": ("商业企业", 6, "不予处理", "重复申请"),
        "n8": ("自然人", 7, "不予处理", "信访举报投诉类申请"),
        "n11": ("社会公益组织", 7, "其他处理", "其他"),
    }
    for i, (key, (kind, t, result, reason)) in enumerate(n.items(), 1):
        ids[key] = new(db, kind, f"2026-03-{i + 1:02d}", key.upper())
        ans(db, ids[key], f"2026-03-{i + 10:02d}", t, result, reason)
    ids["n9"] = new(db, "科研机构", "2026-05-06", "N9")  # 逾期不补正
    A.request_supplement(db, ids["n9"], "2026-05-08", "请写明所需信息的名称", "2026-05-22",
                         "李四", today=TODAY)  # fmt: skip
    A.close_without_supplement(db, ids["n9"], "2026-06-01", "李四", today=TODAY)
    ids["n10"] = new(db, "自然人", "2026-06-01", "N10")  # 逾期未缴费
    A.issue_fee_notice(db, ids["n10"], "按件", 11, "2026-06-03", "2026-06-20", "李四",
                       today=TODAY)  # fmt: skip
    A.close_fee_unpaid(db, ids["n10"], "2026-06-25", "李四", today=TODAY)
    ids["n12"] = new(db, "自然人", "2026-12-20", "N12")  # open at year end
    ids["n13"] = new(db, "法律服务机构", "2026-12-25", "N13")  # answered in 2027
    ans(db, ids["n13"], "2027-01-10", 2, "予以公开")
    ids["n14"] = new(db, "自然人", "2027-01-05", "N14")  # next year's
    return ids


def add_appeals(db, ids) -> None:
    """2026's appeals: review upheld, review corrected, review still pending on 31 December
    (concluded in 2027), a direct lawsuit with another result, a lawsuit after review
    pending; and one review filed in 2025 (not counted)."""
    A.add_appeal(db, ids["n3"], "行政复议", "", "2026-05-10", "结果维持", "2026-07-01",
                 today=TODAY)  # fmt: skip
    A.add_appeal(db, ids["n4"], "行政复议", "", "2026-06-10", "结果纠正", "2026-08-01",
                 today=TODAY)  # fmt: skip
    A.add_appeal(db, ids["n5"], "行政复议", "", "2026-11-20", "结果维持", "2027-01-15",
                 today=TODAY)  # fmt: skip
    A.add_appeal(db, ids["n7"], "行政诉讼", "未经复议直接起诉", "2026-04-20", "其他结果",
                 "2026-10-09", today=TODAY)  # fmt: skip
    A.add_appeal(db, ids["n3"], "行政诉讼", "复议后起诉", "2026-09-01", today=TODAY)
    A.add_appeal(db, ids["c2"], "行政复议", "", "2025-12-31", "结果维持", "2026-02-01",
                 today=TODAY)  # fmt: skip


def fill_table2(db, year=YEAR) -> None:
    R.save_table2_manual(db, year, {"行政许可": 12, "行政处罚": "3", "行政强制": 0,
                                    "行政事业性收费": "1.25"})  # fmt: skip


# 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
EXPECTED_T3 = {
    "本年新收": [5, 2, 1, 2, 2, 1, 13],
    "上年结转": [2, 0, 1, 0, 0, 0, 3],
    "予以公开": [2, 0, 0, 0, 0, 0, 2],
    "部分公开": [1, 1, 0, 0, 0, 0, 2],
    "不予公开/属于国家秘密": [0, 0, 0, 1, 0, 0, 1],
    "不予公开/其他法律行政法规禁止公开": [0] * 7,
    "不予公开/危及“三安全一稳定”": [0] * 7,
    "不予公开/保护第三方合法权益": [0, 0, 0, 0, 1, 0, 1],
    "不予公开/属于三类内部事务信息": [0] * 7,
    "不予公开/属于四类过程性信息": [0] * 7,
    "不予公开/属于行政执法案卷": [0] * 7,
    "不予公开/属于行政查询事项": [0] * 7,
    "无法提供/本机关不掌握相关政府信息": [0, 0, 0, 0, 0, 1, 1],
    "无法提供/没有现成信息需要另行制作": [1, 0, 0, 0, 0, 0, 1],
    "无法提供/补正后申请内容仍不明确": [0] * 7,
    "不予处理/信访举报投诉类申请": [1, 0, 0, 0, 0, 0, 1],
    "不予处理/重复申请": [0, 1, 0, 0, 0, 0, 1],
    "不予处理/要求提供公开出版物": [0] * 7,
    "不予处理/无正当理由大量反复申请": [0] * 7,
    "不予处理/要求行政机关确认或重新出具已获取信息": [0] * 7,
    "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": [
        0,
        0,
        1,
        0,
        0,
        0,
        1,
    ],
    "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": [
        1,
        0,
        0,
        0,
        0,
        0,
        1,
    ],
    "其他处理/其他": [0, 0, 0, 1, 0, 0, 1],
    "总计": [6, 2, 1, 2, 1, 1, 13],
    "结转下年度": [1, 0, 1, 0, 1, 0, 3],
}

"""公开工作机构信息, 规章制度, 经费 and 表彰: versions and publication dates, the escaped
HTML fragment, and the registers."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, profile
from gongkai_desktop.core import unit_records as U
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 11, 27)
CARD = {
    "name": "政务公开办公室",
    "head": "黄晓峰",
    "address": "厦门市思明区仙岳路",
    "hours": "工作日 8:00—12:00",
    "phone": "0592-5050100",
    "fax": "0592-5050109",
    "email": "gkb@example.gov.cn",
    "consult_phone": "0592-5050101",
    "complaint_phone": "0592-5050102",
    "opinion_box": "一楼大厅",
}


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# -- contact card ---------------------------------------------------------------------------------


def test_a_draft_is_edited_in_place_and_a_published_card_is_kept(db):
    i = U.save_card(db, CARD | {"hours": "工作日"})
    assert U.save_card(db, CARD) == i  # unpublished: same row
    assert U.save_card(db, CARD) == i and len(audit.history(db, "contact_cards", i)) == 2
    U.publish_card(db, i, "2026-03-01", today=TODAY)
    assert U.current_card(db)["published_date"] == "2026-03-01"
    j = U.save_card(db, CARD | {"phone": "0592-5050200"})
    assert j != i
    assert U.current_card(db)["id"] == j and U.current_card(db)["published_date"] is None
    assert U.published_card(db)["phone"] == "0592-5050100"  # the public still sees the old one
    U.publish_card(db, j, "2026-06-01", today=TODAY)
    assert U.published_card(db)["phone"] == "0592-5050200"
    assert [c["published_date"] for c in U.cards(db)] == ["2026-06-01", "2026-03-01"]
    assert [(h.action, h.who) for h in audit.history(db, "contact_cards", j)] == [
        ("insert", "张三"),
        ("update", "张三"),
    ]


def test_publication_needs_the_seven_fields_and_a_sensible_date(db):
    i = U.save_card(db, CARD | {"fax": "", "hours": " "})
    with pytest.raises(ValidationError, match="发布前请填写：办公时间、传真号码（考核表第3项"):
        U.publish_card(db, i, "2026-03-01", today=TODAY)
    U.save_card(db, CARD)
    with pytest.raises(ValidationError, match="发布日期 2026-11-28 晚于今天"):
        U.publish_card(db, i, "2026-11-28", today=TODAY)
    U.publish_card(db, i, "2026-03-01", today=TODAY)
    with pytest.raises(ValidationError, match="这一版已于 2026-03-01 发布"):
        U.publish_card(db, i, "2026-03-02", today=TODAY)
    j = U.save_card(db, CARD | {"head": "林国强"})
    with pytest.raises(
        ValidationError, match="发布日期 2026-02-01 早于上一版的发布日期 2026-03-01"
    ):
        U.publish_card(db, j, "2026-02-01", today=TODAY)
    assert U.published_card(db)["id"] == i


def test_a_new_card_starts_from_the_profiles_public_channels(db):
    p = profile.load(db)
    p.consult_phone, p.opinion_box = "0592-5050101", "一楼大厅"
    profile.save(db, p)
    draft = U.draft_card(db)
    assert (draft["consult_phone"], draft["opinion_box"], draft["name"]) == (
        "0592-5050101",
        "一楼大厅",
        "",
    )
    i = U.save_card(db, draft | {"name": "政务公开办公室"})
    assert U.draft_card(db)["id"] == i


def test_card_input_errors(db):
    with pytest.raises(ValidationError, match="公开工作机构信息是空的"):
        U.save_card(db, {"name": " "})
    with pytest.raises(ValidationError, match="电子邮箱“gkb”格式不对"):
        U.save_card(db, CARD | {"email": "gkb"})
    assert count(db, "contact_cards") == 0


def test_card_html_escapes_the_clerks_text(db):
    card = CARD | {"head": "<script>alert(1)</script>黄晓峰", "address": 'A & B "楼"'}
    out = U.card_html(card | {"published_date": "2026-03-01"})
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;黄晓峰" in out
    assert "A &amp; B &quot;楼&quot;" in out
    assert '<a href="mailto:gkb@example.gov.cn">gkb@example.gov.cn</a>' in out
    assert "<th" in out and "传真号码" in out and "发布日期：2026年3月1日" in out
    assert out.count("<tr>") == 10
    # empty fields are left out; a bad e-mail is never made into a link
    out = U.card_html({"name": "办公室", "email": 'x" onclick="y'})
    assert out.count("<tr>") == 2 and "mailto" not in out and "onclick=&quot;" in out


# -- rules register -------------------------------------------------------------------------------


def test_rules_register(db):
    a = U.add_rule(db, "政府信息公开工作制度", "厦人社办〔2024〕5号", "2024-03-12", today=TODAY)
    b = U.add_rule(db, "保密审查制度", "", "2025-05-20", file_name="保密审查制度.pdf", today=TODAY)
    assert [r["id"] for r in U.list_rules(db)] == [b, a]  # newest first
    U.update_rule(db, a, {"status": "已修订"}, today=TODAY)
    assert [r["id"] for r in U.list_rules(db, "现行有效")] == [b]
    for data, message in [
        ({"title": ""}, "请填写制度名称"),
        ({"status": "作废"}, "制度状态“作废”无法识别，请选择：现行有效、已修订、已废止"),
        ({"issued_date": "2026-12-01"}, "印发日期 2026-12-01 晚于今天"),
    ]:
        with pytest.raises(ValidationError, match=message):
            U.update_rule(db, a, data, today=TODAY)
    with pytest.raises(ValidationError, match="请填写“印发日期”"):
        U.add_rule(db, "制度", "", "", today=TODAY)
    U.delete_rule(db, b)
    assert [r["title"] for r in U.list_rules(db)] == ["政府信息公开工作制度"]
    assert [h.action for h in audit.history(db, "rules_register", a)] == ["insert", "update"]
    assert [h.action for h in audit.history(db, "rules_register", b)] == ["insert", "delete"]


# -- budget ---------------------------------------------------------------------------------------


def test_budget_per_year_in_wan_yuan(db):
    assert U.budget(db, 2026) is None
    U.set_budget(db, 2026, "8.5", "政务公开专项经费")
    U.set_budget(db, "2025", 8)
    U.set_budget(db, 2026, "9万元", "追加")
    assert (U.budget(db, 2026)["amount"], U.budget(db, 2026)["note"]) == (9.0, "追加")
    assert [b["year"] for b in U.budgets(db)] == [2026, 2025]
    history = audit.history(db, "budgets", 2026)
    assert [(h.action, h.who) for h in history] == [("insert", "张三"), ("update", "张三")]
    assert ("amount", 8.5, 9.0) in history[1].changes()


@pytest.mark.parametrize(
    ("year", "amount", "message"),
    [
        (2026, -1, "预算金额 -1 万元是负数"),
        (2026, "八万", "预算金额“八万”不是数字"),
        (2026, "", "请填写预算金额"),
        (2026, "nan", "不是有效的数字"),
        ("二〇二六", 1, "年度“二〇二六”无法识别"),
        (26, 1, "年度 26 不在合理范围内"),
    ],
)
def test_bad_budgets_are_refused(db, year, amount, message):
    with pytest.raises(ValidationError, match=message):
        U.set_budget(db, year, amount, "")
    assert count(db, "budgets") == 0


# -- recognitions ---------------------------------------------------------------------------------


def test_recognitions_carry_their_assessment_item(db):
    U.add_recognition(db, "2026-04-15", "绩效考评名次", "厦门市效能办", "绩效考评第二名",
                      "厦效能〔2026〕12号", "通报扫描件", today=TODAY)  # fmt: skip
    U.add_recognition(db, "2025-06-01", "文明单位", "市直机关工委", "市级文明单位", today=TODAY)
    rows = U.list_recognitions(db)
    assert [(r["on_date"], r["item"], r["points"]) for r in rows] == [
        ("2025-06-01", 45, 2),
        ("2026-04-15", 44, 2),
    ]
    assert [r["kind"] for r in U.list_recognitions(db, 2026)] == ["绩效考评名次"]
    assert [k.item for k in U.RECOGNITION_KINDS] == list(range(39, 46))
    with pytest.raises(ValidationError, match="表彰类型“奖状”无法识别"):
        U.add_recognition(db, "2026-04-15", "奖状", "市政府", "奖状", today=TODAY)
    with pytest.raises(ValidationError, match="请填写发文或表彰单位"):
        U.add_recognition(db, "2026-04-15", "表彰", "", "表彰", today=TODAY)
    with pytest.raises(ValidationError, match="日期 2026-11-28 晚于今天"):
        U.add_recognition(db, "2026-11-28", "表彰", "省公开办", "表彰", today=TODAY)
    U.delete_recognition(db, rows[0]["id"])
    assert len(U.list_recognitions(db)) == 1
    assert [h.action for h in audit.history(db, "recognitions", rows[0]["id"])] == [
        "insert",
        "delete",
    ]

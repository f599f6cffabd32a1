"""Totals of the Fujian table: group maxima, the once-only bonus rule and the cap (RULES.md §7)."""

from __future__ import annotations

from gongkai_desktop.core import assessment_template as T
from gongkai_desktop.core.assessment_totals import totals

FUJIAN = T.load("fujian")


def full_marks(t=FUJIAN, bonus=False):
    return {i.no: i.max for i in t.items if bonus or i.no < 39}


def test_full_base_marks_make_100():
    r = totals(FUJIAN, full_marks())
    assert [g.score for g in r.groups] == [10, 38, 9, 10, 28, 5]
    assert (r.base, r.bonus_counted, r.total) == (100, 0, 100)
    assert r.unset == [39, 40, 41, 42, 43, 44, 45]


def test_unset_items_count_nothing_and_are_listed():
    r = totals(FUJIAN, {1: 2, 2: 1.5, 3: None})
    g = r.groups[0]
    assert g.score == 3.5
    assert "第1项 2 + 第2项 1.5 = 3.5 分（满分 10 分）" in g.explain
    assert r.total == 3.5
    assert "未评分的项目" in r.explain()


def test_subtotal_never_above_group_max():
    # a table whose group maximum is below its items' sum cannot load, so over-full item
    # scores (e.g. typed into the database by hand) are what can push a group up
    scores = full_marks() | {1: 5, 2: 5}
    r = totals(FUJIAN, scores)
    assert r.groups[0].score == 10
    assert "超过该项满分" in r.groups[0].explain
    assert r.base == 100
    for g in r.groups:
        assert g.score <= g.max


def test_one_experience_under_39_and_40_counts_once_at_the_highest():
    scores = {39: 2, 40: 1, 44: 2}
    r = totals(FUJIAN, scores, {39: "社保政策“一图读懂”", 40: "社保政策“一图读懂”"})
    assert r.bonus_raw == 5
    assert r.bonus_counted == 4  # 2 (39, once) + 2 (44)
    assert "以最高加分值计一次（第39项 2 分），第40项不重复加分" in r.bonus_explain
    # different experiences both count
    r2 = totals(FUJIAN, scores, {39: "一图读懂", 40: "政务公开日"})
    assert r2.bonus_counted == 5
    # no experiences given: each item is its own
    assert totals(FUJIAN, scores).bonus_counted == 5


def test_additive_items_are_never_merged_by_experience():
    r = totals(FUJIAN, {44: 2, 45: 2}, {44: "同一", 45: "同一"})
    assert r.bonus_counted == 4


def test_bonus_cap():
    d = FUJIAN.to_dict() | {"id": "big"}
    for it in d["items"]:
        if it["no"] == 44:
            it["max"] = 4
        if it["no"] == 45:
            it["max"] = 6
    t = T.parse(d)
    scores = full_marks(t) | {39: 2, 40: 1, 41: 1, 42: 1, 43: 1, 44: 4, 45: 4}
    r = totals(t, scores)
    assert r.bonus_raw == 14
    assert r.bonus_counted == 10
    assert r.total == 110
    assert "加分累计不超过 10 分" in r.bonus_explain
    assert "总分 = 基本分 100 + 加分 10 = 110" in r.explain()

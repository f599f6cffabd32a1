"""自评打分 repository: scores (0..max, step 0.5), accepting suggestions, evidence, totals."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from gongkai_desktop.core import assessment as A
from gongkai_desktop.core import assessment_suggest as S
from gongkai_desktop.core import unit_records
from gongkai_desktop.core.errors import UserError, ValidationError


def audit_count(db, tbl):
    return db.execute("SELECT count(*) FROM audit WHERE tbl = ?", [tbl]).fetchone()[0]


@pytest.fixture
def aid(db):
    return A.open_assessment(db, 2026)


def test_open_is_one_per_year_and_table(db, aid):
    assert A.open_assessment(db, 2026) == aid
    assert A.open_assessment(db, 2025) != aid
    assert audit_count(db, "assessments") == 2
    with pytest.raises(UserError, match="找不到评估表"):
        A.open_assessment(db, 2026, "nope")
    with pytest.raises(ValidationError, match="年度"):
        A.open_assessment(db, "二〇二六")


def test_set_score_validation(db, aid):
    A.set_score(db, aid, 34, 5.5, note="1件申请超期答复，扣0.5分")
    assert A.scores(db, aid)[34] == {
        "score": 5.5, "accepted": False, "note": "1件申请超期答复，扣0.5分",
        "updated_at": A.scores(db, aid)[34]["updated_at"],
    }  # fmt: skip
    with pytest.raises(ValidationError, match=r"第34项的得分 6.5 超出范围：该项满分 6 分"):
        A.set_score(db, aid, 34, 6.5)
    with pytest.raises(ValidationError, match="超出范围"):
        A.set_score(db, aid, 1, -0.5)
    with pytest.raises(ValidationError, match="0.5 的整数倍"):
        A.set_score(db, aid, 34, 1.25)
    with pytest.raises(ValidationError, match="不是数字"):
        A.set_score(db, aid, 34, "五")
    with pytest.raises(ValidationError, match="没有第46项"):
        A.set_score(db, aid, 46, 1)
    assert A.scores(db, aid)[34]["score"] == 5.5  # nothing half-written
    A.set_score(db, aid, 1, 0)
    A.set_score(db, aid, 2, 2.0)
    A.set_score(db, aid, 34, None, note="待核")  # cleared
    assert A.scores(db, aid)[34]["score"] is None
    assert audit_count(db, "assessment_scores") == 4


def test_accept_suggestion_stores_suggested_score_and_keeps_note(db, aid, monkeypatch):
    def fake(db_, year, template, today=None):
        assert (year, template.id) == (2026, "fujian")
        return {
            26: S.Suggestion(26, 3.5, "按时公开 19/20 件（95.0%）"),
            30: S.Suggestion(30, None, "请核对重点检查报告"),
        }

    monkeypatch.setattr(S, "suggest", fake)
    A.set_score(db, aid, 26, 2, note="复核中")
    assert A.accept_suggestion(db, aid, 26) == 3.5
    got = A.scores(db, aid)[26]
    assert (got["score"], got["accepted"], got["note"]) == (3.5, True, "复核中")
    with pytest.raises(ValidationError, match="第30项没有建议得分（请核对重点检查报告）"):
        A.accept_suggestion(db, aid, 30)
    assert 30 not in A.scores(db, aid)


def test_file_evidence_is_kept_with_its_hash(db, aid, tmp_path):
    pdf = tmp_path / "领导小组文件.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% tiny\n")
    png = tmp_path / "公开栏.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    e1 = A.add_file_evidence(db, aid, 1, pdf)
    e2 = A.add_file_evidence(db, aid, 22, png, title="公开栏照片")
    rows = A.evidence(db, aid)
    assert [(r["item_no"], r["title"], r["mime"]) for r in rows] == [
        (1, "领导小组文件", "application/pdf"), (22, "公开栏照片", "image/png"),
    ]  # fmt: skip
    assert rows[0]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert A.evidence_data(db, e1) == pdf.read_bytes()
    assert [r["id"] for r in A.evidence(db, aid, 22)] == [e2]
    fake = tmp_path / "伪装.pdf"
    fake.write_bytes(b"hello")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        A.add_file_evidence(db, aid, 1, fake)
    with pytest.raises(ValidationError, match="不是 PDF 或图片"):
        A.add_file_evidence(db, aid, 1, tmp_path / "a.docx")
    A.remove_evidence(db, e1)
    assert [r["id"] for r in A.evidence(db, aid)] == [e2]
    assert audit_count(db, "assessment_evidence") == 3
    after = db.execute("SELECT after FROM audit WHERE tbl = 'assessment_evidence'").fetchone()[0]
    assert "tiny" not in after  # the bytes stay out of the log


def test_linked_recognitions_make_one_experience(db, aid, monkeypatch):
    monkeypatch.setattr(S, "suggest", lambda *a, **k: {})
    today = date(2026, 11, 1)
    r39 = unit_records.add_recognition(db, "2026-05-10", "发文推广", "福建省政务公开办",
                                       "社保政策“一图读懂”", today=today)  # fmt: skip
    r40 = unit_records.add_recognition(db, "2026-09-01", "表彰", "人力资源和社会保障部",
                                       "社保政策“一图读懂”", today=today)  # fmt: skip
    A.add_record_evidence(db, aid, 39, "recognitions", r39, "省政务公开办推广文件")
    A.add_record_evidence(db, aid, 40, "recognitions", r40, "人社部表彰通报")
    with pytest.raises(ValidationError, match="已被删除"):
        A.add_record_evidence(db, aid, 40, "recognitions", 999, "x")
    with pytest.raises(ValidationError, match="不能链接"):
        A.add_record_evidence(db, aid, 40, "audit", 1, "x")
    A.set_score(db, aid, 39, 2)
    A.set_score(db, aid, 40, 1)
    A.set_score(db, aid, 44, 2)
    assert A.experiences(db, aid) == {39: "社保政策“一图读懂”", 40: "社保政策“一图读懂”"}
    t = A.assessment_totals(db, aid)
    assert (t.bonus_raw, t.bonus_counted, t.total) == (5, 4, 4)
    s = A.summary(db, 2026)
    assert s["bonus"] == {"raw": 5, "counted": 4} and s["total"] == 4


def test_inspection_date(db, aid):
    A.set_inspection_date(db, aid, "2026-12-15")
    assert A.get(db, aid)["inspection_date"] == "2026-12-15"
    with pytest.raises(ValidationError, match="无法识别"):
        A.set_inspection_date(db, aid, "12月15日")
    A.set_inspection_date(db, aid, None)
    assert A.get(db, aid)["inspection_date"] is None


@pytest.mark.parametrize("today", [date(2026, 11, 20), date(2027, 1, 5)])
def test_demo_assessment_is_filled_with_bonus_rule_and_evidence(tmp_path, today):
    from pypdf import PdfReader

    from gongkai_desktop.core.db import connect
    from gongkai_desktop.core.demo import build_demo
    from gongkai_desktop.core.demo_assessment import EXPERIENCE

    build_demo(tmp_path / "demo.db", today=today)  # calls add_demo_assessment in its transaction
    db = connect(tmp_path / "demo.db")
    aid = A.find(db, today.year)
    got = A.scores(db, aid)
    assert len(got) >= 38 and all(got[n]["score"] is not None for n in range(1, 39))
    overridden = [
        n
        for n, s in got.items()
        if s["note"] and not s["accepted"] and s["note"] != "已对照台账和原始材料人工核对。"
    ]
    assert len(overridden) == 2  # two suggestions overridden with a note
    assert sum(s["accepted"] for s in got.values()) > 20
    assert A.experiences(db, aid) == {39: EXPERIENCE, 40: EXPERIENCE}
    t = A.assessment_totals(db, aid)
    assert t.bonus_counted == t.bonus_raw - 1  # 39 and 40 counted once, at 2
    ev = A.evidence(db, aid)
    files = [e for e in ev if e["kind"] == "file"]
    assert [e["mime"] for e in files] == ["application/pdf", "image/png", "application/pdf"]
    from io import BytesIO

    text = PdfReader(BytesIO(A.evidence_data(db, files[0]["id"]))).pages[0].extract_text()
    assert "领导小组" in text
    db.conn.close()

"""自评打分表 exports (issue 6 §3): .xlsx in the official layout and the PDF, read back."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from support import run_cli

from gongkai_desktop.core import assessment, assessment_template
from gongkai_desktop.core.assessment_totals import totals
from gongkai_desktop.exports import pdf_fonts
from gongkai_desktop.exports.assessment_pdf import write_assessment_pdf
from gongkai_desktop.exports.assessment_xlsx import (
    Group,
    Row,
    ScoredTable,
    scored_table,
    table_from_totals,
    write_assessment_xlsx,
)

UNIT = "厦门市人力资源和社会保障局"


def full_marks_but(tpl, **changed) -> dict[int, float | None]:
    scores = {it.no: it.max for it in tpl.items}
    scores.update({int(k[1:]): v for k, v in changed.items()})
    return scores


@pytest.fixture
def table():
    tpl = assessment_template.load("fujian")
    # item 3 loses 1 (no fax number), 26 not scored; bonus 39 + 40 (same experience) + 44
    scores = full_marks_but(tpl, n3=2, n26=None, n41=0, n42=0, n43=0, n45=0)
    tot = totals(tpl, scores, {39: "网上办事经验", 40: "网上办事经验"})
    return table_from_totals(tpl, scores, tot, unit_name=UNIT, year=2026,
                             notes={3: "未公开传真号码"},
                             evidence={1: ["领导小组成立通知"]})  # fmt: skip


def rows_of(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_xlsx_official_layout(tmp_path, table):
    out = write_assessment_xlsx(table, tmp_path / "自评表.xlsx")
    ws = load_workbook(out).active
    rows = rows_of(ws)
    assert rows[3] == ("项目", "评估考核内容", "分值", "自评得分", "说明/佐证")
    assert rows[0][0] == "福建省政务公开评估考核表" and UNIT in rows[1][0]
    # group cells merged over their item rows and the subtotal row
    merged = {(m.min_row, m.max_row): ws.cell(m.min_row, 1).value for m in ws.merged_cells.ranges
              if m.min_col == 1 and m.max_col == 1}  # fmt: skip
    spans = sorted((lo, hi, v) for (lo, hi), v in merged.items())
    assert [v for _lo, _hi, v in spans] == [
        "组织机构与职责（10分）", "公开内容（38分）", "公开形式（9分）", "公开时间（10分）",
        "公开程序（28分）", "监督和保障（5分）", "加分项目（最高10分）",
    ]  # fmt: skip
    assert [hi - lo for lo, hi, _v in spans] == [4, 17, 3, 3, 9, 2, 7]  # items + 小计
    first = spans[0][0]
    assert rows[first - 1][1].startswith("1、成立以主要负责人为组长的政务公开工作领导小组")
    assert rows[first - 1][4] == "佐证：领导小组成立通知"
    assert rows[first + 1][2:5] == (3, 2, "未公开传真号码")  # item 3: max 3, scored 2
    subtotals = [r for r in rows if r[1] in ("小计", "加分小计")]
    assert [(r[2], r[3]) for r in subtotals] == [
        (10, 9),
        (38, 38),
        (9, 9),
        (10, 6),
        (28, 28),
        (5, 5),
        (10, 4),  # 26 unset: 10-4
    ]
    assert (
        "加分原始合计 5 分" in subtotals[-1][4]
    )  # 39 (2) + 40 (1) + 44 (2); 39, 40 one experience: 2 + 2
    assert rows[-2][0] == "基础分合计" and rows[-2][2:4] == (100, 95)
    assert rows[-1][0].startswith("总分") and rows[-1][2:4] == (110, 99)
    # item 26 not scored: empty, not 0
    item26 = next(r for r in rows if str(r[1]).startswith("26、"))
    assert item26[3] is None
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$4:$4"


@pytest.fixture(params=["auto", "builtin"])
def fonts_mode(request, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, request.param)
    return request.param


def test_pdf_scored_table(tmp_path, table, fonts_mode):
    out = write_assessment_pdf(table, tmp_path / "自评表.pdf")
    reader = PdfReader(out)
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert "福建省政务公开评估考核表" in text
    assert "自评单位：厦门市人力资源和社会保障局" in text
    for needle in ("组织机构与职责", "加分小计", "基础分合计", "未公开传真号码", "45、", "— 1 —"):
        assert needle.replace(" ", "") in text
    assert text.split("总分")[-1].endswith("11099")  # max 110, total 99
    assert {round(float(p.mediabox.width)) for p in reader.pages} == {595}


def test_cli_export_assessment(tmp_path, db, capsys):
    aid = assessment.open_assessment(db, 2026)
    assessment.set_score(db, aid, 1, 2)
    assessment.set_score(db, aid, 3, 1.5, note="未公开传真号码")
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.conn.close()
    code, out, _ = run_cli(capsys, "export", "assessment", "--db", path, "--year", "2026",
                       "-o", str(tmp_path / "自评表.xlsx"))  # fmt: skip
    assert code == 0 and "自评总分 3.5 分" in out and "还有 43 项未评分" in out
    rows = rows_of(load_workbook(tmp_path / "自评表.xlsx").active)
    assert next(r for r in rows if str(r[1]).startswith("3、"))[3:5] == (1.5, "未公开传真号码")
    code, out, _ = run_cli(capsys, "export", "assessment", "--db", path, "--year", "2026",
                       "-o", str(tmp_path / "自评表.pdf"))  # fmt: skip
    assert code == 0 and PdfReader(tmp_path / "自评表.pdf").pages
    code, _out, err = run_cli(capsys, "export", "assessment", "--db", path, "--year", "2026",
                          "-o", str(tmp_path / "自评表.doc"))  # fmt: skip
    assert code != 0 and ".xlsx 或 .pdf" in err and not (tmp_path / "自评表.doc").exists()


def test_unscored_year_exports_blank_table(db):
    t = scored_table(db, 2025)
    assert len(t.rows) == 45 and all(r.score is None for r in t.rows) and t.total == 0
    assert assessment.find(db, 2025) is None  # exporting writes nothing


def test_group_taller_than_a_page_continues(tmp_path, monkeypatch):
    # an imported table may have a group longer than a page: the group cell continues
    monkeypatch.setenv(pdf_fonts.ENV, "builtin")
    rows = [Row(i, "公开工作机构的名称、负责人、办公地址" * 8, 1, 1) for i in range(1, 41)]
    t = ScoredTable("某省评估表", UNIT, 2026, [Group("公开内容", 40, 40, rows)], 40, 0, 0, 10, 40)
    reader = PdfReader(write_assessment_pdf(t, tmp_path / "长表.pdf"))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert len(reader.pages) > 2 and "公开内容（续）" in text and "40、" in text

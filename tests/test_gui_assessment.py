"""自评打分 tab (pytest-qt): accept a suggestion, override one with a note and watch the
group subtotal and the total change (each number explains itself), attach a file as
evidence, import a malformed table (rejected with the reason), export the scored table
as xlsx through the worker and read it back."""

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from reportlab.pdfgen import canvas

from gongkai_desktop.core import assessment
from gongkai_desktop.ui import workers
from gongkai_desktop.ui.assessment_tab import C_EVIDENCE, C_NOTE, C_SCORE, C_SUGGEST, AssessmentTab

TODAY = date(2026, 11, 20)  # the inspection is near: the year 2026 is scored


@pytest.fixture
def tab(qtbot, db):
    t = AssessmentTab(db, today=TODAY)
    qtbot.addWidget(t)
    yield t
    workers.wait_all()
    t.dispose()


def group_text(tab, name: str) -> str:
    return tab.rows[("group", name)].text(C_SCORE)


def test_accept_a_suggestion_and_override_one_with_a_note(qtbot, tab, db):
    assert tab.year == 2026 and tab.template_combo.currentText() == "福建省政务公开评估考核表"
    assert [tab.rows[("group", g)].text(2) for g in ("组织机构与职责", "公开内容")] == ["10", "38"]
    assert group_text(tab, "公开程序") == "0 / 28"
    # item 35: no application was charged in 2026 → 3 of 3 suggested, with its reason
    assert tab.rows[35].text(C_SUGGEST) == "3"
    assert "均未收费" in tab.rows[35].toolTip(C_SUGGEST)
    assert tab.spins[35].text() == "未评"
    qtbot.mouseClick(tab.accept_buttons[35], Qt.MouseButton.LeftButton)
    assert tab.spins[35].value() == 3
    assert group_text(tab, "公开程序") == "3 / 28"
    assert tab.total_label.text().startswith("总分 3（")
    stored = assessment.scores(db, tab.assessment_id)[35]
    assert (stored["score"], stored["accepted"]) == (3, True)

    # item 34: the records cannot answer; the clerk scores 5.5 and says why
    assert tab.rows[34].text(C_SUGGEST) == "—"
    assert 34 not in tab.accept_buttons
    tab.set_note(34, "一件申请逾期2个工作日答复")
    tab.spins[34].setValue(5.5)
    assert group_text(tab, "公开程序") == "8.5 / 28"
    assert tab.rows["total"].text(C_SCORE) == "8.5"
    stored = assessment.scores(db, tab.assessment_id)[34]
    assert (stored["score"], stored["note"], stored["accepted"]) == (
        5.5, "一件申请逾期2个工作日答复", False,
    )  # fmt: skip
    assert tab.rows[34].text(C_NOTE) == "一件申请逾期2个工作日答复"  # kept on redraw

    # clicking a number shows how it was reached
    tab.tree.itemClicked.emit(tab.rows[("group", "公开程序")], C_SCORE)
    assert "第34项 5.5" in tab.explain.toPlainText()
    assert "第35项 3" in tab.explain.toPlainText()
    tab.tree.itemClicked.emit(tab.rows["total"], C_SCORE)
    assert "总分 = 基本分 8.5 + 加分 0 = 8.5" in tab.explain.toPlainText()
    tab.tree.itemClicked.emit(tab.rows[34], C_SCORE)
    assert "逾期2个工作日" in tab.explain.toPlainText()

    # a score is 0..max in steps of 0.5: the spin box cannot go above the item's maximum
    tab.spins[34].setValue(9)
    assert tab.spins[34].value() == 6


def tiny_pdf(path) -> None:
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Leading group meeting minutes")
    c.save()


def test_attach_a_file_as_evidence_and_remove_it(qtbot, tab, db, tmp_path):
    pdf = tmp_path / "minutes.pdf"
    tiny_pdf(pdf)
    tab.select_item(1)
    assert tab.evidence_title.text() == "第1项的佐证材料"
    assert tab.attach_files([str(pdf)]) == 1
    assert tab.rows[1].text(C_EVIDENCE) == "1 件"
    tab.select_item(1)
    assert tab.evidence_list.count() == 1
    assert "minutes" in tab.evidence_list.item(0).text()
    rows = assessment.evidence(db, tab.assessment_id, 1)
    assert [r["file_name"] for r in rows] == ["minutes.pdf"]
    assert assessment.evidence_data(db, rows[0]["id"]) == pdf.read_bytes()
    tab.evidence_list.setCurrentRow(0)
    assert tab.remove_evidence(confirm=False)
    assert tab.rows[1].text(C_EVIDENCE) == ""
    assert assessment.evidence(db, tab.assessment_id, 1) == []


def test_a_malformed_table_is_rejected_with_the_reason(qtbot, tab, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "name": "某省评估表", "groups": [], "items": []}', "utf-8")
    assert tab.import_template(str(bad)) is None
    assert tab.import_error  # the message box shows the core's reason
    assert tab.template_combo.count() == 1


def test_export_xlsx_and_the_binder_through_the_worker(qtbot, tab, tmp_path):
    qtbot.mouseClick(tab.accept_buttons[35], Qt.MouseButton.LeftButton)
    out = tmp_path / "自评.xlsx"
    job = tab.export("xlsx", out)
    assert job is not None and job.wait()
    assert job.error is None, job.error
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    row35 = next(r for r in rows if str(r[1] or "").startswith("35、"))
    assert (row35[2], row35[3]) == (3, 3)
    subtotals = [r[3] for r in rows if r[1] == "小计"]
    assert subtotals == [0, 0, 0, 0, 3, 0]  # 公开程序 holds item 35
    assert next(r for r in rows if str(r[0] or "").startswith("总分"))[3] == 3
    assert "已导出" in tab.last_message

    pdf = tmp_path / "minutes.pdf"
    tiny_pdf(pdf)
    tab.select_item(1)
    tab.attach_files([str(pdf)])
    job = tab.export("binder", tmp_path / "迎检材料汇编.pdf")
    assert job.wait() and job.error is None, job.error
    result = job.result
    reader = PdfReader(str(result.path))
    assert len(reader.pages) == result.pages == sum(p.pages for p in result.parts)
    assert result.bookmarks == 45  # one per item
    assert any("Leading group meeting minutes" in p.extract_text() for p in reader.pages)

"""附件 under the 监督检查 lists and the 表彰 list (issue 7 §1): the panel follows the
selected row and a file added through it hangs on that record."""

from datetime import date

from pypdf import PdfWriter
from PySide6.QtCore import Qt

from gongkai_desktop.core import applications, attachments, inspections, unit_records
from gongkai_desktop.ui.letters_dialog import LettersDialog
from gongkai_desktop.ui.supervision_tab import SupervisionTab
from gongkai_desktop.ui.unit_records_section import RecognitionsSection

TODAY = date(2026, 6, 10)


def pdf_file(path, pages):
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def select_row_with_id(table, record_id) -> None:
    for r in range(table.rowCount()):
        if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == record_id:
            table.selectRow(r)
            return
    raise AssertionError(f"row {record_id} not listed")


def test_key_inspection_attachment_follows_the_selected_row(qtbot, db, tmp_path):
    first = inspections.add_key_inspection(
        db, "2026-03-10", "办公室", "网站", "未发现问题", "合格", today=TODAY
    )
    second = inspections.add_key_inspection(
        db, "2026-05-20", "办公室", "公开栏", "未发现问题", "合格", today=TODAY
    )
    tab = SupervisionTab(db, today=TODAY)
    qtbot.addWidget(tab)
    panel = tab.attachments["key_inspections"]
    assert not panel.buttons["add"].isEnabled()  # nothing selected yet
    select_row_with_id(tab.key_table, second)
    assert panel.record_id == second and panel.buttons["add"].isEnabled()
    pdf = pdf_file(tmp_path / "签字页.pdf", 2)
    assert len(panel.add_files([pdf])) == 1
    [link] = attachments.links(db, "key_inspections", second)
    assert (link["file_name"], link["pages"]) == ("签字页.pdf", 2)
    assert attachments.links(db, "key_inspections", first) == []
    assert panel.table.item(0, 0).text() == "签字页.pdf"
    select_row_with_id(tab.key_table, first)  # the other inspection shows its own (none)
    assert panel.table.rowCount() == 0
    tab.dispose()


def test_recognition_attachment(qtbot, db, tmp_path):
    rid = unit_records.add_recognition(
        db, "2026-05-10", "发文推广", "福建省政务公开办", "网上公开栏经验", today=TODAY
    )
    section = RecognitionsSection(db, today=TODAY)
    qtbot.addWidget(section)
    select_row_with_id(section.table, rid)
    pdf = pdf_file(tmp_path / "推广文件.pdf", 1)
    assert len(section.attachments.add_files([pdf])) == 1
    assert [a["file_name"] for a in attachments.links(db, "recognitions", rid)] == ["推广文件.pdf"]
    assert section.attachments.table.item(0, 0).text() == "推广文件.pdf"


def test_signed_scan_hangs_on_the_selected_letter(qtbot, db, tmp_path):
    intake = {"applicant_type": "自然人", "applicant_name": "王五", "phone": "13800000000",
              "channel": "当面", "received_date": "2026-03-02", "content": "社会保险基金收支"}  # fmt: skip
    app_id = applications.create(db, intake, today=TODAY)
    lid = applications.store_letter(
        db, app_id, "receipt", "依申〔2026〕1号", date(2026, 3, 2), b"%PDF-1.4 x", "张三"
    )
    dlg = LettersDialog(db, app_id, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.attachments.record_id is None
    dlg.select_letter(lid)
    assert dlg.attachments.record_id == lid
    dlg.attachments.add_files([pdf_file(tmp_path / "签收扫描件.pdf", 1)])
    assert [a["file_name"] for a in attachments.links(db, "app_letters", lid)] == ["签收扫描件.pdf"]
    dlg.dispose()

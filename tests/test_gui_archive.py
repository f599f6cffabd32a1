"""附件 panel and 档案 tab (pytest-qt): attach a file by the dialog and by drag-and-drop,
open/export/remove it (audited), 一键归档, box the pieces (a mixed box is refused with
core's message), seal, and print the 归档文件目录 and 盒脊 through the worker."""

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox
from support import pdf_file

from gongkai_desktop.core import archive, attachments, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.ui import archive_jobs, attachments_panel, workers
from gongkai_desktop.ui.attachments_panel import AttachmentsPanel
from gongkai_desktop.ui.item_dialog import ItemDialog
from gongkai_desktop.ui.main_window import MainWindow

TODAY = date(2026, 11, 20)


def new_item(db, title="2026年部门预算公开", stage="已建档"):
    data = {"title": title, "doc_no": "厦人社〔2026〕3号", "formed_date": "2026-02-10",
            "category": "预算决算", "channels": ["门户网站"], "issuer": "厦门市人社局办公室"}  # fmt: skip
    i = items.create(db, data, cal=WorkCalendar())
    db.execute("UPDATE items SET stage = ? WHERE id = ?", [stage, i])  # test setup: jump
    return i


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def audit_actions(db, table):
    return [r[0] for r in db.execute("SELECT action FROM audit WHERE tbl = ?", [table])]


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(attachments_panel, "open_url", lambda u: urls.append(u) or True)
    monkeypatch.setattr(archive_jobs, "open_url", lambda u: urls.append(u) or True)
    return urls


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: said.append(text))
    return said


def test_attach_by_dialog_open_export_and_remove(qtbot, db, tmp_path, monkeypatch, opened,
                                                 warnings):  # fmt: skip
    item = new_item(db)
    src = pdf_file(tmp_path / "预算表.pdf")
    panel = AttachmentsPanel(db, "items", item)
    qtbot.addWidget(panel)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    click(qtbot, panel.buttons["add"])
    t = panel.table
    assert [t.item(0, c).text() for c in range(4)][:3] == ["预算表.pdf", "PDF", "2"]
    assert attachments.pages(db, "items", item) == 2
    # opened through a temporary copy in the system viewer
    click(qtbot, panel.buttons["open"])
    assert open(opened[-1].toLocalFile(), "rb").read() == src.read_bytes()
    out = panel.export_selected(tmp_path / "导出.pdf")
    assert len(PdfReader(out).pages) == 2
    # a wrong file type is refused with the supported types named
    bad = tmp_path / "说明.txt"
    bad.write_text("x")
    assert panel.add_files([bad]) == []
    assert "PDF、图片" in warnings[-1] and t.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    click(qtbot, panel.buttons["remove"])
    assert t.rowCount() == 0 and attachments.links(db, "items", item) == []
    assert audit_actions(db, "attachment_links") == ["insert", "delete"]


def test_drop_a_file_on_the_list(qtbot, db, tmp_path):
    item = new_item(db)
    panel = AttachmentsPanel(db, "items", item)
    qtbot.addWidget(panel)
    panel.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf_file(tmp_path / "通知.pdf", 1)))])
    ev = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)  # fmt: skip
    assert panel.acceptDrops() and not panel.table.viewport().acceptDrops()  # list drops reach us
    panel.dropEvent(ev)  # Qt delivers drops only during a real drag
    assert panel.table.item(0, 0).text() == "通知.pdf"
    assert panel.last_message == "已添加 1 个附件。"


def test_item_form_shows_attachments_of_a_saved_item_only(qtbot, db):
    new = ItemDialog(db)
    qtbot.addWidget(new)
    assert new.attachments is None
    saved = ItemDialog(db, new_item(db))
    qtbot.addWidget(saved)
    assert saved.attachments.buttons["add"].isEnabled()


@pytest.fixture
def window(qtbot, db, tmp_path):
    w = MainWindow(
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), today=TODAY
    )
    w.set_database(db, tmp_path / "t.db")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.tabs.setCurrentWidget(w.archive)
    yield w
    workers.wait_all(20000)
    w.close()
    w.deleteLater()  # gone before the next test's notifications reach it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_file_box_seal_and_print(qtbot, window, db, tmp_path, opened, warnings):
    a = new_item(db, "部门预算")
    new_item(db, "部门决算")
    new_item(db, "仍在审核", stage="审核")
    attachments.add(db, "items", a, pdf_file(tmp_path / "附件.pdf", 3))
    tab = window.archive
    tab.reload()
    assert tab.ready_table.rowCount() == 2
    assert tab.ready_table.item(0, 1).text() == "部门预算"
    click(qtbot, tab.buttons["fileReady"])
    assert tab.ready_table.rowCount() == 0
    p = tab.pieces_table
    assert [p.item(r, 0).text() for r in range(2)] == [
        "X001-WS·2026-D30-0001", "X001-WS·2026-D30-0002"]  # fmt: skip
    assert p.item(0, 3).text() == "4"  # the record's page and the 3-page attachment
    # box both pieces in a 40 mm box
    p.selectAll()
    tab.spine.setCurrentIndex(tab.spine.findData(40))
    click(qtbot, tab.buttons["newBox"])
    bx = tab.boxes_table
    assert [bx.item(0, c).text() for c in range(6)] == [
        "1", "定期30年", "—", "0001–0002", "2", "40 毫米"]  # fmt: skip
    assert p.item(0, 4).text() == "1"
    # a 永久 piece cannot go into the 定期30年 box: core names the conflict
    archive.file_record(db, "items", new_item(db, "机构职能", stage="审核"), retention="永久")
    tab.reload()
    p.selectRow([p.item(r, 0).text() for r in range(p.rowCount())].index("X001-WS·2026-Y-0001"))
    bx.selectRow(0)
    click(qtbot, tab.buttons["putIn"])
    assert "保管期限" in warnings[-1] and "不能混装" in warnings[-1]
    # seal with 整理人/检查人
    p.clearSelection()
    bx.selectRow(0)
    dlg = tab.seal()
    qtbot.addWidget(dlg)
    assert dlg.save() is False and "检查人" in dlg.error.text()
    dlg.checker.setText("李四")
    assert dlg.save()
    assert bx.item(0, 6).text().startswith("已封盒")
    assert archive.box(db, tab.boxes[0]["id"])["checker"] == "李四"
    assert not tab.buttons["seal"].isEnabled()  # a sealed box cannot be sealed again
    # print the catalogue and the spines through the worker, opened in the viewer
    assert "请按100%比例打印" in tab.ui.findChild(QLabel, "printHintLabel").text()
    job = tab.print_pdf("catalog", out_path=tmp_path / "目录.pdf")
    assert job.wait(20000) and job.error is None
    text = "".join(pg.extract_text() for pg in PdfReader(tmp_path / "目录.pdf").pages)
    assert "X001-WS·2026-D30-0002" in text and "归档文件目录" in text
    assert opened[-1].toLocalFile() == str(tmp_path / "目录.pdf")
    assert "请按100%比例打印" in tab.last_message
    job = tab.print_pdf("spines", out_path=tmp_path / "盒脊.pdf")
    assert job.wait(20000) and job.error is None
    assert len(PdfReader(tmp_path / "盒脊.pdf").pages) >= 1


def test_settings_dialog_saves_org_codes(qtbot, window, db):
    dlg = window.archive.edit_settings()
    qtbot.addWidget(dlg)
    dlg.use_org.setChecked(True)
    assert dlg.save() is False and "至少填写一个代码" in dlg.error.text()
    dlg.codes.setText("bgs，ZCK")
    dlg.default_org.setText("BGS")
    dlg.retention["items"].setCurrentText("永久")
    assert dlg.save()
    s = archive.archive_settings(db)
    assert (s["org_codes"], s["retention"]["items"]) == (["BGS", "ZCK"], "永久")
    archive.file_record(db, "items", new_item(db))
    window.archive.reload()
    assert window.archive.pieces_table.item(0, 0).text() == "X001-WS·2026-Y-BGS-0001"


def test_settings_dialog_switches_to_the_volume_scheme(qtbot, window, db):
    dlg = window.archive.edit_settings()
    qtbot.addWidget(dlg)
    assert dlg.scheme.currentData() == "件"  # pieces by default (DA/T 22-2015)
    dlg.scheme.setCurrentIndex(dlg.scheme.findData("卷"))
    assert dlg.save()
    assert archive.archive_settings(db)["scheme"] == "卷"


def test_attach_by_dialog_file_box_and_print_preview(qtbot, window, db, tmp_path, monkeypatch):
    """Issue 7's GUI test: attach a file by the dialog, file it, box it, and print-preview."""
    from gongkai_desktop.ui import pdf_preview

    previews = []
    monkeypatch.setattr(pdf_preview, "present", lambda d: previews.append(d))
    item = new_item(db, "部门预算")
    # 1. attach a 3-page scan through the item form's 添加… file dialog
    form = ItemDialog(db, item)
    qtbot.addWidget(form)
    scan = pdf_file(tmp_path / "预算表扫描件.pdf", 3)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    click(qtbot, form.attachments.buttons["add"])
    assert form.attachments.table.item(0, 0).text() == "预算表扫描件.pdf"
    # 2. file it (一键归档) and 3. box it (新建盒并装入) in the 档案 tab
    tab = window.archive
    tab.reload()
    click(qtbot, tab.buttons["fileReady"])
    assert tab.pieces_table.item(0, 0).text() == "X001-WS·2026-D30-0001"
    tab.pieces_table.selectAll()
    click(qtbot, tab.buttons["newBox"])
    assert tab.boxes_table.item(0, 4).text() == "1"
    # 4. print-preview the volume: the preview shows every page of the PDF
    tab.boxes_table.selectRow(0)
    click(qtbot, tab.buttons["volume"])
    assert tab.job.wait(20000) and tab.job.error is None
    [dlg] = previews
    qtbot.addWidget(dlg)
    reader = PdfReader(dlg.path)
    assert dlg.page_count == len(reader.pages) and dlg.page_label.text().startswith(
        f"共 {len(reader.pages)} 页"
    )
    assert len(reader.outline) == 1 and "案卷" in dlg.windowTitle()
    # the piece's 页数 in the tab is now the pages it takes in the volume
    [piece] = archive.pieces(db, 2026)
    # 盒封面 1 + 归档文件目录 (cover, list) 2 + the piece + 备考表 1
    assert len(reader.pages) == 1 + 2 + piece["pages"] + 1
    assert piece["pages"] >= 1 + 3  # its record page and the 3-page scan, at least
    assert tab.pieces_table.item(0, 3).text() == str(piece["pages"])
    dlg.show()
    qtbot.waitUntil(lambda: 0 in dlg.rendered)
    assert "请按100%比例打印" in tab.last_message


def test_step_attachments_in_the_item_history(qtbot, db, tmp_path, monkeypatch):
    from gongkai_desktop.ui.history_dialog import PICK_STEP, ItemHistoryDialog

    item = new_item(db)
    db.execute(
        "INSERT INTO item_steps(item_id, step, action, who, on_date, opinion, created_at)"
        " VALUES (?, '审核', '完成', '李四', '2026-02-11', '同意', 'x')",
        [item],
    )  # test setup: one step
    db.conn.commit()
    dlg = ItemHistoryDialog(db, item)
    qtbot.addWidget(dlg)
    panel = dlg.attachments
    assert not panel.buttons["add"].isEnabled() and panel.status.text() == PICK_STEP
    row = [s["step"] for s in dlg.steps].index("审核")
    dlg.select_step(row)
    assert panel.buttons["add"].isEnabled() and "审核" in panel.status.text()
    src = pdf_file(tmp_path / "签批单.pdf", 1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    click(qtbot, panel.buttons["add"])
    step_id = dlg.steps[row]["id"]
    [link] = attachments.links(db, "item_steps", step_id)
    assert link["file_name"] == "签批单.pdf" and attachments.links(db, "items", item) == []
    # the step's attachment is bound with the item's piece in the volume
    from gongkai_desktop.exports.archive_piece import links

    p = archive.file_record(db, "items", item)
    assert [a["file_name"] for a in links(db, p)] == ["签批单.pdf"]


def test_annual_report_attachments_need_a_saved_report(qtbot, db, tmp_path, monkeypatch):
    from gongkai_desktop.ui.annual_report_tab import AnnualReportTab

    tab = AnnualReportTab(db, today=date(2026, 1, 20))
    qtbot.addWidget(tab)
    panel = tab.attachments
    assert tab.parts.tabText(tab.parts.indexOf(panel)) == "附件"
    assert not panel.buttons["add"].isEnabled()
    assert "2025年年度报告尚未保存" in panel.status.text() and "保存" in panel.status.text()
    tab.editors["section1"].setPlainText("一、总体情况。本机关认真贯彻落实条例。")
    assert tab.save()
    assert panel.record_id == 2025 and panel.buttons["add"].isEnabled()
    src = pdf_file(tmp_path / "发布截图.pdf", 1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    click(qtbot, panel.buttons["add"])
    assert [a["file_name"] for a in attachments.links(db, "annual_reports", 2025)] == [
        "发布截图.pdf"
    ]
    tab.dispose()

"""Attachments from hostile or broken files, as the clerk sees them (issue 9, pytest-qt):
an unreadable PDF is kept, marked “无法读取” and explained in a warning; a file over the
size limit is refused in a warning box, not a traceback; the limit is a spin box in
归档设置, saved with an audit row; 自评 evidence follows the same limit and check."""

from __future__ import annotations

import pytest
from pypdf import PdfWriter
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from gongkai_desktop.core import assessment, attachments, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.ui import assessment_actions
from gongkai_desktop.ui.archive_dialogs import ArchiveSettingsDialog
from gongkai_desktop.ui.attachments_panel import UNREADABLE, AttachmentsPanel

BROKEN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref"


def new_item(db) -> int:
    data = {"title": "2026年部门预算公开", "formed_date": "2026-02-10", "category": "预算决算"}
    return items.create(db, data, cal=WorkCalendar())


def good_pdf(path, pages=2):
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    with open(path, "wb") as f:
        w.write(f)
    return path


def sparse(path, mb: int, head: bytes = b"%PDF-1.4"):
    """A file *mb* MB long on paper that takes no disk space."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(mb * 1024 * 1024)
    return path


def audit_rows(db, key):
    return db.execute("SELECT action FROM audit WHERE tbl = 'settings' AND row_id = ?", [key])


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, title, text, *a: said.append((title, text))
    )
    return said


@pytest.fixture
def panel(qtbot, db):
    p = AttachmentsPanel(db, "items", new_item(db))
    qtbot.addWidget(p)
    return p


def test_an_unreadable_pdf_is_kept_marked_and_explained(panel, db, tmp_path, warnings):
    good = good_pdf(tmp_path / "预算表.pdf")
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(BROKEN)
    added = panel.add_files([good, bad])
    assert len(added) == 2  # both kept
    t = panel.table
    assert [t.item(r, 2).text() for r in range(2)] == ["2", UNREADABLE]
    assert t.item(1, 2).text() == "无法读取"
    row = attachments.links(db, "items", panel.record_id)[1]
    assert row["unreadable"] == 1
    assert t.item(1, 2).toolTip() == attachments.unreadable_note(row)
    # one warning, in Chinese, naming the file, what it means and what to do
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "附件无法读取"
    assert "扫描件.pdf" in text and "预算表.pdf" not in text
    assert "无法读取" in text and "案卷" in text and "迎检材料汇编" in text
    assert "重新扫描" in text and "另存为 PDF" in text
    assert "1 个 PDF 无法读取" in panel.last_message


def test_a_readable_pdf_raises_no_warning(panel, tmp_path, warnings):
    panel.add_files([good_pdf(tmp_path / "通知.pdf", pages=3)])
    assert panel.table.item(0, 2).text() == "3"
    assert warnings == []
    assert panel.last_message == "已添加 1 个附件。"


def test_an_oversized_file_is_refused_in_a_warning_box(panel, db, tmp_path, warnings):
    big = sparse(tmp_path / "全年扫描.pdf", 51)
    small = good_pdf(tmp_path / "通知.pdf")
    added = panel.add_files([big, small])  # returns: no traceback reaches the clerk
    assert len(added) == 1  # the others are still added
    assert [r["file_name"] for r in attachments.links(db, "items", panel.record_id)] == ["通知.pdf"]
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "无法添加附件"
    assert "全年扫描.pdf" in text and "超过附件大小上限 50 MB" in text and "压缩或拆分" in text


def test_a_file_that_cannot_be_read_from_disk_is_a_warning(panel, tmp_path, warnings, monkeypatch):
    f = good_pdf(tmp_path / "网盘文件.pdf")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(f), "read_bytes", denied)
    assert panel.add_files([f]) == []
    assert len(warnings) == 1 and "网盘文件.pdf" in warnings[0][1]
    assert "无法读取" in warnings[0][1]


# -- 归档设置: the limit -----------------------------------------------------------------------


def settings_dialog(qtbot, db) -> ArchiveSettingsDialog:
    dlg = ArchiveSettingsDialog(db)
    qtbot.addWidget(dlg)
    return dlg


def test_the_limit_is_set_in_archive_settings_and_used_by_the_panel(
    qtbot, db, panel, tmp_path, warnings
):
    dlg = settings_dialog(qtbot, db)
    assert dlg.max_mb.value() == 50 and dlg.max_mb.suffix() == " MB"
    assert (dlg.max_mb.minimum(), dlg.max_mb.maximum()) == (1, attachments.MAX_MB_LIMIT)
    dlg.max_mb.setValue(5)
    dlg.ui.findChild(QDialogButtonBox, "buttonBox").button(
        QDialogButtonBox.StandardButton.Save
    ).click()
    assert dlg.error.text() == ""
    assert attachments.max_mb(db) == 5
    assert [r[0] for r in audit_rows(db, attachments.MAX_MB_KEY)] == ["insert"]
    again = settings_dialog(qtbot, db)
    assert again.max_mb.value() == 5
    assert again.save()  # unchanged: no second audit row
    assert [r[0] for r in audit_rows(db, attachments.MAX_MB_KEY)] == ["insert"]
    # the panel now refuses a 6 MB scan, naming the new limit
    assert panel.add_files([sparse(tmp_path / "扫描.pdf", 6)]) == []
    assert "超过附件大小上限 5 MB" in warnings[-1][1]


def test_the_limit_is_saved_with_the_other_settings(qtbot, db):
    dlg = settings_dialog(qtbot, db)
    dlg.max_mb.setValue(120)
    dlg.codes.setText("BGS, ZCFGK")
    assert dlg.save()
    assert attachments.max_mb(db) == 120
    again = settings_dialog(qtbot, db)
    assert again.codes.text() == "BGS, ZCFGK" and again.max_mb.value() == 120


# -- 自评 evidence: the same limit and check ------------------------------------------------------


@pytest.fixture
def aid(db):
    return assessment.open_assessment(db, 2026)


def test_evidence_uses_the_attachment_limit(db, aid, tmp_path):
    attachments.set_max_mb(db, 2)
    with pytest.raises(ValidationError, match="超过附件大小上限 2 MB"):
        assessment.add_file_evidence(db, aid, 1, sparse(tmp_path / "会议纪要.pdf", 3))
    assert assessment.evidence(db, aid) == []
    ok = assessment.add_file_evidence(db, aid, 1, good_pdf(tmp_path / "纪要.pdf"))
    assert not assessment.evidence_unreadable(db, ok)


def test_unreadable_evidence_is_kept_and_the_clerk_told(qtbot, db, aid, tmp_path, warnings):
    bad = tmp_path / "公开栏照片扫描.pdf"
    bad.write_bytes(BROKEN)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert assessment_actions.attach_files(parent, db, aid, 22, [bad]) == 1
    [ev] = assessment.evidence(db, aid, 22)
    assert assessment.evidence_unreadable(db, ev["id"])
    assert assessment.evidence_data(db, ev["id"]) == BROKEN  # kept as it came
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "佐证文件无法读取"
    assert "公开栏照片扫描.pdf" in text and "重新扫描" in text


def test_opening_twice_writes_two_copies(panel, tmp_path, monkeypatch):
    from gongkai_desktop.ui import attachments_panel

    urls = []
    monkeypatch.setattr(attachments_panel, "open_url", lambda u: urls.append(u) or True)
    src = good_pdf(tmp_path / "通知.pdf")
    panel.add_files([src])
    first, second = panel.open_selected(), panel.open_selected()
    assert first != second and first.name == second.name == "通知.pdf"  # the viewer may hold one
    assert first.read_bytes() == second.read_bytes() == src.read_bytes()
    assert [u.toLocalFile() for u in urls] == [str(first), str(second)]

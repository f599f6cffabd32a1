"""Files written only to be looked at (ui/preview_files.py, issues 7 §3 and 9): letters,
evidence and the calibration page go to a fresh name each time (a copy held open by a
viewer never blocks the next), written whole through core/atomic_file, and a PDF opens in
the in-app preview, which prints at 100%; an unexpected worker error reaches the crash log."""

from __future__ import annotations

import logging
import tempfile

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QLabel, QWidget
from reportlab.pdfgen import canvas

from gongkai_desktop.core import assessment
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.ui import (
    assessment_actions,
    letters_dialog,
    pdf_preview,
    preview_files,
    print_settings_dialog,
    workers,
)
from gongkai_desktop.ui.pdf_preview import PRINT_NOTE, PdfPreviewDialog
from gongkai_desktop.ui.print_settings_dialog import PrintSettingsDialog


def pdf_bytes(tmp_path, text="Reply letter") -> bytes:
    path = tmp_path / "src.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, text)
    c.save()
    return path.read_bytes()


@pytest.fixture
def temp(monkeypatch, tmp_path):
    """The temp folder, moved into the test's own folder."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def previews(monkeypatch):
    """Previews the app asked to show (not shown: no window in the test run)."""
    shown = []
    monkeypatch.setattr(pdf_preview, "present", shown.append)
    yield shown
    for d in shown:
        d.doc.close()
        d.deleteLater()
    preview_files._orphans.clear()


@pytest.fixture
def system(monkeypatch):
    urls = []
    monkeypatch.setattr(preview_files, "open_system", lambda u: urls.append(u) or True)
    return urls


def test_each_write_gets_a_fresh_name_and_leaves_no_temporary(temp, tmp_path):
    data = pdf_bytes(tmp_path)
    first = preview_files.write_temp(data, "2026-0001_登记回执.pdf", "gongkai_letters")
    second = preview_files.write_temp(data + b"\n", "2026-0001_登记回执.pdf", "gongkai_letters")
    assert first != second and first.name == second.name == "2026-0001_登记回执.pdf"
    assert first.read_bytes() == data and second.read_bytes() == data + b"\n"  # untouched
    assert first.is_relative_to(temp / "gongkai_letters")
    left = [p.name for p in (temp / "gongkai_letters").rglob("*") if p.is_file()]
    assert sorted(left) == ["2026-0001_登记回执.pdf"] * 2  # no .tmp left behind


def test_a_name_with_path_characters_stays_in_its_folder(temp):
    path = preview_files.fresh_path('../申请:2026/"回执".pdf', "gongkai_letters")
    assert path.parent.parent == temp / "gongkai_letters" and path.suffix == ".pdf"


def test_a_full_disk_is_a_chinese_message_and_leaves_nothing(temp, monkeypatch):
    from gongkai_desktop.core import atomic_file

    def full(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "replace", full)  # the last step of the atomic write
    with pytest.raises(UserError, match="磁盘空间已满"):
        preview_files.write_temp(b"%PDF-1.4", "回执.pdf", "gongkai_letters")
    assert [p for p in (temp / "gongkai_letters").rglob("*") if p.is_file()] == []


def test_a_pdf_opens_in_the_in_app_preview_others_in_the_system_viewer(
    qtbot, tmp_path, previews, system
):
    pdf = tmp_path / "回执.pdf"
    pdf.write_bytes(pdf_bytes(tmp_path))
    dlg = preview_files.show(QUrl.fromLocalFile(str(pdf)))
    assert isinstance(dlg, PdfPreviewDialog) and previews == [dlg]
    assert dlg.windowTitle() == "打印预览 — 回执" and dlg.page_count == 1
    assert PRINT_NOTE in dlg.ui.findChild(QLabel, "printNote").text()
    assert system == []
    png = tmp_path / "照片.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    preview_files.show(QUrl.fromLocalFile(str(png)))
    broken = tmp_path / "损坏.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    preview_files.show(QUrl.fromLocalFile(str(broken)))  # pdfium cannot: the viewer may
    assert [u.toLocalFile() for u in system] == [str(png), str(broken)]
    assert len(previews) == 1


def test_a_letter_opens_twice_in_the_preview_under_two_names(qtbot, temp, tmp_path, previews):
    data = pdf_bytes(tmp_path)
    first = letters_dialog.open_pdf(data, "2026-0001_登记回执_依申〔2026〕1号.pdf")
    second = letters_dialog.open_pdf(data, "2026-0001_登记回执_依申〔2026〕1号.pdf")
    assert first != second and first.exists() and second.read_bytes() == data
    assert [d.path for d in previews] == [first, second]
    assert previews[0].windowTitle() == "打印预览 — 2026-0001_登记回执_依申〔2026〕1号"


def test_the_calibration_page_opens_in_the_preview_under_a_fresh_name(
    qtbot, db, temp, previews, monkeypatch
):
    dlg = PrintSettingsDialog(db)
    qtbot.addWidget(dlg)
    dlg.x.setValue(1.5)
    for _ in range(2):
        job = dlg.print_calibration()
        assert job.wait() and job.error is None
    a, b = (d.path for d in previews)
    assert a != b and a.name == b.name == "套打校准页.pdf"
    assert a.is_relative_to(temp / "gongkai_calibration") and a.read_bytes().startswith(b"%PDF")
    assert PRINT_NOTE in previews[-1].ui.findChild(QLabel, "printNote").text()
    assert print_settings_dialog.open_url is preview_files.show


@pytest.fixture
def aid(db):
    return assessment.open_assessment(db, 2026)


def test_evidence_opens_a_pdf_in_the_preview_and_an_image_in_the_viewer(
    qtbot, db, aid, temp, tmp_path, previews, system
):
    src = tmp_path / "领导小组文件.pdf"
    src.write_bytes(pdf_bytes(tmp_path))
    png = tmp_path / "公开栏.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    assessment.add_file_evidence(db, aid, 1, src)
    assessment.add_file_evidence(db, aid, 22, png)
    parent = QWidget()
    qtbot.addWidget(parent)
    pdf_ev, png_ev = assessment.evidence(db, aid)
    one = assessment_actions.open_evidence(parent, db, pdf_ev)
    two = assessment_actions.open_evidence(parent, db, pdf_ev)
    assert one != two and one.read_bytes() == src.read_bytes()
    assert [d.path for d in previews] == [one, two]
    shown = assessment_actions.open_evidence(parent, db, png_ev)
    assert [u.toLocalFile() for u in system] == [str(shown)]
    assert shown.read_bytes() == png.read_bytes()


# -- the crash log ------------------------------------------------------------------------------


def test_an_unexpected_worker_error_reaches_the_crash_log(qtbot, caplog):
    said = []

    def boom(_progress):
        raise RuntimeError("索引越界")

    with caplog.at_level(logging.ERROR, logger="gongkai_desktop"):
        job = workers.run_job(None, boom, label="测试", on_error=said.append, cancellable=False)
        assert job.wait()
    assert "RuntimeError" in job.error and said == [job.error]  # the clerk is still told
    [rec] = [r for r in caplog.records if r.name == "gongkai_desktop"]
    assert rec.levelno == logging.ERROR and rec.exc_info[0] is RuntimeError
    assert "索引越界" in caplog.text  # the traceback is in the log


def test_a_clerks_mistake_is_not_logged_as_a_crash(qtbot, caplog):
    said = []

    def refused(_progress):
        raise UserError("请先填写全宗号。")

    with caplog.at_level(logging.ERROR, logger="gongkai_desktop"):
        job = workers.run_job(None, refused, label="测试", on_error=said.append, cancellable=False)
        assert job.wait()
    assert job.error == "请先填写全宗号。"
    assert [r for r in caplog.records if r.name == "gongkai_desktop"] == []

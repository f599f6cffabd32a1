"""打印与字体设置 and 套打 (pytest-qt, issue 7 §3–§4): choose a font file and go back to
automatic (pdf_fonts.describe() follows), save a printer's offset (read back from core),
the calibration page through the worker, and the 套打 box cover of the 档案 tab, moved by
the chosen printer's offset."""

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from gongkai_desktop.core import archive, items, print_settings
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.exports import overprint, pdf_fonts
from gongkai_desktop.ui import archive_jobs, print_settings_dialog
from gongkai_desktop.ui.archive_tab import ArchiveTab
from gongkai_desktop.ui.print_settings_dialog import PrintSettingsDialog

TODAY = date(2026, 11, 20)
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
MM = 72 / 25.4


@pytest.fixture(autouse=True)
def automatic_font():
    """The chosen font is process-wide (pdf_fonts); leave it as found."""
    pdf_fonts.set_user_font(None)
    yield
    pdf_fonts.set_user_font(None)


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(print_settings_dialog, "open_url", lambda u: urls.append(u) or True)
    monkeypatch.setattr(archive_jobs, "open_url", lambda u: urls.append(u) or True)
    return urls


@pytest.fixture
def dialog(qtbot, db):
    dlg = PrintSettingsDialog(db)
    qtbot.addWidget(dlg)
    return dlg


def test_choose_font_by_dialog_then_back_to_automatic(dialog, db, monkeypatch):
    if not WQY.is_file():
        pytest.skip("WenQuanYi Zen Hei is not installed")
    monkeypatch.delenv(pdf_fonts.ENV, raising=False)  # "builtin" would ignore the choice
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(WQY), ""))
    dialog.buttons["chooseFont"].click()
    assert print_settings.font_path(db) == str(WQY.resolve())
    assert "wqy-zenhei.ttc" in pdf_fonts.describe()
    assert "设置中选择的字体" in dialog.font_label.text()
    assert dialog.font_path.text() == str(WQY.resolve())
    dialog.buttons["autoFont"].click()
    assert print_settings.font_path(db) == ""
    assert "设置中选择的字体" not in pdf_fonts.describe()
    assert dialog.font_label.text() == "当前字体：" + pdf_fonts.describe()
    assert dialog.font_path.text() == ""


def test_a_file_that_is_not_a_font_is_refused_in_chinese(dialog, db, tmp_path):
    bad = tmp_path / "说明.txt"
    bad.write_text("不是字体", encoding="utf-8")
    assert not dialog.choose_font(str(bad))
    assert "不是 TrueType 字体" in dialog.error.text()
    assert print_settings.font_path(db) == ""


def test_offset_saved_per_printer_and_shown_again(qtbot, db):
    dlg = PrintSettingsDialog(db)
    qtbot.addWidget(dlg)
    dlg.printer.setEditText("办公室激光打印机")
    dlg.x.setValue(1.5)
    dlg.y.setValue(-2.0)
    dlg.buttons["saveOffset"].click()
    assert print_settings.offset(db, "办公室激光打印机") == (1.5, -2.0)
    assert print_settings.offset(db, None) == (0.0, 0.0)  # the default printer is untouched
    assert "已保存" in dlg.status.text()
    again = PrintSettingsDialog(db)
    qtbot.addWidget(again)
    again.printer.setCurrentText("办公室激光打印机")
    assert (again.x.value(), again.y.value()) == (1.5, -2.0)
    assert overprint.PRINT_NOTE in again.ui.findChild(type(again.status), "noteLabel").text()


def test_calibration_page_through_the_worker(qtbot, dialog, tmp_path, opened):
    out = tmp_path / "校准页.pdf"
    dialog.x.setValue(2.0)
    job = dialog.print_calibration(out)
    assert job.wait()
    assert job.error is None
    assert out.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(out).pages) == 1
    assert opened and opened[-1].toLocalFile() == str(out)
    assert "已生成校准页" in dialog.status.text()


# -- 套打 in the 档案 tab ------------------------------------------------------------------


def boxed(db, n=2):
    """*n* filed items, each in its own box (box numbers 1..n)."""
    for k in range(n):
        data = {"title": f"部门预算{k}", "doc_no": f"厦人社〔2026〕{k + 1}号",
                "formed_date": "2026-02-10", "category": "预算决算", "channels": ["门户网站"],
                "issuer": "厦门市人社局办公室"}  # fmt: skip
        i = items.create(db, data, cal=WorkCalendar())
        db.execute("UPDATE items SET stage = '已建档' WHERE id = ?", [i])  # test setup: jump
    pieces = archive.file_ready(db, 2026)
    for p in pieces:
        b = archive.create_box(db, 2026, p["retention"], p["org_code"], spine_mm=30)
        archive.put_in_box(db, b["id"], [p["id"]])


def text_x(path: Path, needle: str) -> float:
    """x (points) where *needle* is drawn on page 1."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if needle in text:
            found.append(tm[4] * cm[0] + cm[4])

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


def test_overprint_box_cover_with_the_printers_offset(qtbot, db, tmp_path, opened, request):
    boxed(db)
    print_settings.save_offset(db, "档案室打印机", 5, 0)
    tab = ArchiveTab(db, today=TODAY)
    qtbot.addWidget(tab)
    request.addfinalizer(tab.dispose)  # stop listening before the database closes
    assert tab.buttons["overprint"].isEnabled()
    assert tab.buttons["overprint"].text() == "套打"
    tab.boxes_table.selectRow(1)  # box 2 only
    plain, shifted = tmp_path / "无偏移.pdf", tmp_path / "套打.pdf"
    assert tab.overprint("box_cover", out_path=plain).wait()
    job = tab.overprint("box_cover", printer="档案室打印机", out_path=shifted)
    assert job.wait() and job.error is None
    reader = PdfReader(shifted)
    assert len(reader.pages) == 1  # the selected box only
    text = reader.pages[0].extract_text()
    assert [ln.strip() for ln in text.splitlines() if ln.strip()][-1] == "2"  # 盒号, last field
    assert "X001" in text and "2026" in text and "0002 至 0002" in text
    assert abs(text_x(shifted, "X001") - text_x(plain, "X001") - 5 * MM) < 0.1
    assert opened[-1].toLocalFile() == str(shifted)
    assert "档案室打印机" in tab.last_message and "100%" in tab.last_message

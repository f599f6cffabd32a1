"""打印预览 (issue 7 §3): pages rendered lazily with count and zoom; printing paints each
page at 100% on A4 (never fit-to-page); 用系统阅读器打开 and 另存为…."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QLabel
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from gongkai_desktop.ui import pdf_preview
from gongkai_desktop.ui.pdf_preview import PRINT_NOTE, show_pdf

_DARK = bytes(1 if v < 128 else 0 for v in range(256))


def dark_box(page) -> tuple[int, int, int]:
    """(leftmost x, rightmost x, lowest y) of the dark pixels of *page* at 72 dpi."""
    bmp = page.render(scale=1)
    raw, n, left, right, bottom = bytes(bmp.buffer), bmp.n_channels, bmp.width, 0, 0
    for y in range(bmp.height):
        row = raw[y * bmp.stride : y * bmp.stride + bmp.width * n : n].translate(_DARK)
        x = row.find(1)
        if x >= 0:
            left, right, bottom = min(left, x), max(right, row.rfind(1)), y
    return left, right, bottom


def make_pdf(path, pages: int, landscape_at: tuple[int, ...] = ()) -> str:
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setPageSize(landscape(A4) if n in landscape_at else A4)
        c.rect(20 * 72 / 25.4, 20 * 72 / 25.4, 72, 72, fill=1)  # 1 inch square 20 mm in
        c.drawString(200, 400, f"PAGE {n + 1}")
        c.showPage()
    c.save()
    return str(path)


@pytest.fixture
def shown(monkeypatch):
    dialogs = []
    monkeypatch.setattr(pdf_preview, "present", lambda d: (d.show(), dialogs.append(d)))
    return dialogs


def test_page_count_zoom_and_lazy_rendering(qtbot, tmp_path, shown):
    dlg = show_pdf(None, make_pdf(tmp_path / "v.pdf", 40), "案卷")
    qtbot.addWidget(dlg)
    assert shown == [dlg] and dlg.windowTitle() == "打印预览 — 案卷"
    qtbot.waitUntil(lambda: bool(dlg.rendered))
    assert dlg.page_count == 40 and dlg.page_label.text().startswith("共 40 页")
    # only the pages in view are rasterised, not all 40
    assert 0 in dlg.rendered and len(dlg.rendered) <= 4
    first = dlg.page_widgets[0]
    assert first.pixmap() is not None and not first.pixmap().isNull()
    w75 = first.width()
    dlg.zoom.setCurrentIndex(dlg.zoom.findData(150))
    assert first.width() == pytest.approx(2 * w75, abs=2)
    # scrolling to the end renders the last page and lets far pages go
    dlg.scroll.verticalScrollBar().setValue(dlg.scroll.verticalScrollBar().maximum())
    rendered = dlg.render_visible()
    assert 39 in dlg.rendered and 39 in rendered + list(dlg.rendered)
    assert len(dlg.rendered) <= 4 + pdf_preview.KEEP_RENDERED
    assert PRINT_NOTE in dlg.ui.findChild(QLabel, "printNote").text()


def test_print_paints_every_page_at_100_percent_on_a4(qtbot, tmp_path, shown):
    src = make_pdf(tmp_path / "目录.pdf", 3, landscape_at=(1,))
    dlg = show_pdf(None, src, "目录")
    qtbot.addWidget(dlg)
    printer = dlg.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_pages(printer)
    out = PdfReader(tmp_path / "printed.pdf")
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in out.pages]
    assert sizes == [(595, 842), (842, 595), (595, 842)]  # A4, the landscape page turned
    assert "100%" in dlg.status.text() and "3 页" in dlg.status.text()
    # the square is where it was designed: 20 mm from the corner, 1 inch wide (100%)
    for k in range(3):
        a = dark_box(pdfium.PdfDocument(src)[k])
        b = dark_box(pdfium.PdfDocument(str(tmp_path / "printed.pdf"))[k])
        assert all(abs(i - j) <= 1 for i, j in zip(a, b, strict=True))  # same place, not scaled


def test_print_dialog_says_100_percent_and_cancel(qtbot, tmp_path, shown, monkeypatch):
    dlg = show_pdf(None, make_pdf(tmp_path / "a.pdf", 1), "盒脊")
    qtbot.addWidget(dlg)
    asked = []

    def cancel(print_dialog):
        asked.append(print_dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(pdf_preview, "exec_print_dialog", cancel)
    dlg.buttons["print"].click()
    assert "请按100%比例打印" in asked[0] and "适合页面" in asked[0]
    assert dlg.status.text() == "已取消打印。"


def test_system_viewer_and_save_as(qtbot, tmp_path, shown, monkeypatch):
    src = make_pdf(tmp_path / "封面.pdf", 2)
    urls = []
    monkeypatch.setattr(pdf_preview, "open_url", lambda u: urls.append(u) or True)
    dlg = show_pdf(None, src, "盒封面")
    qtbot.addWidget(dlg)
    dlg.buttons["system"].click()
    assert urls[-1].toLocalFile() == src
    out = dlg.save_as(tmp_path / "副本")
    assert out == tmp_path / "副本.pdf" and len(PdfReader(out).pages) == 2
    assert dlg.save_as(tmp_path / "无此目录" / "x.pdf") is None
    assert "无法保存" in dlg.status.text()


def test_print_a_page_range_and_stop(qtbot, tmp_path, shown):
    dlg = show_pdf(None, make_pdf(tmp_path / "v.pdf", 5), "案卷")
    qtbot.addWidget(dlg)
    printer = dlg.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dlg.print_pages(printer) and "已送打印 2 页" in dlg.status.text()
    texts = [p.extract_text() for p in PdfReader(tmp_path / "p.pdf").pages]
    assert len(texts) == 2
    # Cancel after the first page: the job is aborted
    other = dlg.make_printer()
    other.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    other.setOutputFileName(str(tmp_path / "q.pdf"))
    sent = pdf_preview.print_document(dlg.doc, dlg.sizes, other, lambda n: n < 1)
    assert sent == 1

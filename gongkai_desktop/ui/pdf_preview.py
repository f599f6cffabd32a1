"""打印预览: a PDF shown inside the app and printed on A4 at 100% (issue 7 §3).

Pages are rasterised with pypdfium2, lazily: only the pages in view are rendered (and a
few far-off ones are dropped again), so a 1,500-page volume opens at once. Printing
renders each page at the printer's resolution and paints it at its own size from the
paper's corner — never fitted to the page, so labels and 套打 land where they were
designed to (RULES.md §9; the dialog tells the clerk to keep 100%).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .forms import embed_form

PRINT_NOTE = "请按100%比例打印，不要选择“适合页面”/缩放。"
ZOOMS = (50, 75, 100, 125, 150, 200)
SCREEN_DPI = 96.0  # 100% zoom shows the page at its real size on a usual screen
KEEP_RENDERED = 12  # rendered pages kept beyond those in view
PRINT_DPI = 300  # asked of the printer; a finer driver still gets 300-dpi pixels, at full size

open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # replaced in tests
# How a dialog is shown: window-modal without a nested event loop. Tests replace it.
present: Callable[[QDialog], object] = QDialog.open
# The print dialog's exec (tests replace it to print into a PDF file instead).
exec_print_dialog: Callable[[QPrintDialog], int] = QPrintDialog.exec


def render_page(page: pdfium.PdfPage, scale: float) -> QImage:
    """One page as an image, *scale* pixels per point, white background."""
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
    img = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                 QImage.Format.Format_RGBX8888)  # fmt: skip
    return img.copy()  # own the pixels before pdfium frees the bitmap


class PdfPreviewDialog(QDialog):
    """The pages of *path* with page count and zoom; 打印…, 用系统阅读器打开, 另存为…."""

    def __init__(self, path: str | Path, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.doc = pdfium.PdfDocument(str(self.path))
        self.sizes = [self.doc[k].get_size() for k in range(len(self.doc))]  # points
        self.ui = embed_form("pdf_preview", self, margin=6)
        self.setWindowTitle(f"打印预览 — {title or self.path.stem}")
        f = self.ui.findChild
        self.page_label: QLabel = f(QLabel, "pageLabel")
        self.page_label.setText(f"共 {len(self.sizes)} 页")
        self.status: QLabel = f(QLabel, "statusLabel")
        f(QLabel, "printNote").setText("打印时" + PRINT_NOTE + "页面按 A4 原大输出。")
        self.zoom: QComboBox = f(QComboBox, "zoomCombo")
        for z in ZOOMS:
            self.zoom.addItem(f"{z}%", z)
        self.zoom.setCurrentIndex(ZOOMS.index(75))
        self.buttons = {n: f(QPushButton, f"{n}Button") for n in
                        ("print", "system", "save", "close", "zoomIn", "zoomOut")}  # fmt: skip
        self.buttons["print"].clicked.connect(lambda: self.print_pages())
        self.buttons["system"].clicked.connect(self.open_in_system_viewer)
        self.buttons["save"].clicked.connect(lambda: self.save_as())
        self.buttons["close"].clicked.connect(self.reject)
        self.buttons["zoomIn"].clicked.connect(lambda: self._step_zoom(1))
        self.buttons["zoomOut"].clicked.connect(lambda: self._step_zoom(-1))
        self.scroll: QScrollArea = f(QScrollArea, "pageScroll")
        self.pages_host = QWidget()
        lay = QVBoxLayout(self.pages_host)
        lay.setSpacing(12)
        self.pages_host.setObjectName("pagesHost")
        self.pages_host.setStyleSheet("#pagesHost { background: #7f8790; }")
        self.page_widgets: list[QLabel] = []
        for _ in self.sizes:
            w = QLabel()
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            w.setStyleSheet("background: white;")
            lay.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_widgets.append(w)
        self.scroll.setWidget(self.pages_host)
        self.rendered: dict[int, float] = {}  # page -> zoom it was rendered at
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.render_visible)
        self.scroll.verticalScrollBar().valueChanged.connect(self._schedule)
        self.zoom.currentIndexChanged.connect(self._apply_zoom)
        self._apply_zoom()
        self.finished.connect(lambda _r: self.doc.close())

    # -- view ---------------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    def _scale(self) -> float:
        """Screen pixels per PDF point at the chosen zoom."""
        return self.zoom.currentData() / 100 * SCREEN_DPI / 72

    def _step_zoom(self, step: int) -> None:
        k = min(max(self.zoom.currentIndex() + step, 0), self.zoom.count() - 1)
        self.zoom.setCurrentIndex(k)

    def _apply_zoom(self) -> None:
        s = self._scale()
        for w, (pw, ph) in zip(self.page_widgets, self.sizes, strict=True):
            w.setFixedSize(round(pw * s), round(ph * s))
            w.clear()
        self.rendered.clear()
        self._schedule()

    def _schedule(self) -> None:
        self._timer.start()

    def visible_pages(self) -> list[int]:
        """Indexes of the pages in (or next to) the viewport."""
        top = self.scroll.verticalScrollBar().value()
        bottom = top + max(self.scroll.viewport().height(), 1)
        out = []
        for k, w in enumerate(self.page_widgets):
            y = w.y()
            if y + w.height() >= top - 200 and y <= bottom + 200:
                out.append(k)
        return out or [0][: self.page_count]

    def render_visible(self) -> list[int]:
        """Render the pages in view that are not yet drawn at this zoom; the ones rendered."""
        s, done = self._scale(), []
        visible = self.visible_pages()
        for k in visible:
            if self.rendered.get(k) != s:
                ratio = self.devicePixelRatioF()  # sharp on high-DPI screens
                pix = QPixmap.fromImage(render_page(self.doc[k], s * ratio))
                pix.setDevicePixelRatio(ratio)
                self.page_widgets[k].setPixmap(pix)
                self.rendered[k] = s
                done.append(k)
        far = sorted(self.rendered, key=lambda k: -abs(k - visible[0])) if visible else []
        for k in far[: max(len(self.rendered) - len(visible) - KEEP_RENDERED, 0)]:
            self.page_widgets[k].clear()  # free far-off pages' pixels
            del self.rendered[k]
        top = self.scroll.verticalScrollBar().value()
        current = next((k for k in visible if self.page_widgets[k].geometry().bottom() > top), 0)
        self.page_label.setText(f"共 {self.page_count} 页　当前第 {current + 1} 页")
        return done

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._schedule()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._schedule()

    # -- actions ------------------------------------------------------------------------------

    def open_in_system_viewer(self) -> None:
        open_url(QUrl.fromLocalFile(str(self.path)))
        self.status.setText(f"已用系统阅读器打开：{self.path}")

    def save_as(self, target: str | Path | None = None) -> Path | None:
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, "另存为", str(Path.home() / self.path.name), "PDF 文件 (*.pdf)"
            )
            if not target:
                return None
        out = Path(target)
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        try:
            shutil.copyfile(self.path, out)
        except OSError as e:
            self.status.setText(f"无法保存到“{out}”：{e.strerror or e}。请换一个文件夹再试。")
            return None
        self.status.setText(f"已保存：{out}")
        return out

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # paint from the paper's corner: 100%, no margins added
        printer.setResolution(PRINT_DPI)
        printer.setDocName(self.windowTitle())
        return printer

    def print_pages(self, printer: QPrinter | None = None) -> bool:
        """Ask for a printer (QPrintDialog) unless given one, then print every page at 100%."""
        if printer is None:
            printer = self.make_printer()
            dlg = QPrintDialog(printer, self)
            dlg.setWindowTitle("打印 — " + PRINT_NOTE)
            if exec_print_dialog(dlg) != QDialog.DialogCode.Accepted:
                self.status.setText("已取消打印。")
                return False
        bar = QProgressDialog("正在打印……", "取消", 0, self.page_count, self)
        bar.setWindowTitle("打印")
        bar.setMinimumDuration(600)
        stopped = []

        def step(done: int) -> bool:
            bar.setValue(done)
            if bar.wasCanceled():
                stopped.append(done)
            return not stopped

        try:
            pages = print_document(self.doc, self.sizes, printer, step)
        except OSError as e:
            self.status.setText(str(e))
            return False
        finally:
            bar.reset()
            bar.deleteLater()
        if stopped:
            self.status.setText(f"已取消打印（已送出 {pages} 页）。")
            return False
        self.status.setText(f"已送打印 {pages} 页（100%比例，A4）。" + PRINT_NOTE)
        return True


def _orientation(size: tuple[float, float]) -> QPageLayout.Orientation:
    w, h = size
    return QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait


def print_document(
    doc: pdfium.PdfDocument, sizes: list, printer: QPrinter,
    progress: Callable[[int], bool] = lambda _n: True,
) -> int:  # fmt: skip
    """Paint every page of *doc* at 100% scale on A4 (landscape pages turned); pages sent.
    *progress(pages done)* returning False stops (the job is aborted)."""
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    first, last = 0, len(sizes) - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage() - 1, min(printer.toPage() or len(sizes), len(sizes)) - 1
    painter = QPainter()
    for n, k in enumerate(range(first, last + 1)):
        size = sizes[k]
        printer.setPageOrientation(_orientation(size))
        if n == 0:
            if not painter.begin(printer):
                raise OSError("无法连接打印机，请检查打印机是否开机并已连接。")
        elif not printer.newPage():
            break
        dpi = printer.resolution()
        w, h = size[0] / 72 * dpi, size[1] / 72 * dpi  # the page's own size in device pixels
        img = render_page(doc[k], min(dpi, PRINT_DPI) / 72)
        painter.drawImage(QRectF(0, 0, w, h), img)
        QApplication.processEvents()
        if not progress(n + 1) and k < last:
            printer.abort()
            painter.end()
            return n + 1
    painter.end()
    return last - first + 1


def show_pdf(parent: QWidget | None, path: str | Path, title: str = "") -> PdfPreviewDialog:
    """Open *path* in the preview (window-modal, not blocking); the dialog."""
    dlg = PdfPreviewDialog(path, title, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.resize(860, 960)
    present(dlg)
    return dlg

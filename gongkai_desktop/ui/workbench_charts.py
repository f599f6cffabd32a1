"""工作台 · 年度图表: horizontal bar charts drawn with QPainter (PySide6 Essentials has no
QtCharts). Each bar has its number beside it and a tooltip that explains the figure."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QToolTip, QWidget

BAR = QColor("#4a7fb5")
BAR_PART = QColor("#2e7d32")  # the part of the bar that is on time
TRACK = QColor("#eef1f4")
TEXT = QColor("#2b2f33")
MUTED = QColor("#6b737b")


@dataclass(frozen=True)
class BarRow:
    label: str  # left of the bar
    value: int
    text: str  # right of the bar (the number, with any rate)
    tip: str  # how the number was reached
    part: int | None = None  # drawn darker inside the bar (e.g. on time)


class BarChart(QWidget):
    """One titled chart; rows top to bottom."""

    ROW_H = 19

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.rows: list[BarRow] = []
        self.note = ""
        self.setMouseTracking(True)

    def set_rows(self, rows: list[BarRow], note: str = "") -> None:
        self.rows, self.note = list(rows), note
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, self._top() + self.ROW_H * max(len(self.rows), 1) + 24)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(150, 140)  # rows shrink to fit (see row_h) on small screens

    def _top(self) -> int:
        return self.fontMetrics().height() + 8

    def _label_w(self) -> int:
        fm = self.fontMetrics()
        return (
            max([fm.horizontalAdvance(r.label) for r in self.rows] + [fm.horizontalAdvance("00月")])
            + 8
        )

    def _text_w(self) -> int:
        fm = self.fontMetrics()
        return max([fm.horizontalAdvance(r.text) for r in self.rows] + [20]) + 6

    @property
    def row_h(self) -> float:
        """ROW_H, or less when the widget is shorter than its rows (small screens)."""
        room = self.height() - self._top() - (self.fontMetrics().height() + 6 if self.note else 0)
        return max(min(self.ROW_H, room / max(len(self.rows), 1)), 8)

    def row_at(self, y: float) -> int | None:
        i = int((y - self._top()) // self.row_h)
        return i if 0 <= i < len(self.rows) and y >= self._top() else None

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        p.setPen(TEXT)
        f = p.font()
        f.setBold(True)
        p.setFont(f)
        p.drawText(0, fm.ascent() + 2, self.title)
        f.setBold(False)
        p.setFont(f)
        top, lw, tw = self._top(), self._label_w(), self._text_w()
        track_w = max(self.width() - lw - tw - 4, 20)
        top_value = max([r.value for r in self.rows] + [1])
        rh = self.row_h
        for i, r in enumerate(self.rows):
            y = top + i * rh
            mid = y + rh / 2 + fm.ascent() / 2 - 2
            p.setPen(TEXT)
            p.drawText(QRectF(0, y, lw - 6, rh),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, r.label)  # fmt: skip
            pad = min(3, rh / 5)
            p.fillRect(QRectF(lw, y + pad, track_w, rh - 2 * pad), TRACK)
            w = track_w * r.value / top_value
            p.fillRect(QRectF(lw, y + pad, w, rh - 2 * pad), BAR)
            if r.part is not None and r.value:
                part_w = track_w * r.part / top_value
                p.fillRect(QRectF(lw, y + pad, part_w, rh - 2 * pad), BAR_PART)
            # the number beside the bar, right after its end
            p.setPen(TEXT if r.value else MUTED)
            p.drawText(int(lw + w + 4), int(mid), r.text)
        if self.note:
            p.setPen(QPen(MUTED))
            y = top + len(self.rows) * rh + fm.ascent() + 4
            p.drawText(0, int(y), self.note)
        p.end()

    def event(self, e) -> bool:
        if e.type() == e.Type.ToolTip:
            i = self.row_at(e.position().y() if hasattr(e, "position") else e.pos().y())
            if i is None:
                QToolTip.hideText()
                e.ignore()
            else:
                QToolTip.showText(e.globalPos(), self.rows[i].tip, self)
            return True
        return super().event(e)


class ChartsPanel(QWidget):
    """The three charts of the year side by side (issue 8 §1 图表)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(14)
        self.published = BarChart("每月公开条数（绿色为按时公开）")
        self.applications = BarChart("依申请公开办理结果")
        self.complaints = BarChart("投诉与意见（按类别）")
        for c in (self.published, self.applications, self.complaints):
            lay.addWidget(c, 1)
        lay.setStretch(0, 5)
        lay.setStretch(1, 4)
        lay.setStretch(2, 3)

    def set_data(self, year: int, data: dict) -> None:
        rows = []
        total = on_time = 0
        for month, n, ok in data["published_by_month"]:
            total, on_time = total + n, on_time + ok
            rate = f"，按时{ok * 100 // n}%" if n else ""
            tip = (
                f"{year}年{month}月公开{n}条，其中{ok}条在形成之日起20个工作日内公开"
                "（条例第二十六条）。"
                if n
                else f"{year}年{month}月没有公开记录。"
            )
            rows.append(BarRow(f"{month}月", n, f"{n}{rate}", tip, ok))
        rate = f"{on_time * 100 // total}%" if total else "—"
        self.published.set_rows(rows, f"全年公开{total}条，按时{on_time}条（{rate}）")
        n_apps = sum(n for _l, n in data["applications_by_result"])
        self.applications.set_rows(
            [
                BarRow(label, n, str(n), _app_tip(year, label, n))
                for label, n in data["applications_by_result"]
            ],
            f"{year}年收到申请{n_apps}件",
        )
        n_c = sum(n for _l, n in data["complaints_by_kind"])
        self.complaints.set_rows(
            [
                BarRow(label, n, str(n), f"{year}年登记的{label}{n}件（按收到日期所在年度）。")
                for label, n in data["complaints_by_kind"]
            ],  # fmt: skip
            f"{year}年共{n_c}件",
        )


def _app_tip(year: int, label: str, n: int) -> str:
    if label == "办理中":
        return f"{year}年收到、尚未办结的申请{n}件。"
    return f"{year}年收到并已办结、办理结果为“{label}”的申请{n}件（年度报告表三的分类）。"

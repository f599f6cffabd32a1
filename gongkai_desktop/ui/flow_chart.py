"""公开流程图: the seven-step procedure drawn with QPainter (seed 三(五)1: 绘制公开流程图).

提出 → 初审 → 审核 → 公开 → 反馈 → 整改 → 建档, with the 退回 loop from 初审 and 审核
back to 提出. Completed steps are shaded, the current step is highlighted.
Promote a plain QWidget named in a .ui file to ``FlowChart`` to use it in a form.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core import workflow
from .forms import register_custom_widget

DONE, CURRENT, TODO = "done", "current", "todo"

# Colours: calm enough to print in black and white and still tell apart.
_FILL = {DONE: QColor("#dcebd3"), CURRENT: QColor("#1d5fa8"), TODO: QColor("#ffffff")}
_BORDER = {DONE: QColor("#5f9a4a"), CURRENT: QColor("#123f73"), TODO: QColor("#9aa3ad")}
_TEXT = {DONE: QColor("#27401d"), CURRENT: QColor("#ffffff"), TODO: QColor("#3a3f45")}
_ARROW = QColor("#59636e")
_RETURN = QColor("#c0392b")
_LEGEND = ((DONE, "已完成"), (CURRENT, "当前环节"), (TODO, "待办理"))

_MARGIN = 12
_LOOP_BAND = 34  # room above the boxes for the 退回 loop
_BOX_H = 46
_DATE_BAND = 20  # room under the boxes for step dates
_LEGEND_H = 18  # drawn in the loop band, above 公开…建档


@register_custom_widget
class FlowChart(QWidget):
    """The seven-step flow chart. Call :meth:`set_state` with the item's stage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stage: str = workflow.STEPS[0]
        self._returns = 0
        self._dates: dict[str, str] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("公开流程图")

    # -- state ----------------------------------------------------------------

    def set_state(self, stage: str, returns: int = 0, dates: dict[str, str] | None = None) -> None:
        """*stage* is the step the item waits for (or 已建档); *dates* maps a finished
        step to the date shown under its box."""
        if stage not in workflow.STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        self._stage, self._returns, self._dates = stage, returns, dict(dates or {})
        current = self.current_step()
        self.setToolTip(
            "七项程序已全部完成"
            if current is None
            else f"当前环节：{current}" + (f"；已退回 {returns} 次" if returns else "")
        )
        self.update()

    def current_step(self) -> str | None:
        return None if self._stage == workflow.DONE else self._stage

    def step_state(self, step: str) -> str:
        """``done``, ``current`` or ``todo`` for *step*."""
        if self._stage == workflow.DONE:
            return DONE
        here, i = workflow.STEPS.index(self._stage), workflow.STEPS.index(step)
        return DONE if i < here else CURRENT if i == here else TODO

    # -- geometry -------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(720, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(480, self._height())

    def _height(self) -> int:
        return _MARGIN * 2 + _LOOP_BAND + _BOX_H + _DATE_BAND

    def box_rect(self, step: str) -> QRectF:
        """Where *step*'s box is drawn (widget coordinates)."""
        n = len(workflow.STEPS)
        width = max(self.width(), self.minimumSizeHint().width()) - 2 * _MARGIN
        gap = max(18.0, min(34.0, width * 0.04))
        box_w = (width - gap * (n - 1)) / n
        i = workflow.STEPS.index(step)
        x = _MARGIN + i * (box_w + gap)
        return QRectF(x, _MARGIN + _LOOP_BAND, box_w, _BOX_H)

    # -- painting -------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        self._paint_return_loop(p)
        self._paint_forward_arrows(p)
        for step in workflow.STEPS:
            self._paint_box(p, step)
        self._paint_legend(p)
        p.end()

    def _paint_box(self, p: QPainter, step: str) -> None:
        state = self.step_state(step)
        r = self.box_rect(step)
        p.setPen(QPen(_BORDER[state], 2.4 if state == CURRENT else 1.3))
        p.setBrush(_FILL[state])
        p.drawRoundedRect(r, 7, 7)
        # step number, small, top-left
        num_font = QFont(self.font())
        num_font.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.75))
        p.setFont(num_font)
        p.setPen(_TEXT[state])
        p.drawText(
            r.adjusted(6, 3, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            str(workflow.STEPS.index(step) + 1),
        )
        # step name, centred, as large as fits
        name_font = QFont(self.font())
        name_font.setBold(state != TODO)
        size = 13.0
        while (
            size > 8
            and QFontMetrics(_sized(name_font, size)).horizontalAdvance(step) > r.width() - 16
        ):
            size -= 0.5
        p.setFont(_sized(name_font, size))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, step)
        day = self._dates.get(step)
        if day and state == DONE:
            p.setFont(num_font)
            p.setPen(QColor("#4d5660"))
            below = QRectF(r.left() - 6, r.bottom() + 2, r.width() + 12, _DATE_BAND - 2)
            p.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, day)

    def _paint_forward_arrows(self, p: QPainter) -> None:
        p.setPen(QPen(_ARROW, 1.6))
        p.setBrush(_ARROW)
        for a, b in zip(workflow.STEPS, workflow.STEPS[1:], strict=False):
            ra, rb = self.box_rect(a), self.box_rect(b)
            y = ra.center().y()
            _arrow(p, QPointF(ra.right() + 2, y), QPointF(rb.left() - 2, y))

    def _paint_return_loop(self, p: QPainter) -> None:
        """One line above the boxes: up from 初审 and 审核, across, down into 提出."""
        target = self.box_rect(workflow.STEPS[0])
        sources = [self.box_rect(s) for s in workflow.RETURNABLE]
        y = _MARGIN + _LOOP_BAND * 0.45
        pen = QPen(_RETURN, 1.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        far = max(r.center().x() for r in sources)
        tx = target.center().x()
        path = QPainterPath(QPointF(far, target.top() - 1))
        path.lineTo(far, y)
        path.lineTo(tx, y)
        p.drawPath(path)
        for r in sources[:-1]:
            p.drawLine(QPointF(r.center().x(), r.top() - 1), QPointF(r.center().x(), y))
            p.setBrush(_RETURN)
            p.drawEllipse(QPointF(r.center().x(), y), 2.5, 2.5)
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(_RETURN, 1.5))
        p.setBrush(_RETURN)
        _arrow(p, QPointF(tx, y), QPointF(tx, target.top() - 1))
        # label on the loop, on a white tag so the dashes do not cross the text
        text = "退回" + (f"（{self._returns}次）" if self._returns else "")
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, self.font().pointSizeF() * 0.9))
        p.setFont(font)
        fm = QFontMetrics(font)
        w, h = fm.horizontalAdvance(text) + 12, fm.height() + 2
        mid = (tx + self.box_rect(workflow.RETURNABLE[0]).center().x()) / 2
        tag = QRectF(mid - w / 2, y - h / 2, w, h)
        p.setPen(QPen(_RETURN, 1))
        p.setBrush(self.palette().base())
        p.drawRoundedRect(tag, 4, 4)
        p.setPen(_RETURN)
        p.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_legend(self, p: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, self.font().pointSizeF() * 0.8))
        p.setFont(font)
        fm = QFontMetrics(font)
        y = _MARGIN
        x = self.width() - _MARGIN
        for state, label in reversed(_LEGEND):
            x -= fm.horizontalAdvance(label)
            p.setPen(QColor("#4d5660"))
            p.drawText(
                QRectF(x, y, fm.horizontalAdvance(label) + 2, _LEGEND_H),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x -= 16
            p.setPen(QPen(_BORDER[state], 1.2))
            p.setBrush(_FILL[state])
            p.drawRect(QRectF(x, y + _LEGEND_H / 2 - 5, 11, 10))
            x -= 14


def _sized(font: QFont, size: float) -> QFont:
    f = QFont(font)
    f.setPointSizeF(size)
    return f


def _arrow(p: QPainter, a: QPointF, b: QPointF, head: float = 7.0) -> None:
    """A line from *a* to *b* with a filled head at *b* (horizontal or vertical only)."""
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = max(abs(dx), abs(dy)) or 1.0
    ux, uy = dx / length, dy / length
    base = QPointF(b.x() - ux * head, b.y() - uy * head)
    p.drawLine(a, base)
    px, py = -uy * head * 0.55, ux * head * 0.55
    p.drawPolygon(
        QPolygonF([b, QPointF(base.x() + px, base.y() + py), QPointF(base.x() - px, base.y() - py)])
    )

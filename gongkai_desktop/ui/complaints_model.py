"""投诉与意见表格模型: a virtual table over the complaints, paged from SQL, and how a
record's state, steps and events are drawn.

As the applications model: one COUNT, pages fetched when the view asks and kept in a
small LRU; filtering and sorting are SQL (core/complaint_query). States come from
core/complaint_rules; the tooltip of the state and date columns is its 期限说明.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ..core import complaint_query
from ..core import complaint_rules as rules
from ..core.complaint_query import ComplaintFilter
from .paged_model import (  # noqa: F401
    AMBER,
    AMBER_BG,
    ID_ROLE,
    LEVEL_LATE,
    LEVEL_OVERDUE,
    LEVEL_SOON,
    RED,
    RED_BG,
    ROW_COLOURS,
    Column,
    PagedSqlModel,
    alert_brush,
    column_index,
    memo,
)

MAX_CACHED_TIPS = 500

COLUMNS = (
    Column("no", "编号", "no"),
    Column("kind", "类别", "kind"),
    Column("source", "来源", "source"),
    Column("person", "反映人", "person"),
    Column("received_date", "收到日期", "received_date"),
    Column("state", "状态", None),
    Column("due", "答复期限", "reply_due"),
    Column("days_left", "剩余天数", None),
    Column("reply_date", "答复日期", "reply_date"),
    Column("principal", "主要负责人答复", "principal_due"),
)
COL = column_index(COLUMNS)

GREEN = QColor("#1b5e20")
_TIP_COLS = {COL["state"], COL["due"], COL["days_left"], COL["principal"]}
_CENTERED = {COL["kind"], COL["source"], COL["received_date"], COL["state"], COL["due"],
             COL["days_left"], COL["reply_date"]}  # fmt: skip

ComplaintIdRole = ID_ROLE


# -- how a record is drawn ------------------------------------------------------------------


@dataclass(frozen=True)
class RowStatus:
    """What the list shows about one record's deadlines."""

    state: str  # 状态 (complaint_rules.complaint_state)
    level: str | None  # LEVEL_*: the row colour
    due: str  # 答复期限 as shown
    days_left: str  # 剩余天数 as shown
    principal: str  # 主要负责人答复 as shown


def person_text(r: dict) -> str:
    return "（匿名）" if r.get("anonymous") else (r.get("person") or "")


def principal_text(r: dict, today: date) -> str:
    ps = rules.principal_state(r, today)
    if not ps:
        return ""
    if r.get("principal_answer_date"):
        return f"{ps}（{r['principal_answer_date']}）"
    left = rules.days_left(r["principal_due"], today)
    when = f"逾期 {-left} 天" if left < 0 else f"{r['principal_due']}前"
    return f"{ps}（{when}）"


def row_status(r: dict, today: date) -> RowStatus:
    """The list row of a record: red when the reply or the principal's answer is past
    due and still pending, amber when either is due within 5 days (complaint_rules)."""
    state = rules.complaint_state(r, today)
    ps = rules.principal_state(r, today)
    due = (r.get("reply_due") or "") + ("（推算）" if r.get("provisional") else "")
    left = ""
    if not r.get("reply_date") and not r.get("closed_date"):
        n = rules.days_left(r["reply_due"], today)
        left = f"逾期 {-n}" if n < 0 else str(n)
    if rules.OVERDUE in (state, ps):
        level = LEVEL_OVERDUE
    elif rules.DUE_SOON in (state, ps):
        level = LEVEL_SOON
    elif state == rules.LATE or (state == rules.DONE and rules.reply_late(r)):
        level = LEVEL_LATE
    else:
        level = None
    if state == rules.DONE and rules.reply_late(r):
        state = "已办结（逾期答复）"
    return RowStatus(state, level, due, left, principal_text(r, today))


def state_style(state: str) -> str:
    """The badge of a state in the 办理 dialog."""
    fg, bg = {
        rules.OVERDUE: ("#ffffff", "#c62828"),
        rules.LATE: ("#ffffff", "#c62828"),
        rules.DUE_SOON: ("#5a3600", "#ffd08a"),
        rules.DONE: ("#ffffff", "#2e6b2e"),
        rules.ON_TIME: ("#ffffff", "#2e6b2e"),
    }.get(state, ("#ffffff", "#1f5f99"))
    return (
        f"font-weight: bold; padding: 2px 8px; border-radius: 3px; color: {fg}; background: {bg};"
    )


_BOX = "padding: 4px 10px; border-radius: 3px; border: 1px solid {b}; color: {c}; background: {f};"
_DONE_STYLE = _BOX.format(b="#5f9a4a", c="#27401d", f="#dcebd3")
_CURRENT_STYLE = _BOX.format(b="#123f73", c="#ffffff", f="#1d5fa8") + " font-weight: bold;"
_TODO_STYLE = _BOX.format(b="#9aa3ad", c="#3a3f45", f="#ffffff")
_SKIPPED_STYLE = _BOX.format(b="#c4c9cf", c="#8a9199", f="#f3f4f6")


def step_styles(stage: str, dates: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    """step → (text, style, tooltip) of the 受理 → … → 办结 strip. *dates*: step → date
    recorded. 整改 passed over (答复 → 办结) shows as 不需要."""
    allowed = rules.next_steps(stage)
    out = {}
    for step in rules.STEPS:
        if step in dates:
            out[step] = (f"{step}\n{dates[step][5:]}", _DONE_STYLE, f"{step}：{dates[step]}")
        elif stage == rules.DONE or (
            step in rules.OPTIONAL_STEPS and rules.STEPS.index(step) < _index(stage)
        ):
            out[step] = (f"{step}\n不需要", _SKIPPED_STYLE, "未登记整改事项")
        elif step in allowed:
            out[step] = (f"{step}\n当前", _CURRENT_STYLE, f"现在可以登记“{step}”")
        else:
            out[step] = (f"{step}\n ", _TODO_STYLE, "待办理")
    return out


def _index(stage: str) -> int:
    return len(rules.STEPS) if stage == rules.DONE else rules.STEPS.index(stage)


def describe_event(e: dict) -> str:
    """One line of the 办理记录 (complaint_events row with its extra)."""
    x = e.get("extra") or {}
    parts = []
    if "no" in x:
        parts.append(f"编号 {x['no']}")
    if x.get("reply_due") and e["step"] == "登记":
        parts.append(f"答复期限 {x['reply_due']}")
    if "reply_method" in x:
        parts.append(f"答复方式：{x['reply_method']}")
    if x.get("late") and e["step"] == "答复":
        parts.append(f"晚于答复期限 {x.get('reply_due', '')}")
    if x.get("principal") and e["step"] != "主要负责人答复":
        parts.append(f"转送{x['principal']}，答复期限 {x.get('principal_due', '')}")
    if x.get("late") and e["step"] == "主要负责人答复":
        parts.append(f"晚于答复期限 {x.get('principal_due', '')}")
    if x.get("rectifications"):
        parts.append(f"整改事项 {len(x['rectifications'])} 项")
    if x.get("fields"):
        parts.append("修改：" + "、".join(x["fields"]))
    head = f"{e['on_date']}　{e['step']}　{e['who']}"
    body = "；".join(p for p in parts if p)
    if e.get("opinion"):
        body = f"{body}；意见：{e['opinion']}" if body else f"意见：{e['opinion']}"
    return f"{head}\n    {body}" if body else head


# -- the model ------------------------------------------------------------------------------


class ComplaintsModel(PagedSqlModel):
    """Rows of the complaints list for one filter and sort order (ui/paged_model.py)."""

    COLUMNS = COLUMNS
    DEFAULT_ORDER = "received_date"
    CENTERED = frozenset(_CENTERED)
    FILTER = ComplaintFilter
    QUERY = complaint_query

    complaint_id = PagedSqlModel.row_id

    # -- PagedSqlModel ---------------------------------------------------------------

    def _row_status(self, r: dict) -> RowStatus:
        return row_status(r, self._today)

    def _header_tip(self, section: int) -> str:
        if COLUMNS[section].key in ("due", "days_left"):
            return "自收到之次日起30日（自然日）；最后一日为节假日的顺延至节后第一个工作日"
        return super()._header_tip(section)

    def _tooltip(self, r: dict, col: int) -> str | None:
        if col in _TIP_COLS:
            return memo(
                self._cache,
                r["id"],
                lambda: rules.explain(r, self._today, self._cal),
                MAX_CACHED_TIPS,
            )
        if col == COL["person"]:
            return "　".join(x for x in (person_text(r), r.get("contact") or "") if x)
        return None

    def _brush(self, r: dict, col: int, role: int) -> QBrush | None:
        st = row_status(r, self._today)
        colours = ROW_COLOURS.get(st.level or "")
        if colours:
            return alert_brush(colours, role)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL["state"]:
            if st.level == LEVEL_LATE:
                return QBrush(RED)
            if st.state in (rules.ON_TIME, rules.DONE):
                return QBrush(GREEN)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL["principal"]:
            if rules.principal_late(r):
                return QBrush(RED)
        return None

    def _text(self, r: dict, key: str) -> str | None:
        if key in ("state", "due", "days_left", "principal"):
            return getattr(row_status(r, self._today), key)
        if key == "person":
            return person_text(r)
        return None

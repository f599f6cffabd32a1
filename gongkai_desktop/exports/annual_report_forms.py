"""The annual report's tables 2, 3 and 4 laid out like the official forms (国办公开办函〔2021〕30号).

One layout for both exports: a rectangle of cells with merged ranges, header rows and
label columns. exports/annual_report_xlsx.py writes it with openpyxl (merged cells),
exports/annual_report_pdf.py draws it with reportlab (spans).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import annual_tables as T
from ..core.annual_report import AnnualReport
from ..core.application_catalog import load as catalog

Value = str | int | float | None


@dataclass
class Form:
    name: str  # 表二
    heading: str  # the report section it belongs to
    cells: list[list[Value]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    header_rows: set[int] = field(default_factory=set)
    label_cols: int = 1  # leading columns holding row labels (left-aligned)
    widths: list[float] = field(default_factory=list)  # Excel character units

    @property
    def n_cols(self) -> int:
        return len(self.cells[0])

    def covered(self) -> set[tuple[int, int]]:
        """Cells hidden under a merge (not its top-left)."""
        out = set()
        for r0, c0, r1, c1 in self.spans:
            out |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        return out


def _fee(v: Value) -> Value:
    return v if v is None else float(v)


def form2(rep: AnnualReport) -> Form:
    """表二: four blocks (第二十条第（一）（五）（六）（八）项)."""
    f = Form("表二", "二、主动公开政府信息情况", [], label_cols=1, widths=[26, 17, 17, 17])
    for block, cols, rows in T.TABLE2_BLOCKS:
        r = len(f.cells)
        f.cells.append([block, None, None, None])
        f.spans.append((r, 0, r, 3))
        f.cells.append(["信息内容", *cols, *[None] * (3 - len(cols))])
        f.header_rows |= {r, r + 1}
        if len(cols) == 1:
            f.spans.append((r + 1, 1, r + 1, 3))
        for row in rows:
            values = [rep.table2.values[row][c] for c in cols]
            if row == "行政事业性收费":
                values = [_fee(v) for v in values]
            f.cells.append([row, *values, *[None] * (3 - len(cols))])
            if len(cols) == 1:
                f.spans.append((len(f.cells) - 1, 1, len(f.cells) - 1, 3))
    return f


CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROW_TEXT = {
    T.NEW: "一、本年新收政府信息公开申请数量",
    T.CARRIED_IN: "二、上年结转政府信息公开申请数量",
    T.TOTAL: "（七）总计",
    T.CARRIED_OUT: "四、结转下年度继续办理",
}
RESULTS_TEXT = "三、本年度办理结果"


def form3(rep: AnnualReport) -> Form:
    """表三: 3 label columns, 申请人情况 in 7 columns (自然人, 法人或其他组织 ×5, 总计)."""
    t3 = rep.table3
    types = list(t3.columns[:-1])
    orgs = [t for t in types if catalog().applicant_groups.get(t) != "自然人"]
    n = 3 + len(t3.columns)
    f = Form("表三", "三、收到和处理政府信息公开申请情况", [], label_cols=3,
             widths=[10, 14, 34, *[9.5] * len(t3.columns)])  # fmt: skip
    blank = [None] * n
    f.cells.append([CHECK_NOTE, None, None, "申请人情况", *blank[4:]])
    f.cells.append([None, None, None, types[0], "法人或其他组织", *blank[5:-1], t3.columns[-1]])
    f.cells.append([None, None, None, None, *orgs, None])
    f.header_rows = {0, 1, 2}
    f.spans += [(0, 0, 2, 2), (0, 3, 0, n - 1), (1, 3, 2, 3), (1, 4, 1, 3 + len(orgs)),
                (1, n - 1, 2, n - 1)]  # fmt: skip

    def numbers(label: str) -> list[Value]:
        return list(t3.rows[label])

    for key in (T.NEW, T.CARRIED_IN):
        f.spans.append((len(f.cells), 0, len(f.cells), 2))
        f.cells.append([ROW_TEXT[key], None, None, *numbers(key)])
    first = len(f.cells)
    family_start: dict[str, int] = {}
    for head, text, label in T.display_labels():
        r = len(f.cells)
        if text:
            family_start.setdefault(head, r)
            f.cells.append([None, head if family_start[head] == r else None, text, *numbers(label)])
        else:
            f.spans.append((r, 1, r, 2))
            f.cells.append([None, head, None, *numbers(label)])
    for head, start in family_start.items():
        end = start + sum(1 for h, t, _ in T.display_labels() if h == head and t) - 1
        if end > start:
            f.spans.append((start, 1, end, 1))
    r = len(f.cells)
    f.spans.append((r, 1, r, 2))
    f.cells.append([None, ROW_TEXT[T.TOTAL], None, *numbers(T.TOTAL)])
    f.cells[first][0] = RESULTS_TEXT
    f.spans.append((first, 0, r, 0))
    r = len(f.cells)
    f.spans.append((r, 0, r, 2))
    f.cells.append([ROW_TEXT[T.CARRIED_OUT], None, None, *numbers(T.CARRIED_OUT)])
    return f


def form4(rep: AnnualReport) -> Form:
    """表四: 行政复议 (5 columns), 行政诉讼 split into 未经复议直接起诉 and 复议后起诉 (5 each)."""
    outcomes = [*catalog().appeal_outcomes, T.TOTAL_COLUMN]
    routes = catalog().litigation_routes
    k = len(outcomes)
    n = k * (1 + len(routes))
    f = Form("表四", "四、政府信息公开行政复议、行政诉讼情况", [], label_cols=0,
             widths=[9.5] * n)  # fmt: skip
    top: list[Value] = [None] * n
    top[0], top[k] = T.REVIEW, T.LITIGATION
    mid: list[Value] = [*outcomes, *[None] * (n - k)]
    low: list[Value] = [None] * n
    for i, route in enumerate(routes):
        mid[k * (i + 1)] = route
        low[k * (i + 1) : k * (i + 2)] = outcomes
    f.cells = [top, mid, low, list(rep.table4.values)]
    f.header_rows = {0, 1, 2}
    f.spans += [(0, 0, 0, k - 1), (0, k, 0, n - 1)]
    f.spans += [(1, c, 2, c) for c in range(k)]
    f.spans += [(1, k * (i + 1), 1, k * (i + 2) - 1) for i in range(len(routes))]
    return f


def forms(rep: AnnualReport) -> list[Form]:
    return [form2(rep), form3(rep), form4(rep)]
